"""Public pages, rendered on the server: the catalogue and one service card."""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery

from core.api.access import public
from core.api.catalogue import cached_answer, cards_and_etag
from core.api.deps import lang_of, municipality_of, platform_of
from core.errors import NotFound
from core.paperwork.applications import Office as PaperOffice
from core.paperwork.info_card import info_card_pdf
from core.web.formats import day
from core.web.layout import LANG_COOKIE

LABELS: dict[str, dict[str, str]] = {
    "uk": {
        "site": "Соціальні послуги громади",
        "search": "Пошук послуги",
        "find": "Знайти",
        "none": "Нічого не знайдено.",
        "who": "Хто може звернутися",
        "documents": "Документи",
        "term": "Строк розгляду",
        "days_calendar": "календарних днів",
        "days_working": "робочих днів",
        "fee": "Вартість",
        "free": "Безоплатно",
        "uah": "грн",
        "refusal": "Підстави для відмови",
        "appeal": "Оскарження",
        "basis": "Правова підстава",
        "outcome": "Результат",
        "where": "Де звернутися",
        "how": "Способи подання",
        "back": "← До каталогу",
        "api": "API та документація",
        "original": "оригінал",
        "copy": "копія",
        "original_or_copy": "оригінал або копія",
        "other_lang": "English",
        "check_link": "Що я можу отримати? Перевірте за 2 хвилини",
        "apply_online": "Подати заяву онлайн",
        "local_document": "вимога громади",
        "contacts": "Контакти",
        "contact_office": "Хто надає послугу",
        "contact_phone": "Телефон",
        "contact_email": "Електронна пошта",
        "contact_web": "Сторінка послуги",
        "local_decision": "Рішення громади",
        "decision_of": "№ {number} від {date}",
        "card_pdf": "Інформаційна картка (PDF)",
    },
    "en": {
        "site": "Social services of the hromada",
        "search": "Search services",
        "find": "Search",
        "none": "Nothing found.",
        "who": "Who may apply",
        "documents": "Documents",
        "term": "Processing term",
        "days_calendar": "calendar days",
        "days_working": "working days",
        "fee": "Fee",
        "free": "Free of charge",
        "uah": "UAH",
        "refusal": "Grounds for refusal",
        "appeal": "Appeal",
        "basis": "Legal basis",
        "outcome": "Outcome",
        "where": "Where to apply",
        "how": "How to apply",
        "back": "← Back to the catalogue",
        "api": "API and documentation",
        "original": "original",
        "copy": "copy",
        "original_or_copy": "original or copy",
        "other_lang": "Українською",
        "check_link": "What can I get? Check in 2 minutes",
        "apply_online": "Apply online",
        "local_document": "required by the hromada",
        "contacts": "Contacts",
        "contact_office": "Who provides the service",
        "contact_phone": "Phone",
        "contact_email": "E-mail",
        "contact_web": "The service's page",
        "local_decision": "The hromada's decision",
        "decision_of": "No. {number} of {date}",
        "card_pdf": "Information card (PDF)",
    },
}


def term_text(days: int, kind: str, lang: str) -> str:
    """«10 робочих днів», «1 календарний день», "1 calendar day"."""
    if lang == "en":
        return f"{days} {kind} day{'s' if days != 1 else ''}"
    if days % 10 == 1 and days % 100 != 11:
        form = {"calendar": "календарний день", "working": "робочий день"}
    elif days % 10 in (2, 3, 4) and days % 100 not in (12, 13, 14):
        form = {"calendar": "календарні дні", "working": "робочі дні"}
    else:
        form = {"calendar": "календарних днів", "working": "робочих днів"}
    return f"{days} {form.get(kind, form['calendar'])}"


async def public_context(
    request: Request[Any, Any, Any], municipality: str | None, lang: str | None
) -> dict[str, Any]:
    muni = await municipality_of(request, municipality)
    # ?lang= first, then the choice the staff pages remember (a cookie), then the browser's.
    language = lang_of(request, lang or request.cookies.get(LANG_COOKIE))
    return {
        "lang": language,
        "other": "en" if language == "uk" else "uk",
        "t": LABELS[language],
        "municipality": muni,
        "muni_name": muni.name.get(language),
        "muni_query": f"&municipality={municipality}" if municipality else "",
        "term_text": lambda days, kind: term_text(days, kind, language),
    }


#: The catalogue page as sent, by everything it shows: rendered once per process for each
#: municipality, language, search and version of the cards (their ETag), as the cards are.
_PAGES: dict[tuple[str, ...], tuple[bytes, str]] = {}


@get("/", opt=public(), include_in_schema=False)
async def catalogue_page(
    request: Request[Any, Any, Any],
    q: FromQuery[str | None] = None,
    municipality: FromQuery[str | None] = None,
    lang: FromQuery[str | None] = None,
) -> Response[Any]:
    muni = await municipality_of(request, municipality)
    language = lang_of(request, lang or request.cookies.get(LANG_COOKIE))
    cards, cards_etag = await cards_and_etag(request, municipality, language, q, muni=muni)
    key = (cards_etag, language, muni.name.get(language), municipality or "", q or "")
    if key not in _PAGES:
        ctx = await public_context(request, municipality, lang)
        template = request.app.template_engine.get_template("catalogue.html")  # type: ignore[union-attr]
        html = template.render(**ctx, cards=cards, q=q or "").encode()
        digest = hashlib.blake2b(html, digest_size=12).hexdigest()
        if len(_PAGES) > 1000:  # many searches: keep the memory bounded
            _PAGES.clear()
        _PAGES[key] = (html, f'"{digest}"')
    html, etag = _PAGES[key]
    return cached_answer(request, html, etag, "text/html")


#: The service pages as sent, by everything they show, as :data:`_PAGES` (the offices
#: listed are the municipality's, kept by the platform for ``cache_seconds``).
_SERVICE_PAGES: dict[tuple[Any, ...], tuple[bytes, str]] = {}


@get("/services/{code:str}", opt=public(), include_in_schema=False)
async def service_page(
    request: Request[Any, Any, Any],
    code: FromPath[str],
    municipality: FromQuery[str | None] = None,
    lang: FromQuery[str | None] = None,
) -> Response[Any]:
    muni = await municipality_of(request, municipality)
    language = lang_of(request, lang or request.cookies.get(LANG_COOKIE))
    cards, cards_etag = await cards_and_etag(request, municipality, language, None, muni=muni)
    card = next((c for c in cards if c.code == code), None)
    if card is None:
        raise NotFound(f"послугу «{code}» не знайдено / service not found", "code")
    offices = await platform_of(request).public_offices(muni.id)
    key = (
        cards_etag,
        code,
        language,
        muni.name.get(language),
        municipality or "",
        tuple(tuple(office.items()) for office in offices),
    )
    if key not in _SERVICE_PAGES:
        ctx = await public_context(request, municipality, lang)
        decision = card.local_decision
        template = request.app.template_engine.get_template("service.html")  # type: ignore[union-attr]
        html = template.render(
            **ctx,
            card=card,
            offices=offices,
            decision_date=day(decision.adopted_on, language) if decision else "",
        ).encode()
        digest = hashlib.blake2b(html, digest_size=12).hexdigest()
        if len(_SERVICE_PAGES) > 1000:  # keep the memory bounded
            _SERVICE_PAGES.clear()
        _SERVICE_PAGES[key] = (html, f'"{digest}"')
    html, etag = _SERVICE_PAGES[key]
    return cached_answer(request, html, etag, "text/html")


@get("/services/{code:str}/card.pdf", opt=public(), include_in_schema=False)
async def card_pdf(
    request: Request[Any, Any, Any],
    code: FromPath[str],
    municipality: FromQuery[str | None] = None,
    lang: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The service's information card as a PDF: the municipality's local card."""
    ctx = await public_context(request, municipality, lang)
    muni = ctx["municipality"]
    service = await platform_of(request).service(muni.id, code[:128])
    card = service.card
    rows = await platform_of(request).public_offices(muni.id)
    offices = [
        PaperOffice(name=o["name"], address=o["address"], phone=o["phone"], schedule=o["schedule"])
        for o in rows
    ]
    content = info_card_pdf(
        card,
        municipality=ctx["muni_name"],
        term=term_text(card.term_days, card.term_kind, ctx["lang"]),
        offices=offices,
        lang=ctx["lang"],
    )
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="kartka-{service.code}.pdf"'},
    )


HANDLERS = [catalogue_page, service_page, card_pdf]
