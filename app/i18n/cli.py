"""``flask translations update`` (new strings into each catalogue) and ``flask translations compile``."""

import click
from flask.cli import AppGroup

translations_cli = AppGroup("translations", help="The catalogues of the app's strings in each language.")


@translations_cli.command("update")
def update_command() -> None:
    """Extract every marked string and add the new ones, untranslated, to each language's messages.po."""
    from app.i18n.extract import compile_all, update

    for code, missing in update().items():
        click.echo(
            f"{code}: {missing} string(s) to translate in app/translations/{code}/LC_MESSAGES/messages.po"
        )
    compile_all()


@translations_cli.command("compile")
def compile_command() -> None:
    """Compile each messages.po into the messages.mo that pages and the shopper app read."""
    from app.i18n.extract import compile_all

    compile_all()
    click.echo("Compiled.")
