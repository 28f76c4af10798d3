"""The HSDS 3.0 tables Hromada fills, as the standard's tabular form describes them.

Each table's file name, its order in a data package and its columns (name, Frictionless
type, format) are those of the standard's ``schema/<table>.json`` (HSDS 3.0), in their
order; ``tests/api/test_hsds.py`` checks them against the official schemas."""

from __future__ import annotations

from typing import NamedTuple


class Column(NamedTuple):
    name: str
    type: str
    format: str | None = None


class Table(NamedTuple):
    path: str
    order: int
    columns: tuple[Column, ...]


TABLES: dict[str, Table] = {
    "organization": Table(
        "organizations.csv",
        1,
        (
            Column("id", "string", "uuid"),
            Column("name", "string"),
            Column("alternate_name", "string"),
            Column("description", "string"),
            Column("email", "string", "email"),
            Column("website", "string", "uri"),
            Column("tax_status", "string"),
            Column("tax_id", "string"),
            Column("year_incorporated", "number"),
            Column("legal_status", "string"),
            Column("logo", "string"),
            Column("uri", "string", "uri"),
            Column("parent_organization_id", "string", "uuid"),
        ),
    ),
    "organization_identifier": Table(
        "organization_identifiers.csv",
        20,
        (
            Column("id", "string", "uuid"),
            Column("organization_id", "string", "uuid"),
            Column("identifier_scheme", "string"),
            Column("identifier_type", "string"),
            Column("identifier", "string"),
        ),
    ),
    "location": Table(
        "locations.csv",
        6,
        (
            Column("id", "string", "uuid"),
            Column("location_type", "string"),
            Column("url", "string", "uri"),
            Column("organization_id", "string", "uuid"),
            Column("name", "string"),
            Column("alternate_name", "string"),
            Column("description", "string"),
            Column("transportation", "string"),
            Column("latitude", "number"),
            Column("longitude", "number"),
            Column("external_identifier", "string"),
            Column("external_identifier_type", "string"),
        ),
    ),
    "address": Table(
        "addresses.csv",
        9,
        (
            Column("id", "string", "uuid"),
            Column("location_id", "string", "uuid"),
            Column("attention", "string"),
            Column("address_1", "string"),
            Column("address_2", "string"),
            Column("city", "string"),
            Column("region", "string"),
            Column("state_province", "string"),
            Column("postal_code", "string"),
            Column("country", "string"),
            Column("address_type", "string"),
        ),
    ),
    "phone": Table(
        "phones.csv",
        7,
        (
            Column("id", "string", "uuid"),
            Column("location_id", "string", "uuid"),
            Column("service_id", "string", "uuid"),
            Column("organization_id", "string", "uuid"),
            Column("contact_id", "string", "uuid"),
            Column("service_at_location_id", "string", "uuid"),
            Column("number", "string"),
            Column("extension", "number"),
            Column("type", "string"),
            Column("description", "string"),
        ),
    ),
    "contact": Table(
        "contacts.csv",
        8,
        (
            Column("id", "string", "uuid"),
            Column("organization_id", "string", "uuid"),
            Column("service_id", "string", "uuid"),
            Column("service_at_location_id", "string", "uuid"),
            Column("location_id", "string", "uuid"),
            Column("name", "string"),
            Column("title", "string"),
            Column("department", "string"),
            Column("email", "string", "email"),
        ),
    ),
    "schedule": Table(
        "schedules.csv",
        10,
        (
            Column("id", "string", "uuid"),
            Column("service_id", "string", "uuid"),
            Column("location_id", "string", "uuid"),
            Column("service_at_location_id", "string", "uuid"),
            Column("valid_from", "date"),
            Column("valid_to", "date"),
            Column("dtstart", "date"),
            Column("timezone", "number"),
            Column("until", "date"),
            Column("count", "number"),
            Column("wkst", "string"),
            Column("freq", "string"),
            Column("interval", "number"),
            Column("byday", "string"),
            Column("byweekno", "string"),
            Column("bymonthday", "string"),
            Column("byyearday", "string"),
            Column("description", "string"),
            Column("opens_at", "time"),
            Column("closes_at", "time"),
            Column("schedule_link", "string", "uri"),
            Column("attending_type", "string"),
            Column("notes", "string"),
        ),
    ),
    "service": Table(
        "services.csv",
        3,
        (
            Column("id", "string", "uuid"),
            Column("organization_id", "string", "uuid"),
            Column("program_id", "string", "uuid"),
            Column("name", "string"),
            Column("alternate_name", "string"),
            Column("description", "string"),
            Column("url", "string", "uri"),
            Column("email", "string", "email"),
            Column("status", "string"),
            Column("interpretation_services", "string"),
            Column("application_process", "string"),
            Column("fees_description", "string"),
            Column("wait_time", "string"),
            Column("fees", "string"),
            Column("accreditations", "string"),
            Column("eligibility_description", "string"),
            Column("minimum_age", "number"),
            Column("maximum_age", "number"),
            Column("assured_date", "date"),
            Column("assurer_email", "string", "email"),
            Column("licenses", "string"),
            Column("alert", "string"),
            Column("last_modified", "datetime", "date-time"),
        ),
    ),
    "service_at_location": Table(
        "service_at_location.csv",
        5,
        (
            Column("id", "string", "uuid"),
            Column("service_id", "string", "uuid"),
            Column("location_id", "string", "uuid"),
            Column("description", "string"),
        ),
    ),
    "required_document": Table(
        "required_documents.csv",
        13,
        (
            Column("id", "string", "uuid"),
            Column("service_id", "string", "uuid"),
            Column("document", "string"),
            Column("uri", "string", "uri"),
        ),
    ),
    "cost_option": Table(
        "cost_options.csv",
        19,
        (
            Column("id", "string", "uuid"),
            Column("service_id", "string", "uuid"),
            Column("valid_from", "date"),
            Column("valid_to", "date"),
            Column("option", "string"),
            Column("currency", "string"),
            Column("amount", "number"),
            Column("amount_description", "string"),
        ),
    ),
    "language": Table(
        "languages.csv",
        14,
        (
            Column("id", "string", "uuid"),
            Column("service_id", "string", "uuid"),
            Column("location_id", "string", "uuid"),
            Column("phone_id", "string", "uuid"),
            Column("name", "string"),
            Column("code", "string"),
            Column("note", "string"),
        ),
    ),
    "service_area": Table(
        "service_areas.csv",
        12,
        (
            Column("id", "string", "uuid"),
            Column("service_id", "string", "uuid"),
            Column("name", "string"),
            Column("description", "string"),
            Column("extent", "string"),
            Column("extent_type", "string"),
            Column("uri", "string"),
        ),
    ),
    "attribute": Table(
        "attributes.csv",
        4,
        (
            Column("id", "string", "uuid"),
            Column("link_id", "string", "uuid"),
            Column("taxonomy_term_id", "string", "uuid"),
            Column("link_type", "string"),
            Column("link_entity", "string"),
            Column("value", "string"),
        ),
    ),
    "taxonomy": Table(
        "taxonomies.csv",
        21,
        (
            Column("id", "string", "uuid"),
            Column("name", "string"),
            Column("description", "string"),
            Column("uri", "string", "uri"),
            Column("version", "string"),
        ),
    ),
    "taxonomy_term": Table(
        "taxonomy_terms.csv",
        16,
        (
            Column("id", "string", "uuid"),
            Column("code", "string"),
            Column("name", "string"),
            Column("description", "string"),
            Column("parent_id", "string", "uuid"),
            Column("taxonomy", "string"),
            Column("language", "string"),
            Column("taxonomy_id", "string", "uuid"),
            Column("term_uri", "string", "uri"),
        ),
    ),
}
