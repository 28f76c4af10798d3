"""Run a request again when the database rolled its transaction back to break a race.

PostgreSQL breaks a deadlock by aborting one of the waiting transactions (SQLSTATE
``40P01``) and aborts a transaction it cannot serialise (``40001``). The transaction was
rolled back as a whole, so the request can simply run again: the client should not see a
500 for a race it did not cause. The money path takes its row locks in one order (see
docs/marketplace.md#lock-order), so these errors should be rare; this is the safety net.

How it works: :class:`RetryMiddleware` wraps the whole application (outside Litestar's
exception handling). The exception handler of these errors (``core.api.errors``) marks
the request's scope with :func:`mark_retryable` and answers 503. When the middleware sees
that answer start on a marked scope, it swallows it, waits a short jittered moment and
runs the request again: with a fresh copy of the scope (Litestar keeps per-request
caches in ``scope["state"]``) and the request body replayed from what the first attempt
read. After :data:`RETRIES` retries the 503 goes out, with ``Retry-After``. A response
that has begun is never retried.

A request whose use case commits several transactions (the subsidy pay run: one per
household) re-runs the ones committed before the failure; such use cases are idempotent.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any, cast

from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

log = logging.getLogger("hromada.api")

#: How many times a request is run again after a deadlock or serialization failure.
RETRIES = 3
#: The first pause before a retry, in seconds; it doubles with each retry, ±50 % jitter.
DELAY = 0.02
#: The scope-state key the error handler sets (to the error's class name).
MARK = "hromada.retryable"


def mark_retryable(scope: Scope, exc: BaseException) -> None:
    """Tell :class:`RetryMiddleware` that this request failed on a race and may run again."""
    scope.setdefault("state", {})[MARK] = type(exc).__name__


class _Body:
    """The request's ``receive``, recorded so that every attempt reads the same body."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._seen: list[ReceiveMessage] = []

    def replay(self) -> Receive:
        position = 0

        async def receive() -> ReceiveMessage:
            nonlocal position
            if position < len(self._seen):
                message = self._seen[position]
            else:
                message = await self._receive()
                self._seen.append(message)
            position += 1
            return message

        return receive


class _Attempt:
    """One run of the request: its own scope, and a ``send`` that holds back a marked 503."""

    def __init__(self, scope: Scope, state: dict[str, Any], send: Send, last: bool) -> None:
        self.scope = cast("Scope", {**scope, "state": dict(state)})
        self._send = send
        self._last = last
        self.retry = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start" and not self._last:
            self.retry = MARK in self.scope["state"]
        if not self.retry:
            await self._send(message)

    @property
    def error(self) -> str:
        return str(self.scope["state"].get(MARK, ""))


class RetryMiddleware:
    """Retry a request that failed on a deadlock or a serialization failure (see above)."""

    def __init__(self, app: ASGIApp, retries: int = RETRIES, delay: float = DELAY) -> None:
        self.app = app
        self.retries = retries
        self.delay = delay

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = dict(scope.get("state") or {})
        body = _Body(receive)
        for retry in range(self.retries + 1):
            attempt = _Attempt(scope, state, send, last=retry == self.retries)
            await self.app(attempt.scope, body.replay(), attempt.send)
            if not attempt.retry:
                if attempt.error:
                    log.error(
                        "%s on %s %s: %d retries spent, answered 503",
                        attempt.error,
                        scope.get("method", ""),
                        scope.get("path", ""),
                        self.retries,
                    )
                return
            pause = self.delay * 2**retry * random.uniform(0.5, 1.5)
            log.warning(
                "%s on %s %s: retry %d of %d in %.0f ms",
                attempt.error,
                scope.get("method", ""),
                scope.get("path", ""),
                retry + 1,
                self.retries,
                pause * 1000,
            )
            await asyncio.sleep(pause)
