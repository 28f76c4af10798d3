"""The downloadable HSDS data package: a zip with ``datapackage.json``, one CSV per HSDS
table (the standard's tabular form) and the same catalogue as nested JSON."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import msgspec

from core.hsds.mapping import VERSION, Catalogue, Obj, clean
from core.hsds.tables import TABLES

#: Where each nested list or object of an HSDS object goes in the tabular form.
NESTED = {
    "organization_identifiers": "organization_identifier",
    "locations": "location",
    "location": "location",
    "addresses": "address",
    "phones": "phone",
    "contacts": "contact",
    "schedules": "schedule",
    "service_at_locations": "service_at_location",
    "required_documents": "required_document",
    "cost_options": "cost_option",
    "languages": "language",
    "service_areas": "service_area",
    "attributes": "attribute",
    "taxonomy_term": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
}


def _walk(table: str, obj: Obj, rows: dict[str, dict[str, Obj]]) -> None:
    columns = {c.name for c in TABLES[table].columns}
    row = {k: v for k, v in obj.items() if k in columns and v is not None}
    rows[table].setdefault(obj["id"], row)
    for key, value in obj.items():
        child = NESTED.get(key)
        if child is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            _walk(child, item, rows)


def tabular(cat: Catalogue) -> dict[str, list[Obj]]:
    """Every row of every table, by table name (typed values; no row twice)."""
    rows: dict[str, dict[str, Obj]] = {name: {} for name in TABLES}
    for org in cat.organizations:
        _walk("organization", org, rows)
    for service in cat.services:
        _walk("service", service, rows)
    for taxonomy in cat.taxonomies.values():
        _walk("taxonomy", taxonomy, rows)
    for term in cat.terms.values():
        _walk("taxonomy_term", term, rows)
    return {name: list(by_id.values()) for name, by_id in rows.items()}


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def to_csv(table: str, rows: list[Obj]) -> str:
    out = io.StringIO()
    names = [c.name for c in TABLES[table].columns]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(n)) for n in names])
    return out.getvalue()


def descriptor(cat: Catalogue) -> Obj:
    """The Frictionless ``datapackage.json``."""
    src = cat.src
    resources = []
    for name, table in sorted(TABLES.items(), key=lambda item: item[1].order):
        fields = []
        for col in table.columns:
            field: Obj = {"name": col.name, "type": col.type}
            if col.format in ("uuid", "email", "uri"):
                field["format"] = col.format
            fields.append(field)
        resources.append(
            {
                "name": name,
                "path": table.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": ["id"]},
            }
        )
    return {
        "name": f"hromada-{src.slug}-hsds",
        "title": cat.text(src.name),
        "description": cat.t(
            "Каталог соціальних послуг громади у форматі Open Referral HSDS "
            f"{VERSION}; також services.json та organizations.json.",
            f"The municipality's service catalogue as Open Referral HSDS {VERSION}; "
            "also services.json and organizations.json.",
        ),
        "profile": "tabular-data-package",
        "version": VERSION,
        "homepage": f"{src.base_url}/api/hsds/{src.slug}",
        "resources": resources,
    }


def zipped(cat: Catalogue) -> bytes:
    data = io.BytesIO()
    tables = tabular(cat)
    encode = msgspec.json.Encoder().encode
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed date: the same catalogue always makes the same bytes.
        def put(name: str, content: bytes) -> None:
            archive.writestr(
                zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED
            )

        put("datapackage.json", msgspec.json.format(encode(descriptor(cat)), indent=2))
        for name, table in TABLES.items():
            put(table.path, to_csv(name, tables[name]).encode("utf-8"))
        put("services.json", encode(clean(cat.services)))
        put("organizations.json", encode(clean(cat.organizations)))
    return data.getvalue()
