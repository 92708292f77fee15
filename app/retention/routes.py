"""The deletion log page: what the retention job deleted from a programme's reports, newest first."""

import sqlalchemy as sa
from flask import render_template, request

from app.accounts.permissions import staff_required
from app.extensions import db
from app.programmes.access import get_programme
from app.results.figures import CHANNEL_NAMES
from app.retention import bp
from app.retention.models import RetentionDeletion

PER_PAGE = 50


@bp.get("/programmes/<id:programme_id>/deletions")
@staff_required
def deletions(programme_id):
    programme = get_programme(programme_id)
    query = (
        sa.select(RetentionDeletion)
        .where(RetentionDeletion.programme_id == programme.id)
        .order_by(RetentionDeletion.deleted_at.desc(), RetentionDeletion.id.desc())
    )
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    rows = [(entry, _what(entry)) for entry in page.items]
    return render_template(
        "retention/deletions.html",
        programme=programme,
        pagination=page,
        rows=rows,
        channel_names=CHANNEL_NAMES,
    )


FIELD_NAMES = {"notes": "Notes", "commendation": "Commendation"}


def _what(entry: RetentionDeletion) -> list[str]:
    """What was deleted, in words: the free-text questions by their text, photos by count and size."""
    version = entry.submission.questionnaire_version
    texts = {q.key: q.text for q in version.questions}
    parts = [FIELD_NAMES.get(k) or f"the answer to “{texts.get(k, k)}”" for k in entry.text_fields]
    if entry.photos:
        size = f"{entry.photo_bytes / 1024:,.0f} KB"
        parts.append(f"{entry.photos} photo{'s' if entry.photos != 1 else ''} ({size})")
    if entry.revisions:
        parts.append(f"the same from {entry.revisions} earlier version{'s' if entry.revisions != 1 else ''}")
    return parts
