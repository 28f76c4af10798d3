"""HTTP routes of the subsidy plugin, mounted by the host at ``/api/ext/subsidies/``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.sdk import (
    Invalid,
    Page,
    PathId,
    PersonalResponse,
    QueryId,
    actor_of,
    checked_date,
    clock,
    municipality_of,
    personal_data,
    platform_of,
    public,
    roles,
)
from plugins.subsidies import assign, channel, charges, households, pay, recalc
from plugins.subsidies.formula import Calculation, explain
from plugins.subsidies.periods import NoPeriod
from plugins.subsidies.schemas import (
    AssignIn,
    AssignmentOut,
    AssignmentSummary,
    CalculateIn,
    ChannelIn,
    ChargesIn,
    ChargesOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdSummary,
    PayIn,
    PayOut,
    RecalculateIn,
    RecalculateOut,
)
from plugins.subsidies.service import CODE

WRITE = roles("admin", "intake", "caseworker")
READ = roles("admin", "intake", "caseworker", "auditor")
DECIDE = roles("admin", "caseworker")
HISTORY = roles("admin", "intake", "caseworker", "accountant", "auditor")
PAY = roles("admin", "accountant")
CHARGE = roles("admin", "caseworker", "accountant", "provider")
#: Audit subjects of the reads of personal data (the host audits them, core.api.reads).
HOUSEHOLD = "subsidy_household"
ASSIGNMENT = "subsidy_assignment"
#: Where the citizens are in a household: the applicant and the members who are citizens.
PEOPLE = ("applicant_citizen_id", "members.citizen_id")
Page_ = Annotated[int, QueryParameter(ge=1, le=1_000_000)]
Size = Annotated[int, QueryParameter(ge=1, le=500)]


async def _calculate(
    request: Request[Any, Any, Any], municipality_id: int, body: Any, on: date
) -> Calculation:
    platform = platform_of(request)
    service = await platform.service(municipality_id, CODE)
    params = await platform.parameters(municipality_id, service)
    try:
        return explain(body.members, body.dwelling, body.utilities, applied_on=on, params=params)
    except NoPeriod as exc:
        raise Invalid(f"період не визначено / no period: {exc}", "dwelling.lease_end") from exc


class SubsidyController(Controller):
    path = "/"
    tags = ["subsidies"]

    @post("/calculate", opt=public(), status_code=200, summary="Calculate with the full trace")
    async def calculate(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CalculateIn],
        municipality: Annotated[str | None, QueryParameter(max_length=64)] = None,
    ) -> Calculation:
        muni = await municipality_of(request, municipality)
        return await _calculate(request, muni.id, data, data.applied_on or clock.today())

    @post("/households", opt=WRITE, summary="Store a household (members, dwelling, utilities)")
    async def create_household(
        self, request: Request[Any, Any, Any], data: JSONBody[HouseholdIn]
    ) -> HouseholdOut:
        return await households.create(actor_of(request), data)

    @get(
        "/households",
        opt=READ | personal_data(HOUSEHOLD, action="subsidies.household.list", citizens=PEOPLE),
        summary="List stored households",
    )
    async def list_households(
        self,
        request: Request[Any, Any, Any],
        citizen_id: QueryId = None,
        page: Page_ = 1,
        page_size: Size = 50,
    ) -> Page[HouseholdSummary]:
        return await households.listing(
            actor_of(request), citizen_id=citizen_id, page=page, page_size=page_size
        )

    @get(
        "/households/{household_id:int}",
        opt=READ | personal_data(HOUSEHOLD, action="subsidies.household.read", citizens=PEOPLE),
        summary="Read a stored household",
    )
    async def read_household(
        self, request: Request[Any, Any, Any], household_id: PathId
    ) -> HouseholdOut:
        return await households.read(actor_of(request), household_id)

    @put("/households/{household_id:int}", opt=WRITE, summary="Replace a stored household")
    async def replace_household(
        self, request: Request[Any, Any, Any], household_id: PathId, data: JSONBody[HouseholdIn]
    ) -> HouseholdOut:
        return await households.replace(actor_of(request), household_id, data)

    @get(
        "/households/{household_id:int}/calculation",
        opt=READ | personal_data(HOUSEHOLD, action="subsidies.calculation.read"),
        summary="Calculate a stored household's subsidy with the full trace",
    )
    async def household_calculation(
        self,
        request: Request[Any, Any, Any],
        household_id: PathId,
        on: FromQuery[date | None] = None,
    ) -> Response[Calculation]:
        actor = actor_of(request)
        day = checked_date(on, "on") if on else clock.today()
        body = await households.read(actor, household_id)
        calculation = await _calculate(request, actor.municipality_id, body, day)
        people = [body.applicant_citizen_id, *(m.citizen_id for m in body.members if m.citizen_id)]
        return PersonalResponse(calculation, citizen_ids=people)

    @post(
        "/requests/{request_id:int}/assign",
        opt=DECIDE,
        summary="Assign an approved request's subsidy for its period",
    )
    async def assign_request(
        self, request: Request[Any, Any, Any], request_id: PathId, data: JSONBody[AssignIn]
    ) -> AssignmentOut:
        return await assign.assign(platform_of(request), actor_of(request), request_id, data)

    @get(
        "/assignments",
        opt=HISTORY | personal_data(ASSIGNMENT, action="subsidies.assignment.list"),
        summary="Subsidy history: assigned periods",
    )
    async def list_assignments(
        self,
        request: Request[Any, Any, Any],
        household_id: QueryId = None,
        citizen_id: QueryId = None,
        request_id: QueryId = None,
        page: Page_ = 1,
        page_size: Size = 50,
    ) -> Page[AssignmentSummary]:
        return await assign.history(
            actor_of(request),
            household_id=household_id,
            citizen_id=citizen_id,
            request_id=request_id,
            page=page,
            page_size=page_size,
        )

    @get(
        "/assignments/{assignment_id:int}",
        opt=HISTORY | personal_data(ASSIGNMENT, action="subsidies.assignment.read"),
        summary="An assignment and its trace",
    )
    async def read_assignment(
        self, request: Request[Any, Any, Any], assignment_id: PathId
    ) -> AssignmentOut:
        return await assign.read(actor_of(request), assignment_id)

    @post(
        "/assignments/{assignment_id:int}/recalculate",
        opt=DECIDE,
        status_code=200,
        summary="Recalculate when the income changed by more than the threshold",
    )
    async def recalculate(
        self,
        request: Request[Any, Any, Any],
        assignment_id: PathId,
        data: JSONBody[RecalculateIn],
    ) -> RecalculateOut:
        return await recalc.recalculate(
            platform_of(request), actor_of(request), assignment_id, data
        )

    @put(
        "/assignments/{assignment_id:int}/channel",
        opt=DECIDE,
        summary="Pay the rest of the period another way or to another account",
    )
    async def change_channel(
        self, request: Request[Any, Any, Any], assignment_id: PathId, data: JSONBody[ChannelIn]
    ) -> AssignmentOut:
        return await channel.change(actor_of(request), assignment_id, data)

    @post(
        "/charges",
        opt=CHARGE,
        status_code=200,
        summary="Utility providers' charges of a month (payment up to the charge, carry-over)",
    )
    async def store_charges(
        self, request: Request[Any, Any, Any], data: JSONBody[ChargesIn]
    ) -> ChargesOut:
        return await charges.store(actor_of(request), data)

    @post("/pay-month", opt=PAY, status_code=200, summary="Record a month's payments")
    async def pay_month(self, request: Request[Any, Any, Any], data: JSONBody[PayIn]) -> PayOut:
        return await pay.pay_month(platform_of(request), actor_of(request), data)


ROUTES = [SubsidyController]
