"""A municipality's catalogue as HSDS 3.0 objects (fully nested, as ``/services/{id}``).

The municipality is an organization (it provides the services of its catalogue), its
public offices are locations, its verified providers are organizations, each enabled
service's information card is a service. Every id is a UUID derived from the
municipality's slug, the kind of object and its natural key (:func:`uid`), so it stays
the same from one export to the next. See docs/hsds.md.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from core.hsds import schedule
from core.hsds.source import PublicOffice, PublicProvider, Source
from core.service import LocalContacts, Service, Text

VERSION = "3.0"
#: The namespace of every HSDS id Hromada publishes (never change it: ids would move).
NAMESPACE = uuid.UUID("6f1c0d52-3a4e-5b8e-9d17-2c0a8e4b9f31")
#: The extension property on a service: how to ask whether someone is eligible.
ELIGIBILITY = "hromada_eligibility"
ELIGIBILITY_TERM = "eligibility_screening"

Obj = dict[str, Any]
_OBLAST = re.compile(r"[А-ЯІЇЄҐ][а-яіїєґ'’-]+ська\s+обл(?:асть|\.)|м\.\s*Київ\b")


def uid(slug: str, kind: str, key: str | int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{slug}/{kind}/{key}"))


def _t(lang: str, uk: str, en: str) -> str:
    return en if lang == "en" else uk


def _url(src: Source, path: str, lang: str, **query: str) -> str:
    return f"{src.base_url}{path}?" + urlencode({"municipality": src.slug, "lang": lang, **query})


class Catalogue:
    """The HSDS objects of one municipality, in one language (``uk`` or ``en``)."""

    def __init__(self, src: Source, lang: str) -> None:
        self.src = src
        self.lang = lang
        self.municipality_id = uid(src.slug, "organization", "municipality")
        self.taxonomies = self._taxonomies()
        self.terms = self._terms()
        self.locations = {o.id: self._location(o) for o in src.offices}
        self.services = [self._service(s) for s in src.services]
        self.organizations = [self._municipality()] + [self._provider(p) for p in src.providers]

    # ---------------------------------------------------------------- helpers
    def text(self, value: Text) -> str:
        return value.get(self.lang)

    def t(self, uk: str, en: str) -> str:
        return _t(self.lang, uk, en)

    def other(self, value: Text) -> str | None:
        """The other language's text, as an alternate name, if it differs."""
        alt = value.uk if self.lang == "en" else value.en
        return alt if alt and alt != self.text(value) else None

    # -------------------------------------------------------------- taxonomies
    def _taxonomies(self) -> dict[str, Obj]:
        slug = self.src.slug
        return {
            "catalogue": {
                "id": uid(slug, "taxonomy", "catalogue"),
                "name": self.t("Каталог соціальних послуг Hromada", "Hromada service catalogue"),
                "description": self.t(
                    "Групи послуг каталогу громади (за модулями платформи).",
                    "Groups of the municipality's services (by the platform's modules).",
                ),
                "version": "1",
            },
            "extensions": {
                "id": uid(slug, "taxonomy", "extensions"),
                "name": self.t("Розширення Hromada", "Hromada extensions"),
                "description": self.t(
                    "Атрибути, якими Hromada доповнює HSDS (див. docs/hsds.md).",
                    "Attributes Hromada adds to HSDS (see docs/hsds.md).",
                ),
                "version": "1",
            },
        }

    def _term(self, taxonomy: str, code: str, name: str, description: str) -> Obj:
        tax = self.taxonomies[taxonomy]
        return {
            "id": uid(self.src.slug, "taxonomy_term", f"{taxonomy}/{code}"),
            "code": code,
            "name": name,
            "description": description,
            "taxonomy": f"hromada-{taxonomy}",
            "taxonomy_id": tax["id"],
            "language": self.lang,
            "taxonomy_detail": tax,
        }

    def _terms(self) -> dict[str, Obj]:
        terms = {
            f"catalogue/{c.code}": self._term(
                "catalogue", c.code, self.text(c.title), self.text(c.description)
            )
            for c in self.src.categories
        }
        terms[f"extensions/{ELIGIBILITY_TERM}"] = self._term(
            "extensions",
            ELIGIBILITY_TERM,
            self.t("Перевірка права на послугу", "Eligibility screening"),
            self.t(
                "Значення — адреса сторінки, де будь-хто без входу перевіряє, чи має право "
                "на послугу; машинний запит: POST /api/screening.",
                "The value is the address of the page where anyone, without signing in, "
                "checks whether they are eligible; for machines: POST /api/screening.",
            ),
        )
        return terms

    def _attribute(self, link_id: str, key: str, term_key: str, link_type: str, value: str) -> Obj:
        term = self.terms[term_key]
        return {
            "id": uid(self.src.slug, "attribute", f"{key}/{term_key}"),
            "link_id": link_id,
            "taxonomy_term_id": term["id"],
            "link_type": link_type,
            "link_entity": "service",
            "value": value,
            "taxonomy_term": term,
        }

    # ------------------------------------------------------------ organizations
    def _identifiers(self, org_id: str, key: str, edrpou: str | None) -> list[Obj]:
        if not edrpou:
            return []
        return [
            {
                "id": uid(self.src.slug, "organization_identifier", f"{key}/edrpou"),
                "organization_id": org_id,
                "identifier_scheme": "UA-EDR",
                "identifier_type": self.t("Код ЄДРПОУ", "EDRPOU code"),
                "identifier": edrpou,
            }
        ]

    def _municipality(self) -> Obj:
        src = self.src
        oid = self.municipality_id
        return {
            "id": oid,
            "name": self.text(src.name),
            "alternate_name": self.other(src.name),
            "description": self.t(
                f"Орган місцевого самоврядування; надає послуги свого каталогу. Адреса: "
                f"{src.address}.",
                f"The local self-government; provides the services of its catalogue. "
                f"Address: {src.address}.",
            ),
            "website": _url(src, "/", self.lang),
            "tax_id": src.edrpou,
            "legal_status": self.t("орган місцевого самоврядування", "local self-government"),
            "organization_identifiers": self._identifiers(oid, "municipality", src.edrpou),
            "locations": list(self.locations.values()),
        }

    def _provider(self, p: PublicProvider) -> Obj:
        oid = uid(self.src.slug, "organization", f"provider/{p.id}")
        kinds = {
            "ngo": ("громадська або благодійна організація", "non-governmental organisation"),
            "communal": ("комунальний заклад чи підприємство", "communal institution"),
            "private": ("приватне підприємство", "private company"),
            "utility": ("комунальне підприємство", "municipal utility"),
        }
        kind = self.t(*kinds.get(p.kind, (p.kind, p.kind)))
        titles = [self.text(s.card.title) for s in self.src.services if s.code in p.services]
        offers = self.t(" Пропонує: ", " Offers: ") + "; ".join(titles) + "." if titles else ""
        return {
            "id": oid,
            "name": p.name,
            "description": self.t(
                f"Надавач соціальних послуг громади ({kind}).",
                f"A provider of the municipality's social services ({kind}).",
            )
            + offers,
            "tax_id": p.edrpou,
            "legal_status": kind,
            "organization_identifiers": self._identifiers(oid, f"provider/{p.id}", p.edrpou),
        }

    # ---------------------------------------------------------------- locations
    def _schedules(self, text: str, key: str, **owner: str) -> list[Obj]:
        if not text.strip():
            return []
        parsed = schedule.parse(text)
        base = {"description": text}
        if parsed is None:
            return [{"id": uid(self.src.slug, "schedule", f"{key}/0"), **owner, **base}]
        return [
            {
                "id": uid(self.src.slug, "schedule", f"{key}/{i}"),
                **owner,
                "freq": "WEEKLY",
                "interval": 1,
                "wkst": "MO",
                "byday": ",".join(days),
                "opens_at": opens,
                "closes_at": closes,
                **base,
            }
            for i, (days, opens, closes) in enumerate(parsed)
        ]

    def _location(self, o: PublicOffice) -> Obj:
        slug = self.src.slug
        lid = uid(slug, "location", o.id)
        postal = re.search(r"\b\d{5}\b", o.address) or re.search(r"\b\d{5}\b", self.src.address)
        oblast = _OBLAST.search(o.address) or _OBLAST.search(self.src.address)
        kinds = {
            "front_office": (
                "Центр надання адміністративних послуг",
                "Administrative services centre",
            ),
            "remote_workplace": ("Віддалене робоче місце ЦНАП", "Remote workplace of the centre"),
        }
        location: Obj = {
            "id": lid,
            "location_type": "physical",
            "organization_id": self.municipality_id,
            "name": o.name,
            "description": self.t(*kinds.get(o.kind, (o.kind, o.kind))),
            "addresses": [
                {
                    "id": uid(slug, "address", o.id),
                    "location_id": lid,
                    "address_1": o.address,
                    "city": o.settlement,
                    "region": self.text(self.src.name),
                    # Hromada records no oblast apart from the addresses; HSDS requires
                    # the field, so without one it names the hromada (docs/hsds.md).
                    "state_province": oblast.group(0) if oblast else self.text(self.src.name),
                    "postal_code": postal.group(0) if postal else "",
                    "country": "UA",
                    "address_type": "physical",
                }
            ]
            if o.address
            else [],
            "phones": [
                {
                    "id": uid(slug, "phone", f"location/{o.id}"),
                    "location_id": lid,
                    "number": o.phone,
                    "type": "voice",
                }
            ]
            if o.phone
            else [],
            "schedules": self._schedules(o.schedule, f"location/{o.id}", location_id=lid),
            "languages": [
                {
                    "id": uid(slug, "language", f"location/{o.id}/uk"),
                    "location_id": lid,
                    "name": self.t("Українська", "Ukrainian"),
                    "code": "uk",
                }
            ],
        }
        return location

    # ----------------------------------------------------------------- services
    def eligibility(self, s: Service) -> Obj:
        """The extension: where and how to ask whether someone is eligible."""
        src = self.src
        return {
            "check_page": _url(src, "/check", self.lang),
            "screening_api": {
                "method": "POST",
                "url": f"{src.base_url}/api/screening?" + urlencode({"municipality": src.slug}),
                "service_code": s.code,
                "request_schema": f"{src.base_url}/schema/openapi.json",
            },
            "form_schema": f"{src.base_url}/api/services/{quote(s.code)}/form-schema?"
            + urlencode({"municipality": src.slug}),
            "criteria": [{"id": r.id, "title": self.text(r.title)} for r in s.rules],
        }

    def _service(self, s: Service) -> Obj:
        src, slug, c = self.src, self.src.slug, s.card
        sid = uid(slug, "service", s.code)
        days = self.t(
            "календарних днів" if c.term_kind == "calendar" else "робочих днів",
            "calendar days" if c.term_kind == "calendar" else "working days",
        )
        fee = self.t(f"{c.fee} грн", f"UAH {c.fee}") if c.fee is not None else None
        check = self.eligibility(s)
        sals = [self._service_at_location(s.code, sid, o) for o in src.offices]
        contacts = c.contacts
        return {
            "id": sid,
            "organization_id": self.municipality_id,
            "name": self.text(c.title),
            "alternate_name": self.other(c.title),
            "description": self.text(c.summary),
            # The municipality's own page of the service (its local card), else its
            # catalogue page.
            "url": (contacts.web if contacts and contacts.web else None)
            or _url(src, f"/services/{quote(s.code)}", self.lang),
            "email": (contacts.email or None) if contacts else None,
            "phones": self._service_phones(s.code, sid, contacts.phone if contacts else ""),
            "contacts": self._service_contacts(s.code, sid, contacts),
            "status": "active",
            "application_process": "; ".join(self.text(m) for m in c.submission_methods) or None,
            "fees_description": fee or self.t("Безоплатно", "Free of charge"),
            "wait_time": self.t(f"до {c.term_days} {days}", f"up to {c.term_days} {days}"),
            "eligibility_description": self.text(c.who_may_apply),
            "organization": self.organization_summary(),
            "required_documents": [
                {
                    "id": uid(slug, "required_document", f"{s.code}/{i}"),
                    "service_id": sid,
                    "document": self._document(d.name, d.form, d.note),
                }
                for i, d in enumerate(c.documents)
            ],
            "cost_options": [
                {
                    "id": uid(slug, "cost_option", f"{s.code}/fee"),
                    "service_id": sid,
                    "option": self.t("Адміністративний збір", "Administrative fee")
                    if c.fee is not None
                    else self.t("Безоплатно", "Free of charge"),
                    "currency": "UAH",
                    "amount": float(c.fee) if c.fee is not None else 0,
                }
            ],
            "languages": [
                {
                    "id": uid(slug, "language", f"service/{s.code}/{code}"),
                    "service_id": sid,
                    "name": name,
                    "code": code,
                    "note": note,
                }
                for code, name, note in (
                    ("uk", self.t("Українська", "Ukrainian"), None),
                    (
                        "en",
                        self.t("Англійська", "English"),
                        self.t(
                            "Інформаційна картка та онлайн-заява англійською.",
                            "The information card and the online application in English.",
                        ),
                    ),
                )
            ],
            "service_areas": [
                {
                    "id": uid(slug, "service_area", s.code),
                    "service_id": sid,
                    "name": self.text(src.name),
                    "description": self.t("Населені пункти: ", "Settlements: ")
                    + ", ".join(src.settlements),
                    "extent_type": "other",
                }
            ],
            "service_at_locations": sals,
            "attributes": [
                self._attribute(
                    sid,
                    s.code,
                    f"catalogue/{src.category_of[s.code]}",
                    "category",
                    src.category_of[s.code],
                ),
                self._attribute(
                    sid,
                    s.code,
                    f"extensions/{ELIGIBILITY_TERM}",
                    ELIGIBILITY_TERM,
                    check["check_page"],
                ),
            ],
            ELIGIBILITY: check,
        }

    def _service_phones(self, code: str, sid: str, phone: str) -> list[Obj]:
        """The local card's phone for the service (none without one)."""
        if not phone:
            return []
        return [
            {
                "id": uid(self.src.slug, "phone", f"service/{code}"),
                "service_id": sid,
                "number": phone,
                "type": "voice",
            }
        ]

    def _service_contacts(self, code: str, sid: str, contacts: LocalContacts | None) -> list[Obj]:
        """The local card's office in charge of the service, with its e-mail and phone."""
        if contacts is None or not (contacts.office or contacts.email or contacts.phone):
            return []
        cid = uid(self.src.slug, "contact", f"service/{code}")
        return [
            {
                "id": cid,
                "service_id": sid,
                "department": self.text(contacts.office) if contacts.office else None,
                "email": contacts.email or None,
                "phones": [
                    {
                        "id": uid(self.src.slug, "phone", f"contact/{code}"),
                        "contact_id": cid,
                        "number": contacts.phone,
                        "type": "voice",
                    }
                ]
                if contacts.phone
                else [],
            }
        ]

    def _document(self, name: Text, form: str, note: Text | None) -> str:
        forms = {
            "original": ("оригінал", "original"),
            "copy": ("копія", "copy"),
            "original_or_copy": ("оригінал або копія", "original or copy"),
        }
        text = f"{self.text(name)} ({self.t(*forms.get(form, (form, form)))})"
        return f"{text}. {self.text(note)}" if note else text

    def _service_at_location(self, code: str, sid: str, o: PublicOffice) -> Obj:
        key = f"{code}/{o.id}"
        said = uid(self.src.slug, "service_at_location", key)
        return {
            "id": said,
            "service_id": sid,
            "location_id": self.locations[o.id]["id"],
            "description": self.t(
                f"Прийом заяв: {o.name}.", f"Applications are received at: {o.name}."
            ),
            "schedules": self._schedules(
                o.schedule, f"service_at_location/{key}", service_at_location_id=said
            ),
            "location": self.locations[o.id],
        }

    # ------------------------------------------------------------ list forms
    def organization_summary(self) -> Obj:
        """The municipality's one-to-one fields (as in the ``/organizations`` list)."""
        return scalars(self._municipality())

    def service_at_locations(self) -> list[Obj]:
        return [sal for s in self.services for sal in s["service_at_locations"]]


def scalars(obj: Obj) -> Obj:
    """An object's own fields: no nested objects or lists, no empty values."""
    return {k: v for k, v in obj.items() if v is not None and not isinstance(v, dict | list)}


def clean(value: Any) -> Any:
    """Leave out the fields without a value (HSDS has no nulls in its schemas)."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value
