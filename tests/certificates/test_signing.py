"""The signing key: made safely on first use, refused with a clear reason when unusable."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from grader.certificates import signing
from grader.certificates.certify import CertifyError, signing_key_path
from grader.certificates.signing import SigningKeyError
from grader.cli.main import main
from grader.course.settings import SIGNING_KEY_ENV, certificate_settings, load_settings

from ..conftest import new_course


@pytest.fixture(scope="module")
def key_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "config" / "grader" / "signing-key.pem"
    signing.load_key(path, create=True)
    return path


def test_a_new_key_is_private_to_its_owner(key_file: Path) -> None:
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    first = signing.public_pem(signing.load_key(key_file, create=True))
    assert signing.public_pem(signing.load_key(key_file)) == first  # never replaced
    with pytest.raises(SigningKeyError, match="appeared while creating"):
        signing.create_key(key_file)


def test_signatures_verify_only_unchanged_and_with_the_right_key(key_file: Path, tmp_path) -> None:
    key = signing.load_key(key_file)
    token = signing.sign({"name": "Ada Lovelace", "n": 1}, key)
    assert signing.verify(token, key.public_key()) == {"name": "Ada Lovelace", "n": 1}
    header, payload, signature = token.split(".")
    other = signing.sign({"name": "Eve", "n": 1}, key).split(".")[1]
    with pytest.raises(signing.BadSignature, match="does not match"):
        signing.verify(f"{header}.{other}.{signature}", key.public_key())
    stranger = signing.create_key(tmp_path / "stranger.pem")
    with pytest.raises(signing.BadSignature, match="does not match"):
        signing.verify(signing.sign({"n": 1}, stranger), key.public_key())
    with pytest.raises(signing.BadSignature, match="three base64url parts"):
        signing.verify("not-a-jws", key.public_key())
    with pytest.raises(signing.BadSignature, match="not signed with RS256"):
        signing.verify(f"eyJhbGciOiJub25lIn0.{payload}.", key.public_key())


def test_unusable_keys_are_refused_with_the_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "key.pem"
    with pytest.raises(SigningKeyError, match=f"no signing key at {missing}"):
        signing.load_key(missing)
    assert not missing.parent.exists()
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("hello")
    garbage.chmod(0o600)
    with pytest.raises(SigningKeyError, match="is not an unencrypted PEM private key"):
        signing.load_key(garbage)
    garbage.chmod(0o644)
    with pytest.raises(SigningKeyError, match=r"can be read by others \(mode 644\)"):
        signing.load_key(garbage)
    elliptic = tmp_path / "ec.pem"
    elliptic.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    elliptic.chmod(0o600)
    with pytest.raises(SigningKeyError, match="is not an RSA key"):
        signing.load_key(elliptic)


def test_a_key_inside_the_course_folder_is_refused(tmp_path: Path, monkeypatch) -> None:
    course = new_course(tmp_path / "course")
    monkeypatch.setenv(SIGNING_KEY_ENV, str(course / "keys" / "signing-key.pem"))
    with pytest.raises(CertifyError, match="inside the course folder"):
        signing_key_path(course, certificate_settings(load_settings(course)))


def test_verify_without_a_key_says_so_and_exits_2(tmp_path: Path, monkeypatch, capsys) -> None:
    course = new_course(tmp_path / "course")
    monkeypatch.setenv(SIGNING_KEY_ENV, str(tmp_path / "lost" / "signing-key.pem"))
    assert main(["--course", str(course), "verify", "ABCD-EFGH-JKMN"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"grader: no signing key at {tmp_path / 'lost' / 'signing-key.pem'}")
