"""A valid funeral-aid application, and variations of it, for the tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core import clock
from tests.world import IBAN


def funeral_form(received: date | None = None, **changes: Any) -> dict[str, Any]:
    on = received or clock.today()
    death = on - timedelta(days=30)
    form: dict[str, Any] = {
        "deceased_last_name": "Мельник",
        "deceased_first_name": "Василь",
        "deceased_patronymic": "Петрович",
        "deceased_birth_date": "1970-05-04",
        "death_date": death.isoformat(),
        "death_record_number": "1234",
        "death_record_date": (death + timedelta(days=2)).isoformat(),
        "deceased_settlement": "Ковель",
        "deceased_employed": False,
        "deceased_pensioner": False,
        "deceased_registered_unemployed": False,
        "deceased_full_state_maintenance": False,
        "relation": "child",
        "burial_paid_by_applicant": True,
        "iban": IBAN,
        "declaration_no_other_benefit": True,
        "declaration_data_true": True,
    }
    form.update(changes)
    return form
