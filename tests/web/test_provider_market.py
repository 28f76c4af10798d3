"""The provider's organisation profile, offers, and calls with its bids: each page reads
and writes through the use cases the API calls (the same audit rows), says a refused
value beside its field in Ukrainian or English with what was typed kept, and is the
provider's only (another role gets 403)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from core.db.market import Bid, Offer
from core.db.tables import AuditLog, Provider
from core.platform import Platform
from tests.market.flow import MEAL, NIGHT, budget_line, call, ok, pass_deadline, verify_providers
from tests.web.conftest import form_token, sign_in
from tests.world import World

GOOD_IBAN = "UA213223130000026007233566001"


def _error(html: str, field_id: str) -> str:
    """The text of the error shown beside the input ``field_id``."""
    assert f'id="{field_id}-error"' in html, f"no error beside {field_id}"
    assert re.search(rf'aria-describedby="{field_id}-error[" ]', html), field_id
    chunk = html.split(f'id="{field_id}-error"')[1].split("</p>")[0]
    return re.sub(r"<[^>]+>", "", chunk.split(">", 1)[1]).strip()


def _uk(location: str) -> str:
    """A redirect's address in Ukrainian (an earlier page chose English)."""
    path, _, fragment = location.partition("#")
    return f"{path}&lang=uk" + (f"#{fragment}" if fragment else "")


async def _last_audit(action: str) -> dict[str, Any]:
    row = (
        await AuditLog.select(AuditLog.details, AuditLog.subject_id)
        .where(AuditLog.action == action)
        .order_by(AuditLog.id, ascending=False)
        .first()
    )
    assert row is not None, action
    return {"details": json.loads(row["details"] or "{}"), "entity_id": row["subject_id"]}


async def test_profile_shows_and_saves_only_what_changed(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await verify_providers(world)
    await sign_in(visitor, f"{world.slug}.provider")
    shown = await visitor.get("/desk/provider/profile")
    assert shown.status_code == 200, shown.text
    assert 'value="37993783"' in shown.text
    assert "БФ «Надія»" in shown.text
    assert 'href="/desk/provider/profile" aria-current="page"' in shown.text  # the menu
    assert "перевірено" in shown.text
    token = form_token(shown.text)
    form = {
        "_csrf": token,
        "name": "БФ «Надія»",
        "kind": "ngo",
        "edrpou": "37993783",
        "tax_number": "",
        "iban": " ".join(GOOD_IBAN[i : i + 4] for i in range(0, 29, 4)),  # typed in groups
        "address": "м. Ковель, вул. Волі, 5",
        "phone": "+380 50 123 45 67",
        "email": "nadiya@example.org",
    }
    saved = await visitor.post("/desk/provider/profile", data=form)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/desk/provider/profile?saved=1"
    row = await Provider.select().where(Provider.id == world.provider_id).first()
    assert row is not None
    assert row["address"] == "м. Ковель, вул. Волі, 5"
    assert row["phone"] == "+380 50 123 45 67"
    assert row["verified"]  # the IBAN typed in groups is the same IBAN: still verified
    audit = await _last_audit("provider.update")
    assert audit["details"]["fields"] == ["address", "email", "phone"]
    again = await visitor.post("/desk/provider/profile", data=form)
    assert again.headers["location"] == "/desk/provider/profile?saved=none"
    page = await visitor.get(again.headers["location"])
    assert "Змін немає" in page.text


async def test_profile_errors_beside_the_field_in_both_languages(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.provider")
    shown = await visitor.get("/desk/provider/profile")
    form = {
        "_csrf": form_token(shown.text),
        "name": "БФ «Надія» нова",
        "kind": "ngo",
        "edrpou": "37993783",
        "iban": "UA00 1234",
        "phone": "+380501234567",
    }
    bad = await visitor.post("/desk/provider/profile", data=form)
    assert bad.status_code == 400
    assert "IBAN «UA00 1234» недійсний" in _error(bad.text, "profile-iban")
    assert 'value="БФ «Надія» нова"' in bad.text  # what was typed is kept
    assert 'lang="uk"' in bad.text
    row = await Provider.select(Provider.name).where(Provider.id == world.provider_id).first()
    assert row is not None
    assert row["name"] == "БФ «Надія»"  # nothing written

    english = await visitor.post(
        "/desk/provider/profile?lang=en", data={**form, "iban": GOOD_IBAN, "edrpou": ""}
    )
    assert english.status_code == 400
    assert _error(english.text, "profile-edrpou") == "Error: a legal entity needs an EDRPOU code"
    long_name = await visitor.post(
        "/desk/provider/profile?lang=en", data={**form, "iban": GOOD_IBAN, "name": "x"}
    )
    assert long_name.status_code == 400
    assert _error(long_name.text, "profile-name") == "Error: Fill in this field."


async def test_offers_create_edit_withdraw_and_errors(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.provider")
    shown = await visitor.get("/desk/provider/offers")
    assert shown.status_code == 200, shown.text
    assert "Пропозицій ще немає" in shown.text
    assert f'<option value="{NIGHT}">' in shown.text
    token = form_token(shown.text)
    body = {
        "_csrf": token,
        "service_code": NIGHT,
        "unit_price": "двісті",
        "capacity": "30",
        "area": ["Ковель", "Дубове"],
        "description": "Нічліжка на 30 місць",
    }
    bad = await visitor.post("/desk/provider/offers", data=body)
    assert bad.status_code == 400
    assert _error(bad.text, "offer-unit_price") == "Помилка: Вкажіть число, наприклад 1234,56."
    assert 'value="двісті"' in bad.text
    assert 'value="Дубове" checked' in bad.text
    bad_en = await visitor.post("/desk/provider/offers?lang=en", data={**body, "capacity": "-1"})
    assert _error(bad_en.text, "offer-capacity") == "Error: The value is out of range."
    assert await Offer.count().where(Offer.provider == world.provider_id) == 0

    made = await visitor.post("/desk/provider/offers", data={**body, "unit_price": "240,50"})
    assert made.status_code == 303, made.text
    offer = (await ok(await world.get("provider", "/api/offers")))[0]
    assert offer["unit_price"] == "240.50"
    assert offer["area"] == ["Ковель", "Дубове"]
    assert offer["capacity"] == 30
    assert (await _last_audit("offer.create"))["entity_id"] == offer["id"]
    listed = await visitor.get(_uk(made.headers["location"]))
    assert "Пропозицію додано." in listed.text
    assert f'id="offer-{offer["id"]}"' in listed.text
    assert "240,50" in listed.text.replace("\u00a0", " ")
    assert f'<option value="{NIGHT}">' not in listed.text  # one offer per service

    twice = await visitor.post("/desk/provider/offers?lang=en", data={**body, "unit_price": "1"})
    assert twice.status_code == 400
    assert "an offer for this service exists" in _error(twice.text, "offer-service_code")

    url = f"/desk/provider/offers/{offer['id']}"
    key = f"offer-{offer['id']}"
    wrong = await visitor.post(url, data={"_csrf": token, "unit_price": "0", "capacity": "30"})
    assert wrong.status_code == 400
    assert _error(wrong.text, f"{key}-unit_price")
    edited = await visitor.post(
        url, data={"_csrf": token, "unit_price": "255", "capacity": "0", "area": ["Ковель"]}
    )
    assert edited.status_code == 303
    again = await ok(await world.get("provider", "/api/offers"))
    assert again[0]["unit_price"] == "255.00"
    assert again[0]["capacity"] == 0
    assert again[0]["area"] == ["Ковель"]
    assert again[0]["description"] == ""
    withdrawn = await visitor.post(url, data={"_csrf": token, "action": "withdraw"})
    assert withdrawn.status_code == 303
    assert (await ok(await world.get("provider", "/api/offers")))[0]["active"] is False
    page = await visitor.get(_uk(withdrawn.headers["location"]))
    assert "Відкликано" in page.text
    assert "Відновити пропозицію" in page.text
    restored = await visitor.post(url, data={"_csrf": token, "action": "restore"})
    assert restored.status_code == 303
    assert (await ok(await world.get("provider", "/api/offers")))[0]["active"] is True


async def test_another_providers_offer_is_404(world: World, visitor: httpx.AsyncClient) -> None:
    other = await ok(
        await world.post(
            "admin",
            "/api/offers",
            {"service_code": MEAL, "unit_price": "90.00", "provider_id": world.other_provider_id},
        ),
        201,
    )
    await sign_in(visitor, f"{world.slug}.provider")
    shown = await visitor.get("/desk/provider/offers")
    assert f'id="offer-{other["id"]}"' not in shown.text
    hidden = await visitor.post(
        f"/desk/provider/offers/{other['id']}",
        data={"_csrf": form_token(shown.text), "action": "withdraw"},
    )
    assert hidden.status_code == 404
    assert (await Offer.select(Offer.active).where(Offer.id == other["id"]).first()) == {
        "active": True
    }


async def test_calls_bid_errors_withdraw_and_the_outcome(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    line = await budget_line(world)
    await verify_providers(world)
    c = await call(world, line["id"], NIGHT, volume="1000", max_price="300.00")
    await sign_in(visitor, f"{world.slug}.provider")
    shown = await visitor.get("/desk/provider/calls")
    assert shown.status_code == 200, shown.text
    key = f"call-{c['id']}"
    assert f'id="{key}"' in shown.text
    assert c["number"] in shown.text
    assert "300 000,00" in shown.text.replace("\u00a0", " ")  # 1000 × 300.00
    assert "Якість і досвід — 60%" in shown.text
    assert "Ви не подавали пропозиції." in shown.text
    url = f"/desk/provider/calls/{c['id']}/bid"
    body = {
        "_csrf": form_token(shown.text),
        "unit_price": "320",
        "volume": "800",
        "answers.quality": "Нічліжка на 40 місць, 5 років досвіду",
        "note": "",
    }
    above = await visitor.post(url, data=body)
    assert above.status_code == 400
    assert "ціна вища за граничну 300.00" in _error(above.text, f"{key}-unit_price")
    assert "Нічліжка на 40 місць" in above.text  # the answer typed is kept
    above_en = await visitor.post(
        url + "?lang=en", data={**body, "unit_price": "250", "volume": ""}
    )
    assert _error(above_en.text, f"{key}-volume") == "Error: Fill in this field."
    too_much = await visitor.post(
        url + "?lang=en", data={**body, "unit_price": "250", "volume": "5000"}
    )
    assert _error(too_much.text, f"{key}-volume") == "Error: the volume exceeds the call&#39;s"
    assert await Bid.count().where(Bid.call == c["id"]) == 0

    sent = await visitor.post(url, data={**body, "unit_price": "250,00"})
    assert sent.status_code == 303, sent.text
    bids = await ok(await world.get("provider", f"/api/calls/{c['id']}/bids"))
    assert [(b["unit_price"], b["volume"], b["status"]) for b in bids] == [
        ("250.00", "800", "submitted")
    ]
    assert bids[0]["answers"] == {"quality": "Нічліжка на 40 місць, 5 років досвіду"}
    assert (await _last_audit("bid.submit"))["entity_id"] == bids[0]["id"]
    page = await visitor.get(_uk(sent.headers["location"]))
    assert "Пропозицію подано." in page.text
    assert "Замінити пропозицію" in page.text
    assert "Відкликати пропозицію" in page.text

    withdrawn = await visitor.post(
        f"/desk/provider/bids/{bids[0]['id']}/withdraw", data={"_csrf": body["_csrf"]}
    )
    assert withdrawn.status_code == 303
    page = await visitor.get(withdrawn.headers["location"])
    assert "Відкликано" in page.text
    assert (await ok(await world.get("provider", f"/api/calls/{c['id']}/bids")))[0][
        "status"
    ] == "withdrawn"

    # Bid again, the deadline passes: no withdrawing now; the award shows the outcome.
    await visitor.post(url, data={**body, "unit_price": "250"})
    await pass_deadline(c["id"])
    late = await visitor.post(
        f"/desk/provider/bids/{bids[0]['id']}/withdraw?lang=en", data={"_csrf": body["_csrf"]}
    )
    assert late.status_code == 400
    assert "too late to withdraw" in late.text
    closed = await visitor.get("/desk/provider/calls", params={"lang": "uk"})
    assert "Завершені оголошення" in closed.text
    assert f'action="{url}"' not in closed.text
    await ok(
        await world.post(
            "caseworker",
            f"/api/bids/{bids[0]['id']}/score",
            {"scores": {"price": 80, "quality": 90}},
        )
    )
    await ok(await world.post("admin", f"/api/calls/{c['id']}/award", {}), 201)
    won = await visitor.get("/desk/provider/calls?lang=en")
    assert "Won: a contract is made" in won.text
    assert "86.00" in won.text  # the commission's score, shown once the call is decided
    assert "86,00" in (await visitor.get("/desk/provider/calls?lang=uk")).text


async def test_other_roles_get_403(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    for path in ("/desk/provider/profile", "/desk/provider/offers", "/desk/provider/calls"):
        assert (await visitor.get(path)).status_code == 403, path
