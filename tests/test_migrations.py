"""`flask db upgrade` on an empty database gives exactly the models' schema, on SQLite and PostgreSQL."""

import uuid

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.conftest import _config_for


def _empty_database_url(base_url: str, tmp_path):
    """A new, empty database beside the test one; returns (url, cleanup)."""
    if not base_url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'empty.db'}", lambda: None
    name = "parity_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)

    def cleanup():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, cleanup


def test_upgrade_from_empty_matches_the_models(database_url, tmp_path):
    url, cleanup = _empty_database_url(database_url, tmp_path)
    try:
        app = create_app(_config_for(url))
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "compare_server_default": False}
                )
                differences = compare_metadata(context, db.metadata)
            assert differences == [], differences
            downgrade(revision="base")  # every migration can be undone, too
            tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert tables == set()
            db.engine.dispose()
    finally:
        cleanup()


def test_altering_the_reports_table_keeps_every_row_that_references_it(database_url, tmp_path):
    """SQLite alters ``submission`` by copying it and dropping the old table, which with foreign keys
    enforced deletes every report's revisions and scores first (migrations/env.py turns them off while
    migrating). Down past k3queue01 and up again over the demo: every table keeps every row, and each
    report gets its assignment's wave and programme back."""
    from app.demo.data import load_demo

    url, cleanup = _empty_database_url(database_url, tmp_path)
    try:
        app = create_app(_config_for(url))
        with app.app_context():
            upgrade()
            load_demo(password_hash="x")
            db.session.commit()
            tables = sorted(set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"})

            def counts():
                with db.engine.connect() as connection:
                    return {t: connection.scalar(sa.text(f'SELECT count(*) FROM "{t}"')) for t in tables}

            before = counts()
            assert before["submission"] and before["report_result"]
            db.session.remove()
            downgrade(revision="k2partnertext01")
            upgrade()
            assert counts() == before
            with db.engine.connect() as connection:
                wrong = connection.scalar(
                    sa.text(
                        "SELECT count(*) FROM submission JOIN assignment ON assignment.id = submission.assignment_id "
                        "JOIN wave ON wave.id = assignment.wave_id "
                        "WHERE submission.programme_id != wave.programme_id OR submission.wave_id != wave.id"
                    )
                )
                assert wrong == 0
                if connection.dialect.name == "sqlite":
                    # The pool hands this connection out again: it must enforce foreign keys once more.
                    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            db.engine.dispose()
    finally:
        cleanup()
