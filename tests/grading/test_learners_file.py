"""Reading a file a learner submitted: regular files only, nothing followed."""

from __future__ import annotations

import os
from pathlib import Path

from grader.grading.sanitize import learners_file


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "answers.json").write_bytes(b"{}")
    assert learners_file(tmp_path / "answers.json", 100) == b"{}"


def test_links_fifos_folders_big_and_missing_files_are_not(tmp_path: Path) -> None:
    secret = tmp_path / "bank.yaml"
    secret.write_bytes(b"key: a")
    (tmp_path / "symlink").symlink_to(secret)
    os.link(secret, tmp_path / "hardlink")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    (tmp_path / "big").write_bytes(b"x" * 101)
    for name in ("symlink", "hardlink", "fifo", "folder", "big", "missing"):
        assert learners_file(tmp_path / name, 100) is None, name
