"""Contracts: provider × service × period, with the plugin's tariff, caps and budget line.

Making a contract commits its money cap on the budget line (refused when the line lacks
it); closing it releases what was not used.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import Assignment, Contract
from core.db.tables import Provider
from core.errors import Conflict, Invalid, NotFound
from core.platform import Platform, decode
from core.schemas import RowId
from core.service import ContractTerms, Service
from core.validators import Checked, PositiveMoney
from core.workflow import audit
from core.workflow.forms import validate_form
from core.workflow.market import budget
from core.workflow.market.units import (
    from_kopiyky,
    from_milli,
    positive_money,
    positive_quantity,
    to_kopiyky,
    to_milli,
)
from core.workflow.requests import FormInvalid

ContractStatus = Literal["draft", "active", "suspended", "closed"]
TRANSITIONS: dict[str, set[str]] = {
    "draft": {"active", "closed"},
    "active": {"suspended", "closed"},
    "suspended": {"active", "closed"},
    "closed": set(),
}


class ContractIn(Checked, kw_only=True, forbid_unknown_fields=True):
    provider_id: RowId
    service_code: Annotated[str, msgspec.Meta(max_length=128)]
    period_start: date
    period_end: date
    tariff: dict[str, Any]
    volume_cap: Decimal
    money_cap: PositiveMoney
    budget_line_id: RowId
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 0
    area: list[Annotated[str, msgspec.Meta(max_length=128)]] = msgspec.field(default_factory=list)
    signed_on: date | None = None
    draft: bool = False


class StatusIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: ContractStatus
    comment: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class ContractOut(msgspec.Struct, kw_only=True):
    id: int
    number: str
    provider_id: int
    provider_name: str
    service_code: str
    call_id: int | None
    period_start: date
    period_end: date
    tariff: dict[str, Any]
    volume_cap: Decimal
    money_cap: Decimal
    used_volume: Decimal
    used_money: Decimal
    remaining_money: Decimal
    budget_line_id: int
    capacity: int
    active_assignments: int
    area: list[str]
    status: str
    signed_on: date | None


def _select() -> Any:
    return Contract.select(*Contract.all_columns(), Contract.provider.name)


async def _out(row: dict[str, Any]) -> ContractOut:
    active = await Assignment.count().where(
        (Assignment.contract == row["id"]) & (Assignment.active == True)  # noqa: E712
    )
    return ContractOut(
        id=row["id"],
        number=row["number"],
        provider_id=row["provider"],
        provider_name=row["provider.name"],
        service_code=row["service_code"],
        call_id=row["call"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        tariff=decode(row["tariff"], {}),
        volume_cap=from_milli(row["volume_cap_milli"]),
        money_cap=from_kopiyky(row["money_cap_kop"]),
        used_volume=from_milli(row["used_milli"]),
        used_money=from_kopiyky(row["used_kop"]),
        remaining_money=from_kopiyky(row["money_cap_kop"] - row["used_kop"]),
        budget_line_id=row["budget_line"],
        capacity=row["capacity"],
        active_assignments=active,
        area=decode(row["area"], []),
        status=row["status"],
        signed_on=row["signed_on"],
    )


async def row_of(actor: Actor, contract_id: int) -> dict[str, Any]:
    row = (
        await _select()
        .where((Contract.id == contract_id) & (Contract.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "provider" and row["provider"] != actor.provider_id):
        raise NotFound(f"договір {contract_id} не знайдено / contract not found", "contract_id")
    return row


async def read(actor: Actor, contract_id: int) -> ContractOut:
    return await _out(await row_of(actor, contract_id))


def tariff_of(service: Service, data: Any) -> msgspec.Struct:
    """The contract's tariff as the plugin's Struct (400 naming each bad field)."""
    assert service.tariff is not None
    tariff, errors = validate_form(service.tariff, data, prefix="tariff")
    if errors:
        raise FormInvalid(errors)
    assert tariff is not None
    return tariff


def terms_of(service: Service, row: dict[str, Any]) -> ContractTerms:
    return ContractTerms(
        id=row["id"],
        number=row["number"],
        provider_id=row["provider"],
        service_code=row["service_code"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        tariff=tariff_of(service, decode(row["tariff"], {})),
    )


async def insert(
    actor: Actor,
    *,
    service: Service,
    provider_id: int,
    period: tuple[date, date],
    tariff: msgspec.Struct,
    volume_cap: Decimal,
    money_cap: Decimal,
    budget_line_id: int,
    capacity: int,
    area: list[str],
    status: str,
    signed_on: date | None,
    call_id: int | None = None,
    bid_id: int | None = None,
) -> int:
    """Insert a contract and commit its money; call inside a write transaction."""
    cap_kop = to_kopiyky(money_cap)
    if not await budget.commit(budget_line_id, cap_kop):
        line = await budget.line_row(actor.municipality_id, budget_line_id)
        raise budget.lacks_money(line, money_cap)
    row = Contract(
        municipality=actor.municipality_id,
        number="",
        provider=provider_id,
        service_code=service.code,
        call=call_id,
        bid=bid_id,
        period_start=period[0],
        period_end=period[1],
        tariff=msgspec.json.encode(tariff).decode(),
        volume_cap_milli=to_milli(volume_cap),
        money_cap_kop=cap_kop,
        budget_line=budget_line_id,
        capacity=capacity,
        area=msgspec.json.encode(area).decode(),
        status=status,
        signed_on=signed_on,
        created_by=actor.id,
    )
    await row.save()
    number = f"Д-{period[0].year}-{row.id:05d}"
    await Contract.update({Contract.number: number}).where(Contract.id == row.id)
    await audit.record(
        actor,
        "contract.create",
        "contract",
        row.id,
        {
            "number": number,
            "money_cap": str(money_cap),
            "call": call_id,
            "budget_line": budget_line_id,
        },
    )
    return int(row.id)


async def check_provider(actor: Actor, provider_id: int) -> None:
    provider = (
        await Provider.select(Provider.verified)
        .where((Provider.id == provider_id) & (Provider.municipality == actor.municipality_id))
        .first()
    )
    if provider is None:
        raise Invalid("надавача не знайдено / provider not found", "provider_id")
    if not provider["verified"]:
        raise Conflict("надавач не верифікований / the provider is not verified", "provider_id")


async def create_direct(platform: Platform, actor: Actor, body: ContractIn) -> ContractOut:
    """A direct contract (a communal provider, no call for proposals)."""
    service = await platform.service(actor.municipality_id, body.service_code)
    if service.payee != "provider":
        raise Invalid(
            "ця послуга не закуповується в надавачів / not bought from providers", "service_code"
        )
    if body.period_end < body.period_start:
        raise Invalid("кінець періоду раніше початку / period ends before it starts", "period_end")
    await check_provider(actor, body.provider_id)
    await budget.line_row(actor.municipality_id, body.budget_line_id)
    tariff = tariff_of(service, body.tariff)
    volume = positive_quantity(body.volume_cap, "volume_cap")
    money = positive_money(body.money_cap, "money_cap")
    async with write_transaction():
        contract_id = await insert(
            actor,
            service=service,
            provider_id=body.provider_id,
            period=(body.period_start, body.period_end),
            tariff=tariff,
            volume_cap=volume,
            money_cap=money,
            budget_line_id=body.budget_line_id,
            capacity=body.capacity,
            area=body.area,
            status="draft" if body.draft else "active",
            signed_on=None if body.draft else (body.signed_on or clock.today()),
        )
    return await read(actor, contract_id)


async def set_status(actor: Actor, contract_id: int, body: StatusIn) -> ContractOut:
    row = await row_of(actor, contract_id)
    if body.status not in TRANSITIONS[row["status"]]:
        raise Conflict(
            f"договір у стані «{row['status']}» не може стати «{body.status}» / "
            f"a contract in status '{row['status']}' cannot become '{body.status}'",
            "status",
        )
    async with write_transaction():
        changed = (
            await Contract.update({Contract.status: body.status})
            .where((Contract.id == contract_id) & (Contract.status == row["status"]))
            .returning(Contract.used_kop, Contract.money_cap_kop)
        )
        if not changed:
            raise Conflict("договір змінився, повторіть / the contract changed, retry", "status")
        if body.status == "closed":
            unused = changed[0]["money_cap_kop"] - changed[0]["used_kop"]
            await budget.release(row["budget_line"], unused)
            await Assignment.update(
                {Assignment.active: False, Assignment.ended_at: clock.now()}
            ).where((Assignment.contract == contract_id) & (Assignment.active == True))  # noqa: E712
        if body.status == "active" and row["signed_on"] is None:
            await Contract.update({Contract.signed_on: clock.today()}).where(
                Contract.id == contract_id
            )
        await audit.record(
            actor,
            "contract.status",
            "contract",
            contract_id,
            {"from": row["status"], "to": body.status, "comment": body.comment},
        )
    return await read(actor, contract_id)


async def listing(actor: Actor, status: str | None, service_code: str | None) -> list[ContractOut]:
    where: Any = Contract.municipality == actor.municipality_id
    if actor.role == "provider":
        where = where & (Contract.provider == actor.provider_id)
    if status:
        where = where & (Contract.status == status)
    if service_code:
        where = where & (Contract.service_code == service_code)
    rows = await _select().where(where).order_by(Contract.id)
    return [await _out(r) for r in rows]
