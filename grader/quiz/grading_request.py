"""A page kernel's side of grading: asking its quiz server (grader.quiz.grading_service).

Light on purpose: a page kernel imports this, and nothing here loads nbgrader.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Mapping
from typing import Any

from grader.quiz.site import GRADING_URL_ENV, KERNEL_KEY_ENV, KERNEL_KEY_HEADER

GRADING_WAIT_SECONDS = 900  # how long a page waits for its grade, the queue included


def grade_by_server(
    assignment: str, learner: str, final: bool = False, env: Mapping[str, str] = os.environ
) -> dict[str, Any] | None:
    """Have this page kernel's quiz server grade the submission in its warm workers
    (:mod:`grader.quiz.grading_service`): the outcome's status and reason and, when it
    is graded, the result and its view, ``final`` or brief (made there: reading the
    gradebook here would import nbgrader into the page kernel, and the course's bank
    would be read again for each page), or None outside a quiz server."""
    url = env.get(GRADING_URL_ENV)
    if not url:
        return None
    request = urllib.request.Request(
        url,
        data=json.dumps({"assignment": assignment, "learner": learner, "final": final}).encode(),
        headers={KERNEL_KEY_HEADER: env.get(KERNEL_KEY_ENV, "")},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=GRADING_WAIT_SECONDS) as response:
        return json.loads(response.read())
