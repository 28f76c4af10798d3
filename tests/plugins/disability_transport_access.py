"""Who may call the social taxi plugin's routes (checked by tests/api/test_access.py)."""

STAFF = {"admin", "intake", "caseworker", "auditor"}
BASE = "/api/ext/disability_transport"

MATRIX: dict[tuple[str, str], set[str] | str] = {
    ("POST", f"{BASE}/vehicles"): {"provider"},
    ("GET", f"{BASE}/vehicles"): STAFF | {"provider"},
    ("PATCH", f"{BASE}/vehicles/{{vehicle_id:int}}"): {"provider"},
    ("GET", f"{BASE}/vehicles/{{vehicle_id:int}}/schedule"): STAFF | {"provider"},
    ("POST", f"{BASE}/bookings"): {"admin", "intake", "caseworker", "citizen"},
    ("GET", f"{BASE}/bookings"): STAFF | {"provider", "citizen"},
    ("GET", f"{BASE}/bookings/{{booking_id:int}}"): STAFF | {"provider", "citizen"},
    ("POST", f"{BASE}/bookings/{{booking_id:int}}/cancel"): {
        "admin",
        "intake",
        "caseworker",
        "citizen",
    },
    ("POST", f"{BASE}/bookings/{{booking_id:int}}/assign"): {"admin", "caseworker", "provider"},
    ("POST", f"{BASE}/bookings/{{booking_id:int}}/complete"): {"provider"},
    ("POST", f"{BASE}/bookings/{{booking_id:int}}/no-show"): {"provider"},
}
