"""The public catalogue of enabled services with their information cards."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery, QueryParameter

from core.api.access import public
from core.api.deps import lang_of, municipality_of, platform_of
from core.errors import NotFound
from core.service import Service


class DocumentOut(msgspec.Struct):
    name: str
    form: str
    note: str | None


class GroundOut(msgspec.Struct):
    code: str
    text: str


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
            DocumentOut(d.name.get(lang), d.form, d.note.get(lang) if d.note else None)
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


async def enabled_cards(
    request: Request[Any, Any, Any], municipality: str | None, lang: str | None, q: str | None
) -> list[ServiceCard]:
    platform = platform_of(request)
    muni = await municipality_of(request, municipality)
    language = lang_of(request, lang)
    return [
        card_of(s, platform.host.service_plugin[s.code], language)
        for s in await platform.services(muni.id)
        if not q or matches(s, q)
    ]


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
    ) -> list[ServiceCard]:
        return await enabled_cards(request, municipality, lang, q)

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
