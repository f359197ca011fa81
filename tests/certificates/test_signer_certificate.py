"""The organisation's certificate: derived from its key, the same every time, key untouched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from grader.certificates import signer_certificate, signing
from grader.certificates.signer_certificate import (
    certificate_pem,
    organisation_certificate,
    public_key_der,
)
from grader.certificates.signing import SigningKeyError


def test_the_certificate_is_self_signed_for_the_key_and_never_replaces_it(
    organisation_key_file: Path,
) -> None:
    before = organisation_key_file.read_bytes()
    key = signing.load_key(organisation_key_file)
    certificate = organisation_certificate(key, "Meridian Group")
    assert certificate.subject == certificate.issuer
    assert certificate.subject.rfc4514_string() == "O=Meridian Group,CN=Meridian Group"
    assert public_key_der(certificate.public_key()) == public_key_der(key)
    certificate.verify_directly_issued_by(certificate)
    assert certificate.not_valid_after_utc.year == 9999
    assert certificate.not_valid_before_utc < dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    pem = certificate_pem(key, "Meridian Group")
    again = x509.load_pem_x509_certificate(pem.encode())
    assert again.public_bytes(serialization.Encoding.DER) == certificate.public_bytes(
        serialization.Encoding.DER
    )
    assert organisation_key_file.read_bytes() == before


def test_the_same_key_and_name_give_the_same_certificate_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "signing-key.pem"
    signing.create_key(path)
    first = certificate_pem(signing.load_key(path), "Meridian Group")
    signing._parse_key.cache_clear()  # as a new process would
    signer_certificate._certificate.cache_clear()
    assert certificate_pem(signing.load_key(path), "Meridian Group") == first
    assert certificate_pem(signing.load_key(path), "Other Org") != first


def test_an_organisation_without_a_name_is_refused(organisation_key_file: Path) -> None:
    with pytest.raises(SigningKeyError, match="no name"):
        organisation_certificate(signing.load_key(organisation_key_file), "  ")
