"""Who may call the assistant-registration plugin's routes (checked by tests/api/test_access.py)."""

STAFF_WRITE = {"admin", "intake", "caseworker"}
READERS = {"admin", "intake", "caseworker", "auditor", "citizen"}
BASE = "/api/ext/assistant_registration/register"

MATRIX: dict[tuple[str, str], set[str] | str] = {
    ("GET", BASE): READERS,
    ("GET", BASE + "/{entry_id:int}"): READERS,
    ("GET", BASE + "/{entry_id:int}/certificate.pdf"): READERS,
    ("POST", BASE + "/{entry_id:int}/terminate"): STAFF_WRITE,
    ("POST", BASE + "/from-request/{request_id:int}"): STAFF_WRITE,
}
