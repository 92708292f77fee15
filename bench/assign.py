"""Automatic-assignment benchmark: a wave of 5,000 assignments among 300 shoppers with conflicts.

    python bench/assign.py                                  # in memory, then a real SQLite file
    python bench/assign.py --pg-url postgresql+psycopg://postgres@127.0.0.1:55433/bench_assign

Two measures:

1. ``plan_assignments`` alone, on synthetic plain data in memory (the pure planner);
2. ``app.assignments.planning.auto_assign`` against a real database built with the real migrations:
   the up-front queries, the planning, the multi-row INSERT of the assignments and of one audit event
   each, and the commit.

Synthetic partnership: 20 organisations x 10 service areas x 3 channels (in person, telephone, website),
two contact points per organisation and channel serving every area, targets summing to 5,000; 300
gated shoppers, 60% of them with one to three declared conflicts (an organisation, a service area, or
both), 10% free only in the evenings, a workload limit of 25 per shopper. Afterwards it checks that no
assignment breaks a declared conflict or the rotation and workload rules.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORGANISATIONS, AREAS, SHOPPERS, TARGET_TOTAL, MAX_PER_SHOPPER = 20, 10, 300, 5000, 25
CHANNEL_NAMES = ("in_person", "telephone", "website")


def synthetic_conflicts(rng):
    conflicts = []
    for _ in range(SHOPPERS):
        mine = []
        if rng.random() < 0.6:
            for _ in range(rng.randint(1, 3)):
                kind = rng.random()
                organisation = rng.randint(1, ORGANISATIONS) if kind < 0.7 else None
                area = rng.randint(1, AREAS) if kind > 0.4 or organisation is None else None
                mine.append((organisation, area))
        conflicts.append(mine)
    return conflicts


def targets():
    """(organisation 1.., area 1.., channel index) -> target, summing to TARGET_TOTAL."""
    cells = [(o, a, c) for o in range(1, ORGANISATIONS + 1) for a in range(1, AREAS + 1) for c in range(3)]
    base, extra = divmod(TARGET_TOTAL, len(cells))
    return {cell: base + (1 if i < extra else 0) for i, cell in enumerate(cells)}


def in_memory(rng) -> float:
    from app.assignments.matching import CellNeed, PointInfo, ShopperInfo, plan_assignments
    from app.programmes.models import Channel

    conflicts = synthetic_conflicts(rng)
    shoppers = [
        ShopperInfo(i + 1, f"Shopper {i + 1}", tuple(conflicts[i]), weekday_daytime=rng.random() > 0.1)
        for i in range(SHOPPERS)
    ]
    needs = [
        CellNeed(
            o,
            a,
            Channel(CHANNEL_NAMES[c]),
            n,
            tuple(PointInfo(o * 100 + c * 10 + k, f"Point {k}", "1 High St") for k in range(2)),
            (a,),
            1,
            label=f"{o}/{a}/{c}",
        )
        for (o, a, c), n in targets().items()
    ]
    started = time.perf_counter()
    result = plan_assignments(needs, shoppers, MAX_PER_SHOPPER)
    elapsed = time.perf_counter() - started
    by_id = {s.id: s for s in shoppers}
    organisation_of = {p.id: n.organisation_id for n in needs for p in n.contact_points}
    area_of = {p.id: n.service_area_id for n in needs for p in n.contact_points}
    for planned in result.planned:  # scenario id == area id here
        assert not any(
            (o in (None, organisation_of[planned.contact_point_id])) and (a in (None, planned.scenario_id))
            for o, a in by_id[planned.shopper_id].conflicts
        )
        assert area_of[planned.contact_point_id] is not None
    print(
        f"in memory: {len(result.planned)} planned, {sum(u.missing for u in result.unfilled)} unfilled, "
        f"{elapsed:.2f} s"
    )
    return elapsed


def build_database(url: str, rng) -> None:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app.accounts.models import (
        ConfidentialityAcknowledgement,
        ConfidentialityStatement,
        Conflict,
        ConflictDeclaration,
        Role,
        User,
        UserRole,
    )
    from app.assignments.models import CoverageTarget, ShopperAvailability, WavePlan
    from app.extensions import db
    from app.programmes.models import (
        Channel,
        ContactPoint,
        Organisation,
        Partnership,
        Programme,
        Scenario,
        ServiceArea,
        Tier,
        Wave,
    )
    from app.questionnaires.models import Questionnaire, QuestionnaireVersion

    if url.startswith("postgresql"):
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade()
    partnership = Partnership(name="Bench partnership")
    programme = Programme(partnership=partnership, name="Bench programme")
    areas = [
        ServiceArea(partnership=partnership, code=f"A{a}", name=f"Area {a}") for a in range(1, AREAS + 1)
    ]
    organisations = [
        Organisation(partnership=partnership, name=f"Council {o}", short_name=f"C{o}", tier=Tier.district)
        for o in range(1, ORGANISATIONS + 1)
    ]
    points = [
        ContactPoint(
            organisation=org,
            channel=Channel(name),
            name=f"{org.short_name} {name} {k}",
            locator=f"{k} High St",
            service_areas=areas,
        )
        for org in organisations
        for name in CHANNEL_NAMES
        for k in range(2)
    ]
    wave = Wave(
        programme=programme,
        number=1,
        name="Bench wave",
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=30),
    )
    scenarios = [
        Scenario(
            programme=programme,
            service_area=area,
            title=f"Scenario {area.code}",
            persona="A resident",
            question="?",
        )
        for area in areas
    ]
    versions = [
        QuestionnaireVersion(
            questionnaire=Questionnaire(programme=programme, channel=Channel(name), title=name), number=1
        )
        for name in CHANNEL_NAMES
    ]
    statement = ConfidentialityStatement(programme=programme, version=1, text="Confidential.")
    db.session.add_all(
        [partnership, programme, *areas, *organisations, *points, wave, *scenarios, *versions, statement]
    )
    db.session.flush()
    conflicts = synthetic_conflicts(rng)
    for i in range(SHOPPERS):
        user = User(
            email=f"shopper{i}@bench.test",
            display_name=f"Shopper {i}",
            password_hash="x",
            programme=programme,
            role_rows=[UserRole(role=Role.shopper)],
        )
        declaration = ConflictDeclaration(declared_none=not conflicts[i])
        db.session.add(user)
        db.session.flush()
        declaration.user_id = user.id
        declaration.conflicts = [
            Conflict(
                user_id=user.id,
                reason="bench",
                organisation_id=organisations[o - 1].id if o else None,
                service_area_id=areas[a - 1].id if a else None,
            )
            for o, a in conflicts[i]
        ]
        db.session.add_all(
            [declaration, ConfidentialityAcknowledgement(user_id=user.id, statement_id=statement.id)]
        )
        if rng.random() < 0.1:
            db.session.add(ShopperAvailability(user_id=user.id, weekday_daytime=False))
    for (o, a, c), n in targets().items():
        db.session.add(
            CoverageTarget(
                wave_id=wave.id,
                organisation_id=organisations[o - 1].id,
                service_area_id=areas[a - 1].id,
                channel=Channel(CHANNEL_NAMES[c]),
                target=n,
            )
        )
    db.session.add(WavePlan(wave_id=wave.id, max_per_shopper=MAX_PER_SHOPPER))
    db.session.commit()


def in_database(url: str, rng) -> float:
    import sqlalchemy as sa

    from app import create_app
    from app.accounts.models import Conflict
    from app.assignments import planning
    from app.assignments.models import Assignment
    from app.audit.models import AuditEvent
    from app.extensions import db
    from app.programmes.models import Wave
    from config import TestConfig

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    with app.app_context():
        build_database(url, rng)
        wave = db.session.scalar(sa.select(Wave))
        started = time.perf_counter()
        result = planning.auto_assign(wave, None)
        db.session.commit()
        elapsed = time.perf_counter() - started
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Assignment))
        events = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "assignment.offered")
        )
        conflicts = {}
        for c in db.session.scalars(sa.select(Conflict)):
            conflicts.setdefault(c.user_id, []).append(c)
        rows = db.session.execute(
            sa.select(Assignment.shopper_id, Assignment.contact_point_id, Assignment.scenario_id)
        ).all()
        from app.programmes.models import ContactPoint, Scenario

        organisation_of = dict(
            db.session.execute(sa.select(ContactPoint.id, ContactPoint.organisation_id)).all()
        )
        area_of = dict(db.session.execute(sa.select(Scenario.id, Scenario.service_area_id)).all())
        assert len({(s, p) for s, p, _ in rows}) == len(rows), "rotation broken"
        for shopper_id, point_id, scenario_id in rows:
            assert not any(
                c.touches(organisation_of[point_id], area_of[scenario_id])
                for c in conflicts.get(shopper_id, [])
            ), "conflict broken"
        loads = (
            db.session.execute(
                sa.select(sa.func.count()).select_from(Assignment).group_by(Assignment.shopper_id)
            )
            .scalars()
            .all()
        )
        assert max(loads) <= MAX_PER_SHOPPER, "workload broken"
        print(
            f"{url.split(':')[0]}: {count} assignments and {events} audit events written, "
            f"{sum(u.missing for u in result.unfilled)} unfilled; auto_assign + commit {elapsed:.2f} s"
        )
        db.session.remove()
        db.engine.dispose()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", help="also run against this PostgreSQL database (its schema is replaced)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    in_memory(random.Random(args.seed))
    with tempfile.TemporaryDirectory() as folder:
        in_database("sqlite:///" + os.path.join(folder, "bench.db"), random.Random(args.seed))
    if args.pg_url:
        in_database(args.pg_url, random.Random(args.seed))


if __name__ == "__main__":
    main()
