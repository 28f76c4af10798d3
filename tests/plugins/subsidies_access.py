"""Who may call the subsidy plugin's routes (checked by tests/api/test_access.py)."""

WRITE = {"admin", "intake", "caseworker"}
READ = {"admin", "intake", "caseworker", "auditor"}
DECIDE = {"admin", "caseworker"}
HISTORY = {"admin", "intake", "caseworker", "accountant", "auditor"}
BASE = "/api/ext/subsidies"

MATRIX: dict[tuple[str, str], set[str] | str] = {
    ("POST", f"{BASE}/calculate"): "public",
    ("POST", f"{BASE}/households"): WRITE,
    ("GET", f"{BASE}/households"): READ,
    ("GET", f"{BASE}/households/{{household_id:int}}"): READ,
    ("PUT", f"{BASE}/households/{{household_id:int}}"): WRITE,
    ("GET", f"{BASE}/households/{{household_id:int}}/calculation"): READ,
    ("POST", f"{BASE}/requests/{{request_id:int}}/assign"): DECIDE,
    ("GET", f"{BASE}/assignments"): HISTORY,
    ("GET", f"{BASE}/assignments/{{assignment_id:int}}"): HISTORY,
    ("POST", f"{BASE}/assignments/{{assignment_id:int}}/recalculate"): DECIDE,
    ("PUT", f"{BASE}/assignments/{{assignment_id:int}}/channel"): DECIDE,
    ("POST", f"{BASE}/charges"): {"admin", "caseworker", "accountant", "provider"},
    ("POST", f"{BASE}/pay-month"): {"admin", "accountant"},
}
