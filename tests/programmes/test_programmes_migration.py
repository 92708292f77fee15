"""The programmes migration (k1workspace01) on a database with data: each coordinator keeps their programme
as one they may switch to, and stored telephone numbers become E.164 where they read as one."""

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.conftest import _config_for
from tests.test_migrations import _empty_database_url

ROWS = [
    "INSERT INTO partnership (id, name) VALUES (1, 'P')",
    "INSERT INTO programme (id, partnership_id, name, general_instructions, min_sample, commendations_allowed,"
    " partners_named, retention_days, phone_shops_per_hour, exit_interviews_per_hour, visits_per_hour,"
    " give_up_minutes, timezone, created_at)"
    " VALUES (1, 1, 'Programme', '', 5, true, true, 365, 6, 2, 2, 10, 'Europe/London', CURRENT_TIMESTAMP)",
    "INSERT INTO organisation (id, partnership_id, name, short_name, tier) VALUES (1, 1, 'O', 'O', 'county')",
    "INSERT INTO contact_point (id, organisation_id, channel, name, locator, opening_hours, active)"
    " VALUES (1, 1, 'telephone', 'Line', '0113 496 0000', '', true),"
    " (2, 1, 'telephone', 'Odd', 'ask at reception', '', true),"
    " (3, 1, 'in_person', 'Hall', '0113 496 0000 High St', '', true)",
    "INSERT INTO user_account (id, email, display_name, password_hash, active, is_demo, staff_on_loan,"
    " programme_id, created_at) VALUES (1, 'c@example.test', 'C', 'x', true, false, false, 1, CURRENT_TIMESTAMP),"
    " (2, 's@example.test', 'S', 'x', true, false, false, 1, CURRENT_TIMESTAMP)",
    "INSERT INTO user_role (user_id, role) VALUES (1, 'coordinator'), (2, 'shopper')",
]


def test_existing_coordinators_and_numbers_are_carried_over(database_url, tmp_path):
    url, cleanup = _empty_database_url(database_url, tmp_path)
    try:
        app = create_app(_config_for(url))
        with app.app_context():
            upgrade(revision="h7results01")
            with db.engine.begin() as connection:
                for statement in ROWS:
                    connection.execute(sa.text(statement))
            upgrade(revision="k1workspace01")
            with db.engine.connect() as connection:
                members = connection.execute(
                    sa.text("SELECT programme_id, user_id FROM programme_coordinator")
                ).all()
                locators = dict(connection.execute(sa.text("SELECT id, locator FROM contact_point")).all())
                country = connection.execute(sa.text("SELECT country FROM programme")).scalar_one()
            assert members == [(1, 1)]  # the coordinator, not the shopper
            assert locators == {1: "+441134960000", 2: "ask at reception", 3: "0113 496 0000 High St"}
            assert country == "GB"
            db.engine.dispose()
    finally:
        cleanup()
