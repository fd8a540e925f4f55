"""A real SMTP server for tests: aiosmtpd in a thread on a free port, with scripted replies."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nobody listens on right now (aiosmtpd cannot probe ``port=0``, aiosmtpd#276)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    message_id: str


def message_id_of(content: bytes) -> str:
    return str(BytesHeaderParser().parsebytes(content)["Message-ID"])


class RecordingHandler:
    """Accepts mail (250) unless told otherwise, and records what it accepted.

    :ivar replies: replies for the next DATA commands, used up in order (e.g. ``["451 …"]``).
    :ivar default_reply: the reply once ``replies`` is empty.
    :ivar delay: seconds to wait before answering DATA (simulates a slow server).
    """

    def __init__(self) -> None:
        self.replies: list[str] = []
        self.default_reply = "250 2.0.0 Message accepted"
        self.delay = 0.0
        self.received: list[Received] = []
        self.attempts = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.attempts += 1
            reply = self.replies.pop(0) if self.replies else self.default_reply
            if reply.startswith("250"):
                self.received.append(
                    Received(
                        mail_from=envelope.mail_from,  # type: ignore[attr-defined]
                        rcpt_tos=tuple(envelope.rcpt_tos),  # type: ignore[attr-defined]
                        content=bytes(envelope.content),  # type: ignore[attr-defined]
                        message_id=message_id_of(envelope.content),  # type: ignore[attr-defined]
                    )
                )
        return reply


class MailServer:
    """Start/stop an aiosmtpd server on 127.0.0.1 and inspect what arrived."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.host = "127.0.0.1"
        self.port = free_port()
        self._controller = Controller(self.handler, hostname=self.host, port=self.port)

    def start(self) -> MailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[Received]:
        with self.handler._lock:  # noqa: SLF001
            return list(self.handler.received)

    def message_ids(self) -> Counter[str]:
        return Counter(mail.message_id for mail in self.received)

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        """Wait until at least ``count`` mails arrived; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return True
            time.sleep(0.05)
        return len(self.received) >= count
