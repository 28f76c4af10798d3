"""Built-in service plugins. Each registers through the ``hromada.plugins`` entry points."""
