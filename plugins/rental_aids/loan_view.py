"""How a loan is read and shown, with the text of its act of handover."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.sdk import Text, clock, from_kopiyky
from plugins.rental_aids.common import full_name, money_or_none
from plugins.rental_aids.schemas import LoanOut, ResidualBasis
from plugins.rental_aids.tables import RentalLoan

L = RentalLoan
CONDITIONS = {
    "new": Text("новий", "new"),
    "good": Text("добрий", "good"),
    "fair": Text("задовільний", "fair"),
    "worn": Text("зношений", "worn"),
    "damaged": Text("пошкоджений", "damaged"),
}


def loan_select() -> Any:
    kind: Any = L.item.device_type
    return L.select(
        *L.all_columns(),
        L.item.inventory_number.as_alias("inventory_number"),
        L.item.serial.as_alias("serial"),
        kind.code.as_alias("device_code"),
        kind.name_uk.as_alias("name_uk"),
        kind.name_en.as_alias("name_en"),
        L.request.journal_number.as_alias("journal_number"),
        L.citizen.last_name.as_alias("last_name"),
        L.citizen.first_name.as_alias("first_name"),
        L.citizen.patronymic.as_alias("patronymic"),
        L.provider.name.as_alias("provider_name"),
        L.contract.number.as_alias("contract_number"),
    )


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def act_text(row: dict[str, Any]) -> Text:
    cond = CONDITIONS.get(row["condition_at_issue"], Text(row["condition_at_issue"], ""))
    serial_uk = f", серійний № {row['serial']}" if row["serial"] else ""
    serial_en = f", serial No. {row['serial']}" if row["serial"] else ""
    deposit = from_kopiyky(row["deposit_kop"])
    uk = (
        f"Акт приймання-передачі № {row['id']} від {_d(row['issued_on'])}. {row['provider_name']} "
        f"(договір № {row['contract_number']}) передає, а {full_name(row)} приймає у тимчасове "
        f"користування {row['name_uk']}, інв. № {row['inventory_number']}{serial_uk}, стан "
        f"{cond.uk}, до {_d(row['due_on'])} (звернення № {row['journal_number']}). "
        f"Застава: {deposit} грн."
    )
    en = (
        f"Act of handover No. {row['id']} of {_d(row['issued_on'])}. {row['provider_name']} "
        f"(contract No. {row['contract_number']}) hands over and {full_name(row)} takes for "
        f"temporary use a {row['name_en'].lower()}, inventory No. {row['inventory_number']}"
        f"{serial_en}, condition {cond.en}, until {_d(row['due_on'])} (request No. "
        f"{row['journal_number']}). Deposit: {deposit} UAH."
    )
    if row["handover_note"]:
        uk += f" Примітка: {row['handover_note']}"
        en += f" Note: {row['handover_note']}"
    return Text(uk, en)


def residual_basis(row: dict[str, Any]) -> ResidualBasis | None:
    """What the residual value of a returned loan was computed from, if it was."""
    if row["residual_value_kop"] is None:
        return None
    return ResidualBasis(
        purchase_value=from_kopiyky(row["residual_purchase_kop"]),
        months_in_use=row["residual_months_used"],
        service_life_months=row["residual_life_months"],
    )


def deposit_returned_kop(row: dict[str, Any]) -> int:
    """The deposit given back at the return: all of it less the part kept (0 before)."""
    if row["status"] != "returned":
        return 0
    return int(row["deposit_kop"]) - int(row["deposit_kept_kop"])


def loan_out(row: dict[str, Any]) -> LoanOut:
    today = clock.today()
    late = row["status"] == "active" and row["due_on"] < today
    return LoanOut(
        id=row["id"],
        item_id=row["item"],
        inventory_number=row["inventory_number"],
        device_code=row["device_code"],
        request_id=row["request"],
        journal_number=row["journal_number"],
        citizen_id=row["citizen"],
        citizen_name=full_name(row),
        provider_id=row["provider"],
        contract_id=row["contract"],
        issued_on=row["issued_on"],
        due_on=row["due_on"],
        status=row["status"],
        overdue=late,
        days_overdue=(today - row["due_on"]).days if late else 0,
        condition_at_issue=row["condition_at_issue"],
        handover_note=row["handover_note"],
        deposit=from_kopiyky(row["deposit_kop"]),
        extensions=row["extensions"],
        returned_on=row["returned_on"],
        condition_at_return=row["condition_at_return"],
        damage_noted=row["damage_noted"],
        damage_note=row["damage_note"],
        beyond_normal_wear=row["beyond_normal_wear"],
        charge_basis=row["charge_basis"],
        damage_charge=from_kopiyky(row["damage_charge_kop"]),
        residual_value=money_or_none(row["residual_value_kop"]),
        residual_basis=residual_basis(row),
        deposit_kept=from_kopiyky(row["deposit_kept_kop"]),
        deposit_returned=from_kopiyky(deposit_returned_kop(row)),
        charge_due=from_kopiyky(row["charge_due_kop"]),
        cleaning_done=row["cleaning_done"],
        handover_act=act_text(row),
    )
