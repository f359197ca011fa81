"""The answers file beside a notebook: what a learner answered, by item and option id.

Format (JSON)::

    {"version": 1, "answers": {"<item id>": <answer>}}

where an answer is an option id (choice), a list of distinct option ids (multi-select)
or a string (free text). Writes are atomic: the new content goes to a temporary file in
the same folder which then replaces the old one, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from grader.course.i18n import message
from grader.course.paths import ANSWERS_SUFFIX
from grader.errors import GraderError

FORMAT_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_TEXT_CHARS = 20_000


class AnswersFileError(GraderError, ValueError):
    """The answers file is missing, unreadable or not a valid answers file.

    ``str(error)`` is the reason in English; :meth:`reason` gives it in any language.
    """

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(message("en", key, **values))

    def reason(self, language: str = "en") -> str:
        return message(language, self.key, **self.values)


class AnswerRefused(Exception):
    """An answer may not be stored now (the exam is submitted); ``str()`` says why, for
    the learner."""


def answers_path(directory: Path | str, notebook: str) -> Path:
    """Where the answers of ``notebook`` (its name without ``.ipynb``) are kept."""
    return Path(directory) / f"{notebook}{ANSWERS_SUFFIX}"


def read_answers(path: Path | str) -> dict[str, Any]:
    """Return the answers stored in ``path`` by item id.

    Raises :class:`AnswersFileError` with a reason a learner can read when the file is
    missing, too large, not JSON or not shaped like an answers file. Individual answers
    are not checked here: see :func:`answer_problem`.
    """
    path = Path(path)
    if not path.exists():
        raise AnswersFileError("answers_missing", name=path.name)
    if not path.is_file() or path.is_symlink():
        raise AnswersFileError("answers_not_a_file", name=path.name)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise AnswersFileError("answers_too_large", name=path.name, limit=f"{MAX_FILE_BYTES:,}")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AnswersFileError("answers_corrupt", name=path.name, error=error) from None
    except RecursionError:
        reason = "nested too deeply"
        raise AnswersFileError("answers_corrupt", name=path.name, error=reason) from None
    if (
        type(data) is not dict
        or type(data.get("version")) is not int
        or data["version"] != FORMAT_VERSION
        or type(data.get("answers")) is not dict
    ):
        raise AnswersFileError("answers_wrong_format", name=path.name, version=FORMAT_VERSION)
    return data["answers"]


def answer_problem(
    kind: str, option_ids: list[str] | tuple[str, ...], answer: Any, language: str = "en"
) -> str | None:
    """Why ``answer`` is not a valid answer to an item of this kind, or None when it is.

    Types are checked exactly (``type(x) is str``), so nothing but plain JSON values
    ever reaches scoring.
    """
    key, values = _problem(kind, option_ids, answer)
    return None if key is None else message(language, key, **values)


def _problem(kind: str, option_ids: list[str] | tuple[str, ...], answer: Any):
    if kind == "choice":
        if type(answer) is not str:
            return "answer_not_single", {}
        if answer not in option_ids:
            return "answer_unknown_option", {"option": repr(answer[:40])}
        return None, {}
    if kind == "multi-select":
        if type(answer) is not list or any(type(a) is not str for a in answer):
            return "answer_not_list", {}
        if len(set(answer)) != len(answer):
            return "answer_picked_twice", {}
        unknown = [a for a in answer if a not in option_ids]
        if unknown:
            return "answer_unknown_option", {"option": repr(unknown[0][:40])}
        return None, {}
    if kind == "free-text":
        if type(answer) is not str or not _encodes(answer):
            return "answer_not_text", {}
        if len(answer) > MAX_TEXT_CHARS:
            return "answer_too_long", {"limit": f"{MAX_TEXT_CHARS:,}"}
        return None, {}
    return "answer_unknown_kind", {"kind": repr(kind)}


def _encodes(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (a lone surrogate cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def save_answer(path: Path | str, item_id: str, answer: Any) -> None:
    """Store one answer (``None`` removes it), keeping every other answer in the file.

    A corrupt existing file is kept aside as ``<name>.corrupt-<timestamp>`` rather than
    overwritten, so nothing a learner stored is lost.
    """
    path = Path(path)
    try:
        answers = read_answers(path)
    except AnswersFileError:
        answers = {}
        if path.exists():
            path.replace(path.with_name(f"{path.name}.corrupt-{int(time.time())}"))
    if answer is None:
        answers.pop(item_id, None)
    else:
        answers[item_id] = answer
    write_json_atomically(path, {"version": FORMAT_VERSION, "answers": answers})


def write_json_atomically(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path``: readers see the old file or the new one, never half."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=1, sort_keys=True)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
