"""What the home pages show, read through the use cases (the same ones the API calls),
so a page sees exactly what its user may see: a citizen only their own requests, a
provider only their own contracts."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from core.actor import Actor
from core.db import paging
from core.platform import Platform
from core.schemas import RequestOut, RequestStatus
from core.web.formats import day, money, tally
from core.web.texts import CONTRACT_STATUS, INVOICE_STATUS, REQUEST_STATUS, label, texts
from core.workflow import audit
from core.workflow import requests as request_flow
from core.workflow.market import contracts as contract_flow
from core.workflow.market import invoices as invoice_flow

#: The counts panel counts each status up to this many requests ("понад 1 000"): seven
#: counts on every queue and home page, each read from an index, so 1,000 rather than
#: the lists' 10,000 (some 4 ms each at that depth; docs/performance.md).
PANEL_LIMIT = 1_000
#: Request statuses in the order of the lifecycle.
STATUS_ORDER: tuple[str, ...] = RequestStatus.__args__  # type: ignore[attr-defined]
INVOICE_ORDER = ("draft", "submitted", "approved", "rejected", "paid")


class Option(msgspec.Struct, frozen=True):
    value: str
    label: str


class CountRow(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    label: str
    count: int
    total: str = ""
    #: False where counting stopped at its bound: more than ``count``.
    exact: bool = True
    #: The count as shown ("понад 10 000" where counting stopped at its bound).
    shown: str = ""


class RequestRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    journal_number: str
    service: str
    applicant: str
    status: str
    received_on: str
    due_date: str
    overdue: bool


class PluginRow(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    title: str
    version: str
    in_deployment: bool
    enabled_here: bool
    services: list[str]


class ContractRow(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    service: str
    period: str
    status: str
    remaining: str


def _service_title(platform: Platform, code: str, lang: str) -> str:
    service = platform.host.services.get(code)
    return service.card.title.get(lang) if service else code


async def service_options(platform: Platform, actor: Actor, lang: str) -> list[Option]:
    """The services enabled in the actor's municipality, by title."""
    services = await platform.services(actor.municipality_id)
    return sorted((Option(s.code, s.card.title.get(lang)) for s in services), key=lambda o: o.label)


async def request_counts(actor: Actor, service: str | None, lang: str) -> list[CountRow]:
    """How many requests are in each status (and overdue), optionally of one service."""
    by_status, overdue = await request_flow.counts(actor, service=service, limit=PANEL_LIMIT)
    rows = [
        _count_row(status, label(REQUEST_STATUS, lang, status), by_status.get(status, 0), lang)
        for status in STATUS_ORDER
    ]
    overdue_row = _count_row("overdue", label(REQUEST_STATUS, lang, "overdue"), overdue, lang)
    rows.insert(1, overdue_row)
    return rows


def _count_row(key: str, words: str, counted: int, lang: str) -> CountRow:
    """A count up to :data:`PANEL_LIMIT` (above it: "more than") as a row of the panel."""
    exact = counted <= PANEL_LIMIT
    count = min(counted, PANEL_LIMIT)
    shown = tally(count, lang, exact=exact)
    return CountRow(key=key, label=words, count=count, exact=exact, shown=shown)


def counts_total(rows: list[CountRow], lang: str) -> str:
    """Every status together (the overdue row is among the submitted ones)."""
    rows = [r for r in rows if r.key != "overdue"]
    exact = all(r.exact for r in rows)
    return tally(sum(r.count for r in rows), lang, exact=exact)


def request_row(platform: Platform, r: RequestOut, lang: str) -> RequestRow:
    return RequestRow(
        id=r.id,
        journal_number=r.journal_number,
        service=_service_title(platform, r.service_code, lang),
        applicant=r.applicant_name,
        status=label(REQUEST_STATUS, lang, r.status),
        received_on=day(r.received_on, lang),
        due_date=day(r.due_date, lang),
        overdue=r.overdue,
    )


async def requests_page(
    platform: Platform, actor: Actor, lang: str, *, overdue: bool | None, limit: int
) -> tuple[list[RequestRow], int]:
    """The newest requests the actor may see (overdue ones only, if asked), and how many
    there are in all, counted up to the lists' bound (a count above it means more)."""
    page = await request_flow.listing(
        actor,
        status=None,
        service=None,
        overdue=overdue,
        office_id=None,
        citizen_id=None,
        page=1,
        page_size=limit,
    )
    # The rows name the applicants: a read of personal data, audited with whom it shows.
    await audit.read(
        actor,
        "request.list",
        "request",
        None,
        {
            "page": "desk",
            "overdue": overdue,
            "citizen_ids": sorted({r.citizen_id for r in page.items}),
        },
    )
    total = page.total if page.total_exact else page.total + 1
    return [request_row(platform, r, lang) for r in page.items], total


async def plugin_rows(platform: Platform, actor: Actor, lang: str) -> list[PluginRow]:
    """Every installed plugin: whether the deployment and the municipality enable it."""
    here = set(await platform.enabled_plugins(actor.municipality_id))
    rows = []
    for cand in sorted(platform.host.installed, key=lambda c: c.name):
        loaded = platform.host.plugins.get(cand.name)
        rows.append(
            PluginRow(
                name=cand.name,
                title=loaded.info.title.get(lang) if loaded else cand.name,
                version=cand.version,
                in_deployment=loaded is not None,
                enabled_here=cand.name in here,
                services=[s.card.title.get(lang) for s in loaded.services] if loaded else [],
            )
        )
    return rows


async def invoice_counts(actor: Actor, lang: str) -> list[CountRow]:
    """Invoices of the municipality (a provider: its own) by status, with their sums."""
    invoices = await invoice_flow.listing(actor, status=None, period=None, contract_id=None)
    counts: dict[str, int] = {}
    sums: dict[str, Decimal] = {}
    for inv in invoices:
        counts[inv.status] = counts.get(inv.status, 0) + 1
        sums[inv.status] = sums.get(inv.status, Decimal("0")) + inv.total
    order = [*INVOICE_ORDER, *sorted(set(counts) - set(INVOICE_ORDER))]
    return [
        CountRow(
            key=status,
            label=label(INVOICE_STATUS, lang, status),
            count=counts[status],
            total=money(sums[status], lang),
        )
        for status in order
        if status in counts
    ]


async def contract_rows(platform: Platform, actor: Actor, lang: str) -> list[ContractRow]:
    """Contracts of the municipality (a provider: its own)."""
    return [
        ContractRow(
            number=c.number,
            service=_service_title(platform, c.service_code, lang),
            period=f"{day(c.period_start, lang)} – {day(c.period_end, lang)}",
            status=label(CONTRACT_STATUS, lang, c.status),
            remaining=money(c.remaining_money, lang),
        )
        for c in await contract_flow.listing(actor, None, None)
    ]


def more_note(shown: int, total: int, lang: str) -> str:
    """ "Showing 10 of 137" (of "more than 10,000" above the count's bound)."""
    if total <= shown:
        return ""
    exact = total <= paging.COUNT_LIMIT
    counted = tally(min(total, paging.COUNT_LIMIT), lang, exact=exact)
    return texts(lang)["overdue_more"].format(shown=shown, total=counted)
