"""``python -m core`` runs the ``hromada`` command line."""

from core.cli import main

main()
