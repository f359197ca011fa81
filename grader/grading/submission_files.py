"""What a submission folder may hold before nbgrader copies it with the trainer's rights.

nbgrader copies a submission folder by following links, so a symbolic link in it would
bring another learner's answers, or any file the trainer can read, into grading and on
into the feedback. A submission with a link, a FIFO or any other special file is refused
as a whole, with its name. Grading uses nothing of the submitted notebook (it is rebuilt
from the released cells), so a notebook nbgrader cannot read is kept aside and the
released one takes its place: the answers file is still graded.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

from grader.errors import GraderError


class SubmissionRefused(GraderError):
    """The submission folder holds something grading must not touch."""


def refuse_special_files(folder: Path) -> None:
    """Raise :class:`SubmissionRefused` naming the first link or special file in ``folder``
    (or when ``folder`` itself is a link). Nothing is followed."""
    if folder.is_symlink():
        raise SubmissionRefused(f"{folder.name} is a symbolic link, not a submission folder")
    for root, folders, files in os.walk(folder, followlinks=False):
        for name in sorted(folders + files):
            path = Path(root) / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                what = "a symbolic link"
            elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                what = "a special file (FIFO, socket or device)"
            else:
                continue
            raise SubmissionRefused(
                f"the submission holds {what}: {path.relative_to(folder)}; nothing of it was graded"
            )


def readable_notebook(path: Path) -> bool:
    """Whether ``path`` is a notebook nbgrader can read (JSON with a cell list)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("cells"), list)


def replace_unreadable_notebook(folder: Path, notebook: str, released: Path) -> str | None:
    """Keep an unreadable submitted notebook aside as ``<name>.unreadable`` and put the
    released one in its place; return a note saying so, or None when it was readable."""
    path = folder / f"{notebook}.ipynb"
    if readable_notebook(path) or not released.is_file():
        return None
    if path.exists():
        os.replace(path, path.with_name(f"{path.name}.unreadable"))
    shutil.copyfile(released, path)
    return f"{path.name} could not be read; graded from the released notebook"
