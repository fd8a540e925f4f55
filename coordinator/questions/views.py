"""Question board pages: thin views over :mod:`coordinator.questions.services`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import Form

from coordinator.directory.models import Role
from coordinator.directory.visibility import Viewer, person_listed
from coordinator.errors import DomainError
from coordinator.extensions import db
from coordinator.privacy import warning_message
from coordinator.privacy.guard import Finding
from coordinator.questions import bp, search, services
from coordinator.questions.forms import (
    AnswerForm,
    AskForm,
    KeepAnswerForm,
    PreferencesForm,
    ResolveForm,
    area_choices,
    target_group_choices,
    topic_choices,
)
from coordinator.questions.models import Answer, QuestionStatus
from coordinator.questions.routing import route_label


def _field_error(form: Form, exc: DomainError) -> None:
    """Show a refusal at its field when the form has it, else above the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


@bp.route("/")
@login_required
def board() -> str:
    services.require_member(current_user)
    return render_template(
        "questions/board.html",
        inbox=search.inbox(current_user),
        mine=search.asked_by(current_user),
        open_questions=search.search_questions(
            search.Filters(status=QuestionStatus.OPEN), current_user, limit=30
        ),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def ask() -> Response | tuple[str, int] | str:
    form = AskForm().fill_choices()
    preview = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            values = (form.topic.data, form.target_group.data, form.area.data, form.text.data)
            try:
                if _confirmed():
                    question = services.ask_question(current_user, *values)
                    flash(
                        _(
                            "Uw vraag is geplaatst en naar %(n)d collega's gestuurd.",
                            n=len(question.recipients),
                        ),
                        "success",
                    )
                    return redirect(url_for("questions.detail", question_id=question.id))
                preview = services.preview_question(current_user, *values)
            except DomainError as exc:
                _field_error(form, exc)
                status = exc.status_code
        else:
            status = 400
    return render_template(
        "questions/ask.html",
        form=form,
        preview=preview,
        route_label=route_label,
        warning=_warning(preview.warnings if preview else []),
    ), status


def _warning(warnings: list[Finding]) -> str | None:
    """The soft privacy warning to confirm before sending, if the guard had any."""
    return warning_message() if warnings else None


def _confirmed() -> bool:
    """The user saw the warning (or the preview) and chose to send anyway."""
    return request.form.get("action") == "send"


def _detail_page(  # noqa: ANN202
    question_id: int,
    answer_form: AnswerForm | None = None,
    status: int = 200,
    warning: str | None = None,
):
    question = services.get_question(question_id, current_user)
    services.mark_read(question, current_user)
    viewer = Viewer.of(current_user)
    notified = list(
        dict.fromkeys(route_label(r.organisation, r.role, r.table) for r in question.recipients)
    )
    return render_template(
        "questions/detail.html",
        question=question,
        notified=notified,
        answer_form=answer_form or AnswerForm(),
        warning=warning,
        resolve_form=ResolveForm(),
        can_resolve=services.can_resolve(current_user, question),
        can_keep={a.id: services.can_keep_answer(current_user, a) for a in question.answers},
        author_listed={
            a.id: a.author is not None and person_listed(a.author.person, viewer)
            for a in question.answers
        },
    ), status


@bp.route("/<int:question_id>")
@login_required
def detail(question_id: int):  # noqa: ANN201
    return _detail_page(question_id)


@bp.route("/<int:question_id>/antwoorden", methods=["POST"])
@login_required
def answer(question_id: int):  # noqa: ANN201
    question = services.get_question(question_id, current_user)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            if not _confirmed():
                warning = _warning(services.preview_answer(question, current_user, form.text.data))
                if warning:
                    return _detail_page(question_id, form, warning=warning)
            services.answer_question(question, current_user, form.text.data)
        except DomainError as exc:
            _field_error(form, exc)
            return _detail_page(question_id, form, exc.status_code)
        flash(_("Uw antwoord is geplaatst."), "success")
        return redirect(url_for("questions.detail", question_id=question_id))
    return _detail_page(question_id, form, 400)


@bp.route("/<int:question_id>/opgelost", methods=["POST"])
@login_required
def resolve(question_id: int) -> Response:
    question = services.get_question(question_id, current_user)
    form = ResolveForm()
    if not form.validate_on_submit():
        abort(400)
    raw = (form.best_answer_id.data or "").strip()
    if raw and not raw.isdigit():
        abort(400)
    services.resolve_question(question, current_user, int(raw) if raw else None)
    flash(_("De vraag is opgelost. Dank voor het delen!"), "success")
    return redirect(url_for("questions.detail", question_id=question_id))


@bp.route("/antwoorden/<int:answer_id>/vastleggen", methods=["GET", "POST"])
@login_required
def keep_answer(answer_id: int):  # noqa: ANN201
    answer_row = db.session.get(Answer, answer_id)
    if answer_row is None:
        abort(404)
    question = services.get_question(answer_row.question_id, current_user)
    services.require_can_keep(current_user, answer_row)
    form = KeepAnswerForm().fill_roles(answer_row.organisation_id)
    if request.method == "GET":
        form.summary.data = answer_row.text[:300]
    status = 200
    if form.validate_on_submit():
        role = db.session.get(Role, int(form.role.data)) if form.role.data else None
        try:
            services.answer_to_responsibility(
                answer_row,
                current_user,
                handles=form.handles.data == "ja",
                summary=form.summary.data,
                reason=form.reason.data or "",
                referral_tips=form.referral_tips.data or "",
                role=role,
            )
        except DomainError as exc:
            _field_error(form, exc)
            status = exc.status_code
        else:
            flash(_("Vastgelegd in de sociale kaart: Wie doet wat? toont het nu."), "success")
            return redirect(url_for("questions.detail", question_id=question.id))
    elif request.method == "POST":
        status = 400
    return render_template(
        "questions/keep_answer.html", form=form, answer=answer_row, question=question
    ), status


@bp.route("/zoeken")
@login_required
def find() -> tuple[str, int] | str:
    args = request.args
    error = None
    try:
        filters = search.Filters(
            topic=args.get("topic") or None,
            target_group=args.get("target_group") or None,
            area=args.get("area") or None,
            q=args.get("q", ""),
            status=search.parse_status(args.get("status"), QuestionStatus.RESOLVED),
        )
        results = search.search_questions(filters, current_user)
    except DomainError as exc:
        filters, results, error = search.Filters(), [], exc.message
    return render_template(
        "questions/search.html",
        status=args.get("status") or QuestionStatus.RESOLVED.value,
        filters=filters,
        results=results,
        error=error,
        topics=topic_choices(),
        groups=target_group_choices(),
        areas=area_choices(),
    ), (400 if error else 200)


@bp.route("/instellingen", methods=["GET", "POST"])
@login_required
def preferences() -> Response | str:
    services.require_member(current_user)
    form = PreferencesForm()
    if form.validate_on_submit():
        services.set_notify_questions(current_user, form.notify_questions.data)
        flash(_("Uw instelling is bewaard."), "success")
        return redirect(url_for("questions.preferences"))
    if request.method == "GET":
        form.notify_questions.data = services.notify_questions_enabled(current_user)
    return render_template("questions/preferences.html", form=form)
