"""The real-worker test needs PostgreSQL (``hromada worker`` refuses SQLite, where the web
process runs the jobs itself): on SQLite it is not collected, and test_jobs.py's
``test_a_run_stopped_mid_way_resumes...`` covers the same resume in one process. CI runs
the suite on PostgreSQL too, where it is collected and runs (never skipped)."""

import os

collect_ignore = (
    []
    if os.environ.get("HROMADA_TEST_DATABASE_URL", "").startswith("postgres")
    else ["test_worker_pg.py"]
)
