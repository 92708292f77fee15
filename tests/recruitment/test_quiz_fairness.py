"""The knowledge quiz gives no answer away: nothing in the page or its HTML marks the right answers before
an attempt is scored, and a failed attempt names the questions to read up on, not their answers."""

import html
import re

import pytest

from app.extensions import db
from app.recruitment import quiz as quiz_service
from app.recruitment.models import VolunteerApplication
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_application, make_quiz

# Eight questions whose right answer the coordinator wrote first, as coordinators do.
QUESTIONS = [(f"Question {n}?", [f"Right {n}", f"Wrong {n}a", f"Wrong {n}b"], 0) for n in range(1, 9)]


def choices_on_page(page: str) -> dict[int, dict[str, str]]:
    """{question id: {option text: the value its radio sends}} as the quiz page shows them."""
    labels = {
        m[0]: html.unescape(m[1]).strip() for m in re.findall(r'<label for="([^"]+)">([^<]*)</label>', page)
    }
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attrs.get("type") == "radio" and attrs.get("name", "").startswith("q"):
            found.setdefault(int(attrs["name"][1:]), {})[labels[attrs["id"]]] = attrs["value"]
    return found


def answer(client, texts: dict[int, str]):
    """Send the quiz with the option of each question whose text is given, as the page offers them."""
    offered = choices_on_page(client.get("/application/quiz").get_data(as_text=True))
    data = {f"q{qid}": offered[qid][text] for qid, text in texts.items()}
    return client.post("/application/quiz", headers=csrf_headers(client), data=data)


@pytest.fixture
def quiz(world):
    return make_quiz(world.programme, pass_mark=75, questions=QUESTIONS)


@pytest.fixture
def applicant(client, world):
    application = make_application(world.programme)
    sign_in(client, application.user)
    return application


def test_the_page_does_not_mark_the_right_answers(client, quiz, applicant):
    page = client.get("/application/quiz").get_data(as_text=True)
    offered = choices_on_page(page)
    assert set(offered) == {q.id for q in quiz.questions}
    # Neither the place of the right answer nor the value it sends is the same for every question.
    first_shown = [next(iter(options)) for options in offered.values()]
    assert not all(text.startswith("Right") for text in first_shown)
    right_values = {options[f"Right {n}"] for n, options in enumerate(offered.values(), start=1)}
    assert len(right_values) > 1
    assert not re.search(r"correct|right-answer|data-answer", page.split("<form")[1], re.I)


def test_the_order_holds_for_one_go_and_changes_after_it(client, quiz, applicant):
    before = choices_on_page(client.get("/application/quiz").get_data(as_text=True))
    assert choices_on_page(client.get("/application/quiz").get_data(as_text=True)) == before
    answer(client, {q.id: f"Wrong {n}a" for n, q in enumerate(quiz.questions, start=1)})
    after = choices_on_page(client.get("/application/quiz").get_data(as_text=True))
    assert after != before


def test_a_failed_attempt_names_the_questions_to_read_up_on_not_their_answers(client, quiz, applicant):
    questions = list(quiz.questions)
    texts = {q.id: f"Right {n}" for n, q in enumerate(questions, start=1)}
    texts[questions[0].id], texts[questions[1].id], texts[questions[2].id] = (
        "Wrong 1a",
        "Wrong 2b",
        "Wrong 3a",
    )
    assert answer(client, texts).status_code == 302
    page = client.get("/application/quiz").get_data(as_text=True)
    result = page.split('class="quiz-result"')[1].split("</section>")[0]
    assert "62% — not passed" in result and "Questions to read up on" in result
    assert all(f"Question {n}?" in result for n in (1, 2, 3)) and "Question 4?" not in result
    assert "Right" not in result and "Wrong" not in result  # neither the right answers nor theirs
    assert "training manual" in result


def test_after_a_pass_the_explanations_of_the_missed_ones_are_shown(client, world, quiz, applicant):
    quiz.questions[0].explanation = "Potholes are the highway authority's."
    db.session.commit()
    texts = {q.id: f"Right {n}" for n, q in enumerate(quiz.questions, start=1)}
    texts[quiz.questions[0].id] = "Wrong 1b"
    answer(client, texts)
    page = client.get("/application/quiz").get_data(as_text=True)
    assert "87% — passed" in page and "Potholes are the highway authority&#39;s." in page
    assert db.session.get(VolunteerApplication, applicant.id).quiz_passed_at is not None


def test_the_order_is_a_shuffle_of_every_option():
    from app.recruitment.models import QuizQuestion

    question = QuizQuestion(id=7, text="q", options=["a", "b", "c", "d"], correct_option=0)
    orders = {tuple(quiz_service.option_order(question, 1, n, "key")) for n in range(20)}
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders) and len(orders) > 1
