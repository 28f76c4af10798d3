"""Deployment settings: a TOML file, overridden by environment variables.

Looked up in this order (later wins):

1. built-in defaults (embedded SQLite file ``hromada.sqlite3`` in the working folder,
   the built-in plugins enabled);
2. the file named by ``HROMADA_CONFIG``, or ``hromada.toml`` in the working folder;
3. ``HROMADA_DATABASE_URL`` and ``HROMADA_PLUGINS`` (comma-separated plugin names).
"""

from __future__ import annotations

import importlib.metadata as md
import os
import tomllib
from pathlib import Path

import msgspec


def builtin_plugins() -> tuple[str, ...]:
    """Plugins shipped with the hromada distribution (its own entry points).

    They are enabled when no configuration names the enabled plugins; a third-party
    plugin is never enabled until the configuration names it.
    """
    found = [
        ep.name
        for ep in md.entry_points(group="hromada.plugins")
        if ep.dist is not None and ep.dist.name == "hromada"
    ]
    return tuple(sorted(found))


class ConfigError(Exception):
    """The configuration cannot be used; the message says which key and why."""


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    database_url: str = "sqlite:///hromada.sqlite3"
    plugins: tuple[str, ...] = msgspec.field(default_factory=builtin_plugins)
    #: Seconds a session token stays valid after login.
    session_ttl_seconds: int = 12 * 3600
    #: Seconds a process keeps what changes a few times a year (a municipality's names,
    #: settlements, enabled plugins, local cards and parameter values) before reading it
    #: again. A change made through this process is seen at once; other processes see it
    #: within this time. 0: read every time.
    cache_seconds: float = 5.0
    #: Seconds a process trusts a session it has read (its user, role and whether the
    #: account is active) before reading it again. Signing out, or a change to a user's
    #: role, activity or password, takes effect at once in the process that made it and
    #: within this time in the others; the session's expiry is checked at every request.
    #: 0: read on every request.
    session_cache_seconds: float = 5.0
    #: Name of the browser session cookie.
    session_cookie: str = "hromada_session"
    #: Whether the session cookie needs HTTPS (set true behind TLS); also sends
    #: ``Strict-Transport-Security`` on every answer.
    secure_cookies: bool = False
    #: Wrong passwords in a row that lock an account (in the database, for every process).
    login_failures_before_lock: int = 10
    #: Seconds a locked account stays locked unless an admin unlocks it sooner.
    login_lock_seconds: int = 15 * 60
    #: Failed sign-ins one client address may make within the window (per server process).
    login_address_failures: int = 30
    #: The window of ``login_address_failures``, in seconds.
    login_address_window_seconds: int = 5 * 60
    #: The site's own origins (``https://social.example.gov.ua``) besides the request's
    #: ``Host``: a browser's unsafe API request with the session cookie must come from
    #: one of them (behind a proxy that rewrites ``Host``, list the public address here).
    trusted_origins: tuple[str, ...] = ()
    #: The site's public address, for the links in e-mails (confirm, reset, a request).
    public_url: str = "http://127.0.0.1:8000"
    #: The SMTP server that sends e-mail; empty (the embedded default): each message is
    #: written as an ``.eml`` file into ``mail_dir`` instead, to read or hand on.
    smtp_host: str = ""
    smtp_port: int = 25
    #: ``none``, ``starttls`` (upgrade on the submission port 587) or ``tls`` (port 465).
    smtp_security: str = "none"
    smtp_username: str = ""
    smtp_password: str = ""
    #: The sender of every e-mail.
    mail_from: str = "Hromada <no-reply@localhost>"
    mail_dir: str = "var/mail"
    #: The SMS gateway: ``file`` (each message a line of ``sms_dir/sms.log``) or the name
    #: of a gateway an enabled plugin registers (``register_sms_gateway``).
    sms_gateway: str = "file"
    sms_dir: str = "var/sms"
    #: Attempts at one message before it is marked failed (the outbox retries with a
    #: backoff that doubles from a minute).
    outbox_attempts: int = 6
    #: Days an exported file (a report's or a register's XLSX/CSV, made by a job) is kept
    #: in the database before the nightly cleanup deletes it.
    export_keep_days: int = 7

    def __post_init__(self) -> None:
        for name in (
            "login_failures_before_lock",
            "login_lock_seconds",
            "login_address_failures",
            "login_address_window_seconds",
            "outbox_attempts",
            "export_keep_days",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.smtp_security not in ("none", "starttls", "tls"):
            raise ValueError("smtp_security must be none, starttls or tls")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    raw: dict[str, object] = {}
    path = Path(env.get("HROMADA_CONFIG", "hromada.toml"))
    if path.exists():
        try:
            raw.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    elif "HROMADA_CONFIG" in env:
        raise ConfigError(f"HROMADA_CONFIG names {path}, which does not exist")
    if env.get("HROMADA_DATABASE_URL"):
        raw["database_url"] = env["HROMADA_DATABASE_URL"]
    if "HROMADA_PLUGINS" in env:
        raw["plugins"] = [p.strip() for p in env["HROMADA_PLUGINS"].split(",") if p.strip()]
    try:
        return msgspec.convert(raw, Settings)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"configuration: {exc}") from exc
