"""The two-by-two deployment test needs PostgreSQL (``hromada worker`` refuses SQLite):
on SQLite it is not collected, as ``tests/jobs/conftest.py`` does for the real-worker
test (under CI a skipped test fails the run). CI runs the suite on PostgreSQL too, where
it is collected and runs."""

import os

collect_ignore = (
    []
    if os.environ.get("HROMADA_TEST_DATABASE_URL", "").startswith("postgres")
    else ["test_two_by_two.py"]
)
