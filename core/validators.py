"""Ukrainian identifiers, checked by python-stdnum: РНОКПП, ЄДРПОУ and IBAN."""

from __future__ import annotations

from stdnum import iban as _iban
from stdnum.exceptions import ValidationError
from stdnum.ua import edrpou as _edrpou
from stdnum.ua import rntrc as _rntrc

from core.errors import Invalid


def tax_number(value: str, field: str = "tax_number") -> str:
    """Validate an individual tax number (РНОКПП, 10 digits with a check digit)."""
    try:
        return str(_rntrc.validate(value))
    except ValidationError as exc:
        raise Invalid(f"РНОКПП «{value}» недійсний / tax number is invalid ({exc})", field) from exc


def edrpou(value: str, field: str = "edrpou") -> str:
    """Validate a legal entity code (ЄДРПОУ, 8 digits with a check digit)."""
    try:
        return str(_edrpou.validate(value))
    except ValidationError as exc:
        raise Invalid(f"ЄДРПОУ «{value}» недійсний / EDRPOU is invalid ({exc})", field) from exc


def iban(value: str, field: str = "iban") -> str:
    """Validate a Ukrainian IBAN (29 characters, mod-97 check)."""
    try:
        compact = str(_iban.validate(value))
    except ValidationError as exc:
        raise Invalid(f"IBAN «{value}» недійсний / IBAN is invalid ({exc})", field) from exc
    if not compact.startswith("UA") or len(compact) != 29:
        raise Invalid(
            f"IBAN «{value}» не український / not a Ukrainian IBAN (UA + 27 characters)", field
        )
    return compact
