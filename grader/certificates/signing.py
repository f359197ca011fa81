"""The organisation's signing key and compact JWS (RS256) signatures made with it.

Open Badges 2.0 signed assertions are JSON Web Signatures with RS256, so the key is an
RSA key. It is created on first use at the configured path (outside the course folder,
which is shared with learners), in a folder only its owner can open, readable only by
its owner. Verifying needs only the public key, which ``grader certificates publish``
exports.
"""

from __future__ import annotations

import functools
import json
import stat
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from grader.errors import GraderError
from grader.secret_files import b64url, create_secret_file, unb64url

KEY_BITS = 3072
ALGORITHM = "RS256"


class SigningKeyError(GraderError):
    """The signing key is missing, unreadable, too open or not an RSA key."""


class BadSignature(Exception):
    """A JWS that is malformed or not signed by the key it is checked with."""


def create_key(path: Path) -> rsa.RSAPrivateKey:
    """Create a new private key at ``path`` (folder 0700, file 0600); never overwrite one."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        create_secret_file(path, pem)
    except FileExistsError:
        raise SigningKeyError(
            f"{path}: a signing key appeared while creating one; run again"
        ) from None
    return key


def load_key(path: Path, *, create: bool = False) -> rsa.RSAPrivateKey:
    """The private key at ``path``; with ``create``, a new one when none exists yet."""
    if not path.exists():
        if create:
            return create_key(path)
        raise SigningKeyError(
            f"no signing key at {path}: certificates are signed and checked with the key "
            f"that `grader certify` creates there (set certificate.signing_key or "
            f"GRADER_SIGNING_KEY to where it is kept)"
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SigningKeyError(
            f"{path}: the signing key can be read by others (mode {mode:o}); run `chmod 600 {path}`"
        )
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise SigningKeyError(
            f"{path}: the signing key cannot be read ({error.strerror})"
        ) from None
    return _parse_key(path, pem)


@functools.lru_cache(maxsize=4)
def _parse_key(path: Path, pem: bytes) -> rsa.RSAPrivateKey:
    """Parse once per process: checking an RSA key's consistency takes a tenth of a second."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise SigningKeyError(f"{path}: is not an unencrypted PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningKeyError(f"{path}: is not an RSA key (Open Badges signatures use RS256)")
    return key


def public_pem(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> str:
    """The public half of ``key`` as PEM text."""
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_pem(text: str) -> rsa.RSAPublicKey:
    """An RSA public key from PEM text; :class:`SigningKeyError` when it is none."""
    try:
        key = serialization.load_pem_public_key(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise SigningKeyError("the public key is not a PEM public key") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise SigningKeyError("the public key is not an RSA key")
    return key


def sign(payload: dict[str, Any], key: rsa.RSAPrivateKey) -> str:
    """``payload`` as a compact JWS: header.payload.signature, each base64url."""
    header = b64url(json.dumps({"alg": ALGORITHM}, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{header}.{body}".encode("ascii")
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{b64url(signature)}"


def verify(token: str, public_key: rsa.RSAPublicKey) -> dict[str, Any]:
    """The payload of a compact JWS signed with ``public_key``; :class:`BadSignature` if not."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise BadSignature("not a compact JWS (three base64url parts)")
    try:
        header = json.loads(unb64url(parts[0]))
        signature = unb64url(parts[2])
    except ValueError:
        raise BadSignature("the JWS is malformed") from None
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        raise BadSignature(f"the JWS is not signed with {ALGORITHM}")
    try:
        public_key.verify(
            signature, f"{parts[0]}.{parts[1]}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, UnicodeEncodeError):
        raise BadSignature("the signature does not match the organisation's key") from None
    payload = json.loads(unb64url(parts[1]))
    if not isinstance(payload, dict):
        raise BadSignature("the JWS payload is not a JSON object")
    return payload


def unverified_payload(token: str) -> dict[str, Any] | None:
    """The payload of a compact JWS without checking it (to name what a forgery claims)."""
    try:
        payload = json.loads(unb64url(token.strip().split(".")[1]))
    except (IndexError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None
