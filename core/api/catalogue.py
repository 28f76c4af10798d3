"""The public catalogue of enabled services with their information cards."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery, QueryParameter

from core.api import kept_answer
from core.api.access import public
from core.api.deps import lang_of, municipality_of, platform_of
from core.errors import NotFound
from core.service import Municipality, Service


class DocumentOut(msgspec.Struct):
    name: str
    form: str
    note: str | None
    #: Asked for by the municipality (its local card), not by the service's own card.
    local: bool = False


class GroundOut(msgspec.Struct):
    code: str
    text: str


class ContactsOut(msgspec.Struct, kw_only=True):
    """Where to ask about the service in the municipality (its local card)."""

    office: str | None
    phone: str
    email: str
    web: str


class LocalDecisionOut(msgspec.Struct, kw_only=True):
    """The council's decision the municipality's local card rests on."""

    text: str
    number: str
    adopted_on: date


class ServiceCard(msgspec.Struct, kw_only=True):
    code: str
    plugin: str
    lang: str
    title: str
    summary: str
    who_may_apply: str
    documents: list[DocumentOut]
    term_days: int
    term_kind: str
    fee: Decimal | None
    free: bool
    refusal_grounds: list[GroundOut]
    appeal: str
    legal_basis: list[str]
    outcome: str
    submission_methods: list[str]
    payee: str
    form_schema_url: str
    #: The municipality's contacts for the service, or ``None``.
    contacts: ContactsOut | None = None
    #: The council's decision the municipality's local card rests on, or ``None``.
    local_decision: LocalDecisionOut | None = None


def card_of(service: Service, plugin: str, lang: str) -> ServiceCard:
    c = service.card
    return ServiceCard(
        code=service.code,
        plugin=plugin,
        lang=lang,
        title=c.title.get(lang),
        summary=c.summary.get(lang),
        who_may_apply=c.who_may_apply.get(lang),
        documents=[
            DocumentOut(d.name.get(lang), d.form, d.note.get(lang) if d.note else None, d.local)
            for d in c.documents
        ],
        term_days=c.term_days,
        term_kind=c.term_kind,
        fee=c.fee,
        free=c.fee is None,
        refusal_grounds=[GroundOut(g.code, g.text.get(lang)) for g in c.refusal_grounds],
        appeal=c.appeal.get(lang),
        legal_basis=[t.get(lang) for t in c.legal_basis],
        outcome=c.outcome.get(lang),
        submission_methods=[t.get(lang) for t in c.submission_methods],
        payee=str(service.payee),
        form_schema_url=f"/api/services/{service.code}/form-schema",
        contacts=ContactsOut(
            office=c.contacts.office.get(lang) if c.contacts.office else None,
            phone=c.contacts.phone,
            email=c.contacts.email,
            web=c.contacts.web,
        )
        if c.contacts
        else None,
        local_decision=LocalDecisionOut(
            text=c.local_decision.text.get(lang),
            number=c.local_decision.number,
            adopted_on=c.local_decision.adopted_on,
        )
        if c.local_decision
        else None,
    )


def matches(service: Service, q: str) -> bool:
    c = service.card
    hay = " ".join(
        [
            service.code,
            c.title.uk,
            c.title.en,
            c.summary.uk,
            c.summary.en,
            c.who_may_apply.uk,
            c.who_may_apply.en,
            *c.keywords,
        ]
    ).lower()
    return all(word in hay for word in q.lower().split())


#: The cards of a set of services in a language, and their ETag, built once per process:
#: a card is the plugin's, which changes only with a new release, with the municipality's
#: local part, which makes new Service objects when it changes (see
#: :meth:`core.platform.Platform.services`). (The services are kept with them, so the ids
#: in the key stay theirs.) The cards' JSON is kept too, as the API sends it.
_CARDS: dict[
    tuple[tuple[int, ...], str, str], tuple[list[Service], list[ServiceCard], str, bytes]
] = {}


def _kept(
    services: list[Service], plugins: dict[str, str], lang: str, q: str
) -> tuple[list[Service], list[ServiceCard], str, bytes]:
    key = (tuple(id(s) for s in services), lang, q)
    if key not in _CARDS:
        cards = [card_of(s, plugins[s.code], lang) for s in services if not q or matches(s, q)]
        body = msgspec.json.encode(cards)
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        if len(_CARDS) > 1000:  # many searches: keep the memory bounded
            _CARDS.clear()
        _CARDS[key] = (list(services), cards, f'"{digest}"', body)
    return _CARDS[key]


def _cards(
    services: list[Service], plugins: dict[str, str], lang: str, q: str
) -> tuple[list[ServiceCard], str]:
    _, cards, etag, _ = _kept(services, plugins, lang, q)
    return cards, etag


async def cards_and_etag(
    request: Request[Any, Any, Any],
    municipality: str | None,
    lang: str | None,
    q: str | None,
    *,
    muni: Municipality | None = None,
) -> tuple[list[ServiceCard], str]:
    """The enabled services' cards (filtered by the words of ``q``) and their ETag
    (``muni``: the municipality, when the caller has it)."""
    platform = platform_of(request)
    if muni is None:
        muni = await municipality_of(request, municipality)
    services = await platform.services(muni.id)
    return _cards(services, platform.host.service_plugin, lang_of(request, lang), q or "")


async def cards_json(
    request: Request[Any, Any, Any], municipality: str | None, lang: str | None, q: str | None
) -> tuple[bytes, str]:
    """The JSON of :func:`cards_and_etag`'s cards, encoded once, and their ETag."""
    platform = platform_of(request)
    muni = await municipality_of(request, municipality)
    services = await platform.services(muni.id)
    _, _, etag, body = _kept(
        services, platform.host.service_plugin, lang_of(request, lang), q or ""
    )
    return body, etag


async def enabled_cards(
    request: Request[Any, Any, Any], municipality: str | None, lang: str | None, q: str | None
) -> list[ServiceCard]:
    cards, _ = await cards_and_etag(request, municipality, lang, q)
    return list(cards)


def _fresh(request: Request[Any, Any, Any], etag: str) -> bool:
    """Whether the client's copy (``If-None-Match``) is this one."""
    wanted = request.headers.get("if-none-match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in wanted.split(",")) or (
        wanted.strip() == "*"
    )


def cached_answer(
    request: Request[Any, Any, Any], content: bytes, etag: str, media_type: str
) -> Response[Any]:
    """The content with its ETag, or 304 when the client has it (:func:`kept_answer.kept`:
    made once, sent as it is). Clients may keep it a minute; a signed-in user's answer
    (their municipality's) is kept by their browser only."""
    shared = request.scope.get("user") is None
    return kept_answer.kept(content, etag, media_type, shared=shared, fresh=_fresh(request, etag))


class CatalogueController(Controller):
    path = "/api/services"
    tags = ["catalogue"]

    @get("/", opt=public(), summary="Catalogue of enabled services")
    async def list_services(
        self,
        request: Request[Any, Any, Any],
        municipality: FromQuery[str | None] = None,
        lang: FromQuery[str | None] = None,
        q: Annotated[str | None, QueryParameter(description="words to search in the cards")] = None,
    ) -> Response[list[ServiceCard]]:
        """The cards, with an ``ETag``: a client that sends it back in ``If-None-Match``
        gets ``304 Not Modified`` while the catalogue is unchanged."""
        body, etag = await cards_json(request, municipality, lang, q)
        return cached_answer(request, body, etag, "application/json")

    @get("/{code:str}", opt=public(), summary="One service's information card")
    async def get_service(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        municipality: FromQuery[str | None] = None,
        lang: FromQuery[str | None] = None,
    ) -> ServiceCard:
        for card in await enabled_cards(request, municipality, lang, None):
            if card.code == code:
                return card
        raise NotFound(f"послугу «{code}» не знайдено / service not found", "code")

    @get("/{code:str}/form-schema", opt=public(), summary="JSON Schema of the application form")
    async def form_schema(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        municipality: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        platform = platform_of(request)
        muni = await municipality_of(request, municipality)
        service = await platform.service(muni.id, code)
        schema: dict[str, Any] = msgspec.json.schema(service.form)
        return schema
