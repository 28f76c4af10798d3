"""The running platform: settings, enabled plugins, municipalities and their parameters."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import msgspec

from core.config import Settings
from core.db import built_once
from core.db import engine as db_engine
from core.db.cards import LocalCard
from core.db.tables import Municipality as MunicipalityRow
from core.db.tables import Office, ParameterValue
from core.errors import NotFound
from core.events import Event
from core.local_card import LocalPart, localised
from core.notify import sms
from core.parameters import CORE_PARAMETERS, Parameters
from core.plugins import PluginHost
from core.service import Municipality, Service, Text


def decode(value: Any, default: Any) -> Any:
    """A JSON column's value (Piccolo returns text on SQLite, text or objects on PostgreSQL)."""
    if value is None or value == "":
        return default
    if isinstance(value, str | bytes):
        return msgspec.json.decode(value)
    return value


#: The municipality's own values of its parameters, by key: ``[(valid_from, value)]``.
Overrides = dict[str, list[tuple[date, Any]]]


async def all_overrides(municipality_id: int) -> Overrides:
    """Every value the municipality set for a parameter (one read)."""
    rows = await built_once.fetch(
        ParameterValue,
        f'{built_once.select_all(ParameterValue)} WHERE "parameter_value"."municipality" = {{}}',
        municipality_id,
    )
    overrides: Overrides = {}
    for row in rows:
        overrides.setdefault(row["key"], []).append((row["valid_from"], decode(row["value"], None)))
    return overrides


def _prefixed(overrides: Overrides, prefix: str) -> Overrides:
    return {key: values for key, values in overrides.items() if key.startswith(prefix)}


async def _overrides(municipality_id: int, prefix: str) -> Overrides:
    """The municipality's own values of the parameters whose keys start with ``prefix``."""
    return _prefixed(await all_overrides(municipality_id), prefix)


async def local_parts(municipality_id: int) -> dict[str, tuple[int, LocalPart]]:
    """The municipality's local part in force of each service's card (the newest
    version), with its row id."""
    rows = (
        await LocalCard.select(LocalCard.id, LocalCard.service_code, LocalCard.part)
        .where(LocalCard.municipality == municipality_id)
        .order_by(LocalCard.id)
    )
    return {
        row["service_code"]: (
            row["id"],
            msgspec.convert(decode(row["part"], {}), LocalPart, strict=False),
        )
        for row in rows
    }


#: Parameters built from a set of defaults and a municipality's values, by the identity
#: of both and the prefix: both objects are held here, so their ids stay theirs, and
#: neither is changed once made (the values are kept by the platform for
#: ``cache_seconds``, then read anew into a new object).
_BUILT: dict[tuple[int, int, str], tuple[Any, Overrides, Parameters]] = {}
#: At most this many are kept; beyond it they are all dropped and built again.
_BUILT_MOST = 256


def with_overrides(defaults: Any, overrides: Overrides, prefix: str) -> Parameters:
    """``defaults`` (a plugin's or the core's dated series) overridden by the
    municipality's values whose keys start with ``prefix``: built once for the same two
    objects, and given with nothing looked up yet (:meth:`Parameters.fresh`)."""
    key = (id(defaults), id(overrides), prefix)
    kept = _BUILT.get(key)
    if kept is None:
        if len(_BUILT) >= _BUILT_MOST:
            _BUILT.clear()
        built = Parameters(defaults).overridden(_prefixed(overrides, prefix))
        kept = _BUILT[key] = (defaults, overrides, built)
    return kept[2].fresh()


async def core_parameters(
    municipality_id: int, *, overrides: Overrides | None = None
) -> Parameters:
    """The core's dated defaults (``core.*``), overridden by the municipality's values
    (``overrides``: those already read with :func:`all_overrides`, to read them once)."""
    found = overrides if overrides is not None else await all_overrides(municipality_id)
    return with_overrides(CORE_PARAMETERS, found, "core.")


class Platform:
    def __init__(self, settings: Settings, host: PluginHost | None = None) -> None:
        self.settings = settings
        self.host = host or PluginHost(settings.plugins)
        sms.install(self.host.sms_gateways())
        #: Municipality rows by ("id", id), ("slug", slug) or ("first", None), each with
        #: the monotonic time it expires (:attr:`Settings.cache_seconds`).
        self._rows: dict[tuple[str, Any], tuple[float, dict[str, Any]]] = {}
        self._services: dict[tuple[str, ...], list[Service]] = {}
        #: Each municipality's services with its local cards, by id: when they expire, and
        #: the key of :attr:`_localised` they are.
        self._local: dict[int, tuple[float, tuple[Any, ...]]] = {}
        #: Services with local cards by (enabled plugins, municipality, the versions of
        #: its local cards), built once: the same versions give the same objects (whose
        #: cards the catalogue keeps with their ETag).
        self._localised: dict[tuple[Any, ...], list[Service]] = {}
        #: What is being read again now (a municipality's row by key; ``("local", id)``):
        #: meanwhile the other requests take the copy kept, so that when a copy expires
        #: under load one request reads it, not every request at once.
        self._reading: set[tuple[str, Any]] = set()
        #: Each municipality's own parameter values by id, with when they expire.
        self._overrides: dict[int, tuple[float, Overrides]] = {}
        #: Each municipality's public offices by id, with when they expire.
        self._offices: dict[int, tuple[float, tuple[dict[str, Any], ...]]] = {}

    def forget(self) -> None:
        """Drop what this process keeps of the municipalities; call once a change to a
        municipality's row (names, settlements, enabled plugins) or to one of its local
        cards, parameter values or offices has committed. Other processes read it again
        within ``cache_seconds``."""
        self._rows.clear()
        self._local.clear()
        self._overrides.clear()
        self._offices.clear()

    async def emit(self, event: Event) -> None:
        """Deliver an event to the plugins enabled in the event's municipality (after
        its commit), and send the messages its transaction wrote."""
        from core.notify import outbox

        outbox.kick_if_written(self.settings)
        self.host.emit(event, await self.enabled_plugins(event.municipality_id))

    def bind_database(self) -> None:
        db_engine.configure(self.settings.database_url, self.host.table_apps())

    # ---------------------------------------------------------- municipalities
    @staticmethod
    def _to_municipality(row: dict[str, Any]) -> Municipality:
        return Municipality(
            id=row["id"],
            slug=row["slug"],
            name=Text(row["name_uk"], row["name_en"]),
            settlements=tuple(decode(row["settlements"], [])),
        )

    async def _row(self, slug: str | None = None, id: int | None = None) -> dict[str, Any] | None:
        """A municipality's row by id or slug (with neither, the first one), kept for
        ``cache_seconds``; a municipality not found is not kept."""
        key: tuple[str, Any] = (
            ("id", id) if id is not None else ("slug", slug) if slug else ("first", None)
        )
        now = time.monotonic()
        kept = self._rows.get(key)
        if kept is not None and (kept[0] > now or key in self._reading):
            # Fresh, or another request of this process is reading it again: this one
            # takes the copy it has (a few seconds old) instead of reading it too.
            return kept[1]
        self._reading.add(key)
        try:
            return await self._read_row(key, slug, id, now)
        finally:
            self._reading.discard(key)

    async def _read_row(
        self, key: tuple[str, Any], slug: str | None, id: int | None, now: float
    ) -> dict[str, Any] | None:
        query = MunicipalityRow.select().order_by(MunicipalityRow.id).limit(1)
        if id is not None:
            query = query.where(MunicipalityRow.id == id)
        elif slug:
            query = query.where(MunicipalityRow.slug == slug)
        rows = await query
        if not rows:
            return None
        row: dict[str, Any] = rows[0]
        row["_municipality"] = self._to_municipality(row)
        row["_enabled"] = tuple(
            p for p in decode(row["enabled_plugins"], []) if p in self.host.plugins
        )
        if self.settings.cache_seconds > 0:
            self._rows[key] = (now + self.settings.cache_seconds, row)
        return row

    async def municipality(self, slug: str | None = None, *, id: int | None = None) -> Municipality:
        """A municipality by slug or id; with neither, the first one (the default)."""
        row = await self._row(slug, id)
        if row is None:
            raise NotFound(
                f"громаду «{slug or id or ''}» не знайдено / municipality not found", "municipality"
            )
        found: Municipality = row["_municipality"]
        return found

    async def enabled_plugins(self, municipality_id: int) -> list[str]:
        row = await self._row(id=municipality_id)
        return list(row["_enabled"]) if row else []

    async def services(self, municipality_id: int) -> list[Service]:
        """The services enabled in the municipality, each with its local card (the
        plugin's card with the municipality's local part, see :mod:`core.local_card`)."""
        row = await self._row(id=municipality_id)
        enabled: tuple[str, ...] = row["_enabled"] if row else ()
        if enabled not in self._services:
            self._services[enabled] = self.host.services_for(enabled)
        if row is None:
            return list(self._services[enabled])
        now = time.monotonic()
        kept = self._local.get(municipality_id)
        if (
            kept is not None
            and (kept[0] > now or ("local", municipality_id) in self._reading)
            and kept[1][0] == enabled
            and kept[1] in self._localised
        ):
            return list(self._localised[kept[1]])
        self._reading.add(("local", municipality_id))
        try:
            parts = await local_parts(municipality_id)
        finally:
            self._reading.discard(("local", municipality_id))
        key = (enabled, municipality_id, tuple(sorted((c, i) for c, (i, _) in parts.items())))
        if key not in self._localised:
            if len(self._localised) > 1000:  # many changes: keep the memory bounded
                self._localised.clear()
            self._localised[key] = [
                msgspec.structs.replace(s, card=localised(s.card, parts[s.code][1]))
                if s.code in parts and not parts[s.code][1].empty()
                else s
                for s in self._services[enabled]
            ]
        if self.settings.cache_seconds > 0:
            self._local[municipality_id] = (now + self.settings.cache_seconds, key)
        return list(self._localised[key])

    async def local_service(self, municipality_id: int, code: str) -> Service | None:
        """The service with the municipality's local card, enabled there or not (a
        request of a service since disabled keeps its papers); ``None`` when no
        installed plugin has it."""
        for service in await self.services(municipality_id):
            if service.code == code:
                return service
        return self.host.services.get(code)

    async def service(self, municipality_id: int, code: str) -> Service:
        for service in await self.services(municipality_id):
            if service.code == code:
                return service
        raise NotFound(
            f"послугу «{code}» не знайдено або вимкнено / service not found or not enabled",
            "service_code",
        )

    # -------------------------------------------------------------- parameters
    async def overrides(self, municipality_id: int) -> Overrides:
        """Every value the municipality set for a parameter (:func:`all_overrides`), kept
        for ``cache_seconds`` as its row is: set a few times a year, read by every
        submission and screening. Not to be changed by the caller."""
        now = time.monotonic()
        key = ("overrides", municipality_id)
        kept = self._overrides.get(municipality_id)
        if kept is not None and (kept[0] > now or key in self._reading):
            return kept[1]
        self._reading.add(key)
        try:
            found = await all_overrides(municipality_id)
        finally:
            self._reading.discard(key)
        if self.settings.cache_seconds > 0:
            self._overrides[municipality_id] = (now + self.settings.cache_seconds, found)
        return found

    async def public_offices(self, municipality_id: int) -> tuple[dict[str, Any], ...]:
        """The municipality's offices a citizen may come to (not its back offices), by
        name, kept for ``cache_seconds``: every service page and card lists them. Not to
        be changed by the caller."""
        now = time.monotonic()
        key = ("offices", municipality_id)
        kept = self._offices.get(municipality_id)
        if kept is not None and (kept[0] > now or key in self._reading):
            return kept[1]
        self._reading.add(key)
        try:
            found = tuple(
                await Office.select()
                .where((Office.municipality == municipality_id) & (Office.kind != "back_office"))
                .order_by(Office.name)
            )
        finally:
            self._reading.discard(key)
        if self.settings.cache_seconds > 0:
            self._offices[municipality_id] = (now + self.settings.cache_seconds, found)
        return found

    async def parameters(
        self, municipality_id: int, service: Service, *, overrides: Overrides | None = None
    ) -> Parameters:
        """The service's dated defaults, overridden by the municipality's own values
        (``overrides``: those values already read with :meth:`overrides`, for a caller
        that needs the parameters of many services, as screening does)."""
        prefix = self.host.service_plugin[service.code] + "."
        found = overrides if overrides is not None else await self.overrides(municipality_id)
        return with_overrides(service.parameters, found, prefix)

    async def core_parameters(self, municipality_id: int) -> Parameters:
        """The core's dated defaults (``core.*``), overridden by the municipality's values."""
        return await core_parameters(
            municipality_id, overrides=await self.overrides(municipality_id)
        )
