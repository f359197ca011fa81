"""What an assessment's hidden autograder test cells call.

Each test cell ends with one :func:`check_answer` call; its return value (a float) is the
cell's result, which nbgrader reads as the item's partial credit. The learner's answer is
read straight from the answers file and checked field by field, so no object a learner
could craft takes part in the comparison. Nothing is written to stderr (nbgrader would
score the cell zero) and nothing raises: every problem becomes a zero with a message in
the feedback.
"""

from __future__ import annotations

from pathlib import Path

from grader.course.i18n import message
from grader.course.points import points_text
from grader.course.scoring import score_choice, score_multi_select
from grader.learner.answers import AnswersFileError, answer_problem, read_answers


def check_answer(
    answers_file: str,
    *,
    item: str,
    kind: str,
    options: dict[str, str],
    key: list[str],
    points: float,
    explanation: str,
    language: str = "en",
) -> float:
    """Score one choice or multi-select item, print feedback, and return the score."""
    score, lines = _score(Path(answers_file), item, kind, options, key, points, language)
    lines.append(message(language, "score", score=points_text(score), points=points_text(points)))
    lines.append(f"{message(language, 'why')}: {explanation}")
    print("\n".join(lines))
    return score


def _score(
    path: Path,
    item: str,
    kind: str,
    options: dict[str, str],
    key: list[str],
    points: float,
    language: str,
) -> tuple[float, list[str]]:
    try:
        answers = read_answers(path)
    except AnswersFileError as error:
        return 0.0, [message(language, "no_score", reason=error.reason(language))]
    except OSError as error:
        return 0.0, [message(language, "no_score", reason=error.strerror)]
    if item not in answers:
        return 0.0, [message(language, "not_answered")]
    answer = answers[item]
    problem = answer_problem(kind, list(options), answer, language)
    if problem:
        return 0.0, [message(language, "invalid_answer", reason=problem)]
    picked = [answer] if kind == "choice" else answer
    lines = [
        f"{message(language, 'your_answer')}: {describe(picked, options, language)}",
        f"{message(language, 'best_answer')}: {describe(key, options, language)}",
    ]
    if kind == "choice":
        return score_choice(answer, key[0], points), lines
    return score_multi_select(answer, key, list(options), points), lines


def describe(option_ids: list[str], options: dict[str, str], language: str) -> str:
    """The texts of the picked options, for feedback."""
    if not option_ids:
        return message(language, "nothing_picked")
    return "; ".join(options[option_id] for option_id in option_ids)
