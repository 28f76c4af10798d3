"""Calls for proposals, bids, the commission's scores, and the award that makes a contract."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import Bid, BidScore, CallForProposals
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.platform import Platform, decode
from core.schemas import RowId
from core.service import Service
from core.validators import Checked, PositiveMoney
from core.workflow import audit
from core.workflow.market import budget, contracts, part_prices
from core.workflow.market.units import (
    from_kopiyky,
    from_milli,
    money,
    positive_money,
    positive_quantity,
    to_kopiyky,
    to_milli,
)

Code = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
#: A part of a multi-part tariff (``TariffPart.key``).
PartKey = Annotated[str, msgspec.Meta(max_length=32)]


class Criterion(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    code: Code
    name: Annotated[str, msgspec.Meta(min_length=2, max_length=255)]
    weight: Annotated[int, msgspec.Meta(ge=1, le=100)]


class CallIn(Checked, kw_only=True, forbid_unknown_fields=True):
    service_code: Annotated[str, msgspec.Meta(max_length=128)]
    title: Annotated[str, msgspec.Meta(min_length=3, max_length=255)]
    #: In the service's unit (for a multi-part tariff, its first part's).
    volume: Decimal
    #: The maximum price of the unit, for a service with one price per unit.
    max_unit_price: PositiveMoney | None = None
    #: The maximum price of every part, for a service with a multi-part tariff.
    max_prices: dict[PartKey, Decimal] = msgspec.field(default_factory=dict)
    period_start: date
    period_end: date
    criteria: Annotated[list[Criterion], msgspec.Meta(min_length=1, max_length=20)]
    deadline: datetime
    budget_line_id: RowId
    description: Annotated[str, msgspec.Meta(max_length=10000)] = ""


class CallOut(msgspec.Struct, kw_only=True):
    id: int
    number: str
    title: str
    service_code: str
    volume: Decimal
    #: None for a multi-part tariff, whose maxima are ``max_prices``.
    max_unit_price: Decimal | None
    max_prices: dict[str, Decimal]
    period_start: date
    period_end: date
    criteria: list[Criterion]
    deadline: datetime
    accepting_bids: bool
    budget_line_id: int
    status: str
    description: str
    bids: int


class BidIn(Checked, kw_only=True, forbid_unknown_fields=True):
    #: The price of the unit and the volume in it, for a service with one price per unit.
    unit_price: PositiveMoney | None = None
    volume: Decimal | None = None
    #: The price and the expected quantity over the contract of every part, for a service
    #: with a multi-part tariff (its first part's quantity is the volume).
    prices: dict[PartKey, Decimal] = msgspec.field(default_factory=dict)
    volumes: dict[PartKey, Decimal] = msgspec.field(default_factory=dict)
    answers: dict[Code, Annotated[str, msgspec.Meta(max_length=10000)]] = msgspec.field(
        default_factory=dict
    )
    note: Annotated[str, msgspec.Meta(max_length=4000)] = ""


class BidOut(msgspec.Struct, kw_only=True):
    id: int
    call_id: int
    provider_id: int
    provider_name: str
    #: None for a multi-part tariff, priced by ``prices``.
    unit_price: Decimal | None
    volume: Decimal
    prices: dict[str, Decimal]
    volumes: dict[str, Decimal]
    #: What the bid would cost over the contract: unit price × volume, or
    #: Σ price × volume over the parts; the award reserves it.
    cost: Decimal
    answers: dict[str, str]
    note: str
    status: str
    submitted_at: datetime
    #: The commission's mean weighted score (0–100), once scored.
    score: Decimal | None
    scored_by: int


class ScoreIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    scores: dict[Code, Annotated[int, msgspec.Meta(ge=0, le=100)]]
    comment: Annotated[str, msgspec.Meta(max_length=4000)] = ""


class AwardIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: The winning bid; by default the one with the best mean score.
    bid_id: RowId | None = None
    comment: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 0
    area: list[Annotated[str, msgspec.Meta(max_length=128)]] = msgspec.field(default_factory=list)


def _now() -> datetime:
    return clock.now()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _call_row(actor: Actor, call_id: int) -> dict[str, Any]:
    row = (
        await CallForProposals.select()
        .where(
            (CallForProposals.id == call_id)
            & (CallForProposals.municipality == actor.municipality_id)
        )
        .first()
    )
    if row is None:
        raise NotFound(f"конкурс {call_id} не знайдено / call not found", "call_id")
    return row


async def _call_out(row: dict[str, Any]) -> CallOut:
    bids = await Bid.count().where((Bid.call == row["id"]) & (Bid.status != "withdrawn"))
    deadline = _aware(row["deadline"])
    maxima = part_prices.prices_of(row["max_prices"])
    return CallOut(
        id=row["id"],
        number=row["number"],
        title=row["title"],
        service_code=row["service_code"],
        volume=from_milli(row["volume_milli"]),
        max_unit_price=None if maxima else from_kopiyky(row["max_unit_price_kop"]),
        max_prices=maxima,
        period_start=row["period_start"],
        period_end=row["period_end"],
        criteria=msgspec.convert(decode(row["criteria"], []), list[Criterion]),
        deadline=deadline,
        accepting_bids=row["status"] == "open" and _now() < deadline,
        budget_line_id=row["budget_line"],
        status=row["status"],
        description=row["description"],
        bids=bids,
    )


async def create_call(platform: Platform, actor: Actor, body: CallIn) -> CallOut:
    service = await platform.service(actor.municipality_id, body.service_code)
    if service.payee != "provider":
        raise Invalid(
            "ця послуга не закуповується в надавачів / not bought from providers", "service_code"
        )
    if not service.tariff_parts and service.tariff_from_unit_price is None:
        raise Invalid(
            "тариф послуги не задається ціною за одиницю; укладіть договір напряму / "
            "this service's tariff is not a unit price: make a direct contract",
            "service_code",
        )
    if body.period_end < body.period_start:
        raise Invalid("кінець періоду раніше початку / period ends before it starts", "period_end")
    if _aware(body.deadline) <= _now():
        raise Invalid(
            "строк подання має бути в майбутньому / the deadline must be in the future", "deadline"
        )
    codes = [c.code for c in body.criteria]
    if len(set(codes)) != len(codes):
        raise Invalid("коди критеріїв повторюються / criteria codes repeat", "criteria")
    if sum(c.weight for c in body.criteria) != 100:
        raise Invalid(
            "сума ваг критеріїв має бути 100 / criteria weights must add up to 100", "criteria"
        )
    await budget.line_row(actor.municipality_id, body.budget_line_id)
    volume = positive_quantity(body.volume, "volume")
    price, maxima = _call_prices(service, body)
    async with write_transaction():
        row = CallForProposals(
            municipality=actor.municipality_id,
            number="",
            title=body.title,
            service_code=body.service_code,
            volume_milli=to_milli(volume),
            max_unit_price_kop=to_kopiyky(price),
            max_prices=part_prices.prices_json(maxima),
            period_start=body.period_start,
            period_end=body.period_end,
            criteria=msgspec.json.encode(body.criteria).decode(),
            deadline=_aware(body.deadline),
            budget_line=body.budget_line_id,
            description=body.description,
            created_by=actor.id,
        )
        await row.save()
        number = f"К-{body.period_start.year}-{row.id:04d}"
        await CallForProposals.update({CallForProposals.number: number}).where(
            CallForProposals.id == row.id
        )
        await audit.record(actor, "call.create", "call", row.id, {"number": number})
    return await read_call(actor, int(row.id))


def _call_prices(service: Service, body: CallIn) -> tuple[Decimal, dict[str, Decimal]]:
    """The call's maximum unit price (0 for a multi-part tariff) and its maximum price of
    every part (none for one price per unit)."""
    if not service.tariff_parts:
        if body.max_prices:
            raise Invalid(
                "тариф послуги не має складових; вкажіть max_unit_price / "
                "the service's tariff has no parts: give max_unit_price",
                "max_prices",
            )
        if body.max_unit_price is None:
            raise Invalid("вкажіть граничну ціну / max_unit_price is required", "max_unit_price")
        return positive_money(body.max_unit_price, "max_unit_price"), {}
    if body.max_unit_price is not None:
        raise Invalid(
            "тариф послуги має складові; вкажіть граничну ціну кожної в max_prices / "
            "the service's tariff has parts: give the maximum of each in max_prices",
            "max_unit_price",
        )
    return Decimal(0), part_prices.checked_prices(service, body.max_prices, "max_prices")


async def read_call(actor: Actor, call_id: int) -> CallOut:
    return await _call_out(await _call_row(actor, call_id))


async def list_calls(actor: Actor, status: str | None) -> list[CallOut]:
    where: Any = CallForProposals.municipality == actor.municipality_id
    if status:
        where = where & (CallForProposals.status == status)
    rows = (
        await CallForProposals.select().where(where).order_by(CallForProposals.id, ascending=False)
    )
    return [await _call_out(r) for r in rows]


async def _bid_out(row: dict[str, Any]) -> BidOut:
    scores = await BidScore.select(BidScore.total_centi).where(BidScore.bid == row["id"])
    mean = (
        (Decimal(sum(s["total_centi"] for s in scores)) / len(scores) / 100).quantize(
            Decimal("0.01")
        )
        if scores
        else None
    )
    prices = part_prices.prices_of(row["prices"])
    volumes = part_prices.volumes_of(row["volumes"])
    unit_price = from_kopiyky(row["unit_price_kop"])
    volume = from_milli(row["volume_milli"])
    return BidOut(
        id=row["id"],
        call_id=row["call"],
        provider_id=row["provider"],
        provider_name=row["provider.name"],
        unit_price=None if prices else unit_price,
        volume=volume,
        prices=prices,
        volumes=volumes,
        cost=part_prices.cost(prices, volumes) if prices else money(unit_price * volume),
        answers=decode(row["answers"], {}),
        note=row["note"],
        status=row["status"],
        submitted_at=row["submitted_at"],
        score=mean,
        scored_by=len(scores),
    )


def _bids() -> Any:
    return Bid.select(*Bid.all_columns(), Bid.provider.name)


def _bid_terms(
    service: Service, call: dict[str, Any], body: BidIn
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bid's stored price and volume columns, checked against the call, and what the
    audit row says of them."""
    if not service.tariff_parts:
        for name, given in (("prices", body.prices), ("volumes", body.volumes)):
            if given:
                raise Invalid(
                    "тариф послуги не має складових; вкажіть unit_price і volume / "
                    "the service's tariff has no parts: give unit_price and volume",
                    name,
                )
        if body.unit_price is None:
            raise Invalid("вкажіть ціну / unit_price is required", "unit_price")
        if body.volume is None:
            raise Invalid("вкажіть обсяг / volume is required", "volume")
        price = positive_money(body.unit_price, "unit_price")
        if to_kopiyky(price) > call["max_unit_price_kop"]:
            raise Invalid(
                f"ціна вища за граничну {from_kopiyky(call['max_unit_price_kop'])} / "
                "the price is above the call's maximum",
                "unit_price",
            )
        volume = positive_quantity(body.volume, "volume")
        if to_milli(volume) > call["volume_milli"]:
            raise Invalid("обсяг більший за оголошений / the volume exceeds the call's", "volume")
        single_values = {"unit_price_kop": to_kopiyky(price), "volume_milli": to_milli(volume)}
        return single_values, {"unit_price": str(price), "volume": str(volume)}
    for name, single in (("unit_price", body.unit_price), ("volume", body.volume)):
        if single is not None:
            raise Invalid(
                "тариф послуги має складові; вкажіть prices і volumes для кожної / "
                "the service's tariff has parts: give prices and volumes of each",
                name,
            )
    prices = part_prices.checked_prices(service, body.prices, "prices")
    part_prices.not_above(prices, part_prices.prices_of(call["max_prices"]), "prices")
    volumes = part_prices.checked_volumes(service, body.volumes, "volumes")
    volume = part_prices.unit_volume(service, volumes)
    if to_milli(volume) > call["volume_milli"]:
        first = service.tariff_parts[0].key
        raise Invalid(
            "обсяг більший за оголошений / the volume exceeds the call's", f"volumes.{first}"
        )
    values: dict[str, Any] = {
        "unit_price_kop": 0,
        "volume_milli": to_milli(volume),
        "prices": part_prices.prices_json(prices),
        "volumes": part_prices.volumes_json(volumes),
    }
    said: dict[str, Any] = {
        "prices": {k: str(v) for k, v in prices.items()},
        "volumes": {k: str(v) for k, v in volumes.items()},
        "cost": str(part_prices.cost(prices, volumes)),
    }
    return values, said


async def submit_bid(platform: Platform, actor: Actor, call_id: int, body: BidIn) -> BidOut:
    """A provider's bid; submitting again before the deadline replaces it."""
    if actor.provider_id is None:
        raise Forbidden("подавати пропозиції можуть лише надавачі / only providers bid", "role")
    call = await _call_row(actor, call_id)
    if call["status"] != "open" or _now() >= _aware(call["deadline"]):
        raise Conflict("прийом пропозицій завершено / the call no longer accepts bids", "call_id")
    await contracts.check_provider(actor, actor.provider_id)
    service = await platform.service(actor.municipality_id, call["service_code"])
    terms, said = _bid_terms(service, call, body)
    codes = {c["code"] for c in decode(call["criteria"], [])}
    unknown = sorted(set(body.answers) - codes)
    if unknown:
        raise Invalid(f"невідомі критерії / unknown criteria: {unknown}", "answers")
    values: dict[str, Any] = {
        "prices": "{}",
        "volumes": "{}",
        **terms,
        "answers": msgspec.json.encode(body.answers).decode(),
        "note": body.note,
    }
    async with write_transaction():
        existing = (
            await Bid.select(Bid.id)
            .where((Bid.call == call_id) & (Bid.provider == actor.provider_id))
            .first()
        )
        if existing:
            await Bid.update(
                {
                    **{getattr(Bid, k): v for k, v in values.items()},
                    Bid.status: "submitted",
                    Bid.submitted_at: _now(),
                }
            ).where(Bid.id == existing["id"])
            await BidScore.delete().where(BidScore.bid == existing["id"])
            bid_id = existing["id"]
        else:
            row = Bid(
                municipality=actor.municipality_id,
                call=call_id,
                provider=actor.provider_id,
                **values,
            )
            await row.save()
            bid_id = row.id
        await audit.record(
            actor,
            "bid.submit",
            "bid",
            bid_id,
            {"call": call_id, **said},
        )
    return await read_bid(actor, bid_id)


async def read_bid(actor: Actor, bid_id: int) -> BidOut:
    row = (
        await _bids()
        .where((Bid.id == bid_id) & (Bid.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "provider" and row["provider"] != actor.provider_id):
        raise NotFound(f"пропозицію {bid_id} не знайдено / bid not found", "bid_id")
    return await _bid_out(row)


async def list_bids(actor: Actor, call_id: int) -> list[BidOut]:
    await _call_row(actor, call_id)
    query = _bids().where(Bid.call == call_id)
    if actor.role == "provider":
        query = query.where(Bid.provider == actor.provider_id)
    return [await _bid_out(r) for r in await query.order_by(Bid.id)]


async def withdraw_bid(actor: Actor, bid_id: int) -> BidOut:
    bid = await read_bid(actor, bid_id)
    call = await _call_row(actor, bid.call_id)
    if call["status"] != "open" or _now() >= _aware(call["deadline"]):
        raise Conflict("після строку подання відкликати не можна / too late to withdraw", "bid_id")
    await Bid.update({Bid.status: "withdrawn"}).where(Bid.id == bid_id)
    await audit.record(actor, "bid.withdraw", "bid", bid_id)
    return await read_bid(actor, bid_id)


async def score_bid(actor: Actor, bid_id: int, body: ScoreIn) -> BidOut:
    """A commission member's scores (0–100 per criterion), weighted into a total."""
    bid = await read_bid(actor, bid_id)
    call = await _call_row(actor, bid.call_id)
    if call["status"] != "open" or _now() < _aware(call["deadline"]):
        raise Conflict("оцінювати можна після строку подання / score after the deadline", "bid_id")
    if bid.status != "submitted":
        raise Conflict("пропозицію відкликано / the bid was withdrawn", "bid_id")
    criteria = msgspec.convert(decode(call["criteria"], []), list[Criterion])
    missing = [c.code for c in criteria if c.code not in body.scores]
    extra = sorted(set(body.scores) - {c.code for c in criteria})
    if missing or extra:
        raise Invalid(
            f"оцініть кожен критерій / score every criterion: missing {missing}, unknown {extra}",
            "scores",
        )
    total = sum(body.scores[c.code] * c.weight for c in criteria)  # in hundredths of a point
    async with write_transaction():
        await BidScore.delete().where((BidScore.bid == bid_id) & (BidScore.scorer == actor.id))
        await BidScore(
            bid=bid_id,
            scorer=actor.id,
            scores=msgspec.json.encode(body.scores).decode(),
            total_centi=total,
            comment=body.comment,
        ).save()
        await audit.record(actor, "bid.score", "bid", bid_id, {"total": total / 100})
    return await read_bid(actor, bid_id)


async def award(
    platform: Platform, actor: Actor, call_id: int, body: AwardIn
) -> contracts.ContractOut:
    call = await _call_row(actor, call_id)
    if call["status"] != "open":
        raise Conflict("конкурс уже завершено / the call is already decided", "call_id")
    if _now() < _aware(call["deadline"]):
        raise Conflict("строк подання ще не минув / the deadline has not passed", "call_id")
    bids = [b for b in await list_bids(actor, call_id) if b.status == "submitted"]
    scored = [b for b in bids if b.score is not None]
    if not scored:
        raise Conflict("комісія ще не оцінила пропозицій / no bid has been scored", "call_id")
    # Among equal scores the lower price wins: the unit price, or a multi-part tariff's
    # expected cost over the contract.
    best = max(scored, key=lambda b: (b.score, -(b.unit_price or b.cost)))
    chosen = best if body.bid_id is None else next((b for b in bids if b.id == body.bid_id), None)
    if chosen is None or chosen.score is None:
        raise Invalid(
            "оберіть оцінену пропозицію цього конкурсу / choose a scored bid of this call", "bid_id"
        )
    if chosen.id != best.id and not body.comment.strip():
        raise Invalid(
            "обґрунтуйте вибір не найкращої пропозиції / explain choosing a lower score", "comment"
        )
    service = await platform.service(actor.municipality_id, call["service_code"])
    if chosen.unit_price is None:  # a multi-part tariff: every part is priced and counted
        tariff = part_prices.tariff_of(service, chosen.prices)
    else:
        assert service.tariff_from_unit_price is not None
        tariff = service.tariff_from_unit_price(chosen.unit_price)
    money_cap = chosen.cost
    async with write_transaction():
        claimed = (
            await CallForProposals.update({CallForProposals.status: "awarded"})
            .where((CallForProposals.id == call_id) & (CallForProposals.status == "open"))
            .returning(CallForProposals.id)
        )
        if not claimed:
            raise Conflict("конкурс уже завершено / the call is already decided", "call_id")
        contract_id = await contracts.insert(
            actor,
            service=service,
            provider_id=chosen.provider_id,
            period=(call["period_start"], call["period_end"]),
            tariff=tariff,
            volume_cap=chosen.volume,
            money_cap=money_cap,
            budget_line_id=call["budget_line"],
            capacity=body.capacity,
            area=body.area,
            status="active",
            signed_on=clock.today(),
            call_id=call_id,
            bid_id=chosen.id,
        )
        await Bid.update({Bid.status: "lost"}).where(
            (Bid.call == call_id) & (Bid.status == "submitted") & (Bid.id != chosen.id)
        )
        await Bid.update({Bid.status: "won"}).where(Bid.id == chosen.id)
        await audit.record(
            actor,
            "call.award",
            "call",
            call_id,
            {
                "bid": chosen.id,
                "contract": contract_id,
                "score": str(chosen.score),
                "comment": body.comment,
            },
        )
    return await contracts.read(actor, contract_id)


async def cancel_call(actor: Actor, call_id: int, reason: str) -> CallOut:
    if not reason.strip():
        raise Invalid("вкажіть причину / a reason is required", "comment")
    changed = (
        await CallForProposals.update({CallForProposals.status: "cancelled"})
        .where(
            (CallForProposals.id == call_id)
            & (CallForProposals.municipality == actor.municipality_id)
            & (CallForProposals.status == "open")
        )
        .returning(CallForProposals.id)
    )
    if not changed:
        raise Conflict("скасувати можна лише відкритий конкурс / only an open call", "call_id")
    await audit.record(actor, "call.cancel", "call", call_id, {"reason": reason})
    return await read_call(actor, call_id)
