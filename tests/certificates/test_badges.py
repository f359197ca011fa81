"""The Open Badge's recipient: hashed as Open Badges 2.0 validators check it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from grader.certificates import badges, signing
from grader.certificates.verify import verify

from .conftest import Issued, issue_as_before_pdf_signatures


def validator_accepts(assertion: dict, email: str) -> bool:
    """What the 1EdTech validator checks: ``sha256$`` + hex(sha256(identity + salt)), with
    the identity exactly as it is given to it."""
    recipient = assertion["recipient"]
    digest = hashlib.sha256((email + recipient.get("salt", "")).encode()).hexdigest()
    return recipient["hashed"] is True and recipient["identity"] == f"sha256${digest}"


def test_a_mixed_case_address_is_hashed_as_the_roster_has_it(issued: Issued) -> None:
    """Given ``learner5@Example.org``, a validator must accept the genuine badge."""
    badge = json.loads(issued.files("learner5")["badge"].read_text())
    assert badge["recipient"]["type"] == "email"
    assert validator_accepts(badge, "learner5@Example.org")
    assert not validator_accepts(badge, "learner5@example.org")  # the address, not a variant
    assert badges.hashed_email("Ada@Example.org", "s") == (
        "sha256$" + hashlib.sha256(b"Ada@Example.orgs").hexdigest()
    )


def test_verify_accepts_the_badge_of_a_mixed_case_address(issued: Issued) -> None:
    files = issued.files("learner5")
    for path in (files["badge"], files["jws"]):
        result = verify(issued.course, str(path))
        assert result.status == "valid", result.headline
        assert result.details[-1] == "the recipient hash is of the address as the roster has it"


def test_an_old_badge_hashed_in_lower_case_still_verifies_and_says_which_address(
    issuing_course: Path, monkeypatch
) -> None:
    """Badges issued before hashed the address in lower case: still genuine, and verify
    says which spelling a validator needs."""
    old = issue_as_before_pdf_signatures(issuing_course, monkeypatch)
    files = old.files("learner5")
    badge = json.loads(files["badge"].read_text())
    assert validator_accepts(badge, "learner5@example.org")
    assert not validator_accepts(badge, "learner5@Example.org")
    assert signing.unverified_payload(files["jws"].read_text()) == badge
    for path in (files["badge"], files["jws"]):
        result = verify(old.course, str(path))
        assert result.status == "valid", result.headline
        assert result.details[-1] == (
            "the recipient hash is of the address in lower case (learner5@example.org), as "
            "badges issued before addresses were hashed as given: badge validators accept it "
            "only when given the address spelt that way"
        )
