"""The demo's own deliveries: trips from the carrier's log (``booking_id`` 0).

``hromada demo`` records deliveries for requests it makes after :func:`prepare_demo`
has run, knowing only a day; no booking of those requests can exist, so its trips are
carrier-logged ones, which :mod:`plugins.disability_transport.demo` lets the demo
municipality accept (``unbooked_trips_allowed``). Booked trips of the demo are made by
``prepare_demo`` itself.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from plugins.disability_transport.billing import TripDelivery


def example_delivery(rng: random.Random, day: date) -> TripDelivery:
    km = Decimal(rng.randint(30, 250)) / 10
    return TripDelivery(
        booking_id=0,
        outcome="completed",
        km=km,
        waiting_minutes=rng.choice([0, 10, 20, 35, 50]),
    )
