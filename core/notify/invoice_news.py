"""News of a provider's invoice: rejected (with the reason) and paid. Written into the
outbox inside the transaction that moves the invoice, by e-mail to the address on the
provider's record (:func:`core.notify.news.notify_provider`), in the municipality's
wording; nothing when the record has no address.
"""

from __future__ import annotations

from core.db.market import Invoice
from core.money import from_kopiyky
from core.notify import news, outbox, templates
from core.notify.templates import MessageKind, Wording
from core.service import Text

#: The variables of an invoice's news, with the preview's sample values.
VARIABLES = {
    "number": "РХ-2026-000045",
    "period": "11.2026",
    "contract": "Д-2026-007",
    "provider": "БФ «Надія»",
    "total": "12 500,00",
    "total_en": "12,500.00",
    "reason": "Акт не підписано",
    "paid_on": "05.12.2026",
    "reference": "ПД-1187",
    "link": "https://hromada.example/desk/provider/invoices",
}
_SUBJECT = Text("Рахунок № {{ number }}", "Invoice No. {{ number }}")
_WHAT_UK = "Рахунок № {{ number }} за {{ period }} (договір {{ contract }}, {{ total }} грн)"
_WHAT_EN = "Invoice No. {{ number }} for {{ period }} (contract {{ contract }}, UAH {{ total_en }})"
_LINK = Text("\n\nРахунки: {{ link }}", "\n\nInvoices: {{ link }}")

KINDS = (
    MessageKind(
        event="invoice.rejected",
        title=Text("Рахунок відхилено (надавачу)", "Invoice rejected (to the provider)"),
        variables=VARIABLES,
        default=Wording(
            subject_uk=f"{_SUBJECT.uk}: відхилено",
            subject_en=f"{_SUBJECT.en}: rejected",
            body_uk=f"{_WHAT_UK} відхилено. Причина: {{{{ reason }}}}\n"
            f"Доставки рахунку повернуто до відомості місяця: виправте й складіть рахунок "
            f"знову.{_LINK.uk}",
            body_en=f"{_WHAT_EN} has been rejected. Reason: {{{{ reason }}}}\n"
            f"Its deliveries are back on the month's sheet: correct them and invoice "
            f"again.{_LINK.en}",
            sms_uk="Рахунок {{ number }} відхилено: {{ reason }}",
        ),
    ),
    MessageKind(
        event="invoice.paid",
        title=Text("Рахунок оплачено (надавачу)", "Invoice paid (to the provider)"),
        variables=VARIABLES,
        default=Wording(
            subject_uk=f"{_SUBJECT.uk}: оплачено",
            subject_en=f"{_SUBJECT.en}: paid",
            body_uk=f"{_WHAT_UK} оплачено {{{{ paid_on }}}}, платіжне доручення "
            f"{{{{ reference }}}}.{_LINK.uk}",
            body_en=f"{_WHAT_EN} was paid on {{{{ paid_on }}}}, payment order "
            f"{{{{ reference }}}}.{_LINK.en}",
            sms_uk="Рахунок {{ number }} оплачено {{ paid_on }}.",
        ),
    ),
)
for _k in KINDS:
    templates.register(_k)


def _money(kop: int) -> tuple[str, str]:
    """An amount as Ukrainian ("12 500,00") and English ("12,500.00") write it."""
    en = f"{from_kopiyky(kop):,.2f}"
    return en.replace(",", " ").replace(".", ","), en


async def invoice_moved(invoice_id: int, status: str) -> int | None:
    """Write the news of ``status`` (``rejected`` or ``paid``) for the invoice's provider
    (call inside the transaction that moved it); the message's id, or None when the
    status tells nothing or the provider has no e-mail address."""
    event = f"invoice.{status}"
    if event not in {k.event for k in KINDS}:
        return None
    row = (
        await Invoice.select(
            Invoice.municipality,
            Invoice.provider,
            Invoice.provider.name,
            Invoice.number,
            Invoice.period,
            Invoice.contract.number,
            Invoice.total_kop,
            Invoice.rejected_reason,
            Invoice.paid_on,
            Invoice.payment_reference,
        )
        .where(Invoice.id == invoice_id)
        .first()
    )
    if row is None:
        return None
    uk, en = _money(int(row["total_kop"]))
    year, month = str(row["period"]).split("-")
    return await news.notify_provider(
        municipality_id=int(row["municipality"]),
        provider_id=int(row["provider"]),
        event=event,
        values={
            "number": row["number"],
            "period": f"{month}.{year}",
            "contract": row["contract.number"] or "—",
            "provider": row["provider.name"] or "—",
            "total": uk,
            "total_en": en,
            "reason": row["rejected_reason"] or "—",
            "paid_on": news.day(row["paid_on"]),
            "reference": row["payment_reference"] or "—",
            "link": f"{outbox.SITE}/desk/provider/invoices",
        },
    )
