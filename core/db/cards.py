"""Piccolo table of municipalities' local cards (part of the core app)."""

from __future__ import annotations

from piccolo.columns import JSON, ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from core.db.tables import Municipality, User


class LocalCard(Table):
    """A municipality's local parts of one service's information card (``service_code``),
    as :class:`core.local_card.LocalPart` JSON. Every save is a new row: the newest is in
    force, the older ones are its history; without a row the plugin's card applies."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    service_code = Varchar(length=128)
    part = JSON(default="{}")
    set_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    set_at = Timestamptz()


CARD_TABLES: tuple[type[Table], ...] = (LocalCard,)
