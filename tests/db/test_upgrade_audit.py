"""The audit rows written before ``audit_citizen`` existed are carried over: each citizen
their ``details.citizen_ids`` name gets its indexed row (12 and 112 kept apart)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.db.test_database import fresh_url  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


def test_audit_rows_so_far_are_indexed_by_citizen(fresh_url: str) -> None:  # noqa: F811
    done = subprocess.run(
        [sys.executable, "-m", "tests.db.upgrade_audit", fresh_url],
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [3, 12, 12, 112]
