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

from grader.answers import AnswersFileError, answer_problem, read_answers
from grader.scoring import score_choice, score_multi_select


def check_answer(
    answers_file: str,
    *,
    item: str,
    kind: str,
    options: dict[str, str],
    key: list[str],
    points: float,
    explanation: str,
) -> float:
    """Score one choice or multi-select item, print feedback, and return the score."""
    score, lines = _score(Path(answers_file), item, kind, options, key, points)
    lines.append(f"Score: {score:g} of {points:g}")
    lines.append(f"Why: {explanation}")
    print("\n".join(lines))
    return score


def _score(
    path: Path, item: str, kind: str, options: dict[str, str], key: list[str], points: float
) -> tuple[float, list[str]]:
    try:
        answers = read_answers(path)
    except AnswersFileError as error:
        return 0.0, [f"No score: {error}."]
    except OSError as error:
        return 0.0, [f"No score: the answers file could not be read ({error.strerror})."]
    if item not in answers:
        return 0.0, ["Not answered."]
    answer = answers[item]
    problem = answer_problem(kind, list(options), answer)
    if problem:
        return 0.0, [f"No score: the saved answer is not valid ({problem})."]
    picked = [answer] if kind == "choice" else answer
    lines = [f"Your answer: {_describe(picked, options)}"]
    lines.append(f"Best answer: {_describe(key, options)}")
    if kind == "choice":
        return score_choice(answer, key[0], points), lines
    return score_multi_select(answer, key, list(options), points), lines


def _describe(option_ids: list[str], options: dict[str, str]) -> str:
    if not option_ids:
        return "(nothing picked)"
    return "; ".join(options[option_id] for option_id in option_ids)
