"""The HSDS 3.0 export (/api/hsds/<municipality>/...) on the demo's two municipalities.

Every object and list Hromada publishes is validated against the official compiled JSON
Schemas of HSDS 3.0, read from ``../shared/hsds-3.0`` beside the repository (an
unmodified copy of the standard; never copied into the project). Where that folder is
absent the validation tests are skipped, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from core import demo
from core.db.tables import Citizen, Municipality, Provider, User
from core.hsds.mapping import ELIGIBILITY, uid
from core.hsds.tables import TABLES
from core.platform import Platform

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]
HSDS = ROOT.parent / "shared" / "hsds-3.0"
SLUGS = [m["slug"] for m in demo.MUNICIPALITIES]
#: Sub-schemas of the compiled files for objects without a compiled file of their own.
TERM = "compiled/service.json#/properties/attributes/items/properties/taxonomy_term"
TAXONOMY = TERM + "/properties/taxonomy_detail"


@pytest.fixture(scope="session")
def hsds() -> Path:
    if not (HSDS / "schema" / "compiled").is_dir():
        reason = f"the official HSDS 3.0 schemas are absent ({HSDS}; see its README)"
        if os.environ.get("CI"):
            pytest.fail(f"under CI {reason}")
        pytest.skip(reason)
    return HSDS


@cache
def _load(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HSDS / "schema" / path).read_text(encoding="utf-8"))
    return data


@cache
def validator(ref: str) -> Draft202012Validator:
    """The validator of ``schema/<file>[#/json/pointer]``; each file is read once."""
    path, _, pointer = ref.partition("#")
    schema: Any = _load(path)
    for part in filter(None, pointer.split("/")):
        schema = schema[part.replace("~1", "/").replace("~0", "~")]
    if path == "openapi.json":
        # The API's Page names no required fields: all of them are; "/" needs the version.
        required = list(schema["properties"]) if pointer.endswith("/Page") else ["version"]
        schema = {**schema, "required": required}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check(ref: str, value: Any, where: str) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(ref).iter_errors(value)
    ]
    assert errors == [], f"{where} validated against schema/{ref}: {errors}"


@pytest.fixture(scope="module")
async def demo_loaded(platform: Platform) -> list[str]:
    if not await Municipality.exists().where(Municipality.slug == SLUGS[0]):
        await demo.load(platform, citizens=40)
    return SLUGS


async def get(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    r = await client.get(url, params=params)
    assert r.status_code == 200, (url, r.text)
    return r.json()


async def everything(client: httpx.AsyncClient, slug: str) -> dict[str, Any]:
    """Every list (all on one page) and every object of the municipality's API."""
    base = f"/api/hsds/{slug}"
    out: dict[str, Any] = {"meta": await get(client, base)}
    for kind in ("services", "organizations", "service_at_locations", "taxonomies"):
        page = await get(client, f"{base}/{kind}", per_page=500)
        out[kind] = page
        out[kind + "/"] = [await get(client, f"{base}/{kind}/{i['id']}") for i in page["contents"]]
    page = await get(client, f"{base}/taxonomy_terms", per_page=500)
    out["taxonomy_terms"] = page
    out["taxonomy_terms/"] = [
        await get(client, f"{base}/taxonomy_terms/{i['id']}") for i in page["contents"]
    ]
    return out


def test_the_tables_are_the_standards_tabular_schemas(hsds: Path) -> None:
    for name, table in TABLES.items():
        official = _load(f"{name}.json")
        columns = [
            k for k, v in official["properties"].items() if v.get("type") not in (None, "array")
        ]
        assert [c.name for c in table.columns] == columns, f"schema/{name}.json"
        assert table.path == official["path"], f"schema/{name}.json"


@pytest.mark.parametrize("slug", SLUGS)
async def test_every_object_and_list_is_valid_hsds(
    hsds: Path, demo_loaded: list[str], client: httpx.AsyncClient, slug: str
) -> None:
    got = await everything(client, slug)
    assert got["meta"]["version"] == "3.0"
    check(
        "openapi.json#/paths/~1/get/responses/200/content/application~1json/schema",
        got["meta"],
        f"{slug} /",
    )
    lists = {
        "services": "compiled/service_list.json",
        "organizations": "compiled/organization_list.json",
        "service_at_locations": "compiled/service_at_location_list.json",
        "taxonomies": TAXONOMY,
        "taxonomy_terms": TERM,
    }
    objects = {
        "services/": "compiled/service.json",
        "organizations/": "compiled/organization.json",
        "service_at_locations/": "compiled/service_at_location.json",
        "taxonomies/": TAXONOMY,
        "taxonomy_terms/": TERM,
    }
    for kind, ref in lists.items():
        page = got[kind]
        check("openapi.json#/components/schemas/Page", page, f"{slug} /{kind} page")
        assert page["contents"], f"{slug} /{kind} is empty"
        assert page["total_items"] == len(page["contents"])
        for item in page["contents"]:
            check(ref, item, f"{slug} /{kind} item {item['id']}")
    for kind, ref in objects.items():
        for item in got[kind]:
            check(ref, item, f"{slug} /{kind}{item['id']}")


@pytest.mark.parametrize("slug", SLUGS)
async def test_the_data_package_is_valid_hsds(
    hsds: Path, demo_loaded: list[str], client: httpx.AsyncClient, slug: str
) -> None:
    r = await client.get(f"/api/hsds/{slug}/datapackage.zip")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert {res["path"] for res in descriptor["resources"]} == {t.path for t in TABLES.values()}
    for item in json.loads(archive.read("services.json")):
        check("compiled/service.json", item, f"{slug} services.json {item['id']}")
    for item in json.loads(archive.read("organizations.json")):
        check("compiled/organization.json", item, f"{slug} organizations.json {item['id']}")
    tabular: dict[str, list[dict[str, Any]]] = {}
    for name, table in TABLES.items():
        rows = list(csv.DictReader(io.StringIO(archive.read(table.path).decode("utf-8"))))
        types = {c.name: c.type for c in table.columns}
        assert list(rows[0]) if rows else True
        tabular[name] = [
            {k: float(v) if types[k] == "number" else v for k, v in row.items() if v != ""}
            for row in rows
        ]
    for name in ("organization", "service", "location", "service_at_location", "attribute"):
        assert tabular[name], f"{slug} {TABLES[name].path} is empty"
    check("compiled/tabular.json", tabular, f"{slug} the CSV files of the data package")
    # Every service of services.json has its row, and every row its parent.
    services = {s["id"] for s in tabular["service"]}
    assert {d["service_id"] for d in tabular["required_document"]} <= services
    locations = {loc["id"] for loc in tabular["location"]}
    assert {a["location_id"] for a in tabular["address"]} <= locations


async def test_ids_are_stable_uuids_of_the_natural_keys(
    demo_loaded: list[str], client: httpx.AsyncClient
) -> None:
    first = await get(client, "/api/hsds/lutsk/services", per_page=500)
    again = await get(client, "/api/hsds/lutsk/services", per_page=500)
    english = await get(client, "/api/hsds/lutsk/services", per_page=500, lang="en")
    ids = [s["id"] for s in first["contents"]]
    assert ids == [s["id"] for s in again["contents"]] == [s["id"] for s in english["contents"]]
    cards = await get(client, "/api/services", municipality="lutsk")
    assert sorted(ids) == sorted(uid("lutsk", "service", c["code"]) for c in cards)
    other = await get(client, "/api/hsds/prylisne/services", per_page=500)
    assert not set(ids) & {s["id"] for s in other["contents"]}
    sal_first = await get(client, "/api/hsds/lutsk/service_at_locations", per_page=500)
    sal_again = await get(client, "/api/hsds/lutsk/service_at_locations", per_page=500)
    assert sal_first == sal_again


async def test_unknown_municipality_or_id_is_404(
    demo_loaded: list[str], client: httpx.AsyncClient
) -> None:
    assert (await client.get("/api/hsds/nowhere/services")).status_code == 404
    assert (await client.get("/api/hsds/nowhere")).status_code == 404
    assert (await client.get("/api/hsds/nowhere/datapackage.zip")).status_code == 404
    for kind in ("services", "organizations", "service_at_locations", "taxonomies"):
        r = await client.get(f"/api/hsds/lutsk/{kind}/{uid('lutsk', 'x', 'y')}")
        assert r.status_code == 404, kind
    # A service of one municipality is not found under another's prefix.
    lutsk = await get(client, "/api/hsds/lutsk/services")
    sid = lutsk["contents"][0]["id"]
    assert (await client.get(f"/api/hsds/prylisne/services/{sid}")).status_code == 404


async def test_lists_are_paginated(demo_loaded: list[str], client: httpx.AsyncClient) -> None:
    whole = await get(client, "/api/hsds/lutsk/services", per_page=500)
    total = whole["total_items"]
    assert total >= 2
    first = await get(client, "/api/hsds/lutsk/services", per_page=1)
    assert (first["total_items"], first["total_pages"], first["size"]) == (total, total, 1)
    assert first["first_page"]
    assert not first["last_page"]
    assert not first["empty"]
    last = await get(client, "/api/hsds/lutsk/services", per_page=1, page=total)
    assert not last["first_page"]
    assert last["last_page"]
    assert last["contents"][0] == whole["contents"][-1]
    beyond = await get(client, "/api/hsds/lutsk/services", per_page=1, page=total + 1)
    assert beyond["empty"]
    assert beyond["contents"] == []
    assert beyond["size"] == 0
    r = await client.get("/api/hsds/lutsk/services", params={"per_page": 0})
    assert r.status_code == 400


async def test_only_public_facts_are_published(
    demo_loaded: list[str], client: httpx.AsyncClient
) -> None:
    text = ""
    for slug in SLUGS:
        text += json.dumps(await everything(client, slug), ensure_ascii=False)
        r = await client.get(f"/api/hsds/{slug}/datapackage.zip")
        archive = zipfile.ZipFile(io.BytesIO(r.content))
        text += "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    citizens = await Citizen.select(
        Citizen.last_name, Citizen.first_name, Citizen.tax_number, Citizen.phone
    )
    assert citizens
    for c in citizens:
        assert f"{c['last_name']} {c['first_name']}" not in text
        assert not c["tax_number"] or c["tax_number"] not in text
        assert not c["phone"] or c["phone"] not in text
    for u in await User.select(User.full_name, User.username):
        assert not u["full_name"] or u["full_name"] not in text
        assert u["username"] not in text
    providers = await Provider.select(Provider.name, Provider.iban, Provider.verified)
    for p in providers:
        assert p["iban"] not in text
    assert "бек-офіс" not in text  # back offices are not public
    lutsk = await get(client, "/api/hsds/lutsk/organizations", per_page=500)
    names = {o["name"] for o in lutsk["contents"]}
    muni = await Municipality.select().where(Municipality.slug == "lutsk").first()
    assert muni is not None
    verified = await Provider.select(Provider.name).where(
        (Provider.municipality == muni["id"]) & Provider.verified.eq(True)
    )
    assert names == {muni["name_uk"]} | {p["name"] for p in verified}


async def test_each_service_links_to_its_public_screening(
    demo_loaded: list[str], client: httpx.AsyncClient
) -> None:
    for slug in SLUGS:
        page = await get(client, f"/api/hsds/{slug}/services", per_page=500)
        for item in page["contents"]:
            service = await get(client, f"/api/hsds/{slug}/services/{item['id']}")
            ext = service[ELIGIBILITY]
            assert f"/check?municipality={slug}" in ext["check_page"]
            attribute = [
                a for a in service["attributes"] if a["link_type"] == "eligibility_screening"
            ]
            assert [a["value"] for a in attribute] == [ext["check_page"]]
            api = ext["screening_api"]
            assert api["method"] == "POST"
            assert api["url"].endswith(f"/api/screening?municipality={slug}")
            r = await client.post(
                f"/api/screening?municipality={slug}", json={"applicant": {}, "answers": {}}
            )
            assert r.status_code == 200, r.text
            assert api["service_code"] in {x["service"] for x in r.json()["results"]}
