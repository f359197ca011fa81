"""Old path of :func:`grader.grading.config.configure`: the ``nbgrader_config.py`` of a
course folder made before the package had its steps imports it from here."""

from grader.grading.config import configure

__all__ = ["configure"]
