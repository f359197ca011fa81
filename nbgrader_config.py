"""nbgrader configuration of this course folder (see grader/nbgrader_setup.py)."""

from grader.grading.config import configure

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
configure(c)
