"""The demo's outside benchmarks: a reference figure per channel, so that benchmark pages have one to show.

The figures are illustrative, not real survey results; the source says so.
"""

from app.extensions import db
from app.programmes.models import Channel, ReferenceFigure

REFERENCE_FIGURES = {
    Channel.telephone: 72.0,
    Channel.in_person: 78.0,
    Channel.email: 66.0,
    Channel.website: 61.0,
}
SOURCE = "Illustrative national average for the demo (not a real survey figure)"


def build_setup(partners) -> list[ReferenceFigure]:
    figures = [
        ReferenceFigure(programme_id=partners.programme.id, channel=channel, value=value, source=SOURCE)
        for channel, value in REFERENCE_FIGURES.items()
    ]
    db.session.add_all(figures)
    return figures
