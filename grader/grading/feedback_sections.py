"""The parts of the feedback page as HTML: the result, the guidelines, each question.

Every text is escaped where it lands: course texts as much as the learner's answers and
the trainer's comments, which keep their line breaks and nothing else. A result is shown
by a word and a symbol as well as a colour.
"""

from __future__ import annotations

import html

from grader.course.guidelines import guideline
from grader.course.i18n import message
from grader.course.points import exact, percent_of, percent_text, points_text
from grader.grading.feedback_data import Feedback, Question, below_pass_mark, overall_percent
from grader.grading.feedback_texts import number, words

MARKS = {
    "right": "✓",
    "partly": "◐",
    "wrong": "✗",
    "unanswered": "\u2013",  # an en dash
    "pending": "…",
    "ungraded": "?",
}


def escape(text: str) -> str:
    """Text for an element's content: ``<``, ``>`` and ``&`` escaped (no attribute here
    holds text)."""
    return html.escape(text, quote=False)


def points(score: float, most: float, language: str) -> str:
    """``2 of 3 points``, ``0.67 of 2 points``, ``1 of 1 point`` (``0,67`` in Dutch)."""
    key = "points_one" if exact(most) == 1 else "points_many"
    return words(
        language,
        key,
        score=number(points_text(score), language),
        points=number(points_text(most), language),
    )


def percent(value: float, mark: float, language: str) -> str:
    """A percentage that never contradicts the decision against ``mark``."""
    return number(percent_text(value, mark), language)


def _mark(status: str) -> str:
    return f'<span class="mark" aria-hidden="true">{MARKS[status]}</span>'


def result_html(feedback: Feedback, heading_attributes: str = "") -> str:
    """The result first: the score and the decision, or why there is none yet.

    ``heading_attributes`` (trusted markup, never learner text) go on its heading."""
    language, totals = feedback.language, feedback.totals
    score = number(points_text(totals.score), language)
    most = number(points_text(totals.max_score), language)
    pass_mark = number(f"{feedback.pass_mark:g}%", language)
    if not feedback.final:
        state, verdict, mark = "open", words(language, "not_final"), "pending"
        key = "pending_one" if totals.pending == 1 else "pending_many"
        lines = [
            f'<p class="score">{escape(words(language, "score_so_far", score=score, points=most))}'
            "</p>",
            f"<p>{escape(words(language, key, count=totals.pending))}</p>",
        ]
    else:
        state = "passed" if feedback.passed else "failed"
        verdict = words(language, state.replace("failed", "not_passed"))
        mark = "right" if feedback.passed else "wrong"
        shown = percent(overall_percent(feedback), feedback.pass_mark, language)
        lines = [
            f'<p class="score">'
            f"{escape(words(language, 'score_final', score=score, points=most, percent=shown))}</p>"
        ]
        if feedback.passed:
            lines.append(f"<p>{escape(words(language, 'passed_text'))}</p>")
        else:
            lines.append(_reasons(feedback, pass_mark))
    if feedback.guideline_minimum:
        minimum = number(f"{feedback.guideline_minimum:g}%", language)
        rule = words(language, "rule", pass_mark=pass_mark, minimum=minimum)
    else:
        rule = words(language, "rule_no_minimum", pass_mark=pass_mark)
    notice = ""
    if feedback.answers_problem:
        text = words(language, "answers_unreadable", reason=feedback.answers_problem)
        notice = f'<p class="notice" role="note">{escape(text)}</p>'
    return (
        f'<section class="result {state}" aria-labelledby="result">'
        f'<h2 id="result"{" " + heading_attributes if heading_attributes else ""}>'
        f"{escape(words(language, 'result_heading'))}</h2>"
        f'<p class="verdict">{_mark(mark)} {escape(verdict)}</p>'
        + "".join(lines)
        + f'<p class="rule">{escape(rule)}</p></section>'
        + notice
    )


def _reasons(feedback: Feedback, pass_mark: str) -> str:
    language = feedback.language
    reasons = []
    if not feedback.totals.max_score:
        reasons.append(words(language, "nothing_scored"))
    if below_pass_mark(feedback):
        shown = percent(overall_percent(feedback), feedback.pass_mark, language)
        reasons.append(words(language, "below_pass_mark", percent=shown, pass_mark=pass_mark))
    minimum = number(f"{feedback.guideline_minimum:g}%", language)
    below = [result for result in feedback.guidelines if not result.reached]
    if len(below) == 1:
        rule = below[0].guideline
        share = percent_of(below[0].earned, below[0].points)
        reasons.append(
            words(
                language,
                "below_minimum",
                number=rule.number,
                title=rule.title(language),
                percent=percent(share, feedback.guideline_minimum, language),
                minimum=minimum,
            )
        )
    elif below:
        numbers = [str(result.guideline.number) for result in below]
        listed = f"{', '.join(numbers[:-1])} {words(language, 'and')} {numbers[-1]}"
        reasons.append(words(language, "below_minimum_many", numbers=listed, minimum=minimum))
    return '<ul class="reasons">' + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul>"


def guidelines_html(feedback: Feedback) -> str:
    """Per guideline: points earned of points possible, and whether it reaches the minimum."""
    language, minimum = feedback.language, feedback.guideline_minimum
    rows = []
    for result in feedback.guidelines:
        rule = result.guideline
        share = percent_of(result.earned, result.points)
        title = message(language, "guideline", number=rule.number, title=rule.title(language))
        shown = f"{points(result.earned, result.points, language)} "
        shown += f"({percent(share, minimum, language)})"
        if result.pending:
            state, status = "pending", words(language, "guideline_pending")
        elif not minimum:
            state, status = "", ""
        elif result.reached:
            state, status = "right", words(language, "minimum_reached")
        else:
            state, status = "wrong", words(language, "minimum_missed")
        tag = f'<span class="state {state}">{_mark(state)} {escape(status)}</span>' if state else ""
        threshold = f'<i style="left:{minimum:g}%"></i>' if minimum else ""
        rows.append(
            f'<li><span class="g-title">{escape(title)}</span>'
            f'<span class="bar" aria-hidden="true"><span style="width:{share:.1f}%"></span>'
            f"{threshold}</span>"
            f'<span class="g-line"><span>{escape(shown)}</span>{tag}</span></li>'
        )
    return (
        '<section aria-labelledby="guidelines">'
        f'<h2 id="guidelines">{escape(words(language, "guidelines_heading"))}</h2>'
        f'<ul class="guidelines">{"".join(rows)}</ul></section>'
    )


def question_html(question: Question, language: str) -> str:
    """One question: its result, the scenario as the exam showed it, the learner's answer,
    the best answer, the trainer's comment and why."""
    item, status = question.item, question.status
    rule = guideline(item.guideline)
    label = escape(words(language, status))
    if status not in ("pending", "ungraded"):
        scored = points(question.score or 0.0, question.points, language)
        label += f' <span class="pts">· {escape(scored)}</span>'
    parts = [
        f'<article class="question" id="question-{question.number}" '
        f'aria-labelledby="question-{question.number}-heading">',
        f'<h3 id="question-{question.number}-heading">'
        f"{escape(message(language, 'question_number', number=question.number))}</h3>",
        '<p class="of">'
        f"{escape(message(language, 'guideline', number=rule.number, title=rule.title(language)))}"
        "</p>",
        f'<p class="status {status}">{_mark(status)} {label}</p>',
        _scenario(question, language),
        _answer(question, language),
    ]
    if question.comment.strip():
        parts.append(_part(words(language, "comment"), _text(question.comment, "comment")))
    parts.append(_best(question, language))
    parts.append(_part(words(language, "why"), _paragraphs(item.explanation)))
    return "\n".join(parts) + "\n</article>"


def _part(heading: str, body: str) -> str:
    return f"<h4>{escape(heading)}</h4>{body}"


def _text(text: str, kind: str) -> str:
    """Text shown exactly as written: escaped, line breaks kept, long words wrapped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return f'<p class="{kind}">{escape(lines)}</p>'


def _paragraphs(text: str) -> str:
    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "".join(f"<p>{escape(block)}</p>" for block in blocks if block)


def _scenario(question: Question, language: str) -> str:
    scenario = question.item.scenario
    you_are, where = message(language, "you_are"), message(language, "where")
    parts = [
        f"<p><strong>{escape(you_are)}:</strong> {escape(scenario.role)}<br>"
        f"<strong>{escape(where)}:</strong> {escape(scenario.platform)}</p>",
        _paragraphs(scenario.situation),
    ]
    if scenario.post:
        parts.append(f'<blockquote class="post">{escape(scenario.post.strip())}</blockquote>')
    parts.append(f'<p class="ask">{escape(question.item.question.strip())}</p>')
    return f'<div class="scenario">{"".join(parts)}</div>'


def _answer(question: Question, language: str) -> str:
    item, answer = question.item, question.answer
    texts = {option.id: option.text for option in item.options}
    heading = words(language, "your_answer")
    if item.kind == "multi-select":
        heading = words(language, "you_flagged" if question.flags_lines else "your_choices")
    if question.problem is not None:
        body = f"<p>{escape(words(language, 'invalid', reason=question.problem))}</p>"
    elif answer is None:
        body = f"<p>{escape(words(language, 'not_answered'))}</p>"
    elif item.kind == "free-text":
        body = _text(answer, "written")
    elif item.kind == "choice":
        body = _picks([answer], texts, set(item.key), language)
    elif not answer:
        body = f"<p>{escape(words(language, 'nothing_picked'))}</p>"
    else:
        picked = [option.id for option in item.options if option.id in answer]
        body = _picks(picked, texts, set(item.key), language)
    return _part(heading, body)


def _picks(picked: list[str], texts: dict[str, str], key: set[str], language: str) -> str:
    rows = []
    for option_id in picked:
        right = option_id in key
        word = words(language, "pick_right" if right else "pick_wrong")
        rows.append(
            f'<li class="{"ok" if right else "no"}">{_mark("right" if right else "wrong")}'
            f'<span><span class="sr">{escape(word)}: </span>{escape(texts[option_id])}</span></li>'
        )
    return f'<ul class="picks">{"".join(rows)}</ul>'


def _best(question: Question, language: str) -> str:
    item = question.item
    if item.kind == "free-text":
        if not item.model_answer:
            return ""
        return _part(words(language, "model_answer"), _text(item.model_answer, "model"))
    texts = {option.id: option.text for option in item.options}
    if item.kind == "choice":
        return _part(words(language, "best_answer"), f"<p>{escape(texts[item.key[0]])}</p>")
    picked = set(question.answer or ())
    rows = []
    for option in item.options:
        if option.id not in item.key:
            continue
        missed = ""
        if question.answer is not None and option.id not in picked:
            missed = f' <span class="missed">({escape(words(language, "missed"))})</span>'
        rows.append(f"<li>{escape(option.text)}{missed}</li>")
    heading = words(language, "to_flag" if question.flags_lines else "best_choices")
    return _part(heading, f'<ul class="best">{"".join(rows)}</ul>')
