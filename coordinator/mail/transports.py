"""Ways to hand a message over: .eml files in a folder (embedded default) or SMTP."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from pathlib import Path
from typing import Protocol

from flask import Flask


class PermanentDeliveryError(Exception):
    """The receiving side refused the message for good (SMTP 5xx)."""


class TransientDeliveryError(Exception):
    """Try again later (SMTP 4xx, connection refused, timeout)."""


class ConnectionDeliveryError(TransientDeliveryError):
    """The mail server could not be reached or refused the session: no mail can go now.

    Raised for the connection, greeting, STARTTLS and login, whatever the reply code: a
    refused session says nothing about the message itself, so it is always retried.
    """


class Transport(Protocol):
    def send(self, *, sender: str, recipient: str, raw: bytes, message_id: str) -> None: ...

    def close(self) -> None: ...


class FolderTransport:
    """Writes each message as ``<outbox id or message id>.eml`` into a folder.

    Writing to a temporary name and renaming makes a file appear whole or not at all, and
    re-delivering the same Message-ID overwrites the same file instead of adding a copy.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, *, sender: str, recipient: str, raw: bytes, message_id: str) -> None:
        stem = "".join(ch for ch in message_id if ch.isalnum() or ch in "-_.@")[:150]
        target = self.folder / f"{stem}.eml"
        tmp = target.with_suffix(".eml.tmp")
        tmp.write_bytes(raw)
        tmp.replace(target)

    def close(self) -> None:
        return None


class SmtpTransport:
    """One SMTP connection reused for a batch; STARTTLS, implicit TLS or none, optional auth."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        tls: str = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30,
    ) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.username, self.password, self.timeout = username, password, timeout
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._conn is not None:
            return self._conn
        try:
            if self.tls == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.tls == "starttls":
                    conn.starttls(context=ssl.create_default_context())
            if self.username:
                conn.login(self.username, self.password or "")
        except smtplib.SMTPResponseException as exc:
            raise ConnectionDeliveryError(_describe(exc.smtp_code, exc.smtp_error)) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectionDeliveryError(str(exc) or type(exc).__name__) from exc
        self._conn = conn
        return conn

    def send(self, *, sender: str, recipient: str, raw: bytes, message_id: str) -> None:
        reused = self._conn is not None
        try:
            self._send(sender, recipient, raw)
        except smtplib.SMTPServerDisconnected as exc:
            self._conn = None
            timed_out = isinstance(exc.__context__, TimeoutError)
            if timed_out or not reused:
                raise ConnectionDeliveryError(str(exc) or "verbinding verbroken") from exc
            # The server closed a used connection (idle or per-connection limit): reconnect once.
            try:
                self._send(sender, recipient, raw)
            except smtplib.SMTPServerDisconnected as again:
                self._conn = None
                raise ConnectionDeliveryError(str(again) or "verbinding verbroken") from again

    def _send(self, sender: str, recipient: str, raw: bytes) -> None:
        conn = self._connect()
        try:
            refused = conn.sendmail(sender, [recipient], raw)
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _classify(code, text) from exc
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:  # smtplib closed the socket on "service closing"
                self._conn = None
            raise _classify(exc.smtp_code, exc.smtp_error) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            text = str(exc) or type(exc).__name__
            if isinstance(exc, TimeoutError | ConnectionError):
                # The server hangs or went away: the message may or may not have arrived
                # (a resend carries the same Message-ID). Pause instead of timing out per mail.
                raise ConnectionDeliveryError(text) from exc
            raise TransientDeliveryError(text) from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise _classify(code, text)

    def _drop(self) -> None:
        """Forget a connection in an unknown state (timeout mid-command)."""
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._conn.quit()
            self._conn = None


def _describe(code: int, text: bytes | str) -> str:
    detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {detail}".strip()


def _classify(code: int, text: bytes | str) -> Exception:
    """5xx is permanent; 4xx (and anything odd) is worth another try later."""
    message = _describe(code, text)
    if 500 <= code < 600:
        return PermanentDeliveryError(message)
    return TransientDeliveryError(message)


def transport_for(app: Flask) -> Transport:
    """SMTP when ``SMTP_HOST`` is configured, else the mail folder."""
    config = app.config
    if config.get("SMTP_HOST"):
        return SmtpTransport(
            config["SMTP_HOST"],
            int(config["SMTP_PORT"]),
            tls=str(config["SMTP_TLS"]).lower(),
            username=config.get("SMTP_USERNAME"),
            password=config.get("SMTP_PASSWORD"),
            timeout=float(config["SMTP_TIMEOUT"]),
        )
    return FolderTransport(config["MAIL_DIR"])
