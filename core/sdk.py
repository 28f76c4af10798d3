"""The public module of the plugin contract: everything a plugin may use from the core.

A plugin imports the core only from here (``from core.sdk import Service, Text, rule``).
The names in ``__all__`` are documented in ``docs/plugin-contract.md`` and keep their
meaning within a contract version (``core.CONTRACT_VERSION``): documented means stable.
Any other module of the core may change without notice.

The core never imports this module; it only gathers names defined elsewhere.
"""

from __future__ import annotations

from core import clock, numbering
from core.actor import Actor
from core.api.access import public, roles
from core.api.deps import PathId, QueryId, actor_of, municipality_of, platform_of
from core.api.reads import PersonalResponse, not_personal, personal_data
from core.billing_cli import acting_user
from core.cards import CardError, load_card, load_cards
from core.cli import platform_for_command, run
from core.db.engine import write_transaction
from core.db.like import contains, like
from core.db.market import Assignment, BudgetLine, Contract, Delivery, Payout
from core.db.tables import (
    Citizen,
    Household,
    Municipality,
    NumberSeries,
    ParameterValue,
    Provider,
    Request,
    User,
)
from core.demo import iban_for
from core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from core.events import Event
from core.hookspecs import hookimpl
from core.jobs import JobCancelled, JobContext, JobSpec, Schedule
from core.jobs import queue as job_queue
from core.jobs import runner as job_runner
from core.jobs import store as job_store
from core.money import from_kopiyky, money, to_kopiyky
from core.notify import news, outbox, templates
from core.notify.sms import SmsGateway
from core.notify.templates import MessageKind, Wording
from core.paperwork.pdf import Sheet
from core.paperwork.words import amount_with_words
from core.parameters import ParameterMissing, Parameters, load_parameters
from core.platform import Platform, decode
from core.plugin_info import PluginInfo
from core.reports.common import settlement_sql
from core.reports.waiting import PluginWaiting
from core.schemas import DecisionIn, Page, ProviderIn, RequestIn, RowId, VerifyIn
from core.service import (
    Applicant,
    DeliveryContext,
    FieldLabel,
    Finding,
    InfoCard,
    Payee,
    Period,
    Pricing,
    Recorded,
    RefusalGround,
    RequiredDocument,
    Rule,
    RuleContext,
    Service,
    TariffPart,
    Text,
    label,
    rule,
)
from core.validators import (
    Checked,
    Money,
    Month,
    OutOfRange,
    PositiveMoney,
    checked_date,
    month_bounds,
    ukrainian_iban,
)
from core.web import forms
from core.web.formats import day as day_text
from core.web.formats import money as money_text
from core.web.job_pages import TEXTS as JOB_TEXTS
from core.web.job_pages import job_view, visible_job
from core.web.layout import page, page_lang, signed_in
from core.web.plugin_pages import MenuEntry, PluginPages, mount_point
from core.web.sign_in_methods import SignInMethod
from core.web.sign_in_methods import complete as complete_sign_in
from core.web.texts import Lang, texts
from core.workflow import audit, identities
from core.workflow import citizens as citizen_flow
from core.workflow import parameters as parameter_flow
from core.workflow import providers as provider_flow
from core.workflow import requests as request_flow
from core.workflow.calendar import add_term, is_working_day
from core.workflow.market import assignments, budget, contracts, deliveries, invoices
from core.workflow.market.assignments import day_of
from core.workflow.market.contracts import terms_of
from core.workflow.market.deliveries import DeliveryIn, DeliveryOut, DeliveryRefused
from core.workflow.market.delivery_batch import record_batch, refusal_text
from core.workflow.market.payout_batch import DueIn, make_due_many
from core.workflow.requests import FormInvalid

# Hooks and the plugin's identity; the hooks' own types.
__all__ = ["Event", "PluginInfo", "SignInMethod", "SmsGateway", "complete_sign_in", "hookimpl"]

# The Service object: cards, rules, findings, contexts, delivery pricing.
__all__ += [
    "Applicant",
    "CardError",
    "DeliveryContext",
    "FieldLabel",
    "Finding",
    "InfoCard",
    "Payee",
    "Period",
    "Pricing",
    "Recorded",
    "RefusalGround",
    "RequiredDocument",
    "Rule",
    "RuleContext",
    "Service",
    "TariffPart",
    "Text",
    "label",
    "load_card",
    "load_cards",
    "rule",
]

# Money, validated input, parameters, today, numbers in series.
__all__ += [
    "Checked",
    "Money",
    "Month",
    "OutOfRange",
    "ParameterMissing",
    "Parameters",
    "PositiveMoney",
    "checked_date",
    "clock",
    "from_kopiyky",
    "load_parameters",
    "money",
    "month_bounds",
    "numbering",
    "to_kopiyky",
    "ukrainian_iban",
]

# Errors (each a 4xx naming its field).
__all__ += ["Conflict", "DomainError", "Forbidden", "FormInvalid", "Invalid", "NotFound"]

# Routes: the actor, access, personal reads, dependencies, shared schemas.
__all__ += [
    "Actor",
    "DecisionIn",
    "Page",
    "PathId",
    "PersonalResponse",
    "Platform",
    "ProviderIn",
    "QueryId",
    "RequestIn",
    "RowId",
    "VerifyIn",
    "actor_of",
    "decode",
    "municipality_of",
    "not_personal",
    "personal_data",
    "platform_of",
    "public",
    "roles",
]

# Desk pages: mounting, layout, forms, formats, job progress.
__all__ += [
    "JOB_TEXTS",
    "Lang",
    "MenuEntry",
    "PluginPages",
    "day_text",
    "forms",
    "job_view",
    "money_text",
    "mount_point",
    "page",
    "page_lang",
    "signed_in",
    "texts",
    "visible_job",
]

# Tables a plugin may read, and the database helpers.
__all__ += [
    "Assignment",
    "BudgetLine",
    "Citizen",
    "Contract",
    "Delivery",
    "Household",
    "Municipality",
    "NumberSeries",
    "ParameterValue",
    "Payout",
    "Provider",
    "Request",
    "User",
    "contains",
    "like",
    "write_transaction",
]

# Use cases of the core: audit, people, requests, parameters, calendar, sign-in.
__all__ += [
    "add_term",
    "audit",
    "citizen_flow",
    "identities",
    "is_working_day",
    "parameter_flow",
    "provider_flow",
    "request_flow",
]

# The social order: contracts, assignments, deliveries, invoices, payouts.
__all__ += [
    "DeliveryIn",
    "DeliveryOut",
    "DeliveryRefused",
    "DueIn",
    "assignments",
    "budget",
    "contracts",
    "day_of",
    "deliveries",
    "invoices",
    "make_due_many",
    "record_batch",
    "refusal_text",
    "terms_of",
]

# Background jobs.
__all__ += [
    "JobCancelled",
    "JobContext",
    "JobSpec",
    "Schedule",
    "job_queue",
    "job_runner",
    "job_store",
]

# Messages to citizens and providers.
__all__ += ["MessageKind", "Wording", "news", "outbox", "templates"]

# Reports.
__all__ += ["PluginWaiting", "settlement_sql"]

# Paperwork.
__all__ += ["Sheet", "amount_with_words"]

# Commands and demo data.
__all__ += ["acting_user", "iban_for", "platform_for_command", "run"]
