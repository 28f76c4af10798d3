"""Where each role's work starts and the menu of its pages.

A menu lists only pages that exist: the role's home and the public catalogue (and the
API documentation for the admin). Later pages of the desk add their entries here.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

import msgspec

from core.web.cabinet_texts import cabinet_texts
from core.web.quality_texts import quality_texts
from core.web.queue_texts import queue_texts
from core.web.report_texts import report_texts
from core.web.texts import texts

#: The home page of each role: the page sign-in opens.
HOMES: dict[str, str] = {
    "admin": "/desk/admin",
    "intake": "/desk/front-office",
    "caseworker": "/desk/back-office",
    "accountant": "/desk/accounts",
    "auditor": "/desk/audit",
    "provider": "/desk/provider",
    "citizen": "/desk/citizen",
}


#: Roles that find and register citizens at the front office.
FRONT_OFFICE = frozenset({"admin", "intake", "caseworker"})
#: Roles that work through (or oversee) the queue of requests.
QUEUE = frozenset({"admin", "intake", "caseworker", "auditor"})


#: Roles that read the reports (the department head is the admin; the auditor checks,
#: the accountant answers for the money).
REPORTS = frozenset({"admin", "auditor", "accountant"})


#: The admin's pages besides the home (the municipality's plugins).
ADMIN_PAGES: tuple[tuple[str, str], ...] = (
    ("parameters", "/desk/admin/parameters"),
    ("users", "/desk/admin/users"),
    ("offices", "/desk/admin/offices"),
    ("budget_lines", "/desk/admin/budget-lines"),
    ("messages_admin", "/desk/admin/messages"),
    ("local_cards", "/desk/admin/cards"),
)


#: The accountant's pages besides the home (the invoices by status).
ACCOUNTANT_PAGES: tuple[tuple[str, str], ...] = (
    ("invoices", "/desk/accounts/invoices"),
    ("payouts", "/desk/accounts/payouts"),
    ("budget_lines", "/desk/accounts/budget"),
    ("reports", "/desk/accounts/reports"),
)


#: The provider's pages besides the home: its contracts and invoices, its offers, the
#: calls for proposals with its bids, and its organisation's profile.
PROVIDER_PAGES: tuple[tuple[str, str], ...] = (
    ("provider_contracts", "/desk/provider/contracts"),
    ("provider_deliveries", "/desk/provider/deliveries"),
    ("provider_invoices", "/desk/provider/invoices"),
    ("provider_offers", "/desk/provider/offers"),
    ("provider_calls", "/desk/provider/calls"),
    ("provider_profile", "/desk/provider/profile"),
)


#: The citizen's pages besides the home (their requests): their data and who looked at
#: it, and the public check of what they may get.
CITIZEN_PAGES: tuple[tuple[str, str], ...] = (
    ("my_data", "/desk/citizen/data"),
    ("check_title", "/check"),
)


class MenuItem(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    href: str
    current: bool = False


def home_of(role: str) -> str:
    return HOMES.get(role, "/desk")


def menu_for(
    role: str, lang: str, path: str, extra: Iterable[tuple[str, str]] = ()
) -> list[MenuItem]:
    """The role's menu; ``extra`` are (label, href) of pages plugins add, shown before the
    catalogue."""
    t = texts(lang)
    home = home_of(role)
    items = [MenuItem(label=t[f"home_{role}"], href=home, current=path == home)]
    if role in FRONT_OFFICE:
        citizens = "/desk/front-office/citizens"
        items.append(
            MenuItem(label=t["find_citizen"], href=citizens, current=path.startswith(citizens))
        )
        visits = "/desk/queue"
        items.append(
            MenuItem(label=queue_texts(lang)["queue"], href=visits, current=path.startswith(visits))
        )
    if role in QUEUE:
        queue = "/desk/requests"
        items.append(MenuItem(label=t["work_queue"], href=queue, current=path.startswith(queue)))
    if role == "citizen":
        for key, href in CITIZEN_PAGES:
            words = cabinet_texts(lang)[key]
            items.append(MenuItem(label=words, href=href, current=path.startswith(href)))
    if role == "citizen":
        href = "/desk/citizen/complaints"
        words = quality_texts(lang)["complaints"]
        items.append(MenuItem(label=words, href=href, current=path.startswith(href)))
    if role in ("admin", "auditor"):
        href = "/desk/quality"
        words = quality_texts(lang)["quality_title"]
        items.append(MenuItem(label=words, href=href, current=path.startswith(href)))
    for words, href in extra:
        items.append(MenuItem(label=words, href=href, current=path.startswith(href)))
    items.append(MenuItem(label=t["catalogue"], href="/?" + urlencode({"lang": lang})))
    if role in REPORTS:
        reports = "/desk/reports"
        words = report_texts(lang)["reports"]
        items.append(MenuItem(label=words, href=reports, current=path.startswith(reports)))
    if role == "accountant":
        for key, href in ACCOUNTANT_PAGES:
            items.append(MenuItem(label=t[key], href=href, current=path.startswith(href)))
    if role == "provider":
        for key, href in PROVIDER_PAGES:
            items.append(MenuItem(label=t[key], href=href, current=path.startswith(href)))
    if role == "admin":
        for key, href in ADMIN_PAGES:
            items.append(MenuItem(label=t[key], href=href, current=path.startswith(href)))
        items.append(MenuItem(label=t["api_docs"], href="/schema"))
    return items
