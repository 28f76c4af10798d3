"""Homeless support: rules (table-driven), pricing to the kopiyka, delivery checks against
the register, and the register API."""

from __future__ import annotations

import asyncio
import random
import re
import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest

from core import clock
from core.db.market import Assignment, BudgetLine, Contract, Delivery, DeliverySheet
from core.db.tables import AuditLog, Request
from core.parameters import Parameters
from core.platform import Platform
from core.plugins import PluginHost
from core.service import (
    Applicant,
    ContractTerms,
    DeliveryContext,
    Finding,
    Municipality,
    Payee,
    Service,
    Text,
)
from core.workflow.eligibility import evaluate
from core.workflow.market.recorded import RecordedFor, person_of
from plugins.homeless import billing
from plugins.homeless.service import (
    DOCUMENTS,
    HOT_MEAL,
    HYGIENE,
    LEGAL_CONSULTATION,
    NIGHT_STAY,
    PARAMETERS,
    PATROL_CONTACT,
    REHABILITATION_REFERRAL,
    SERVICES,
)
from tests.world import World

ON = date(2026, 3, 16)
MUNI = Municipality(
    id=1,
    slug="kovel",
    name=Text("Ковельська громада", "Kovel hromada"),
    settlements=("Ковель", "Дубове"),
)
ON_RECORD = Applicant(citizen_id=7, settlement="Ковель", categories=("homeless",))
BOTH = pytest.mark.world_plugins("funeral_aid", "homeless")
REGISTER = "/api/ext/homeless/register"
TOMORROW = "<tomorrow, taken when the test runs>"

#: A valid form of each service (answers that pass every rule).
FORMS: dict[str, dict[str, Any]] = {
    "homeless.night_stay": {"shelter_settlement": "", "needs_lower_bunk": True},
    "homeless.hot_meal": {"diet": "vegetarian"},
    "homeless.hygiene": {"wants_shower": True, "wants_laundry": False},
    "homeless.documents": {"document": "passport", "reason": "stolen"},
    "homeless.legal_consultation": {"topic": "housing"},
    "homeless.patrol_contact": {"usual_place": "Ковель, вокзал", "consent": True},
    "homeless.rehabilitation_referral": {
        "institution_kind": "reintegration_centre",
        "consent": True,
    },
}


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(["homeless"])


def run_rule(
    host: PluginHost,
    service: Service,
    rule_id: str,
    applicant: Applicant = ON_RECORD,
    **changes: Any,
) -> tuple[str, Text]:
    form = msgspec.convert({**FORMS[service.code], **changes}, service.form)
    result = evaluate(
        host,
        service,
        applicant=applicant,
        form=form,
        on=ON,
        params=Parameters(service.parameters),
        municipality=MUNI,
    )
    finding = next(f for f in result.findings if f.rule == rule_id)
    return finding.outcome, finding.message


def person(**changes: Any) -> Applicant:
    return msgspec.structs.replace(ON_RECORD, **changes)


# ----------------------------------------------------------------------------- rules
RULE_CASES = [
    # service, rule, applicant, form changes, outcome, words the user reads (uk)
    (NIGHT_STAY, "homeless.on_record", ON_RECORD, {}, "passed", "взято на облік"),
    (
        HOT_MEAL,
        "homeless.on_record",
        person(categories=("idp",)),
        {},
        "failed",
        "не взято на облік бездомних осіб",
    ),
    (DOCUMENTS, "homeless.on_record", person(categories=()), {}, "failed", "центру обліку"),
    (HYGIENE, "homeless.in_hromada", ON_RECORD, {}, "passed", "Ковель"),
    (HYGIENE, "homeless.in_hromada", person(settlement=" дубове "), {}, "passed", "дубове"),
    (
        LEGAL_CONSULTATION,
        "homeless.in_hromada",
        person(settlement="Луцьк"),
        {},
        "failed",
        "«Луцьк» не належить до громади",
    ),
    (PATROL_CONTACT, "homeless.in_hromada", person(settlement=None), {}, "unknown", "Невідомо"),
    (PATROL_CONTACT, "homeless.in_hromada", person(settlement=""), {}, "unknown", "Невідомо"),
    (NIGHT_STAY, "homeless.shelter_settlement", ON_RECORD, {}, "passed", "будь-який"),
    (
        NIGHT_STAY,
        "homeless.shelter_settlement",
        ON_RECORD,
        {"shelter_settlement": "Дубове"},
        "passed",
        "Дубове",
    ),
    (
        NIGHT_STAY,
        "homeless.shelter_settlement",
        ON_RECORD,
        {"shelter_settlement": "Луцьк"},
        "failed",
        "оберіть притулок громади",
    ),
    (HYGIENE, "homeless.hygiene_choice", ON_RECORD, {}, "passed", "душ"),
    (
        HYGIENE,
        "homeless.hygiene_choice",
        ON_RECORD,
        {"wants_shower": False, "wants_laundry": False},
        "failed",
        "Не обрано ні душу, ні прання",
    ),
    (PATROL_CONTACT, "homeless.consent", ON_RECORD, {}, "passed", "дала згоду"),
    (PATROL_CONTACT, "homeless.consent", ON_RECORD, {"consent": False}, "failed", "Без згоди"),
    (REHABILITATION_REFERRAL, "homeless.consent", ON_RECORD, {"consent": False}, "failed", "згоди"),
]


@pytest.mark.parametrize(
    ("service", "rule_id", "applicant", "changes", "outcome", "words"),
    RULE_CASES,
    ids=[
        f"{c[0].code.split('.')[1]}-{c[1].split('.')[1]}-{c[4]}-{i}"
        for i, c in enumerate(RULE_CASES)
    ],
)
def test_homeless_rule(
    host: PluginHost,
    service: Service,
    rule_id: str,
    applicant: Applicant,
    changes: dict[str, Any],
    outcome: str,
    words: str,
) -> None:
    got, message = run_rule(host, service, rule_id, applicant, **changes)
    assert got == outcome
    assert words in message.uk
    assert message.en


@pytest.mark.parametrize("service", SERVICES, ids=[s.code for s in SERVICES])
def test_a_registered_person_staying_here_is_eligible(host: PluginHost, service: Service) -> None:
    form = msgspec.convert(FORMS[service.code], service.form)
    result = evaluate(
        host,
        service,
        applicant=ON_RECORD,
        form=form,
        on=ON,
        params=Parameters(service.parameters),
        municipality=MUNI,
    )
    assert result.verdict == "eligible", result.findings
    assert {"homeless.on_record", "homeless.in_hromada"} <= {f.rule for f in result.findings}


@pytest.mark.parametrize("service", SERVICES, ids=[s.code for s in SERVICES])
def test_every_service_is_complete_and_bilingual(service: Service) -> None:
    assert service.payee is Payee.provider
    assert service.unit is not None
    assert service.unit.uk
    assert service.unit.en
    assert service.tariff is billing.UnitTariff
    assert service.check_delivery is not None
    assert service.price is not None
    assert service.tariff_from_unit_price is not None
    assert service.tariff_from_unit_price(Decimal("12.5")) == billing.UnitTariff(
        unit_price=Decimal("12.5")
    )
    card = service.card
    for text in (card.title, card.summary, card.who_may_apply, card.appeal, card.outcome):
        assert text.uk
        assert text.en
    assert any("2623-IV" in t.uk for t in card.legal_basis)
    assert any("2671-VIII" in t.en for t in card.legal_basis)
    assert {"not_registered", "not_in_hromada"} <= {g.code for g in card.refusal_grounds}
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.convert({**FORMS[service.code], "surprise": 1}, service.form)
    example = service.example_form
    assert example is not None
    form = example(random.Random(1), ON_RECORD, ON)
    assert isinstance(form, service.form)


def test_units_are_the_ones_providers_bill_in() -> None:
    assert NIGHT_STAY.unit == Text("ліжко-ніч", "bed-night")
    assert HOT_MEAL.unit == Text("порція", "portion")
    assert HYGIENE.unit == Text("послуга", "service")
    assert DOCUMENTS.unit == Text("справа", "case")
    assert LEGAL_CONSULTATION.unit == Text("консультація", "consultation")
    assert PATROL_CONTACT.unit == Text("контакт", "contact")
    assert REHABILITATION_REFERRAL.unit == Text("направлення", "referral")


def test_every_parameter_is_dated_sourced_and_carried_by_a_service() -> None:
    path = Path(__file__).resolve().parents[2] / "plugins" / "homeless" / "parameters.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    carried = {key for s in SERVICES for key in s.parameters}
    assert carried == set(PARAMETERS)
    for name, spec in raw.items():
        assert spec["source"], name
        assert spec["uk"], name
        assert spec["en"], name
        if name.startswith("reference_price"):
            assert "ASSUMPTION" in spec["source"], name
    assert Parameters(PARAMETERS).at("homeless.max_meal_portions_per_day", ON) == 3
    assert Parameters(PARAMETERS).at("homeless.night_stay_hours", ON) == "17:00–08:00"


# --------------------------------------------------------------------------- pricing
PRICING = [
    # service, unit price, delivery, quantity, amount
    (NIGHT_STAY, "250.00", {"night": "2026-03-16", "bed": "B-12"}, "1", "250.00"),
    (HOT_MEAL, "45.50", {"portions": 3, "meal": "lunch"}, "3", "136.50"),
    (HOT_MEAL, "45.50", {"portions": 1, "meal": "breakfast"}, "1", "45.50"),
    (HOT_MEAL, "33.335", {"portions": 3, "meal": "dinner"}, "3", "100.01"),  # 100.005 half up
    (HYGIENE, "60", {"kind": "shower"}, "1", "60.00"),
    (HYGIENE, "10.005", {"kind": "laundry"}, "1", "10.01"),
    (DOCUMENTS, "1200.00", {"document": "passport", "reference": "ВП-17"}, "1", "1200.00"),
    (LEGAL_CONSULTATION, "300.5", {"topic": "житло", "minutes": 40}, "1", "300.50"),
    (PATROL_CONTACT, "150.00", {"place": "вокзал", "outcome": "чай, ковдра"}, "1", "150.00"),
    (REHABILITATION_REFERRAL, "400.004", {"institution": "Центр реінтеграції"}, "1", "400.00"),
]


@pytest.mark.parametrize(
    ("service", "unit_price", "delivery", "quantity", "amount"),
    PRICING,
    ids=[f"{p[0].code.split('.')[1]}-{p[1]}" for p in PRICING],
)
def test_price_to_the_kopiyka(
    service: Service, unit_price: str, delivery: dict[str, Any], quantity: str, amount: str
) -> None:
    assert service.tariff is not None
    assert service.delivery is not None
    assert service.price
    tariff = msgspec.convert({"unit_price": unit_price}, service.tariff, strict=False)
    pricing = service.price(tariff, msgspec.convert(delivery, service.delivery))
    assert pricing.quantity == Decimal(quantity)
    assert pricing.amount == Decimal(amount)
    assert str(pricing.amount) == amount  # two places, always


@pytest.mark.parametrize("price", ["0", "-1", "0.00", "NaN"])
def test_a_unit_price_must_be_positive(price: str) -> None:
    with pytest.raises(msgspec.ValidationError, match="unit_price"):
        msgspec.convert({"unit_price": price}, billing.UnitTariff, strict=False)
    with pytest.raises(ValueError, match="unit_price"):
        billing.UnitTariff(unit_price=Decimal(price))


@pytest.mark.parametrize(
    ("service", "delivery"),
    [
        (HOT_MEAL, {"portions": 4, "meal": "lunch"}),
        (HOT_MEAL, {"portions": 0, "meal": "lunch"}),
        (HOT_MEAL, {"portions": 1, "meal": "supper"}),
        (HYGIENE, {"kind": "sauna"}),
        (DOCUMENTS, {"document": "passport", "stage": "opened"}),
        (LEGAL_CONSULTATION, {"topic": "", "minutes": 30}),
        (NIGHT_STAY, {"night": "2026-03-16", "extra": 1}),
    ],
)
def test_bad_deliveries_are_refused_at_the_edge(service: Service, delivery: dict[str, Any]) -> None:
    assert service.delivery is not None
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(delivery, service.delivery)


# ------------------------------------------------------------------ delivery checks
def ctx_for(
    service: Service,
    municipality: Municipality,
    citizen_id: int,
    delivered_on: date,
    delivery: dict[str, Any],
    *,
    period: tuple[date, date] = (date(2026, 1, 1), date(2026, 12, 31)),
    params: Parameters | None = None,
) -> DeliveryContext:
    assert service.delivery is not None
    return DeliveryContext(
        municipality=municipality,
        contract=ContractTerms(
            id=1,
            number="СЗ-2026-001",
            provider_id=1,
            service_code=service.code,
            period_start=period[0],
            period_end=period[1],
            tariff=billing.UnitTariff(unit_price=Decimal("100")),
        ),
        request_id=1,
        applicant=Applicant(citizen_id=citizen_id, settlement="Ковель", categories=("homeless",)),
        received_on=period[0],
        assigned_on=period[0],
        delivered_on=delivered_on,
        delivery=msgspec.convert(delivery, service.delivery),
        params=params or Parameters(service.parameters),
        recorded=RecordedFor(municipality.id, service.code, person_of(citizen_id, 1), delivered_on),
    )


async def run_check(ctx: DeliveryContext, service: Service) -> dict[str, Finding]:
    assert service.check_delivery is not None
    found = service.check_delivery(ctx)
    findings = await found if asyncio.iscoroutine(found) else found
    return {f.rule: f for f in findings}  # type: ignore[union-attr]


async def register(w: World, citizen_id: int, on: date, **body: Any) -> dict[str, Any]:
    payload = {
        "citizen_id": citizen_id,
        "channel": "application",
        "has_identity_documents": False,
        "registered_on": on.isoformat(),
        **body,
    }
    r = await w.post("intake", REGISTER, payload)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


async def muni_of(platform: Platform, w: World) -> Municipality:
    return await platform.municipality(id=w.municipality_id)


@BOTH
async def test_night_on_the_register_within_the_contract_passes(
    platform: Platform, world: World
) -> None:
    entry = await register(world, world.citizen_id, date(2026, 3, 1))
    night = date(2026, 3, 16)
    ctx = ctx_for(
        NIGHT_STAY,
        await muni_of(platform, world),
        world.citizen_id,
        night,
        {"night": night.isoformat()},
    )
    found = await run_check(ctx, NIGHT_STAY)
    assert all(f.passed for f in found.values()), found
    assert entry["certificate_number"] in found["homeless.on_register"].message.uk
    assert set(found) == {"homeless.on_register", "homeless.night_date", "homeless.contract_period"}
    assert NIGHT_STAY.delivery_key is not None
    assert NIGHT_STAY.delivery_key(ctx) == f"night:{world.citizen_id}:2026-03-16"


@BOTH
async def test_a_person_not_on_the_register_is_not_paid_for(
    platform: Platform, world: World
) -> None:
    await register(world, world.citizen_id, date(2026, 3, 1))
    night = date(2026, 3, 16)
    muni = await muni_of(platform, world)
    found = await run_check(
        ctx_for(NIGHT_STAY, muni, world.other_citizen_id, night, {"night": str(night)}),
        NIGHT_STAY,
    )
    finding = found["homeless.on_register"]
    assert finding.outcome == "failed"
    assert "не перебуває на обліку бездомних осіб" in finding.message.uk
    assert "not on the homeless register" in finding.message.en
    # the same person, but the register of another municipality
    other = msgspec.structs.replace(muni, id=muni.id + 100_000)
    found = await run_check(
        ctx_for(NIGHT_STAY, other, world.citizen_id, night, {"night": str(night)}), NIGHT_STAY
    )
    assert found["homeless.on_register"].outcome == "failed"


@BOTH
async def test_a_night_before_registration_is_not_paid_for(
    platform: Platform, world: World
) -> None:
    await register(world, world.citizen_id, date(2026, 3, 17))
    night = date(2026, 3, 16)
    found = await run_check(
        ctx_for(
            NIGHT_STAY,
            await muni_of(platform, world),
            world.citizen_id,
            night,
            {"night": str(night)},
        ),
        NIGHT_STAY,
    )
    finding = found["homeless.on_register"]
    assert finding.outcome == "failed"
    assert "лише 17.03.2026, пізніше за дату послуги 16.03.2026" in finding.message.uk


@BOTH
async def test_a_night_outside_the_contract_or_off_date_is_refused(
    platform: Platform, world: World
) -> None:
    await register(world, world.citizen_id, date(2025, 12, 1))
    muni = await muni_of(platform, world)
    night = date(2025, 12, 31)
    found = await run_check(
        ctx_for(NIGHT_STAY, muni, world.citizen_id, night, {"night": str(night)}), NIGHT_STAY
    )
    assert found["homeless.on_register"].passed
    period = found["homeless.contract_period"]
    assert period.outcome == "failed"
    assert "поза строком договору № СЗ-2026-001 (01.01.2026–31.12.2026)" in period.message.uk
    found = await run_check(
        ctx_for(NIGHT_STAY, muni, world.citizen_id, date(2026, 3, 17), {"night": "2026-03-16"}),
        NIGHT_STAY,
    )
    assert found["homeless.night_date"].outcome == "failed"
    assert (
        "не збігається з датою надання послуги 17.03.2026"
        in found["homeless.night_date"].message.uk
    )


@BOTH
async def test_a_removed_person_is_paid_for_only_while_on_the_register(
    platform: Platform, world: World
) -> None:
    entry = await register(world, world.citizen_id, date(2026, 2, 1))
    r = await world.post(
        "caseworker",
        f"{REGISTER}/{entry['id']}/remove",
        {"reason": "Отримав житло", "removed_on": "2026-03-10"},
    )
    assert r.status_code == 200, r.text
    muni = await muni_of(platform, world)
    before = await run_check(
        ctx_for(HYGIENE, muni, world.citizen_id, date(2026, 3, 9), {"kind": "shower"}), HYGIENE
    )
    assert before["homeless.on_register"].passed
    on_the_day = await run_check(
        ctx_for(HYGIENE, muni, world.citizen_id, date(2026, 3, 10), {"kind": "shower"}), HYGIENE
    )
    finding = on_the_day["homeless.on_register"]
    assert finding.outcome == "failed"
    assert "знято з обліку бездомних осіб 10.03.2026" in finding.message.uk


SAMPLE_DELIVERIES: dict[str, dict[str, Any]] = {
    "homeless.night_stay": {"night": "2026-03-16"},
    "homeless.hot_meal": {"portions": 2, "meal": "lunch"},
    "homeless.hygiene": {"kind": "laundry"},
    "homeless.documents": {"document": "id_card"},
    "homeless.legal_consultation": {"topic": "пенсія", "minutes": 30},
    "homeless.patrol_contact": {"place": "парк", "outcome": "гарячий чай"},
    "homeless.rehabilitation_referral": {"institution": "Соціальний готель"},
}


@BOTH
async def test_every_service_checks_the_register(platform: Platform, world: World) -> None:
    await register(world, world.citizen_id, date(2026, 3, 1))
    muni = await muni_of(platform, world)
    day = date(2026, 3, 16)
    for service in SERVICES:
        delivery = SAMPLE_DELIVERIES[service.code]
        ok = await run_check(ctx_for(service, muni, world.citizen_id, day, delivery), service)
        assert all(f.passed for f in ok.values()), (service.code, ok)
        refused = await run_check(
            ctx_for(service, muni, world.other_citizen_id, day, delivery), service
        )
        assert refused["homeless.on_register"].outcome == "failed", service.code
        if service is not NIGHT_STAY:
            assert service.delivery_key is None


async def _recorded_meal(w: World, citizen_id: int, day: date, portions: int) -> None:
    """A meal delivery as the core stores it (budget line, contract, sheet, request…)."""
    n = await Delivery.count()
    line = BudgetLine(
        municipality=w.municipality_id,
        year=day.year,
        programme_code="0813104",
        economic_code=f"{n % 10000:04d}",
        name="Послуги бездомним",
        allocation_kop=10_000_000,
    )
    await line.save()
    contract = Contract(
        municipality=w.municipality_id,
        number=f"T-{n}",
        provider=w.provider_id,
        service_code="homeless.hot_meal",
        period_start=date(day.year, 1, 1),
        period_end=date(day.year, 12, 31),
        tariff='{"unit_price": "45.50"}',
        volume_cap_milli=1_000_000,
        money_cap_kop=1_000_000,
        budget_line=line.id,
    )
    await contract.save()
    sheet = DeliverySheet(
        municipality=w.municipality_id, contract=contract.id, period=f"{day:%Y-%m}"
    )
    await sheet.save()
    request = Request(
        municipality=w.municipality_id,
        journal_number=f"T-{n}",
        service_code="homeless.hot_meal",
        citizen=citizen_id,
        channel="front_office",
        eligibility="eligible",
        status="assigned",
        received_on=day,
        due_date=day,
    )
    await request.save()
    assignment = Assignment(
        municipality=w.municipality_id, request=request.id, contract=contract.id
    )
    await assignment.save()
    await Delivery(
        municipality=w.municipality_id,
        contract=contract.id,
        sheet=sheet.id,
        assignment=assignment.id,
        request=request.id,
        provider=w.provider_id,
        service_code="homeless.hot_meal",
        delivered_on=day,
        data=msgspec.json.encode({"portions": portions, "meal": "breakfast"}).decode(),
        quantity_milli=portions * 1000,
        amount_kop=portions * 4550,
        idempotency_key=f"test-{n}",
    ).save()


@BOTH
async def test_meal_portions_are_capped_per_person_and_day(
    platform: Platform, world: World
) -> None:
    await register(world, world.citizen_id, date(2026, 3, 1))
    muni = await muni_of(platform, world)
    day = date(2026, 3, 16)
    lunch = {"portions": 2, "meal": "lunch"}
    found = await run_check(ctx_for(HOT_MEAL, muni, world.citizen_id, day, lunch), HOT_MEAL)
    assert found["homeless.meal_portions_per_day"].passed
    assert "2 з 3" in found["homeless.meal_portions_per_day"].message.uk

    await _recorded_meal(world, world.citizen_id, day, 2)
    await _recorded_meal(world, world.citizen_id, day - timedelta(days=1), 3)  # another day
    found = await run_check(ctx_for(HOT_MEAL, muni, world.citizen_id, day, lunch), HOT_MEAL)
    cap = found["homeless.meal_portions_per_day"]
    assert cap.outcome == "failed"
    assert "вже видано 2 порц.; з цими 2 буде 4, більше ніж 3 на день" in cap.message.uk
    one = {"portions": 1, "meal": "dinner"}
    found = await run_check(ctx_for(HOT_MEAL, muni, world.citizen_id, day, one), HOT_MEAL)
    assert found["homeless.meal_portions_per_day"].passed

    # the municipality's own cap (a dated parameter) applies
    params = Parameters(HOT_MEAL.parameters).overridden(
        {"homeless.max_meal_portions_per_day": [(date(2026, 3, 1), 2)]}
    )
    found = await run_check(
        ctx_for(HOT_MEAL, muni, world.citizen_id, day, one, params=params), HOT_MEAL
    )
    assert found["homeless.meal_portions_per_day"].outcome == "failed"
    # without a value in force the delivery is refused, naming the parameter
    found = await run_check(
        ctx_for(HOT_MEAL, muni, world.citizen_id, day, one, params=Parameters({})), HOT_MEAL
    )
    missing = found["homeless.meal_portions_per_day"]
    assert missing.outcome == "failed"
    assert "max_meal_portions_per_day" in missing.message.uk


@BOTH
async def test_a_consultation_shorter_than_the_minimum_is_not_paid_for(
    platform: Platform, world: World
) -> None:
    await register(world, world.citizen_id, date(2026, 3, 1))
    muni = await muni_of(platform, world)
    day = date(2026, 3, 16)
    short = {"topic": "пенсія", "minutes": 10}
    found = await run_check(
        ctx_for(LEGAL_CONSULTATION, muni, world.citizen_id, day, short), LEGAL_CONSULTATION
    )
    finding = found["homeless.consultation_length"]
    assert finding.outcome == "failed"
    assert "10 хв, менше ніж 15 хв" in finding.message.uk
    enough = {"topic": "пенсія", "minutes": 15}
    found = await run_check(
        ctx_for(LEGAL_CONSULTATION, muni, world.citizen_id, day, enough), LEGAL_CONSULTATION
    )
    assert found["homeless.consultation_length"].passed


# ------------------------------------------------------------------- register API
CERTIFICATE = re.compile(r"^БО-\d{4}-\d{5}$")


async def _audit(w: World, action: str, entry_id: int | None = None) -> list[dict[str, Any]]:
    where: Any = (AuditLog.municipality == w.municipality_id) & (AuditLog.action == action)
    if entry_id is not None:
        where = where & (AuditLog.subject_id == entry_id)
    rows: list[dict[str, Any]] = await AuditLog.select().where(where)
    return rows


@BOTH
async def test_register_a_person_gives_a_certificate_number_and_the_category(
    world: World,
) -> None:
    today = clock.today()
    r = await world.post(
        "intake",
        REGISTER,
        {
            "citizen_id": world.citizen_id,
            "channel": "patrol_detection",
            "has_identity_documents": False,
            "registered_address_is_centre": True,
            "confidential_notes": "Хронічна хвороба; уникає натовпу.",
        },
    )
    assert r.status_code == 201, r.text
    entry = r.json()
    assert CERTIFICATE.match(entry["certificate_number"])
    assert entry["certificate_number"].startswith(f"БО-{today.year}-")
    assert entry["registered_on"] == today.isoformat()
    assert entry["status"] == "active"
    assert entry["channel"] == "patrol_detection"
    assert entry["full_name"] == "Шевченко Оксана Іванівна"
    citizen = await world.get("caseworker", f"/api/citizens/{world.citizen_id}")
    assert "homeless" in citizen.json()["categories"]
    audit = await _audit(world, "homeless.register", entry["id"])
    assert len(audit) == 1
    assert "Хронічна" not in str(audit[0]["details"])  # notes never reach the audit log

    second = await register(world, world.other_citizen_id, today)
    first_n = int(entry["certificate_number"].rsplit("-", 1)[1])
    assert second["certificate_number"].endswith(f"-{first_n + 1:05d}")


@BOTH
async def test_parallel_registrations_get_distinct_certificate_numbers(world: World) -> None:
    ids = []
    for i in range(6):
        r = await world.post(
            "intake", "/api/citizens", {"last_name": f"Безхатько{i}", "first_name": "Іван"}
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    entries = await asyncio.gather(*[register(world, cid, clock.today()) for cid in ids])
    assert len({e["certificate_number"] for e in entries}) == 6


@BOTH
async def test_a_second_active_registration_is_a_conflict(world: World) -> None:
    entry = await register(world, world.citizen_id, date(2026, 1, 5))
    r = await world.post(
        "caseworker",
        REGISTER,
        {"citizen_id": world.citizen_id, "channel": "application", "has_identity_documents": True},
    )
    assert r.status_code == 409
    assert r.json()["extra"][0]["key"] == "citizen_id"
    assert entry["certificate_number"] in r.json()["detail"]


@BOTH
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"citizen_id": 999_999_999}, "citizen_id"),
        ({"registered_on": TOMORROW}, "registered_on"),
        ({"channel": "walk_in"}, "channel"),
        ({"has_identity_documents": "maybe"}, "has_identity_documents"),
        ({"confidential_notes": "x" * 4001}, "confidential_notes"),
        ({"password": "x"}, "data"),  # an unknown field: the message names it
    ],
)
async def test_bad_registrations_are_400_naming_the_field(
    world: World, body: dict[str, Any], field: str
) -> None:
    if body.get("registered_on") == TOMORROW:  # not at import: a run may cross midnight
        body = {"registered_on": (clock.today() + timedelta(days=1)).isoformat()}
    payload = {
        "citizen_id": world.citizen_id,
        "channel": "application",
        "has_identity_documents": False,
        **body,
    }
    r = await world.post("intake", REGISTER, payload)
    assert r.status_code == 400, r.text
    (error,) = r.json()["extra"]
    assert error["key"] == field
    if field == "data":
        assert "password" in error["message"]


@BOTH
async def test_a_citizen_of_another_municipality_cannot_be_registered_here(
    platform: Platform, world: World, client: Any
) -> None:
    from tests.world import make_world

    other = await make_world(platform, client, plugins=["homeless"])
    r = await world.post(
        "intake",
        REGISTER,
        {"citizen_id": other.citizen_id, "channel": "application", "has_identity_documents": True},
    )
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "citizen_id"
    mine = await register(world, world.citizen_id, date(2026, 2, 2))
    r = await other.get("caseworker", f"{REGISTER}/{mine['id']}")
    assert r.status_code == 404


@BOTH
async def test_list_searches_by_certificate_and_hides_confidential_notes(world: World) -> None:
    a = await register(world, world.citizen_id, date(2026, 2, 1), confidential_notes="секрет")
    b = await register(world, world.other_citizen_id, date(2026, 2, 3))
    r = await world.get("auditor", REGISTER)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == 2
    assert [e["id"] for e in page["items"]] == [b["id"], a["id"]]  # newest first
    assert all("confidential_notes" not in e for e in page["items"])
    number = a["certificate_number"]
    for query in (number, number.lower(), number.rsplit("-", 1)[1]):
        r = await world.get("intake", REGISTER, params={"certificate": query})
        assert [e["id"] for e in r.json()["items"]] == [a["id"]], query
    for query in ("%", "_"):  # LIKE wildcards are matched literally
        r = await world.get("intake", REGISTER, params={"certificate": query})
        assert r.json()["total"] == 0, query
    r = await world.get("intake", REGISTER, params={"page_size": 1, "page": 2})
    assert r.json()["total"] == 2
    assert [e["id"] for e in r.json()["items"]] == [a["id"]]
    r = await world.get("intake", REGISTER, params={"citizen_id": world.other_citizen_id})
    assert [e["id"] for e in r.json()["items"]] == [b["id"]]
    r = await world.get("intake", REGISTER, params={"status": "removed"})
    assert r.json()["items"] == []
    r = await world.get("intake", REGISTER, params={"status": "lost"})
    assert r.status_code == 400
    assert await _audit(world, "homeless.search")


@BOTH
async def test_reading_an_entry_shows_the_notes_and_is_audited(world: World) -> None:
    entry = await register(world, world.citizen_id, date(2026, 2, 1), confidential_notes="секрет")
    assert not await _audit(world, "homeless.read", entry["id"])
    r = await world.get("auditor", f"{REGISTER}/{entry['id']}")
    assert r.status_code == 200, r.text
    assert r.json()["confidential_notes"] == "секрет"
    assert r.json()["has_identity_documents"] is False
    audit = await _audit(world, "homeless.read", entry["id"])
    assert len(audit) == 1
    assert audit[0]["actor_role"] == "auditor"
    r = await world.get("auditor", f"{REGISTER}/999999999")
    assert r.status_code == 404


@BOTH
async def test_removal_needs_a_reason_and_takes_the_category_away(world: World) -> None:
    entry = await register(world, world.citizen_id, date(2026, 2, 1))
    url = f"{REGISTER}/{entry['id']}/remove"
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        r = await world.post("caseworker", url, body)
        assert r.status_code == 400, body
    r = await world.post("caseworker", url, {"reason": "Помилка", "removed_on": "2026-01-31"})
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "removed_on"
    r = await world.post("intake", url, {"reason": "Отримав житло"})
    assert r.status_code == 403
    r = await world.post("caseworker", url, {"reason": "  Отримав житло  "})
    assert r.status_code == 200, r.text
    removed = r.json()
    assert removed["status"] == "removed"
    assert removed["removed_on"] == clock.today().isoformat()
    assert removed["removal_reason"] == "Отримав житло"
    citizen = await world.get("caseworker", f"/api/citizens/{world.citizen_id}")
    assert "homeless" not in citizen.json()["categories"]
    assert await _audit(world, "homeless.remove", entry["id"])
    r = await world.post("admin", url, {"reason": "ще раз"})
    assert r.status_code == 409
    r = await world.get("caseworker", f"{REGISTER}/{entry['id']}/certificate")
    assert r.status_code == 409
    again = await register(world, world.citizen_id, clock.today())  # a new entry is allowed
    assert again["certificate_number"] != entry["certificate_number"]
    citizen = await world.get("caseworker", f"/api/citizens/{world.citizen_id}")
    assert "homeless" in citizen.json()["categories"]


@BOTH
async def test_certificate_data(world: World) -> None:
    entry = await register(
        world, world.citizen_id, date(2026, 2, 1), registered_address_is_centre=True
    )
    r = await world.get("intake", f"{REGISTER}/{entry['id']}/certificate")
    assert r.status_code == 200, r.text
    cert = r.json()
    assert cert["certificate_number"] == entry["certificate_number"]
    assert cert["full_name"] == "Шевченко Оксана Іванівна"
    assert cert["registered_on"] == "2026-02-01"
    assert cert["issued_on"] == clock.today().isoformat()
    assert cert["municipality"]["uk"].startswith("Тестова громада")
    assert f"Довідка № {entry['certificate_number']}" in cert["text"]["uk"]
    assert "01.02.2026" in cert["text"]["uk"]
    assert "адресою центру обліку" in cert["text"]["uk"]
    assert "2623-IV" in cert["legal_basis"]["en"]
    assert await _audit(world, "homeless.certificate", entry["id"])


@BOTH
async def test_roles_outside_the_register_are_refused(world: World) -> None:
    entry = await register(world, world.citizen_id, date(2026, 2, 1))
    body = {"citizen_id": world.other_citizen_id, "channel": "application"}
    for role in ("accountant", "provider", "citizen", "auditor"):
        r = await world.post(role, REGISTER, {**body, "has_identity_documents": True})
        assert r.status_code == 403, role
    for role in ("accountant", "provider", "citizen"):
        for url in (REGISTER, f"{REGISTER}/{entry['id']}"):
            r = await world.get(role, url)
            assert r.status_code == 403, (role, url)
    r = await world.get("auditor", f"{REGISTER}/{entry['id']}/certificate")
    assert r.status_code == 403
    r = await world.get(None, REGISTER)
    assert r.status_code == 401


@pytest.mark.world_plugins("funeral_aid")
async def test_the_register_is_closed_where_the_plugin_is_not_enabled(world: World) -> None:
    r = await world.post(
        "intake",
        REGISTER,
        {"citizen_id": world.citizen_id, "channel": "application", "has_identity_documents": True},
    )
    assert r.status_code == 404
    assert r.json()["extra"][0]["key"] == "plugin"
    r = await world.get("intake", REGISTER)
    assert r.status_code == 404


@BOTH
async def test_requests_become_eligible_once_the_person_is_on_the_register(
    world: World,
) -> None:
    body = {
        "service_code": "homeless.night_stay",
        "citizen_id": world.citizen_id,
        "form": FORMS["homeless.night_stay"],
    }
    r = await world.post("intake", "/api/screening", {"applicant": {}, "answers": {}})
    assert r.status_code in (200, 201), r.text
    before = await world.post("intake", "/api/requests", body)
    assert before.status_code == 201, before.text
    assert before.json()["eligibility"] == "not_eligible"
    failed = [f["rule"] for f in before.json()["findings"] if f["outcome"] == "failed"]
    assert failed == ["homeless.on_record"]
    await register(world, world.citizen_id, clock.today())
    after = await world.post("intake", "/api/requests", body)
    assert after.json()["eligibility"] == "eligible", after.json()["findings"]


@BOTH
async def test_no_garbage_breaks_the_register_routes(world: World) -> None:
    entry = await register(world, world.citizen_id, date(2026, 2, 1))
    bodies: list[object] = [
        None,
        [],
        "text",
        12,
        {"citizen_id": 2**70, "channel": "application", "has_identity_documents": True},
        {
            "citizen_id": world.other_citizen_id,
            "channel": "application",
            "has_identity_documents": True,
            "confidential_notes": "\u0000",
        },
        {
            "citizen_id": world.other_citizen_id,
            "channel": "application",
            "has_identity_documents": True,
            "registered_on": "2026-02-30",
        },
        {"reason": "\u0000", "removed_on": "0000-00-00"},
    ]
    urls = [
        ("POST", REGISTER),
        ("POST", f"{REGISTER}/{entry['id']}/remove"),
        ("GET", f"{REGISTER}?certificate=%00%27%20OR%201=1"),
        ("GET", f"{REGISTER}?page=0"),
        ("GET", f"{REGISTER}?citizen_id={'9' * 30}"),
        ("GET", f"{REGISTER}/2147483648"),
        ("GET", f"{REGISTER}/abc/certificate"),
    ]
    for method, url in urls:
        for body in bodies:
            r = await world.client.request(method, url, json=body, headers=world.auth("admin"))
            assert r.status_code < 500, (method, url, body, r.text)
