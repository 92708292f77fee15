"""A programme's life: made from nothing or as a copy of a finished one, with its first wave; archived
when finished; and the programmes a coordinator switches between. The caller commits.

Organisations, service areas and contact points belong to a partnership, not a programme: a copy in
the source's partnership shares them, a copy into a new partnership gets copies of them. Everything
else a programme is made of (settings, scenarios, standards, reference figures, the confidentiality
statement, the knowledge quiz, each questionnaire's latest version as a new draft) is copied.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.accounts.models import ConfidentialityStatement, Role
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError
from app.extensions import db
from app.labels import label
from app.programmes.access import may_work_in
from app.programmes.models import (
    ContactPoint,
    Organisation,
    Partnership,
    Programme,
    ProgrammeCoordinator,
    ReferenceFigure,
    Scenario,
    ServiceArea,
    ServiceStandard,
    Wave,
    WaveStatus,
)
from app.programmes.services import FieldInvalid
from app.questionnaires import exchange
from app.questionnaires import services as questionnaire_services
from app.questionnaires.models import Questionnaire, QuestionnaireVersion
from app.recruitment.models import QuizQuestion, TrainingQuiz

# What a copy takes over from its source as it is (the name, country and clock come from the form).
COPIED_SETTINGS = (
    "general_instructions",
    "min_sample",
    "commendations_allowed",
    "partners_named",
    "retention_days",
    "phone_shops_per_hour",
    "exit_interviews_per_hour",
    "visits_per_hour",
    "give_up_minutes",
)
FINISHED = {WaveStatus.closed, WaveStatus.published}


@dataclass
class NewProgramme:
    """What the new-programme form asks for."""

    name: str
    country: str
    timezone: str
    wave_name: str
    wave_starts_on: date
    wave_ends_on: date
    partnership: Partnership | None = None  # None: a new one named ``new_partnership_name``
    new_partnership_name: str = ""
    source: Programme | None = None  # copy this one


# --- who may use which programme ------------------------------------------------------------------------------


def coordinated(user, include_archived=True) -> list[Programme]:
    """The programmes ``user`` may work in: an admin all of them; a coordinator those they are part of
    (and the one they are in now)."""
    query = sa.select(Programme).order_by(Programme.archived_at.is_not(None), Programme.name, Programme.id)
    if not user.has_role(Role.admin):
        mine = sa.select(ProgrammeCoordinator.programme_id).where(ProgrammeCoordinator.user_id == user.id)
        query = query.where(sa.or_(Programme.id.in_(mine), Programme.id == user.programme_id))
    if not include_archived:
        query = query.where(Programme.archived_at.is_(None))
    return list(db.session.scalars(query))


def partnerships_of(user) -> list[Partnership]:
    """The partnerships a new programme of ``user``'s may join: those of their programmes (an admin: all)."""
    query = sa.select(Partnership).order_by(Partnership.name, Partnership.id)
    if not user.has_role(Role.admin):
        ids = {p.partnership_id for p in coordinated(user)}
        query = query.where(Partnership.id.in_(ids))
    return list(db.session.scalars(query))


def _join(user, programme_id: int | None) -> None:
    if programme_id is None or not user.has_role(Role.coordinator):
        return
    if db.session.get(ProgrammeCoordinator, {"programme_id": programme_id, "user_id": user.id}) is None:
        db.session.add(ProgrammeCoordinator(programme_id=programme_id, user_id=user.id))


def switch(user, programme: Programme) -> None:
    """Make ``programme`` the one ``user`` works in; the one they leave stays theirs to come back to."""
    if not may_work_in(user, programme):
        raise DomainError("not_yours", "This programme is not one of yours.")
    _join(user, user.programme_id)
    _join(user, programme.id)
    if user.programme_id != programme.id:
        previous = user.programme_id
        user.programme_id = programme.id
        record("programme.switched", programme, actor=user, previous=previous)


# --- making one -----------------------------------------------------------------------------------------------


def unfinished_waves(programme: Programme) -> list[Wave]:
    return [w for w in programme.waves if w.status not in FINISHED]


def _still_running(programme: Programme) -> str | None:
    waves = unfinished_waves(programme)
    if not waves:
        return None
    names = ", ".join(f"{w.name} ({label(w.status).lower()})" for w in waves)
    return f"“{programme.name}” is still running: {names}. Close its waves first."


def create(values: NewProgramme, actor) -> Programme:
    """A new programme, from nothing or as a copy of ``values.source``, with its first wave.

    ``FieldInvalid`` names the form field: a source still running (a copy is made from a finished
    programme, so that its questionnaires and settings are the ones that were used), a copy into
    another existing partnership (whose organisations would clash with the copied ones), a first
    wave whose dates are out of order.
    """
    source = values.source
    if source is not None and (reason := _still_running(source)):
        raise FieldInvalid("source_id", reason, code="source_still_running")
    if values.wave_ends_on < values.wave_starts_on:
        raise FieldInvalid("wave_ends_on", "The first wave must end on or after the day it starts.")
    partnership = values.partnership
    if source is not None and partnership is not None and partnership.id != source.partnership_id:
        raise FieldInvalid(
            "partnership_id",
            f"A copy goes into the partnership of “{source.name}” or into a new one: "
            "another partnership has organisations of its own.",
        )
    if partnership is None:
        partnership = Partnership(name=values.new_partnership_name.strip())
        db.session.add(partnership)
        db.session.flush()
        record("partnership.created", partnership, actor=actor, name=partnership.name)
    programme = Programme(
        partnership_id=partnership.id, name=values.name, country=values.country, timezone=values.timezone
    )
    if source is not None:
        for name in COPIED_SETTINGS:
            setattr(programme, name, getattr(source, name))
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        Wave(
            programme_id=programme.id,
            number=1,
            name=values.wave_name,
            starts_on=values.wave_starts_on,
            ends_on=values.wave_ends_on,
        )
    )
    copied = _copy(source, programme, partnership, actor) if source is not None else {}
    db.session.flush()
    record(
        "programme.created",
        programme,
        actor=actor,
        name=programme.name,
        partnership_id=partnership.id,
        copied_from=source.id if source is not None else None,
        copied=copied,
    )
    if actor.has_role(Role.coordinator):  # its maker coordinates it, and works in it from now on
        _join(actor, programme.id)
        db.session.flush()
        switch(actor, programme)
    return programme


def _copy(source: Programme, programme: Programme, partnership: Partnership, actor) -> dict:
    """Copy ``source``'s parts into ``programme``; returns how many of each, for the audit and the page."""
    areas = {area.id: area for area in source.partnership.service_areas}
    counts = {}
    if partnership.id != source.partnership_id:
        areas = _copy_partnership(source.partnership, partnership, counts)
    scenarios = db.session.scalars(
        sa.select(Scenario).filter_by(programme_id=source.id).order_by(Scenario.id)
    )
    counts["scenarios"] = 0
    for s in scenarios:
        db.session.add(
            Scenario(
                programme_id=programme.id,
                service_area=areas[s.service_area_id],
                title=s.title,
                persona=s.persona,
                question=s.question,
                cross_tier=s.cross_tier,
                expected_outcome=s.expected_outcome,
            )
        )
        counts["scenarios"] += 1
    counts["standards"] = _copy_rows(
        ServiceStandard, source, programme, ("code", "name", "channel", "threshold", "unit")
    )
    counts["reference_figures"] = _copy_rows(
        ReferenceFigure, source, programme, ("channel", "value", "source")
    )
    statement = db.session.scalar(
        sa.select(ConfidentialityStatement)
        .filter_by(programme_id=source.id)
        .order_by(ConfidentialityStatement.version.desc())
        .limit(1)
    )
    if statement is not None:
        db.session.add(ConfidentialityStatement(programme_id=programme.id, version=1, text=statement.text))
    quiz = db.session.scalar(sa.select(TrainingQuiz).filter_by(programme_id=source.id))
    if quiz is not None:
        db.session.add(
            TrainingQuiz(
                programme_id=programme.id,
                pass_mark=quiz.pass_mark,
                questions=[
                    QuizQuestion(
                        position=q.position,
                        text=q.text,
                        options=list(q.options),
                        correct_option=q.correct_option,
                        explanation=q.explanation,
                    )
                    for q in quiz.questions
                ],
            )
        )
    db.session.flush()  # the standards, before questions name them by code
    counts["questionnaires"] = 0
    for questionnaire in db.session.scalars(
        sa.select(Questionnaire).filter_by(programme_id=source.id).order_by(Questionnaire.id)
    ):
        latest = db.session.scalar(
            sa.select(QuestionnaireVersion)
            .filter_by(questionnaire_id=questionnaire.id)
            .order_by(QuestionnaireVersion.number.desc())
            .limit(1)
        )
        if latest is None:
            continue
        questionnaire_services.create_from_content(
            programme, exchange.export(latest), actor, action="questionnaire.copied"
        )
        counts["questionnaires"] += 1
    return counts


def _copy_rows(model, source: Programme, programme: Programme, fields) -> int:
    rows = db.session.scalars(sa.select(model).filter_by(programme_id=source.id).order_by(model.id)).all()
    for item in rows:
        db.session.add(model(programme_id=programme.id, **{name: getattr(item, name) for name in fields}))
    return len(rows)


def _copy_partnership(old: Partnership, new: Partnership, counts: dict) -> dict[int, ServiceArea]:
    """Copies of ``old``'s organisations, service areas and contact points in ``new``; the areas by old id."""
    areas = {}
    for area in sorted(old.service_areas, key=lambda a: a.id):
        areas[area.id] = ServiceArea(partnership=new, code=area.code, name=area.name)
        db.session.add(areas[area.id])
    points = 0
    for organisation in sorted(old.organisations, key=lambda o: o.id):
        copy = Organisation(
            partnership=new,
            name=organisation.name,
            short_name=organisation.short_name,
            tier=organisation.tier,
        )
        db.session.add(copy)
        for point in sorted(organisation.contact_points, key=lambda p: p.id):
            db.session.add(
                ContactPoint(
                    organisation=copy,
                    channel=point.channel,
                    name=point.name,
                    locator=point.locator,
                    opening_hours=point.opening_hours,
                    active=point.active,
                    service_areas=[areas[a.id] for a in point.service_areas],
                )
            )
            points += 1
    counts.update(
        organisations=len(old.organisations), service_areas=len(old.service_areas), contact_points=points
    )
    return areas


# --- putting one away -----------------------------------------------------------------------------------------


def archive(programme: Programme, actor) -> None:
    """Put a finished programme away: off the switcher, its set-up read-only, its results kept."""
    if programme.archived_at is not None:
        raise DomainError("already_archived", f"“{programme.name}” is archived already.")
    if reason := _still_running(programme):
        raise DomainError("still_running", reason + " A programme is archived when it has finished.")
    programme.archived_at = utcnow()
    record("programme.archived", programme, actor=actor)


def restore(programme: Programme, actor) -> None:
    if programme.archived_at is None:
        raise DomainError("not_archived", f"“{programme.name}” is not archived.")
    programme.archived_at = None
    record("programme.restored", programme, actor=actor)
