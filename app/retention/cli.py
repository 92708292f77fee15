"""``flask retention run [--dry-run]``: delete what is past each programme's retention period, daily."""

import click
from flask.cli import AppGroup

from app.db_types import utcnow
from app.extensions import db

retention_cli = AppGroup("retention", help="Deleting exit-interview free text and photos past their period.")


def describe(item) -> str:
    """One line a coordinator can read: which report, collected when, and what of it goes."""
    parts = []
    if item.text_fields:
        parts.append("free text (" + ", ".join(item.text_fields) + ")")
    if item.photos:
        parts.append(f"{item.photos} photo{'s' if item.photos != 1 else ''} ({item.photo_bytes:,} bytes)")
    if item.revisions:
        parts.append(f"the same from {item.revisions} earlier revision{'s' if item.revisions != 1 else ''}")
    return (
        f"report {item.submission.id} ({item.submission.kind.value.replace('_', ' ')}, "
        f"collected {item.collected_at:%Y-%m-%d}) in {item.programme.name} "
        f"(kept {item.programme.retention_days} days): " + "; ".join(parts)
    )


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def run_command(dry_run: bool) -> None:
    """Delete exit-interview free text and evidence photos older than the programme's retention period,
    and log each deletion (the coordinator reads the log under Set-up, "Deletions")."""
    from app.retention.services import delete_due, due_for_deletion

    now = utcnow()
    due = due_for_deletion(now)
    lines = [describe(item) for item in due]
    if dry_run:
        db.session.rollback()
        for line in lines:
            click.echo("Would delete " + line)
        click.echo(
            f"Dry run: {len(due)} report(s) have something past the retention period; nothing deleted."
        )
        return
    delete_due(due, now)
    db.session.commit()
    for line in lines:
        click.echo("Deleted " + line)
    click.echo(f"Deleted free text or photos from {len(due)} report(s); each is in the deletion log.")
