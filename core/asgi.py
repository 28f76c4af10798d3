"""ASGI entry point for production servers: ``uvicorn core.asgi:app --workers 4``.

Run ``hromada migrate`` once before starting workers; workers never migrate.
"""

from core.api.app import create_app

app = create_app()
