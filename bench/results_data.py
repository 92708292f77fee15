"""The results benchmark's data: a partnership of 11 organisations, 6 service areas, a contact point per
organisation and channel, 3 waves, the demo's questionnaires, and N approved reports with their answers and
call logs, bulk-inserted (the generation is not what is measured). The roll-ups are then built by the app's
own ``recompute``, as after a scoring correction."""

import hashlib
import random
import uuid
from datetime import UTC, date, datetime, timedelta

import click
import sqlalchemy as sa

from app.accounts.models import Role, User, UserRole
from app.assignments.models import Assignment, AssignmentState
from app.demo.data import SERVICE_AREAS, STANDARDS
from app.demo.questionnaires import build_questionnaires
from app.demo.reports import _SKIP, _answer, _call_log
from app.extensions import db
from app.programmes.models import (
    Channel,
    ContactPoint,
    Organisation,
    Partnership,
    Programme,
    ReferenceFigure,
    Scenario,
    ServiceArea,
    ServiceStandard,
    Tier,
    Wave,
    WaveStatus,
)
from app.visits.models import KIND_FOR_CHANNEL, Submission, SubmissionState

ORGANISATIONS = 11
WAVES = 3
SHOPPERS = 60
BATCH = 5000
COORDINATOR = "coordinator@bench.test"


def build_partnership(password_hash: str) -> tuple:
    partnership = Partnership(name="Bench Partnership")
    areas = [ServiceArea(partnership=partnership, code=code, name=name) for code, name, _ in SERVICE_AREAS]
    organisations = [
        Organisation(
            partnership=partnership,
            name=f"Council {number:02d}",
            short_name=f"C{number:02d}",
            tier=Tier.county if number == 1 else Tier.district,
        )
        for number in range(1, ORGANISATIONS + 1)
    ]
    points = {}
    for organisation in organisations:
        for channel in Channel:
            if channel is Channel.exit_interview:
                continue  # exit interviews are done at the in-person point
            points[(organisation.name, channel)] = ContactPoint(
                organisation=organisation,
                channel=channel,
                name=f"{organisation.short_name} {channel.value.replace('_', ' ')}",
                locator="somewhere",
                service_areas=areas,
            )
    programme = Programme(partnership=partnership, name="Bench programme")
    db.session.add_all([partnership, programme, *points.values()])
    db.session.flush()
    standards = {s["code"]: ServiceStandard(programme_id=programme.id, **s) for s in STANDARDS}
    waves = [
        Wave(
            programme=programme,
            number=n,
            name=f"Wave {n}",
            starts_on=date(2026, 1, 1) + timedelta(days=120 * (n - 1)),
            ends_on=date(2026, 1, 1) + timedelta(days=120 * (n - 1) + 60),
            status=WaveStatus.closed,
        )
        for n in range(1, WAVES + 1)
    ]
    scenarios = [
        Scenario(programme=programme, service_area=area, title=area.name, persona="A resident", question="?")
        for area in areas
    ] + [
        Scenario(
            programme=programme,
            service_area=areas[0],
            title="Cross-tier",
            persona="A resident",
            question="?",
            cross_tier=True,
        )
    ]
    db.session.add_all([*standards.values(), *waves, *scenarios])
    db.session.add(
        ReferenceFigure(programme=programme, channel=Channel.telephone, value=70.0, source="Bench")
    )
    versions = build_questionnaires(programme, standards)
    shoppers = [
        User(email=f"shopper{n}@bench.test", display_name=f"Shopper {n}", password_hash=password_hash)
        for n in range(SHOPPERS)
    ]
    for shopper in shoppers:
        shopper.role_rows = [UserRole(role=Role.shopper)]
    coordinator = User(
        email=COORDINATOR, display_name="Coordinator", password_hash=password_hash, programme=programme
    )
    coordinator.role_rows = [UserRole(role=Role.coordinator)]
    db.session.add_all([*shoppers, coordinator])
    db.session.flush()
    return programme, organisations, points, waves, scenarios, versions, shoppers


def generate(reports: int, password_hash: str, seed: int = 17) -> dict:
    """Everything, committed; returns the number of answers written."""
    chance = random.Random(seed)
    programme, organisations, points, waves, scenarios, versions, shoppers = build_partnership(password_hash)
    questions = {
        channel: [q for section in version.sections for q in section.questions]
        for channel, version in versions.items()
    }
    # Each organisation has its own level, so the league tables and the changes have something to show.
    levels = {o.id: 0.55 + 0.4 * chance.random() for o in organisations}
    channels = list(Channel)
    next_id = (db.session.scalar(sa.select(sa.func.max(Assignment.id))) or 0) + 1
    answers_written = 0
    with click.progressbar(length=reports, label="Generating approved reports") as bar:
        for start in range(0, reports, BATCH):
            assignments, submissions = [], []
            for index in range(start, min(reports, start + BATCH)):
                organisation = organisations[index % ORGANISATIONS]
                channel = channels[(index // ORGANISATIONS) % len(channels)]
                wave = waves[(index // (ORGANISATIONS * len(channels))) % WAVES]
                scenario = scenarios[chance.randrange(len(scenarios))]
                point = points[
                    (organisation.name, Channel.in_person if channel is Channel.exit_interview else channel)
                ]
                version = versions[channel]
                shopper = shoppers[index % SHOPPERS]
                begins = datetime.combine(wave.starts_on, datetime.min.time(), tzinfo=UTC) + timedelta(
                    hours=chance.randrange(24 * 50)
                )
                level = levels[organisation.id] + 0.05 * wave.number
                answers = _answers(questions[channel], chance, level)
                answers_written += len(answers)
                kind = KIND_FOR_CHANNEL[channel]
                assignments.append(
                    dict(
                        id=next_id,
                        wave_id=wave.id,
                        shopper_id=shopper.id,
                        contact_point_id=point.id,
                        scenario_id=scenario.id,
                        questionnaire_version_id=version.id,
                        channel=channel,
                        window_starts_at=begins,
                        window_ends_at=begins + timedelta(days=7),
                        state=AssignmentState.approved,
                    )
                )
                submissions.append(
                    dict(
                        uuid=uuid.UUID(int=chance.getrandbits(128), version=4),
                        assignment_id=next_id,
                        wave_id=wave.id,
                        programme_id=wave.programme_id,
                        shopper_id=shopper.id,
                        kind=kind,
                        questionnaire_version_id=version.id,
                        started_at=begins + timedelta(hours=1),
                        completed_at=begins + timedelta(hours=2),
                        received_at=begins + timedelta(hours=3),
                        state=SubmissionState.approved,
                        flags=[],
                        answers=answers,
                        evidence=[],
                        replies=[],
                        call_log=_call_log(begins, chance) if channel is Channel.telephone else None,
                        content_hash=hashlib.sha256(str(next_id).encode()).hexdigest(),
                        reviewed_at=begins + timedelta(days=1),
                    )
                )
                next_id += 1
            db.session.execute(sa.insert(Assignment), assignments)
            db.session.execute(sa.insert(Submission), submissions)
            bar.update(len(assignments))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('assignment', 'id'), max(id)) FROM assignment")
        )
    for version in versions.values():
        version.frozen_at = datetime.now(UTC)
    db.session.commit()
    return {"answers": answers_written, "programme_id": programme.id}


def _answers(questions, chance: random.Random, level: float) -> dict:
    answers = {}
    for question in questions:
        value = _answer(question, chance)
        if value is _SKIP:
            continue
        if isinstance(value, bool) and question.key != "consent":
            value = chance.random() < level  # the organisation's level sets how often the answer is yes
        answers[question.key] = value
    return answers
