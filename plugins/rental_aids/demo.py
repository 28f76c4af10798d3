"""Demo data of the rental point: device types, a stocked rental point, and loans of the
given citizens — active, returned and overdue — with one month billed.

Every row goes through the plugin's and the core's use cases, with the running platform
the hook is given.
Each given citizen gets a request whose medical conclusion (number from the citizen, date
the first day of the month of ``since + 20 days``, the month the core demo bills) equals
the one the core demo's own form will carry: that later request is then not eligible
(``rental_aids.conclusion_once``), so the core never records a generic delivery for it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    Citizen,
    DecisionIn,
    DomainError,
    Parameters,
    Platform,
    RequestIn,
    assignments,
    citizen_flow,
    clock,
    deliveries,
    request_flow,
)
from plugins.rental_aids import bill, inventory, loans, waiting
from plugins.rental_aids.days import month_of
from plugins.rental_aids.demo_contract import rental_contract, rental_point
from plugins.rental_aids.forms import STANDARD_TYPES, example_form
from plugins.rental_aids.schemas import DeviceTypeIn, IssueIn, ItemIn, ReturnIn, WaitingIn
from plugins.rental_aids.service import CODE, PARAMETERS
from plugins.rental_aids.tables import RentalDeviceType, RentalItem

STOCK = {
    "wheelchair": 8,
    "walker": 6,
    "crutches": 6,
    "cane": 4,
    "functional_bed": 1,
    "commode_chair": 3,
    "anti_bedsore_mattress": 2,
    "bath_seat": 2,
}
#: Demo prices (UAH) and service lives (months) per device type, for residual values.
VALUES = {
    "wheelchair": ("9800.00", 72),
    "walker": ("1650.00", 48),
    "crutches": ("780.00", 36),
    "cane": ("420.00", 36),
    "functional_bed": ("18500.00", 96),
    "commode_chair": ("2300.00", 60),
    "anti_bedsore_mattress": ("3100.00", 36),
    "bath_seat": ("950.00", 48),
}
PLACES = ["Склад пункту прокату", "Кімната видачі", "Філія у старостаті"]


async def _stock(actor: Actor, provider_id: int, rng: random.Random) -> None:
    muni = actor.municipality_id
    for code, name in STANDARD_TYPES.items():
        if not await RentalDeviceType.exists().where(
            (RentalDeviceType.municipality == muni) & (RentalDeviceType.code == code)
        ):
            life = VALUES[code][1] if code in VALUES else None
            await inventory.create_type(
                actor,
                DeviceTypeIn(code=code, name_uk=name.uk, name_en=name.en, service_life_months=life),
            )
    if await RentalItem.exists().where(RentalItem.municipality == muni):
        return
    n = 0
    for code, count in STOCK.items():
        for _ in range(count):
            n += 1
            await inventory.create_item(
                actor,
                ItemIn(
                    device_code=code,
                    inventory_number=f"ПП-{n:05d}",
                    serial=f"SN{rng.randint(100000, 999999)}",
                    condition=rng.choice(["new", "good", "good", "fair"]),
                    location=rng.choice(PLACES),
                    provider_id=provider_id,
                    purchase_value=Decimal(VALUES[code][0]) if code in VALUES else None,
                    acquired_on=clock.today() - timedelta(days=rng.randint(60, 1500)),
                ),
            )


async def _request(
    platform: Platform, actor: Actor, contract_id: int | None, citizen: dict[str, Any], form: Any
) -> Any:
    """A request of the service, approved and assigned to the rental point's contract (only
    submitted when there is no contract: its conclusion is then used all the same)."""
    received = min(form.medical_conclusion_date + timedelta(days=1), clock.today())
    detail = await request_flow.submit(
        platform,
        actor,
        RequestIn(
            service_code=CODE,
            citizen_id=citizen["id"],
            form=msgspec.to_builtins(form),
            received_on=received,
        ),
    )
    if detail.eligibility != "eligible" or contract_id is None:
        return None
    await request_flow.decide(platform, actor, detail.id, DecisionIn(decision="approve"))
    await assignments.assign(
        actor, detail.id, assignments.AssignIn(contract_id=contract_id, assigned_on=received)
    )
    return detail


async def _lend(
    platform: Platform, actor: Actor, detail: Any, code: str, contract_id: int | None
) -> Any:
    """Issue a free item of the type, or put the request on the waiting list."""
    free = await RentalItem.select(RentalItem.id).where(
        (RentalItem.municipality == actor.municipality_id)
        & (RentalItem.device_type.code == code)
        & (RentalItem.status == "available")
    )
    on = min(detail.received_on + timedelta(days=1), clock.today())
    # Never before the request may be served: a request received before the contract's
    # start (an older loan in January) gets its item on the contract's first day.
    first = await deliveries.first_day(detail.id, contract_id) if contract_id else None
    on = max(on, first) if first is not None else on
    for item in free:
        try:
            return await loans.issue(
                platform, actor, IssueIn(request_id=detail.id, item_id=item["id"], issued_on=on)
            )
        except DomainError:  # offered to the waiting list or of another point
            continue
    await waiting.enqueue(actor, WaitingIn(request_id=detail.id, note="Демо: чекає предмет"))
    return None


async def prepare(platform: Platform, actor: Actor, citizen_ids: list[int], since: date) -> None:
    rng = random.Random(actor.municipality_id * 97 + len(citizen_ids))
    today = clock.today()
    provider = await rental_point(actor.municipality_id)
    if provider is None:
        return
    await _stock(actor, provider, rng)
    contract = await rental_contract(platform, actor, provider, since)
    billed = since + timedelta(days=20)  # the month the core demo bills
    term = int(Parameters(PARAMETERS).at("rental_aids.loan_term_days", today)) + 25
    for n, citizen_id in enumerate(citizen_ids):
        citizen = await Citizen.select().where(Citizen.id == citizen_id).first()
        if citizen is None:
            continue
        applicant = citizen_flow.snapshot(citizen)
        form = example_form(rng, applicant, billed)
        if n % 3 == 2:
            form = msgspec.structs.replace(form, device_type="functional_bed")
        detail = await _request(platform, actor, contract, citizen, form)
        if detail is None:
            continue
        loan = await _lend(platform, actor, detail, form.device_type, contract)
        if n % 3 == 1 and loan is not None:
            back = min(loan.issued_on + timedelta(days=10 + n), today - timedelta(days=1))
            await loans.give_back(
                platform,
                actor,
                loan.id,
                ReturnIn(condition="good", cleaning_done=True, returned_on=back)
                if n != 1
                else ReturnIn(  # one comes back broken: charged at its residual value
                    condition="damaged",
                    damage_noted=True,
                    damage_note="Зламано підлокітник, потріскана рама",
                    beyond_normal_wear=True,
                    returned_on=back,
                ),
            )
        if n % 3 == 2:  # an older loan, now overdue
            old = example_form(rng, applicant, today - timedelta(days=term))
            old = msgspec.structs.replace(old, device_type="walker")
            earlier = await _request(platform, actor, contract, citizen, old)
            if earlier is not None:
                await _lend(platform, actor, earlier, "walker", contract)
    if contract is not None:
        await bill.bill_month(platform, actor, month_of(billed))
