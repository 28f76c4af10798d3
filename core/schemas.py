"""msgspec Structs of the API: what comes in and what goes out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from core.service import Applicant, Finding, Text
from core.validators import Checked

Name = Annotated[str, Meta(min_length=1, max_length=128)]
#: A row id: positive and within a 32-bit serial, so no input reaches the database unchecked.
RowId = Annotated[int, Meta(ge=1, le=2_147_483_647)]
Role = Literal["admin", "intake", "caseworker", "accountant", "provider", "citizen", "auditor"]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
STAFF: tuple[str, ...] = ("admin", "intake", "caseworker", "accountant", "auditor")

Category = Literal[
    "disability",
    "child_with_disability",
    "wheelchair_user",
    "veteran",
    "idp",
    "large_family",
    "low_income",
    "homeless",
    "pensioner",
    "single_pensioner",
    "orphan",
]
Channel = Literal["front_office", "remote_workplace", "online", "home_visit"]
RequestStatus = Literal["submitted", "approved", "refused", "withdrawn", "assigned", "closed"]
ProviderKind = Literal["ngo", "communal", "private", "individual", "utility"]

T = TypeVar("T")


class Page(Struct, Generic[T]):
    """A page of a list (docs/api.md, "Pagination")."""

    items: list[T]
    #: The rows matching, counted up to 10,000 where the list says so (``total_exact``).
    total: int
    page: int
    page_size: int
    #: False when more than ``total`` rows match (the count stopped at its bound).
    total_exact: bool = True
    #: The cursor of the next page, to send as ``after``; none on the last page (and on
    #: lists without cursors).
    next_after: str | None = None


# ------------------------------------------------------------------ citizens
class CitizenIn(Checked, kw_only=True, forbid_unknown_fields=True):
    last_name: Name
    first_name: Name
    patronymic: Annotated[str, Meta(max_length=128)] = ""
    birth_date: date | None = None
    tax_number: str | None = None
    gender: Literal["", "m", "f"] = ""
    settlement: Annotated[str, Meta(max_length=128)] = ""
    address: Annotated[str, Meta(max_length=500)] = ""
    phone: Annotated[str, Meta(max_length=32)] = ""
    email: Annotated[str, Meta(max_length=255)] = ""
    categories: list[Category] = msgspec.field(default_factory=list)
    disability_group: Literal[1, 2, 3] | None = None
    household_id: RowId | None = None


class CitizenPatch(Checked, kw_only=True, forbid_unknown_fields=True):
    last_name: Name | UnsetType = UNSET
    first_name: Name | UnsetType = UNSET
    patronymic: Annotated[str, Meta(max_length=128)] | UnsetType = UNSET
    birth_date: date | UnsetType | None = UNSET
    tax_number: str | UnsetType | None = UNSET
    gender: Literal["", "m", "f"] | UnsetType = UNSET
    settlement: Annotated[str, Meta(max_length=128)] | UnsetType = UNSET
    address: Annotated[str, Meta(max_length=500)] | UnsetType = UNSET
    phone: Annotated[str, Meta(max_length=32)] | UnsetType = UNSET
    email: Annotated[str, Meta(max_length=255)] | UnsetType = UNSET
    categories: list[Category] | UnsetType = UNSET
    disability_group: Literal[1, 2, 3] | UnsetType | None = UNSET
    household_id: int | UnsetType | None = UNSET


class CitizenOut(Struct, kw_only=True):
    id: int
    last_name: str
    first_name: str
    patronymic: str
    birth_date: date | None
    tax_number: str | None
    gender: str
    settlement: str
    address: str
    phone: str
    email: str
    categories: list[str]
    disability_group: int | None
    household_id: int | None
    created_at: datetime
    updated_at: datetime


# ----------------------------------------------------------------- providers
class ProviderIn(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=2, max_length=255)]
    kind: ProviderKind
    iban: str
    edrpou: str | None = None
    tax_number: str | None = None
    address: Annotated[str, Meta(max_length=500)] = ""
    phone: Annotated[str, Meta(max_length=32)] = ""
    email: Annotated[str, Meta(max_length=255)] = ""


class ProviderPatch(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=2, max_length=255)] | UnsetType = UNSET
    kind: ProviderKind | UnsetType = UNSET
    iban: str | UnsetType = UNSET
    edrpou: str | UnsetType | None = UNSET
    tax_number: str | UnsetType | None = UNSET
    address: Annotated[str, Meta(max_length=500)] | UnsetType = UNSET
    phone: Annotated[str, Meta(max_length=32)] | UnsetType = UNSET
    email: Annotated[str, Meta(max_length=255)] | UnsetType = UNSET


class ProviderOut(Struct, kw_only=True):
    id: int
    name: str
    kind: str
    edrpou: str | None
    tax_number: str | None
    iban: str
    address: str
    phone: str
    email: str
    verified: bool
    verified_at: datetime | None
    created_at: datetime


class VerifyIn(Struct, kw_only=True, forbid_unknown_fields=True):
    verified: bool = True
    comment: str = ""


# ------------------------------------------------------------------ requests
class RequestIn(Checked, kw_only=True, forbid_unknown_fields=True):
    service_code: Annotated[str, Meta(max_length=128)]
    citizen_id: RowId
    form: dict[str, Any]
    channel: Channel = "front_office"
    office_id: RowId | None = None
    #: The day the application was received; defaults to today.
    received_on: date | None = None


class EventOut(Struct, kw_only=True):
    at: datetime
    actor: str | None
    from_status: str | None
    to_status: str
    comment: str


class RequestOut(Struct, kw_only=True):
    id: int
    journal_number: str
    service_code: str
    citizen_id: int
    applicant_name: str
    channel: str
    office_id: int | None
    status: str
    eligibility: str
    findings: list[Finding]
    received_on: date
    due_date: date
    overdue: bool
    submitted_at: datetime
    decided_at: datetime | None
    refusal_ground: str | None
    decision_comment: str
    amount: Decimal | None


class RequestDetail(RequestOut, kw_only=True):
    form: dict[str, Any]
    applicant: Applicant
    parameters_used: list[dict[str, Any]]
    history: list[EventOut]
    #: On a refusal: the ground as the card words it and how to appeal.
    refusal_text: Text | None = None
    appeal: Text | None = None


class DecisionIn(Struct, kw_only=True, forbid_unknown_fields=True):
    decision: Literal["approve", "refuse"]
    refusal_ground: str | None = None
    comment: Annotated[str, Meta(max_length=2000)] = ""


class CommentIn(Struct, kw_only=True, forbid_unknown_fields=True):
    comment: Annotated[str, Meta(max_length=2000)] = ""


# ----------------------------------------------------------------- screening
class ScreeningIn(Checked, kw_only=True, forbid_unknown_fields=True):
    applicant: Applicant = msgspec.field(default_factory=Applicant)
    answers: dict[str, Any] = msgspec.field(default_factory=dict)
    on: date | None = None


class ScreeningResult(Struct, kw_only=True):
    service: str
    title: Text
    verdict: Literal["eligible", "not_eligible", "needs_data"]
    findings: list[Finding]
    missing: list[str]
    #: Answers that do not fit the service's form, by field path.
    invalid: list[str]


class ScreeningOut(Struct, kw_only=True):
    on: date
    results: list[ScreeningResult]


# ---------------------------------------------------------------------- auth
class LoginIn(Struct, kw_only=True, forbid_unknown_fields=True):
    username: Annotated[str, Meta(min_length=1, max_length=64)]
    password: Annotated[str, Meta(min_length=1, max_length=256)]


class Me(Struct, kw_only=True):
    id: int
    username: str
    full_name: str
    role: str
    municipality: str
    provider_id: int | None
    citizen_id: int | None


class LoginOut(Struct, kw_only=True):
    token: str
    expires_at: datetime
    user: Me
