"""A TCP proxy in front of PostgreSQL that a test can break, to play a database outage
without touching the real server.

It speaks just enough of the wire protocol to act like a restarting server: it answers
the client's SSLRequest with "no" itself, forwards the server's messages whole (so it can
slip an error between two of them), and can

- ``drop()`` every open connection, optionally telling the clients why first (57P01
  "terminating connection due to administrator command", as a fast shutdown does);
- ``hold()`` the server's answers, so that a query is in flight when the drop comes;
- ``refuse()`` new connections (the listening socket is closed: connection refused);
- ``starting_up()``: accept connections but answer each with FATAL 57P03 "the database
  system is starting up", as PostgreSQL does while it recovers;
- ``resume()``: forward again, on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct

_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104


def error_response(sqlstate: str, message: str, severity: str = "FATAL") -> bytes:
    """A backend ErrorResponse message."""
    fields = b""
    for code, value in (("S", severity), ("V", severity), ("C", sqlstate), ("M", message)):
        fields += code.encode() + value.encode() + b"\0"
    fields += b"\0"
    return b"E" + struct.pack("!i", len(fields) + 4) + fields


async def _read_packet(reader: asyncio.StreamReader) -> bytes:
    """One untyped packet (SSLRequest, StartupMessage): int32 length, then the rest."""
    head = await reader.readexactly(4)
    (length,) = struct.unpack("!i", head)
    return head + await reader.readexactly(length - 4)


async def _startup(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    """Read the client's opening packets; answer SSL/GSS requests with 'N' ourselves."""
    while True:
        packet = await _read_packet(reader)
        (code,) = struct.unpack("!i", packet[4:8])
        if len(packet) == 8 and code in (_SSL_REQUEST, _GSSENC_REQUEST):
            writer.write(b"N")
            await writer.drain()
            continue
        return packet


class _Link:
    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client = client
        self.server = server

    def close(self, farewell: bytes = b"") -> None:
        self.server.transport.abort()
        if farewell and not self.client.transport.is_closing():
            self.client.write(farewell)
            self.client.close()
        else:
            self.client.transport.abort()


class PgProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._starting_up = False
        self._flowing = asyncio.Event()
        self._flowing.set()
        #: Set when a server message is being held back (see :meth:`hold`).
        self.holding = asyncio.Event()
        #: Connections accepted since the proxy was started.
        self.accepted = 0

    # -- control -------------------------------------------------------------------------

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    def hold(self) -> None:
        """Keep the server's next answers back until :meth:`drop` or :meth:`resume`."""
        self.holding.clear()
        self._flowing.clear()

    def drop(self, sqlstate: str | None = None, message: str = "") -> None:
        """Close every open connection; with ``sqlstate``, send the clients that error first."""
        farewell = error_response(sqlstate, message) if sqlstate else b""
        for link in list(self._links):
            link.close(farewell)
        self._links.clear()

    def refuse(self) -> None:
        """Stop listening: new connections are refused (ECONNREFUSED)."""
        if self._server is not None:
            self._server.close()
            self._server = None

    def starting_up(self) -> None:
        """Answer every new connection with FATAL 57P03, as a recovering server does."""
        self._starting_up = True

    async def resume(self) -> None:
        self._starting_up = False
        self._flowing.set()
        if self._server is None:
            await self.start()

    async def close(self) -> None:
        self.refuse()
        self.drop()
        self._flowing.set()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task

    # -- forwarding ----------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.accepted += 1
        try:
            await self._link(reader, writer)
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.transport.abort()
            self._tasks.discard(task)

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        startup = await _startup(reader, writer)
        if self._starting_up:
            writer.write(error_response("57P03", "the database system is starting up"))
            await writer.drain()
            return
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        link = _Link(writer, up_writer)
        self._links.add(link)
        try:
            up_writer.write(startup)
            await asyncio.gather(
                self._to_server(reader, up_writer), self._to_client(up_reader, writer)
            )
        finally:
            self._links.discard(link)
            up_writer.transport.abort()

    async def _to_server(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
        writer.transport.abort()

    async def _to_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Forward whole messages, so that an error slipped in never splits one."""
        while True:
            head = await reader.readexactly(5)
            (length,) = struct.unpack("!i", head[1:])
            body = await reader.readexactly(length - 4)
            if not self._flowing.is_set():
                self.holding.set()
                await self._flowing.wait()
            if writer.transport.is_closing():
                return
            writer.write(head + body)
