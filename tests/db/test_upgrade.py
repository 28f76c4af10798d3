"""An existing database keeps its numbers when the counters move to the core's number
series: the journal and the plugins' counters continue where they stopped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.db.test_database import fresh_url  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


def test_numbers_continue_after_the_move_to_number_series(fresh_url: str) -> None:  # noqa: F811
    done = subprocess.run(
        [sys.executable, "-m", "tests.db.upgrade_numbers", fresh_url],
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    numbers = json.loads(done.stdout.strip().splitlines()[-1])
    assert numbers == {
        "journal": 42,
        "homeless.certificate": 8,
        "assistant_registration.entry": 4,
        "fresh": 1,
        "rows": 4,
    }
