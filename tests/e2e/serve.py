"""Hromada as the browser tests see it: migrate, load the demo, serve over HTTP.

Run as ``python -m tests.e2e.serve --port N --database-url URL``. When the test session
runs at a chosen instant (``HROMADA_TEST_NOW``, see ``tests/conftest.py``), this process
travels there first (plus the time the session has run since its clock set off) and
ticks on from it, so the demo's dates and the server's "today" are the session's, to the
second, even when the session crosses midnight. The plugins are the test session's
(``HROMADA_TEST_PLUGINS`` or the built-in ones).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import time_machine

from core.testkit.pytest_plugin import NOW_SINCE

#: How long the server keeps a session it has read (``session_cache_seconds``).
SESSION_CACHE_SECONDS = 0.2


@contextmanager
def session_clock() -> Iterator[None]:
    raw = os.environ.get("HROMADA_TEST_NOW", "").strip()
    if not raw:
        yield
        return
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise SystemExit(f"HROMADA_TEST_NOW={raw!r} needs a UTC offset, e.g. +02:00")
    # The session's clock has ticked on since it set off (tests/conftest.py): catch up.
    since = os.environ.get(NOW_SINCE, "")
    if since:
        moment += timedelta(seconds=max(0.0, time.time() - float(since)))
    with time_machine.travel(moment, tick=True):
        yield


def plugins() -> tuple[str, ...]:
    from core.config import builtin_plugins

    chosen = os.environ.get("HROMADA_TEST_PLUGINS", "")
    return tuple(p.strip() for p in chosen.split(",") if p.strip()) or builtin_plugins()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--citizens", type=int, default=60, help="demo citizens per municipality")
    parser.add_argument("--smtp-port", type=int, default=0, help="send e-mail to this local port")
    parser.add_argument("--public-url", default="http://127.0.0.1:8000")
    parser.add_argument("--mail-dir", default="var/mail", help="e-mail as files (no SMTP port)")
    args = parser.parse_args(argv)
    with session_clock():
        import uvicorn

        from core import demo
        from core.api.app import create_app
        from core.cli import run
        from core.config import Settings
        from core.db.migrate import migrate
        from core.platform import Platform

        platform = Platform(
            Settings(
                database_url=args.database_url,
                plugins=plugins(),
                smtp_host="127.0.0.1" if args.smtp_port else "",
                smtp_port=args.smtp_port or 25,
                public_url=args.public_url,
                mail_dir=args.mail_dir,
                # The tests end sessions behind the server's back, as another process
                # would (``Server.expire_sessions``), and wait this long to see it.
                session_cache_seconds=SESSION_CACHE_SECONDS,
            )
        )
        platform.bind_database()
        run(migrate)
        run(lambda: demo.load(platform, citizens=args.citizens))
        print("demo loaded", flush=True)
        uvicorn.run(create_app(platform), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
