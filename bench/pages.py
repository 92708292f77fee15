"""Every page and API route at programme scale: the demo, grown to ``--reports`` reports, timed page by page.

    python bench/pages.py --reports 100000                       # SQLite, a file in a temporary folder
    python bench/pages.py --reports 100000 --db postgresql --pg-url postgresql+psycopg://postgres@127.0.0.1:55434/postgres

1. A fresh database (the real migrations) with the demo (``flask demo``'s ``load_demo``), timed as is: the
   demo-size figures.
2. Grown with bulk INSERTs that make the rows the app's services make (``grow``): 300 more gated shoppers, the
   programme's waves up to 12, one assignment per report over those waves on the demo's own (contact point,
   scenario, questionnaire version) combinations, the reports (about half approved, 48% waiting for review, the
   rest returned or rejected; 6% flagged late, 1% a second report, 1% imported; each with the answers of a demo
   report of its questionnaire), three audit events per report, 300 open briefs more for shopper1@demo.test
   and 150 pending applicants with quiz attempts. Then scored by the app's ``recompute`` and released by its
   release services, as the coordinator does: the demo's released wave again (with its grown reports) and the
   three latest grown waves, each to every organisation (``release_grown``).
   With ``--small N`` (10,000 unless 0) it is grown to N reports first, timed (the small-programme figures:
   every list the bench times has a page of rows, where the demo's hold a few; at 1,000 reports the approved
   reports flagged "second report" are two), and then grown the rest of the way with reports only. Each
   route's size at N is printed beside its ratio: a baseline that shows fewer rows is smaller.
3. Timed again: every GET route of the app (``ROUTES``; a route missing from it stops the run), as each role
   that uses it, ``--requests`` requests after one warm-up, in process through Flask's test client (the
   server's time, without a network; the heap frozen first, as gunicorn's workers do). The review queue and
   the assignments page are timed on their default view, their common filters and their last page.

Prints a table (p50 / p95 / size, demo p95, ratio to it, ratio to the small programme) and, as its last line,
one JSON object: ``{"db", "reports", "pages": {path: {"p95_ms", "kb", "role", "demo_p95_ms", "demo_kb",
"ratio", "small_p95_ms", "small_kb", "small_ratio", "export"}}, "slowest_ms", "largest_kb", "over_2x_demo",
"over_2x_small", "small_reports"}`` (slowest, largest and the counts leave exports and PDFs aside, as the goal does).
"""

import argparse
import gc
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid as uuid_module
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHOPPERS, WAVES, BRIEFS_FOR_SHOPPER1, APPLICANTS = 300, 12, 300, 150
RELEASED_MORE = 3  # grown waves released to every organisation, besides the demo's released wave
CHUNK = 5000
EXPORTS = {
    "/training.pdf",
    "/account/data.json",
    "/questionnaire-versions/<id:version_id>/export",
    "/audit.csv",
    "/api/v1/exports/plans.csv",
    "/api/v1/exports/plans.xlsx",
    "/waves/<id:wave_id>/report.pdf",
    "/waves/<id:wave_id>/report/<id:organisation_id>.pdf",
}


# --- the database -----------------------------------------------------------------------------------------


def make_app(url: str):
    from app import create_app
    from config import TestConfig

    config = type("PagesBenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
    return create_app(config)


def build_demo(url: str) -> None:
    import sqlalchemy as sa
    from flask import current_app
    from flask_migrate import upgrade

    from app.accounts.passwords import hash_password
    from app.demo.data import load_demo
    from app.extensions import db

    if url.startswith("postgresql"):
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade()
    load_demo(hash_password(current_app.config["DEMO_PASSWORD"]))
    db.session.commit()


def _insert(model, rows) -> None:
    import sqlalchemy as sa

    from app.extensions import db

    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(model), rows[start : start + CHUNK])


def _next_id(model) -> int:
    import sqlalchemy as sa

    from app.extensions import db

    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _add_shoppers(programme, statement, password_hash) -> None:
    """SHOPPERS shoppers, through the gate (the current statement acknowledged, no conflicts declared)."""
    from app.accounts.models import ConfidentialityAcknowledgement, ConflictDeclaration, Role, User, UserRole

    first_user = _next_id(User)
    users = [
        {
            "id": first_user + i,
            "email": f"bench-shopper-{i}@bench.test",
            "display_name": f"Bench Shopper {i}",
            "password_hash": password_hash,
            "programme_id": programme.id,
        }
        for i in range(SHOPPERS)
    ]
    _insert(User, users)
    _insert(UserRole, [{"user_id": u["id"], "role": Role.shopper} for u in users])
    _insert(
        ConfidentialityAcknowledgement, [{"user_id": u["id"], "statement_id": statement.id} for u in users]
    )
    _insert(ConflictDeclaration, [{"user_id": u["id"], "declared_none": True} for u in users])


def settle() -> None:
    """The database as a running one is after a bulk load: fresh statistics for the planner and, on
    PostgreSQL, the visibility map that autovacuum sets after inserts, without which an index-only scan
    still reads every row it counts."""
    import sqlalchemy as sa

    from app.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))


def grow(reports: int, seed: int = 22_100, people: bool = True, release_more: int = RELEASED_MORE) -> dict:
    """Add ``reports`` reports (and what they stand on) to the demo; returns counts of what was added.

    ``people``: add the shoppers, shopper1's open briefs and the applicants too (the first time; a second
    call adds only reports, spread over the same waves and shoppers, and releases ``release_more`` more
    waves besides those already released)."""
    import sqlalchemy as sa

    from app.accounts.models import (
        ConfidentialityStatement,
        Role,
        User,
        UserRole,
    )
    from app.assignments.models import Assignment, AssignmentState
    from app.audit.models import AuditEvent
    from app.extensions import db
    from app.programmes.models import Programme, Wave, WaveStatus
    from app.recruitment.models import QuizAttempt, TrainingQuiz, VolunteerApplication
    from app.visits.models import KIND_FOR_CHANNEL, Flag, Submission, SubmissionState

    rng = random.Random(seed + _next_id(Submission))
    now = datetime.now(UTC)
    programme = db.session.scalar(sa.select(Programme))
    statement = db.session.scalar(
        sa.select(ConfidentialityStatement)
        .where(ConfidentialityStatement.programme_id == programme.id)
        .order_by(ConfidentialityStatement.version.desc())
    )
    coordinator = db.session.scalar(sa.select(User).where(User.email == "coordinator@demo.test"))
    shopper1 = db.session.scalar(sa.select(User).where(User.email == "shopper1@demo.test"))
    password_hash = shopper1.password_hash

    if people:
        _add_shoppers(programme, statement, password_hash)
    shopper_ids = db.session.scalars(
        sa.select(User.id).where(User.email.like("bench-shopper-%")).order_by(User.id)
    ).all()

    # Waves up to WAVES, the new ones in the past.
    waves = db.session.scalars(sa.select(Wave).where(Wave.programme_id == programme.id)).all()
    number = max(w.number for w in waves)
    for k in range(WAVES - len(waves)):
        number += 1
        starts = date.today() - timedelta(days=60 * (k + 2))
        db.session.add(
            Wave(
                programme_id=programme.id,
                number=number,
                name=f"Wave {number}",
                starts_on=starts,
                ends_on=starts + timedelta(days=28),
                status=WaveStatus.closed,
            )
        )
    db.session.flush()
    wave_ids = db.session.scalars(sa.select(Wave.id).where(Wave.programme_id == programme.id)).all()

    # The demo's own combinations of contact point, scenario and questionnaire version, and a demo report's
    # answers for each version.
    combos = db.session.execute(
        sa.select(
            Assignment.contact_point_id,
            Assignment.scenario_id,
            Assignment.questionnaire_version_id,
            Assignment.channel,
        ).distinct()
    ).all()
    answers_of = {}
    for version_id, answers, evidence, call_log in db.session.execute(
        sa.select(
            Submission.questionnaire_version_id, Submission.answers, Submission.evidence, Submission.call_log
        )
    ):
        answers_of.setdefault(version_id, (answers, evidence, call_log))
    combos = [c for c in combos if c[2] in answers_of] or combos

    first_assignment, first_submission = _next_id(Assignment), _next_id(Submission)
    assignments, submissions, events = [], [], []
    for i in range(reports):
        point_id, scenario_id, version_id, channel = combos[i % len(combos)]
        received = now - timedelta(days=720) + timedelta(minutes=7 * i * 100_000 / max(reports, 1))
        roll = rng.random()
        state = (
            SubmissionState.approved
            if roll < 0.51
            else SubmissionState.submitted
            if roll < 0.95
            else SubmissionState.in_review
            if roll < 0.99
            else SubmissionState.returned
            if roll < 0.995
            else SubmissionState.rejected
        )
        flags = sorted(
            f.value
            for f, chance in ((Flag.late, 0.06), (Flag.second_report, 0.01), (Flag.imported, 0.01))
            if rng.random() < chance
        )
        assignment_state = {
            SubmissionState.approved: AssignmentState.approved,
            SubmissionState.submitted: AssignmentState.submitted,
            SubmissionState.in_review: AssignmentState.in_review,
            SubmissionState.returned: AssignmentState.returned,
            SubmissionState.rejected: AssignmentState.cancelled,
        }[state]
        assignment_id, submission_id = first_assignment + i, first_submission + i
        wave_id = wave_ids[i % len(wave_ids)]
        assignments.append(
            {
                "id": assignment_id,
                "wave_id": wave_id,
                "shopper_id": shopper_ids[i % len(shopper_ids)],
                "contact_point_id": point_id,
                "scenario_id": scenario_id,
                "questionnaire_version_id": version_id,
                "channel": channel,
                "window_starts_at": received - timedelta(days=5),
                "window_ends_at": received + timedelta(days=2),
                "state": assignment_state,
                "flagged": state is SubmissionState.rejected,
                "flag_reason": "Report rejected: outside the window"
                if state is SubmissionState.rejected
                else "",
                "explanation": "Automatic: no declared conflict; least loaded",
                "created_at": received - timedelta(days=6),
                "state_changed_at": received,
            }
        )
        answers, evidence, call_log = answers_of.get(version_id, ({}, [], None))
        decided = state in (SubmissionState.approved, SubmissionState.returned, SubmissionState.rejected)
        submissions.append(
            {
                "id": submission_id,
                "uuid": uuid_module.UUID(int=rng.getrandbits(128), version=4),
                "assignment_id": assignment_id,
                "wave_id": wave_id,
                "programme_id": programme.id,
                "shopper_id": shopper_ids[i % len(shopper_ids)],
                "kind": KIND_FOR_CHANNEL[channel],
                "questionnaire_version_id": version_id,
                "started_at": received - timedelta(minutes=40),
                "completed_at": received - timedelta(minutes=10),
                "received_at": received,
                "state": state,
                "flags": flags,
                "answers": answers,
                "evidence": evidence,
                "call_log": call_log,
                "replies": [],
                "content_hash": f"{rng.getrandbits(256):064x}",
                "review_comment": "Add the time you waited." if state is SubmissionState.returned else "",
                "reviewed_at": received + timedelta(days=2) if decided else None,
                "reviewed_by_id": coordinator.id if decided or state is SubmissionState.in_review else None,
            }
        )
        for n, (action, object_type, object_id) in enumerate(
            (
                ("assignment.offered", "assignment", assignment_id),
                ("submission.received", "submission", submission_id),
                (f"submission.{state.value}", "submission", submission_id),
            )
        ):
            events.append(
                {
                    "occurred_at": received + timedelta(seconds=n),
                    "actor_id": coordinator.id if n != 1 else None,
                    "action": action,
                    "object_type": object_type,
                    "object_id": str(object_id),
                    "data": {},
                    "programme_id": coordinator.programme_id,  # what the coordinator's audit page reads
                }
            )
    _insert(Assignment, assignments)
    _insert(Submission, submissions)
    _insert(AuditEvent, events)

    if people:
        # Open work for shopper1: the briefs the app carries.
        open_combos = db.session.execute(
            sa.select(
                Assignment.contact_point_id,
                Assignment.scenario_id,
                Assignment.questionnaire_version_id,
                Assignment.channel,
                Assignment.wave_id,
            )
            .where(Assignment.shopper_id == shopper1.id)
            .distinct()
        ).all()
        first = _next_id(Assignment)
        _insert(
            Assignment,
            [
                {
                    "id": first + k,
                    "wave_id": open_combos[k % len(open_combos)][4],
                    "shopper_id": shopper1.id,
                    "contact_point_id": open_combos[k % len(open_combos)][0],
                    "scenario_id": open_combos[k % len(open_combos)][1],
                    "questionnaire_version_id": open_combos[k % len(open_combos)][2],
                    "channel": open_combos[k % len(open_combos)][3],
                    "window_starts_at": now - timedelta(days=1),
                    "window_ends_at": now + timedelta(days=20 + k % 10),
                    "state": AssignmentState.offered if k % 2 else AssignmentState.accepted,
                    "explanation": "Automatic: no declared conflict; least loaded",
                }
                for k in range(BRIEFS_FOR_SHOPPER1)
            ],
        )

        # Pending applicants, most with a quiz attempt or two.
        quiz = db.session.scalar(sa.select(TrainingQuiz).where(TrainingQuiz.programme_id == programme.id))
        first_user = _next_id(User)
        applicants = [
            {
                "id": first_user + i,
                "email": f"bench-applicant-{i}@bench.test",
                "display_name": f"Bench Applicant {i}",
                "password_hash": password_hash,
                "programme_id": programme.id,
            }
            for i in range(APPLICANTS)
        ]
        _insert(User, applicants)
        _insert(UserRole, [{"user_id": u["id"], "role": Role.applicant} for u in applicants])
        _insert(
            VolunteerApplication,
            [
                {
                    "user_id": u["id"],
                    "programme_id": programme.id,
                    "full_name": u["display_name"],
                    "neighbourhood": "Northfield",
                    "languages": "English",
                    "availability": "Weekday mornings",
                    "consented_at": now,
                    "email_confirmed_at": now,
                    "submitted_at": now - timedelta(days=i),
                }
                for i, u in enumerate(applicants)
            ],
        )
        if quiz is not None:
            _insert(
                QuizAttempt,
                [
                    {
                        "user_id": u["id"],
                        "quiz_id": quiz.id,
                        "score": 40 + k * 10,
                        "pass_mark": quiz.pass_mark,
                        "passed": False,
                        "results": [],
                        "taken_at": now - timedelta(hours=k),
                    }
                    for i, u in enumerate(applicants)
                    for k in range(i % 3)
                ],
            )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # explicit ids: move each sequence past them
        with db.engine.begin() as connection:
            for table in ("user_account", "assignment", "submission"):
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                )
    released = release_grown(release_more)
    settle()
    return {
        "shoppers": SHOPPERS if people else 0,
        "assignments": reports + (BRIEFS_FOR_SHOPPER1 if people else 0),
        "reports": reports,
        "audit": len(events),
        "released_waves": released,
    }


def release_grown(more: int = RELEASED_MORE) -> int:
    """Score the grown reports (``flask results recompute``), then, as the coordinator does, release again
    the waves already released (their grown reports reach partners) and close and release the ``more`` latest
    grown waves, each to every organisation; returns how many waves were released."""
    import sqlalchemy as sa

    from app.accounts.models import User
    from app.extensions import db
    from app.programmes.models import Wave, WaveStatus
    from app.releases import services as releases
    from app.releases.models import Release
    from app.results.services import recompute

    recompute()
    coordinator = db.session.scalar(sa.select(User).where(User.email == "coordinator@demo.test"))
    again = sa.select(Release.wave_id).where(Release.withdrawn_at.is_(None))
    waves = [
        *db.session.scalars(sa.select(Wave).where(Wave.id.in_(again))),
        *db.session.scalars(
            sa.select(Wave)
            .where(Wave.status == WaveStatus.closed, Wave.id.not_in(again))
            .order_by(Wave.number.desc())
            .limit(more)
        ),
    ]
    for wave in sorted(waves, key=lambda w: w.number):
        releases.close_review(wave, coordinator)
        releases.release_all(wave, coordinator)
    db.session.commit()
    return len(waves)


# --- the routes -------------------------------------------------------------------------------------------


def ids() -> dict:
    """The objects each route is timed on, chosen the same way at each size."""
    import sqlalchemy as sa

    from app.accounts.models import User
    from app.assignments.models import Assignment, AssignmentState
    from app.audit.models import AuditEvent
    from app.extensions import db
    from app.plans.models import PlanAction
    from app.programmes import models as programmes
    from app.questionnaires.models import Question, QuestionnaireVersion
    from app.recruitment.models import QuizQuestion, VolunteerApplication
    from app.releases.models import Release, ReleasedReport
    from app.visits.models import Submission

    def first(column, *where):
        return db.session.scalar(sa.select(column).where(*where).order_by(column).limit(1))

    shopper1 = db.session.scalar(sa.select(User).where(User.email == "shopper1@demo.test"))
    manager = db.session.scalar(sa.select(User).where(User.email == "manager@demo.test"))
    wave_id = db.session.execute(
        sa.select(Assignment.wave_id, sa.func.count())
        .group_by(Assignment.wave_id)
        .order_by(sa.func.count().desc())
    ).first()[0]
    version_id = first(QuestionnaireVersion.id)
    version = db.session.get(QuestionnaireVersion, version_id)
    brief = first(
        Assignment.id,
        Assignment.shopper_id == shopper1.id,
        Assignment.state.in_([AssignmentState.offered, AssignmentState.accepted]),
    )
    release = db.session.scalar(
        sa.select(Release)
        .where(Release.organisation_id == manager.organisation_id, Release.withdrawn_at.is_(None))
        .order_by(Release.id)
        .limit(1)
    )
    return {
        "programme_id": first(programmes.Programme.id),
        "wave_id": wave_id,
        "submission_id": db.session.scalar(sa.select(sa.func.max(Submission.id))),
        "application_id": first(VolunteerApplication.id),
        "quiz_question_id": first(QuizQuestion.id),
        "version_id": version_id,
        "version_question": first(Question.id, Question.section_id.in_([s.id for s in version.sections])),
        "questionnaire_id": version.questionnaire_id,
        "version_number": version.number,
        "organisation_id": manager.organisation_id,
        "assignment_id": brief,
        "person_id": shopper1.id,
        "audit_middle": db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) // 2,
        "audit_day": db.session.scalar(sa.select(sa.func.min(AuditEvent.occurred_at))).date().isoformat(),
        "contact_point_id": first(programmes.ContactPoint.id),
        "organisation_item": first(programmes.Organisation.id),
        "service_area_id": first(programmes.ServiceArea.id),
        "scenario_id": first(programmes.Scenario.id),
        "standard_id": first(programmes.ServiceStandard.id),
        "reference_id": first(programmes.ReferenceFigure.id),
        "wave_item": first(programmes.Wave.id),
        "action_id": first(PlanAction.id, PlanAction.organisation_id == manager.organisation_id),
        "released_wave_id": release.wave_id,
        "release_id": release.id,
        "released_report_id": db.session.scalar(
            sa.select(sa.func.max(ReleasedReport.submission_id)).where(
                ReleasedReport.release_id == release.id
            )
        ),
    }


COORDINATOR, ADMIN, MANAGER = "coordinator@demo.test", "admin@demo.test", "manager@demo.test"
SHOPPER, NEW_SHOPPER, APPLICANT, ANONYMOUS = (
    "shopper1@demo.test",
    "newshopper@demo.test",
    "applicant@demo.test",
    None,
)
P = "/programmes/{programme_id}"
# rule -> [(role, path template), ...]; the templates take ``ids()`` (and ``last_*`` pages).
ROUTES = {
    "/": [(ANONYMOUS, "/"), (SHOPPER, "/"), (COORDINATOR, "/")],
    "/sign-in": [(ANONYMOUS, "/sign-in")],
    "/healthz": [(ANONYMOUS, "/healthz")],
    "/manifest.webmanifest": [(ANONYMOUS, "/manifest.webmanifest")],
    "/sw.js": [(ANONYMOUS, "/sw.js")],
    "/sw-classic.js": [(ANONYMOUS, "/sw-classic.js")],
    "/app": [(ANONYMOUS, "/app")],
    "/app/shell.js": [(ANONYMOUS, "/app/shell.js")],
    "/volunteer": [(ANONYMOUS, "/volunteer")],
    "/volunteer/sent": [(ANONYMOUS, "/volunteer/sent")],
    "/account/password": [(SHOPPER, "/account/password")],
    "/training": [(APPLICANT, "/training")],
    "/training.pdf": [(APPLICANT, "/training.pdf")],
    "/application": [(APPLICANT, "/application")],
    "/application/quiz": [(APPLICANT, "/application/quiz")],
    "/account/availability": [(SHOPPER, "/account/availability")],
    "/account/details": [(SHOPPER, "/account/details"), (APPLICANT, "/account/details")],
    "/account/data": [(SHOPPER, "/account/data")],
    "/account/data.json": [(SHOPPER, "/account/data.json")],
    "/gate/confidentiality": [(NEW_SHOPPER, "/gate/confidentiality")],
    "/gate/conflicts": [(NEW_SHOPPER, "/gate/conflicts")],
    "/briefs": [(SHOPPER, "/briefs")],
    "/briefs/<id:assignment_id>": [(SHOPPER, "/briefs/{assignment_id}")],
    "/phone-bank": [(SHOPPER, "/phone-bank")],
    "/api/v1/session": [(SHOPPER, "/api/v1/session")],
    "/api/v1/openapi.json": [(ANONYMOUS, "/api/v1/openapi.json")],
    "/api/v1/briefs": [(SHOPPER, "/api/v1/briefs"), (SHOPPER, "/api/v1/briefs#If-None-Match")],
    "/api/v1/assignments": [
        (SHOPPER, "/api/v1/assignments"),
        (SHOPPER, "/api/v1/assignments?limit=100"),
        (SHOPPER, "/api/v1/assignments#If-None-Match"),
    ],
    "/api/v1/assignments/<id:assignment_id>": [
        (SHOPPER, "/api/v1/assignments/{assignment_id}"),
        (COORDINATOR, "/api/v1/assignments/{assignment_id}"),
    ],
    "/api/v1/gate/confidentiality": [(SHOPPER, "/api/v1/gate/confidentiality")],
    "/api/v1/gate/conflicts": [(SHOPPER, "/api/v1/gate/conflicts")],
    "/api/v1/gate/options": [(SHOPPER, "/api/v1/gate/options")],
    "/api/v1/organisations/<id:organisation_id>": [(MANAGER, "/api/v1/organisations/{organisation_id}")],
    "/api/v1/questionnaires/<id:questionnaire_id>/versions/<id:number>": [
        (SHOPPER, "/api/v1/questionnaires/{questionnaire_id}/versions/{version_number}")
    ],
    "/organisations/<id:organisation_id>": [
        (MANAGER, "/organisations/{organisation_id}"),
        (COORDINATOR, "/organisations/{organisation_id}"),
    ],
    "/coordinator": [(COORDINATOR, "/coordinator"), (ADMIN, "/coordinator")],
    "/coordinator/applicants": [(COORDINATOR, "/coordinator/applicants")],
    "/coordinator/shoppers": [
        (COORDINATOR, "/coordinator/shoppers"),
        (COORDINATOR, "/coordinator/shoppers?q=shopper2"),
        (COORDINATOR, "/coordinator/shoppers?page=6"),
    ],
    "/coordinator/applicants/<id:application_id>": [
        (COORDINATOR, "/coordinator/applicants/{application_id}")
    ],
    "/coordinator/invites": [(COORDINATOR, "/coordinator/invites")],
    "/people": [(COORDINATOR, "/people"), (ADMIN, "/people"), (COORDINATOR, "/people?role=shopper&page=2")],
    "/people/invite": [(COORDINATOR, "/people/invite")],
    "/people/<id:user_id>": [(COORDINATOR, "/people/{person_id}")],
    "/account/forgot-password": [(ANONYMOUS, "/account/forgot-password")],
    "/account/forgot-password/sent": [(ANONYMOUS, "/account/forgot-password/sent")],
    "/audit": [
        (COORDINATOR, "/audit"),
        (ADMIN, "/audit"),
        (COORDINATOR, "/audit?before={audit_middle}"),
        (COORDINATOR, "/audit?kind=reviews"),
        (COORDINATOR, "/audit?kind=sign_ins"),
        (COORDINATOR, "/audit?person=coordinator@demo.test"),
        (COORDINATOR, "/audit?object=submission+{submission_id}"),
        (COORDINATOR, "/audit?since={audit_day}&until={audit_day}"),
    ],
    "/audit.csv": [(COORDINATOR, "/audit.csv?object=submission+{submission_id}")],
    "/coordinator/quiz": [(COORDINATOR, "/coordinator/quiz")],
    "/coordinator/quiz/questions/new": [(COORDINATOR, "/coordinator/quiz/questions/new")],
    "/coordinator/quiz/questions/<id:question_id>": [
        (COORDINATOR, "/coordinator/quiz/questions/{quiz_question_id}")
    ],
    "/coordinator/planning": [(COORDINATOR, "/coordinator/planning")],
    "/coordinator/review": [
        (COORDINATOR, "/coordinator/review"),
        (COORDINATOR, "/coordinator/review?flag=late"),
        (COORDINATOR, "/coordinator/review?state=approved"),
        (COORDINATOR, "/coordinator/review?state=approved&page={last_approved_page}"),
        (COORDINATOR, "/coordinator/review?sort=organisation"),
        (COORDINATOR, "/coordinator/review?sort=received&flag=second_report&state=approved"),
        (ADMIN, "/coordinator/review"),
    ],
    "/coordinator/review/<id:submission_id>": [
        (COORDINATOR, "/coordinator/review/{submission_id}"),
        (COORDINATOR, "/coordinator/review/{submission_id}?flag=late"),
    ],
    "/coordinator/unsent-work": [(COORDINATOR, "/coordinator/unsent-work")],
    "/coordinator/waves/<id:wave_id>/assignments": [
        (COORDINATOR, "/coordinator/waves/{wave_id}/assignments"),
        (COORDINATOR, "/coordinator/waves/{wave_id}/assignments?state=approved"),
        (COORDINATOR, "/coordinator/waves/{wave_id}/assignments?page={last_assignments_page}"),
    ],
    "/coordinator/waves/<id:wave_id>/assignments/new": [
        (COORDINATOR, "/coordinator/waves/{wave_id}/assignments/new")
    ],
    "/coordinator/waves/<id:wave_id>/blocks": [(COORDINATOR, "/coordinator/waves/{wave_id}/blocks")],
    "/coordinator/waves/<id:wave_id>/plan": [(COORDINATOR, "/coordinator/waves/{wave_id}/plan")],
    "/dev/outbox": [(COORDINATOR, "/dev/outbox")],
    "/questionnaire-versions/<id:version_id>": [(COORDINATOR, "/questionnaire-versions/{version_id}")],
    "/questionnaire-versions/<id:version_id>/preview": [
        (COORDINATOR, "/questionnaire-versions/{version_id}/preview")
    ],
    "/questionnaire-versions/<id:version_id>/export": [
        (COORDINATOR, "/questionnaire-versions/{version_id}/export")
    ],
    "/questionnaire-versions/<id:version_id>/questions/new": [
        (COORDINATOR, "/questionnaire-versions/{version_id}/questions/new")
    ],
    "/questionnaire-versions/<id:version_id>/questions/<id:question_id>": [
        (COORDINATOR, "/questionnaire-versions/{version_id}/questions/{version_question}")
    ],
    P.replace("{programme_id}", "<id:programme_id>") + "/setup": [(COORDINATOR, P + "/setup")],
    "/programmes/<id:programme_id>/contact-points": [
        (COORDINATOR, P + "/contact-points"),
        (COORDINATOR, P + "/contact-points?q=office"),
    ],
    "/programmes/<id:programme_id>/settings": [(COORDINATOR, P + "/settings")],
    "/programmes/<id:programme_id>/confidentiality": [(COORDINATOR, P + "/confidentiality")],
    "/programmes/<id:programme_id>/questionnaires": [(COORDINATOR, P + "/questionnaires")],
    "/api/v1/results": [(COORDINATOR, "/api/v1/results?group_by=organisation"), (MANAGER, "/api/v1/results")],
    "/programmes/<id:programme_id>/results": [(COORDINATOR, P + "/results"), (MANAGER, P + "/results")],
}
for _page in ("league", "measures", "reports", "strengths", "trend"):
    ROUTES[f"/programmes/<id:programme_id>/results/{_page}"] = [(COORDINATOR, f"{P}/results/{_page}")]
for _slug, _item in [
    ("organisations", "organisation_item"),
    ("service-areas", "service_area_id"),
    ("contact-points", "contact_point_id"),
    ("waves", "wave_item"),
    ("scenarios", "scenario_id"),
    ("standards", "standard_id"),
    ("reference-figures", "reference_id"),
]:
    ROUTES.setdefault(f"/programmes/<id:programme_id>/{_slug}", [(COORDINATOR, f"{P}/{_slug}")])
    ROUTES[f"/programmes/<id:programme_id>/{_slug}/new"] = [(COORDINATOR, f"{P}/{_slug}/new")]
    ROUTES[f"/programmes/<id:programme_id>/{_slug}/<id:item_id>"] = [
        (COORDINATOR, f"{P}/{_slug}/{{{_item}}}")
    ]
# The coordinator's release pages and the partner manager's, on the demo's released wave (released again once
# grown, so that its grown reports are in the release) and the manager's organisation.
_RELEASES = "/programmes/<id:programme_id>/releases"
_PREVIEW = _RELEASES + "/waves/<id:wave_id>/organisations/<id:organisation_id>/preview"
_PARTNER = "/results/waves/<id:wave_id>"
_PREVIEWED = P + "/releases/waves/{released_wave_id}/organisations/{organisation_id}/preview"
_SEEN = "/results/waves/{released_wave_id}"
ROUTES.update(
    {
        _RELEASES: [(COORDINATOR, P + "/releases")],
        _RELEASES + "/<id:release_id>/withdraw": [(COORDINATOR, P + "/releases/{release_id}/withdraw")],
        _RELEASES + "/waves/<id:wave_id>": [(COORDINATOR, P + "/releases/waves/{released_wave_id}")],
        "/results": [(MANAGER, "/results")],
    }
)
for _rule, _role, _path in ((_PREVIEW, COORDINATOR, _PREVIEWED), (_PARTNER, MANAGER, _SEEN)):
    for _tail in ("", "/benchmark", "/method"):
        ROUTES[_rule + _tail] = [(_role, _path + _tail)]
    ROUTES[_rule + "/log"] = [(_role, _path + "/log"), (_role, _path + "/log?page={last_log_page}")]
    ROUTES[_rule + "/log/<id:report_id>"] = [(_role, _path + "/log/{released_report_id}")]
# Programmes, deletions, phone-bank blocks, the shell's messages, improvement plans (the demo's, on its released
# wave) and the wave report.
ROUTES.update(
    {
        "/programmes": [(COORDINATOR, "/programmes"), (ADMIN, "/programmes")],
        "/programmes/new": [(ADMIN, "/programmes/new")],
        "/programmes/<id:programme_id>/deletions": [(COORDINATOR, P + "/deletions")],
        "/coordinator/phone-bank": [(COORDINATOR, "/coordinator/phone-bank")],
        "/app/messages/<code>.json": [(ANONYMOUS, "/app/messages/cy.json")],
        "/programmes/<id:programme_id>/plans": [(COORDINATOR, P + "/plans")],
        "/organisations/<id:organisation_id>/plans": [
            (MANAGER, "/organisations/{organisation_id}/plans"),
            (COORDINATOR, "/organisations/{organisation_id}/plans"),
        ],
        "/organisations/<id:organisation_id>/waves/<id:wave_id>/plan": [
            (MANAGER, "/organisations/{organisation_id}/waves/{released_wave_id}/plan")
        ],
        "/plans/actions/<id:action_id>": [(MANAGER, "/plans/actions/{action_id}")],
        "/api/v1/exports/plans.csv": [(MANAGER, "/api/v1/exports/plans.csv")],
        "/api/v1/exports/plans.xlsx": [(MANAGER, "/api/v1/exports/plans.xlsx")],
        "/waves/<id:wave_id>/report": [(COORDINATOR, "/waves/{released_wave_id}/report")],
        "/waves/<id:wave_id>/report.pdf": [(COORDINATOR, "/waves/{released_wave_id}/report.pdf")],
        "/waves/<id:wave_id>/report/<id:organisation_id>": [
            (MANAGER, "/waves/{released_wave_id}/report/{organisation_id}")
        ],
        "/waves/<id:wave_id>/report/<id:organisation_id>.pdf": [
            (MANAGER, "/waves/{released_wave_id}/report/{organisation_id}.pdf")
        ],
    }
)
# GET routes not timed, and why.
NOT_TIMED = {
    **{
        f"/api/v1/exports/{name}": "an export, streamed: bench/exports.py times it at 100,000 reports"
        for name in ("answers.csv", "answers.xlsx", "calls.csv", "calls.xlsx", "reports.csv", "reports.xlsx")
    },
    "/static/<path:filename>": "static files, served by the proxy in production",
    "/invite/<token>": "a one-time link of its own",
    "/join/<token>": "a one-time link of its own",
    "/account/reset-password/<token>": "a one-time link of its own",
    "/volunteer/confirm/<token>": "a one-time link of its own",
    "/coordinator/unsent-work/<id:upload_id>": "a coordinator's upload of one shopper's file: none in the demo, and "
    "its size is the file's, not the programme's",
}


def check_route_list(app) -> None:
    rules = {r.rule for r in app.url_map.iter_rules() if "GET" in r.methods}
    missing = sorted(rules - set(ROUTES) - set(NOT_TIMED))
    if missing:
        raise SystemExit(f"bench/pages.py times no role on: {', '.join(missing)} (add them to ROUTES)")


def sign_in(app, email: str | None):
    client = app.test_client()
    if email is None:
        return client
    from flask import current_app

    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in",
        data={"csrf_token": token, "email": email, "password": current_app.config["DEMO_PASSWORD"]},
    )
    assert response.status_code == 302, (email, response.status_code)
    return client


def _pages(rows: int, per_page: int) -> int:
    """How many pages a list of ``rows`` has (one when empty): the number of its last page."""
    return max(1, -(-rows // per_page))


def time_routes(app, requests: int, values: dict | None = None) -> tuple[dict, dict]:
    """{(rule, role, path): (p50 ms, p95 ms, kB, status)} over every route of ROUTES, and the ids it used
    (pass them back to time the same objects again; the last pages are counted anew)."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.partner_results.log import PAGE_SIZE as LOG_PAGE_SIZE
    from app.recruitment.models import VolunteerApplication  # noqa: F401  (models loaded)
    from app.releases.services import released_report_ids
    from app.visits.models import Submission, SubmissionState

    # As gunicorn's worker does once it has loaded the app (gunicorn.conf.py, post_worker_init): what is
    # alive now stays out of the garbage collections that land on the requests timed.
    gc.collect()
    gc.freeze()
    with app.app_context():
        values = {**ids(), **values} if values else ids()
        approved = db.session.scalar(
            sa.select(sa.func.count()).where(Submission.state == SubmissionState.approved)
        )
        from app.assignments.models import Assignment

        in_wave = db.session.scalar(sa.select(sa.func.count()).where(Assignment.wave_id == values["wave_id"]))
        values["last_approved_page"] = _pages(approved, 50)
        values["last_assignments_page"] = _pages(in_wave, 50)
        released = db.session.scalar(
            sa.select(sa.func.count()).select_from(
                released_report_ids(values["organisation_id"], values["released_wave_id"]).subquery()
            )
        )
        values["last_log_page"] = _pages(released, LOG_PAGE_SIZE)
        db.session.remove()
    clients = {}
    results = {}
    for rule, timings in ROUTES.items():
        for role, template in timings:
            if role not in clients:
                with app.app_context():
                    clients[role] = sign_in(app, role)
            client = clients[role]
            path, _, conditional = template.format(**values).partition("#")
            headers = {}
            if conditional:
                headers["If-None-Match"] = client.get(path).headers.get("ETag", "")
            samples, size, status = [], 0, None
            for n in range(requests + 1):
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                body = response.get_data()
                elapsed = (time.perf_counter() - started) * 1000
                if n:  # the first is the warm-up
                    samples.append(elapsed)
                size, status = (
                    len(body) + sum(len(k) + len(v) + 4 for k, v in response.headers.items()),
                    response.status_code,
                )
            samples.sort()
            p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
            label = template.partition("#")[0].format(
                **{**values, **{key: "last" for key in values if key.startswith("last_")}}
            )
            label += " (If-None-Match)" if conditional else ""
            results[(rule, role or "anonymous", label)] = (
                statistics.median(samples),
                p95,
                size / 1024,
                status,
            )
    return results, values


# --- the run ----------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL", ""), help="an empty PostgreSQL database")
    parser.add_argument(
        "--requests", type=int, default=20, help="timed requests per route, after one warm-up"
    )
    parser.add_argument(
        "--small",
        type=int,
        default=10_000,
        help="also time the routes when this many reports are grown (0: not): every list then has a page of "
        "rows, as it has at --reports, where the demo's have a few (its queue holds 5 reports)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="a folder that keeps the grown database (SQLite) and the demo-size timings: run again with the "
        "same folder (and, on PostgreSQL, the same --pg-url) to time the grown database without growing it "
        "anew (new migrations are applied first)",
    )
    args = parser.parse_args()

    # Without --keep, the grown database (a quarter of a gigabyte at 100,000 reports) goes when the run ends.
    scratch = None if args.keep else tempfile.TemporaryDirectory(prefix="pages-bench-")
    workdir = args.keep or Path(scratch.name)
    workdir.mkdir(parents=True, exist_ok=True)
    kept = workdir / f"kept-{args.db}-{args.reports}.json"
    if args.db == "sqlite":
        url = f"sqlite:///{workdir / f'pages-{args.reports}.db'}"
    elif args.pg_url:
        url = args.pg_url
    else:
        raise SystemExit("--db postgresql needs --pg-url (or PG_URL): an empty database it may wipe")
    app = make_app(url)
    check_route_list(app)
    if args.keep and kept.exists():
        saved = json.loads(kept.read_text())
        demo = {tuple(key): tuple(value) for key, value in saved["demo"]}
        small = {tuple(key): tuple(value) for key, value in saved.get("small", [])}
        values = saved["values"]
        with app.app_context():
            from flask_migrate import upgrade

            from app.extensions import db

            upgrade()
            settle()
        print(f"the grown database kept in {workdir} (demo timings of {saved['when']})", flush=True)
    else:
        with app.app_context():
            started = time.perf_counter()
            build_demo(url)
            settle()
            print(f"demo loaded in {time.perf_counter() - started:.1f} s", flush=True)
        demo, values = time_routes(app, args.requests)
        small = {}
        first = min(args.small, args.reports) if args.small else args.reports
        with app.app_context():
            started = time.perf_counter()
            added = grow(first)
            print(f"grown in {time.perf_counter() - started:.1f} s: {added}", flush=True)
        if first < args.reports:
            small, _ = time_routes(app, args.requests, values)
            with app.app_context():
                started = time.perf_counter()
                added = grow(args.reports - first, people=False, release_more=0)
                print(f"grown again in {time.perf_counter() - started:.1f} s: {added}", flush=True)
        if args.keep:
            kept.write_text(
                json.dumps(
                    {
                        "when": datetime.now(UTC).isoformat(timespec="minutes"),
                        "values": {k: v for k, v in values.items() if not k.startswith("last_")},
                        "demo": [[list(key), list(value)] for key, value in demo.items()],
                        "small": [[list(key), list(value)] for key, value in small.items()],
                    }
                )
            )
    grown, _ = time_routes(app, args.requests, values)

    pages, rows = {}, []
    for key, (p50, p95, kb, status) in grown.items():
        rule, role, label = key
        _, demo_p95, demo_kb, _ = demo.get(key, (None, None, None, None))
        ratio = p95 / demo_p95 if demo_p95 else None
        _, small_p95, small_kb, _ = small.get(key, (None, None, None, None))
        small_ratio = p95 / small_p95 if small_p95 else None
        export = rule in EXPORTS
        rows.append((label, role, status, p50, p95, kb, demo_p95, ratio, small_kb, small_ratio, export))
        entry = {
            "p95_ms": round(p95, 1),
            "kb": round(kb, 1),
            "role": role,
            "status": status,
            "demo_p95_ms": round(demo_p95, 1) if demo_p95 else None,
            "demo_kb": round(demo_kb, 1) if demo_kb else None,
            "ratio": round(ratio, 2) if ratio else None,
            "small_p95_ms": round(small_p95, 1) if small_p95 else None,
            "small_kb": round(small_kb, 1) if small_kb else None,
            "small_ratio": round(small_ratio, 2) if small_ratio else None,
            "export": export,
        }
        if label not in pages or pages[label]["p95_ms"] < entry["p95_ms"]:
            pages[label] = entry
    print(
        f"\n{'path':<72} {'role':<22} {'st':>3} {'p50':>7} {'p95':>7} {'kB':>7} {'demo95':>7} {'x':>5} "
        f"{'kB small':>8} {'x small':>7}"
    )
    for label, role, status, p50, p95, kb, demo_p95, ratio, small_kb, small_ratio, export in sorted(
        rows, key=lambda r: -r[4]
    ):
        print(
            f"{label[:72]:<72} {role[:22]:<22} {status:>3} {p50:7.1f} {p95:7.1f} {kb:7.1f} "
            f"{(demo_p95 or 0):7.1f} {(ratio or 0):5.2f} {(small_kb or 0):8.1f} {(small_ratio or 0):7.2f}"
            f"{'  (export)' if export else ''}"
        )
    counted = [p for p in pages.values() if not p["export"]]
    summary = {
        "db": args.db,
        "reports": args.reports,
        "pages": pages,
        "slowest_ms": max(p["p95_ms"] for p in counted),
        "largest_kb": max(p["kb"] for p in counted),
        "over_2x_demo": sum(1 for p in counted if (p["ratio"] or 0) > 2),
        "over_2x_small": sum(1 for p in counted if (p["small_ratio"] or 0) > 2),
        "small_reports": args.small or None,
    }
    with app.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
