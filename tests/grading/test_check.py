"""What a hidden test cell prints and returns, in the learner's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.grading.check import check_answer

OPTIONS = {"post-as-is": "Post it as it is.", "crop-first": "Crop the photo first."}


def run(path: Path, language: str, capsys: pytest.CaptureFixture[str]) -> tuple[float, str]:
    score = check_answer(
        str(path),
        item="photo",
        kind="choice",
        options=OPTIONS,
        key=["crop-first"],
        points=2,
        explanation="Client names are confidential.",
        language=language,
    )
    captured = capsys.readouterr()
    assert captured.err == "", "anything on stderr would score the cell zero"
    return score, captured.out


def write(path: Path, answers: object) -> Path:
    path.write_text(json.dumps({"version": 1, "answers": answers}))
    return path


def test_a_right_answer_earns_the_points_and_explains(tmp_path: Path, capsys) -> None:
    score, out = run(write(tmp_path / "a.json", {"photo": "crop-first"}), "en", capsys)
    assert score == 2.0
    assert "Your answer: Crop the photo first." in out and "Score: 2 of 2" in out
    assert "Why: Client names are confidential." in out


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "No score: no answers file was found (missing.json)."),
        ("nl", "Geen score: er is geen antwoordbestand gevonden (missing.json)."),
    ],
)
def test_a_missing_file_scores_zero_with_a_reason_in_the_learners_language(
    tmp_path: Path, capsys, language: str, expected: str
) -> None:
    score, out = run(tmp_path / "missing.json", language, capsys)
    assert score == 0.0
    assert expected in out


def test_an_invalid_answer_is_explained_in_dutch(tmp_path: Path, capsys) -> None:
    score, out = run(write(tmp_path / "a.json", {"photo": ["crop-first"]}), "nl", capsys)
    assert score == 0.0
    assert "het opgeslagen antwoord is ongeldig (bij deze vraag hoort één antwoord)" in out
    assert "Waarom:" in out


def test_a_corrupt_file_scores_zero(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"version": 1, "answ')
    score, out = run(path, "nl", capsys)
    assert score == 0.0 and "is beschadigd" in out
