"""Signing in and out, the password, the language."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from workflows import accounts
from workflows.errors import InvalidData, NotAuthenticated, TooManyAttempts

from .. import vocabulary
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
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(form.username.data, form.password.data, channel="web")
        except (NotAuthenticated, TooManyAttempts) as refusal:
            form.password.errors.append(_("Too many failed sign-ins; try again later.")
                                        if isinstance(refusal, TooManyAttempts)
                                        else _("Unknown username or wrong password."))
            status = 429 if isinstance(refusal, TooManyAttempts) else 401
        else:
            login_user(user, remember=False)
            return redirect(_safe_next(request.args.get("next")) or url_for("inbox.index"))
    return render_template("auth/sign_in.html", form=form), status


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: an open redirect would help phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.post("/sign-out")
@login_required
def sign_out():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form, language = PasswordForm(prefix="pw"), LanguageForm(prefix="lang", locale=current_user.locale or "")
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.new_password.data,
                                     hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except InvalidData as error:
            for name, message in vocabulary.describe(error).fields.items():
                getattr(form, name).errors.append(message)
        else:
            login_user(current_user._get_current_object(), remember=False)  # this session stays signed in
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, language=language)


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
