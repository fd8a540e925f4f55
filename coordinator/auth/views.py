"""Thin views over :mod:`coordinator.auth.services`."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from coordinator.auth import bp, links, services
from coordinator.auth.forms import (
    ApiTokenForm,
    ForgotPasswordForm,
    LocaleForm,
    LoginForm,
    SetPasswordForm,
)
from coordinator.errors import DomainError


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data, form.password.data, request.remote_addr or "unknown"
            )
        except DomainError as exc:
            form.form_errors.append(exc.message)
            status = exc.status_code
        else:
            login_user(user, remember=form.remember.data)
            session["locale"] = user.locale
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    logout_user()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("auth.login"))


def _link_password_page(
    purpose: str, token: str, template: str, done_message: str
) -> Response | str:
    try:
        user = services.user_for_link(purpose, token)
    except DomainError as exc:
        return render_template("auth/link_invalid.html", message=exc.message), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data)
        except DomainError as exc:
            form.password.errors.append(exc.message)
        else:
            login_user(user)
            flash(done_message, "success")
            return redirect(url_for("main.index"))
    return render_template(template, form=form, user=user), 400 if form.errors else 200


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response | str:
    return _link_password_page(
        links.INVITATION,
        token,
        "auth/accept_invitation.html",
        _("Welkom bij Matchtafel. Uw wachtwoord is ingesteld."),
    )


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str:
    return _link_password_page(
        links.PASSWORD_RESET,
        token,
        "auth/reset_password.html",
        _("Uw nieuwe wachtwoord is ingesteld."),
    )


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password() -> Response | str:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _(
                "Als dit adres bij een actief account hoort, ontvangt u binnen enkele minuten een "
                "e-mail met een link om een nieuw wachtwoord in te stellen."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/language", methods=["POST"])
def change_language() -> Response:
    """Switch between Dutch and English; stored on the account when logged in."""
    form = LocaleForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/", methods=["GET"])
@login_required
def account() -> str:
    return render_template(
        "auth/account.html",
        token_form=ApiTokenForm(),
        tokens=services.list_api_tokens(current_user),
        new_token=None,
    )


@bp.route("/tokens", methods=["POST"])
@login_required
def create_token() -> Response | str:
    form = ApiTokenForm()
    new_token = None
    status = 200
    if form.validate_on_submit():
        try:
            _token, new_token = services.create_api_token(current_user, form.name.data)
        except DomainError as exc:
            form.name.errors.append(exc.message)
            status = 400
    else:
        status = 400
    return render_template(
        "auth/account.html",
        token_form=ApiTokenForm(formdata=None) if new_token else form,
        tokens=services.list_api_tokens(current_user),
        new_token=new_token,
    ), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> Response:
    services.revoke_api_token(current_user, token_id)
    flash(_("Het token is ingetrokken en werkt niet meer."), "success")
    return redirect(url_for("auth.account"))
