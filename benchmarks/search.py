"""Benchmark: citizen search and the lists at a city's scale, each beside its bare SQL.

Generates a city in a fresh schema (``benchmarks.city``: streamed inside the database,
then analysed): on PostgreSQL 1,000,000 citizens, 1,000,000 requests, 10,000,000
deliveries and 1,000,000 audit rows by default; on SQLite a hromada, 50,000 citizens and
requests, 500,000 deliveries, 100,000 audit rows. Then, through the real application
in-process (httpx over ASGI, signed in through the sign-in form as an admin, the session
cookie kept), it times each case interleaved with its **bare reference**: the statements
the case cannot do without (the count up to its bound and the page, in the same shape),
run straight on the engine with the same parameters. Every round runs every case once,
Hromada then bare, with fresh random parameters (a surname, a tax number, a birth date,
a cursor at a random depth), so a slower moment of a shared machine touches each alike.

Cases: citizen search by a surname, by a surname and a first name, by a fragment of four
letters, by tax number and by birth date; the desk's search page with a typo (the close
match); the citizens by name after a cursor; requests (first page, the deepest page by
number, after a cursor, one status and service); deliveries (first page, after a cursor,
one contract, one contract after a cursor); the audit log's reads of citizens (first page,
after a cursor: every read of the audit log names the citizens its rows name, earlier
reads of the log among them, so the newest rows of a log read a thousand times here name
every citizen the run touched and measure that, not the list); providers; the desk's
work queue (first page, one service overdue, every status after a cursor). And, as the
reason for the change, the old statements alone: an exact count with the page at
``OFFSET`` 9,950 and at 499,950.

    python -m benchmarks.search                  # PostgreSQL; resets the public schema
                                                 # of --postgres-url (default: h_bench)
    python -m benchmarks.search --engine sqlite  # a file in a temporary folder
    python -m benchmarks.search --quick          # small sizes, 30 rounds: about a minute
    python -m benchmarks.search --reuse          # measure again on the data loaded before

It prints p50 and p95 of each (ms), the ratio of the p50s, and the peak memory.
Targets and figures: docs/performance.md, "Search and lists at a city's scale".
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec

from benchmarks import city
from benchmarks.desk import _reset_postgres
from core import clock
from core.config import Settings, builtin_plugins
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.db.paging import COUNT_LIMIT, WALK_LIMIT
from core.platform import Platform

PASSWORD = "bench search password"
SLUG = "bench-city"
OFFICES = ("ЦНАП Центр", "ЦНАП Північ", "ЦНАП Південь", "Віддалене місце Дубове", "Бек-офіс")
Params = dict[str, Any]
Call = Callable[[Params], Awaitable[Any]]


@dataclass(frozen=True)
class Case:
    name: str
    pick: Callable[[random.Random], Params]
    hromada: Call | None
    bare: Call


async def _scaffold(platform: Platform) -> city.Scaffold:
    from core.db.tables import Municipality, Office, User
    from core.workflow import users

    muni = Municipality(
        slug=SLUG,
        name_uk="Місто",
        name_en="City",
        settlements='["Місто"]',
        enabled_plugins=msgspec.json.encode(list(platform.host.plugins)).decode(),
    )
    await muni.save()
    offices = []
    for name in OFFICES:
        office = Office(municipality=muni.id, name=name, kind="front_office", settlement="Місто")
        await office.save()
        offices.append(int(office.id))
    user = User(
        municipality=muni.id,
        username="bench.admin",
        password_hash=users.hash_password(PASSWORD),
        role="admin",
        full_name="Бенч Адмін",
    )
    await user.save()
    services = sorted(s.code for s in await platform.services(int(muni.id)))
    return city.Scaffold(int(muni.id), int(user.id), offices, services)


async def _existing(platform: Platform) -> city.Scaffold:
    from core.db.tables import Municipality, Office, User

    muni = await Municipality.select().where(Municipality.slug == SLUG).first()
    if muni is None:
        raise SystemExit("--reuse: no city loaded here; run without --reuse first")
    offices = await Office.select(Office.id).where(Office.municipality == muni["id"])
    user = await User.select(User.id).where(User.username == "bench.admin").first()
    assert user is not None
    services = sorted(s.code for s in await platform.services(int(muni["id"])))
    return city.Scaffold(muni["id"], user["id"], [o["id"] for o in offices], services)


async def _sizes_loaded() -> city.Sizes:
    from core.db.tables import Citizen

    rows = await Citizen.raw(
        " UNION ALL ".join(
            f"SELECT '{t}' AS t, MAX(id) AS n FROM {t}"
            for t in ("citizen", "request", "delivery", "audit_log")
        )
    )
    got = {r["t"]: int(r["n"] or 0) for r in rows}
    return city.Sizes(got["citizen"], got["request"], got["delivery"], got["audit_log"])


def _quantiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def _typo(rng: random.Random, word: str) -> str:
    """The word with one letter (not the first) replaced by a neighbour's or doubled."""
    i = rng.randrange(1, len(word))
    if rng.random() < 0.5:
        return word[:i] + word[i] + word[i:]
    return word[:i] + "аеиоу"[rng.randrange(5)] + word[i + 1 :]


def _cases(
    client: httpx.AsyncClient, s: city.Scaffold, sizes: city.Sizes, postgres: bool
) -> list[Case]:
    from core.db.tables import Citizen
    from core.workflow import lifecycle
    from core.workflow.citizen_search import (
        CANDIDATES,
        CLOSE_WORDS,
        ORDER,
        SCAN_LIMIT,
        SIMILARITY,
        SQLITE_CLOSE_WORDS,
    )
    from core.workflow.requests import BY_DUE_DATE, NEWEST

    muni = s.municipality
    today = clock.today()
    bound = COUNT_LIMIT + 1

    async def get(path: str, params: Params | None = None) -> None:
        answer = await client.get(path, params=params)
        assert answer.status_code == 200, (path, params, answer.status_code, answer.text[:300])

    async def raw(sql: str, *args: Any) -> Any:
        return await Citizen.raw(sql, *args)

    async def count_and_page(
        table: str, where: str, args: list[Any], order: str, size: int, offset: int = 0
    ) -> None:
        await raw(
            f"SELECT COUNT(*) AS n FROM (SELECT id FROM {table} WHERE {where} LIMIT {bound}) c",
            *args,
        )
        tail = f" OFFSET {offset}" if offset else ""
        await raw(
            f"SELECT * FROM {table} WHERE {where} ORDER BY {order} LIMIT {size + 1}{tail}",
            *args,
        )

    async def exact_and_page(
        table: str, where: str, args: list[Any], order: str, size: int, offset: int
    ) -> None:
        await raw(f"SELECT COUNT(*) AS n FROM {table} WHERE {where}", *args)
        await raw(
            f"SELECT * FROM {table} WHERE {where} ORDER BY {order} LIMIT {size} OFFSET {offset}",
            *args,
        )

    name_order = "last_name, first_name, id"
    like = "search_name LIKE {} ESCAPE '!'"

    def surname(rng: random.Random) -> Params:
        return {"q": rng.choice(city.SURNAMES)}

    def surname_first(rng: random.Random) -> Params:
        return {"q": f"{rng.choice(city.SURNAMES)} {rng.choice(city.FIRST)}"}

    def fragment(rng: random.Random) -> Params:
        name = rng.choice(city.SURNAMES).lower()
        start = rng.randrange(max(1, len(name) - 3))
        return {"q": name[start : start + 4]}

    def tax(rng: random.Random) -> Params:
        return {"tax_number": str(2_000_000_000 + rng.randrange(sizes.citizens) + 1)}

    def born(rng: random.Random) -> Params:
        return {"birth_date": (date(1930, 1, 1) + timedelta(days=rng.randrange(32000))).isoformat()}

    def typo(rng: random.Random) -> Params:
        return {"q": _typo(rng, rng.choice(city.SURNAMES))}

    def holds(word: str) -> str:
        """A word of the name, as Hromada looks it up (SQLite: in the trigram table)."""
        if postgres or len(word) < 3:
            return like
        return "id IN (SELECT rowid FROM citizen_name_fts WHERE search_name LIKE {})"

    async def bare_words(p: Params) -> None:
        """The count, then the page as Hromada reads it (core.db.paging.read's loose):
        a few matches sorted apart from the name index; more, for one word on PostgreSQL,
        merged from the entries of the words holding it; else a walk of 20,000 rows."""
        words = p["q"].lower().split()
        led = max(words, key=len)
        where = " AND ".join(
            [f"municipality = {muni}"] + [holds(w) if w is led else like for w in words]
        )
        args = [f"%{w}%" for w in words]
        counted = await raw(
            f"SELECT COUNT(*) AS n FROM (SELECT id FROM citizen WHERE {where} LIMIT {bound}) c",
            *args,
        )
        if counted[0]["n"] > COUNT_LIMIT and postgres and len(words) == 1:
            await raw(
                "SELECT c.* FROM (SELECT DISTINCT e.last_name, e.first_name, e.citizen "
                "FROM citizen_name_word AS w CROSS JOIN LATERAL (SELECT e.last_name, "
                "e.first_name, e.citizen FROM citizen_name_entry AS e WHERE e.municipality "
                "= w.municipality AND e.word = w.word ORDER BY e.last_name, e.first_name, "
                f"e.citizen LIMIT 51) AS e WHERE w.municipality = {muni} AND w.word LIKE {{}} "
                "ESCAPE '!' ORDER BY 1, 2, 3 LIMIT 51) AS p JOIN citizen AS c ON c.id = "
                "p.citizen ORDER BY c.last_name, c.first_name, c.id",
                *args,
            )
            return
        if counted[0]["n"] > COUNT_LIMIT:
            walked = await raw(
                f"WITH walked AS MATERIALIZED (SELECT * FROM citizen WHERE municipality = "
                f"{muni} ORDER BY {name_order} LIMIT {WALK_LIMIT}) SELECT * FROM walked "
                f"WHERE {where} ORDER BY {name_order} LIMIT 51",
                *args,
            )
            if len(walked) == 51:
                return
        await raw(
            f"WITH found AS MATERIALIZED (SELECT * FROM citizen WHERE {where}) "
            f"SELECT * FROM found ORDER BY {name_order} LIMIT 51",
            *args,
        )

    async def bare_typo(p: Params) -> None:
        """The exact search finding nothing, then the close match's statements: the close
        words of the names, and the names holding the closest of them."""
        word = p["q"].lower()
        await bare_words(p)
        if postgres:
            async with Citizen._meta.db.transaction():
                await raw(
                    "SELECT set_config('pg_trgm.similarity_threshold', {}, true)",
                    str(SIMILARITY),
                )
                close = await raw(
                    f"SELECT word FROM citizen_name_word WHERE municipality = {muni} "
                    f"AND word % {{}} ORDER BY similarity(word, {{}}) DESC, word "
                    f"LIMIT {CLOSE_WORDS}",
                    word,
                    word,
                )
            if close:
                await raw(
                    f"WITH found AS MATERIALIZED (SELECT * FROM citizen WHERE municipality = "
                    f"{muni} AND {like} LIMIT {SCAN_LIMIT}) SELECT * FROM found "
                    f"ORDER BY {name_order} LIMIT {CANDIDATES}",
                    f"%{close[0]['word']}%",
                )
        else:
            pieces = " OR ".join(f'"{word[i : i + 3]}"' for i in range(len(word) - 2))
            close = await raw(
                "SELECT w.word FROM citizen_name_word_fts AS f JOIN citizen_name_word AS w "
                "ON w.rowid = f.rowid WHERE citizen_name_word_fts MATCH {} AND "
                f"w.municipality = {muni} ORDER BY f.rank LIMIT {SQLITE_CLOSE_WORDS}",
                pieces,
            )
            if close:
                await raw(
                    f"WITH found AS MATERIALIZED (SELECT * FROM citizen WHERE municipality = "
                    f"{muni} AND id IN (SELECT rowid FROM citizen_name_fts WHERE "
                    f"citizen_name_fts MATCH {{}}) LIMIT {SCAN_LIMIT}) SELECT * FROM found "
                    f"ORDER BY {name_order} LIMIT {CANDIDATES}",
                    f'"{close[0]["word"]}"',
                )

    def name_cursor(rng: random.Random) -> Params:
        row: dict[str, Any] = {
            "last_name": rng.choice(city.SURNAMES),
            "first_name": rng.choice(city.FIRST),
            "id": rng.randrange(sizes.citizens) + 1,
        }
        return {"after": ORDER.cursor(row), "row": row}

    def request_cursor(rng: random.Random) -> Params:
        row = {"id": rng.randrange(sizes.requests) + 1}
        return {"after": NEWEST.cursor(row), "row": row}

    def queue_cursor(rng: random.Random) -> Params:
        row = {
            "due_date": today - timedelta(days=rng.randrange(700)),
            "id": rng.randrange(sizes.requests),
        }
        return {"after": BY_DUE_DATE.cursor(row), "row": row, "status": ""}

    def delivery_cursor(rng: random.Random) -> Params:
        from core.workflow.market.deliveries import ORDER as DELIVERIES

        row = {"id": rng.randrange(sizes.deliveries) + 1}
        return {"after": DELIVERIES.cursor(row), "row": row}

    def audit_cursor(rng: random.Random) -> Params:
        from core.api.administration import AUDIT_ORDER

        row = {"id": rng.randrange(sizes.audit) + 1}
        return {"after": AUDIT_ORDER.cursor(row), "row": row}

    def contract(rng: random.Random) -> Params:
        return {"contract_id": rng.randrange(city.CONTRACTS) + 1}

    def contract_after(rng: random.Random) -> Params:
        from core.workflow.market.deliveries import ORDER as DELIVERIES

        row = {"id": rng.randrange(sizes.deliveries) + 1}
        return {
            "contract_id": rng.randrange(city.CONTRACTS) + 1,
            "after": DELIVERIES.cursor(row),
            "row": row,
        }

    def service(rng: random.Random) -> Params:
        return {"service": rng.choice(list(s.services))}

    def nothing(rng: random.Random) -> Params:
        return {}

    api_params = ("q", "tax_number", "birth_date", "after", "contract_id", "service", "status")

    def api(path: str, **fixed: Any) -> Call:
        async def call(p: Params) -> None:
            await get(path, {**{k: v for k, v in p.items() if k in api_params}, **fixed})

        return call

    m = f"municipality = {muni}"
    open_statuses = "(" + ", ".join(f"'{x}'" for x in sorted(lifecycle.OPEN)) + ")"
    cases = [
        Case("citizens ?q=<surname>", surname, api("/api/citizens"), bare_words),
        Case("citizens ?q=<surname> <first name>", surname_first, api("/api/citizens"), bare_words),
        Case("citizens ?q=<4 letters of a surname>", fragment, api("/api/citizens"), bare_words),
        Case(
            "citizens ?tax_number=",
            tax,
            api("/api/citizens"),
            lambda p: count_and_page(
                "citizen", f"{m} AND tax_number = {{}}", [p["tax_number"]], name_order, 50
            ),
        ),
        Case(
            "citizens ?birth_date=",
            born,
            api("/api/citizens"),
            lambda p: count_and_page(
                "citizen",
                f"{m} AND birth_date = {{}}",
                [date.fromisoformat(p["birth_date"])],
                name_order,
                50,
            ),
        ),
        Case(
            "desk search page, a typo (close match)",
            typo,
            api("/desk/front-office/citizens"),
            bare_typo,
        ),
        Case(
            "citizens by name ?after=<random>",
            name_cursor,
            api("/api/citizens"),
            lambda p: count_and_page(
                "citizen",
                f"{m} AND (last_name, first_name, id) > ({{}}, {{}}, {{}})",
                [p["row"]["last_name"], p["row"]["first_name"], p["row"]["id"]],
                name_order,
                50,
            ),
        ),
        Case(
            "requests ?page=1",
            nothing,
            api("/api/requests"),
            lambda p: count_and_page("request", m, [], "id DESC", 50),
        ),
        Case(
            "requests ?page=200 (OFFSET 9,950)",
            nothing,
            api("/api/requests", page=200),
            lambda p: count_and_page("request", m, [], "id DESC", 50, offset=9950),
        ),
        Case(
            "requests ?after=<random>",
            request_cursor,
            api("/api/requests"),
            lambda p: count_and_page(
                "request", f"{m} AND id < {{}}", [p["row"]["id"]], "id DESC", 50
            ),
        ),
        Case(
            "requests ?status=submitted&service=",
            service,
            api("/api/requests", status="submitted"),
            lambda p: count_and_page(
                "request",
                f"{m} AND status = 'submitted' AND service_code = {{}}",
                [p["service"]],
                "id DESC",
                50,
            ),
        ),
        Case(
            "deliveries ?page=1",
            nothing,
            api("/api/deliveries"),
            lambda p: count_and_page("delivery", m, [], "id", 100),
        ),
        Case(
            "deliveries ?after=<random>",
            delivery_cursor,
            api("/api/deliveries"),
            lambda p: count_and_page("delivery", f"{m} AND id > {{}}", [p["row"]["id"]], "id", 100),
        ),
        Case(
            "deliveries ?contract_id=",
            contract,
            api("/api/deliveries"),
            lambda p: count_and_page(
                "delivery", f"{m} AND contract = {{}}", [p["contract_id"]], "id", 100
            ),
        ),
        Case(
            "deliveries ?contract_id=&after=<random>",
            contract_after,
            api("/api/deliveries"),
            lambda p: count_and_page(
                "delivery",
                f"{m} AND contract = {{}} AND id > {{}}",
                [p["contract_id"], p["row"]["id"]],
                "id",
                100,
            ),
        ),
        Case(
            "audit ?action=citizen.read",
            nothing,
            api("/api/audit", action="citizen.read"),
            lambda p: count_and_page(
                "audit_log", f"{m} AND action = 'citizen.read'", [], "id DESC", 100
            ),
        ),
        Case(
            "audit ?action=citizen.read&after=<random>",
            audit_cursor,
            api("/api/audit", action="citizen.read"),
            lambda p: count_and_page(
                "audit_log",
                f"{m} AND action = 'citizen.read' AND id < {{}}",
                [p["row"]["id"]],
                "id DESC",
                100,
            ),
        ),
        Case(
            "providers ?page=1",
            nothing,
            api("/api/providers"),
            lambda p: count_and_page("provider", m, [], "name, id", 50),
        ),
        Case(
            "work queue, first page",
            nothing,
            api("/desk/requests"),
            lambda p: count_and_page(
                "request", f"{m} AND status = 'submitted'", [], "due_date, id", 25
            ),
        ),
        Case(
            "work queue, one service, overdue",
            service,
            api("/desk/requests", overdue="1"),
            lambda p: count_and_page(
                "request",
                f"{m} AND service_code = {{}} AND status IN {open_statuses} AND due_date < {{}}",
                [p["service"], today],
                "due_date, id",
                25,
            ),
        ),
        Case(
            "work queue, every status, ?after=<random>",
            queue_cursor,
            api("/desk/requests"),
            lambda p: count_and_page(
                "request",
                f"{m} AND (due_date, id) > ({{}}, {{}})",
                [p["row"]["due_date"], p["row"]["id"]],
                "due_date, id",
                25,
            ),
        ),
        Case(
            "old: requests, exact count + OFFSET 9,950",
            nothing,
            None,
            lambda p: exact_and_page("request", m, [], "id DESC", 50, 9950),
        ),
        Case(
            "old: requests, exact count + OFFSET 499,950",
            nothing,
            None,
            lambda p: exact_and_page(
                "request", m, [], "id DESC", 50, min(499_950, max(0, sizes.requests - 50))
            ),
        ),
    ]
    return cases


async def _measure(cases: list[Case], rounds: int, warmup: int) -> None:
    rng = random.Random(15)
    times: dict[str, tuple[list[float], list[float]]] = {c.name: ([], []) for c in cases}
    for n in range(warmup + rounds):
        for case in cases:
            params = case.pick(rng)
            runs = [(0, case.hromada), (1, case.bare)]
            for slot, call in runs:
                if call is None:
                    continue
                t0 = time.perf_counter()
                await call(params)
                if n >= warmup:
                    times[case.name][slot].append((time.perf_counter() - t0) * 1000)
    print(f"{rounds} rounds after {warmup} warm-up rounds; ms")
    print(f"{'case':46} {'p50':>8} {'p95':>8} {'bare p50':>9} {'bare p95':>9} {'ratio':>6}")
    for case in cases:
        own, bare = times[case.name]
        b50, b95 = _quantiles(bare)
        if own:
            h50, h95 = _quantiles(own)
            print(f"{case.name:46} {h50:8.1f} {h95:8.1f} {b50:9.1f} {b95:9.1f} {h50 / b50:6.1f}")
        else:
            print(f"{case.name:46} {'':8} {'':8} {b50:9.1f} {b95:9.1f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/h_bench",
        help="a PostgreSQL database whose public schema is DROPPED and recreated",
    )
    parser.add_argument("--citizens", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--deliveries", type=int)
    parser.add_argument("--audit", type=int)
    parser.add_argument("--rounds", type=int, default=100, help="timed rounds of every case")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes and 30 rounds")
    parser.add_argument("--reuse", action="store_true", help="measure the data loaded before")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    postgres = args.engine == "postgres"
    if args.quick:
        default = city.Sizes(20_000, 20_000, 100_000, 20_000)
        args.rounds = min(args.rounds, 30)
    elif postgres:
        default = city.Sizes(1_000_000, 1_000_000, 10_000_000, 1_000_000)
    else:
        default = city.Sizes(50_000, 50_000, 500_000, 100_000)
    sizes = city.Sizes(
        args.citizens or default.citizens,
        args.requests or default.requests,
        args.deliveries or default.deliveries,
        args.audit or default.audit,
    )
    tmp = tempfile.TemporaryDirectory(prefix="hromada-bench-")
    if postgres:
        url = args.postgres_url
        if not args.reuse:
            await _reset_postgres(url)
    else:
        if args.reuse:
            raise SystemExit("--reuse needs PostgreSQL (the SQLite file is temporary)")
        url = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    try:
        platform = Platform(Settings(database_url=url, plugins=builtin_plugins()))
        platform.bind_database()
        db = db_engine.engine()
        await db_engine.start(db)
        if args.reuse:
            await migrate()  # what was added since the data was loaded
            scaffold = await _existing(platform)
            sizes = await _sizes_loaded()
            print(f"engine: {type(db).__name__}; reusing {sizes}")
        else:
            await migrate()
            started = time.perf_counter()
            scaffold = await _scaffold(platform)
            if postgres:
                await city.load_postgres(url, scaffold, sizes, clock.today(), clock.now())
            else:
                city.load_sqlite(
                    url.removeprefix("sqlite:///"), scaffold, sizes, clock.today(), clock.now()
                )
            print(
                f"engine: {type(db).__name__}; {sizes.citizens:,} citizens, "
                f"{sizes.requests:,} requests, {sizes.deliveries:,} deliveries, "
                f"{sizes.audit:,} audit rows generated and analysed in "
                f"{time.perf_counter() - started:.1f} s"
            )
        from core.api.app import create_app

        app = create_app(platform)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://testserver",
            headers={"Accept": "application/json"},
        ) as client:
            page = await client.get("/sign-in", headers={"Accept": "text/html"})
            token = page.text.split('name="_csrf" value="', 1)[1][:64]
            signed = await client.post(
                "/sign-in",
                data={"username": "bench.admin", "password": PASSWORD, "_csrf": token},
                headers={"Accept": "text/html"},
            )
            assert signed.status_code == 303, signed.text[:500]
            await _measure(_cases(client, scaffold, sizes, postgres), args.rounds, args.warmup)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory: {peak:.0f} MB RSS for the whole process, generation included")
        await db_engine.stop(db)
    finally:
        tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
