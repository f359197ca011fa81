"""The learner's feedback page: nbgrader's ``generate_feedback`` writes it in place of the
raw notebook (see :mod:`grader.grading.config`).

:class:`GetTrainerGrading` runs after nbgrader's ``GetGrades`` and notes in each grade
cell whether the trainer still has to grade it, and the trainer's comment;
:class:`LearnerFeedbackExporter` then writes the page from the course data, those grades
and the learner's answers file (:mod:`grader.grading.feedback_data`). The page is one
self-contained HTML file in the learner's language: inline CSS, no script, nothing
fetched (its Content-Security-Policy forbids it), every text escaped, readable on a phone.
"""

from __future__ import annotations

import contextlib
import html
from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import default

from grader.course.content import load_settings_and_bank
from grader.course.i18n import message, split_assignment
from grader.grading.feedback_data import CellGrade, Feedback, compile_feedback, learner_answers
from grader.grading.feedback_sections import (
    MARKS,
    escape,
    guidelines_html,
    question_html,
    result_html,
)
from grader.grading.feedback_texts import words
from grader.learner.answers import answers_path

POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"

# Phone first: one column that wraps; on a desktop about 70 characters a line; 16 px or more.
CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:#1f2328;overflow-wrap:break-word;
  font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
main{max-width:40rem;margin:0 auto;padding:1rem .75rem 3rem}
h1{font-size:1.55rem;line-height:1.25;margin:.1rem 0 1.2rem}
h2{font-size:1.3rem;line-height:1.3;margin:2rem 0 .8rem}
h3{font-size:1.2rem;margin:0}
h4{font-size:1rem;margin:1.1rem 0 .3rem}
p{margin:.5rem 0}
.kicker,.of,.rule{color:#57606a;font-size:1rem}
.kicker{margin:0}.of{margin:.1rem 0 .4rem}
.result,.question,.guidelines li{background:#fff;border:1px solid #d0d7de;border-radius:.5rem}
.result{border-left:.5rem solid #57606a;padding:.2rem .9rem .6rem}
.result.passed{border-left-color:#1a7f37}.result.failed{border-left-color:#cf222e}
.result.open{border-left-color:#0969da}
.result h2{font-size:1rem;margin:.6rem 0 0;color:#57606a;text-transform:uppercase;
  letter-spacing:.04em}
.verdict{font-size:1.75rem;font-weight:700;line-height:1.2;margin:.2rem 0 .4rem}
.passed .verdict .mark{color:#1a7f37}.failed .verdict .mark{color:#cf222e}
.open .verdict .mark{color:#0969da}
.score{font-size:1.15rem;font-weight:600}
.reasons{margin:.4rem 0;padding-left:1.2rem}
.notice{background:#fff8c5;border-left:.3rem solid #bf8700;padding:.5rem .8rem;border-radius:.3rem}
.guidelines{list-style:none;padding:0;margin:0;display:grid;gap:.5rem}
.guidelines li{padding:.55rem .9rem}
.g-title{display:block;font-weight:600}
.g-line{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 1rem}
.bar{display:block;position:relative;height:.5rem;margin:.35rem 0;background:#e5e7eb;
  border-radius:.25rem}
.bar span{display:block;height:100%;background:#0969da;border-radius:.25rem}
.bar i{position:absolute;top:-.2rem;bottom:-.2rem;border-left:2px solid #1f2328}
.state{font-weight:600}.state.right{color:#116329}.state.wrong{color:#a40e26}
.state.pending{color:#0550ae}
.jump{list-style:none;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.4rem}
.jump a{display:block;min-width:3.2rem;min-height:2.75rem;padding:.45rem .4rem;text-align:center;
  border:1px solid #d0d7de;border-radius:.4rem;background:#fff;color:#1f2328;
  text-decoration:none;font-variant-numeric:tabular-nums}
.question{padding:.8rem .9rem .4rem;margin:1rem 0;scroll-margin-top:.5rem}
.status{display:inline-block;font-weight:700;padding:.1rem .7rem;border-radius:1rem;
  background:#eaeef2;margin:.3rem 0}
.right{background:#dafbe1;color:#116329}.partly{background:#fff8c5;color:#7d4e00}
.wrong{background:#ffebe9;color:#a40e26}.pending{background:#ddf4ff;color:#0550ae}
.state{background:none}
.pts{font-weight:400}
.post{white-space:pre-line;margin:.6rem 0;padding:.4rem .7rem;background:#f6f8fa;
  border-left:.25rem solid #8c959f;border-radius:0 .4rem .4rem 0}
.ask{font-weight:600}
.written,.comment,.model{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0;
  padding:.5rem .8rem;border-radius:.4rem;background:#f6f8fa}
.comment{background:#ddf4ff}
.picks{list-style:none;padding:0;margin:.3rem 0}
.picks li{display:flex;gap:.5rem;margin:.25rem 0}
.picks .mark{flex:none;width:1.2em;text-align:center;font-weight:700}
.ok .mark{color:#116329}.no .mark{color:#a40e26}
.best{margin:.3rem 0;padding-left:1.3rem}
.missed{color:#57606a;font-style:italic}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media print{body{background:#fff}.jump{display:none}.question{break-inside:avoid}}
"""


class GetTrainerGrading(NbGraderPreprocessor):
    """Note in each grade cell what is left to the trainer (nbgrader's
    ``needs_manual_grade``), so the page says "to be graded" instead of "0 of 3", and the
    trainer's own comment, without the autograder's ("No response.")."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        names = info["notebook"], info["assignment"], info["student"]
        with Gradebook(info["db_url"]) as gradebook:
            for cell in nb.cells:
                nbgrader = cell.get("metadata", {}).get("nbgrader", {})
                if not nbgrader.get("grade"):
                    continue
                try:
                    grade = gradebook.find_grade(nbgrader["grade_id"], *names)
                except MissingEntry:
                    continue
                nbgrader["needs_manual_grade"] = bool(grade.needs_manual_grade)
                with contextlib.suppress(MissingEntry):
                    comment = gradebook.find_comment(nbgrader["grade_id"], *names)
                    nbgrader["trainer_comment"] = comment.manual_comment or ""
        return nb, resources


def cell_grades(nb: NotebookNode) -> dict[str, CellGrade]:
    """The grade of each grade cell, by grade id, as ``GetGrades`` and
    :class:`GetTrainerGrading` left them in the cells' metadata."""
    grades = {}
    for cell in nb.cells:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if not nbgrader.get("grade") or "needs_manual_grade" not in nbgrader:
            continue
        score = nbgrader.get("score")
        grades[str(nbgrader.get("grade_id"))] = CellGrade(
            score=None if score is None else float(score),
            points=float(nbgrader.get("points") or 0.0),
            pending=bool(nbgrader["needs_manual_grade"]),
            comment=str(nbgrader.get("trainer_comment") or ""),
        )
    return grades


class LearnerFeedbackExporter(Exporter):
    """Writes the feedback page of one graded notebook (``.html``), for nbgrader's
    ``GenerateFeedback`` converter: only the grades of the notebook are read."""

    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict | None = None, **kw: Any
    ) -> tuple[str, ResourcesDict]:
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        info = resources["nbgrader"]
        coursedir = getattr(self.parent, "coursedir", None) or CourseDirectory(config=self.config)
        assessment, language = split_assignment(info["assignment"])
        settings, bank = load_settings_and_bank(coursedir.root, language)
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        answers, problem = learner_answers(answers_path(folder, info["notebook"]), language)
        feedback = compile_feedback(
            settings,
            bank,
            assessment,
            language,
            info["student"],
            cell_grades(nb_copy),
            answers,
            problem,
        )
        resources["output_extension"] = self.file_extension
        return render(feedback), resources


def render(feedback: Feedback) -> str:
    """The whole page."""
    language = feedback.language
    title = words(language, "title", title=feedback.title)
    nav = "".join(_jump(q.number, q.status, language) for q in feedback.questions)
    body = [
        "<header>",
        f'<p class="kicker">{escape(words(language, "for_learner", learner=feedback.learner))}</p>',
        f"<h1>{escape(feedback.title)}</h1>",
        "</header>",
        result_html(feedback),
        guidelines_html(feedback),
        '<section aria-labelledby="questions">',
        f'<h2 id="questions">{escape(words(language, "questions_heading"))}</h2>',
        f'<nav aria-label="{html.escape(words(language, "questions_nav"))}"><ol class="jump">'
        f"{nav}</ol></nav>",
        *(question_html(question, language) for question in feedback.questions),
        "</section>",
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _jump(number: int, status: str, language: str) -> str:
    label = message(language, "question_number", number=number)
    state = words(language, status)
    return (
        f'<li><a class="{status}" href="#question-{number}">'
        f'<span aria-hidden="true">{number} {MARKS[status]}</span>'
        f'<span class="sr">{escape(label)}: {escape(state)}</span></a></li>'
    )
