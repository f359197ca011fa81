"""The nbgrader configuration of a course folder built from this package.

``nbgrader_config.py`` at the course root calls :func:`configure`, so the unmodified
``nbgrader`` commands (generate_assignment, autograde, formgrader, export) work on it.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    OverwriteCells,
    OverwriteKernelspec,
)

from grader.course.paths import RELEASE_DIR, SOURCE_DIR
from grader.grading.sanitize import DropAnswerWidgets, FillWrittenAnswers, KeepCourseCellsOnly

# Files a submission may never bring into the grading folder: anything Python could
# import instead of the real package (the grading kernel runs in that folder).
NEVER_COPIED = ["*.py", "*.pyc", "*.pyo", "*.pyw", "*.so", "*.pyd", "*.pth", "*.zip", "*.egg"]


def configure(c: Any, course_id: str = "social-media-guidelines") -> None:
    """Fill the traitlets config ``c`` of ``nbgrader_config.py``."""
    c.CourseDirectory.course_id = course_id
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
    # Feedback shows each question's result and explanation, not the test code and key.
    c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
