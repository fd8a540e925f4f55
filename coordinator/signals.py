"""Domain signals other capabilities can react to, without the directory importing them.

``person_left`` is sent by :func:`coordinator.directory.people.leave` *before* its commit, so
receivers (e.g. tables vacating seats) change the same transaction; they must not commit.
Sender: the :class:`~coordinator.directory.models.Person`; keyword arguments ``on_date`` (a
:class:`datetime.date`) and ``actor`` (the acting :class:`~coordinator.auth.models.User` or
``None`` for the system).
"""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()

#: A person leaves (uit dienst) on ``on_date``; their assignments end that day.
person_left = signals.signal("person-left")
