"""The core's data: Piccolo tables, migrations and the engine set-up."""
