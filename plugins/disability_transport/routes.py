"""HTTP routes of the social taxi, mounted by the host at ``/api/ext/disability_transport/``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.sdk import (
    Page,
    PathId,
    QueryId,
    actor_of,
    checked_date,
    not_personal,
    personal_data,
    platform_of,
    roles,
)
from plugins.disability_transport import bookings, dispatch, vehicles
from plugins.disability_transport.schemas import (
    AssignVehicleIn,
    BookingIn,
    BookingOut,
    CancelIn,
    CompleteIn,
    Status,
    VehicleIn,
    VehicleOut,
    VehiclePatch,
    VehicleUpdateOut,
)

STAFF = ("admin", "intake", "caseworker", "auditor")
CARRIER = roles("provider")
FLEET_READ = roles(*STAFF, "provider")
BOOK = roles("admin", "intake", "caseworker", "citizen")
BOOKINGS_READ = roles(*STAFF, "provider", "citizen")
ASSIGN = roles("admin", "caseworker", "provider")

Req = Request[Any, Any, Any]


class VehicleController(Controller):
    path = "/vehicles"
    tags = ["disability_transport"]

    @post("/", opt=CARRIER, summary="Register a vehicle of the carrier")
    async def create_vehicle(self, request: Req, data: JSONBody[VehicleIn]) -> VehicleOut:
        return await vehicles.create(platform_of(request), actor_of(request), data)

    @get("/", opt=FLEET_READ | not_personal(), summary="Vehicles (a carrier sees its own)")
    async def list_vehicles(self, request: Req, provider_id: QueryId = None) -> list[VehicleOut]:
        return await vehicles.listing(platform_of(request), actor_of(request), provider_id)

    @patch(
        "/{vehicle_id:int}",
        opt=CARRIER,
        summary="Update an own vehicle (deactivating unassigns its planned trips)",
    )
    async def update_vehicle(
        self, request: Req, vehicle_id: PathId, data: JSONBody[VehiclePatch]
    ) -> VehicleUpdateOut:
        return await vehicles.update(platform_of(request), actor_of(request), vehicle_id, data)

    @get(
        "/{vehicle_id:int}/schedule",
        opt=FLEET_READ | personal_data("vehicle", action="transport.schedule.read"),
        summary="A vehicle's trips of a day",
    )
    async def vehicle_schedule(
        self, request: Req, vehicle_id: PathId, day: FromQuery[date]
    ) -> list[BookingOut]:
        return await vehicles.schedule(
            platform_of(request), actor_of(request), vehicle_id, checked_date(day, "day")
        )


class BookingController(Controller):
    path = "/bookings"
    tags = ["disability_transport"]

    @post("/", opt=BOOK, summary="Book a trip for an assigned registration")
    async def create_booking(self, request: Req, data: JSONBody[BookingIn]) -> BookingOut:
        return await bookings.create(platform_of(request), actor_of(request), data)

    @get(
        "/",
        opt=BOOKINGS_READ | personal_data("booking", action="transport.booking.list"),
        summary="Bookings by date, person, vehicle or status",
    )
    async def list_bookings(
        self,
        request: Req,
        day: FromQuery[date | None] = None,
        citizen_id: QueryId = None,
        vehicle_id: QueryId = None,
        request_id: QueryId = None,
        status: FromQuery[Status | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
    ) -> Page[BookingOut]:
        return await bookings.listing(
            platform_of(request),
            actor_of(request),
            day=checked_date(day, "day") if day else None,
            citizen_id=citizen_id,
            vehicle_id=vehicle_id,
            request_id=request_id,
            status=status,
            page=page,
            page_size=page_size,
        )

    @get(
        "/{booking_id:int}",
        opt=BOOKINGS_READ | personal_data("booking", action="transport.booking.read"),
        summary="Read a booking",
    )
    async def read_booking(self, request: Req, booking_id: PathId) -> BookingOut:
        return await bookings.read(platform_of(request), actor_of(request), booking_id)

    @post("/{booking_id:int}/cancel", opt=BOOK, status_code=200, summary="Cancel a trip")
    async def cancel_booking(
        self, request: Req, booking_id: PathId, data: JSONBody[CancelIn]
    ) -> BookingOut:
        return await bookings.cancel(platform_of(request), actor_of(request), booking_id, data)

    @post("/{booking_id:int}/assign", opt=ASSIGN, status_code=200, summary="Assign a vehicle")
    async def assign_booking(
        self, request: Req, booking_id: PathId, data: JSONBody[AssignVehicleIn]
    ) -> BookingOut:
        return await dispatch.assign_vehicle(
            platform_of(request), actor_of(request), booking_id, data
        )

    @post("/{booking_id:int}/complete", opt=CARRIER, status_code=200, summary="Trip completed")
    async def complete_booking(
        self, request: Req, booking_id: PathId, data: JSONBody[CompleteIn]
    ) -> BookingOut:
        return await dispatch.complete(platform_of(request), actor_of(request), booking_id, data)

    @post("/{booking_id:int}/no-show", opt=CARRIER, status_code=200, summary="Passenger no-show")
    async def no_show_booking(self, request: Req, booking_id: PathId) -> BookingOut:
        return await dispatch.no_show(platform_of(request), actor_of(request), booking_id)


ROUTES = [VehicleController, BookingController]
