"""Personal link tokens: valid ones are read back, every kind of bad one is named."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from grader.quiz.tokens import (
    Claims,
    SecretError,
    TokenError,
    default_secret_file,
    load_secret,
    make_token,
    read_token,
)

SECRET = b"s" * 64
NOW = 1_800_000_000


def reason(token: str | None, assignment: str | None = "exam-en", secret: bytes = SECRET) -> str:
    with pytest.raises(TokenError) as caught:
        read_token(secret, token, assignment, now=NOW)
    return caught.value.reason


def test_a_valid_token_gives_learner_assignment_and_expiry() -> None:
    token = make_token(SECRET, "ada", "exam-en", NOW + 60)

    assert read_token(SECRET, token, "exam-en", now=NOW) == Claims("ada", "exam-en", NOW + 60)
    assert read_token(SECRET, token, None, now=NOW).learner == "ada"
    assert all(c.isalnum() or c in "-_." for c in token), "a token must be URL-safe"


def test_missing_altered_expired_and_other_assignment_are_told_apart() -> None:
    token = make_token(SECRET, "ada", "exam-en", NOW + 60)
    payload, signature = token.split(".")
    forged_claims = {"a": "exam-en", "e": NOW + 60, "l": "bob"}
    forged = base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).decode().rstrip("=")

    assert reason(None) == reason("") == "missing"
    assert reason(f"{forged}.{signature}") == "altered"
    assert reason(token[:-2]) == "altered"
    assert reason(payload) == "altered"
    assert reason(token, secret=b"t" * 64) == "altered"
    assert reason(make_token(SECRET, "ada", "exam-en", NOW - 1)) == "expired"
    assert reason(token, assignment="exam-nl") == "other_assignment"


def test_an_expired_token_still_says_when_it_expired() -> None:
    with pytest.raises(TokenError) as caught:
        read_token(SECRET, make_token(SECRET, "ada", "exam-en", NOW - 5), "exam-en", now=NOW)

    assert caught.value.claims == Claims("ada", "exam-en", NOW - 5)


@pytest.mark.parametrize("learner", ["..", ".", "a/b", ""])
def test_a_signed_token_for_an_unsafe_learner_id_is_refused(learner: str) -> None:
    assert reason(make_token(SECRET, learner, "exam-en", NOW + 60)) == "altered"


def test_the_secret_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "config" / "quiz-secret"

    secret = load_secret(path)

    assert load_secret(path) == secret and len(secret) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(SecretError, match="missing"):
        load_secret(tmp_path / "other", create=False)
    (tmp_path / "short").write_text("abc")
    with pytest.raises(SecretError, match="too short"):
        load_secret(tmp_path / "short")


def test_the_secret_file_can_be_named_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRADER_QUIZ_SECRET_FILE", str(tmp_path / "s"))
    assert default_secret_file() == tmp_path / "s"
    monkeypatch.delenv("GRADER_QUIZ_SECRET_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_secret_file() == tmp_path / "grader" / "quiz-secret"
