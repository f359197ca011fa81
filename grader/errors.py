"""The one base class of every error the ``grader`` command reports to a person.

Each module raises its own subclass with a message that names what is wrong (the file,
the field, the learner); the command line prints that message and exits with status 2
instead of a traceback.
"""

from __future__ import annotations


class GraderError(Exception):
    """An error whose message is meant for the person running ``grader``."""
