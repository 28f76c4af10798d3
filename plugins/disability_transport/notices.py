"""Messages to the rider: a trip booked, the reminder the day before, a trip cancelled.

Each is written into the outbox in the transaction of its event through
:func:`core.notify.news.notify_citizen` (only with the rider's consent in force, by the
channel they chose), in the municipality's wording of the kinds registered here (the
admin rewords them at /desk/admin/messages). The reminder is the job
``disability_transport.remind`` (:data:`JOBS`): every hour of the day it writes one for
each planned trip of the next day, once per trip (``once`` key), however often it runs;
the outbox's own job sends them.
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
    Schedule,
    Text,
    Wording,
    news,
    outbox,
    templates,
    write_transaction,
)
from plugins.disability_transport.tables import Booking

PLUGIN = "disability_transport"
BOOKED = f"{PLUGIN}.trip_booked"
REMINDER = f"{PLUGIN}.trip_reminder"
CANCELLED = f"{PLUGIN}.trip_cancelled"
REMIND_JOB = f"{PLUGIN}.remind"

#: The variables of a trip's messages, with the preview's sample values.
VARIABLES = {
    "number": "1234",
    "date": "16.12.2026",
    "time": "09:30",
    "pickup": "Ковель, вул. Незалежності, 12",
    "destination": "Ковельська центральна лікарня",
    "carrier": "ТОВ «Соцтакс»",
    "vehicle": "ВС 1001 ТХ",
    "reason": "Особа захворіла",
    "link": "https://hromada.example/desk/citizen/requests/123",
}
_TRIP_UK = (
    "поїздку соціального таксі № {{ number }} на {{ date }} о {{ time }}: "
    "{{ pickup }} → {{ destination }}"
)
_TRIP_EN = (
    "social taxi trip No. {{ number }} on {{ date }} at {{ time }}: "
    "{{ pickup }} → {{ destination }}"
)
_LINK = Text(
    "\n\nДеталі в особистому кабінеті: {{ link }}", "\n\nDetails in your account: {{ link }}"
)
_SUBJECT = Text("Соціальне таксі {{ date }}", "Social taxi {{ date }}")

KINDS = (
    MessageKind(
        event=BOOKED,
        title=Text("Соціальне таксі: поїздку заброньовано", "Social taxi: trip booked"),
        variables=VARIABLES,
        default=Wording(
            subject_uk=f"{_SUBJECT.uk}: поїздку заброньовано",
            subject_en=f"{_SUBJECT.en}: trip booked",
            body_uk=f"Заброньовано {_TRIP_UK}.\nПеревізник: {{{{ carrier }}}}. "
            f"Напередодні надішлемо нагадування.{_LINK.uk}",
            body_en=f"Booked: {_TRIP_EN}.\nCarrier: {{{{ carrier }}}}. "
            f"We will remind you the day before.{_LINK.en}",
            sms_uk="Таксі {{ date }} {{ time }} заброньовано: {{ pickup }}",
        ),
    ),
    MessageKind(
        event=REMINDER,
        title=Text("Соціальне таксі: нагадування напередодні", "Social taxi: reminder"),
        variables=VARIABLES,
        default=Wording(
            subject_uk=f"{_SUBJECT.uk}: нагадування",
            subject_en=f"{_SUBJECT.en}: reminder",
            body_uk=f"Нагадуємо про {_TRIP_UK}.\nПеревізник: {{{{ carrier }}}}, "
            f"автомобіль: {{{{ vehicle }}}}. Якщо поїздка не потрібна, скасуйте її "
            f"якомога раніше.{_LINK.uk}",
            body_en=f"A reminder of your {_TRIP_EN}.\nCarrier: {{{{ carrier }}}}, "
            f"vehicle: {{{{ vehicle }}}}. If you no longer need it, cancel it as early as "
            f"you can.{_LINK.en}",
            sms_uk="Нагадуємо: таксі {{ date }} о {{ time }}, {{ pickup }}",
        ),
    ),
    MessageKind(
        event=CANCELLED,
        title=Text("Соціальне таксі: поїздку скасовано", "Social taxi: trip cancelled"),
        variables=VARIABLES,
        default=Wording(
            subject_uk=f"{_SUBJECT.uk}: поїздку скасовано",
            subject_en=f"{_SUBJECT.en}: trip cancelled",
            body_uk=f"Скасовано {_TRIP_UK}.\nПричина: {{{{ reason }}}}{_LINK.uk}",
            body_en=f"Cancelled: {_TRIP_EN}.\nReason: {{{{ reason }}}}{_LINK.en}",
            sms_uk="Таксі {{ date }} {{ time }} скасовано.",
        ),
    ),
)
for _k in KINDS:
    templates.register(_k)


def _time(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


async def _trip(booking_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await Booking.select(
            *Booking.all_columns(), Booking.contract._.provider._.name, Booking.vehicle._.plate
        )
        .where(Booking.id == booking_id)
        .first()
    )
    return row


async def _notify(event: str, booking_id: int, once: str | None = None) -> int | None:
    row = await _trip(booking_id)
    if row is None:
        return None
    return await news.notify_citizen(
        municipality_id=int(row["municipality"]),
        citizen_id=int(row["citizen"]),
        event=event,
        values={
            "number": str(row["id"]),
            "date": news.day(row["trip_date"]),
            "time": _time(row["start_minute"]),
            "pickup": row["pickup_address"],
            "destination": row["destination_address"],
            "carrier": row["contract.provider.name"] or "—",
            "vehicle": row["vehicle.plate"] or "—",
            "reason": row["cancel_reason"] or "—",
            "link": f"{outbox.SITE}/desk/citizen/requests/{row['request']}",
        },
        request_id=int(row["request"]),
        once=once,
    )


async def trip_booked(booking_id: int) -> int | None:
    """The rider's message of a new booking (inside the booking's transaction)."""
    return await _notify(BOOKED, booking_id)


async def trip_cancelled(booking_id: int) -> int | None:
    """The rider's message of a cancelled trip (inside the cancelling transaction)."""
    return await _notify(CANCELLED, booking_id)


def reminder_key(booking_id: int) -> str:
    return f"{REMINDER}:{booking_id}"


async def remind(municipality_id: int, on: date) -> int:
    """Write the reminders of the planned trips of the day after ``on``, each once and in
    its own transaction; how many were written now."""
    rows = await Booking.select(Booking.id).where(
        (Booking.municipality == municipality_id)
        & (Booking.trip_date == on + timedelta(days=1))
        & (Booking.status == "planned")
    )
    written = 0
    for row in sorted(rows, key=lambda r: int(r["id"])):
        booking_id = int(row["id"])
        if await news.sent_once(reminder_key(booking_id)):
            continue
        async with write_transaction():
            # Still planned (not cancelled since it was read): then the reminder, once.
            fresh = await Booking.select(Booking.status).where(Booking.id == booking_id).first()
            if fresh is None or fresh["status"] != "planned":
                continue
            if await _notify(REMINDER, booking_id, once=reminder_key(booking_id)):
                written += 1
    return written


class RemindArgs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: The day of the run (Kyiv): the trips of the day after are reminded.
    on: date
    #: Only this municipality (default: every one that enables the plugin).
    municipality_id: int | None = None


def today_of(tick: datetime) -> RemindArgs:
    return RemindArgs(on=tick.date())


async def remind_all(ctx: JobContext, args: RemindArgs) -> None:
    ids = [args.municipality_id] if args.municipality_id else []
    if not ids:
        for m in await Municipality.select(Municipality.id).order_by(Municipality.id):
            if PLUGIN in await ctx.platform.enabled_plugins(m["id"]):
                ids.append(m["id"])
    reminded = ctx.state.setdefault("reminded", {})
    await ctx.progress(0, len(ids), "")
    for i, municipality_id in enumerate(ids, 1):
        count = await remind(municipality_id, args.on)
        reminded[str(municipality_id)] = reminded.get(str(municipality_id), 0) + count
        await ctx.progress(i, len(ids), "")


JOBS = (
    JobSpec(
        name=REMIND_JOB,
        title=Text("Соціальне таксі: нагадування про поїздки", "Social taxi: trip reminders"),
        args_type=RemindArgs,
        run=remind_all,
        # Every hour of the day: a trip booked in the afternoon for tomorrow is reminded
        # too; the key keeps each reminder to one.
        schedules=(Schedule(cron="0 8-20 * * *", args=today_of, name="hourly"),),
    ),
)
