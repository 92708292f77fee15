"""``flask results recompute``: score every approved report again and rebuild the roll-ups."""

import click
from flask.cli import AppGroup

from app.extensions import db

results_cli = AppGroup("results", help="Scores and roll-ups of approved reports.")
SHOWN_CHANGES = 20


@results_cli.command("recompute")
def recompute_command() -> None:
    """Rebuild every report's score and every roll-up, e.g. after a correction to scoring; says what changed."""
    from app.results.services import approved_count, recompute

    total = approved_count()
    with click.progressbar(length=total, label="Scoring approved reports") as bar:
        outcome = recompute(progress=bar.update)
    db.session.commit()
    click.echo(
        f"Scored {outcome.reports} approved reports into {outcome.cells} roll-up cells: "
        f"{len(outcome.changed)} scores changed, {outcome.new} newly scored, {outcome.removed} no longer approved."
    )
    for submission_id, old, new in outcome.changed[:SHOWN_CHANGES]:
        click.echo(f"  report {submission_id}: {_percent(old)} -> {_percent(new)}")
    if len(outcome.changed) > SHOWN_CHANGES:
        click.echo(f"  ... and {len(outcome.changed) - SHOWN_CHANGES} more.")


def _percent(score) -> str:
    return "not scored" if score is None else f"{score * 100:.1f}%"
