"""Signing in and out, the password, the sessions, the language."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from workflows.errors import InvalidData, NotAuthenticated, TooManyAttempts
from workflows.usecases import accounts, sessions

from .. import session_cookie, vocabulary
from ..i18n import LANGUAGES

bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))])


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[SelectChoice("", _l("As my browser"))] +
                         [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()])


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    form = SignInForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(form.username.data, form.password.data, channel="web")
        except NotAuthenticated as refusal:
            form.password.errors.append(vocabulary.describe(refusal).message)
            status = 401
        except TooManyAttempts as refusal:
            form.password.errors.append(vocabulary.describe(refusal).message)
            status, headers = 429, {"Retry-After": str(refusal.params["seconds"])}
        else:
            session_cookie.begin(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("inbox.index"))
    return render_template("auth/sign_in.html", form=form), status, headers


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: an open redirect would help phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.post("/sign-out")
@login_required
def sign_out():
    session_cookie.end()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form, language = PasswordForm(prefix="pw"), LanguageForm(prefix="lang", locale=current_user.locale or "")
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.new_password.data,
                                     hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except InvalidData as error:
            for name, message in vocabulary.describe(error).fields.items():
                getattr(form, name).errors.append(message)
        except TooManyAttempts as refusal:
            form.current_password.errors.append(vocabulary.describe(refusal).message)
            status, headers = 429, {"Retry-After": str(refusal.params["seconds"])}
        else:
            session_cookie.begin(current_user._get_current_object())  # this browser goes on, in a new session
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, language=language, end_others=FlaskForm(prefix="end"),
                           sessions=sessions.active(current_user, session_cookie.limits()),
                           this_session=session_cookie.current_session_id()), status, headers


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    if FlaskForm(prefix="end").validate_on_submit():
        ended = sessions.end_others(current_user, session_cookie.current_session_id())
        flash(_("Your other sessions were signed out (%(count)s).", count=ended) if ended
              else _("You had no other open session."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/language")
@login_required
def set_language():
    form = LanguageForm(prefix="lang")
    if form.validate_on_submit():
        accounts.set_locale(current_user, form.locale.data or None)
        refresh()  # the confirmation is worded in the language just chosen, as the next page will be
        flash(_("Language saved: the pages are now in English.") if form.locale.data else
              _("Language saved: the pages follow your browser's language."), "success")
    return redirect(_safe_next(request.form.get("next")) or url_for("inbox.index"))
