"""The reads whose SQL is built once (core.db.built_once) give the rows Piccolo's select
gives: the same keys, values and types, on the engine the tests run on."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
import pytest

from core import clock
from core.db import built_once
from core.db.notify import NotifyConsent
from core.db.tables import Citizen, ParameterValue, Request, RequestEvent, SessionToken
from core.platform import Platform
from core.workflow import users
from tests.funeral import funeral_form
from tests.world import World


def _same(expected: dict[str, Any] | None, got: dict[str, Any] | None) -> None:
    assert expected is not None
    assert got is not None
    assert list(got) == list(expected)
    for key, value in expected.items():
        assert got[key] == value, key
        assert type(got[key]) is type(value), key


@pytest.mark.world_plugins("funeral_aid")
async def test_whole_rows_are_piccolos(world: World) -> None:
    body = {"service_code": "funeral_aid.lump_sum", "citizen_id": world.citizen_id}
    r = await world.post("intake", "/api/requests", {**body, "form": funeral_form()})
    assert r.status_code == 201, r.text
    request_id = r.json()["id"]
    for table, row_id in ((Citizen, world.citizen_id), (Request, request_id)):
        name = table._meta.tablename
        got = await built_once.first_where(table, f'"{name}"."id" = {{}}', row_id)
        _same(await table.select().where(table.id == row_id).first(), got)
        assert await built_once.first_where(table, f'"{name}"."id" = {{}}', -1) is None
    history = RequestEvent.select(
        RequestEvent.at,
        RequestEvent.actor.username,
        RequestEvent.from_status,
        RequestEvent.to_status,
        RequestEvent.comment,
    )
    expected = await history.where(RequestEvent.request == request_id).order_by(RequestEvent.id)
    # reading the request builds its history's statement (whatever ran before this test)
    assert (await world.get("intake", f"/api/requests/{request_id}")).status_code == 200
    got = await RequestEvent.raw(built_once.sql_of("request_history", lambda: None), request_id)
    assert len(got) == len(expected) == 1
    _same(expected[0], got[0])


async def test_consents_and_parameter_values_are_piccolos(world: World) -> None:
    await NotifyConsent(
        municipality=world.municipality_id,
        citizen=world.citizen_id,
        channel="email",
        address="olena@example.org",
        given_at=clock.now(),
    ).save()
    await ParameterValue(
        municipality=world.municipality_id,
        key="core.intake_backdate_days",
        valid_from=date(2026, 1, 1),
        value="30",
    ).save()
    got = await built_once.first_where(
        NotifyConsent, '"notify_consent"."citizen" = {}', world.citizen_id
    )
    _same(
        await NotifyConsent.select().where(NotifyConsent.citizen == world.citizen_id).first(), got
    )
    rows = await ParameterValue.raw(
        f'{built_once.select_all(ParameterValue)} WHERE "parameter_value"."municipality" = {{}}',
        world.municipality_id,
    )
    expected = await ParameterValue.select().where(
        ParameterValue.municipality == world.municipality_id
    )
    assert len(rows) == len(expected) == 1
    _same(expected[0], rows[0])


async def test_the_session_is_read_with_its_user(world: World) -> None:
    token = world.tokens["intake"]
    actor = await users.actor_for_token(token)
    assert actor is not None
    assert actor.role == "intake"
    assert actor.municipality_slug == world.slug
    expected = await (
        SessionToken.select(*users._SESSION_COLUMNS)
        .where(SessionToken.token_hash == users._token_hash(token))
        .first()
    )
    sql = built_once.sql_of("session_user", lambda: None)  # built by the read above
    (got,) = await SessionToken.raw(sql, users._token_hash(token))
    _same(expected, got)
    assert await users.actor_for_token("no such token") is None


def test_a_query_without_the_mark_is_refused() -> None:
    with pytest.raises(AssertionError):
        built_once.sql_of("no mark", lambda: Citizen.select().where(Citizen.id == 1))


@pytest.mark.world_plugins("funeral_aid")
async def test_inserted_rows_are_piccolos(world: World) -> None:
    """A row written by built_once.insert is the row Piccolo reads back, and the row
    Table(**values).save() would write: the same values, types and defaults."""
    values: dict[str, Any] = {
        "municipality": world.municipality_id,
        "citizen": world.citizen_id,
        "journal_number": "2026-999999",
        "service_code": "funeral_aid.lump_sum",
        "channel": "front_office",
        "eligibility": "eligible",
        "status": "submitted",
        "received_on": date(2026, 11, 30),
        "due_date": date(2026, 12, 14),
        "amount_kopiyky": 320900,
    }
    written = await built_once.insert(Request, **values)
    _same(await Request.select().where(Request.id == written["id"]).first(), written)
    saved = Request(**{**values, "journal_number": "2026-999998"})
    await saved.save()
    theirs = await Request.select().where(Request.id == saved.id).first()
    assert theirs is not None
    for key, value in written.items():
        if key not in ("id", "journal_number", "submitted_at"):
            assert theirs[key] == value, key
    with pytest.raises(TypeError, match="no column colour"):
        await built_once.insert(Request, **values, colour="red")


@pytest.mark.world_plugins("funeral_aid")
async def test_the_applicant_is_read_with_the_earlier_requests(
    world: World, platform: Platform
) -> None:
    """A submission reads the applicant, their consent and the earlier requests about the
    same subject in one statement: the applicant as Piccolo reads them, the requests as
    :func:`prior_requests` gives them, in the order they came."""
    from core.workflow import requests as flow

    service = platform.host.services["funeral_aid.lump_sum"]
    form = funeral_form()
    body = {"service_code": service.code, "citizen_id": world.citizen_id, "form": form}
    numbers, outcomes = [], []
    for citizen_id in (world.citizen_id, world.other_citizen_id):
        r = await world.post("intake", "/api/requests", {**body, "citizen_id": citizen_id})
        assert r.status_code == 201, r.text
        numbers.append(r.json()["journal_number"])
        found = {f["rule"]: f["outcome"] for f in r.json()["findings"]}
        outcomes.append(found["funeral_aid.one_per_deceased"])
    # the second application about the same person was screened with the first as prior
    assert outcomes == ["passed", "failed"]
    assert service.subject_key is not None
    key = service.subject_key(msgspec.convert(form, service.form))
    for key_given, expected_numbers in ((key, numbers), (None, []), ("nobody", [])):
        citizen, prior = await flow._applicant_and_prior(
            world.municipality_id, world.citizen_id, service, key_given
        )
        assert citizen is not None
        _same(
            await Citizen.select().where(Citizen.id == world.citizen_id).first(),
            {k: v for k, v in citizen.items() if not k.startswith("consent_")},
        )
        assert [p.journal_number for p in prior] == expected_numbers
        assert prior == await flow.prior_requests(world.municipality_id, service, key_given, None)
    assert await flow._applicant_and_prior(world.municipality_id, -1, service, key) == (None, ())
