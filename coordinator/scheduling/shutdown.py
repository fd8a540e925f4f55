"""A process-wide "please stop" flag that long jobs check between units of work."""

from __future__ import annotations

import threading

_stop = threading.Event()


def request_stop() -> None:
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


def wait(seconds: float) -> bool:
    """Sleep up to ``seconds``; True as soon as a stop was requested."""
    return _stop.wait(seconds)


def reset() -> None:
    _stop.clear()
