"""Billing over HTTP: deliveries, invoices, payouts, registers, documents, reports."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.api.access import roles
from core.api.deps import After, PathId, QueryId, actor_of, platform_of
from core.api.reads import PersonalResponse, not_personal, personal_data
from core.schemas import Page
from core.validators import MONTH_PATTERN
from core.workflow.market import deliveries, invoices, papers, payouts, reports
from core.workflow.market.deliveries import DeliveryIn, DeliveryOut, VoidIn
from core.workflow.market.invoices import InvoiceOut, PayIn, RejectIn, RunIn
from core.workflow.market.payouts import PayoutOut, PayoutPayIn
from core.workflow.market.reports import GroupBy, SpendingRow, UtilisationRow

MONEY_READ = roles("admin", "caseworker", "accountant", "auditor")
BILLING_READ = roles("admin", "caseworker", "accountant", "auditor", "provider")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A month, ``YYYY-MM``; as a filter, empty means every month.
Period = Annotated[str, QueryParameter(pattern=MONTH_PATTERN)]
PeriodFilter = Annotated[str | None, QueryParameter(pattern=r"^([0-9]{4}-[0-9]{2})?$")]


class BillingController(Controller):
    path = "/api"
    tags = ["billing"]

    @post(
        "/deliveries",
        opt=roles("provider", "admin"),
        summary="Record a delivery (idempotent by idempotency_key)",
        responses={200: ResponseSpec(DeliveryOut, description="A retry: the delivery recorded")},
    )
    async def record_delivery(
        self, request: Request[Any, Any, Any], data: JSONBody[DeliveryIn]
    ) -> Response[DeliveryOut]:
        out, created = await deliveries.record(platform_of(request), actor_of(request), data)
        return Response(out, status_code=201 if created else 200)

    @get("/deliveries", opt=BILLING_READ | not_personal())
    async def list_deliveries(
        self,
        request: Request[Any, Any, Any],
        contract_id: QueryId = None,
        period: PeriodFilter = None,
        status: FromQuery[str | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        after: After = None,
    ) -> Page[DeliveryOut]:
        return await deliveries.listing(
            actor_of(request),
            contract_id=contract_id,
            period=period,
            status=status,
            page=page,
            page_size=page_size,
            after=after,
        )

    @get("/deliveries/{delivery_id:int}", opt=BILLING_READ | not_personal())
    async def read_delivery(
        self, request: Request[Any, Any, Any], delivery_id: PathId
    ) -> DeliveryOut:
        return await deliveries.read(actor_of(request), delivery_id)

    @post("/deliveries/{delivery_id:int}/void", opt=roles("provider", "admin"), status_code=200)
    async def void_delivery(
        self, request: Request[Any, Any, Any], delivery_id: PathId, data: JSONBody[VoidIn]
    ) -> DeliveryOut:
        return await deliveries.void(actor_of(request), delivery_id, data)

    @post(
        "/invoices/run",
        opt=roles("provider", "accountant", "admin"),
        summary="Draft the invoices of a month (a provider: its own contracts)",
    )
    async def run_invoices(
        self, request: Request[Any, Any, Any], data: JSONBody[RunIn]
    ) -> list[InvoiceOut]:
        return await invoices.run(platform_of(request), actor_of(request), data)

    @get("/invoices", opt=BILLING_READ | not_personal())
    async def list_invoices(
        self,
        request: Request[Any, Any, Any],
        status: FromQuery[str | None] = None,
        period: PeriodFilter = None,
        contract_id: QueryId = None,
    ) -> list[InvoiceOut]:
        return await invoices.listing(
            actor_of(request), status=status, period=period, contract_id=contract_id
        )

    @get("/invoices/{invoice_id:int}", opt=BILLING_READ | not_personal())
    async def read_invoice(self, request: Request[Any, Any, Any], invoice_id: PathId) -> InvoiceOut:
        return await invoices.read(actor_of(request), invoice_id)

    @post("/invoices/{invoice_id:int}/submit", opt=roles("provider", "accountant"), status_code=200)
    async def submit_invoice(
        self, request: Request[Any, Any, Any], invoice_id: PathId
    ) -> InvoiceOut:
        return await invoices.submit(platform_of(request), actor_of(request), invoice_id)

    @post(
        "/invoices/{invoice_id:int}/approve",
        opt=roles("accountant"),
        status_code=200,
        summary="Approve (an accountant other than the submitter)",
    )
    async def approve_invoice(
        self, request: Request[Any, Any, Any], invoice_id: PathId
    ) -> InvoiceOut:
        return await invoices.approve(platform_of(request), actor_of(request), invoice_id)

    @post("/invoices/{invoice_id:int}/reject", opt=roles("accountant"), status_code=200)
    async def reject_invoice(
        self, request: Request[Any, Any, Any], invoice_id: PathId, data: JSONBody[RejectIn]
    ) -> InvoiceOut:
        return await invoices.reject(platform_of(request), actor_of(request), invoice_id, data)

    @post("/invoices/{invoice_id:int}/pay", opt=roles("accountant"), status_code=200)
    async def pay_invoice(
        self, request: Request[Any, Any, Any], invoice_id: PathId, data: JSONBody[PayIn]
    ) -> InvoiceOut:
        return await invoices.pay(platform_of(request), actor_of(request), invoice_id, data)

    @get(
        "/payouts",
        opt=MONEY_READ | personal_data("payout", action="payout.list"),
        summary="Lump sums to citizens",
    )
    async def list_payouts(
        self, request: Request[Any, Any, Any], status: FromQuery[str | None] = None
    ) -> list[PayoutOut]:
        return await payouts.listing(actor_of(request), status)

    @post("/payouts/{payout_id:int}/pay", opt=roles("accountant"), status_code=200)
    async def pay_payout(
        self, request: Request[Any, Any, Any], payout_id: PathId, data: JSONBody[PayoutPayIn]
    ) -> PayoutOut:
        return await payouts.pay(actor_of(request), payout_id, data)


class PapersController(Controller):
    path = "/api"
    tags = ["billing"]

    @get(
        "/invoices/{invoice_id:int}/act.pdf",
        produces=("application/pdf",),
        opt=BILLING_READ | not_personal(),
        summary="The act of services delivered, PDF in Ukrainian",
    )
    async def act_pdf(self, request: Request[Any, Any, Any], invoice_id: PathId) -> Response[bytes]:
        content = await papers.act_pdf(actor_of(request), invoice_id, "act")
        return _file(content, "application/pdf", f"act-{invoice_id}.pdf")

    @get(
        "/invoices/{invoice_id:int}/invoice.pdf",
        produces=("application/pdf",),
        opt=BILLING_READ | not_personal(),
        summary="The invoice, PDF in Ukrainian",
    )
    async def invoice_pdf(
        self, request: Request[Any, Any, Any], invoice_id: PathId
    ) -> Response[bytes]:
        content = await papers.act_pdf(actor_of(request), invoice_id, "invoice")
        return _file(content, "application/pdf", f"invoice-{invoice_id}.pdf")

    @get(
        "/registers/payments",
        produces=("application/json", "text/csv", XLSX),
        responses={
            200: ResponseSpec(
                list[papers.RegisterRow],
                description="The register: JSON rows, CSV or XLSX by ?format=",
                generate_examples=False,
            )
        },
        opt=roles("admin", "accountant", "auditor")
        | personal_data("register", action="register.read"),
        summary="Payment register of a month: JSON, CSV or XLSX",
    )
    async def payment_register(
        self,
        request: Request[Any, Any, Any],
        period: Period,
        format: FromQuery[Literal["json", "csv", "xlsx"]] = "json",
    ) -> Response[Any]:
        rows = await papers.register(platform_of(request), actor_of(request), period)
        # The payouts' payees are citizens; the host audits the read (core.api.reads).
        people = [r.citizen_id for r in rows if r.citizen_id is not None]
        if format == "csv":
            return _file(
                papers.register_csv(rows),
                "text/csv; charset=utf-8",
                f"register-{period}.csv",
                citizen_ids=people,
            )
        if format == "xlsx":
            return _file(
                papers.register_xlsx(rows, period), XLSX, f"register-{period}.xlsx", people
            )
        return PersonalResponse(rows, citizen_ids=people)

    @get(
        "/reports/spending",
        opt=MONEY_READ | not_personal(),
        summary="Spending per budget line, service, provider or month",
    )
    async def spending_report(
        self,
        request: Request[Any, Any, Any],
        year: Annotated[int, QueryParameter(ge=2000, le=2100)],
        by: FromQuery[GroupBy] = "budget_line",
    ) -> list[SpendingRow]:
        return await reports.spending(actor_of(request), year, by)

    @get(
        "/reports/utilisation",
        opt=MONEY_READ | not_personal(),
        summary="Contracts: units and money vs caps",
    )
    async def utilisation_report(self, request: Request[Any, Any, Any]) -> list[UtilisationRow]:
        return await reports.utilisation(actor_of(request))

    @get("/reports/open-invoices", opt=MONEY_READ | not_personal(), summary="Invoices not yet paid")
    async def open_invoices(self, request: Request[Any, Any, Any]) -> list[InvoiceOut]:
        actor = actor_of(request)
        found: list[InvoiceOut] = []
        for status in ("draft", "submitted", "approved"):
            found.extend(
                await invoices.listing(actor, status=status, period=None, contract_id=None)
            )
        return sorted(found, key=lambda i: i.id)


def _file(
    content: bytes, media_type: str, name: str, citizen_ids: list[int] | None = None
) -> Response[bytes]:
    return PersonalResponse(
        content,
        citizen_ids=citizen_ids or [],
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
