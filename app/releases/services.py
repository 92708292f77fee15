"""Release of a wave's results to partner organisations: the public interface other features import.

Stable names (the plans feature relies on them): ``current_release``, ``released_waves``,
``is_released``, ``released_figures``, ``released_report_ids``. The rest — ``close_review``,
``release``, ``release_all``, ``withdraw``, ``preview`` — are the coordinator's actions. Plain functions:
they take model objects and values, add to the session and never commit (the caller commits once).
"""

import hashlib
import json

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, defer

from app.accounts.models import User
from app.audit import services as audit
from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Organisation, Wave, WaveStatus
from app.releases.models import Release, ReleasedReport
from app.releases.snapshot import partner_figures
from app.results.models import ReportResult
from app.visits.models import Submission, SubmissionState

# For lists of releases that show none of their figures: the JSON of each is the bulk of its row.
WITHOUT_FIGURES = (defer(Release.figures), defer(Release.changes))

# A wave's review is closed (no new bookings; late reports are still reviewed) once it is closed or published.
REVIEW_CLOSED = (WaveStatus.closed, WaveStatus.published)


class ReleaseRefused(Exception):
    """A release the rules forbid; ``code`` is stable, the message is for a person."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# --- reading: what a partner may see ----------------------------------------------------------------


def _current():
    return sa.select(Release).where(Release.withdrawn_at.is_(None))


def current_release(wave_id: int, organisation_id: int) -> Release | None:
    """The release the partner sees for this wave: the latest not withdrawn, or None."""
    return db.session.scalars(
        _current()
        .where(Release.wave_id == wave_id, Release.organisation_id == organisation_id)
        .order_by(Release.id.desc())
        .limit(1)
    ).first()


def _current_ids(per, *where):
    """The id of the current release (the latest not withdrawn) of each ``per`` value, among ``where``."""
    return sa.select(sa.func.max(Release.id)).where(Release.withdrawn_at.is_(None), *where).group_by(per)


def current_releases(organisation_id: int) -> list[Release]:
    """The organisation's current release of every released wave, oldest wave first (each with its wave)."""
    return list(
        db.session.scalars(
            sa.select(Release)
            .join(Release.wave)
            .options(contains_eager(Release.wave))
            .where(Release.id.in_(_current_ids(Release.wave_id, Release.organisation_id == organisation_id)))
            .order_by(Wave.number)
        )
    )


def released_waves(organisation_id: int) -> list[Wave]:
    """The waves released to the organisation (and not withdrawn), oldest first."""
    return list(
        db.session.scalars(
            sa.select(Wave)
            .join(Release, Release.wave_id == Wave.id)
            .where(Release.id.in_(_current_ids(Release.wave_id, Release.organisation_id == organisation_id)))
            .order_by(Wave.number)
        )
    )


def current_releases_of_wave(wave: Wave) -> dict[int, Release]:
    """{organisation id: the release it sees} of the wave, for the organisations it is released to; a release's
    figures and changes are read only if asked for (a query each), as the wave's page never does."""
    current = _current_ids(Release.organisation_id, Release.wave_id == wave.id)
    query = sa.select(Release).where(Release.id.in_(current)).options(*WITHOUT_FIGURES)
    return {r.organisation_id: r for r in db.session.scalars(query)}


def is_released(wave_id: int, organisation_id: int) -> bool:
    return current_release(wave_id, organisation_id) is not None


def released_figures(wave_id: int, organisation_id: int) -> dict | None:
    """The figures the partner sees for the wave (``app.releases.snapshot`` documents them), or None."""
    release = current_release(wave_id, organisation_id)
    return release.figures if release else None


def released_report_ids(organisation_id: int, wave_id: int | None = None):
    """A SELECT of the submission ids in the organisation's current releases (of one wave, or all): the
    only reports a partner's log and exports may hold."""
    latest = sa.select(sa.func.max(Release.id)).where(
        Release.organisation_id == organisation_id, Release.withdrawn_at.is_(None)
    )
    if wave_id is not None:
        latest = latest.where(Release.wave_id == wave_id)
    return sa.select(ReleasedReport.submission_id).where(
        ReleasedReport.release_id.in_(latest.group_by(Release.wave_id))
    )


def shopper_identities(report_ids) -> list[str]:
    """The names and e-mails of the shoppers of ``report_ids`` (a SELECT of submission ids): read only to be
    removed from the free text a partner reads."""
    rows = db.session.execute(
        sa.select(User.display_name, User.email).where(
            User.id.in_(sa.select(Submission.shopper_id).where(Submission.id.in_(report_ids)))
        )
    ).all()
    return [value for row in rows for value in row]


# --- the coordinator's actions ----------------------------------------------------------------------


def preview(wave: Wave, organisation: Organisation) -> dict:
    """What the partner would see if the wave were released to it now."""
    return partner_figures(wave.programme, wave, organisation)


def digest(figures: dict) -> str:
    """A short fingerprint of figures, to tell whether what was previewed is still what would be released."""
    canonical = json.dumps(figures, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def awaiting_review(wave: Wave) -> int:
    """Reports of the wave still to be reviewed (submitted or in review)."""
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Submission.wave_id == wave.id,
            Submission.state.in_([SubmissionState.submitted, SubmissionState.in_review]),
        )
    )


def close_review(wave: Wave, actor) -> None:
    """Close the wave's review so that it may be released: no new bookings; late reports are still
    reviewed, and reach partners at the next release."""
    if wave.status in REVIEW_CLOSED:
        return
    waiting = awaiting_review(wave)
    wave.status = WaveStatus.closed
    audit.record("wave.review_closed", wave, actor, awaiting_review=waiting)


def approved_ids_query(wave: Wave, organisation: Organisation):
    """A SELECT of the organisation's approved reports of the wave now: what a release would hold. They are
    the wave's scored reports, which its figures add up (a report is scored when it is approved)."""
    return sa.select(ReportResult.submission_id).where(
        ReportResult.wave_id == wave.id, ReportResult.organisation_id == organisation.id
    )


def approved_counts(wave: Wave) -> dict[int, int]:
    """{organisation id: its approved reports of the wave now}, for the organisations that have any."""
    query = (
        sa.select(ReportResult.organisation_id, sa.func.count())
        .where(ReportResult.wave_id == wave.id)
        .group_by(ReportResult.organisation_id)
    )
    return dict(db.session.execute(query).all())


def _approved_ids(wave: Wave, organisation: Organisation) -> list[int]:
    return list(
        db.session.scalars(approved_ids_query(wave, organisation).order_by(ReportResult.submission_id))
    )


def release(wave: Wave, organisation: Organisation, actor, figures: dict | None = None) -> Release:
    """Release the wave to one organisation: its figures and reports as they are now (``figures``: the
    preview the coordinator saw, so that what was checked is exactly what is released)."""
    if wave.status not in REVIEW_CLOSED:
        raise ReleaseRefused("review_open", "Close the wave's review before releasing its results.")
    if organisation.partnership_id != wave.programme.partnership_id:
        raise ReleaseRefused("not_a_partner", "This organisation is not a partner of the programme.")
    previous = current_release(wave.id, organisation.id)
    figures = figures if figures is not None else preview(wave, organisation)
    report_ids = _approved_ids(wave, organisation)
    made = Release(
        programme_id=wave.programme_id,
        wave_id=wave.id,
        organisation_id=organisation.id,
        released_by_id=actor.id if actor is not None else None,
        reports=len(report_ids),
        figures=figures,
        changes=changes_between(previous.figures, figures) if previous else [],
    )
    db.session.add(made)
    db.session.flush()
    if report_ids:
        db.session.execute(
            sa.insert(ReleasedReport), [{"release_id": made.id, "submission_id": i} for i in report_ids]
        )
    wave.status = WaveStatus.published
    audit.record(
        "release.made",
        made,
        actor,
        wave_id=wave.id,
        organisation_id=organisation.id,
        reports=len(report_ids),
        replaces=previous.id if previous else None,
    )
    return made


def release_all(wave: Wave, actor) -> list[Release]:
    """Release the wave to every partner organisation of the programme at once."""
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.partnership_id == wave.programme.partnership_id)
        .order_by(Organisation.name)
    ).all()
    return [release(wave, organisation, actor) for organisation in organisations]


def withdraw(made: Release, actor, reason: str) -> None:
    """Withdraw a release made in error: the partner no longer sees it (an earlier release of the same
    wave, if any, is what they see again)."""
    if made.withdrawn:
        return
    made.withdrawn_at = utcnow()
    made.withdrawn_by_id = actor.id if actor is not None else None
    made.withdrawal_reason = reason
    audit.record(
        "release.withdrawn",
        made,
        actor,
        wave_id=made.wave_id,
        organisation_id=made.organisation_id,
        reason=reason,
    )


def changes_between(before: dict, after: dict) -> list[dict]:
    """What a new release changed for the partner: its reports, score, and each channel's and service area's
    score, as ``{"label", "before", "after"}`` (figures as rates; ``None`` where there was none)."""
    changed = []

    def add(label, old, new):
        if (old or {}).get("k") != (new or {}).get("k") or (old or {}).get("n") != (new or {}).get("n"):
            changed.append({"label": label, "before": old, "after": new})

    add("Score", (before.get("headline") or {}).get("score"), (after.get("headline") or {}).get("score"))
    for key, noun in (("by_channel", "channel"), ("by_service_area", "service_area")):
        old = {r[noun]["id"]: r for r in before.get(key, [])}
        new = {r[noun]["id"]: r for r in after.get(key, [])}
        for group_id in list(new) + [i for i in old if i not in new]:
            row = new.get(group_id) or old[group_id]
            add(
                f"Score: {row[noun]['name']}",
                old.get(group_id, {}).get("score"),
                new.get(group_id, {}).get("score"),
            )
    return changed
