"""The HSDS 3.0 API's read endpoints, one prefix per municipality: ``/api/hsds/<slug>``.

Public and free of personal data. Lists are paginated as the HSDS API's ``Page``. See
docs/hsds.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import PathParameter, QueryParameter

from core.api.access import public
from core.api.deps import lang_of, platform_of
from core.api.openapi import produces
from core.api.reads import not_personal
from core.errors import NotFound
from core.hsds import package, source
from core.hsds.mapping import VERSION, Catalogue, Obj, clean, scalars

PREFIX = "/api/hsds"
OPT = public() | not_personal()

Slug = Annotated[str, PathParameter(max_length=64, description="the municipality's slug")]
Id = Annotated[str, PathParameter(max_length=64, description="an HSDS id (UUID)")]
Page = Annotated[int, QueryParameter(ge=1, le=100_000, description="page number, from 1")]
PerPage = Annotated[int, QueryParameter(ge=1, le=500, description="results per page")]
Search = Annotated[
    str | None, QueryParameter(max_length=200, description="words to find (full text)")
]
Lang = Annotated[str | None, QueryParameter(description="uk (default) or en")]
Filter = Annotated[str | None, QueryParameter(max_length=64)]


async def catalogue(
    request: Request[Any, Any, Any], municipality: Slug, lang: str | None
) -> Catalogue:
    src = await source.load(platform_of(request), municipality)
    return Catalogue(src, lang_of(request, lang))


def paginate(items: list[Obj], page: int, per_page: int) -> Obj:
    total = len(items)
    pages = max(1, -(-total // per_page))
    contents = items[(page - 1) * per_page : page * per_page]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": [clean(item) for item in contents],
    }


def found(items: list[Obj], id: str, what: str) -> Obj:
    for item in items:
        if item["id"] == id:
            return clean(item)
    raise NotFound(f"{what} «{id}» не знайдено / {what} not found", "id")


def matches(item: Obj, search: str | None) -> bool:
    if not search:
        return True
    hay = " ".join(str(v) for v in scalars(item).values()).lower()
    return all(word in hay for word in search.lower().split())


def service_summary(service: Obj) -> Obj:
    return {**scalars(service), "organization": service["organization"]}


class HsdsController(Controller):
    path = PREFIX + "/{municipality:str}"
    tags = ["hsds"]

    @get("/", opt=OPT, summary="HSDS: the version of the standard this API publishes")
    async def meta(self, request: Request[Any, Any, Any], municipality: Slug) -> Obj:
        src = await source.load(platform_of(request), municipality)
        return {
            "version": VERSION,
            "openapi_url": f"{src.base_url}/schema/openapi.json",
        }

    @get("/services", opt=OPT, summary="HSDS: the municipality's services (paginated)")
    async def services(
        self,
        request: Request[Any, Any, Any],
        municipality: Slug,
        page: Page = 1,
        per_page: PerPage = 50,
        search: Search = None,
        taxonomy_term_id: Filter = None,
        organization_id: Filter = None,
        lang: Lang = None,
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        items = [
            service_summary(s)
            for s in cat.services
            if matches(s, search)
            and (not organization_id or s["organization_id"] == organization_id)
            and (
                not taxonomy_term_id
                or any(a["taxonomy_term_id"] == taxonomy_term_id for a in s["attributes"])
            )
        ]
        return paginate(items, page, per_page)

    @get("/services/{id:str}", opt=OPT, summary="HSDS: one service, fully nested")
    async def service(
        self, request: Request[Any, Any, Any], municipality: Slug, id: Id, lang: Lang = None
    ) -> Obj:
        return found((await catalogue(request, municipality, lang)).services, id, "service")

    @get("/organizations", opt=OPT, summary="HSDS: the municipality and its providers")
    async def organizations(
        self,
        request: Request[Any, Any, Any],
        municipality: Slug,
        page: Page = 1,
        per_page: PerPage = 50,
        search: Search = None,
        lang: Lang = None,
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        items = [scalars(o) for o in cat.organizations if matches(o, search)]
        return paginate(items, page, per_page)

    @get("/organizations/{id:str}", opt=OPT, summary="HSDS: one organization, fully nested")
    async def organization(
        self, request: Request[Any, Any, Any], municipality: Slug, id: Id, lang: Lang = None
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        return found(cat.organizations, id, "organization")

    @get("/service_at_locations", opt=OPT, summary="HSDS: where each service is received")
    async def service_at_locations(
        self,
        request: Request[Any, Any, Any],
        municipality: Slug,
        page: Page = 1,
        per_page: PerPage = 50,
        search: Search = None,
        lang: Lang = None,
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        by_id = {s["id"]: s for s in cat.services}
        items = [
            {
                **scalars(sal),
                "location": scalars(sal["location"]),
                "service": service_summary(by_id[sal["service_id"]]),
            }
            for sal in cat.service_at_locations()
            if matches(sal, search) or matches(sal["location"], search)
        ]
        return paginate(items, page, per_page)

    @get("/service_at_locations/{id:str}", opt=OPT, summary="HSDS: one service at a location")
    async def service_at_location(
        self, request: Request[Any, Any, Any], municipality: Slug, id: Id, lang: Lang = None
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        return found(cat.service_at_locations(), id, "service_at_location")

    @get("/taxonomies", opt=OPT, summary="HSDS: the taxonomies of the terms used")
    async def taxonomies(
        self,
        request: Request[Any, Any, Any],
        municipality: Slug,
        page: Page = 1,
        per_page: PerPage = 50,
        search: Search = None,
        lang: Lang = None,
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        items = [t for t in cat.taxonomies.values() if matches(t, search)]
        return paginate(items, page, per_page)

    @get("/taxonomies/{id:str}", opt=OPT, summary="HSDS: one taxonomy")
    async def taxonomy(
        self, request: Request[Any, Any, Any], municipality: Slug, id: Id, lang: Lang = None
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        return found(list(cat.taxonomies.values()), id, "taxonomy")

    @get("/taxonomy_terms", opt=OPT, summary="HSDS: the taxonomy terms used")
    async def taxonomy_terms(
        self,
        request: Request[Any, Any, Any],
        municipality: Slug,
        page: Page = 1,
        per_page: PerPage = 50,
        search: Search = None,
        taxonomy_id: Filter = None,
        lang: Lang = None,
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        items = [
            t
            for t in cat.terms.values()
            if matches(t, search) and (not taxonomy_id or t["taxonomy_id"] == taxonomy_id)
        ]
        return paginate(items, page, per_page)

    @get("/taxonomy_terms/{id:str}", opt=OPT, summary="HSDS: one taxonomy term")
    async def taxonomy_term(
        self, request: Request[Any, Any, Any], municipality: Slug, id: Id, lang: Lang = None
    ) -> Obj:
        cat = await catalogue(request, municipality, lang)
        return found(list(cat.terms.values()), id, "taxonomy_term")

    @get(
        "/datapackage.zip",
        opt=OPT | produces("application/zip"),
        summary="HSDS: the whole catalogue as a data package (CSV and JSON, zipped)",
        media_type="application/zip",
    )
    async def datapackage(
        self, request: Request[Any, Any, Any], municipality: Slug, lang: Lang = None
    ) -> Response[bytes]:
        cat = await catalogue(request, municipality, lang)
        return Response(
            package.zipped(cat),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="hsds-{cat.src.slug}.zip"'},
        )
