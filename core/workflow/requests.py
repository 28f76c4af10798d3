"""Requests (звернення): submit through one window, decide, withdraw, list, read."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import msgspec
from piccolo.querystring import QueryString

from core import clock, numbering
from core.actor import Actor
from core.db import built_once, paging
from core.db.engine import write_transaction
from core.db.tables import AuditLog, Citizen, Office, OutboxMessage, Request, RequestEvent
from core.errors import Forbidden, Invalid, NotFound
from core.events import Event
from core.money import from_kopiyky, to_kopiyky
from core.notify import consent, outbox, request_news
from core.parameters import BACKDATE_DAYS
from core.platform import Overrides, Platform, core_parameters, decode
from core.schemas import (
    CommentIn,
    DecisionIn,
    EventOut,
    Page,
    RequestDetail,
    RequestIn,
    RequestOut,
    RequestStatus,
)
from core.service import Applicant, Finding, Payee, PriorRequest, RuleContext, Service, Text
from core.workflow import audit, citizens, lifecycle, quality
from core.workflow.calendar import add_term, next_working_day
from core.workflow.eligibility import Evaluation, evaluate
from core.workflow.forms import validate_form


class FormInvalid(Exception):
    """The application form has bad fields; ``errors`` names each."""

    def __init__(self, errors: list[Any]) -> None:
        super().__init__("; ".join(f"{e.key}: {e.message}" for e in errors))
        self.errors = errors


async def prior_requests(
    municipality_id: int, service: Service, key: str | None, exclude: int | None
) -> tuple[PriorRequest, ...]:
    if key is None:
        return ()
    mark = built_once.MARK

    def build() -> Any:
        query = Request.select(Request.journal_number, Request.status, Request.received_on).where(
            (Request.municipality == mark)
            & (Request.service_code == mark)
            & (Request.subject_key == mark)
        )
        if exclude is not None:
            # Earlier requests, and any already granted: the first applicant is served first.
            query = query.where(
                (Request.id < mark) | Request.status.is_in(["approved", "assigned", "closed"])
            )
        return query.order_by(Request.id)

    values: list[Any] = [municipality_id, service.code, key]
    if exclude is not None:
        values.append(exclude)
    sql = built_once.sql_of(f"prior_requests_{exclude is not None}", build)
    rows = await built_once.fetch(Request, sql, *values)
    return tuple(PriorRequest(r["journal_number"], r["status"], r["received_on"]) for r in rows)


async def _evaluate(
    platform: Platform,
    municipality_id: int,
    service: Service,
    applicant: Applicant,
    form: Any,
    on: date,
    exclude: int | None = None,
    overrides: Overrides | None = None,
    prior: tuple[PriorRequest, ...] | None = None,
) -> tuple[Evaluation, Decimal | None]:
    """``prior``: the earlier requests about the same subject, when already read."""
    municipality = await platform.municipality(id=municipality_id)
    params = await platform.parameters(municipality_id, service, overrides=overrides)
    if prior is None:
        key = service.subject_key(form) if service.subject_key else None
        prior = await prior_requests(municipality_id, service, key, exclude)
    result = evaluate(
        platform.host,
        service,
        applicant=applicant,
        form=form,
        on=on,
        params=params,
        municipality=municipality,
        prior=prior,
        plugins=await platform.enabled_plugins(municipality_id),
    )
    amount = None
    if service.payee == Payee.applicant and service.amount and result.verdict == "eligible":
        ctx = RuleContext(
            applicant=applicant,
            form=form,
            on=on,
            params=params,
            municipality=municipality,
            prior=prior,
        )
        try:
            amount = service.amount(ctx)
        except Exception as exc:  # a missing or malformed amount parameter
            problem = Finding(
                "core.amount",
                "unknown",
                Text(
                    f"Не вдалося визначити суму виплати: {exc}",
                    f"The amount to pay could not be determined: {exc}",
                ),
            )
            findings = (*result.findings, problem)
            result = msgspec.structs.replace(result, findings=findings, verdict="needs_data")
        result = msgspec.structs.replace(result, parameters=tuple(params.used.values()))
    return result, amount


def _enc(value: Any) -> str:
    return msgspec.json.encode(value).decode()


async def days_back(
    municipality_id: int,
    day: date,
    field: str,
    what: Text,
    *,
    overrides: Overrides | None = None,
) -> int:
    """How many days before today ``day`` lies, for a date staff enter late (a request's
    receipt, an assignment): never in the future, and at most the municipality's
    ``core.intake_backdate_days`` back (a 400 on ``field`` naming the limit otherwise;
    ``overrides``: the municipality's parameter values, when already read)."""
    today = clock.today()
    if day > today:
        raise Invalid(f"{what.uk} в майбутньому / {what.en} is in the future", field)
    back = (today - day).days
    params = await core_parameters(municipality_id, overrides=overrides)
    limit = int(params.at(BACKDATE_DAYS, today))
    if back > limit:
        first = today - timedelta(days=limit)
        raise Invalid(
            f"{what.uk} {day:%d.%m.%Y} — за {back} дн. до сьогодні, а можна щонайбільше за "
            f"{limit} дн. (не раніше {first:%d.%m.%Y}; параметр {BACKDATE_DAYS}) / "
            f"{field} {day:%d.%m.%Y} is {back} days back, at most {limit} are allowed (not "
            f"before {first:%d.%m.%Y}; parameter {BACKDATE_DAYS})",
            field,
        )
    return back


async def submit(platform: Platform, actor: Actor, body: RequestIn) -> RequestDetail:
    # The answer built from the rows written rather than read back.
    row, event = await _submit(platform, actor, body)
    service = platform.host.services[row["service_code"]]
    await platform.emit(
        Event(
            kind="request.submitted",
            municipality_id=actor.municipality_id,
            subject="request",
            subject_id=row["id"],
            data={"service": service.code, "eligibility": row["eligibility"]},
        )
    )
    history = [
        {
            "at": event["at"],
            "actor.username": actor.username,
            "from_status": None,
            "to_status": "submitted",
            "comment": event["comment"],
        }
    ]
    return _detail(platform, row, history)


#: The columns of an earlier request read with the applicant (:func:`_applicant_sql`).
_PRIOR = ("id", "journal_number", "status", "received_on")


@functools.cache
def _applicant_sql() -> str:
    """The citizen of the municipality, by id, with their consent in force and the
    service's earlier requests about the same subject (one row for each, in the order
    they came; one row with none): values the service's code, the subject's key (none
    matches ``NULL``), the citizen's id and the municipality's."""
    with_consent = consent.with_citizen(built_once.select_all(Citizen))
    head, sep, tail = with_consent.partition(' FROM "citizen"')
    columns = "".join(f', "prior"."{c}" AS "prior_{c}"' for c in _PRIOR)
    join = (
        ' LEFT JOIN "request" AS "prior" ON "prior"."municipality" = "citizen"."municipality"'
        ' AND "prior"."service_code" = {} AND "prior"."subject_key" = {}'
    )
    where = ' WHERE "citizen"."id" = {} AND "citizen"."municipality" = {}'
    return f'{head}{columns}{sep}{tail}{join}{where} ORDER BY "prior"."id"'


async def _applicant_and_prior(
    municipality_id: int, citizen_id: int, service: Service, key: str | None
) -> tuple[dict[str, Any] | None, tuple[PriorRequest, ...]]:
    """The applicant with their consent (:func:`consent.of_row`) and the earlier
    requests :func:`prior_requests` gives for a new one, in one statement."""
    rows = await built_once.fetch(
        Citizen, _applicant_sql(), service.code, key, citizen_id, municipality_id
    )
    if not rows:
        return None, ()
    names = [f"prior_{c}" for c in _PRIOR]
    citizen = {k: v for k, v in rows[0].items() if k not in names}
    prior = tuple(
        PriorRequest(r["prior_journal_number"], r["prior_status"], r["prior_received_on"])
        for r in rows
        if r["prior_id"] is not None
    )
    return citizen, prior


async def _submit(
    platform: Platform, actor: Actor, body: RequestIn
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate, screen and store the request: its row and its history's first row."""
    service = await platform.service(actor.municipality_id, body.service_code)
    channel = body.channel
    if actor.role == "citizen":
        if actor.citizen_id != body.citizen_id:
            raise Forbidden("подати можна лише від свого імені / only for yourself", "citizen_id")
        channel = "online"
    form, errors = validate_form(service.form, body.form)
    key = service.subject_key(form) if service.subject_key and not errors else None
    # The applicant with their consent to be told and the earlier requests about the
    # same subject (one statement); an unknown applicant is named before a bad form.
    citizen, prior = await _applicant_and_prior(
        actor.municipality_id, body.citizen_id, service, key
    )
    if citizen is None:
        raise Invalid(
            f"громадянина {body.citizen_id} не знайдено / citizen not found", "citizen_id"
        )
    if body.office_id is not None and not await Office.exists().where(
        (Office.id == body.office_id) & (Office.municipality == actor.municipality_id)
    ):
        raise Invalid(f"офіс {body.office_id} не знайдено / office not found", "office_id")
    if errors:
        raise FormInvalid(errors)
    today = clock.today()
    backdated = 0
    overrides = await platform.overrides(actor.municipality_id)  # once, for both uses below
    if body.received_on is not None:
        if actor.role == "citizen":
            raise Invalid(
                "дату отримання звернення встановлює громада, не заявник / received_on is set "
                "by the municipality's staff, not by the applicant",
                "received_on",
            )
        backdated = await days_back(
            actor.municipality_id,
            body.received_on,
            "received_on",
            Text("дата отримання звернення", "received_on"),
            overrides=overrides,
        )
    received = next_working_day(body.received_on or today)
    due = add_term(received, service.card.term_days, service.card.term_kind)
    applicant = await citizens.snapshot_with_household(citizen)
    result, amount = await _evaluate(
        platform,
        actor.municipality_id,
        service,
        applicant,
        form,
        received,
        overrides=overrides,
        prior=prior,
    )
    # The news and the audit row quote the journal number and the request's id, which
    # are taken as they are written (markers stand for them until then).
    message = await request_news.news_of(
        request_id=numbering.ROW_ID,
        status="submitted",
        service_title=service.card.title,
        known={
            "municipality": actor.municipality_id,
            "citizen": body.citizen_id,
            "journal_number": numbering.NUMBER,
            "due_date": due,
        },
        consent=consent.of_row(citizen),
    )
    event = built_once.row_of(
        RequestEvent,
        {
            "request": numbering.ROW_ID,
            "actor": actor.id,
            "from_status": None,
            "to_status": "submitted",
            "comment": f"channel={channel}",
        },
    )[1]
    rows: list[numbering.Numbered] = [(RequestEvent, event)]
    if message is not None:
        rows.append((OutboxMessage, outbox.message(**message)))
    details = {
        "service": service.code,
        "journal_number": numbering.NUMBER,
        "eligibility": result.verdict,
        "received_on": str(received),
        "backdated_days": backdated,
    }
    rows.append(
        (AuditLog, audit.values_of(actor, "request.submit", "request", numbering.ROW_ID, details))
    )
    request = {
        "municipality": actor.municipality_id,
        "journal_number": numbering.NUMBER,
        "service_code": service.code,
        "citizen": body.citizen_id,
        "channel": channel,
        "office": body.office_id,
        "form": _enc(form),
        "applicant_snapshot": _enc(applicant),
        "findings": _enc(result.findings),
        "parameters_used": _enc(result.parameters),
        "eligibility": result.verdict,
        "subject_key": key,
        "status": "submitted",
        "received_on": received,
        "due_date": due,
        "amount_kopiyky": None if amount is None else to_kopiyky(amount),
        "created_by": actor.id,
    }
    # The journal number last, as the rows are written: on PostgreSQL one statement
    # takes it and writes them all (committing by itself), so parallel submissions wait
    # for one another's counter row only over that statement; on SQLite one transaction
    # run at once in the connection's thread. Gapless, as a register must be.
    row, _ = await numbering.write_journaled(
        actor.municipality_id, received.year, (Request, request), rows
    )
    if message is not None:
        outbox.written()
    return row, event


async def _row(actor: Actor, request_id: int) -> dict[str, Any]:
    row = await built_once.first_where(
        Request,
        '"request"."id" = {} AND "request"."municipality" = {}',
        request_id,
        actor.municipality_id,
    )
    if row is None or (actor.role == "citizen" and row["citizen"] != actor.citizen_id):
        raise NotFound(f"звернення {request_id} не знайдено / request not found", "request_id")
    return row


def _out(row: dict[str, Any], today: date) -> dict[str, Any]:
    snap = decode(row["applicant_snapshot"], {})
    name = " ".join(
        p for p in (snap.get("last_name"), snap.get("first_name"), snap.get("patronymic")) if p
    )
    return {
        "id": row["id"],
        "journal_number": row["journal_number"],
        "service_code": row["service_code"],
        "citizen_id": row["citizen"],
        "applicant_name": name,
        "channel": row["channel"],
        "office_id": row["office"],
        "status": row["status"],
        "eligibility": row["eligibility"],
        "findings": decode(row["findings"], []),
        "received_on": row["received_on"],
        "due_date": row["due_date"],
        "overdue": row["status"] in lifecycle.OPEN and row["due_date"] < today,
        "submitted_at": row["submitted_at"],
        "decided_at": row["decided_at"],
        "refusal_ground": row["refusal_ground"],
        "decision_comment": row["decision_comment"],
        "amount": None if row["amount_kopiyky"] is None else from_kopiyky(row["amount_kopiyky"]),
    }


async def read(
    platform: Platform, actor: Actor, request_id: int, *, audited: bool = True
) -> RequestDetail:
    row = await _row(actor, request_id)
    events = await built_once.fetch(
        RequestEvent,
        built_once.sql_of(
            "request_history",
            lambda: (
                RequestEvent.select(
                    RequestEvent.at,
                    RequestEvent.actor.username,
                    RequestEvent.from_status,
                    RequestEvent.to_status,
                    RequestEvent.comment,
                )
                .where(RequestEvent.request == built_once.MARK)
                .order_by(RequestEvent.id)
            ),
        ),
        request_id,
    )
    if audited:
        await audit.read(
            actor, "request.read", "request", request_id, {"citizen_ids": [row["citizen"]]}
        )
    return _detail(platform, row, events)


def _detail(platform: Platform, row: dict[str, Any], events: list[dict[str, Any]]) -> RequestDetail:
    """A request as its page shows it: its row (every column) and its history's rows."""
    data = _out(row, clock.today())
    data["form"] = decode(row["form"], {})
    data["applicant"] = decode(row["applicant_snapshot"], {})
    data["parameters_used"] = decode(row["parameters_used"], [])
    data["history"] = [
        EventOut(
            at=e["at"],
            actor=e["actor.username"],
            from_status=e["from_status"],
            to_status=e["to_status"],
            comment=e["comment"],
        )
        for e in events
    ]
    if row["status"] == "refused":
        service = platform.host.services.get(row["service_code"])
        if service is not None:
            ground = next(
                (g for g in service.card.refusal_grounds if g.code == row["refusal_ground"]), None
            )
            data["refusal_text"] = ground.text if ground else None
            data["appeal"] = service.card.appeal
    return msgspec.convert(data, RequestDetail, strict=False)


#: Every status a request can have, in the lifecycle's order.
STATUSES: tuple[str, ...] = RequestStatus.__args__  # type: ignore[attr-defined]


async def counts(
    actor: Actor, *, service: str | None, limit: int | None = None
) -> tuple[dict[str, int], int]:
    """How many requests the actor may see are in each status, and how many of them are
    overdue, optionally of one service (the counts panel beside the work queue), each
    counted up to ``limit`` (:data:`core.db.paging.COUNT_LIMIT` by default): a count
    above it means "more than". One statement: a bounded count per status and the
    overdue one, joined by UNION ALL, each read from the queue's indexes."""
    limit = paging.COUNT_LIMIT if limit is None else limit
    if actor.role == "provider":
        raise Forbidden("надавачам недоступно / not for providers", "role")
    where: Any = Request.municipality == actor.municipality_id
    if actor.role == "citizen":
        where = where & (Request.citizen == actor.citizen_id)
    if service:
        where = where & (Request.service_code == service)
    overdue = (
        where & Request.status.is_in(list(lifecycle.OPEN)) & (Request.due_date < clock.today())
    )
    cases = [where & (Request.status == status) for status in STATUSES] + [overdue]
    parts = [
        QueryString(
            f"SELECT {i} AS k, COUNT(*) AS n FROM ({{}}) AS c{i}",
            Request.select(Request.id).where(case).limit(limit + 1).querystrings[0],
        )
        for i, case in enumerate(cases)
    ]
    rows = await Request.raw(" UNION ALL ".join("{}" for _ in parts), *parts)
    found = {int(r["k"]): int(r["n"]) for r in rows}
    by_status = {status: found.get(i, 0) for i, status in enumerate(STATUSES)}
    return {k: n for k, n in by_status.items() if n}, found.get(len(STATUSES), 0)


#: Requests newest first, and the work queue's order: earliest due first.
NEWEST = paging.Order("requests", (Request.id,), descending=True)
BY_DUE_DATE = paging.Order("queue", (Request.due_date, Request.id))


async def listing(
    actor: Actor,
    *,
    status: str | None,
    service: str | None,
    overdue: bool | None,
    office_id: int | None,
    citizen_id: int | None,
    page: int,
    page_size: int,
    after: str | None = None,
    by_due_date: bool = False,
) -> Page[RequestOut]:
    """The requests the actor may see, newest first, or (``by_due_date``, the work queue)
    earliest due first, so the overdue ones lead: counted up to a bound, and beyond the
    first pages read after a cursor (:mod:`core.db.paging`)."""
    if actor.role == "provider":
        raise Forbidden("надавачам недоступно / not for providers", "role")
    today = clock.today()
    where: Any = Request.municipality == actor.municipality_id
    if actor.role == "citizen":
        where = where & (Request.citizen == actor.citizen_id)
    if status:
        where = where & (Request.status == status)
    if service:
        where = where & (Request.service_code == service)
    if office_id is not None:
        where = where & (Request.office == office_id)
    if citizen_id is not None:
        where = where & (Request.citizen == citizen_id)
    if overdue is True:
        where = where & Request.status.is_in(list(lifecycle.OPEN)) & (Request.due_date < today)
    elif overdue is False:
        where = where & ((Request.due_date >= today) | Request.status.not_in(list(lifecycle.OPEN)))
    order = BY_DUE_DATE if by_due_date else NEWEST
    found = await paging.read(Request, where, order, page=page, page_size=page_size, after=after)
    items = [msgspec.convert(_out(r, today), RequestOut, strict=False) for r in found.rows]
    return found.page(items, page=page, page_size=page_size)


async def transition(
    actor: Actor, row: dict[str, Any], target: str, values: dict[Any, Any], comment: str
) -> None:
    lifecycle.check(row["status"], target)
    updated = (
        await Request.update({Request.status: target, **values})
        .where((Request.id == row["id"]) & (Request.status == row["status"]))
        .returning(Request.id)
    )
    if not updated:  # somebody else moved it first
        fresh = await Request.select(Request.status).where(Request.id == row["id"]).first()
        lifecycle.check(fresh["status"] if fresh else "?", target)
    await RequestEvent(
        request=row["id"],
        actor=actor.id,
        from_status=row["status"],
        to_status=target,
        comment=comment,
    ).save()


async def decide(
    platform: Platform, actor: Actor, request_id: int, body: DecisionIn
) -> RequestDetail:
    row = await _row(actor, request_id)
    lifecycle.check(row["status"], "approved" if body.decision == "approve" else "refused")
    service = await platform.service(actor.municipality_id, row["service_code"])
    applicant = msgspec.convert(decode(row["applicant_snapshot"], {}), Applicant)
    form = msgspec.convert(decode(row["form"], {}), service.form)
    result, amount = await _evaluate(
        platform,
        actor.municipality_id,
        service,
        applicant,
        form,
        row["received_on"],
        exclude=row["id"],
    )
    values: dict[Any, Any] = {
        Request.decided_at: clock.now(),
        Request.decided_by: actor.id,
        Request.decision_comment: body.comment,
        Request.findings: _enc(result.findings),
        Request.eligibility: result.verdict,
        Request.parameters_used: _enc(result.parameters),
        Request.decision_inputs: _enc(
            {
                "applicant": applicant,
                "form": form,
                "on": row["received_on"],
                "findings": result.findings,
                "parameters": result.parameters,
                "decision": body.decision,
                "refusal_ground": body.refusal_ground,
            }
        ),
    }
    if body.decision == "approve":
        failed = [f for f in result.findings if f.outcome != "passed"]
        if failed:
            raise Invalid(
                "не можна схвалити: не виконано правила / cannot approve, rules not met: "
                + "; ".join(f"{f.rule}: {f.message.uk} / {f.message.en}" for f in failed),
                "decision",
            )
        target = "approved"
        values[Request.amount_kopiyky] = None if amount is None else to_kopiyky(amount)
    else:
        codes = {g.code: g for g in service.card.refusal_grounds}
        if body.refusal_ground not in codes:
            raise Invalid(
                "відмова має посилатися на підставу з картки / a refusal must cite one of the "
                f"card's grounds: {', '.join(codes)}",
                "refusal_ground",
            )
        target = "refused"
        values[Request.refusal_ground] = body.refusal_ground
    async with write_transaction():
        await transition(actor, row, target, values, body.comment)
        if target == "approved" and service.payee == Payee.applicant and amount is not None:
            from core.workflow.market.payouts import create_for_request

            await create_for_request(actor, service, row, to_kopiyky(amount))
        await audit.record(
            actor,
            "request.decide",
            "request",
            request_id,
            {
                "decision": target,
                "refusal_ground": body.refusal_ground,
                "eligibility": result.verdict,
                "amount": None if amount is None else str(amount),
            },
        )
        await request_news.request_moved(
            request_id=request_id, status=target, service_title=service.card.title
        )
        await quality.invite_after_decision(request_id, service.card.title)
    await platform.emit(
        Event(
            kind="request.decided",
            municipality_id=actor.municipality_id,
            subject="request",
            subject_id=request_id,
            data={"service": service.code, "status": target},
        )
    )
    return await read(platform, actor, request_id, audited=False)


async def withdraw(
    platform: Platform, actor: Actor, request_id: int, body: CommentIn
) -> RequestDetail:
    row = await _row(actor, request_id)
    service = await platform.service(actor.municipality_id, row["service_code"])
    async with write_transaction():
        await transition(actor, row, "withdrawn", {}, body.comment)
        await audit.record(actor, "request.withdraw", "request", request_id)
        if actor.role != "citizen":  # the applicant knows what they did themselves
            await request_news.request_moved(
                request_id=request_id,
                status="withdrawn",
                service_title=service.card.title,
            )
    await platform.emit(
        Event(
            kind="request.withdrawn",
            municipality_id=actor.municipality_id,
            subject="request",
            subject_id=request_id,
            data={"service": row["service_code"]},
        )
    )
    return await read(platform, actor, request_id, audited=False)
