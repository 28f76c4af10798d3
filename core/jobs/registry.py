"""Every registered job: the core's own and each enabled plugin's (``register_jobs``)."""

from __future__ import annotations

from typing import Any

from core.jobs import JobSpec


def specs(platform: Any) -> dict[str, JobSpec]:
    from core.jobs.builtin import CORE_JOBS

    found: dict[str, JobSpec] = {spec.name: spec for spec in CORE_JOBS}
    for spec in platform.host.jobs():
        found[spec.name] = spec
    return found


def spec(platform: Any, name: str) -> JobSpec | None:
    return specs(platform).get(name)
