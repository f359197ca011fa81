"""The questions file a learner's widgets read (written by
:mod:`grader.build.released_files`): question texts and options, and nothing that grades.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_questions(path: Path | str) -> dict[str, dict[str, Any]]:
    """The public questions in ``path``, by item id."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {question["id"]: question for question in data["questions"]}
