"""The OpenAPI document as the host completes it (``core/api/openapi.py``); the fuzz in
``tests/fuzz`` checks it against the running server."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar import Litestar

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def document(app: Litestar) -> dict[str, Any]:
    out: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(app.openapi_schema.to_schema()))
    return out


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_every_operation_lists_the_hosts_errors(document: dict[str, Any]) -> None:
    operations = _operations(document)
    assert any(path.startswith("/api/ext/") for _, path, _ in operations)
    for method, path, operation in operations:
        responses = operation["responses"]
        for status in ("400", "401", "404", "409", "422", "503"):
            assert status in responses, (method, path, status)
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
        assert "Retry-After" in responses["503"]["headers"], (method, path)
        if operation.get("requestBody"):
            assert "413" in responses, (method, path)


def test_security_follows_the_routes_access(document: dict[str, Any]) -> None:
    """Public routes need no credentials; role routes (the plugins' too) take the token or
    the cookie, and may answer 403."""
    public = {(m, p) for m, p, op in _operations(document) if op["security"] == []}
    assert ("GET", "/api/services") in public
    assert ("POST", "/api/auth/login") in public
    assert ("POST", "/api/ext/subsidies/calculate") in public
    for method, path, operation in _operations(document):
        if (method, path) not in public:
            assert operation["security"] == [{"BearerToken": []}, {"SessionCookie": []}]
            assert "403" in operation["responses"], (method, path)
    assert document["components"]["securitySchemes"]["SessionCookie"]["in"] == "cookie"


def test_files_are_described_as_files(document: dict[str, Any]) -> None:
    def media(path: str) -> set[str]:
        return set(document["paths"][path]["get"]["responses"]["200"]["content"])

    assert media("/api/invoices/{invoice_id}/act.pdf") == {"application/pdf"}
    assert media("/api/documents/{document_id}") == {"application/pdf", "image/jpeg", "image/png"}
    assert "text/csv" in media("/api/registers/payments")
    assert media("/api/ext/rental_aids/loans/{loan_id}/act.pdf") == {"application/pdf"}


def test_bodies_refuse_unknown_fields_and_type_money_and_pages(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["CitizenIn"]["additionalProperties"] is False
    assert schemas["DeliveryIn"]["additionalProperties"] is False
    allocation = schemas["BudgetLineIn"]["properties"]["allocation"]
    assert "pattern" in allocation
    page = next(
        p for p in document["paths"]["/api/citizens"]["get"]["parameters"] if p["name"] == "page"
    )
    assert page["schema"]["maximum"] == 1_000_000
