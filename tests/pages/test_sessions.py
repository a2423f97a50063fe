"""A new password ends the user's other browser sessions and revokes their API tokens."""

from sqlalchemy import select

from tests.conftest import PASSWORD
from workflows.db import db
from workflows.models import ApiToken, User


def tokens_of(app, username):
    with app.app_context():
        user_id = db.session.execute(select(User.id).where(User.username == username)).scalar_one()
        return db.session.execute(select(ApiToken).where(ApiToken.user_id == user_id)).scalars().all()


def test_changing_ones_password_ends_the_other_sessions_and_tokens(app, api, browser):
    laptop, phone = browser("head_a"), browser("head_a")
    api.token("head_a")
    assert tokens_of(app, "head_a") and phone.get("/tasks").status_code == 200
    response = laptop.post_form("/account", "/account", {
        "pw-current_password": PASSWORD, "pw-new_password": "a new secret", "pw-confirm": "a new secret"})
    assert response.status_code == 302
    assert laptop.get("/tasks").status_code == 200  # where the change was made stays signed in
    stale = phone.get("/tasks")
    assert stale.status_code == 302 and "/sign-in" in stale.headers["Location"]
    assert api.as_("head_a").get("/me").status_code == 401 and tokens_of(app, "head_a") == []
    assert browser("head_b").get("/tasks").status_code == 200  # nobody else is affected


def test_a_wrong_current_password_ends_nothing(app, api, browser):
    laptop, phone = browser("head_a"), browser("head_a")
    api.token("head_a")
    response = laptop.post_form("/account", "/account", {
        "pw-current_password": "not it at all", "pw-new_password": "a new secret", "pw-confirm": "a new secret"})
    assert response.status_code == 200 and "Wrong password" in response.get_data(as_text=True)
    assert phone.get("/tasks").status_code == 200 and api.as_("head_a").get("/me").status_code == 200


def test_an_admin_reset_signs_the_user_out_everywhere(app, api, browser):
    rev_session = browser("rev")
    assert rev_session.get("/tasks").status_code == 200
    admin = browser("admin")
    response = admin.post_form("/admin/users/rev", "/admin/users/rev/password",
                               {"pw-password": "brand new secret", "pw-confirm": "brand new secret"})
    assert response.status_code == 302
    assert rev_session.get("/tasks").status_code == 302
    assert admin.get("/admin/users").status_code == 200
    fresh = browser().sign_in("rev", "brand new secret")
    assert fresh.get("/tasks").status_code == 200


def test_an_admin_resetting_their_own_password_stays_signed_in_here_only(browser):
    here, elsewhere = browser("admin"), browser("admin")
    response = here.post_form("/admin/users/admin", "/admin/users/admin/password",
                              {"pw-password": "brand new secret", "pw-confirm": "brand new secret"})
    assert response.status_code == 302
    assert here.get("/admin/users").status_code == 200
    assert elsewhere.get("/admin/users").status_code == 302


def test_a_deactivated_then_reactivated_user_must_sign_in_again(app, browser):
    from workflows import administration

    session = browser("rev")
    with app.app_context():
        admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
        rev = db.session.execute(select(User).where(User.username == "rev")).scalar_one()
        facts = {"full_name": rev.full_name, "email": rev.email, "unit_code": None, "roles": ["reviewer"]}
        administration.update_user(admin, "rev", active=False, **facts)
        administration.update_user(admin, "rev", active=True, **facts)
    assert session.get("/tasks").status_code == 302
