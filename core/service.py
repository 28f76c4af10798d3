"""What a plugin hands over to the core: services, their cards, rules and findings.

A plugin author needs this module and :mod:`core.hookspecs`; nothing else of the core.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Protocol

import msgspec

from core.parameters import Parameters
from core.rule_facts import AnswerMissing, HouseholdFacts, HouseholdRecord, answer_of


class Text(msgspec.Struct, frozen=True):
    """A user-facing text, Ukrainian first and English second."""

    uk: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.uk


class FieldLabel(msgspec.Struct, frozen=True, kw_only=True):
    """How a page shows one field of a form: its label, optional help, and for a field
    with fixed choices each choice in words (keyed by the value as a string)."""

    label: Text
    help: Text | None = None
    choices: Mapping[str, Text] = msgspec.field(default_factory=dict)


def label(
    uk: str,
    en: str,
    *,
    help: tuple[str, str] | None = None,
    choices: Mapping[str, tuple[str, str]] | None = None,
) -> FieldLabel:
    """Shorthand: ``label("Дата смерті", "Date of death", help=(uk, en),
    choices={"son": ("Син", "Son")})``."""
    return FieldLabel(
        label=Text(uk, en),
        help=Text(*help) if help else None,
        choices={k: Text(*v) for k, v in (choices or {}).items()},
    )


class RequiredDocument(msgspec.Struct, frozen=True, kw_only=True):
    name: Text
    #: "original", "copy" or "original or copy"
    form: Literal["original", "copy", "original_or_copy"] = "original_or_copy"
    note: Text | None = None
    #: Asked for by the municipality on its local card, not by the plugin's card.
    local: bool = False


class RefusalGround(msgspec.Struct, frozen=True):
    """A ground for refusal listed on the card; a refusal must cite one by code."""

    code: str
    text: Text


class LocalContacts(msgspec.Struct, frozen=True, kw_only=True):
    """Where to ask about a service in a municipality (its local card)."""

    #: The office or department in charge, with its address if the admin gives one.
    office: Text | None = None
    phone: str = ""
    email: str = ""
    #: The municipality's own web page of the service.
    web: str = ""


class LocalDecision(msgspec.Struct, frozen=True, kw_only=True):
    """The council's or executive committee's decision the local card rests on."""

    text: Text
    number: str
    adopted_on: date


#: Whether a municipality may set its own term on a service's card: ``fixed`` (the law's
#: term only), ``shorter`` (at most the card's term), ``any`` (any positive term).
LocalTerm = Literal["fixed", "shorter", "any"]


class InfoCard(msgspec.Struct, frozen=True, kw_only=True):
    """The information card (інформаційна картка) of a service.

    A plugin gives the card (usually from a data file, :func:`core.cards.load_card`); a
    municipality's local card adds ``contacts``, ``local_decision`` and documents marked
    ``local``, and may change the fee and, as ``local_term`` allows, the term.
    """

    title: Text
    summary: Text
    who_may_apply: Text
    documents: tuple[RequiredDocument, ...]
    term_days: int
    term_kind: Literal["calendar", "working"] = "calendar"
    #: ``None`` means free of charge.
    fee: Decimal | None = None
    refusal_grounds: tuple[RefusalGround, ...]
    appeal: Text
    legal_basis: tuple[Text, ...]
    outcome: Text
    submission_methods: tuple[Text, ...] = ()
    keywords: tuple[str, ...] = ()
    local_term: LocalTerm = "fixed"
    #: Set only on a municipality's local card.
    contacts: LocalContacts | None = None
    #: Set only on a municipality's local card.
    local_decision: LocalDecision | None = None


class Payee(enum.StrEnum):
    """Who receives money when a request of the service is approved and delivered."""

    provider = "provider"  # a provider under a contract
    applicant = "applicant"  # a lump sum to the applicant
    nobody = "nobody"  # registrations and other free services


#: ``not_checked``: a rule that reads history (``Rule.reads_history``) during a screening
#: that may not see history (anonymous callers, citizens); it is checked on submission.
Outcome = Literal["passed", "failed", "unknown", "not_checked"]


class Finding(msgspec.Struct, frozen=True):
    """The result of one eligibility rule, as the user reads it."""

    rule: str
    outcome: Outcome
    message: Text

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"


class Applicant(msgspec.Struct, frozen=True, kw_only=True):
    """What the rules may know of the applicant: a frozen snapshot of the citizen."""

    citizen_id: int | None = None
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    birth_date: date | None = None
    tax_number: str | None = None
    settlement: str | None = None
    address: str | None = None
    categories: tuple[str, ...] = ()
    disability_group: int | None = None
    household_size: int | None = None
    #: The recorded household (``None``: none recorded); rules read it as
    #: ``RuleContext.household``.
    household: HouseholdRecord | None = None


class PriorRequest(msgspec.Struct, frozen=True):
    """An earlier (or already granted) request of the same service about the same subject
    (see ``Service.subject_key``)."""

    journal_number: str
    status: str
    received_on: date


class Municipality(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    slug: str
    name: Text
    settlements: tuple[str, ...]


class RuleContext(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a rule may look at; rules are pure functions of it."""

    applicant: Applicant
    #: The application form (a Struct of the service's ``form``). During screening,
    #: fields the citizen has not answered are ``msgspec.UNSET``.
    form: Any
    on: date
    params: Parameters
    municipality: Municipality
    prior: tuple[PriorRequest, ...] = ()

    def answer(self, field: str) -> Any:
        """The form's ``field``; while it is unanswered (screening) the rule stops here
        with :class:`AnswerMissing`, its finding is ``unknown`` and ``field`` is reported
        missing. Ask for each answer where the rule's path reaches it."""
        return answer_of(self.form, field)

    @property
    def household(self) -> HouseholdFacts:
        """Facts of the applicant's recorded household on ``on`` (``None`` each when no
        household is recorded); ``ctx.household.need("lives_alone")`` stops the rule as
        :meth:`answer` does, reporting ``household.lives_alone`` missing."""
        return HouseholdFacts.of(self.applicant.household, self.on)

    def passed(self, rule: str, uk: str, en: str) -> Finding:
        return Finding(rule, "passed", Text(uk, en))

    def failed(self, rule: str, uk: str, en: str) -> Finding:
        return Finding(rule, "failed", Text(uk, en))

    def unknown(self, rule: str, uk: str, en: str) -> Finding:
        return Finding(rule, "unknown", Text(uk, en))


class Rule(msgspec.Struct, frozen=True):
    """An eligibility rule: ``check`` runs only when every field in ``needs`` is answered;
    the answers it reads only on some paths it asks for with ``RuleContext.answer``.

    ``reads_history``: the rule looks at what is already on record (``RuleContext.prior``:
    earlier requests about the same subject, the registers they made). Its answer tells
    whoever asks who applied for whom, so public screening (anonymous callers, citizens)
    does not run it and reports it ``not_checked``; staff screening and submission do.
    """

    id: str
    needs: tuple[str, ...]
    check: Callable[[RuleContext], Finding]
    title: Text
    reads_history: bool = False


def rule(
    rule_id: str, *, title: Text, needs: Sequence[str] = (), reads_history: bool = False
) -> Callable[[Callable[[RuleContext], Finding]], Rule]:
    """Decorator turning a function of :class:`RuleContext` into a :class:`Rule`."""

    def wrap(fn: Callable[[RuleContext], Finding]) -> Rule:
        return Rule(rule_id, tuple(needs), fn, title, reads_history)

    return wrap


class TariffPart(msgspec.Struct, frozen=True, kw_only=True):
    """One priced component of a multi-part tariff (a trip, a kilometre, a started quarter
    of an hour of waiting): the act and the invoice print one line per part.

    ``key`` names the part in a delivery's :class:`Pricing` and in calls, bids and offers
    (``prices.km``); ``field`` is the tariff Struct's field holding its price in UAH
    (default: the key itself).
    """

    key: str
    #: The part on the act's line, after the service's title ("кілометр пробігу").
    label: Text
    #: The unit the part's quantity is counted in ("км" / "km").
    unit: Text
    field: str = ""

    @property
    def price_field(self) -> str:
        return self.field or self.key


class Pricing(msgspec.Struct, frozen=True):
    """What one delivery is worth: its quantity in the service's unit, and its amount.

    A service with ``tariff_parts`` gives ``parts`` instead of ``amount``: the quantity of
    each part (by its key; a part left out is not billed). The core prices each part by the
    contract's tariff and the delivery's amount is their sum.
    """

    quantity: Decimal
    amount: Decimal = Decimal(0)
    parts: Mapping[str, Decimal] = msgspec.field(default_factory=dict)


class ContractTerms(msgspec.Struct, frozen=True, kw_only=True):
    """The contract a delivery is recorded under, as delivery checks see it."""

    id: int
    number: str
    provider_id: int
    service_code: str
    period_start: date
    period_end: date
    #: The contract's tariff, a Struct of the service's ``tariff`` type.
    tariff: Any


#: The period a cap counts over, the one holding the delivery's date: the day, the ISO
#: week (Monday to Sunday), the calendar month or the calendar year.
Period = Literal["day", "week", "month", "year"]


class Recorded(Protocol):
    """What is already recorded for the person a delivery is for.

    The core hands one to every delivery check as ``ctx.recorded``. Its reads run inside
    the delivery's transaction after the person is locked, so a cap computed from them
    holds when deliveries for the same person are recorded in parallel, under any
    contracts and providers. "The person" is the citizen of the delivery's request (all of
    the citizen's requests in the municipality); a request with no citizen is its own
    person. Voided deliveries do not count; in a batch, the batch's deliveries accepted
    before this one do.
    """

    async def quantity(
        self, period: Period = "month", *, services: Sequence[str] | None = None
    ) -> Decimal:
        """The sum of the recorded deliveries' quantities (in the service's unit) in the
        period holding the delivery's date; ``services`` names the service codes counted
        (default: the delivery's own service)."""
        ...

    async def count(
        self, period: Period = "month", *, services: Sequence[str] | None = None
    ) -> int:
        """The number of recorded deliveries, counted as :meth:`quantity` sums them."""
        ...


class _NothingRecorded:
    """``ctx.recorded`` of a context built outside a delivery (a test, a preview)."""

    async def quantity(
        self, period: Period = "month", *, services: Sequence[str] | None = None
    ) -> Decimal:
        raise RuntimeError("ctx.recorded is read only inside a delivery's transaction")

    async def count(
        self, period: Period = "month", *, services: Sequence[str] | None = None
    ) -> int:
        raise RuntimeError("ctx.recorded is read only inside a delivery's transaction")


class DeliveryContext(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a delivery check may look at.

    ``delivery`` is a Struct of the service's ``delivery`` type; ``request_id`` and
    ``applicant`` are those of the request the delivery is recorded against;
    ``received_on`` is the request's receipt date and ``assigned_on`` the (Kyiv) day the
    request was assigned to the contract. The core has already checked that
    ``delivered_on`` is not in the future, not before the receipt or the assignment, and
    within the contract's period.
    """

    municipality: Municipality
    contract: ContractTerms
    request_id: int
    applicant: Applicant
    received_on: date
    assigned_on: date
    delivered_on: date
    delivery: Any
    params: Parameters
    #: What is already recorded for the person (see :class:`Recorded`): caps read it.
    recorded: Recorded = msgspec.field(default_factory=_NothingRecorded)

    def passed(self, rule: str, uk: str, en: str) -> Finding:
        return Finding(rule, "passed", Text(uk, en))

    def failed(self, rule: str, uk: str, en: str) -> Finding:
        return Finding(rule, "failed", Text(uk, en))


#: A delivery check: returns findings (or an awaitable of them); a failed one refuses it.
DeliveryCheck = Callable[[DeliveryContext], "Awaitable[list[Finding]] | list[Finding]"]
#: A batch of delivery checks: one list of findings per context, in order.
BatchDeliveryCheck = Callable[[Sequence[DeliveryContext]], Awaitable[list[list[Finding]]]]


class Service(msgspec.Struct, frozen=True, kw_only=True):
    """One catalogue entry a plugin brings.

    ``form`` is a msgspec Struct class; its JSON Schema documents the API and renders the
    web form. ``rules`` decide eligibility; ``amount`` prices a lump sum paid to the
    applicant (``payee == applicant``); ``subject_key`` names what must not be granted
    twice (a deceased person's record, an assistant pair).
    """

    code: str
    card: InfoCard
    form: type[msgspec.Struct]
    rules: tuple[Rule, ...]
    #: How each field of ``form`` is shown, by dotted path (``"members.incomes.amount"``
    #: for a field of the Structs in a list): every field needs a label in both languages
    #: and every fixed choice its words; checked when the plugin loads.
    labels: Mapping[str, FieldLabel] = msgspec.field(default_factory=dict)
    payee: Payee = Payee.nobody
    #: Dated default parameters (``key -> [(valid_from, value), ...]``).
    parameters: Mapping[str, Sequence[tuple[date, Any]]] = msgspec.field(default_factory=dict)
    subject_key: Callable[[Any], str | None] | None = None
    amount: Callable[[RuleContext], Decimal] | None = None
    #: Builds a realistic demo form for an applicant: ``(random, applicant, on) -> form``.
    example_form: Callable[[Any, Applicant, date], msgspec.Struct] | None = None
    #: Name of the form field holding the IBAN a lump sum is paid to.
    payout_iban_field: str | None = None

    # ---- billing, for services a provider is paid for (``payee == provider``) ----
    #: The unit deliveries are counted in ("ліжко-ніч" / "bed-night").
    unit: Text | None = None
    #: Price components a contract fixes (a msgspec Struct class).
    tariff: type[msgspec.Struct] | None = None
    #: What a provider records for one delivery (a msgspec Struct class).
    delivery: type[msgspec.Struct] | None = None
    #: How each field of ``delivery`` is shown on the provider's desk, as ``labels`` for
    #: ``form``; optional (a field without a label is shown by its name).
    delivery_labels: Mapping[str, FieldLabel] = msgspec.field(default_factory=dict)
    #: Prices one delivery under a tariff: ``(tariff, delivery) -> Pricing``.
    price: Callable[[Any, Any], Pricing] | None = None
    #: Checks a delivery before it is stored (limits, periods, registers); may be async.
    check_delivery: DeliveryCheck | None = None
    #: The same checks over many deliveries at once, for runs that record thousands
    #: (``core.workflow.market.delivery_batch``): one list of findings per context, in
    #: their order, with the reads done set-wise. Without it a batch calls
    #: ``check_delivery`` for each delivery.
    check_deliveries: BatchDeliveryCheck | None = None
    #: A key no two live deliveries of this service may share in a municipality
    #: (e.g. one bed-night per person per night); enforced by a unique index.
    delivery_key: Callable[[DeliveryContext], str | None] | None = None
    #: Builds a tariff from a bid's unit price when a call is awarded.
    tariff_from_unit_price: Callable[[Decimal], msgspec.Struct] | None = None
    #: The priced parts of a multi-part tariff (see :class:`TariffPart`); empty for a
    #: tariff with one price per unit.
    tariff_parts: tuple[TariffPart, ...] = ()
    #: Builds a tariff from a bid's price per part (by key) when a call is awarded; without
    #: it the tariff Struct is built from the prices alone (its other fields need defaults).
    tariff_from_prices: Callable[[Mapping[str, Decimal]], msgspec.Struct] | None = None
    #: A reference unit price (UAH): demo offers and calls start from it.
    reference_unit_price: Decimal | None = None
    #: A reference price (UAH) of every part of a multi-part tariff, by key: the demo's
    #: offers, calls and bids of such a service start from them.
    reference_prices: Mapping[str, Decimal] = msgspec.field(default_factory=dict)
    #: Builds a realistic demo delivery for a day: ``(random, day) -> delivery``.
    example_delivery: Callable[[Any, date], msgspec.Struct] | None = None


__all__ = [
    "AnswerMissing",
    "Applicant",
    "BatchDeliveryCheck",
    "ContractTerms",
    "DeliveryCheck",
    "DeliveryContext",
    "FieldLabel",
    "Finding",
    "HouseholdFacts",
    "HouseholdRecord",
    "InfoCard",
    "LocalContacts",
    "LocalDecision",
    "LocalTerm",
    "Municipality",
    "Outcome",
    "Payee",
    "Period",
    "Pricing",
    "PriorRequest",
    "Recorded",
    "RefusalGround",
    "RequiredDocument",
    "Rule",
    "RuleContext",
    "Service",
    "TariffPart",
    "Text",
    "label",
    "rule",
]
