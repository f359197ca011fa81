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
import shutil
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from nbgrader.api import Gradebook

from grader.course.nbgrader_course import course_api
from grader.course.paths import ANSWERS_SUFFIX, RELEASE_DIR

MAX_FILE_BYTES = 20_000_000


@dataclass
class IngestResult:
    filed: dict[str, str] = field(default_factory=dict)  # learner id -> submission key
    unmatched: list[str] = field(default_factory=list)  # keys that match no learner
    problems: list[str] = field(default_factory=list)  # matched, but not a usable submission


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


def read_mapping(path: Path | str | None) -> dict[str, str]:
    """Submission key → learner id, from a CSV with the columns ``key`` and ``learner_id``."""
    if path is None:
        return {}
    with Path(path).open(newline="", encoding="utf-8-sig") as stream:
        return {row["key"].strip(): row["learner_id"].strip() for row in csv.DictReader(stream)}


def _entries(source: Path) -> dict[str, list[tuple[str, bytes, datetime]]]:
    """The files of a download, grouped by submission key: (name, content, modified)."""
    groups: dict[str, list[tuple[str, bytes, datetime]]] = defaultdict(list)

    def add(relative: str, content: bytes, modified: datetime) -> None:
        parts = PurePosixPath(relative).parts
        # A folder per learner, or the learner in front of the file name.
        key = parts[0] if len(parts) > 1 else parts[0].split("_", 1)[0]
        groups[key].append((parts[-1], content, modified))

    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            if path.stat().st_size <= MAX_FILE_BYTES:
                modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                add(path.relative_to(source).as_posix(), path.read_bytes(), modified)
    else:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if info.is_dir() or info.file_size > MAX_FILE_BYTES:
                    continue
                modified = datetime(*info.date_time, tzinfo=UTC)
                add(info.filename, archive.read(info), modified)
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
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        (folder / f"{assignment}.ipynb").write_bytes(notebooks[0][1])
        if answers:
            (folder / f"{assignment}{ANSWERS_SUFFIX}").write_bytes(answers[0][1])
        moment = max(modified for _, _, modified in notebooks + answers)
        (folder / "timestamp.txt").write_text(moment.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        result.filed[learner] = key
    return result
