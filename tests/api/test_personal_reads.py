"""Every read of personal data leaves one audit row naming who read it and which citizens.

``PERSONAL`` lists every GET route that returns personal data, with how the test finds a
row to read and the citizens the answer is about. The routes' declarations
(``core.api.reads``) must match the list exactly: a new GET route under ``/api`` must be
declared one way or the other, and one declared personal must be added here, where it is
called with data present and its audit row checked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar

from core import demo
from core.actor import Actor
from core.api import reads
from core.api.app import all_handlers
from core.db.market import Payout
from core.db.tables import AuditCitizen, AuditLog, Citizen, Document, Municipality, Request, User
from core.platform import Platform, decode
from core.testkit.session import plugins_under_test
from core.workflow import users
from plugins.assistant_registration.tables import AssistantEntry
from plugins.disability_transport.tables import Booking
from plugins.homeless.tables import HomelessPerson
from plugins.rental_aids.tables import RentalLoan, RentalWaiting
from plugins.subsidies.tables import SubsidyAssignment, SubsidyHousehold, SubsidyMember

E, H, B, L, W = AssistantEntry, HomelessPerson, Booking, RentalLoan, RentalWaiting
SA, SH, SM = SubsidyAssignment, SubsidyHousehold, SubsidyMember
HOMELESS = "/api/ext/homeless/register"
ASSISTANTS = "/api/ext/assistant_registration/register"
TRANSPORT = "/api/ext/disability_transport"
RENTAL = "/api/ext/rental_aids"
SUBSIDIES = "/api/ext/subsidies"

PDF = b"%PDF-1.4\n% test\n"


@dataclass
class Demo:
    client: httpx.AsyncClient
    municipality_id: int
    actor: Actor
    token: str
    made: dict[str, int] = field(default_factory=dict)

    async def first(self, table: Any, *where: Any, column: Any = None) -> dict[str, Any]:
        query: Any = table.municipality == self.municipality_id
        for w in where:
            query = query & w
        row = await table.select().where(query).order_by(table.id).first()
        assert row is not None, f"the demo has no {table._meta.tablename} to read"
        return dict(row)


@dataclass
class Call:
    url: str
    #: The citizens the answer is about; None: those of the answer's body under ``key``.
    citizens: list[int] | None = None
    key: str = "citizen_id"
    params: dict[str, str] = field(default_factory=dict)


Spec = Callable[[Demo], Awaitable[Call]]


def _ids(value: Any, parts: list[str]) -> set[int]:
    if isinstance(value, dict) and "items" in value and "total" in value:
        value = value["items"]
    if isinstance(value, list):
        return set().union(*(_ids(v, parts) for v in value)) if value else set()
    if not parts:
        return {value} if isinstance(value, int) and not isinstance(value, bool) else set()
    if isinstance(value, dict):
        return _ids(value.get(parts[0]), parts[1:])
    return set()


# ------------------------------------------------------------------ core
async def _citizen(d: Demo) -> Call:
    row = await d.first(Citizen)
    return Call(f"/api/citizens/{row['id']}", [row["id"]])


async def _citizens(d: Demo) -> Call:
    return Call("/api/citizens", key="id", params={"page_size": "5"})


async def _request(d: Demo) -> Call:
    row = await d.first(Request)
    return Call(f"/api/requests/{row['id']}", [row["citizen"]])


async def _requests(d: Demo) -> Call:
    return Call("/api/requests", params={"page_size": "7"})


async def _document_row(d: Demo) -> dict[str, Any]:
    if "document" not in d.made:
        req = await d.first(Request)
        r = await d.client.post(
            f"/api/requests/{req['id']}/documents",
            files={"file": ("scan.pdf", PDF, "application/pdf")},
            headers={"Authorization": f"Bearer {d.token}"},
        )
        assert r.status_code == 201, r.text
        d.made["document"] = r.json()["id"]
    row = await Document.select().where(Document.id == d.made["document"]).first()
    assert row is not None
    return dict(row)


async def _documents(d: Demo) -> Call:
    row = await _document_row(d)
    return Call(f"/api/requests/{row['request']}/documents", [row["citizen"]])


async def _document(d: Demo) -> Call:
    row = await _document_row(d)
    return Call(f"/api/documents/{row['id']}", [row["citizen"]])


async def _household(d: Demo) -> Call:
    if "household" not in d.made:
        free = (
            await Citizen.select(Citizen.id)
            .where((Citizen.municipality == d.municipality_id) & Citizen.household.is_null())
            .order_by(Citizen.id, ascending=False)
            .limit(2)
        )
        members = [r["id"] for r in free]
        r = await d.client.post(
            "/api/households",
            json={"settlement": "Луцьк", "address": "вул. Тестова, 1", "member_ids": members},
            headers={"Authorization": f"Bearer {d.token}"},
        )
        assert r.status_code == 201, r.text
        d.made["household"] = r.json()["id"]
    hid = d.made["household"]
    members = await Citizen.select(Citizen.id).where(Citizen.household == hid)
    return Call(f"/api/households/{hid}", [m["id"] for m in members])


async def _payouts(d: Demo) -> Call:
    await d.first(Payout)
    return Call("/api/payouts")


async def _register(d: Demo) -> Call:
    payout = await d.first(Payout, Payout.status.is_in(["due", "paid"]))
    period = f"{payout['due_since']:%Y-%m}"
    return Call("/api/registers/payments", params={"period": period})


async def _register_csv(d: Demo) -> Call:
    payout = await d.first(Payout, Payout.status.is_in(["due", "paid"]))
    since = payout["due_since"]
    rows = await Payout.select(Payout.citizen).where(
        (Payout.municipality == d.municipality_id)
        & (Payout.due_since >= since.replace(day=1))
        & (Payout.due_since < (since.replace(day=28) + timedelta(days=4)).replace(day=1))
        & Payout.status.is_in(["due", "paid"])
    )
    return Call(
        "/api/registers/payments",
        [r["citizen"] for r in rows],
        params={"period": f"{since:%Y-%m}", "format": "csv"},
    )


async def _users(d: Demo) -> Call:
    await d.first(User, User.citizen.is_not_null())
    return Call("/api/users")


async def _audit(d: Demo) -> Call:
    row = await d.first(Citizen)
    r = await d.client.get(
        f"/api/citizens/{row['id']}", headers={"Authorization": f"Bearer {d.token}"}
    )
    assert r.status_code == 200
    return Call("/api/audit", key="details.citizen_ids", params={"page_size": "20"})


CORE: dict[tuple[str, str], Spec] = {
    ("GET", "/api/citizens"): _citizens,
    ("GET", "/api/citizens/{citizen_id:int}"): _citizen,
    ("GET", "/api/requests"): _requests,
    ("GET", "/api/requests/{request_id:int}"): _request,
    ("GET", "/api/requests/{request_id:int}/documents"): _documents,
    ("GET", "/api/documents/{document_id:int}"): _document,
    ("GET", "/api/households/{household_id:int}"): _household,
    ("GET", "/api/payouts"): _payouts,
    ("GET", "/api/registers/payments"): _register,
    ("GET", "/api/users"): _users,
    ("GET", "/api/audit"): _audit,
}


# ------------------------------------------------------------------ plugins
def _plugin_specs() -> dict[tuple[str, str], Spec]:
    specs: dict[tuple[str, str], Spec] = {}
    enabled = plugins_under_test()
    if "homeless" in enabled:

        async def h_list(d: Demo) -> Call:
            await d.first(H)
            return Call(HOMELESS)

        async def h_read(d: Demo) -> Call:
            row = await d.first(H)
            return Call(f"{HOMELESS}/{row['id']}", [row["citizen"]])

        async def h_cert(d: Demo) -> Call:
            row = await d.first(H, H.status == "active")
            return Call(f"{HOMELESS}/{row['id']}/certificate", [row["citizen"]])

        specs[("GET", HOMELESS)] = h_list
        specs[("GET", HOMELESS + "/{entry_id:int}")] = h_read
        specs[("GET", HOMELESS + "/{entry_id:int}/certificate")] = h_cert
    if "assistant_registration" in enabled:

        async def a_list(d: Demo) -> Call:
            await d.first(E)
            return Call(ASSISTANTS, key="person_id")

        async def a_read(d: Demo) -> Call:
            row = await d.first(E)
            return Call(f"{ASSISTANTS}/{row['id']}", [row["person"]])

        async def a_cert(d: Demo) -> Call:
            row = await d.first(E, E.status == "active")
            return Call(f"{ASSISTANTS}/{row['id']}/certificate.pdf", [row["person"]])

        specs[("GET", ASSISTANTS)] = a_list
        specs[("GET", ASSISTANTS + "/{entry_id:int}")] = a_read
        specs[("GET", ASSISTANTS + "/{entry_id:int}/certificate.pdf")] = a_cert
    if "disability_transport" in enabled:

        async def t_list(d: Demo) -> Call:
            await d.first(B)
            return Call(f"{TRANSPORT}/bookings")

        async def t_read(d: Demo) -> Call:
            row = await d.first(B)
            return Call(f"{TRANSPORT}/bookings/{row['id']}", [row["citizen"]])

        async def t_schedule(d: Demo) -> Call:
            row = await d.first(B, B.vehicle.is_not_null())
            day = row["trip_date"]
            same = await B.select(B.citizen).where(
                (B.vehicle == row["vehicle"])
                & (B.municipality == d.municipality_id)
                & (B.trip_date == day)
            )
            return Call(
                f"{TRANSPORT}/vehicles/{row['vehicle']}/schedule",
                [r["citizen"] for r in same],
                params={"day": day.isoformat()},
            )

        specs[("GET", f"{TRANSPORT}/bookings")] = t_list
        specs[("GET", f"{TRANSPORT}/bookings/{{booking_id:int}}")] = t_read
        specs[("GET", f"{TRANSPORT}/vehicles/{{vehicle_id:int}}/schedule")] = t_schedule
    if "rental_aids" in enabled:

        async def r_list(d: Demo) -> Call:
            await d.first(L)
            return Call(f"{RENTAL}/loans")

        async def r_overdue(d: Demo) -> Call:
            return Call(f"{RENTAL}/loans/overdue")

        async def r_read(d: Demo) -> Call:
            row = await d.first(L)
            return Call(f"{RENTAL}/loans/{row['id']}", [row["citizen"]])

        async def r_act(d: Demo) -> Call:
            row = await d.first(L)
            return Call(f"{RENTAL}/loans/{row['id']}/act.pdf", [row["citizen"]])

        async def r_waiting(d: Demo) -> Call:
            await d.first(W)
            return Call(f"{RENTAL}/waiting-list")

        specs[("GET", f"{RENTAL}/loans")] = r_list
        specs[("GET", f"{RENTAL}/loans/overdue")] = r_overdue
        specs[("GET", f"{RENTAL}/loans/{{loan_id:int}}")] = r_read
        specs[("GET", f"{RENTAL}/loans/{{loan_id:int}}/act.pdf")] = r_act
        specs[("GET", f"{RENTAL}/waiting-list")] = r_waiting
    if "subsidies" in enabled:

        async def people(household_id: int) -> list[int]:
            row = await SH.select(SH.applicant).where(SH.id == household_id).first()
            assert row is not None
            members = await SM.select(SM.citizen).where(
                (SM.household == household_id) & SM.citizen.is_not_null()
            )
            return [row["applicant"], *(m["citizen"] for m in members)]

        async def s_list(d: Demo) -> Call:
            await d.first(SH)
            return Call(f"{SUBSIDIES}/households", key="applicant_citizen_id")

        async def s_read(d: Demo) -> Call:
            row = await d.first(SH)
            return Call(f"{SUBSIDIES}/households/{row['id']}", await people(row["id"]))

        async def s_calc(d: Demo) -> Call:
            row = await d.first(SH)
            return Call(f"{SUBSIDIES}/households/{row['id']}/calculation", await people(row["id"]))

        async def s_assignments(d: Demo) -> Call:
            await d.first(SA)
            return Call(f"{SUBSIDIES}/assignments")

        async def s_assignment(d: Demo) -> Call:
            row = await d.first(SA)
            return Call(f"{SUBSIDIES}/assignments/{row['id']}", [row["citizen"]])

        specs[("GET", f"{SUBSIDIES}/households")] = s_list
        specs[("GET", f"{SUBSIDIES}/households/{{household_id:int}}")] = s_read
        specs[("GET", f"{SUBSIDIES}/households/{{household_id:int}}/calculation")] = s_calc
        specs[("GET", f"{SUBSIDIES}/assignments")] = s_assignments
        specs[("GET", f"{SUBSIDIES}/assignments/{{assignment_id:int}}")] = s_assignment
    return specs


PERSONAL: dict[tuple[str, str], Spec] = {**CORE, **_plugin_specs()}
#: Lists that may be empty in the demo (the answer's citizens are still compared).
MAY_BE_EMPTY = {("GET", "/api/ext/rental_aids/loans/overdue")}


def test_every_api_get_route_declares_whether_it_returns_personal_data(app: Litestar) -> None:
    missing = [
        path
        for path, handler in all_handlers(app)
        if reads.must_declare(path, handler) and not reads.declared(handler)
    ]
    assert missing == []


def test_the_routes_declared_personal_are_exactly_the_list(app: Litestar) -> None:
    declared = {
        (method, path)
        for path, handler in all_handlers(app)
        if reads.declaration(handler) is not None
        for method in handler.http_methods  # type: ignore[attr-defined]
    }
    assert declared == set(PERSONAL)


@pytest.fixture(scope="module")
async def loaded(platform: Platform, client: httpx.AsyncClient) -> Demo:
    """The demo's municipalities (with every plugin's rows), read as their admin."""
    if not await Municipality.exists().where(Municipality.slug == demo.MUNICIPALITIES[0]["slug"]):
        await demo.load(platform, citizens=40)
    muni = (
        await Municipality.select(Municipality.id, Municipality.slug)
        .where(Municipality.slug == demo.MUNICIPALITIES[0]["slug"])
        .first()
    )
    assert muni is not None
    user = await User.select().where(User.username == f"{muni['slug']}.admin").first()
    assert user is not None
    actor = Actor(
        id=user["id"],
        username=user["username"],
        full_name=user["full_name"],
        role="admin",
        municipality_id=muni["id"],
        municipality_slug=muni["slug"],
    )
    token, _ = await users.open_session(actor, 3600)
    return Demo(client=client, municipality_id=muni["id"], actor=actor, token=token)


async def _last_audit_id() -> int:
    row = await AuditLog.select(AuditLog.id).order_by(AuditLog.id, ascending=False).first()
    return 0 if row is None else int(row["id"])


async def _read(d: Demo, call: Call) -> tuple[httpx.Response, list[dict[str, Any]]]:
    before = await _last_audit_id()
    r = await d.client.get(
        call.url, params=call.params, headers={"Authorization": f"Bearer {d.token}"}
    )
    rows = await AuditLog.select().where(AuditLog.id > before).order_by(AuditLog.id)
    return r, [dict(x) for x in rows]


@pytest.mark.parametrize(("method", "path"), sorted(PERSONAL))
async def test_a_read_of_personal_data_is_audited_with_its_citizens(
    loaded: Demo, method: str, path: str
) -> None:
    call = await PERSONAL[(method, path)](loaded)
    r, rows = await _read(loaded, call)
    assert r.status_code == 200, (call.url, r.text)
    expected = call.citizens
    if expected is None:
        expected = sorted(_ids(r.json(), call.key.split(".")))
    expected = sorted(set(expected))
    if (method, path) not in MAY_BE_EMPTY:
        assert expected, f"{path}: no data to read in the demo"
    assert len(rows) == 1, (path, [x["action"] for x in rows])
    row = rows[0]
    assert row["actor"] == loaded.actor.id
    assert row["actor_role"] == "admin"
    assert row["municipality"] == loaded.municipality_id
    assert row["at"] is not None
    declared = reads.declaration(_handler_of(loaded, method, path))
    assert declared is not None
    assert (row["action"], row["subject"]) == (declared.action, declared.subject)
    details = decode(row["details"], {})
    pairs = await AuditCitizen.select(AuditCitizen.citizen_id).where(
        AuditCitizen.audit_id == row["id"]
    )
    assert sorted(p["citizen_id"] for p in pairs) == expected, path
    if declared.row_ids is None:
        assert details["citizen_ids"] == expected, path
    else:
        # The audit log: the rows shown, their citizens in audit_citizen only.
        assert "citizen_ids" not in details, path
        assert details[declared.row_ids] == sorted(_ids(r.json(), ["id"])), path
    assert details["route"] == f"GET {r.request.url.path}"


def _handler_of(d: Demo, method: str, path: str) -> Any:
    app = d.client._transport.app  # type: ignore[attr-defined]
    return next(
        h
        for p, h in all_handlers(app)
        if p == path and method in h.http_methods  # type: ignore[attr-defined]
    )


async def test_a_file_download_names_its_citizens(loaded: Demo) -> None:
    """The payment register as CSV: the host cannot read the file, the handler names the
    citizens paid."""
    call = await _register_csv(loaded)
    r, rows = await _read(loaded, call)
    assert r.status_code == 200, r.text
    assert [x["action"] for x in rows] == ["register.read"]
    assert decode(rows[0]["details"], {})["citizen_ids"] == sorted(set(call.citizens or []))
    assert decode(rows[0]["details"], {})["query"]["format"] == "csv"


async def test_a_refused_read_leaves_no_read_row(loaded: Demo) -> None:
    r, rows = await _read(loaded, Call("/api/citizens/2147483647"))
    assert r.status_code == 404
    assert [x for x in rows if x["action"] == "citizen.read"] == []


async def test_a_use_case_called_outside_a_declared_route_still_audits(loaded: Demo) -> None:
    """The web pages and the command line call the use cases directly: those keep their own
    row; inside a declared route the host writes the only one."""
    from core.workflow import citizens

    row = await loaded.first(Citizen)
    before = await _last_audit_id()
    await citizens.read(loaded.actor, row["id"])
    found = await citizens.search(
        loaded.actor, q=None, tax_number=None, birth_date=None, page=1, page_size=3
    )
    rows = await AuditLog.select().where(AuditLog.id > before).order_by(AuditLog.id)
    assert [x["action"] for x in rows] == ["citizen.read", "citizen.search"]
    assert decode(rows[1]["details"], {})["citizen_ids"] == sorted(c.id for c in found.items)


def test_a_plugin_get_route_without_a_declaration_stops_start_up() -> None:
    from types import SimpleNamespace

    from litestar import get

    from core.api.access import roles
    from core.api.app import plugin_routers
    from core.plugins import PluginError

    @get("/stats", opt=roles("admin"))
    async def stats() -> dict[str, int]:
        return {}

    @get("/open", opt=roles("admin") | reads.not_personal())
    async def open_() -> dict[str, int]:
        return {}

    def platform(*handlers: Any) -> Any:
        return SimpleNamespace(host=SimpleNamespace(routes=lambda: {"winter_aid": list(handlers)}))

    with pytest.raises(PluginError, match="does not declare whether it returns personal data"):
        plugin_routers(platform(stats))
    assert len(plugin_routers(platform(open_))) == 1
    with pytest.raises(ValueError, match="needs a subject"):
        reads.personal_data("")


async def test_a_desk_list_of_requests_is_audited_with_its_applicants(
    loaded: Demo, platform: Platform
) -> None:
    """The desk's home pages list requests with the applicants' names (core.web.panels)."""
    from core.web import panels

    before = await _last_audit_id()
    rows, _ = await panels.requests_page(platform, loaded.actor, "uk", overdue=None, limit=5)
    assert rows
    audited = await AuditLog.select().where(AuditLog.id > before)
    assert [x["action"] for x in audited] == ["request.list"]
    listed = await Request.select(Request.citizen).where(
        Request.journal_number.is_in([r.journal_number for r in rows])
        & (Request.municipality == loaded.municipality_id)
    )
    ids = sorted({x["citizen"] for x in listed})
    assert decode(audited[0]["details"], {})["citizen_ids"] == ids
