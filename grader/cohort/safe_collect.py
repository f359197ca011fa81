"""nbgrader's collect, made safe to run with the trainer's rights on learners' folders.

Configured as nbgrader's collect plugin (``ExchangeFactory.collect``, see
:mod:`grader.grading.config`), so ``nbgrader collect`` and ``grader cohort collect`` both
use it. Compared with nbgrader's own collect it:

- refuses a submission whose folder belongs to another account than the learner it claims
  to be (``nbgrader submit --student=<victim>``); nbgrader only logs "cheating attempt?".
  A folder of the collecting account itself is accepted (one shared account, or a trainer
  testing). The learner's older genuine submission is collected instead;
- refuses a submission whose learner id could not safely name a folder, or whose entry in
  the exchange is a link;
- copies only the files an assignment consists of (its notebooks, their answers files,
  nbgrader's timestamp and feedback secret), regular files only: a symbolic link, a FIFO
  or anything else is skipped, never followed or opened.

Each refusal is logged on one line starting with :data:`REFUSED`, which
:func:`grader.cohort.exchange.collect_from_exchange` reports to the trainer.
"""

from __future__ import annotations

import glob
import os
import pwd
import stat
from collections import defaultdict
from pathlib import Path
from typing import Any

from nbgrader.exchange.default.collect import ExchangeCollect

from grader.cohort.learner_ids import learner_id_problem
from grader.course.paths import ANSWERS_SUFFIX
from grader.grading.sanitize import learners_file

REFUSED = "grader: refused submission"
MAX_FILE_BYTES = 20_000_000


def account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


class SafeCollect(ExchangeCollect):
    """nbgrader's collect that refuses forged and unsafe submissions (see the module)."""

    def init_src(self) -> None:
        super().init_src()
        student = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path, f"{student}+{self.coursedir.assignment_id}+*")
        by_learner: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for path in sorted(glob.glob(pattern)):
            record = self._path_to_record(path)
            reason = self.refusal(record)
            if reason:
                self.log.warning("%s %s: %s", REFUSED, record["username"], reason)
            else:
                by_learner[record["username"]].append(record)
        self.src_records = [self._choose(records) for records in by_learner.values()]

    def _choose(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """nbgrader's choice: the newest, or the newest before the due date if asked."""
        records = self._sort_by_timestamp(records)
        if self.duedate is not None and self.before_duedate:
            in_time = [r for r in records if r["timestamp"] <= self.duedate]
            return (in_time or records)[0]
        return records[0]

    def refusal(self, record: dict[str, Any]) -> str | None:
        """Why this inbound submission may not be collected, or None."""
        learner = record["username"]
        problem = learner_id_problem(learner)
        if problem:
            return f"learner id {problem}"
        status = os.lstat(os.path.join(self.inbound_path, record["filename"]))
        if not stat.S_ISDIR(status.st_mode):
            return "the entry in the exchange is not a folder (a link or a file)"
        owner, collector = account_name(status.st_uid), account_name(os.geteuid())
        if self.check_owner and owner not in (learner, collector):
            return (
                f"it claims to be from {learner} but was submitted by the account {owner};"
                " not collected (ask the learner to submit from their own account)"
            )
        return None

    def do_copy(self, src: str, dest: str, log: Any = None) -> None:
        """Copy the assignment's own files, regular files only, nothing followed."""
        source, target = Path(src), Path(dest)
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(self.allowed_names()):
            content = learners_file(source / name, MAX_FILE_BYTES)
            if content is not None:
                (target / name).write_bytes(content)
        for entry in sorted(os.listdir(source)):
            if entry not in self.allowed_names():
                self.log.info("Not collected (not part of the assignment): %s", entry)

    def allowed_names(self) -> set[str]:
        """The files a submission consists of: the released notebooks, their answers files,
        and nbgrader's timestamp and secret (which keys the learner's feedback)."""
        release = self.coursedir.format_path(
            self.coursedir.release_directory, ".", self.coursedir.assignment_id
        )
        stems = [Path(path).stem for path in glob.glob(os.path.join(release, "*.ipynb"))]
        notebooks = {f"{stem}.ipynb" for stem in stems}
        answers = {stem + ANSWERS_SUFFIX for stem in stems}
        return {"timestamp.txt", "submission_secret.txt", *notebooks, *answers}
