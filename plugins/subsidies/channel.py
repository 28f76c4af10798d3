"""A change of how an active assignment is paid: to the utility providers (non-cash) or
to the recipient's account (cash), or to another account. It applies to the months not
yet paid; a month paid one way is never paid again the other way (the pay run checks
both, under the same lock as this change)."""

from __future__ import annotations

from core.sdk import Actor, Conflict, Invalid, audit, write_transaction
from plugins.subsidies.assign import A, assignment_row, lock, read
from plugins.subsidies.schemas import AssignmentOut, ChannelIn


async def change(actor: Actor, assignment_id: int, body: ChannelIn) -> AssignmentOut:
    row = await assignment_row(actor, assignment_id)
    if row["status"] != "active":
        raise Conflict("призначення не діє / the assignment is not active", "assignment_id")
    if row["channel"] == body.payment_channel and row["iban"] == body.iban:
        raise Invalid("немає змін / nothing to change", "payment_channel")
    async with write_transaction():
        await lock(assignment_id)
        changed = (
            await A.update({A.channel: body.payment_channel, A.iban: body.iban})
            .where((A.id == assignment_id) & (A.status == "active"))
            .returning(A.id)
        )
        if not changed:
            raise Conflict("призначення змінилося / the assignment changed", "assignment_id")
        await audit.record(
            actor,
            "subsidies.channel",
            "subsidy_assignment",
            assignment_id,
            {
                "from": row["channel"],
                "to": body.payment_channel,
                "iban_changed": row["iban"] != body.iban,
                "comment": body.comment,
            },
        )
    return await read(actor, assignment_id)
