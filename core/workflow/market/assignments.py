"""Assigning an approved request to an active contract of its service, and closing it.

A request may be assigned to several contracts at once (a household's subsidy paid to
each of its utility providers, a person served by two providers), at most once to each:
the first assignment moves the request to ``assigned``, later ones add a contract. A
delivery then names its contract when the request has several (see ``deliveries``).

An assignment entered later than it was made carries its day (``assigned_on``): no
delivery under it may be dated earlier (``core.delivery_after_assignment``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import Assignment, Contract
from core.db.tables import Provider, Request
from core.errors import Conflict, Invalid, NotFound
from core.notify import request_news
from core.platform import decode
from core.schemas import RowId
from core.service import Text
from core.validators import Checked
from core.workflow import audit, quality
from core.workflow.calendar import first_receipt_day
from core.workflow.market.contracts import row_of as contract_row
from core.workflow.requests import days_back, transition


class AssignIn(Checked, kw_only=True, forbid_unknown_fields=True):
    contract_id: RowId
    comment: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    #: The day the assignment was made, when it is entered later; defaults to today. Never
    #: in the future, never before the request was received, and at most
    #: ``core.intake_backdate_days`` back.
    assigned_on: date | None = None


class AssignmentOut(msgspec.Struct, kw_only=True):
    id: int
    request_id: int
    contract_id: int
    active: bool
    #: The Kyiv day the assignment was made: deliveries under it are dated on or after it.
    assigned_on: date


def day_of(at: datetime) -> date:
    """The Kyiv calendar day of a stored instant (an assignment's ``assigned_at``)."""
    if at.tzinfo is None:  # stored in UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(clock.KYIV).date()


async def _assigned_at(actor: Actor, request: dict[str, Any], day: date | None) -> datetime:
    """When the assignment was made: now, or noon (Kyiv) of the day given for one entered
    later, which must lie within the backdating window and not before the receipt."""
    if day is None or day == clock.today():
        return clock.now()
    await days_back(
        actor.municipality_id, day, "assigned_on", Text("дата призначення", "assigned_on")
    )
    received = first_receipt_day(request["received_on"])
    if day < received:
        raise Invalid(
            f"призначення {day:%d.%m.%Y} раніше за отримання звернення "
            f"{request['received_on']:%d.%m.%Y} / the assignment on {day:%d.%m.%Y} precedes "
            f"the request's receipt on {request['received_on']:%d.%m.%Y}",
            "assigned_on",
        )
    return datetime.combine(day, time(12), clock.KYIV).astimezone(UTC)


async def _request(actor: Actor, request_id: int) -> dict[str, Any]:
    row = (
        await Request.select()
        .where((Request.id == request_id) & (Request.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"звернення {request_id} не знайдено / request not found", "request_id")
    return row


async def assign(actor: Actor, request_id: int, body: AssignIn) -> AssignmentOut:
    request = await _request(actor, request_id)
    if request["status"] not in ("approved", "assigned"):
        raise Conflict(
            "призначити можна лише схвалене звернення / only an approved request", "request_id"
        )
    contract = (
        await Contract.select()
        .where((Contract.id == body.contract_id) & (Contract.municipality == actor.municipality_id))
        .first()
    )
    if contract is None:
        raise Invalid("договір не знайдено / contract not found", "contract_id")
    if contract["service_code"] != request["service_code"]:
        raise Invalid(
            "договір на іншу послугу / the contract is for another service", "contract_id"
        )
    if contract["status"] != "active" or contract["period_end"] < clock.today():
        raise Conflict("договір не діє / the contract is not in force", "contract_id")
    area = decode(contract["area"], [])
    settlement = decode(request["applicant_snapshot"], {}).get("settlement") or ""
    if area and settlement not in area:
        raise Conflict(
            f"надавач не обслуговує «{settlement}» / the provider does not serve '{settlement}'",
            "contract_id",
        )
    assigned_at = await _assigned_at(actor, request, body.assigned_on)
    async with write_transaction():
        if await Assignment.exists().where(
            (Assignment.request == request_id)
            & (Assignment.contract == contract["id"])
            & (Assignment.active == True)  # noqa: E712
        ):
            raise Conflict(
                "звернення вже призначене цьому договору / already assigned to this contract",
                "contract_id",
            )
        if contract["capacity"]:
            # Lock the contract row so parallel assignments cannot both take the last place.
            await Contract.raw(
                "UPDATE contract SET capacity = capacity WHERE id = {}", contract["id"]
            )
            busy = await Assignment.count().where(
                (Assignment.contract == contract["id"]) & (Assignment.active == True)  # noqa: E712
            )
            if busy >= contract["capacity"]:
                raise Conflict(
                    f"у надавача немає вільних місць ({busy}/{contract['capacity']}) / "
                    "the contract is at capacity",
                    "contract_id",
                )
        row = Assignment(
            municipality=actor.municipality_id,
            request=request_id,
            contract=contract["id"],
            assigned_by=actor.id,
            assigned_at=assigned_at,
        )
        await row.save()
        if request["status"] == "approved":
            await transition(actor, request, "assigned", {}, body.comment or contract["number"])
            provider = (
                await Provider.select(Provider.name)
                .where(Provider.id == contract["provider"])
                .first()
            )
            await request_news.request_moved(
                request_id=request_id,
                status="assigned",
                extra=provider["name"] if provider else contract["number"],
            )
        await audit.record(
            actor,
            "request.assign",
            "request",
            request_id,
            {
                "contract": contract["id"],
                "assignment": row.id,
                "assigned_on": str(day_of(assigned_at)),
            },
        )
    return AssignmentOut(
        id=int(row.id),
        request_id=request_id,
        contract_id=contract["id"],
        active=True,
        assigned_on=day_of(assigned_at),
    )


async def close(actor: Actor, request_id: int, comment: str) -> None:
    """The service is complete: the request is closed and its assignment ends."""
    request = await _request(actor, request_id)
    async with write_transaction():
        await transition(actor, request, "closed", {}, comment)
        ended = await (
            Assignment.update({Assignment.active: False, Assignment.ended_at: clock.now()})
            .where((Assignment.request == request_id) & (Assignment.active == True))  # noqa: E712
            .returning(Assignment.id)
        )
        await quality.invite_after_close(request_id, [a["id"] for a in ended])
        await audit.record(actor, "request.close", "request", request_id, {"comment": comment})


class AssignedPerson(msgspec.Struct, kw_only=True):
    """A person served under a contract: the active assignment, its request and the
    applicant as frozen at submission."""

    assignment_id: int
    request_id: int
    journal_number: str
    citizen_id: int | None
    name: str
    settlement: str
    address: str
    received_on: date
    #: The Kyiv day of the assignment: no delivery under it is dated earlier.
    assigned_on: date


async def of_contract(
    actor: Actor, contract_id: int, *, ended: bool = False
) -> list[AssignedPerson]:
    """The active assignments of a contract (with ``ended``, the ended ones too), by name.
    A provider sees only its own contracts (another's is not found). Reading names
    personal data: the caller audits it (``core.workflow.audit.read``) with the citizens'
    ids."""
    await contract_row(actor, contract_id)
    where: Any = (Assignment.contract == contract_id) & (
        Assignment.municipality == actor.municipality_id
    )
    if not ended:
        where = where & (Assignment.active == True)  # noqa: E712
    rows = await (
        Assignment.select(
            Assignment.id,
            Assignment.request,
            Assignment.assigned_at,
            Assignment.request.journal_number,
            Assignment.request.applicant_snapshot,
            Assignment.request.received_on,
        )
        .where(where)
        .order_by(Assignment.id)
    )
    people = []
    for r in rows:
        who = decode(r["request.applicant_snapshot"], {})
        name = " ".join(
            str(who[k]) for k in ("last_name", "first_name", "patronymic") if who.get(k)
        )
        people.append(
            AssignedPerson(
                assignment_id=r["id"],
                request_id=r["request"],
                journal_number=r["request.journal_number"],
                citizen_id=who.get("citizen_id"),
                name=name,
                settlement=who.get("settlement") or "",
                address=who.get("address") or "",
                received_on=r["request.received_on"],
                assigned_on=day_of(r["assigned_at"]),
            )
        )
    people.sort(key=lambda p: (p.name, p.request_id))
    return people
