"""Who may call the homeless plugin's routes (checked by tests/api/test_access.py)."""

MATRIX: dict[tuple[str, str], set[str] | str] = {
    ("POST", "/api/ext/homeless/register"): {"admin", "intake", "caseworker"},
    ("GET", "/api/ext/homeless/register"): {"admin", "intake", "caseworker", "auditor"},
    ("GET", "/api/ext/homeless/register/{entry_id:int}"): {
        "admin",
        "intake",
        "caseworker",
        "auditor",
    },
    ("POST", "/api/ext/homeless/register/{entry_id:int}/remove"): {"admin", "caseworker"},
    ("GET", "/api/ext/homeless/register/{entry_id:int}/certificate"): {
        "admin",
        "intake",
        "caseworker",
    },
}
