"""Who may call the rental point's routes (checked by tests/api/test_access.py)."""

STAFF = {"admin", "intake", "caseworker", "accountant", "auditor"}
BASE = "/api/ext/rental_aids"

MATRIX: dict[tuple[str, str], set[str] | str] = {
    ("GET", f"{BASE}/device-types"): STAFF | {"provider"},
    ("POST", f"{BASE}/device-types"): {"admin"},
    ("PATCH", f"{BASE}/device-types/{{type_id:int}}"): {"admin"},
    ("GET", f"{BASE}/items"): STAFF | {"provider"},
    ("POST", f"{BASE}/items"): {"admin", "provider"},
    ("GET", f"{BASE}/items/{{item_id:int}}"): STAFF | {"provider"},
    ("PATCH", f"{BASE}/items/{{item_id:int}}"): {"admin", "provider"},
    ("GET", f"{BASE}/loans"): STAFF | {"provider", "citizen"},
    ("GET", f"{BASE}/loans/overdue"): STAFF | {"provider"},
    ("POST", f"{BASE}/loans"): {"admin", "caseworker", "provider"},
    ("GET", f"{BASE}/loans/{{loan_id:int}}"): STAFF | {"provider", "citizen"},
    ("GET", f"{BASE}/loans/{{loan_id:int}}/act.pdf"): STAFF | {"provider", "citizen"},
    ("POST", f"{BASE}/loans/{{loan_id:int}}/extend"): {"admin", "caseworker", "provider"},
    ("POST", f"{BASE}/loans/{{loan_id:int}}/return"): {"admin", "caseworker", "provider"},
    ("GET", f"{BASE}/waiting-list"): STAFF | {"provider"},
    ("POST", f"{BASE}/waiting-list"): {"admin", "intake", "caseworker", "provider"},
    ("POST", f"{BASE}/waiting-list/{{entry_id:int}}/cancel"): {
        "admin",
        "intake",
        "caseworker",
        "provider",
    },
    ("POST", f"{BASE}/billing/run"): {"admin", "accountant", "provider"},
}
