"""The plugin manager: discovers plugins by entry point, enables the configured ones,
validates each against the contract and refuses to start with a message naming the
plugin and the problem."""

from __future__ import annotations

import importlib.metadata as md
import inspect
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import Any

import msgspec
import pluggy

from core import CONTRACT_VERSION, hookspecs, tariff_parts
from core.events import Event
from core.form_fields import label_problems
from core.plugin_info import PluginInfo
from core.service import AnswerMissing, Finding, RuleContext, Service, Text

ENTRY_POINT_GROUP = "hromada.plugins"
log = logging.getLogger("hromada.plugins")
_CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")


class PluginError(Exception):
    """A plugin cannot be used. The message starts with the plugin's name."""

    def __init__(self, plugin: str, problem: str) -> None:
        super().__init__(f"plugin {plugin!r}: {problem}")
        self.plugin = plugin
        self.problem = problem


class Candidate(msgspec.Struct, frozen=True):
    """An installed plugin found by entry point, not yet imported."""

    name: str
    distribution: str
    version: str
    load: Callable[[], Any]


class LoadedPlugin(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    distribution: str
    version: str
    info: PluginInfo
    services: tuple[Service, ...]
    tables: tuple[str, ...]
    hooks: tuple[str, ...]


def discover() -> list[Candidate]:
    """Every installed plugin registered under the ``hromada.plugins`` entry point group."""
    found: list[Candidate] = []
    for ep in md.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        found.append(
            Candidate(
                name=ep.name,
                distribution=dist.name if dist else "?",
                version=dist.version if dist else "?",
                load=ep.load,
            )
        )
    return found


class PluginHost:
    """Holds the enabled plugins of a deployment and calls their hooks."""

    def __init__(
        self, enabled: Sequence[str], candidates: Iterable[Candidate] | None = None
    ) -> None:
        self.pm = pluggy.PluginManager("hromada")
        self.pm.add_hookspecs(hookspecs)
        self.installed: list[Candidate] = list(discover() if candidates is None else candidates)
        self.enabled_names = tuple(dict.fromkeys(enabled))
        self.plugins: dict[str, LoadedPlugin] = {}
        self.services: dict[str, Service] = {}
        self.service_plugin: dict[str, str] = {}
        self._pages: dict[str, Any] | None = None
        self._sign_in: dict[str, Any] | None = None
        self._load()

    # ---------------------------------------------------------------- loading
    def _load(self) -> None:
        by_name: dict[str, Candidate] = {}
        for cand in self.installed:
            if cand.name in by_name:
                other = by_name[cand.name]
                raise PluginError(
                    cand.name,
                    f"installed twice, by {other.distribution} and by {cand.distribution}",
                )
            by_name[cand.name] = cand
        for name in self.enabled_names:
            if name not in by_name:
                raise PluginError(
                    name,
                    "is enabled in the configuration but not installed "
                    f"(installed: {', '.join(sorted(by_name)) or 'none'})",
                )
        for name in self.enabled_names:
            self._load_one(by_name[name])

    def _load_one(self, cand: Candidate) -> None:
        name = cand.name
        try:
            module = cand.load()
        except Exception as exc:
            raise PluginError(name, f"cannot be imported: {type(exc).__name__}: {exc}") from exc
        self._check_hook_names(name, module)
        try:
            self.pm.register(module, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(name, f"breaks the contract: {exc}") from exc
        hooks = tuple(sorted(hook.name for hook in self.pm.get_hookcallers(module) or ()))
        for required in hookspecs.REQUIRED_HOOKS:
            if required not in hooks:
                raise PluginError(name, f"does not implement the required hook {required!r}")
        info = self._call_one(name, "plugin_info")
        if not isinstance(info, PluginInfo):
            raise PluginError(name, "plugin_info() must return a core.plugin_info.PluginInfo")
        if info.name != name:
            raise PluginError(
                name, f"plugin_info() names it {info.name!r}, the entry point {name!r}"
            )
        if info.contract != CONTRACT_VERSION:
            raise PluginError(
                name,
                f"needs plugin contract version {info.contract}, "
                f"this Hromada provides version {CONTRACT_VERSION}",
            )
        services = self._call_one(name, "register_services")
        if not isinstance(services, list | tuple) or not services:
            raise PluginError(name, "register_services() must return a non-empty list of Service")
        for service in services:
            self._check_service(name, service)
        tables = self._call_one(name, "register_tables") if "register_tables" in hooks else []
        if not isinstance(tables, list | tuple) or not all(isinstance(t, str) for t in tables):
            raise PluginError(name, "register_tables() must return a list of dotted module paths")
        self.plugins[name] = LoadedPlugin(
            name=name,
            distribution=cand.distribution,
            version=cand.version,
            info=info,
            services=tuple(services),
            tables=tuple(tables),
            hooks=hooks,
        )

    def _check_hook_names(self, name: str, module: ModuleType) -> None:
        known = set(dir(hookspecs))
        for attr in dir(module):
            opts = self.pm.parse_hookimpl_opts(module, attr)
            if opts is not None and attr not in known:
                raise PluginError(name, f"implements {attr!r}, which is not a Hromada hook")

    def _check_service(self, plugin: str, service: object) -> None:
        if not isinstance(service, Service):
            raise PluginError(plugin, f"register_services() returned {service!r}, not a Service")
        code = service.code
        if not _CODE.match(code) or not code.startswith(plugin + "."):
            raise PluginError(
                plugin, f"service code {code!r} must look like '{plugin}.<name>' (lower case)"
            )
        if code in self.services:
            raise PluginError(
                plugin,
                f"service code {code!r} is already registered by "
                f"plugin {self.service_plugin[code]!r}",
            )
        if not (isinstance(service.form, type) and issubclass(service.form, msgspec.Struct)):
            raise PluginError(plugin, f"service {code!r}: form must be a msgspec.Struct class")
        if not service.card.refusal_grounds:
            raise PluginError(plugin, f"service {code!r}: the card lists no refusal grounds")
        if service.card.term_days <= 0:
            raise PluginError(plugin, f"service {code!r}: the card's term must be positive")
        card = service.card
        if card.contacts or card.local_decision or any(d.local for d in card.documents):
            raise PluginError(
                plugin,
                f"service {code!r}: the card sets contacts, a local decision or local "
                "documents, which only a municipality sets on its local card",
            )
        ids = [r.id for r in service.rules]
        if len(ids) != len(set(ids)):
            raise PluginError(plugin, f"service {code!r}: rule ids repeat")
        fields = set(service.form.__struct_fields__)
        for r in service.rules:
            missing = [f for f in r.needs if f not in fields]
            if missing:
                raise PluginError(
                    plugin, f"service {code!r}: rule {r.id!r} needs unknown form fields {missing}"
                )
        problems = label_problems(service.form, service.labels)
        if problems:
            shown = "; ".join(problems[:5])
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            raise PluginError(plugin, f"service {code!r}: form labels: {shown}{more}")
        if service.payee == "applicant" and service.amount is None:
            raise PluginError(plugin, f"service {code!r}: pays the applicant but has no amount")
        if service.payee == "provider":
            missing = [
                part
                for part in ("unit", "tariff", "delivery", "price")
                if getattr(service, part) is None
            ]
            if missing:
                raise PluginError(
                    plugin, f"service {code!r}: pays a provider but has no {', '.join(missing)}"
                )
            for part in ("tariff", "delivery"):
                kind = getattr(service, part)
                if not (isinstance(kind, type) and issubclass(kind, msgspec.Struct)):
                    raise PluginError(
                        plugin, f"service {code!r}: {part} must be a msgspec.Struct class"
                    )
            wrong_parts = tariff_parts.problems(service)
            if wrong_parts:
                raise PluginError(
                    plugin, f"service {code!r}: tariff_parts: {'; '.join(wrong_parts)}"
                )
        self.services[code] = service
        self.service_plugin[code] = plugin

    def _call_one(self, plugin: str, hook: str, **kwargs: Any) -> Any:
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            if impl.plugin_name == plugin:
                try:
                    return impl.function(**kwargs)
                except Exception as exc:
                    raise PluginError(
                        plugin, f"{hook}() failed: {type(exc).__name__}: {exc}"
                    ) from exc
        return None

    # ---------------------------------------------------------------- queries
    def services_for(self, plugins: Iterable[str]) -> list[Service]:
        """Services of the named plugins that are enabled in this deployment."""
        allowed = set(plugins)
        return [s for code, s in self.services.items() if self.service_plugin[code] in allowed]

    def routes(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for impl in self.pm.hook.register_routes.get_hookimpls():
            handlers: Any = impl.function()
            out[impl.plugin_name] = list(handlers or [])
        return out

    def pages(self) -> dict[str, Any]:
        """Each plugin's :class:`core.web.plugin_pages.PluginPages` (asked once, checked)."""
        if self._pages is None:
            from core.web.plugin_pages import check

            found: dict[str, Any] = {}
            for impl in self.pm.hook.register_pages.get_hookimpls():
                pages = self._call_one(impl.plugin_name, "register_pages")
                found[impl.plugin_name] = check(impl.plugin_name, pages)
            self._pages = {n: found[n] for n in self.enabled_names if n in found}
        return self._pages

    def sign_in_methods(self) -> dict[str, Any]:
        """Each plugin's :class:`core.web.sign_in_methods.SignInMethod` (asked once,
        checked)."""
        if self._sign_in is None:
            from core.web.sign_in_methods import check

            found: dict[str, Any] = {}
            for impl in self.pm.hook.register_sign_in.get_hookimpls():
                method = self._call_one(impl.plugin_name, "register_sign_in")
                found[impl.plugin_name] = check(impl.plugin_name, method)
            self._sign_in = {n: found[n] for n in self.enabled_names if n in found}
        return self._sign_in

    def sms_gateways(self) -> list[Any]:
        """The enabled plugins' SMS gateways (``register_sms_gateway``), each checked to
        have a name and an async ``send``."""
        from core.notify.sms import SmsGateway

        found: list[Any] = []
        for impl in self.pm.hook.register_sms_gateway.get_hookimpls():
            if impl.plugin_name not in self.enabled_names:
                continue
            gateway = self._call_one(impl.plugin_name, "register_sms_gateway")
            if not isinstance(gateway, SmsGateway) or not getattr(gateway, "name", ""):
                raise PluginError(
                    impl.plugin_name,
                    "register_sms_gateway() must return an object with a name and "
                    "async send(phone, text) (core.notify.sms.SmsGateway)",
                )
            found.append(gateway)
        return found

    def jobs(self) -> list[Any]:
        """The enabled plugins' :class:`core.jobs.JobSpec` (``register_jobs``); a job's
        name must start with its plugin's name and a dot."""
        found: list[Any] = []
        for impl in self.pm.hook.register_jobs.get_hookimpls():
            if impl.plugin_name not in self.enabled_names:
                continue
            for spec in self._call_one(impl.plugin_name, "register_jobs") or []:
                if not str(getattr(spec, "name", "")).startswith(impl.plugin_name + "."):
                    raise PluginError(
                        impl.plugin_name,
                        f"job {getattr(spec, 'name', spec)!r} must be named "
                        f"'{impl.plugin_name}.<job>'",
                    )
                found.append(spec)
        return found

    def table_apps(self) -> list[str]:
        return [app for p in self.plugins.values() for app in p.tables]

    def extra_checks(
        self, service: Service, ctx: RuleContext, plugins: Iterable[str] | None = None
    ) -> list[Finding]:
        """Findings of the ``extra_checks`` of the given plugins (default: all enabled)."""
        allowed = None if plugins is None else set(plugins)
        findings: list[Finding] = []
        for impl in self.pm.hook.extra_checks.get_hookimpls():
            if allowed is None or impl.plugin_name in allowed:
                try:
                    found: Any = impl.function(service=service, ctx=ctx)
                except AnswerMissing as exc:  # it reached an answer or fact nobody gave
                    found = [
                        Finding(
                            f"{impl.plugin_name}.extra_checks",
                            "unknown",
                            Text(f"Бракує даних ({exc.field})", f"Missing data ({exc.field})"),
                        )
                    ]
                except Exception:  # one plugin's bug must not take every service down
                    log.exception("extra_checks of plugin %r failed", impl.plugin_name)
                    found = [
                        Finding(
                            f"{impl.plugin_name}.extra_checks",
                            "unknown",
                            Text(
                                "Додаткову перевірку не вдалося виконати; зверніться до "
                                "адміністратора",
                                "An additional check could not run; tell the administrator",
                            ),
                        )
                    ]
                findings.extend(found or [])
        return findings

    def emit(self, event: Event, plugins: Iterable[str] | None = None) -> None:
        """Deliver an event to the given plugins (default: all enabled); a plugin's failure
        is logged, not raised."""
        allowed = None if plugins is None else set(plugins)
        for impl in self.pm.hook.on_event.get_hookimpls():
            if allowed is not None and impl.plugin_name not in allowed:
                continue
            try:
                impl.function(event=event)
            except Exception:
                log.exception("plugin %r failed on event %s", impl.plugin_name, event.kind)

    async def prepare_demo(
        self,
        platform: Any,
        actor: Any,
        plugins: Iterable[str],
        citizen_ids: list[int],
        since: Any,
    ) -> None:
        """Let each given plugin set up its own demo rows (awaiting what it returns).

        A hookimpl may take any subset of the hook's arguments (pluggy's rule).
        """
        allowed = set(plugins)
        given = {"platform": platform, "actor": actor, "citizen_ids": citizen_ids, "since": since}
        for impl in self.pm.hook.prepare_demo.get_hookimpls():
            if impl.plugin_name in allowed:
                outcome = impl.function(**{name: given[name] for name in impl.argnames})
                if inspect.isawaitable(outcome):
                    await outcome

    def add_commands(self, cli: Any) -> None:
        self.pm.hook.register_commands(cli=cli)


class PluginSummary(msgspec.Struct, kw_only=True):
    name: str
    distribution: str
    version: str
    enabled: bool
    title: str | None
    contract: int | None
    services: list[str]
    hooks: list[str]


def summarize(host: PluginHost) -> list[PluginSummary]:
    """Installed plugins, enabled or not, with versions and (if enabled) their services."""
    out = []
    for cand in sorted(host.installed, key=lambda c: c.name):
        loaded = host.plugins.get(cand.name)
        out.append(
            PluginSummary(
                name=cand.name,
                distribution=cand.distribution,
                version=cand.version,
                enabled=loaded is not None,
                title=loaded.info.title.uk + " / " + loaded.info.title.en if loaded else None,
                contract=loaded.info.contract if loaded else None,
                services=[s.code for s in loaded.services] if loaded else [],
                hooks=list(loaded.hooks) if loaded else [],
            )
        )
    return out
