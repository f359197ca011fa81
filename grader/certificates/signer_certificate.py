"""The organisation's X.509 certificate for its signing key, which PDF signatures need.

A PDF signature names its signer with an X.509 certificate. Ours is self-signed with the
organisation's RSA signing key (:mod:`grader.certificates.signing`) and derived from that
key and the organisation's name each time it is needed: the same key and name always give
the same certificate, byte for byte, so there is no second file to keep or lose and the key
is never touched. Verification does not trust this certificate: it compares the public key
in the signed PDF with the organisation's own.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from grader.certificates.signing import SigningKeyError

# RFC 5280 4.1.2.5: 9999-12-31 23:59:59 is "no well-defined expiration date". The
# certificate has to be valid when a PDF is signed and when it is checked, for as long as
# certificates are kept; the register, not this certificate, says when one expires.
NOT_BEFORE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def public_key_der(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> bytes:
    """The SubjectPublicKeyInfo of ``key`` (DER), to compare keys exactly."""
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def organisation_certificate(key: rsa.RSAPrivateKey, organisation: str) -> x509.Certificate:
    """The self-signed certificate of ``organisation`` for ``key`` (always the same one)."""
    if not organisation.strip():
        raise SigningKeyError("the organisation has no name to put in its signing certificate")
    return _certificate(key, public_key_der(key), organisation.strip())


@functools.lru_cache(maxsize=4)
def _certificate(key: rsa.RSAPrivateKey, spki: bytes, organisation: str) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
        ]
    )
    serial = int.from_bytes(hashlib.sha256(spki + organisation.encode()).digest()[:16]) >> 1
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial or 1)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    return builder.sign(key, hashes.SHA256())  # PKCS#1 v1.5: the same bytes every time


def certificate_pem(key: rsa.RSAPrivateKey, organisation: str) -> str:
    """The organisation's certificate as PEM text (to publish, for PDF readers)."""
    certificate = organisation_certificate(key, organisation)
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
