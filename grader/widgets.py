"""Old path of :class:`grader.Quiz`: assessment notebooks released before the package had
its steps say ``from grader.widgets import Quiz``."""

from grader.learner.quiz import Quiz

__all__ = ["Quiz"]
