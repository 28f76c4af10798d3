"""The admin's pages for the local cards: every enabled service with the state of its
local card, and one service's local parts to edit (contacts, extra documents, the term
where the law allows, the fee, the council's decision), with the earlier versions
(:mod:`core.workflow.local_cards`, the same checks and audit as the API)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from litestar import Response, get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.actor import Actor
from core.api.access import roles
from core.clock import KYIV
from core.errors import DomainError
from core.local_card import LocalPart
from core.service import InfoCard
from core.web import csrf, forms
from core.web.card_texts import card_texts
from core.web.formats import day
from core.web.layout import page, page_lang, signed_in
from core.web.pages import LABELS, term_text
from core.web.texts import Lang, texts
from core.workflow import local_cards

ADMIN = roles("admin")
BASE = "/desk/admin/cards"
#: Empty rows for new documents below the ones in force.
BLANK_ROWS = 2
FORMS = ("original", "copy", "original_or_copy")
_INDEX = re.compile(r"\[(\d+)\]")


def _t(lang: Lang) -> dict[str, str]:
    words = LABELS[lang]
    return {**texts(lang), **card_texts(lang), **{f: words[f] for f in FORMS}}


def _when(value: datetime) -> str:
    return value.astimezone(KYIV).strftime("%d.%m.%Y %H:%M")


def _fee(value: Any, t: dict[str, str]) -> str:
    return t["free"] if value is None else f"{value} {t['uah']}"


@get(BASE, opt=ADMIN, include_in_schema=False)
async def card_list(request: HTMXRequest) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = _t(lang)
    rows = []
    for service in await request.app.state.platform.services(actor.municipality_id):
        versions = await local_cards.history(actor.municipality_id, service.code, limit=1)
        latest = versions[0] if versions else None
        rows.append(
            {
                "title": service.card.title.get(lang),
                "code": service.code,
                "href": f"{BASE}/{service.code}",
                "state": t["card_changed"].format(at=_when(latest.set_at), by=latest.set_by)
                if latest and not latest.part.empty()
                else t["card_plugin"],
            }
        )
    return await page(
        request,
        "desk/admin_cards.html",
        title=t["local_cards"],
        context={"t": t, "rows": rows},
    )


# ----------------------------------------------------------------- the form
def values_of(part: LocalPart) -> dict[str, str]:
    """The form's inputs, by name, filled from a local part."""
    c = part.contacts
    values = {
        "contacts.office.uk": c.office.uk if c.office else "",
        "contacts.office.en": c.office.en if c.office else "",
        "contacts.phone": c.phone,
        "contacts.email": c.email,
        "contacts.web": c.web,
        "term_days": str(part.term_days or ""),
        "fee": str(part.fee) if part.fee is not None else "",
    }
    for i, d in enumerate(part.extra_documents):
        row = f"extra_documents.{i}."
        values |= {
            row + "name.uk": d.name.uk,
            row + "name.en": d.name.en,
            row + "form": d.form,
            row + "note.uk": d.note.uk if d.note else "",
            row + "note.en": d.note.en if d.note else "",
        }
    if part.decision:
        values |= {
            "decision.text.uk": part.decision.text.uk,
            "decision.text.en": part.decision.text.en,
            "decision.number": part.decision.number,
            "decision.adopted_on": part.decision.adopted_on.isoformat(),
        }
    return values


def _text(values: dict[str, str], name: str) -> dict[str, str] | None:
    uk, en = values.get(f"{name}.uk", ""), values.get(f"{name}.en", "")
    return {"uk": uk, "en": en} if uk or en else None


def _rows(values: dict[str, str]) -> list[int]:
    found = {int(m.group(1)) for k in values if (m := re.match(r"extra_documents\.(\d+)\.", k))}
    return sorted(found)


def compacted(values: dict[str, str]) -> dict[str, str]:
    """The posted inputs with the document rows that have any words numbered 0, 1, ...
    in order (empty rows dropped), so an error's index is the row shown."""
    out = {k: v for k, v in values.items() if not k.startswith("extra_documents.")}
    n = 0
    for i in _rows(values):
        row = {
            k.removeprefix(f"extra_documents.{i}."): v
            for k, v in values.items()
            if k.startswith(f"extra_documents.{i}.")
        }
        if any(row.get(f) for f in ("name.uk", "name.en", "note.uk", "note.en")):
            out |= {f"extra_documents.{n}.{k}": v for k, v in row.items()}
            n += 1
    return out


def raw_of(values: dict[str, str]) -> dict[str, Any]:
    """The posted inputs as a local part's JSON: empty inputs leave their part out, a
    document row without any words is dropped."""
    raw: dict[str, Any] = {}
    contacts: dict[str, Any] = {
        k: values.get(f"contacts.{k}", "") for k in ("phone", "email", "web")
    }
    office = _text(values, "contacts.office")
    if office:
        contacts["office"] = office
    raw["contacts"] = contacts
    documents = []
    for i in _rows(values):
        row = f"extra_documents.{i}."
        name, note = _text(values, row + "name"), _text(values, row + "note")
        if name is None and note is None:
            continue
        document: dict[str, Any] = {
            "name": name or {"uk": "", "en": ""},
            "form": values.get(row + "form") or "original_or_copy",
        }
        if note:
            document["note"] = note
        documents.append(document)
    raw["extra_documents"] = documents
    if values.get("term_days"):
        raw["term_days"] = values["term_days"]
    if values.get("fee"):
        raw["fee"] = values["fee"].replace("\u00a0", "").replace(" ", "").replace(",", ".")
    text = _text(values, "decision.text")
    number, adopted = values.get("decision.number", ""), values.get("decision.adopted_on", "")
    if text or number or adopted:
        decision: dict[str, Any] = {"text": text or {"uk": "", "en": ""}, "number": number}
        if adopted:
            decision["adopted_on"] = adopted
        raw["decision"] = decision
    return raw


def _placed(errors: dict[str, str], names: list[str]) -> dict[str, str]:
    """Each error under the input it names (an error of a group under its first input;
    one of the whole form under ``form``)."""
    placed: dict[str, str] = {}
    for key, message in errors.items():
        key = _INDEX.sub(r".\1", key)
        if key not in names:
            key = next((n for n in names if n.startswith(key + ".")), "form")
        placed.setdefault(key, message)
    return placed


def _describe(part: LocalPart, t: dict[str, str], lang: Lang) -> list[tuple[str, str]]:
    """A version's parts as (label, value) lines for the history."""
    lines: list[tuple[str, str]] = []
    c = part.contacts
    if c.office:
        lines.append((t["contacts"], c.office.text().get(lang)))
    lines += [(t[k], getattr(c, k)) for k in ("phone", "email", "web") if getattr(c, k)]
    lines += [(t["extra_documents"], d.name.text().get(lang)) for d in part.extra_documents]
    if part.term_days is not None:
        lines.append((t["term_days"], str(part.term_days)))
    if part.fee is not None:
        lines.append((t["fee"], t["free"] if part.fee == 0 else f"{part.fee} {t['uah']}"))
    if part.decision:
        d = part.decision
        lines.append((t["decision"], f"№ {d.number}, {day(d.adopted_on, lang)}"))
    return lines or [("", t["card_version_empty"])]


def _term_words(card: InfoCard, t: dict[str, str]) -> str:
    if card.local_term == "fixed":
        return t["term_fixed"]
    if card.local_term == "shorter":
        return t["term_shorter"].format(days=card.term_days)
    return t["term_any"]


async def _edit(
    request: HTMXRequest,
    code: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    actor: Actor = signed_in(request)
    lang = page_lang(request)
    t = _t(lang)
    platform = request.app.state.platform
    card = (await local_cards.plugin_service(platform, actor, code)).card
    view = await local_cards.view(platform, actor, code)
    shown = values if values is not None else values_of(view.in_force)
    rows = len(_rows(shown)) + BLANK_ROWS
    names = list(values_of(LocalPart()))
    names += [
        f"extra_documents.{i}.{f}"
        for i in range(rows)
        for f in ("name.uk", "name.en", "form", "note.uk", "note.en")
    ]
    names += ["decision.text.uk", "decision.text.en", "decision.number", "decision.adopted_on"]
    term = term_text(card.term_days, card.term_kind, lang)
    return await page(
        request,
        "desk/admin_card.html",
        title=f"{t['local_cards']}: {card.title.get(lang)}",
        context={
            "t": t,
            "back": BASE,
            "action": f"{BASE}/{code}",
            "public": f"/services/{code}?lang={lang}&municipality={actor.municipality_slug}",
            "pdf": f"/services/{code}/card.pdf?lang={lang}&municipality={actor.municipality_slug}",
            "plugin_term": t["card_term"].format(term=term),
            "plugin_fee": t["card_fee"].format(fee=_fee(card.fee, t)),
            "term_rule": _term_words(card, t),
            "term_fixed": card.local_term == "fixed",
            "term_help": t["term_days_help"].format(term=term),
            "values": shown,
            "errors": _placed(errors or {}, names),
            "rows": range(rows),
            "forms": [(f, t[f]) for f in FORMS],
            "saved": request.query_params.get("saved") == "1",
            "history": [
                {
                    "id": v.id,
                    "when": t["card_version"].format(at=_when(v.set_at), by=v.set_by or "—"),
                    "lines": _describe(v.part, t, lang),
                }
                for v in view.history
            ],
        },
        status_code=status_code,
    )


@get(f"{BASE}/{{code:str}}", opt=ADMIN, include_in_schema=False)
async def card_edit(request: HTMXRequest, code: FromPath[str]) -> Template:
    return await _edit(request, code[:128])


@post(f"{BASE}/{{code:str}}", opt=ADMIN, include_in_schema=False, status_code=200)
async def card_save(request: HTMXRequest, code: FromPath[str]) -> Response[Any] | Template:
    """``action``: ``save`` keeps the form as a new version, ``restore`` a version with no
    local parts (the module's card)."""
    actor = signed_in(request)
    lang = page_lang(request)
    code = code[:128]
    posted = {
        k: v.strip()
        for k, v in (await request.form()).items()
        if isinstance(v, str) and k != csrf.FIELD
    }
    action = posted.pop("action", "save")
    values = {} if action == "restore" else compacted(posted)
    part, errors = forms.convert(LocalPart, raw_of(values), lang)
    if not errors:
        try:
            await local_cards.save(request.app.state.platform, actor, code, part)
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
    if errors:
        return await _edit(request, code, values=values, errors=errors, status_code=400)
    return Redirect(f"{BASE}/{code}?saved=1", status_code=303)


HANDLERS = [card_list, card_edit, card_save]
