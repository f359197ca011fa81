"""Social-media guidelines course: item bank, question widgets and nbgrader grading.

Kept import-free on purpose: autograder test cells import :mod:`grader.check`
and must not pull in widgets or nbgrader.
"""

__version__ = "0.1.0"
