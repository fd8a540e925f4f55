"""The feed itself (``GET /feeds/<token>.ics``) and the pages to create, rotate and revoke."""

from __future__ import annotations

from datetime import datetime

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from coordinator.db import now_utc
from coordinator.feeds import bp, cache, content, services
from coordinator.feeds.models import FeedScope, FeedToken

#: Headers every feed answer carries (200 and 304 alike).
FEED_HEADERS = {
    "Cache-Control": "private, max-age=900",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


@bp.get("/<token>.ics")
def feed(token: str) -> Response:
    """The calendar; revoked, unknown and dead tokens all get the same bare 404."""
    found = services.resolve(token)
    if found is None:
        gone = Response("404 Not Found\n", status=404, content_type="text/plain; charset=utf-8")
        gone.headers.update(FEED_HEADERS)
        return gone
    now = now_utc()
    current = content.version(found, now)
    services.touch(found)
    # Only the ETag decides a 304: it covers which tables are in the feed, which a timestamp
    # cannot (a new seat on an old table), so If-Modified-Since alone never gets a 304.
    if request.if_none_match.contains(current.etag):
        response = Response(status=304)
    else:
        response = Response(_body(found, current, now), content_type="text/calendar; charset=utf-8")
        response.headers["Content-Disposition"] = 'inline; filename="matchtafel.ics"'
    response.set_etag(current.etag)
    response.last_modified = current.last_modified
    response.headers.update(FEED_HEADERS)
    return response


def _body(found: FeedToken, current: content.Version, now: datetime) -> bytes:
    """The stored body at this version, or a fresh build that is stored for every process."""
    stored = cache.get(found.scope, found.target_id, current.etag)
    if stored is not None:
        return stored
    built = content.body(found, current.ids, now, name=current.name)
    cache.put(found.scope, found.target_id, current.etag, built)
    return built


# --- managing subscriptions ---------------------------------------------------------------


def _subscribe_page(new: services.NewFeed) -> str:
    return render_template(
        "feeds/subscribe.html",
        feed=new.token,
        name=services.target_name(new.token),
        url=new.url,
        webcal_url=new.webcal_url,
        sender=current_app.config["MAIL_FROM"],
    )


@bp.get("/")
@login_required
def index() -> str:
    feeds = services.list_for(current_user)
    return render_template(
        "feeds/index.html",
        feeds=[(f, services.target_name(f)) for f in feeds],
        scopes=FeedScope,
    )


@bp.post("/nieuw")
@login_required
def create() -> str:
    new = services.create(current_user, request.form.get("scope", ""), request.form.get("id"))
    return _subscribe_page(new)


@bp.post("/<int:feed_id>/vernieuwen")
@login_required
def rotate(feed_id: int) -> str:
    return _subscribe_page(services.rotate(current_user, feed_id))


@bp.post("/<int:feed_id>/intrekken")
@login_required
def revoke(feed_id: int) -> BaseResponse:
    services.revoke(current_user, feed_id)
    flash(_("Het abonnement is ingetrokken; de oude link werkt niet meer."), "success")
    return redirect(url_for("feeds.index"))
