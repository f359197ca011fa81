"""Old path of :class:`grader.Lesson`: lesson notebooks made before the package had its
steps say ``from grader.practice import Lesson``."""

from grader.learner.practice import Lesson

__all__ = ["Lesson"]
