"""Release to and collect from a learning platform (LMS) as plain folders and zip files.

``release_zip`` packs the learner version of an assignment for upload. ``ingest`` reads
the folder or zip of submissions an LMS lets a trainer download and files each one as an
nbgrader submission (``submitted/<learner>/<assignment>/``), ready for autograding.

An LMS names submissions its own way: one folder per learner (``anna/…``) or files with
the learner in front (``anna_exam-en.ipynb``). The folder name, or the file name up to the
first ``_``, is the submission's key. A key is matched to a learner id through an optional
mapping CSV (columns ``key`` and ``learner_id``) or, failing that, when it is itself the id
of a learner in the gradebook. Keys that match nobody are reported, never guessed.
"""

from __future__ import annotations

import csv
import os
import shutil
import stat
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from nbgrader.api import Gradebook

from grader.cohort.learner_ids import learner_id_problem
from grader.course.nbgrader_course import course_api
from grader.course.paths import ANSWERS_SUFFIX, RELEASE_DIR
from grader.errors import GraderError

MAX_FILE_BYTES = 20_000_000


@dataclass
class IngestResult:
    filed: dict[str, str] = field(default_factory=dict)  # learner id -> submission key
    unmatched: list[str] = field(default_factory=list)  # keys that match no learner
    problems: list[str] = field(default_factory=list)  # matched, but not a usable submission
    unchanged: list[str] = field(default_factory=list)  # the same files as already filed


def release_zip(course_root: Path | str, assignment: str, out: Path | str) -> Path:
    """Zip ``exercises/<assignment>/`` (the learner version) for upload to an LMS."""
    folder = Path(course_root) / RELEASE_DIR / assignment
    if not folder.is_dir():
        raise KeyError(f"{assignment!r} is not released: run `grader build` first")
    out = Path(out)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.endswith(ANSWERS_SUFFIX):
                archive.write(path, f"{assignment}/{path.relative_to(folder)}")
    return out


class IngestError(GraderError, ValueError):
    """The download or the mapping file cannot be read; the message says where."""


def read_mapping(path: Path | str | None) -> dict[str, str]:
    """Submission key → learner id, from a CSV with the columns ``key`` and ``learner_id``.

    Raises :class:`IngestError` naming the line of a row without both values or with a
    learner id that could not safely name a folder.
    """
    if path is None:
        return {}
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.DictReader(stream))
            columns = set(rows[0]) if rows else set()
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise IngestError(f"{path}: cannot be read ({error})") from None
    if rows and not {"key", "learner_id"} <= columns:
        raise IngestError(f"{path}: needs the columns key and learner_id")
    mapping = {}
    for line, row in enumerate(rows, start=2):
        key, learner = (row.get("key") or "").strip(), (row.get("learner_id") or "").strip()
        if not key or not learner:
            raise IngestError(f"{path}, line {line}: needs both a key and a learner_id")
        problem = learner_id_problem(learner)
        if problem:
            raise IngestError(f"{path}, line {line}: learner id {problem}")
        mapping[key] = learner
    return mapping


def _regular_files(source: Path) -> Iterator[Path]:
    """The regular files below ``source``; links (to files or folders) are never followed."""
    for root, _folders, files in os.walk(source, followlinks=False):
        for name in sorted(files):
            path = Path(root) / name
            if stat.S_ISREG(path.lstat().st_mode):
                yield path


def _entries(source: Path) -> dict[str, list[tuple[str, bytes, datetime]]]:
    """The files of a download, grouped by submission key: (name, content, modified).

    Only regular files count: a link, a FIFO or any other special file in a folder, and a
    link stored in a zip, are left out.
    """
    groups: dict[str, list[tuple[str, bytes, datetime]]] = defaultdict(list)

    def add(relative: str, content: bytes, modified: datetime) -> None:
        parts = PurePosixPath(relative).parts
        # A folder per learner, or the learner in front of the file name.
        key = parts[0] if len(parts) > 1 else parts[0].split("_", 1)[0]
        groups[key].append((parts[-1], content, modified))

    if source.is_dir():
        for path in _regular_files(source):
            if path.lstat().st_size <= MAX_FILE_BYTES:
                modified = datetime.fromtimestamp(path.lstat().st_mtime, UTC)
                add(path.relative_to(source).as_posix(), path.read_bytes(), modified)
        return groups
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                kind = stat.S_IFMT(info.external_attr >> 16)
                if (
                    info.is_dir()
                    or info.file_size > MAX_FILE_BYTES
                    or kind not in (0, stat.S_IFREG)
                ):
                    continue
                modified = datetime(*info.date_time, tzinfo=UTC)
                add(info.filename, archive.read(info), modified)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise IngestError(f"{source}: not a readable folder or zip file ({error})") from None
    return groups


def ingest(
    course_root: Path | str,
    assignment: str,
    source: Path | str,
    mapping: Path | str | None = None,
) -> IngestResult:
    """File an LMS download (folder or zip) as nbgrader submissions of ``assignment``."""
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist")
    api = course_api(course_root)
    with Gradebook(api.coursedir.db_url) as gradebook:
        known = {student.id for student in gradebook.students}
    keys_to_learners = read_mapping(mapping)
    result = IngestResult()
    for key, files in sorted(_entries(source).items()):
        learner = keys_to_learners.get(key) or (key if key in known else None)
        if learner is not None and learner_id_problem(learner):
            result.problems.append(f"{key}: learner id {learner_id_problem(learner)}")
            continue
        if learner is None:
            result.unmatched.append(key)
            continue
        notebooks = [f for f in files if f[0].endswith(".ipynb")]
        answers = [f for f in files if f[0].endswith(ANSWERS_SUFFIX)]
        if len(notebooks) != 1 or len(answers) > 1:
            result.problems.append(
                f"{key}: expected one notebook and at most one answers file, "
                f"found {len(notebooks)} and {len(answers)}"
            )
            continue
        folder = Path(
            api.coursedir.format_path(api.coursedir.submitted_directory, learner, assignment)
        )
        content = {f"{assignment}.ipynb": notebooks[0][1]}
        if answers:
            content[f"{assignment}{ANSWERS_SUFFIX}"] = answers[0][1]
        if _same_submission(folder, content):
            result.unchanged.append(learner)
            continue
        if folder.is_symlink() or folder.exists():
            _remove(folder)
        folder.mkdir(parents=True)
        for name, data in content.items():
            (folder / name).write_bytes(data)
        moment = max(modified for _, _, modified in notebooks + answers)
        (folder / "timestamp.txt").write_text(moment.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        result.filed[learner] = key
    return result


def _same_submission(folder: Path, content: dict[str, bytes]) -> bool:
    """Whether ``folder`` already holds exactly these files (a re-ingest of the same
    download): "changed" is decided by content, never by file dates."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    present = {p.name for p in folder.iterdir() if p.name != "timestamp.txt"}
    return present == set(content) and all(
        (folder / name).read_bytes() == data for name, data in content.items()
    )


def _remove(folder: Path) -> None:
    """Remove one learner's submission folder (a link is unlinked, never followed)."""
    if folder.is_symlink() or not folder.is_dir():
        folder.unlink()
    else:
        shutil.rmtree(folder)
