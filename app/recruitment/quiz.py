"""The training quiz: the coordinator's questions and pass mark, the applicant's attempts. The caller commits."""

import hashlib
import hmac
import random

import sqlalchemy as sa

from app.accounts.models import User
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.recruitment.models import (
    ApplicationStatus,
    QuizAttempt,
    QuizQuestion,
    TrainingQuiz,
    VolunteerApplication,
)

DEFAULT_PASS_MARK = 80
MIN_OPTIONS, MAX_OPTIONS = 2, 6


def quiz_for(programme_id: int, create: bool = False) -> TrainingQuiz | None:
    quiz = db.session.scalar(sa.select(TrainingQuiz).where(TrainingQuiz.programme_id == programme_id))
    if quiz is None and create:
        quiz = TrainingQuiz(programme_id=programme_id, pass_mark=DEFAULT_PASS_MARK)
        db.session.add(quiz)
        db.session.flush()
    return quiz


def set_pass_mark(quiz: TrainingQuiz, pass_mark: int, actor: User) -> None:
    if not 0 <= pass_mark <= 100:
        raise Invalid("pass_mark_out_of_range", "The pass mark is a percentage from 0 to 100.")
    quiz.pass_mark = pass_mark
    record("quiz.pass_mark_set", quiz, actor=actor, pass_mark=pass_mark)


def save_question(
    quiz: TrainingQuiz,
    question: QuizQuestion | None,
    text: str,
    options: list[str],
    correct_option: int,
    explanation: str,
    actor: User,
) -> QuizQuestion:
    """Add (``question`` None) or change a question. ``options`` may hold blanks, which are dropped;
    ``correct_option`` indexes the list as given."""
    text = text.strip()
    if not text:
        raise Invalid("text_required", "Write the question.")
    if not 0 <= correct_option < len(options) or not options[correct_option].strip():
        raise Invalid("correct_option_blank", "The correct answer must be one of the answers you wrote.")
    kept = [(index, option.strip()) for index, option in enumerate(options) if option.strip()]
    if not MIN_OPTIONS <= len(kept) <= MAX_OPTIONS:
        raise Invalid("options_count", f"Give between {MIN_OPTIONS} and {MAX_OPTIONS} answers.")
    if len({option.casefold() for _, option in kept}) != len(kept):
        raise Invalid("options_repeat", "Each answer must be different.")
    if question is None:
        question = QuizQuestion(quiz=quiz, position=len(quiz.questions) + 1)
        db.session.add(question)
    question.text = text
    question.options = [option for _, option in kept]
    question.correct_option = [index for index, _ in kept].index(correct_option)
    question.explanation = explanation.strip()
    db.session.flush()
    record("quiz.question_saved", question, actor=actor)
    return question


def remove_question(question: QuizQuestion, actor: User) -> None:
    record("quiz.question_removed", question, actor=actor)
    db.session.delete(question)
    db.session.flush()


def option_order(question: QuizQuestion, user_id: int, round_number: int, key: str) -> list[int]:
    """The indexes of ``question``'s options in the order this applicant sees them on their
    ``round_number``-th go (counted from 0): shuffled from a secret ``key``, so that neither the order
    nor the values in the page say which answer is right (a coordinator often writes it first). The
    same go shows the same order, so a form sent back with an error keeps its ticks."""
    seed = hmac.new(key.encode(), f"quiz:{user_id}:{round_number}:{question.id}".encode(), hashlib.sha256)
    order = list(range(len(question.options)))
    random.Random(seed.digest()).shuffle(order)
    return order


def rounds_taken(user_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == user_id)
    )


def take_quiz(application: VolunteerApplication, quiz: TrainingQuiz, answers: dict[int, int]) -> QuizAttempt:
    """Score one attempt (every question must be answered) and record it; a pass sets ``quiz_passed_at``.

    The attempt keeps the questions as asked, so its result still reads right after the quiz is edited.
    """
    if application.status != ApplicationStatus.pending:
        raise DomainError("already_decided", "Your application has been decided; the quiz is closed.")
    if not quiz.questions:
        raise DomainError("quiz_empty", "The quiz is not ready yet.")
    missing = [q.id for q in quiz.questions if q.id not in answers]
    if missing:
        raise Invalid("unanswered", "Answer every question.")
    results = []
    for question in quiz.questions:
        chosen = answers[question.id]
        if not 0 <= chosen < len(question.options):
            raise Invalid("unknown_option", "One of the answers is not an option of its question.")
        results.append(
            {
                "question": question.text,
                "options": list(question.options),
                "chosen": chosen,
                "correct": question.correct_option,
                "right": chosen == question.correct_option,
                "explanation": question.explanation,
            }
        )
    score = 100 * sum(r["right"] for r in results) // len(results)
    attempt = QuizAttempt(
        user_id=application.user_id,
        quiz_id=quiz.id,
        score=score,
        pass_mark=quiz.pass_mark,
        passed=score >= quiz.pass_mark,
        results=results,
    )
    db.session.add(attempt)
    if attempt.passed and application.quiz_passed_at is None:
        application.quiz_passed_at = utcnow()
    db.session.flush()
    record("quiz.attempted", attempt, actor=application.user, score=score, passed=attempt.passed)
    return attempt


def attempts_of(user_id: int) -> list[QuizAttempt]:
    return db.session.scalars(
        sa.select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id)
        .order_by(QuizAttempt.taken_at.desc(), QuizAttempt.id.desc())
    ).all()


def latest_attempt(user_id: int) -> QuizAttempt | None:
    attempts = attempts_of(user_id)
    return attempts[0] if attempts else None


def latest_attempts(user_ids) -> dict[int, QuizAttempt]:
    """Each user's latest attempt, by user id, in one query (users who never took the quiz are left out)."""
    ids = set(user_ids)
    if not ids:
        return {}
    newest_first = (
        sa.func.row_number()
        .over(partition_by=QuizAttempt.user_id, order_by=(QuizAttempt.taken_at.desc(), QuizAttempt.id.desc()))
        .label("n")
    )
    ranked = sa.select(QuizAttempt.id, newest_first).where(QuizAttempt.user_id.in_(ids)).subquery()
    attempts = db.session.scalars(
        sa.select(QuizAttempt).join(ranked, ranked.c.id == QuizAttempt.id).where(ranked.c.n == 1)
    )
    return {a.user_id: a for a in attempts}
