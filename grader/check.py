"""Old path of :func:`grader.check_answer`: the hidden test cells of assignments released
before the package had its steps say ``from grader.check import check_answer``."""

from grader.grading.check import check_answer

__all__ = ["check_answer"]
