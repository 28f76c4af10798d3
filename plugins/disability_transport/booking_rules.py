"""Rules of a trip booking, as pure functions of the dated parameters and the facts.

Each returns a :class:`Finding` the user reads; a booking is refused when any fails.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from core.sdk import Finding, Parameters, Text, add_term

P = "disability_transport."
LEAD = P + "lead_time"
PURPOSE = P + "purpose"
DURATION = P + "duration"
MONTHLY = P + "monthly_cap"
YEARLY = P + "yearly_cap"
FIT = P + "vehicle_fit"

PURPOSES_UK = {
    "medical": "заклад охорони здоров'я",
    "rehabilitation": "реабілітація",
    "social_protection": "соціальний захист",
    "pension_fund": "Пенсійний фонд",
    "msek": "МСЕК",
    "education": "навчання",
    "culture": "культурний захід",
    "shops": "магазини",
    "market": "ринок",
    "other": "інше",
}


def _ok(rule: str, uk: str, en: str) -> Finding:
    return Finding(rule, "passed", Text(uk, en))


def _no(rule: str, uk: str, en: str) -> Finding:
    return Finding(rule, "failed", Text(uk, en))


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def earliest_trip_date(params: Parameters, today: date) -> date:
    days = int(params.at(P + "booking_lead_working_days", today))
    return add_term(today, days, "working") if days > 0 else today


def lead_time(params: Parameters, today: date, trip_date: date) -> Finding:
    days = int(params.at(P + "booking_lead_working_days", today))
    first = earliest_trip_date(params, today)
    if trip_date >= first:
        return _ok(LEAD, f"Поїздка {_d(trip_date)}.", f"Trip on {_d(trip_date)}.")
    return _no(
        LEAD,
        f"Поїздку треба замовити щонайменше за {days} робоч. дн.: найраніша дата — {_d(first)}.",
        f"A trip must be booked at least {days} working day(s) ahead: the earliest date is "
        f"{_d(first)}.",
    )


def purpose(params: Parameters, today: date, value: str) -> Finding:
    excluded = list(params.at(P + "excluded_purposes", today))
    name = PURPOSES_UK.get(value, value)
    if value in excluded:
        return _no(
            PURPOSE,
            f"Мета «{name}» не обслуговується: соціальне таксі не возить до магазинів, "
            "на ринок чи в побутових справах.",
            f"The purpose '{value}' is not served: the social taxi does not go to shops, "
            "markets or on household errands.",
        )
    return _ok(PURPOSE, f"Мета поїздки: {name}.", f"Purpose of the trip: {value}.")


def duration(params: Parameters, trip_date: date, start_minute: int, minutes: int) -> Finding:
    hours = int(params.at(P + "max_trip_hours", trip_date))
    if start_minute + minutes >= 24 * 60:
        return _no(
            DURATION,
            "Поїздка має завершитися до опівночі.",
            "The trip must end before midnight.",
        )
    if minutes > hours * 60:
        return _no(
            DURATION,
            f"Поїздка триває {minutes} хв, довше ніж {hours} год.",
            f"The trip takes {minutes} min, longer than {hours} h.",
        )
    return _ok(DURATION, f"Тривалість {minutes} хв.", f"Duration {minutes} min.")


def _cap(rule: str, cap: int, taken: int, uk_period: str, en_period: str) -> Finding:
    if cap <= 0:
        return _ok(rule, f"Ліміту поїздок за {uk_period} немає.", f"No trip limit per {en_period}.")
    if taken + 1 <= cap:
        return _ok(
            rule,
            f"Це {taken + 1}-а поїздка з {cap} за {uk_period}.",
            f"This is trip {taken + 1} of {cap} per {en_period}.",
        )
    return _no(
        rule,
        f"Ліміт {cap} поїздок за {uk_period} вичерпано (уже {taken}, враховано неявки й "
        "пізні скасування).",
        f"The limit of {cap} trips per {en_period} is used up ({taken} already, no-shows and "
        "late cancellations included).",
    )


def monthly_cap(params: Parameters, trip_date: date, taken: int) -> Finding:
    cap = int(params.at(P + "monthly_trip_cap", trip_date))
    return _cap(MONTHLY, cap, taken, "місяць", "month")


def yearly_cap(params: Parameters, trip_date: date, taken: int) -> Finding:
    cap = int(params.at(P + "yearly_trip_cap", trip_date))
    return _cap(YEARLY, cap, taken, "рік", "year")


def vehicle_fit(vehicle: dict[str, Any], wheelchair: str, companion: bool) -> Finding:
    plate = vehicle["plate"]
    if not vehicle["active"]:
        return _no(FIT, f"Автомобіль {plate} не працює.", f"Vehicle {plate} is not in service.")
    if wheelchair != "none" and vehicle["wheelchair_places"] < 1:
        return _no(
            FIT,
            f"В автомобілі {plate} немає місця для крісла колісного.",
            f"Vehicle {plate} has no wheelchair place.",
        )
    if wheelchair == "electric" and not (vehicle["has_lift"] or vehicle["has_ramp"]):
        return _no(
            FIT,
            f"Електричне крісло не завантажити: автомобіль {plate} без підйомника і пандуса.",
            f"An electric wheelchair cannot board: vehicle {plate} has no lift or ramp.",
        )
    seats = int(companion) + (1 if wheelchair == "none" else 0)
    if vehicle["seats"] < seats:
        return _no(
            FIT,
            f"В автомобілі {plate} лише {vehicle['seats']} сидінь, потрібно {seats}.",
            f"Vehicle {plate} has {vehicle['seats']} seat(s), {seats} needed.",
        )
    return _ok(FIT, f"Автомобіль {plate} підходить.", f"Vehicle {plate} fits.")


def is_late(params: Parameters, now: datetime, start: datetime) -> bool:
    """Whether cancelling at ``now`` a trip starting at ``start`` is a late cancellation."""
    hours = int(params.at(P + "cancellation_deadline_hours", start.date()))
    return now > start - timedelta(hours=hours)
