"""The HTTP interface: Litestar app factory, controllers, authentication, guards."""
