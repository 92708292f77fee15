"""``flask demo``: load the demo partnership into an empty database."""

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.extensions import db
from app.programmes.models import Partnership


@click.command("demo")
@click.option("--replace", is_flag=True, help="Delete every row of every table first, then load the demo.")
@with_appcontext
def demo_command(replace: bool) -> None:
    """Fill an empty database with a demo partnership, its programme, people and assignments.

    Refuses when the database already holds users or a partnership, unless
    --replace is given. The schema must exist (run `flask db upgrade` first).
    Every demo user signs in with the DEMO_PASSWORD setting.
    """
    from app.demo.data import load_demo

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo data is not for a production database.")
    if _holds_data() and not replace:
        raise click.ClickException(
            "The database already holds users or a partnership; nothing was changed. "
            "Use --replace to delete everything and load the demo again."
        )
    if replace:
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
    password = current_app.config["DEMO_PASSWORD"]
    summary = load_demo(hash_password(password))  # hashed once: argon2 is slow on purpose
    db.session.commit()

    click.echo(
        f"Loaded the demo partnership: {summary['organisations']} organisations, "
        f"{summary['contact_points']} contact points, {summary['scenarios']} scenarios, "
        f"{summary['questionnaires']} questionnaires, {summary['users']} users, "
        f"{summary['assignments']} assignments, {summary['reports']} reports."
    )
    click.echo(f"Sign in with password {password!r} as:")
    for email, note in summary["sign_ins"]:
        click.echo(f"  {email:<24} {note}")


def _holds_data() -> bool:
    try:
        return bool(
            db.session.scalar(sa.select(sa.exists().select_from(User)))
            or db.session.scalar(sa.select(sa.exists().select_from(Partnership)))
        )
    except sa.exc.DBAPIError as error:
        raise click.ClickException(
            f"Cannot read the database ({error.orig}); run `flask db upgrade` first."
        ) from error
