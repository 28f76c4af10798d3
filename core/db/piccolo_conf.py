"""Piccolo's configuration module (``PICCOLO_CONF``): delegates to :mod:`core.db.engine`.

``DB`` and ``APP_REGISTRY`` are looked up lazily so that the engine is whatever
``core.db.engine.configure()`` set, in the server, the CLI and the tests alike.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    from core.db import engine

    if name == "DB":
        return engine.state.engine
    if name == "APP_REGISTRY":
        return engine.state.registry
    raise AttributeError(name)
