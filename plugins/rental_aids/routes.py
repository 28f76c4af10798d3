"""HTTP routes of the rental point, mounted by the host at ``/api/ext/rental_aids/``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.sdk import (
    Page,
    PathId,
    PersonalResponse,
    QueryId,
    actor_of,
    not_personal,
    personal_data,
    platform_of,
    roles,
)
from plugins.rental_aids import bill, inventory, loans, waiting
from plugins.rental_aids.act_pdf import act_pdf
from plugins.rental_aids.schemas import (
    BillIn,
    BillOut,
    DeviceTypeIn,
    DeviceTypeOut,
    DeviceTypePatch,
    ExtendIn,
    IssueIn,
    ItemIn,
    ItemOut,
    ItemPatch,
    ItemStatus,
    LoanOut,
    LoanStatus,
    ReturnIn,
    WaitingIn,
    WaitingOut,
    WaitingStatus,
)

STAFF = ("admin", "intake", "caseworker", "accountant", "auditor")
READ = roles(*STAFF, "provider")
ADMIN = roles("admin")
STOCK = roles("admin", "provider")
DESK = roles("admin", "caseworker", "provider")
LOANS_READ = roles(*STAFF, "provider", "citizen")
QUEUE = roles("admin", "intake", "caseworker", "provider")
BILL = roles("admin", "accountant", "provider")
#: The audit subject of reads of loans (the host audits them, core.api.reads).
LOAN = "rental_loan"
Code = Annotated[str | None, QueryParameter(max_length=32)]
PageNo = Annotated[int, QueryParameter(ge=1, le=1_000_000)]
PageSize = Annotated[int, QueryParameter(ge=1, le=500)]
Req = Request[Any, Any, Any]


class DeviceTypeController(Controller):
    path = "/device-types"
    tags = ["rental_aids"]

    @get("/", opt=READ | not_personal(), summary="Device types of the rental point")
    async def list_types(self, request: Req) -> list[DeviceTypeOut]:
        return await inventory.list_types(actor_of(request))

    @post("/", opt=ADMIN, summary="Add a device type")
    async def create_type(self, request: Req, data: JSONBody[DeviceTypeIn]) -> DeviceTypeOut:
        return await inventory.create_type(actor_of(request), data)

    @patch("/{type_id:int}", opt=ADMIN, summary="Rename or retire a device type")
    async def update_type(
        self, request: Req, type_id: PathId, data: JSONBody[DeviceTypePatch]
    ) -> DeviceTypeOut:
        return await inventory.update_type(actor_of(request), type_id, data)


class ItemController(Controller):
    path = "/items"
    tags = ["rental_aids"]

    @get("/", opt=READ | not_personal(), summary="Items (a provider sees its own rental point's)")
    async def list_items(
        self,
        request: Req,
        device_code: Code = None,
        status: FromQuery[ItemStatus | None] = None,
        page: PageNo = 1,
        page_size: PageSize = 50,
    ) -> Page[ItemOut]:
        items, total = await inventory.list_items(
            actor_of(request),
            device_code=device_code,
            status=status,
            page=page,
            page_size=page_size,
        )
        return Page(items=items, total=total, page=page, page_size=page_size)

    @post("/", opt=STOCK, summary="Add an item to the rental point")
    async def create_item(self, request: Req, data: JSONBody[ItemIn]) -> ItemOut:
        return await inventory.create_item(actor_of(request), data)

    @get("/{item_id:int}", opt=READ | not_personal(), summary="One item")
    async def read_item(self, request: Req, item_id: PathId) -> ItemOut:
        return await inventory.read_item(actor_of(request), item_id)

    @patch(
        "/{item_id:int}", opt=STOCK, summary="Change an item: condition, place, repair, write-off"
    )
    async def update_item(
        self, request: Req, item_id: PathId, data: JSONBody[ItemPatch]
    ) -> ItemOut:
        return await inventory.update_item(actor_of(request), item_id, data)


class LoanController(Controller):
    path = "/loans"
    tags = ["rental_aids"]

    @get(
        "/",
        opt=LOANS_READ | personal_data(LOAN, action="rental_aids.loan.list"),
        summary="Loans (a provider sees its own, a citizen their own)",
    )
    async def list_loans(
        self,
        request: Req,
        status: FromQuery[LoanStatus | None] = None,
        citizen_id: QueryId = None,
        page: PageNo = 1,
        page_size: PageSize = 50,
    ) -> Page[LoanOut]:
        items, total = await loans.listing(
            actor_of(request),
            status=status,
            overdue=False,
            citizen_id=citizen_id,
            page=page,
            page_size=page_size,
        )
        return Page(items=items, total=total, page=page, page_size=page_size)

    @get(
        "/overdue",
        opt=READ | personal_data(LOAN, action="rental_aids.loan.overdue"),
        summary="Active loans past their due date",
    )
    async def overdue_loans(
        self, request: Req, page: PageNo = 1, page_size: PageSize = 50
    ) -> Page[LoanOut]:
        items, total = await loans.listing(
            actor_of(request),
            status=None,
            overdue=True,
            citizen_id=None,
            page=page,
            page_size=page_size,
        )
        return Page(items=items, total=total, page=page, page_size=page_size)

    @post(
        "/",
        opt=DESK,
        summary="Issue an item against an assigned request (act of handover)",
        description="201 with the loan; with queue_if_taken, 202 with the waiting-list entry "
        "when the item was taken and no other item of the type is free.",
    )
    async def issue_loan(
        self, request: Req, data: JSONBody[IssueIn]
    ) -> Response[LoanOut | WaitingOut]:
        out, issued = await loans.issue_or_wait(platform_of(request), actor_of(request), data)
        return Response(out, status_code=201 if issued else 202)

    @get(
        "/{loan_id:int}",
        opt=LOANS_READ | personal_data(LOAN, action="rental_aids.loan.read"),
        summary="One loan with its act of handover",
    )
    async def read_loan(self, request: Req, loan_id: PathId) -> LoanOut:
        return await loans.read(actor_of(request), loan_id)

    @get(
        "/{loan_id:int}/act.pdf",
        produces=("application/pdf",),
        opt=LOANS_READ | personal_data(LOAN, action="rental_aids.act_pdf"),
        summary="The act of handover (and of return), PDF in Ukrainian (audited)",
    )
    async def loan_act(self, request: Req, loan_id: PathId) -> Response[bytes]:
        content, citizen = await act_pdf(actor_of(request), loan_id)
        return PersonalResponse(
            content,
            citizen_ids=[citizen],
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="rental-act-{loan_id}.pdf"'},
        )

    @post("/{loan_id:int}/extend", opt=DESK, status_code=200, summary="Extend on a new conclusion")
    async def extend_loan(self, request: Req, loan_id: PathId, data: JSONBody[ExtendIn]) -> LoanOut:
        return await loans.extend(platform_of(request), actor_of(request), loan_id, data)

    @post("/{loan_id:int}/return", opt=DESK, status_code=200, summary="Take the item back")
    async def return_loan(self, request: Req, loan_id: PathId, data: JSONBody[ReturnIn]) -> LoanOut:
        return await loans.give_back(platform_of(request), actor_of(request), loan_id, data)


class WaitingController(Controller):
    path = "/waiting-list"
    tags = ["rental_aids"]

    @get(
        "/",
        opt=READ | personal_data("rental_waiting", action="rental_aids.waiting.list"),
        summary="The waiting list in order of service",
    )
    async def list_waiting(
        self,
        request: Req,
        device_code: Code = None,
        status: FromQuery[WaitingStatus | None] = None,
    ) -> list[WaitingOut]:
        return await waiting.listing(actor_of(request), device_code=device_code, status=status)

    @post("/", opt=QUEUE, summary="Put an assigned request on the waiting list")
    async def add_waiting(self, request: Req, data: JSONBody[WaitingIn]) -> WaitingOut:
        return await waiting.enqueue(actor_of(request), data)

    @post("/{entry_id:int}/cancel", opt=QUEUE, status_code=200, summary="Leave the waiting list")
    async def cancel_waiting(self, request: Req, entry_id: PathId) -> WaitingOut:
        return await waiting.cancel(actor_of(request), entry_id)


class BillingController(Controller):
    path = "/billing"
    tags = ["rental_aids"]

    @post("/run", opt=BILL, status_code=200, summary="Bill a month: item-days and cleanings")
    async def bill_month(self, request: Req, data: JSONBody[BillIn]) -> BillOut:
        return await bill.bill_month(platform_of(request), actor_of(request), data.month)


ROUTES = [
    DeviceTypeController,
    ItemController,
    LoanController,
    WaitingController,
    BillingController,
]
