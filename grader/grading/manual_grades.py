"""A trainer's grade of a written answer belongs to that answer.

nbgrader keeps the trainer's earlier score when a learner resubmits, whatever the new
answer says (it only flags the grade for review). Runs after nbgrader's
``SaveAutoGrades``, :class:`ManualGradesFollowTheAnswer` compares each written answer with
the one graded last time (a digest kept in the gradebook's database):

- the same answer: the trainer's score stands and nothing waits for review;
- another answer (or none): the old score is removed, so the new answer waits for the
  trainer, or scores zero as "No response" when there is nothing to grade;
- no digest yet (graded before these records existed): nbgrader's own rule.
"""

from __future__ import annotations

import hashlib

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from sqlalchemy import Column, MetaData, String, Table, create_engine, delete, select

from grader.grading.run_state import create_tables

METADATA = MetaData()
ANSWERS = Table(
    "grader_written_answers",
    METADATA,
    Column("assignment", String(128), primary_key=True),
    Column("learner", String(128), primary_key=True),
    Column("notebook", String(128), primary_key=True),
    Column("cell", String(128), primary_key=True),
    Column("digest", String(64), nullable=False),
)


def _written_answers(nb: NotebookNode) -> dict[str, str]:
    """Digest of each manually graded answer cell, by grade id."""
    found = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade") and cell.cell_type == "markdown":
            found[meta["grade_id"]] = hashlib.sha256(cell.source.encode()).hexdigest()
    return found


class ManualGradesFollowTheAnswer(NbGraderPreprocessor):
    """Keep a trainer's score only for the answer it was given to (see the module)."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        answers = _written_answers(nb)
        if not answers:
            return nb, resources
        key = {
            "assignment": info["assignment"],
            "learner": info["student"],
            "notebook": info["notebook"],
        }
        engine = create_engine(info["db_url"])
        try:
            create_tables(engine, METADATA)
            mine = (
                (ANSWERS.c.assignment == key["assignment"])
                & (ANSWERS.c.learner == key["learner"])
                & (ANSWERS.c.notebook == key["notebook"])
            )
            with engine.connect() as db:
                before = dict(
                    db.execute(select(ANSWERS.c.cell, ANSWERS.c.digest).where(mine)).all()
                )
            with Gradebook(info["db_url"]) as gradebook:
                for cell, digest in answers.items():
                    if cell not in before:
                        continue
                    grade = gradebook.find_grade(
                        cell, key["notebook"], key["assignment"], key["learner"]
                    )
                    if before[cell] == digest:
                        grade.needs_manual_grade = grade.manual_score is None and (
                            grade.auto_score is None
                        )
                    else:
                        self.log.info(
                            "Written answer %s changed: its earlier grade is removed", cell
                        )
                        grade.manual_score = None
                        grade.extra_credit = None
                        grade.needs_manual_grade = grade.auto_score is None
                gradebook.db.commit()
            with engine.begin() as db:
                db.execute(delete(ANSWERS).where(mine))
                db.execute(
                    ANSWERS.insert(),
                    [{**key, "cell": cell, "digest": digest} for cell, digest in answers.items()],
                )
        finally:
            engine.dispose()
        return nb, resources
