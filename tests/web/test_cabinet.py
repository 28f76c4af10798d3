"""The citizen's pages: the public check without signing in, applying online, my
requests with the decision letter, withdrawing, and who looked at my data."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.funeral import funeral_form
from tests.web.conftest import form_token
from tests.world import World


def _posted(form: dict[str, Any]) -> dict[str, Any]:
    """A form as a browser posts it: ticked boxes as "on", others left out."""
    data: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, bool):
            data[f"{key}.present"] = "1"
            if value:
                data[key] = "on"
        else:
            data[key] = value
    return data


@pytest.mark.world_plugins("funeral_aid")
async def test_anonymous_check_answers_per_service(
    world: World, visitor: httpx.AsyncClient
) -> None:
    catalogue = await visitor.get(f"/?municipality={world.slug}")
    assert f"/check?lang=uk&amp;municipality={world.slug}" in catalogue.text

    page = await visitor.get(f"/check?municipality={world.slug}")
    assert page.status_code == 200, page.text
    assert "Що я можу отримати?" in page.text
    assert 'name="me.birth_date"' in page.text
    assert 'name="deceased_last_name"' in page.text
    assert "Ковель" in page.text  # the municipality's settlements to choose from

    told = await visitor.post(
        f"/check?municipality={world.slug}",
        data={
            "_csrf": form_token(page.text),
            "me.birth_date": "1960-02-03",
            "me.settlement": "Ковель",
            **_posted(funeral_form()),
        },
    )
    assert told.status_code == 200, told.text
    assert "Відповідає умовам" in told.text
    assert f"/services/funeral_aid.lump_sum/apply?lang=uk&amp;municipality={world.slug}" in (
        told.text
    )
    assert 'value="Мельник"' in told.text  # nothing typed is lost

    little = await visitor.post(
        f"/check?municipality={world.slug}&lang=en",
        data={"_csrf": form_token(page.text), "me.household_size": "many"},
    )
    assert little.status_code == 400
    assert "Tell us more" in little.text
    assert 'id="me-household_size-error"' in little.text
    assert "Enter a number from 1 to 30." in little.text

    refused = await visitor.post(
        f"/check?municipality={world.slug}",
        data={
            "_csrf": form_token(page.text),
            **_posted(funeral_form(death_date="2001-01-01", death_record_date="2001-01-02")),
        },
    )
    assert "Не відповідає умовам" in refused.text

    forged = await visitor.post(f"/check?municipality={world.slug}", data={"me.birth_date": "x"})
    assert forged.status_code == 403


def test_cabinet_words_in_both_languages() -> None:
    from core.web.cabinet_texts import CABINET

    assert CABINET["uk"].keys() == CABINET["en"].keys()
