"""The nbgrader configuration of a course folder built from this package.

``nbgrader_config.py`` at the course root calls :func:`configure`, so the unmodified
``nbgrader`` commands (generate_assignment, autograde, formgrader, export) work on it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from pathlib import Path
from typing import Any

from nbgrader.converters import Autograde
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from grader.course.paths import RELEASE_DIR, SOURCE_DIR
from grader.grading.formgrade_view import TEMPLATE_NAME, TEMPLATES, WrittenAnswersFirst
from grader.grading.manual_grades import ManualGradesFollowTheAnswer
from grader.grading.sanitize import (
    DropAnswerWidgets,
    FillWrittenAnswers,
    KeepCourseCellsOnly,
    UseLearnersAnswersFile,
)

# Files a submission may never bring into the grading folder: anything Python could
# import instead of the real package (the grading kernel runs in that folder).
NEVER_COPIED = ["*.py", "*.pyc", "*.pyo", "*.pyw", "*.so", "*.pyd", "*.pth", "*.zip", "*.egg"]


# The exchange a course folder uses unless nbgrader_config.py sets ``c.Exchange.root``
# after calling configure: GRADER_EXCHANGE, or this folder inside the course.
EXCHANGE_ENV = "GRADER_EXCHANGE"
EXCHANGE_DIR = "exchange"


def _nbgrader_templates() -> Path:
    """nbgrader's own formgrader templates, which ours extend."""
    spec = importlib.util.find_spec("nbgrader")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "server_extensions" / "formgrader" / "templates"


def configure(
    c: Any, course_id: str = "social-media-guidelines", course_root: str | Path | None = None
) -> None:
    """Fill the traitlets config ``c`` of ``nbgrader_config.py``.

    With ``course_root`` (the folder of ``nbgrader_config.py``), nbgrader's exchange is
    ``$GRADER_EXCHANGE`` or ``<course_root>/exchange``, made if missing, so release,
    collect and the formgrader work on one machine without setting anything up. A
    JupyterHub sets ``c.Exchange.root`` to its shared folder after this call.
    """
    c.CourseDirectory.course_id = course_id
    if course_root is not None:
        c.Exchange.root = os.environ.get(EXCHANGE_ENV) or str(Path(course_root) / EXCHANGE_DIR)
        with contextlib.suppress(OSError):  # nbgrader names the folder when it needs it
            Path(c.Exchange.root).mkdir(parents=True, exist_ok=True)
    c.CourseDirectory.source_directory = SOURCE_DIR
    c.CourseDirectory.release_directory = RELEASE_DIR
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "__pycache__", "feedback", *NEVER_COPIED]
    # Written-answer cells carry their own stub; the rubric region just disappears.
    c.ClearSolutions.text_stub = ""
    c.Autograde.sanitize_preprocessors = [
        ClearOutput,
        DeduplicateIds,
        OverwriteKernelspec,
        OverwriteCells,
        KeepCourseCellsOnly,
        DropAnswerWidgets,
        FillWrittenAnswers,
        CheckCellMetadata,
    ]
    # nbgrader's own steps, with the learner's own answers file put back first, and a
    # trainer's grade kept only for the answer it graded.
    steps = Autograde.class_traits()["autograde_preprocessors"].default()
    at = steps.index(SaveAutoGrades) + 1
    c.Autograde.autograde_preprocessors = [
        UseLearnersAnswersFile,  # before the tests run: nbgrader copied the source folder over
        *steps[:at],
        ManualGradesFollowTheAnswer,
        *steps[at:],
    ]
    # Formgrader shows the written answers first and works offline (formgrade_view).
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(_nbgrader_templates())]
    c.HTMLExporter.extra_template_paths = [str(_nbgrader_templates())]  # for its extends
    c.HTMLExporter.preprocessors = [WrittenAnswersFirst]
    # Collect refuses forged and unsafe submissions (named by path: it belongs to the
    # cohort step, which this step may not import).
    c.ExchangeFactory.collect = "grader.cohort.safe_collect.SafeCollect"
    # Feedback is a page for the learner made from the item bank, the gradebook and the
    # answers file, never from the notebook's code or outputs (grader.grading.feedback_page).
    c.GenerateFeedback.exporter_class = "grader.grading.feedback_page.LearnerFeedbackExporter"
    c.GenerateFeedback.preprocessors = [
        GetGrades,
        ClearHiddenTests,
        "grader.grading.feedback_page.GetTrainerGrading",
    ]
