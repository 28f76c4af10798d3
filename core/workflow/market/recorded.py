"""What is already recorded for a delivery's person (``ctx.recorded`` of a delivery check)
and the person locks that make a cap computed from it hold.

A delivery is recorded inside one transaction that first locks its person, then runs the
service's checks, then takes the contract's caps and stores the row: two deliveries for
the same person (under any contracts) are checked one after the other, each seeing the
other's row once it is committed. The lock order, person before contract, is the same in
the single and the batch path, so neither can deadlock the other.

On PostgreSQL the lock is a transaction-scoped advisory lock on the person's bucket (the
citizen's id modulo :data:`BUCKETS`; a request with no citizen locks its own bucket in a
second namespace): a batch of 20,000 households takes at most :data:`BUCKETS` locks, far
below the server's lock table, and two people who share a bucket only wait for each other.
On SQLite a write transaction is ``IMMEDIATE``, which already serialises every writer.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from piccolo.engine.sqlite import SQLiteEngine

from core.db.engine import engine
from core.db.market import Delivery
from core.service import Period

#: Buckets of the person locks (see the module's docstring).
BUCKETS = 1024
_CITIZEN_LOCKS = 7301
_REQUEST_LOCKS = 7302

#: A person: ("citizen", id) or, for a request with no citizen, ("request", id).
Person = tuple[str, int]


def person_of(citizen_id: int | None, request_id: int) -> Person:
    return ("citizen", citizen_id) if citizen_id is not None else ("request", request_id)


def bounds(period: Period, on: date) -> tuple[date, date]:
    """The first and last day of the period holding ``on``."""
    if period == "day":
        return on, on
    if period == "week":
        start = on - timedelta(days=on.weekday())
        return start, start + timedelta(days=6)
    if period == "month":
        return on.replace(day=1), on.replace(day=calendar.monthrange(on.year, on.month)[1])
    if period == "year":
        return date(on.year, 1, 1), date(on.year, 12, 31)
    raise ValueError(f"unknown period {period!r}: day, week, month or year")


async def lock_persons(persons: Iterable[Person]) -> None:
    """Inside a write transaction: lock the persons' buckets, in one order for everyone."""
    if isinstance(engine(), SQLiteEngine):
        return
    keys = sorted(
        {
            (_CITIZEN_LOCKS if kind == "citizen" else _REQUEST_LOCKS, i % BUCKETS)
            for kind, i in persons
        }
    )
    if not keys:
        return
    await Delivery.raw(
        "SELECT count(pg_advisory_xact_lock(k.space, k.bucket)) FROM ("
        "SELECT space, bucket FROM unnest({}::int[], {}::int[]) AS u(space, bucket) "
        "ORDER BY space, bucket) AS k",
        [k[0] for k in keys],
        [k[1] for k in keys],
    )


class Tally:
    """The deliveries a batch has accepted so far, which its later checks must count."""

    def __init__(self) -> None:
        self._rows: dict[Person, list[tuple[str, date, int]]] = defaultdict(list)

    def add(self, person: Person, service_code: str, on: date, quantity_milli: int) -> None:
        self._rows[person].append((service_code, on, quantity_milli))

    def of(self, person: Person, codes: Sequence[str], first: date, last: date) -> list[int]:
        return [
            q for code, on, q in self._rows.get(person, ()) if code in codes and first <= on <= last
        ]


class RecordedFor:
    """``ctx.recorded`` of one delivery: :class:`core.service.Recorded` read from the
    ``delivery`` table (plus a batch's accepted deliveries)."""

    def __init__(
        self,
        municipality_id: int,
        service_code: str,
        person: Person,
        on: date,
        tally: Tally | None = None,
    ) -> None:
        self._municipality = municipality_id
        self._service = service_code
        self._person = person
        self._on = on
        self._tally = tally

    async def _sum(self, period: Period, services: Sequence[str] | None) -> tuple[int, int]:
        first, last = bounds(period, self._on)
        codes = list(services) if services else [self._service]
        kind, person_id = self._person
        whose = (
            "request IN (SELECT id FROM request WHERE citizen = {} AND municipality = {})"
            if kind == "citizen"
            else "request = {} AND municipality = {}"
        )
        marks = ", ".join("{}" for _ in codes)
        rows = await Delivery.raw(
            "SELECT COALESCE(SUM(quantity_milli), 0) AS milli, COUNT(*) AS n FROM delivery "
            f"WHERE {whose} AND status = 'recorded' AND service_code IN ({marks}) "
            "AND delivered_on BETWEEN {} AND {}",
            person_id,
            self._municipality,
            *codes,
            first,
            last,
        )
        milli, n = int(rows[0]["milli"]), int(rows[0]["n"])
        if self._tally is not None:
            extra = self._tally.of(self._person, codes, first, last)
            milli, n = milli + sum(extra), n + len(extra)
        return milli, n

    async def quantity(
        self, period: Period = "month", *, services: Sequence[str] | None = None
    ) -> Decimal:
        milli, _ = await self._sum(period, services)
        return Decimal(milli) / 1000

    async def count(
        self, period: Period = "month", *, services: Sequence[str] | None = None
    ) -> int:
        _, n = await self._sum(period, services)
        return n
