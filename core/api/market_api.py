"""The social order over HTTP: budget lines, offers, calls, bids, contracts, assignments."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.params import FromQuery, JSONBody

from core.api.access import roles
from core.api.deps import PathId, QueryId, actor_of, platform_of
from core.api.reads import not_personal
from core.schemas import CommentIn
from core.workflow.market import assignments, budget, calls, contracts, offers
from core.workflow.market.assignments import AssignIn, AssignmentOut
from core.workflow.market.budget import BudgetLineIn, BudgetLineOut, BudgetLinePatch
from core.workflow.market.calls import AwardIn, BidIn, BidOut, CallIn, CallOut, ScoreIn
from core.workflow.market.contracts import ContractIn, ContractOut, StatusIn
from core.workflow.market.offers import OfferIn, OfferOut, OfferPatch

MONEY_READ = roles("admin", "caseworker", "accountant", "auditor")
MARKET_READ = roles("admin", "caseworker", "accountant", "auditor", "provider")
COMMISSION = roles("admin", "caseworker")


class CancelIn(CommentIn, kw_only=True):
    pass


class MarketController(Controller):
    path = "/api"
    tags = ["social order"]

    # ---------------------------------------------------------------- budget
    @get(
        "/budget-lines", opt=MONEY_READ | not_personal(), summary="Budget lines with their figures"
    )
    async def list_budget_lines(self, request: Request[Any, Any, Any]) -> list[BudgetLineOut]:
        return await budget.figures(actor_of(request).municipality_id)

    @post("/budget-lines", opt=roles("admin", "accountant"))
    async def create_budget_line(
        self, request: Request[Any, Any, Any], data: JSONBody[BudgetLineIn]
    ) -> BudgetLineOut:
        return await budget.create(actor_of(request), data)

    @get("/budget-lines/{line_id:int}", opt=MONEY_READ | not_personal())
    async def read_budget_line(
        self, request: Request[Any, Any, Any], line_id: PathId
    ) -> BudgetLineOut:
        return await budget.one(actor_of(request).municipality_id, line_id)

    @patch("/budget-lines/{line_id:int}", opt=roles("admin", "accountant"))
    async def update_budget_line(
        self, request: Request[Any, Any, Any], line_id: PathId, data: JSONBody[BudgetLinePatch]
    ) -> BudgetLineOut:
        return await budget.update(actor_of(request), line_id, data)

    # ---------------------------------------------------------------- offers
    @get("/offers", opt=MARKET_READ | not_personal())
    async def list_offers(
        self,
        request: Request[Any, Any, Any],
        service: FromQuery[str | None] = None,
        provider_id: QueryId = None,
    ) -> list[OfferOut]:
        return await offers.listing(actor_of(request), service, provider_id)

    @post("/offers", opt=roles("admin", "provider"))
    async def create_offer(
        self, request: Request[Any, Any, Any], data: JSONBody[OfferIn]
    ) -> OfferOut:
        return await offers.create(platform_of(request), actor_of(request), data)

    @patch("/offers/{offer_id:int}", opt=roles("admin", "provider"))
    async def update_offer(
        self, request: Request[Any, Any, Any], offer_id: PathId, data: JSONBody[OfferPatch]
    ) -> OfferOut:
        return await offers.update(platform_of(request), actor_of(request), offer_id, data)

    # ----------------------------------------------------------------- calls
    @get("/calls", opt=MARKET_READ | not_personal(), summary="Calls for proposals")
    async def list_calls(
        self, request: Request[Any, Any, Any], status: FromQuery[str | None] = None
    ) -> list[CallOut]:
        return await calls.list_calls(actor_of(request), status)

    @post("/calls", opt=COMMISSION, summary="Announce a call for proposals")
    async def create_call(self, request: Request[Any, Any, Any], data: JSONBody[CallIn]) -> CallOut:
        return await calls.create_call(platform_of(request), actor_of(request), data)

    @get("/calls/{call_id:int}", opt=MARKET_READ | not_personal())
    async def read_call(self, request: Request[Any, Any, Any], call_id: PathId) -> CallOut:
        return await calls.read_call(actor_of(request), call_id)

    @post("/calls/{call_id:int}/cancel", opt=COMMISSION, status_code=200)
    async def cancel_call(
        self, request: Request[Any, Any, Any], call_id: PathId, data: JSONBody[CancelIn]
    ) -> CallOut:
        return await calls.cancel_call(actor_of(request), call_id, data.comment)

    @get(
        "/calls/{call_id:int}/bids",
        opt=MARKET_READ | not_personal(),
        summary="Bids (a provider sees its own)",
    )
    async def list_bids(self, request: Request[Any, Any, Any], call_id: PathId) -> list[BidOut]:
        return await calls.list_bids(actor_of(request), call_id)

    @post(
        "/calls/{call_id:int}/bids",
        opt=roles("provider"),
        summary="Bid (again before the deadline to replace the bid)",
    )
    async def submit_bid(
        self, request: Request[Any, Any, Any], call_id: PathId, data: JSONBody[BidIn]
    ) -> BidOut:
        return await calls.submit_bid(platform_of(request), actor_of(request), call_id, data)

    @post("/bids/{bid_id:int}/withdraw", opt=roles("provider"), status_code=200)
    async def withdraw_bid(self, request: Request[Any, Any, Any], bid_id: PathId) -> BidOut:
        return await calls.withdraw_bid(actor_of(request), bid_id)

    @post(
        "/bids/{bid_id:int}/score",
        opt=COMMISSION,
        status_code=200,
        summary="A commission member scores a bid",
    )
    async def score_bid(
        self, request: Request[Any, Any, Any], bid_id: PathId, data: JSONBody[ScoreIn]
    ) -> BidOut:
        return await calls.score_bid(actor_of(request), bid_id, data)

    @post(
        "/calls/{call_id:int}/award",
        opt=roles("admin"),
        summary="Award the call: a contract, its money committed on the budget line",
    )
    async def award_call(
        self, request: Request[Any, Any, Any], call_id: PathId, data: JSONBody[AwardIn]
    ) -> ContractOut:
        return await calls.award(platform_of(request), actor_of(request), call_id, data)

    # ------------------------------------------------------------- contracts
    @get("/contracts", opt=MARKET_READ | not_personal())
    async def list_contracts(
        self,
        request: Request[Any, Any, Any],
        status: FromQuery[str | None] = None,
        service: FromQuery[str | None] = None,
    ) -> list[ContractOut]:
        return await contracts.listing(actor_of(request), status, service)

    @post("/contracts", opt=roles("admin"), summary="A direct contract (communal provider)")
    async def create_contract(
        self, request: Request[Any, Any, Any], data: JSONBody[ContractIn]
    ) -> ContractOut:
        return await contracts.create_direct(platform_of(request), actor_of(request), data)

    @get("/contracts/{contract_id:int}", opt=MARKET_READ | not_personal())
    async def read_contract(
        self, request: Request[Any, Any, Any], contract_id: PathId
    ) -> ContractOut:
        return await contracts.read(actor_of(request), contract_id)

    @post("/contracts/{contract_id:int}/status", opt=roles("admin"), status_code=200)
    async def contract_status(
        self, request: Request[Any, Any, Any], contract_id: PathId, data: JSONBody[StatusIn]
    ) -> ContractOut:
        return await contracts.set_status(actor_of(request), contract_id, data)

    # ----------------------------------------------------------- assignments
    @post(
        "/requests/{request_id:int}/assign",
        opt=roles("admin", "caseworker"),
        summary="Assign an approved request to a contract",
    )
    async def assign_request(
        self, request: Request[Any, Any, Any], request_id: PathId, data: JSONBody[AssignIn]
    ) -> AssignmentOut:
        return await assignments.assign(actor_of(request), request_id, data)

    @post(
        "/requests/{request_id:int}/close",
        opt=roles("admin", "caseworker"),
        status_code=200,
        summary="The service is complete: close the request",
    )
    async def close_request(
        self, request: Request[Any, Any, Any], request_id: PathId, data: JSONBody[CommentIn]
    ) -> dict[str, str]:
        await assignments.close(actor_of(request), request_id, data.comment)
        return {"status": "closed"}
