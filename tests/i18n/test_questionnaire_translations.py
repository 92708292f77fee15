"""Questionnaires carry a translation per question (and section): the exit interview's ready template has its
Welsh, the shopper's copy of a version carries it, the import checks it, and an interview run in Welsh counts
with the English ones in one result (the same keys and option values)."""

import copy
import json

import pytest

from app.errors_domain import ImportRefused
from app.extensions import db
from app.programmes.models import Channel
from app.questionnaires import exchange, services
from app.questionnaires.ready_templates import ready_templates
from app.questionnaires.schemas import ShopperQuestionnaireVersionSchema
from app.results import figures
from app.visits import review
from tests.factories import make_assignment, make_shopper
from tests.results.helpers import coordinator_of
from tests.review.helpers import make_submission


@pytest.fixture
def exit_version(world):
    coordinator = coordinator_of(world)
    version, _ = services.create_from_content(
        world.programme, ready_templates()["exit_interview"], coordinator, unknown_standards="drop"
    )
    db.session.commit()
    return version


def test_the_ready_exit_interview_is_whole_in_welsh_and_the_shopper_gets_it(exit_version):
    for section in exit_version.sections:
        assert section.translations["cy"]["title"]
        for question in section.questions:
            welsh = question.translations["cy"]
            assert welsh["text"] and welsh["text"] != question.text
            assert set(welsh["options"]) == {o["value"] for o in question.options or []}
    shopper_copy = ShopperQuestionnaireVersionSchema().dump(exit_version)
    satisfaction = next(
        q for s in shopper_copy["sections"] for q in s["questions"] if q["key"] == "satisfaction"
    )
    assert satisfaction["translations"]["cy"]["text"] == "Rwy'n fodlon â'r gwasanaeth a gefais heddiw."
    assert "weight" not in satisfaction  # the shopper's copy still leaves the scoring out


def test_export_and_import_keep_the_translations_and_refuse_bad_ones(exit_version):
    exported = exchange.export(exit_version)
    assert exchange.parse(json.dumps(exported))["sections"] == ready_templates()["exit_interview"]["sections"]
    for change, reason in [
        (
            lambda q: q["translations"]["cy"]["options"].update(parking="Parcio"),
            "options the question does not have",
        ),
        (
            lambda q: q["translations"].update(fr={"text": "Pourquoi ?"}),
            "translations.fr.key: Must be one of: cy",
        ),
    ]:
        broken = copy.deepcopy(exported)
        change(next(q for s in broken["sections"] for q in s["questions"] if q["key"] == "visit_purpose"))
        with pytest.raises(ImportRefused) as refused:
            exchange.parse(json.dumps(broken))
        assert reason in " ".join(refused.value.reasons)


def test_an_exit_interview_run_in_welsh_counts_with_the_english_ones(world, exit_version):
    coordinator = coordinator_of(world)
    # The app sends what the resident chose, by option value, whichever language the question was read in.
    answers = {
        "consent": True,
        "interview_time": "10:40",
        "visit_purpose": "housing",
        "tried_before": ["website"],
        **dict.fromkeys(
            [
                "satisfaction",
                "need_addressed",
                "ease",
                "reasonable_time",
                "treated_fairly",
                "staff_helpful",
                "trust",
            ],
            4,
        ),
        "overall_smiley": "good",
    }
    for _language in ("en", "cy", "en"):
        shopper = make_shopper(world)
        assignment = make_assignment(
            world,
            shopper,
            version=exit_version,
            channel=Channel.exit_interview,
            contact_point=world.district_office,
        )
        submission = make_submission(world, shopper=shopper, assignment=assignment, answers=answers, notes="")
        review.approve(submission, coordinator)
        db.session.commit()
    names = figures.Names(world.programme)
    [row] = figures.rows(
        world.programme, names, world.wave, figures.Filters(channel=Channel.exit_interview), ("channel",)
    )
    assert row["reports"] == 3
