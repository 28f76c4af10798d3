"""Exports as jobs: the report pages' and the payment register's download buttons start
an ``exports.build`` job; its page shows the progress and then the download, whose file
holds the same figures as the direct download. The same export started twice while it
runs is one job; only the municipality's readers download it; an expired file is gone and
the nightly cleanup deletes it."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
import time_machine
from openpyxl import load_workbook

from core.db.exports import ExportFile
from core.db.tables import AuditLog
from core.exports.jobs import CLEANUP, EXPORT, CleanupArgs
from core.jobs import queue
from core.jobs.registry import spec
from core.platform import Platform
from core.web.export_texts import EXPORT_TEXTS
from tests.jobs.data import complete
from tests.web.conftest import form_token, sign_in
from tests.web.test_reports import TODAY, build
from tests.world import World, make_world

pytestmark = pytest.mark.db

Q = {"start": "2026-11-01", "end": "2026-11-30"}
FILE = re.compile(r'href="(/desk/exports/files/(\d+))"')


def _xlsx(content: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _job_of(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/desk/exports/")
    return int(location.rsplit("/", 1)[1])


async def _export_report(
    visitor: httpx.AsyncClient, name: str, fmt: str, **fields: str
) -> httpx.Response:
    shown = await visitor.get(f"/desk/reports/{name}", params=Q)
    assert f'action="/desk/reports/{name}/export"' in shown.text
    data = {"_csrf": form_token(shown.text), **Q, "format": fmt, **fields}
    return await visitor.post(f"/desk/reports/{name}/export", data=data)


async def test_a_report_export_shows_progress_then_the_same_file_as_the_direct_download(
    world: World, visitor: httpx.AsyncClient, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    with time_machine.travel(TODAY, tick=False):
        await build(world)
        await sign_in(visitor, f"{world.slug}.admin")
        # Each step waits, so the job still runs while it is started again and watched.
        monkeypatch.setenv("HROMADA_JOB_STEP_PAUSE", "0.3")
        job_id = _job_of(await _export_report(visitor, "terms", "xlsx"))
        assert _job_of(await _export_report(visitor, "terms", "xlsx")) == job_id
        running = await visitor.get(f"/desk/exports/{job_id}")
        assert running.status_code == 200
        assert "Підготовка файлу" in running.text
        assert f'hx-get="/desk/jobs/{job_id}?next=' in running.text
        assert FILE.search(running.text) is None
        job = await complete(platform, job_id)
        monkeypatch.delenv("HROMADA_JOB_STEP_PAUSE")
        assert (job.name, job.state, job.done, job.total) == (EXPORT, "done", 2, 2)

        done = await visitor.get(f"/desk/exports/{job_id}")
        assert 'hx-get="/desk/jobs/' not in done.text
        found = FILE.search(done.text)
        assert found
        assert "terms-2026-11-01-2026-11-30.xlsx" in done.text
        fragment = await visitor.get(f"/desk/jobs/{job_id}", params={"next": "/desk/reports"})
        assert found.group(1) in fragment.text
        got = await visitor.get(found.group(1))
        assert got.status_code == 200
        assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert 'filename="terms-2026-11-01-2026-11-30.xlsx"' in got.headers["content-disposition"]
        direct = await visitor.get("/desk/reports/terms", params={**Q, "format": "xlsx"})
        sheets = _xlsx(got.content)
        assert sheets == _xlsx(direct.content)
        assert next(iter(sheets.values()))[-1][:7] == ["Разом", 5, 4, 80.0, 3, 16, 1]

        # Once done, the same export starts a new job (a fresh file).
        again = _job_of(await _export_report(visitor, "terms", "xlsx"))
        assert again != job_id
        await complete(platform, again)


async def test_a_csv_export_in_english_holds_the_direct_downloads_bytes(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    with time_machine.travel(TODAY, tick=False):
        await build(world)
        await sign_in(visitor, f"{world.slug}.auditor")
        shown = await visitor.get("/desk/reports/money", params={**Q, "lang": "en"})
        data = {"_csrf": form_token(shown.text), **Q, "by": "service", "format": "csv"}
        job_id = _job_of(await visitor.post("/desk/reports/money/export?lang=en", data=data))
        assert (await complete(platform, job_id)).state == "done"
        page = await visitor.get(f"/desk/exports/{job_id}", params={"lang": "en"})
        assert "Preparing the file" in page.text
        assert "Download" in page.text
        found = FILE.search(page.text)
        assert found
        got = await visitor.get(found.group(1))
        direct = await visitor.get(
            "/desk/reports/money", params={**Q, "by": "service", "format": "csv", "lang": "en"}
        )
        assert got.headers["content-type"].startswith("text/csv")
        assert got.content == direct.content
        assert "Spent" in got.content.decode("utf-8-sig")


async def test_the_accountants_register_export_matches_the_api_and_is_audited(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    with time_machine.travel(TODAY, tick=False):
        await build(world)
        await sign_in(visitor, f"{world.slug}.accountant")
        desk = await visitor.get("/desk/accounts/reports")
        assert 'action="/desk/accounts/register/export"' in desk.text
        assert 'value="2026-11"' in desk.text
        posted = {"_csrf": form_token(desk.text), "period": "2026-11", "format": "xlsx"}
        job_id = _job_of(await visitor.post("/desk/accounts/register/export", data=posted))
        assert (await complete(platform, job_id)).state == "done"
        found = FILE.search((await visitor.get(f"/desk/exports/{job_id}")).text)
        assert found
        got = await visitor.get(found.group(1))
        assert got.status_code == 200
        api = await visitor.get(
            "/api/registers/payments", params={"period": "2026-11", "format": "xlsx"}
        )
        assert api.status_code == 200
        rows = next(iter(_xlsx(got.content).values()))
        assert rows == next(iter(_xlsx(api.content).values()))
        assert [r[1] for r in rows[1:3]] == ["Р-2026-11", "R-6"]
        assert rows[-1][5] == 1700
        reads = await AuditLog.select(AuditLog.details).where(
            (AuditLog.actor == world.actors["accountant"].id) & (AuditLog.action == "register.read")
        )
        downloads = [r["details"] for r in reads if "export_id" in str(r["details"])]
        assert len(downloads) == 1
        assert str(world.other_citizen_id) in str(downloads[0])

        bad = await visitor.post(
            "/desk/accounts/register/export",
            data={"_csrf": posted["_csrf"], "period": "2026-13", "format": "xlsx"},
        )
        assert bad.status_code == 422
        assert "місяця 13 не буває" in bad.text
        worse = await visitor.post(
            "/desk/accounts/register/export?lang=en",
            data={"_csrf": posted["_csrf"], "period": "листопад", "format": "xlsx"},
        )
        assert worse.status_code == 400
        assert "must be YYYY-MM" in worse.text


async def test_bad_requests_are_pages_in_the_readers_language(
    world: World, visitor: httpx.AsyncClient
) -> None:
    with time_machine.travel(TODAY, tick=False):
        await sign_in(visitor, f"{world.slug}.admin")
        uk = await _export_report(visitor, "terms", "pdf")
        assert uk.status_code == 400
        assert "формат файлу має бути XLSX або CSV" in uk.text
        token = form_token(uk.text)
        en = await visitor.post(
            "/desk/reports/terms/export?lang=en", data={"_csrf": token, "format": "pdf"}
        )
        assert en.status_code == 400
        assert "the file format must be XLSX or CSV" in en.text
        assert "формат файлу" not in en.text
        dates = await visitor.post(
            "/desk/reports/terms/export?lang=uk",
            data={"_csrf": token, "format": "xlsx", "start": "2026-13-01"},
        )
        assert dates.status_code == 400
        assert "період звіту вказано неправильно" in dates.text
        backwards = await visitor.post(
            "/desk/reports/terms/export?lang=en",
            data={"_csrf": token, "format": "xlsx", "start": "2026-11-30", "end": "2026-11-01"},
        )
        assert backwards.status_code == 400
        assert "the period ends before it starts" in backwards.text
        nothing = await visitor.post(
            "/desk/reports/nothing/export", data={"_csrf": token, "format": "xlsx"}
        )
        assert nothing.status_code == 404


async def test_only_the_municipalitys_readers_download(
    world: World,
    visitor: httpx.AsyncClient,
    platform: Platform,
    client: httpx.AsyncClient,
    app: Any,
) -> None:
    with time_machine.travel(TODAY, tick=False):
        await build(world)
        await sign_in(visitor, f"{world.slug}.admin")
        job_id = _job_of(await _export_report(visitor, "applications", "xlsx"))
        await complete(platform, job_id)
        found = FILE.search((await visitor.get(f"/desk/exports/{job_id}")).text)
        assert found
        url = found.group(1)

        other = await make_world(platform, client)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers={"Accept": "text/html"}
        ) as stranger:
            await sign_in(stranger, f"{other.slug}.admin")
            refused = await stranger.get(url)
            assert refused.status_code == 404
            assert "файл не знайдено" in refused.text
            assert (await stranger.get(f"/desk/exports/{job_id}")).status_code == 404
            assert (await stranger.get(f"/desk/jobs/{job_id}")).status_code == 404
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers={"Accept": "text/html"}
        ) as colleague:
            await sign_in(colleague, f"{world.slug}.caseworker")
            assert (await colleague.get(url)).status_code == 403
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers={"Accept": "text/html"}
        ) as auditor:
            await sign_in(auditor, f"{world.slug}.auditor")
            assert (await auditor.get(url)).status_code == 200
            # The job's page is its starter's (or an admin's), as every job's.
            assert (await auditor.get(f"/desk/exports/{job_id}")).status_code == 404


async def test_an_expired_file_is_gone_and_the_cleanup_deletes_it(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    with time_machine.travel(TODAY, tick=False):
        await build(world)
        await sign_in(visitor, f"{world.slug}.admin")
        old_job = _job_of(await _export_report(visitor, "coverage", "csv"))
        await complete(platform, old_job)
        old = FILE.search((await visitor.get(f"/desk/exports/{old_job}")).text)
        assert old
    keep = timedelta(days=platform.settings.export_keep_days)
    with time_machine.travel(TODAY + keep + timedelta(hours=1), tick=False):
        await sign_in(visitor, f"{world.slug}.admin")  # the session of a week ago ended
        gone = await visitor.get(old.group(1))
        assert gone.status_code == 404
        assert "файл більше не зберігається" in gone.text
        english = await visitor.get(old.group(1), params={"lang": "en"})
        assert "the file is no longer kept" in english.text
        fresh_job = _job_of(await _export_report(visitor, "coverage", "xlsx"))
        await complete(platform, fresh_job)
        fresh = FILE.search((await visitor.get(f"/desk/exports/{fresh_job}")).text)
        assert fresh

        found = spec(platform, CLEANUP)
        assert found is not None
        assert [s.cron for s in found.schedules] == ["30 3 * * *"]
        cleanup, _ = await queue.enqueue(
            platform, CLEANUP, CleanupArgs(), key=f"test:cleanup:{world.municipality_id}"
        )
        finished = await complete(platform, cleanup)
        assert finished.state == "done"
        assert finished.result["deleted"] >= 1
        mine = await ExportFile.select(ExportFile.id).where(
            ExportFile.municipality == world.municipality_id
        )
        assert [r["id"] for r in mine] == [int(fresh.group(2))]
        assert (await visitor.get(fresh.group(1))).status_code == 200


def test_texts_have_the_same_keys() -> None:
    assert EXPORT_TEXTS["uk"].keys() == EXPORT_TEXTS["en"].keys()
