"""The sample deployment in ``deploy/`` names only what exists: every command and option
of the compose file and the systemd units is one of ``hromada``'s or uvicorn's, the
example configuration is accepted as it stands, and nginx's upstream lists the compose
file's web services."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import yaml
from uvicorn.main import main as uvicorn_command

from core.cli import cli
from core.config import load_settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _options(command: click.Command) -> set[str]:
    return {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}


def check_command(argv: list[str]) -> None:
    """``argv`` runs: a ``hromada`` sub-command with its options, or uvicorn's."""
    program = Path(argv[0]).name
    if program == "hromada":
        command: click.Command = cli
        args = argv[1:]
        while isinstance(command, click.Group) and args and not args[0].startswith("-"):
            assert args[0] in command.commands, f"hromada has no command {args[0]!r}"
            command = command.commands[args[0]]
            args = args[1:]
    else:
        assert program == "uvicorn", argv
        assert argv[1] == "core.asgi:app"
        command, args = uvicorn_command, argv[2:]
    known = _options(command)
    for arg in args:
        if arg.startswith("--"):
            assert arg.split("=", 1)[0] in known, f"{argv}: unknown option {arg}"


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    return loaded


def test_the_compose_file_runs_two_web_processes_two_workers_and_migrates_first() -> None:
    services = compose()["services"]
    assert {"db", "migrate", "web-1", "web-2", "worker-1", "worker-2", "nginx"} <= set(services)
    assert services["migrate"]["command"] == ["hromada", "migrate"]
    for name in ("web-1", "web-2", "worker-1", "worker-2"):
        service = services[name]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert service["environment"]["HROMADA_DATABASE_URL"].startswith("postgresql://")
        check_command(service["command"])
    assert services["worker-1"]["command"][:2] == ["hromada", "worker"]
    assert services["web-1"]["command"][:2] == ["uvicorn", "core.asgi:app"]


def test_the_systemd_units_name_real_commands() -> None:
    for unit in ("hromada-web@.service", "hromada-worker@.service"):
        text = (DEPLOY / unit).read_text("utf-8").replace("\\\n", " ")
        found = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE)
        assert found, unit
        check_command(shlex.split(found.group(1).replace("%i", "8001")))
        assert "Environment=HROMADA_CONFIG=/etc/hromada/hromada.toml" in text


def test_the_example_configuration_is_accepted() -> None:
    settings = load_settings({"HROMADA_CONFIG": str(DEPLOY / "hromada.toml.example")})
    assert settings.database_url.startswith("postgresql://")
    assert settings.secure_cookies


def test_nginx_sends_to_the_compose_files_web_services() -> None:
    conf = (DEPLOY / "nginx.conf").read_text("utf-8")
    upstream = re.findall(r"^\s*server (web-\d):8000", conf, re.MULTILINE)
    assert upstream == ["web-1", "web-2"]
    assert "proxy_set_header X-Forwarded-For" in conf
    web = compose()["services"]["web-1"]["command"]
    assert "--proxy-headers" in web
    assert "--forwarded-allow-ips" in web


def test_the_containerfile_installs_the_project() -> None:
    text = (DEPLOY / "Containerfile").read_text("utf-8")
    assert "FROM python:3.11-slim" in text
    assert "RUN pip install ." in text
