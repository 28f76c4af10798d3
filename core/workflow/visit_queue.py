"""The office's electronic queue: tickets from the kiosk, the desks that call them, and
visits booked online.

- **Service groups** are the municipality's dated parameter ``core.queue_groups`` (a
  letter and a name each); the admin changes them on the parameters page.
- **A ticket** (:func:`issue_ticket`) is numbered per office, group and day (``A-017``)
  from a counter row bumped inside the write transaction (:mod:`core.numbering`), so
  two kiosks never print the same number; a unique index on (office, day, number)
  guards it too.
- **A desk** calls the next ticket (:func:`call_next`): tickets of visitors who booked
  go first once their slot has begun, then everyone by the time they took the ticket.
  The ticket is claimed by one ``UPDATE … WHERE status = 'waiting'``, so two desks
  calling at once get two different tickets. Then recall, no-show, start serving, done.
- **A booking** (:func:`book`) takes a slot of an office and group while it has room
  (``core.queue_slot_capacity``), e-mails a confirmation with a cancel link and leaves a
  reminder in the outbox for the day before; cancelling withdraws the reminder. At the
  kiosk the visitor types the booking's code and gets a ticket (:func:`check_in`).
- **The figures** (:func:`stats`): the seconds waited (ticket → first call) and served
  (start → done), kept on the ticket at each step, averaged with their 90th percentile
  per office, desk and group in SQL.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.config import Settings
from core.db import engine as db_engine
from core.db.engine import write_transaction
from core.db.tables import (
    Office,
    QueueBooking,
    QueueTicket,
    QueueTicketRequest,
    Request,
)
from core.errors import Conflict, Invalid, NotFound
from core.notify import outbox
from core.numbering import next_number
from core.platform import core_parameters
from core.workflow import visit_rating
from core.workflow.calendar import is_working_day
from core.workflow.citizen_accounts import check_email

#: The booking code's alphabet (read from a phone, typed at the kiosk): no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: The hour (office time) of the day before a visit when its reminder goes.
REMINDER_HOUR = 10
#: How many called tickets the hall screen shows.
SCREEN_ROWS = 8
OPEN = ("called", "serving")


class Group(msgspec.Struct, frozen=True, kw_only=True):
    letter: str
    uk: str
    en: str

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.uk


class Ticket(msgspec.Struct, kw_only=True):
    id: int
    office_id: int
    number: str
    group: str
    status: str
    issued_at: datetime
    desk: int | None = None
    #: Place in the line (1 = next) and the expected wait in minutes, while waiting.
    place: int = 0
    wait_minutes: int = 0
    booked: bool = False
    #: Printed on the ticket: the code to rate the visit at the kiosk once served.
    rating_code: str = ""


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    start: datetime
    left: int


class Booking(msgspec.Struct, kw_only=True):
    id: int
    office_id: int
    group: str
    slot_start: datetime
    name: str
    email: str
    code: str
    status: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---- the office and its groups ----------------------------------------------------------


async def office(office_id: int) -> dict[str, Any]:
    """An office that serves visitors (not a back office)."""
    row = (
        await Office.select(Office.id, Office.municipality, Office.name, Office.address)
        .where((Office.id == office_id) & (Office.kind != "back_office"))
        .first()
    )
    if row is None:
        raise NotFound("офіс не знайдено / office not found", "office_id")
    return row


async def offices(municipality_id: int) -> list[dict[str, Any]]:
    return list(
        await Office.select(Office.id, Office.name)
        .where((Office.municipality == municipality_id) & (Office.kind != "back_office"))
        .order_by(Office.name)
    )


async def groups(municipality_id: int) -> list[Group]:
    """The service groups in force today (entries without a letter or a name left out)."""
    params = await core_parameters(municipality_id)
    raw = params.at("core.queue_groups", clock.today())
    out: list[Group] = []
    for item in raw if isinstance(raw, list) else []:
        try:
            group = msgspec.convert(item, Group)
        except msgspec.ValidationError:
            continue
        letter = group.letter.strip().upper()
        if len(letter) == 1 and letter.isalpha() and group.uk and group.en:
            out.append(Group(letter=letter, uk=group.uk, en=group.en))
    return out


async def _group(municipality_id: int, letter: str) -> Group:
    found = next((g for g in await groups(municipality_id) if g.letter == letter.upper()), None)
    if found is None:
        raise Invalid("оберіть групу послуг / choose a service group", "group")
    return found


# ---- tickets ----------------------------------------------------------------------------


def _due_first(row: dict[str, Any], now: datetime) -> tuple[int, datetime, int]:
    """The calling order: booked visitors whose slot has begun, by slot; then everyone
    by the time they took the ticket."""
    slot = row["slot_start"]
    if slot is not None and slot <= now:
        return (0, slot, row["id"])
    return (1, row["issued_at"], row["id"])


async def _waiting(office_id: int, day: date, letters: list[str] | None = None) -> list[Any]:
    query = QueueTicket.select(
        QueueTicket.id, QueueTicket.slot_start, QueueTicket.issued_at, QueueTicket.group_letter
    ).where(
        (QueueTicket.office == office_id)
        & (QueueTicket.day == day)
        & (QueueTicket.status == "waiting")
    )
    if letters:
        query = query.where(QueueTicket.group_letter.is_in(letters))
    rows = await query
    now = clock.now()
    return sorted(rows, key=lambda r: _due_first(r, now))


async def _minutes_per_visit(municipality_id: int, office_id: int, day: date) -> float:
    rows = await QueueTicket.select(QueueTicket.service_seconds).where(
        (QueueTicket.office == office_id)
        & (QueueTicket.day == day)
        & QueueTicket.service_seconds.is_not_null()
    )
    if len(rows) >= 3:
        return sum(r["service_seconds"] for r in rows) / len(rows) / 60
    params = await core_parameters(municipality_id)
    return float(params.at("core.queue_minutes_per_visit", day))


async def _desks_at_work(office_id: int, day: date) -> int:
    since = clock.now() - timedelta(hours=1)
    rows = await QueueTicket.select(QueueTicket.desk).where(
        (QueueTicket.office == office_id)
        & (QueueTicket.day == day)
        & (QueueTicket.called_at >= since)
        & QueueTicket.desk.is_not_null()
    )
    return max(1, len({r["desk"] for r in rows}))


async def _ticket(row: dict[str, Any]) -> Ticket:
    ticket = Ticket(
        id=row["id"],
        office_id=row["office"],
        number=row["number"],
        group=row["group_letter"],
        status=row["status"],
        issued_at=row["issued_at"],
        desk=row["desk"],
        booked=row["booking"] is not None,
        rating_code=row.get("rating_code") or "",
    )
    if ticket.status == "waiting":
        line = await _waiting(row["office"], row["day"])
        ahead = next((i for i, r in enumerate(line) if r["id"] == ticket.id), len(line))
        ticket.place = ahead + 1
        per_visit = await _minutes_per_visit(row["municipality"], row["office"], row["day"])
        desks = await _desks_at_work(row["office"], row["day"])
        ticket.wait_minutes = math.ceil(ahead * per_visit / desks)
    return ticket


async def read_ticket(ticket_id: int, municipality_id: int | None = None) -> Ticket:
    query = QueueTicket.select().where(QueueTicket.id == ticket_id)
    if municipality_id is not None:
        query = query.where(QueueTicket.municipality == municipality_id)
    row = await query.first()
    if row is None:
        raise NotFound("талон не знайдено / ticket not found", "ticket_id")
    return await _ticket(row)


async def _new_ticket(
    municipality_id: int,
    office_id: int,
    letter: str,
    *,
    booking_id: int | None = None,
    slot_start: datetime | None = None,
) -> int:
    """Inside the caller's write transaction: the next number of the group today."""
    day = clock.today()
    series = f"queue.o{office_id}_{letter.lower()}_{day:%Y%m%d}"
    seq = await next_number(municipality_id, series, day.year)
    row = QueueTicket(
        municipality=municipality_id,
        office=office_id,
        group_letter=letter,
        day=day,
        number=f"{letter}-{seq:03d}",
        status="waiting",
        booking=booking_id,
        slot_start=slot_start,
        issued_at=clock.now(),
        rating_code=visit_rating.new_code(),
    )
    await row.save()
    return int(row.id)


async def issue_ticket(office_id: int, letter: str) -> Ticket:
    """A walk-in's ticket from the kiosk."""
    place = await office(office_id)
    group = await _group(place["municipality"], letter)
    async with write_transaction():
        ticket_id = await _new_ticket(place["municipality"], office_id, group.letter)
    return await read_ticket(ticket_id)


async def _open_at_desk(office_id: int, desk: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await QueueTicket.select(QueueTicket.id, QueueTicket.number, QueueTicket.status)
        .where(
            (QueueTicket.office == office_id)
            & (QueueTicket.day == clock.today())
            & (QueueTicket.desk == desk)
            & QueueTicket.status.is_in(list(OPEN))
        )
        .first()
    )
    return row


def _check_desk(desk: int) -> None:
    if not 1 <= desk <= 99:
        raise Invalid("номер вікна від 1 до 99 / the desk number is 1 to 99", "desk")


async def _staff_office(actor: Actor, office_id: int) -> dict[str, Any]:
    place = await office(office_id)
    if place["municipality"] != actor.municipality_id:
        raise NotFound("офіс не знайдено / office not found", "office_id")
    return place


async def call_next(
    actor: Actor, office_id: int, desk: int, letters: list[str] | None = None
) -> Ticket | None:
    """Call the next ticket to the desk (None when nobody waits). A desk with a ticket
    still called or being served must finish it first."""
    _check_desk(desk)
    await _staff_office(actor, office_id)
    held = await _open_at_desk(office_id, desk)
    if held is not None:
        raise Conflict(
            f"у вікні {desk} ще талон {held['number']}: завершіть його або позначте неявку / "
            f"desk {desk} still has ticket {held['number']}: finish it or mark a no-show",
            "desk",
        )
    for _ in range(20):
        line = await _waiting(office_id, clock.today(), letters)
        if not line:
            return None
        first = line[0]
        now = clock.now()
        won = (
            await QueueTicket.update(
                {
                    QueueTicket.status: "called",
                    QueueTicket.called_at: now,
                    QueueTicket.calls: 1,
                    QueueTicket.desk: desk,
                    QueueTicket.served_by: actor.id,
                    QueueTicket.wait_seconds: max(
                        0, int((now - first["issued_at"]).total_seconds())
                    ),
                }
            )
            .where((QueueTicket.id == first["id"]) & (QueueTicket.status == "waiting"))
            .returning(QueueTicket.id)
        )
        if won:
            return await read_ticket(first["id"])
    raise Conflict("черга зайнята, спробуйте ще раз / the queue is busy, try again", "desk")


async def _move(actor: Actor, ticket_id: int, allowed: tuple[str, ...], values: Any) -> Ticket:
    row = (
        await QueueTicket.select()
        .where((QueueTicket.id == ticket_id) & (QueueTicket.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound("талон не знайдено / ticket not found", "ticket_id")
    if row["status"] not in allowed:
        raise Conflict(
            f"талон {row['number']} має стан «{row['status']}», а не "
            f"«{' / '.join(allowed)}» / ticket {row['number']} is {row['status']}, "
            f"not {' or '.join(allowed)}",
            "ticket_id",
        )
    updates = values(row) if callable(values) else values
    moved = (
        await QueueTicket.update(updates)
        .where((QueueTicket.id == ticket_id) & (QueueTicket.status == row["status"]))
        .returning(QueueTicket.id)
    )
    if not moved:
        raise Conflict("талон щойно змінився / the ticket has just changed", "ticket_id")
    return await read_ticket(ticket_id)


async def recall(actor: Actor, ticket_id: int) -> Ticket:
    """Call the ticket again (it shows on the hall screen as the newest call)."""
    return await _move(
        actor,
        ticket_id,
        ("called",),
        lambda row: {QueueTicket.called_at: clock.now(), QueueTicket.calls: row["calls"] + 1},
    )


async def no_show(actor: Actor, ticket_id: int) -> Ticket:
    return await _move(actor, ticket_id, ("called",), {QueueTicket.status: "no_show"})


async def start_serving(actor: Actor, ticket_id: int) -> Ticket:
    return await _move(
        actor,
        ticket_id,
        ("called",),
        {
            QueueTicket.status: "serving",
            QueueTicket.serving_started_at: clock.now(),
            QueueTicket.served_by: actor.id,
        },
    )


async def done(actor: Actor, ticket_id: int) -> Ticket:
    def finished(row: dict[str, Any]) -> dict[Any, Any]:
        now = clock.now()
        started = row["serving_started_at"] or now
        return {
            QueueTicket.status: "done",
            QueueTicket.done_at: now,
            QueueTicket.service_seconds: max(0, int((now - started).total_seconds())),
        }

    async with write_transaction():
        served = await _move(actor, ticket_id, ("serving",), finished)
        # The visit may now be rated at the kiosk with the code on the ticket.
        await visit_rating.invite_after_visit(ticket_id)
    return served


async def link_requests(
    actor: Actor, ticket_id: int, request_ids: list[int], citizen_id: int
) -> int:
    """Record the requests made while the ticket was served (and whose they were);
    returns how many were linked (none when the ticket is no longer being served)."""
    row = (
        await QueueTicket.select(QueueTicket.id)
        .where(
            (QueueTicket.id == ticket_id)
            & (QueueTicket.municipality == actor.municipality_id)
            & (QueueTicket.status == "serving")
        )
        .first()
    )
    if row is None:
        return 0
    mine = await Request.select(Request.id).where(
        Request.id.is_in(request_ids or [0]) & (Request.municipality == actor.municipality_id)
    )
    async with write_transaction():
        for r in mine:
            exists = await QueueTicketRequest.exists().where(
                (QueueTicketRequest.ticket == ticket_id) & (QueueTicketRequest.request == r["id"])
            )
            if not exists:
                await QueueTicketRequest(ticket=ticket_id, request=r["id"]).save()
        await QueueTicket.update({QueueTicket.citizen: citizen_id}).where(
            QueueTicket.id == ticket_id
        )
    return len(mine)


async def linked_requests(ticket_id: int) -> list[dict[str, Any]]:
    return list(
        await QueueTicketRequest.select(
            QueueTicketRequest.request.id.as_alias("id"),
            QueueTicketRequest.request.journal_number.as_alias("journal_number"),
        )
        .where(QueueTicketRequest.ticket == ticket_id)
        .order_by(QueueTicketRequest.id)
    )


async def at_desk(actor: Actor, office_id: int, desk: int) -> Ticket | None:
    """The ticket the desk has called or is serving, if any."""
    _check_desk(desk)
    await _staff_office(actor, office_id)
    held = await _open_at_desk(office_id, desk)
    return None if held is None else await read_ticket(held["id"])


async def waiting_counts(office_id: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in await _waiting(office_id, clock.today()):
        counts[row["group_letter"]] = counts.get(row["group_letter"], 0) + 1
    return counts


async def screen(office_id: int) -> list[dict[str, Any]]:
    """The hall screen: the latest calls of today (called or being served), newest
    first, with their desks."""
    rows = (
        await QueueTicket.select(
            QueueTicket.id, QueueTicket.number, QueueTicket.desk, QueueTicket.status
        )
        .where(
            (QueueTicket.office == office_id)
            & (QueueTicket.day == clock.today())
            & QueueTicket.status.is_in(list(OPEN))
        )
        .order_by(QueueTicket.called_at, ascending=False)
        .limit(SCREEN_ROWS)
    )
    return list(rows)


# ---- bookings ---------------------------------------------------------------------------


class SlotRules(msgspec.Struct, frozen=True, kw_only=True):
    minutes: int
    capacity: int
    opens: time
    closes: time
    days_ahead: int


def _hours(raw: Any) -> tuple[time, time]:
    try:
        first, last = str(raw).split("-")
        opens, closes = time.fromisoformat(first.strip()), time.fromisoformat(last.strip())
    except ValueError:
        return time(9), time(17)
    return (opens, closes) if opens < closes else (time(9), time(17))


async def slot_rules(municipality_id: int) -> SlotRules:
    params = await core_parameters(municipality_id)
    today = clock.today()
    opens, closes = _hours(params.at("core.queue_hours", today))
    return SlotRules(
        minutes=max(5, int(params.at("core.queue_slot_minutes", today))),
        capacity=max(0, int(params.at("core.queue_slot_capacity", today))),
        opens=opens,
        closes=closes,
        days_ahead=max(0, int(params.at("core.queue_booking_days", today))),
    )


def booking_days(rules: SlotRules) -> list[date]:
    """The working days a visit may be booked for, from today."""
    today = clock.today()
    days = (today + timedelta(days=n) for n in range(rules.days_ahead + 1))
    return [d for d in days if is_working_day(d)]


def _starts(rules: SlotRules, day: date) -> list[datetime]:
    start = datetime.combine(day, rules.opens, clock.KYIV)
    end = datetime.combine(day, rules.closes, clock.KYIV)
    out = []
    while start + timedelta(minutes=rules.minutes) <= end:
        out.append(start)
        start += timedelta(minutes=rules.minutes)
    return out


async def _taken(office_id: int, letter: str, starts: list[datetime]) -> dict[datetime, int]:
    if not starts:
        return {}
    rows = await QueueBooking.select(QueueBooking.slot_start).where(
        (QueueBooking.office == office_id)
        & (QueueBooking.group_letter == letter)
        & (QueueBooking.status != "cancelled")
        & (QueueBooking.slot_start >= starts[0])
        & (QueueBooking.slot_start <= starts[-1])
    )
    taken: dict[datetime, int] = {}
    for r in rows:
        taken[r["slot_start"]] = taken.get(r["slot_start"], 0) + 1
    return taken


async def slots(office_id: int, letter: str, day: date) -> list[Slot]:
    """The day's slots still ahead, with the room each has left."""
    place = await office(office_id)
    group = await _group(place["municipality"], letter)
    rules = await slot_rules(place["municipality"])
    if day not in booking_days(rules):
        raise Invalid("на цей день запису немає / no booking on this day", "day")
    now = clock.now()
    starts = [s for s in _starts(rules, day) if s > now]
    taken = await _taken(office_id, group.letter, starts)
    return [Slot(start=s, left=max(0, rules.capacity - taken.get(s, 0))) for s in starts]


def _when(moment: datetime) -> str:
    return moment.astimezone(clock.KYIV).strftime("%d.%m.%Y %H:%M")


def _link(settings: Settings, path: str) -> str:
    return settings.public_url.rstrip("/") + path


def _both(uk: str, en: str, lang: str) -> str:
    first, second = (en, uk) if lang == "en" else (uk, en)
    return f"{first}\n\n———\n\n{second}\n"


def booking_mail(
    settings: Settings,
    lang: str,
    *,
    reminder: bool,
    office_name: str,
    address: str,
    group: Group,
    slot_start: datetime,
    code: str,
    token: str,
) -> tuple[str, str]:
    when = _when(slot_start)
    cancel = _link(settings, f"/queue/bookings/cancel?token={token}")
    where = f"{office_name}, {address}".strip(", ")
    if reminder:
        subject = "Нагадування: прийом завтра / Reminder: your visit is tomorrow"
        uk_head, en_head = "Нагадуємо про ваш запис на прийом.", "A reminder of your visit."
    else:
        subject = "Запис на прийом підтверджено / Your visit is booked"
        uk_head, en_head = "Ваш запис на прийом підтверджено.", "Your visit is booked."
    uk = (
        f"Вітаємо!\n\n{uk_head}\n\nКоли: {when}\nДе: {where}\nПослуги: {group.uk}\n"
        f"Код запису: {code}\n\nУ залі введіть код на терміналі черги — отримаєте талон, "
        "і вас викличуть першими в цей час.\n\n"
        f"Якщо не зможете прийти, скасуйте запис:\n{cancel}"
    )
    en = (
        f"Hello,\n\n{en_head}\n\nWhen: {when}\nWhere: {where}\nServices: {group.en}\n"
        f"Booking code: {code}\n\nAt the office, type the code at the queue kiosk to get a "
        "ticket: you will be called first at that time.\n\n"
        f"If you cannot come, cancel the booking:\n{cancel}"
    )
    return subject, _both(uk, en, lang)


def reminder_at(slot_start: datetime) -> datetime:
    """When the reminder goes: the day before the visit, at 10:00 office time."""
    day = slot_start.astimezone(clock.KYIV).date() - timedelta(days=1)
    return datetime.combine(day, time(REMINDER_HOUR), clock.KYIV)


async def _lock_office(office_id: int) -> None:
    """Serialise bookings of one office (SQLite's write transaction already does)."""
    if not db_engine.is_sqlite():
        await Office.raw("SELECT id FROM office WHERE id = {} FOR UPDATE", office_id)


async def _new_code(office_id: int) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = await QueueBooking.exists().where(
            (QueueBooking.office == office_id)
            & (QueueBooking.code == code)
            & (QueueBooking.status == "booked")
        )
        if not taken:
            return code


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


async def book(
    settings: Settings,
    *,
    office_id: int,
    letter: str,
    slot_start: datetime,
    name: str,
    email: str,
    phone: str = "",
    lang: str = "uk",
) -> Booking:
    """Book a slot while it has room; the confirmation and the reminder are written in
    the same transaction (call :func:`core.notify.outbox.kick` after)."""
    place = await office(office_id)
    municipality_id = place["municipality"]
    group = await _group(municipality_id, letter)
    if not name.strip() or len(name) > 255:
        raise Invalid("вкажіть ім'я (до 255 символів) / enter a name (up to 255)", "name")
    address = check_email(email)
    if len(phone) > 32:
        raise Invalid("до 32 символів / up to 32 characters", "phone")
    rules = await slot_rules(municipality_id)
    local = slot_start.astimezone(clock.KYIV)
    if (
        local.date() not in booking_days(rules)
        or local not in _starts(rules, local.date())
        or slot_start <= clock.now()
    ):
        raise Invalid("такого часу запису немає / there is no such slot", "slot")
    token = secrets.token_urlsafe(32)
    async with write_transaction():
        await _lock_office(office_id)
        taken = (await _taken(office_id, group.letter, [local])).get(local, 0)
        if taken >= rules.capacity:
            raise Conflict("на цей час місць немає / this slot is full", "slot")
        code = await _new_code(office_id)
        row = QueueBooking(
            municipality=municipality_id,
            office=office_id,
            group_letter=group.letter,
            slot_start=slot_start,
            name=name.strip(),
            email=address,
            phone=phone.strip(),
            code=code,
            token_hash=_hash(token),
            status="booked",
            created_at=clock.now(),
        )
        await row.save()
        mail = {
            "office_name": place["name"],
            "address": place["address"],
            "group": group,
            "slot_start": slot_start,
            "code": code,
            "token": token,
        }
        subject, body = booking_mail(settings, lang, reminder=False, **mail)
        await outbox.enqueue(
            municipality_id=municipality_id,
            event="queue.booked",
            recipient=address,
            subject=subject,
            body=body,
        )
        remind = reminder_at(slot_start)
        if remind > clock.now():
            subject, body = booking_mail(settings, lang, reminder=True, **mail)
            message_id = await outbox.enqueue(
                municipality_id=municipality_id,
                event="queue.reminder",
                recipient=address,
                subject=subject,
                body=body,
                not_before=remind,
            )
            await QueueBooking.update({QueueBooking.reminder_message: message_id}).where(
                QueueBooking.id == row.id
            )
    return Booking(
        id=int(row.id),
        office_id=office_id,
        group=group.letter,
        slot_start=slot_start,
        name=name.strip(),
        email=address,
        code=code,
        status="booked",
    )


def _booking(row: dict[str, Any]) -> Booking:
    return Booking(
        id=row["id"],
        office_id=row["office"],
        group=row["group_letter"],
        slot_start=row["slot_start"],
        name=row["name"],
        email=row["email"],
        code=row["code"],
        status=row["status"],
    )


async def booking_by_token(token: str) -> Booking:
    row = await QueueBooking.select().where(QueueBooking.token_hash == _hash(token)).first()
    if row is None:
        raise NotFound("запис не знайдено / booking not found", "token")
    return _booking(row)


async def cancel(token: str) -> Booking:
    """Cancel by the e-mailed link: the slot is free again and the reminder withdrawn."""
    async with write_transaction():
        rows = (
            await QueueBooking.update(
                {QueueBooking.status: "cancelled", QueueBooking.cancelled_at: clock.now()}
            )
            .where((QueueBooking.token_hash == _hash(token)) & (QueueBooking.status == "booked"))
            .returning(QueueBooking.id, QueueBooking.reminder_message)
        )
        if not rows:
            found = await booking_by_token(token)
            raise Conflict(
                "запис уже скасовано або використано / the booking was cancelled or used",
                "token",
                details={"status": found.status},
            )
        if rows[0]["reminder_message"] is not None:
            await outbox.cancel(rows[0]["reminder_message"])
    return await booking_by_token(token)


async def check_in(office_id: int, raw_code: str) -> Ticket:
    """A booked visitor's ticket, for today's booking with this code at this office."""
    place = await office(office_id)
    code = normalise_code(raw_code)
    today = clock.today()
    start = datetime.combine(today, time(0), clock.KYIV)
    async with write_transaction():
        row = (
            await QueueBooking.select()
            .where(
                (QueueBooking.office == office_id)
                & (QueueBooking.code == code)
                & (QueueBooking.status == "booked")
                & (QueueBooking.slot_start >= start)
                & (QueueBooking.slot_start < start + timedelta(days=1))
            )
            .first()
        )
        if row is None or len(code) != CODE_LENGTH:
            raise NotFound(
                "запису з таким кодом на сьогодні немає / no booking with this code today",
                "code",
            )
        await QueueBooking.update(
            {QueueBooking.status: "checked_in", QueueBooking.checked_in_at: clock.now()}
        ).where(QueueBooking.id == row["id"])
        if row["reminder_message"] is not None:
            await outbox.cancel(row["reminder_message"])
        ticket_id = await _new_ticket(
            place["municipality"],
            office_id,
            row["group_letter"],
            booking_id=row["id"],
            slot_start=row["slot_start"],
        )
    return await read_ticket(ticket_id)


# ---- figures ----------------------------------------------------------------------------


class Figure(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    office_id: int
    desk: int | None
    group: str
    measure: str  # wait | service
    count: int
    average_seconds: int
    p90_seconds: int


_DIMENSIONS = {
    "office": ("office", "office, NULL AS desk, '' AS grp"),
    "desk": ("office, desk", "office, desk, '' AS grp"),
    "group": ("office, group_letter", "office, NULL AS desk, group_letter AS grp"),
}


async def stats(actor: Actor, date_from: date, date_to: date) -> dict[str, list[Figure]]:
    """Average and 90th-percentile (nearest rank) wait and service per office, desk
    and group, for the tickets of the days from ``date_from`` to ``date_to``."""
    if date_to < date_from:
        raise Invalid("кінець періоду раніше за початок / the period ends before it starts", "to")
    out: dict[str, list[Figure]] = {}
    for key, (partition, columns) in _DIMENSIONS.items():
        figures: list[Figure] = []
        for measure, column in (("wait", "wait_seconds"), ("service", "service_seconds")):
            rows = await QueueTicket.raw(
                f"WITH m AS (SELECT {columns}, {column} AS s, "
                f"ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {column}) AS rn, "
                f"COUNT(*) OVER (PARTITION BY {partition}) AS n "
                "FROM queue_ticket WHERE municipality = {} AND day >= {} AND day <= {} "
                f"AND {column} IS NOT NULL) "
                "SELECT office, desk, grp, COUNT(*) AS count, AVG(s) AS average, "
                "MIN(CASE WHEN rn >= 0.9 * n THEN s END) AS p90 "
                "FROM m GROUP BY office, desk, grp ORDER BY office, desk, grp",
                actor.municipality_id,
                date_from,
                date_to,
            )
            figures += [
                Figure(
                    key=key,
                    office_id=r["office"],
                    desk=r["desk"],
                    group=r["grp"] or "",
                    measure=measure,
                    count=int(r["count"]),
                    average_seconds=round(float(r["average"])),
                    p90_seconds=int(r["p90"]),
                )
                for r in rows
            ]
        out[key] = figures
    return out
