"""A city's people, requests, deliveries and audit log, generated inside the database.

Every row is made by ``INSERT ... SELECT`` over a number series (PostgreSQL:
``generate_series``; SQLite: a recursive ``WITH``), so a million citizens or ten million
deliveries stream from the database's own executor and never pass through Python. The
values come from integer hashes of the row number (no random state, the same on both
engines), joined to small tables of names, services, offices and months written first.

- **Citizens**: a surname of 720 (60 stems × 12 endings), skewed so that the commonest
  dozen are about 1 % of the people each and the median one about 0.07 %; one of 32 first
  names and 30 patronymics; a birth date in 1930–2017 (some 31 people share a day); a
  unique ten-digit tax number.
- **Requests**: over the enabled services and the offices, 30 % submitted (received in
  the last 60 days, due 10, 14 or 30 days later: about two thirds of them overdue), the
  rest approved, assigned, refused, withdrawn or closed over the two years before.
- **Deliveries**: 50 providers, 500 contracts, an assignment per tenth request (at most
  100,000), the deliveries spread over the assignments and the last 12 months in the
  contracts' monthly sheets, every 97th voided.
- **Audit log**: reads and searches of citizens and requests.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import asyncpg

STEMS = [
    "Шевч",
    "Коваль",
    "Бонд",
    "Ткач",
    "Кравч",
    "Олійн",
    "Лис",
    "Мельн",
    "Бойч",
    "Гончар",
    "Пономар",
    "Руд",
    "Савч",
    "Петр",
    "Івах",
    "Марч",
    "Федор",
    "Кузьм",
    "Гриц",
    "Остап",
    "Климч",
    "Левч",
    "Мороз",
    "Павл",
    "Романч",
    "Семен",
    "Тарас",
    "Юрч",
    "Яким",
    "Дмитр",
    "Гнат",
    "Заїч",
    "Білик",
    "Вовч",
    "Гаврил",
    "Дорош",
    "Єрем",
    "Жук",
    "Зінч",
    "Кирил",
    "Лук",
    "Макс",
    "Нест",
    "Онищ",
    "Прокоп",
    "Сидор",
    "Тимч",
    "Устим",
    "Фесь",
    "Харч",
    "Цимб",
    "Чорн",
    "Шапов",
    "Щерб",
    "Юхим",
    "Ярем",
    "Ґудз",
    "Їжак",
    "Мирон",
    "Стась",
]
ENDINGS = ("енко", "ук", "ишин", "ів", "ець", "ак", "ан", "ович", "ий", "ко", "няк", "ута")
FIRST = [
    "Олена",
    "Петро",
    "Марія",
    "Іван",
    "Оксана",
    "Андрій",
    "Наталія",
    "Василь",
    "Ірина",
    "Богдан",
    "Тетяна",
    "Микола",
    "Світлана",
    "Юрій",
    "Галина",
    "Тарас",
    "Людмила",
    "Олег",
    "Ганна",
    "Степан",
    "Катерина",
    "Дмитро",
    "Юлія",
    "Ігор",
    "Лариса",
    "Роман",
    "Софія",
    "Максим",
    "Віра",
    "Григорій",
    "Надія",
    "Євген",
]
PATRONYMIC = [
    "Петрівна",
    "Іванович",
    "Миколаївна",
    "Васильович",
    "Андріївна",
    "Степанович",
    "Олегівна",
    "Юрійович",
    "Богданівна",
    "Тарасович",
    "Романівна",
    "Дмитрович",
    "Ігорівна",
    "Григорович",
    "Максимівна",
    "Євгенович",
    "Олексіївна",
    "Сергійович",
    "Володимирівна",
    "Михайлович",
    "Віталіївна",
    "Анатолійович",
    "Леонідівна",
    "Федорович",
    "Павлівна",
    "Ярославович",
    "Василівна",
    "Олександрович",
    "Ростиславівна",
    "Захарович",
]
SURNAMES = tuple(stem + ending for stem in STEMS for ending in ENDINGS)
#: Odd multipliers of the row-number hashes (one per independent choice).
_MIX = (1103515245, 2654435761, 40503, 69069, 134775813, 22695477, 1664525, 214013)
_PRIME = 2147483647
PROVIDERS = 50
CONTRACTS = 500
MONTHS = 12


def mix(k: int, n: str = "g.n") -> str:
    """The k-th hash of the row number ``n``: an integer in 0..2**31-2."""
    return f"(({n} * {_MIX[k]} + {k * 7919 + 13}) % {_PRIME})"


@dataclass(frozen=True)
class Sizes:
    citizens: int
    requests: int
    deliveries: int
    audit: int

    @property
    def assignments(self) -> int:
        return max(1, min(100_000, self.requests // 10))


@dataclass(frozen=True)
class Dialect:
    """What differs between the engines in the generating statements."""

    postgres: bool

    def series(self, n: int) -> str:
        """A ``WITH`` naming the numbers 1..n as ``g(n)``."""
        if self.postgres:
            return f"WITH g(n) AS (SELECT generate_series(CAST(1 AS bigint), {n}))"
        return f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {n})"

    def days_after(self, day: str, expr: str) -> str:
        """The date ``expr`` days after ``day`` (an SQL date value)."""
        if self.postgres:
            return f"(CAST({day} AS date) + CAST({expr} AS integer))"
        return f"date({day}, ({expr}) || ' days')"

    def day(self, value: date) -> str:
        return f"'{value.isoformat()}'"

    def moment(self, value: datetime) -> str:
        return f"CAST('{value.isoformat()}' AS timestamptz)" if self.postgres else f"'{value}'"

    def at_nine(self, day: str) -> str:
        """The moment 09:00 UTC of a date."""
        if self.postgres:
            return f"CAST(({day}) || ' 09:00:00+00' AS timestamptz)"
        return f"(({day}) || ' 09:00:00+00:00')"

    def boolean(self, value: bool) -> str:
        return ("TRUE" if value else "FALSE") if self.postgres else ("1" if value else "0")


@dataclass(frozen=True)
class Scaffold:
    """The rows made through the ORM before the generation: the municipality, its user,
    offices and enabled services."""

    municipality: int
    user: int
    offices: Sequence[int]
    services: Sequence[str]


def statements(d: Dialect, s: Scaffold, sizes: Sizes, today: date, now: datetime) -> list[str]:
    """The generating statements, in order (lookup tables first, dropped last)."""
    muni, user, n_services = s.municipality, s.user, len(s.services)
    month_starts = []
    first = today.replace(day=1)
    for m in range(MONTHS):
        year, month = divmod(first.year * 12 + first.month - 1 - m, 12)
        month_starts.append((m, date(year, month + 1, 1)))
    lookups: list[tuple[str, list[tuple[int, str, str]]]] = [
        ("bench_surname", [(i, n, n.lower()) for i, n in enumerate(SURNAMES)]),
        ("bench_first", [(i, n, n.lower()) for i, n in enumerate(FIRST)]),
        ("bench_patronymic", [(i, n, n.lower()) for i, n in enumerate(PATRONYMIC)]),
        ("bench_service", [(i, c, c) for i, c in enumerate(s.services)]),
        ("bench_office", [(i, str(o), str(o)) for i, o in enumerate(s.offices)]),
        ("bench_month", [(m, start.isoformat(), f"{start:%Y-%m}") for m, start in month_starts]),
    ]
    out: list[str] = []
    for table, rows in lookups:
        out.append(f"CREATE TABLE {table} (i integer PRIMARY KEY, name text, low text)")
        values = ", ".join(f"({i}, '{a}', '{b}')" for i, a, b in rows)
        out.append(f"INSERT INTO {table} VALUES {values}")
    surnames, firsts, patronymics = len(SURNAMES), len(FIRST), len(PATRONYMIC)
    now_sql, today_sql = d.moment(now), d.day(today)
    out.append(
        f"""{d.series(sizes.citizens)}
INSERT INTO citizen (municipality, last_name, first_name, patronymic, search_name,
  birth_date, tax_number, gender, settlement, address, phone, email, categories,
  disability_group, household, created_at, updated_at)
SELECT {muni}, s.name, f.name, p.name, s.low || ' ' || f.low || ' ' || p.low,
  {d.days_after(d.day(date(1930, 1, 1)), f"{mix(4)} % 32000")},
  CAST(2000000000 + g.n AS text), '', 'Місто', 'вул. Лісова, ' || (1 + g.n % 200), '', '',
  '[]', NULL, NULL, {now_sql}, {now_sql}
FROM g
JOIN bench_surname s ON s.i = ({mix(0)} % {surnames}) * ({mix(1)} % {surnames}) / {surnames}
JOIN bench_first f ON f.i = {mix(2)} % {firsts}
JOIN bench_patronymic p ON p.i = {mix(3)} % {patronymics}"""
    )
    status = f"""CASE WHEN {mix(1)} % 100 < 30 THEN 'submitted'
    WHEN {mix(1)} % 100 < 45 THEN 'approved' WHEN {mix(1)} % 100 < 65 THEN 'assigned'
    WHEN {mix(1)} % 100 < 75 THEN 'refused' WHEN {mix(1)} % 100 < 80 THEN 'withdrawn'
    ELSE 'closed' END"""
    back = f"CASE WHEN {mix(1)} % 100 < 30 THEN {mix(2)} % 60 ELSE 60 + {mix(2)} % 670 END"
    received = d.days_after(today_sql, f"-({back})")
    term = f"CASE {mix(3)} % 3 WHEN 0 THEN 10 WHEN 1 THEN 14 ELSE 30 END"
    out.append(
        f"""{d.series(sizes.requests)}
INSERT INTO request (municipality, journal_number, service_code, citizen, channel, office,
  form, applicant_snapshot, findings, parameters_used, eligibility, subject_key, status,
  submitted_at, received_on, due_date, decided_at, decided_by, refusal_ground,
  decision_comment, decision_inputs, amount_kopiyky, created_by)
SELECT {muni}, 'Б-' || g.n, sv.name, 1 + {mix(0)} % {sizes.citizens}, 'front_office',
  CAST(o.name AS integer), '{{}}',
  '{{"last_name": "Заявник", "first_name": "Тестовий", "settlement": "Місто"}}',
  '[]', '[]', 'eligible', NULL, {status}, {d.at_nine(received)}, {received},
  {d.days_after(received, term)}, NULL, NULL, NULL, '', '{{}}', NULL, {user}
FROM g
JOIN bench_service sv ON sv.i = {mix(4)} % {n_services}
JOIN bench_office o ON o.i = {mix(5)} % {len(s.offices)}"""
    )
    true = d.boolean(True)
    out.append(
        f"""{d.series(PROVIDERS)}
INSERT INTO provider (id, municipality, name, kind, edrpou, tax_number, iban, address,
  phone, email, verified, verified_at, created_at)
SELECT g.n, {muni}, 'Надавач ' || g.n, 'ngo', CAST(30000000 + g.n AS text), NULL,
  'UA213223130000026007233566001', '', '', '', {true}, NULL, {now_sql} FROM g"""
    )
    out.append(
        f"""INSERT INTO budget_line (id, municipality, year, programme_code, economic_code, name,
  allocation_kop, committed_kop, lump_sum_services, created_at)
VALUES (1, {muni}, {today.year}, '0813242', '2730', 'Соціальне замовлення', 900000000000000,
  0, '[]', {now_sql})"""
    )
    out.append(
        f"""{d.series(CONTRACTS)}
INSERT INTO contract (id, municipality, number, provider, service_code, call, bid,
  period_start, period_end, tariff, volume_cap_milli, money_cap_kop, budget_line, capacity,
  area, status, used_milli, used_kop, signed_on, created_by, created_at)
SELECT g.n, {muni}, 'Д-' || g.n, 1 + (g.n - 1) % {PROVIDERS}, sv.name, NULL, NULL,
  {d.days_after(today_sql, "-400")}, {d.days_after(today_sql, "30")}, '{{}}',
  1000000000000, 100000000000, 1, 0, '[]', 'active', 0, 0, NULL, {user}, {now_sql}
FROM g JOIN bench_service sv ON sv.i = (g.n - 1) % {n_services}"""
    )
    this_month = f"{today:%Y-%m}"
    out.append(
        f"""{d.series(CONTRACTS * MONTHS)}
INSERT INTO delivery_sheet (id, municipality, contract, period, status, deliveries,
  created_at)
SELECT g.n, {muni}, 1 + (g.n - 1) / {MONTHS}, m.low,
  CASE WHEN m.low = '{this_month}' THEN 'open' ELSE 'invoiced' END, 0, {now_sql}
FROM g JOIN bench_month m ON m.i = (g.n - 1) % {MONTHS}"""
    )
    spacing = max(1, sizes.requests // sizes.assignments)
    out.append(
        f"""{d.series(sizes.assignments)}
INSERT INTO assignment (id, municipality, request, contract, active, assigned_by,
  assigned_at, ended_at)
SELECT g.n, {muni}, g.n * {spacing}, 1 + (g.n - 1) % {CONTRACTS}, {true}, {user}, {now_sql}, NULL
FROM g"""
    )
    a = f"(1 + {mix(0)} % {sizes.assignments})"
    contract = f"(1 + ({a} - 1) % {CONTRACTS})"
    back = f"({mix(1)} % {MONTHS})"
    out.append(
        f"""{d.series(sizes.deliveries)}
INSERT INTO delivery (municipality, contract, sheet, assignment, request, provider,
  service_code, delivered_on, data, quantity_milli, amount_kop, idempotency_key,
  unique_key, status, void_reason, recorded_by, recorded_at)
SELECT {muni}, {contract}, ({contract} - 1) * {MONTHS} + {back} + 1, {a},
  {a} * {spacing}, 1 + ({contract} - 1) % {PROVIDERS}, sv.name,
  {d.days_after("m.name", f"{mix(2)} % 28")}, '{{}}', 1000, 4550, 'k' || g.n, NULL,
  CASE WHEN g.n % 97 = 0 THEN 'voided' ELSE 'recorded' END, '', {user}, {now_sql}
FROM g
JOIN bench_month m ON m.i = {back}
JOIN bench_service sv ON sv.i = ({contract} - 1) % {n_services}"""
    )
    out.append(
        f"""{d.series(sizes.audit)}
INSERT INTO audit_log (municipality, at, actor, actor_role, action, subject, subject_id,
  details, ip)
SELECT {muni}, {now_sql}, {user}, 'intake',
  CASE g.n % 3 WHEN 0 THEN 'citizen.read' WHEN 1 THEN 'citizen.search'
    ELSE 'request.read' END,
  CASE g.n % 3 WHEN 2 THEN 'request' ELSE 'citizen' END,
  CASE g.n % 3 WHEN 1 THEN NULL ELSE 1 + {mix(3)} % {sizes.citizens} END, '{{}}', ''
FROM g"""
    )
    out.extend(f"DROP TABLE {table}" for table, _ in lookups)
    return out


#: The tables of millions of rows.
BULK = ("citizen", "request", "delivery", "audit_log")
SEQUENCED = (
    "citizen",
    "request",
    "provider",
    "budget_line",
    "contract",
    "delivery_sheet",
    "assignment",
    "delivery",
    "audit_log",
)


async def load_postgres(url: str, s: Scaffold, sizes: Sizes, today: date, now: datetime) -> None:
    """Generate the city into the database at ``url`` and analyse it (with the visibility
    map a vacuum leaves, which autovacuum would have left on a table that grew)."""
    conn = await asyncpg.connect(url)
    try:
        # Bulk loading: the big tables' secondary indexes are dropped and built again
        # after the rows are in (a sorted build instead of ten million index inserts).
        await conn.execute("SET maintenance_work_mem = '512MB'")
        # The rows are consistent by construction: skip the foreign-key triggers, ten
        # million lookups of a delivery's contract, sheet, request... (needs a superuser;
        # without one the load is only slower)
        with contextlib.suppress(asyncpg.InsufficientPrivilegeError):
            await conn.execute("SET session_replication_role = replica")
        indexes = await conn.fetch(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
            "AND i.tablename = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname)",
            list(BULK),
        )
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["indexname"]}"')
        for statement in statements(Dialect(postgres=True), s, sizes, today, now):
            await conn.execute(statement)
        for index in indexes:
            await conn.execute(index["indexdef"])
        for table in SEQUENCED:
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def load_sqlite(path: str, s: Scaffold, sizes: Sizes, today: date, now: datetime) -> None:
    """Generate the city into the SQLite file at ``path`` and analyse it."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements(Dialect(postgres=False), s, sizes, today, now):
            conn.execute(statement)
            conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()
