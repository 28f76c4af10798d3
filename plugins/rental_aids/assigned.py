"""The request a loan or a waiting-list entry is made for: assigned to a rental point."""

from __future__ import annotations

from typing import Any

from core.sdk import Actor, Assignment, Conflict, Contract, NotFound, Request
from plugins.rental_aids.common import own_provider
from plugins.rental_aids.service import CODE


async def assigned_request(actor: Actor, request_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The request of the service, assigned to a contract the actor may serve, and it."""
    req = (
        await Request.select()
        .where((Request.id == request_id) & (Request.municipality == actor.municipality_id))
        .first()
    )
    if req is None or req["service_code"] != CODE:
        raise NotFound(
            f"звернення {request_id} на прокат не знайдено / request not found", "request_id"
        )
    mine = own_provider(actor)
    contracts: list[dict[str, Any]] = (
        await Contract.select()
        .where(
            Contract.id.is_in(
                Assignment.select(Assignment.contract).where(
                    (Assignment.request == request_id) & (Assignment.active == True)  # noqa: E712
                )
            )
        )
        .order_by(Contract.id)
    )
    if mine is not None:  # a rental point's user: its own contract only
        if contracts and not any(c["provider"] == mine for c in contracts):
            raise NotFound(
                f"звернення {request_id} на прокат не знайдено / request not found", "request_id"
            )
        contracts = [c for c in contracts if c["provider"] == mine]
    # A request assigned to several rental points is served under the first in force.
    contract = next((c for c in contracts if c["status"] == "active"), None) or next(
        iter(contracts), None
    )
    if req["status"] != "assigned" or contract is None:
        raise Conflict(
            "видати можна лише за схваленим і призначеним пункту прокату зверненням / only an "
            "approved request assigned to a rental point",
            "request_id",
        )
    if contract["status"] != "active":
        raise Conflict(
            "договір з пунктом прокату не діє / the contract is not active", "request_id"
        )
    return req, contract
