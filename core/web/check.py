"""«Що я можу отримати?» — the public check, without signing in.

A short questionnaire: a few facts about the person the rules read (birth date,
settlement, categories, disability group, household size) and the union of the enabled
services' forms, as the single window asks it (:mod:`core.web.apply`). The answers are
screened without history (:func:`core.workflow.screening.screen`), nothing is stored, and
each service answers eligible, not eligible or "tell us more", with the reasons in words
and a link to apply online. The page is on the public layout (``base.html``) and keeps
the language and the municipality (``?municipality=``); its form posts with the token.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Template

from core.api.access import public
from core.form_fields import FormField
from core.schemas import ScreeningIn
from core.service import Applicant, Text
from core.web import csrf, forms
from core.web.apply import all_fields, multi_of, sections_of, verdicts_of
from core.web.cabinet_texts import cabinet_texts
from core.web.citizen_form import CATEGORY_WORDS
from core.web.pages import LABELS, public_context
from core.web.texts import Lang, texts
from core.workflow.screening import screen

#: The applicant facts are posted under this prefix, apart from the services' answers.
ME = "me."


def words(lang: Lang, public_labels: bool = True) -> dict[str, str]:
    """The page's words: the desk's, the citizen pages' and (public) the catalogue's."""
    merged = {**texts(lang), **cabinet_texts(lang)}
    if public_labels:
        merged.update(LABELS[lang])
    return merged


def _both(key: str) -> Text:
    return Text(cabinet_texts("uk")[key], cabinet_texts("en")[key])


def fact_fields(settlements: tuple[str, ...]) -> list[FormField]:
    """What the rules read of the applicant, asked in plain words."""
    return [
        FormField(
            path="birth_date",
            name="birth_date",
            kind="date",
            required=False,
            label=_both("birth_date"),
        ),
        FormField(
            path="settlement",
            name="settlement",
            kind="choice",
            required=False,
            nullable=True,
            label=_both("settlement"),
            choices=tuple((s, Text(s, s)) for s in settlements),
        ),
        FormField(
            path="categories",
            name="categories",
            kind="choices",
            required=False,
            label=_both("categories"),
            choices=tuple((k, Text(*v)) for k, v in CATEGORY_WORDS.items()),
        ),
        FormField(
            path="disability_group",
            name="disability_group",
            kind="choice",
            required=False,
            nullable=True,
            label=_both("disability_group"),
            choices=(
                ("1", Text("I група", "Group I")),
                ("2", Text("II група", "Group II")),
                ("3", Text("III група", "Group III")),
            ),
        ),
        FormField(
            path="household_size",
            name="household_size",
            kind="int",
            required=False,
            label=_both("household_size"),
            help=_both("household_help"),
        ),
    ]


def applicant_of(
    facts: dict[str, Any], settlements: tuple[str, ...], lang: Lang
) -> tuple[Applicant, dict[str, str]]:
    """The anonymous applicant from the facts typed, and an error per bad fact (keyed by
    input name); a bad fact is left out of the screening."""
    t = cabinet_texts(lang)
    errors: dict[str, str] = {}
    born: date | None = None
    if facts.get("birth_date"):
        try:
            born = date.fromisoformat(str(facts["birth_date"]))
        except ValueError:
            errors[ME + "birth_date"] = t["date_bad"]
    settlement = facts.get("settlement") or None
    if settlement not in settlements:
        settlement = None
    categories = tuple(c for c in facts.get("categories", []) if c in CATEGORY_WORDS)
    group = facts.get("disability_group")
    disability = int(group) if group in ("1", "2", "3") else None
    size: int | None = None
    if facts.get("household_size"):
        raw = str(facts["household_size"])
        if raw.isdigit() and 1 <= int(raw) <= 30:
            size = int(raw)
        else:
            errors[ME + "household_size"] = t["household_bad"]
    return (
        Applicant(
            birth_date=born,
            settlement=settlement,
            categories=categories,
            disability_group=disability,
            household_size=size,
        ),
        errors,
    )


async def _render(
    request: Request[Any, Any, Any],
    municipality: str | None,
    lang: str | None,
    multi: dict[str, list[str]],
    *,
    checked: bool,
) -> Template:
    ctx = await public_context(request, municipality, lang)
    language: Lang = ctx["lang"]
    t = words(language)
    platform = request.app.state.platform
    muni = ctx["municipality"]
    services = await platform.services(muni.id)
    sections = sections_of(services, language)
    facts_fields = fact_fields(tuple(muni.settlements))
    errors: dict[str, str] = {}
    verdicts: list[Any] = []
    if checked:
        mine = {k[len(ME) :]: v for k, v in multi.items() if k.startswith(ME)}
        applicant, errors = applicant_of(
            forms.parse(facts_fields, mine), tuple(muni.settlements), language
        )
        answers = forms.parse(all_fields(sections), multi)
        result = await screen(
            platform, muni.id, ScreeningIn(applicant=applicant, answers=answers), history=False
        )
        verdicts = verdicts_of(result.results, services, language, set(), set())
        for v in verdicts:
            if v.verdict == "needs_data":
                v.words = t["tell_us_more"]
    query: dict[str, str] = {"lang": language}
    if municipality:
        query["municipality"] = municipality
    token, cookie = csrf.form_token(request)
    return Template(
        "check.html",
        context={
            **ctx,
            "t": t,
            "title": t["check_title"],
            "facts": facts_fields,
            "sections": sections,
            "values": forms.values_of(multi),
            "errors": errors,
            "verdicts": verdicts,
            "checked": checked,
            "action": "/check?" + urlencode(query),
            "muni_params": "&" + urlencode({"municipality": muni.slug}),
            "csrf": token,
            "csrf_field": csrf.FIELD,
        },
        cookies=[cookie] if cookie else [],
        status_code=400 if errors else 200,
    )


@get("/check", opt=public(), include_in_schema=False)
async def check_page(
    request: Request[Any, Any, Any],
    municipality: FromQuery[str | None] = None,
    lang: FromQuery[str | None] = None,
) -> Template:
    return await _render(request, municipality, lang, {}, checked=False)


@post("/check", opt=public(), include_in_schema=False)
async def check_answers(
    request: Request[Any, Any, Any],
    municipality: FromQuery[str | None] = None,
    lang: FromQuery[str | None] = None,
) -> Template:
    multi = multi_of(await request.form())
    multi.pop(csrf.FIELD, None)
    return await _render(request, municipality, lang, multi, checked=True)


HANDLERS = [check_page, check_answers]
