"""Hromada core: knows no concrete service; services come from plugins."""

__version__ = "0.1.0"

#: Version of the plugin contract (see :mod:`core.hookspecs`). A plugin states the
#: contract version it was written for; the core refuses a plugin of another major.
CONTRACT_VERSION = 1
