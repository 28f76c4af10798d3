"""Messages to the borrower: the return date is near, and the return is overdue.

The job ``rental_aids.loan_notices`` (:data:`JOBS`, every morning) writes them into the
outbox through :func:`core.notify.news.notify_citizen` (only with the borrower's consent
in force, by the channel they chose), in the municipality's wording of the kinds
registered here (reworded at /desk/admin/messages):

- **due**: an active loan whose return date is within ``return_reminder_days`` (a dated
  parameter, 3 by default) of the day of the run, today included;
- **overdue**: an active loan whose return date has passed.

Each goes once per loan, kind and return date (the ``once`` key holds the date): a run
repeated the same day, or the next day, writes nothing new; a loan extended to a later
date is reminded again of the new one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import msgspec

from core.sdk import (
    JobContext,
    JobSpec,
    MessageKind,
    Municipality,
    Platform,
    Schedule,
    Text,
    Wording,
    news,
    outbox,
    templates,
    write_transaction,
)
from plugins.rental_aids.common import PLUGIN
from plugins.rental_aids.service import SERVICE
from plugins.rental_aids.tables import RentalLoan as L

DUE = f"{PLUGIN}.loan_due"
OVERDUE = f"{PLUGIN}.loan_overdue"
JOB = f"{PLUGIN}.loan_notices"
#: Days before the return date the borrower is reminded (a dated parameter).
LEAD = f"{PLUGIN}.return_reminder_days"

#: The variables of a loan's messages, with the preview's sample values.
VARIABLES = {
    "item": "Крісло колісне",
    "item_en": "Wheelchair",
    "inventory": "ІН-00042",
    "due": "18.12.2026",
    "days": "3",
    "point": "КУ «Центр надання соціальних послуг»",
    "address": "Ковель, вул. Волі, 7",
    "phone": "+380332123456",
    "link": "https://hromada.example/desk/citizen/requests/123",
}
_LINK = Text(
    "\n\nДеталі в особистому кабінеті: {{ link }}", "\n\nDetails in your account: {{ link }}"
)
_WHERE = Text(
    "Пункт прокату: {{ point }}, {{ address }}, тел. {{ phone }}.",
    "Rental point: {{ point }}, {{ address }}, phone {{ phone }}.",
)

KINDS = (
    MessageKind(
        event=DUE,
        title=Text("Прокат: строк повернення наближається", "Rental: the return date is near"),
        variables=VARIABLES,
        default=Wording(
            subject_uk="Повернення {{ item }} до {{ due }}",
            subject_en="Return the {{ item_en }} by {{ due }}",
            body_uk=f"Строк прокату {{{{ item }}}} (інв. № {{{{ inventory }}}}) спливає "
            f"{{{{ due }}}}. Поверніть предмет до цієї дати або, якщо він ще потрібен, "
            f"подовжте прокат за новим висновком лікаря.\n{_WHERE.uk}{_LINK.uk}",
            body_en=f"The loan of the {{{{ item_en }}}} (inv. No. {{{{ inventory }}}}) ends on "
            f"{{{{ due }}}}. Return it by then or, if you still need it, extend the loan "
            f"with a new medical conclusion.\n{_WHERE.en}{_LINK.en}",
            sms_uk="Поверніть {{ item }} до {{ due }}: {{ point }}, {{ phone }}",
        ),
    ),
    MessageKind(
        event=OVERDUE,
        title=Text("Прокат: строк повернення минув", "Rental: the return is overdue"),
        variables=VARIABLES,
        default=Wording(
            subject_uk="Прострочено повернення {{ item }}",
            subject_en="The {{ item_en }} is overdue",
            body_uk=f"Строк прокату {{{{ item }}}} (інв. № {{{{ inventory }}}}) сплив "
            f"{{{{ due }}}} (прострочено днів: {{{{ days }}}}). Поверніть предмет або "
            f"зверніться до пункту прокату щодо продовження.\n{_WHERE.uk}{_LINK.uk}",
            body_en=f"The loan of the {{{{ item_en }}}} (inv. No. {{{{ inventory }}}}) ended "
            f"on {{{{ due }}}} ({{{{ days }}}} days overdue). Please return it or ask the "
            f"rental point about an extension.\n{_WHERE.en}{_LINK.en}",
            sms_uk="Прострочено повернення {{ item }} (з {{ due }}): {{ point }}, {{ phone }}",
        ),
    ),
)
for _k in KINDS:
    templates.register(_k)


def key(event: str, loan_id: int, due_on: date) -> str:
    """The once-only key of a loan's message of ``event`` for its return date."""
    return f"{event}:{loan_id}:{due_on.isoformat()}"


async def _loan(loan_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await L.select(
            *L.all_columns(),
            L.item.inventory_number,
            L.item._.device_type._.name_uk,
            L.item._.device_type._.name_en,
            L.provider.name,
            L.provider.address,
            L.provider.phone,
        )
        .where(L.id == loan_id)
        .first()
    )
    return row


async def _notify(event: str, loan_id: int, on: date) -> int | None:
    """The loan's message (inside its transaction), if it is still active and due as read."""
    row = await _loan(loan_id)
    if row is None or row["status"] != "active":
        return None
    due_on: date = row["due_on"]
    return await news.notify_citizen(
        municipality_id=int(row["municipality"]),
        citizen_id=int(row["citizen"]),
        event=event,
        values={
            "item": row["item.device_type.name_uk"] or "—",
            "item_en": row["item.device_type.name_en"] or "—",
            "inventory": row["item.inventory_number"] or "—",
            "due": news.day(due_on),
            "days": str(max((on - due_on).days, 0)),
            "point": row["provider.name"] or "—",
            "address": row["provider.address"] or "—",
            "phone": row["provider.phone"] or "—",
            "link": f"{outbox.SITE}/desk/citizen/requests/{row['request']}",
        },
        request_id=int(row["request"]),
        once=key(event, loan_id, due_on),
    )


async def notify_loans(platform: Platform, municipality_id: int, on: date) -> dict[str, int]:
    """Write the due and overdue notices of the municipality's active loans as of ``on``,
    each once and in its own transaction; how many of each were written now."""
    lead = int((await platform.parameters(municipality_id, SERVICE)).at(LEAD, on))
    rows = await L.select(L.id, L.due_on).where(
        (L.municipality == municipality_id)
        & (L.status == "active")
        & (L.due_on <= on + timedelta(days=lead))
    )
    written = {"due": 0, "overdue": 0}
    for row in sorted(rows, key=lambda r: int(r["id"])):
        kind, event = ("overdue", OVERDUE) if row["due_on"] < on else ("due", DUE)
        if await news.sent_once(key(event, int(row["id"]), row["due_on"])):
            continue
        async with write_transaction():
            if await _notify(event, int(row["id"]), on):
                written[kind] += 1
    return written


class NoticeArgs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: The day of the run (Kyiv).
    on: date
    #: Only this municipality (default: every one that enables the plugin).
    municipality_id: int | None = None


def today_of(tick: datetime) -> NoticeArgs:
    return NoticeArgs(on=tick.date())


async def notify_all(ctx: JobContext, args: NoticeArgs) -> None:
    platform = ctx.platform
    ids = [args.municipality_id] if args.municipality_id else []
    if not ids:
        for m in await Municipality.select(Municipality.id).order_by(Municipality.id):
            if PLUGIN in await platform.enabled_plugins(m["id"]):
                ids.append(m["id"])
    written = ctx.state.setdefault("written", {})
    await ctx.progress(0, len(ids), "")
    for i, municipality_id in enumerate(ids, 1):
        counts = await notify_loans(platform, municipality_id, args.on)
        before = written.get(str(municipality_id), {})
        written[str(municipality_id)] = {k: before.get(k, 0) + v for k, v in counts.items()}
        await ctx.progress(i, len(ids), "")


JOBS = (
    JobSpec(
        name=JOB,
        title=Text("Пункт прокату: нагадування про повернення", "Rental point: return notices"),
        args_type=NoticeArgs,
        run=notify_all,
        schedules=(Schedule(cron="0 9 * * *", args=today_of, name="daily"),),
    ),
)
