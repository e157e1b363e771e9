"""Scanning an uploaded file with ClamAV's daemon, ``clamd``, before it is stored.

The conversation is clamd's INSTREAM command (clamd(8)): ``zINSTREAM\\0``, then the file in
chunks each prefixed by its length as a 4-byte big-endian number, then a zero length; clamd
answers ``stream: OK`` or ``stream: <signature> FOUND``. It is short enough to speak here;
the Python clients of clamd are no longer maintained.

A scanner that is configured but does not answer refuses the file: a file is never let
through unscanned because the scanner is down.
"""

from __future__ import annotations

import socket
import struct

from models.errors import InvalidInput, Unavailable
from models.messages import N_, Words

__all__ = ["scan"]

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


def _connect(where: str) -> socket.socket:
    host, sep, port = where.rpartition(":")
    if sep and port.isdigit() and "/" not in where:
        return socket.create_connection((host, int(port)), timeout=TIMEOUT_SECONDS)
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.settimeout(TIMEOUT_SECONDS)
    unix.connect(where)
    return unix


def scan(where: str, data: bytes, name: str) -> None:
    """Refuse ``data`` if clamd at ``where`` (a socket path, or host:port) finds a virus in it,
    or if clamd cannot be asked."""
    try:
        with _connect(where) as conn:
            conn.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                piece = data[start:start + CHUNK]
                conn.sendall(struct.pack("!L", len(piece)) + piece)
            conn.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = conn.recv(4096)
                if not received:
                    break
                answer += received
    except OSError:
        raise Unavailable(N_("the virus scanner is not answering, so %(name)s was not stored: try again later, or ask your administrator "
                             "to check clamd"), name=name) from None
    said = answer.rstrip(b"\0").decode("utf-8", "replace").removeprefix("stream: ").strip()
    if said.endswith("FOUND"):
        raise InvalidInput(N_("%(name)s carries a virus (%(virus)s): it was not stored"), name=name, virus=said.removesuffix("FOUND").strip())
    if said != "OK":
        raise Unavailable(N_("the virus scanner could not scan %(name)s (%(answer)s): it was not stored"), name=name,
                          answer=said or Words(N_("no answer")))
