"""iCalendar and iMIP: pure builders, plus the two modules that tie them to the app.

Pure modules (no Flask imports, no database), each with one job:

- ``types``: the frozen values the builders take (``SeriesData``, ``OverrideData``,
  ``AttendeeData``, ``Mailbox``); wall-clock times are naive local times in the series' TZID.
- ``occurrences``: Matchtafel's own expansion of a series with dateutil (wall-clock across DST).
- ``rules``: Outlook-compatibility check of an RRULE; ending a series before a date (a schedule
  change "from a date on" ends the old UID and starts a new one).
- ``ics``: ``request_for_series``, ``request_for_occurrence``, ``cancel_series``,
  ``cancel_occurrence`` (iTIP, with METHOD) and ``feed_calendar`` / ``feed_bytes`` (feeds).
- ``render``: invite subjects and bodies from ``templates/emails/invite_*`` in a locale.
- ``imip``: one iMIP mail per recipient (``invite_message``), ready for the mail outbox.
- ``rsvp``: signed accept / decline / deputy tokens that expire after the occurrence.

App-facing modules (models and config in, pure values out):

- ``mapping``: Table / TableSeries / OccurrenceChange / seat holders → ``SeriesData`` etc.
  (ORGANIZER from ``MAIL_FROM``, URL and agenda link from ``BASE_URL``).
- ``invites``: subscribers to the tables' signals that queue the iMIP mails in the outbox,
  connected once by the app factory (``invites.connect_signals()``).

Typical use from a tables service, inside the transaction that changes the table::

    series = SeriesData(...)                      # mapped from TableSeries and its seats
    for holder in series.attendees:
        message = imip.invite_message(
            InviteKind.REQUEST, series, holder, message_id=new_message_id(domain),
            locale=holder_locale, rsvp_links=links_for(holder),
        )
        outbox.queue(message, kind="invite-request", dedup_key=...)
"""
