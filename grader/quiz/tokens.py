"""Personal quiz links: a signed token saying who answers which assignment, and until when.

A token is ``<payload>.<signature>``, both base64url without padding: the payload is a
compact JSON object ``{"a": assignment, "e": expiry (Unix seconds), "l": learner}`` and
the signature its HMAC-SHA256 under a secret that lives outside the repository (a file
readable by its owner only, created on first use). The page kernel checks the token
before it shows a quiz and says why one is not valid: missing, altered, expired or for
another assignment.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from grader.cohort.learner_ids import LEARNER_ID
from grader.errors import GraderError
from grader.secret_files import b64url, create_secret_file, unb64url

SECRET_ENV = "GRADER_QUIZ_SECRET_FILE"
SECRET_BYTES = 32
MAX_TOKEN_CHARS = 2_000


class TokenError(GraderError, ValueError):
    """A token is not valid; ``reason`` is ``missing``, ``altered``, ``expired`` or
    ``other_assignment``, and ``claims`` holds what could still be read from it."""

    def __init__(self, reason: str, claims: Claims | None = None) -> None:
        self.reason, self.claims = reason, claims
        super().__init__(f"the quiz link is not valid ({reason.replace('_', ' ')})")


class SecretError(GraderError, OSError):
    """The token secret cannot be read or created; the message names the file."""


@dataclass(frozen=True)
class Claims:
    """What a valid token says: who answers which assignment, valid until ``expires``."""

    learner: str
    assignment: str
    expires: int


def default_secret_file() -> Path:
    """Where the secret lives unless configured: ``$GRADER_QUIZ_SECRET_FILE`` or the
    user's configuration folder, never inside a course repository."""
    if os.environ.get(SECRET_ENV):
        return Path(os.environ[SECRET_ENV])
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "grader" / "quiz-secret"


def load_secret(path: Path | str, *, create: bool = True) -> bytes:
    """The secret in ``path``; made (random, mode 0600) when missing and ``create``."""
    path = Path(path)
    try:
        secret = path.read_bytes().strip()
    except FileNotFoundError:
        if not create:
            raise SecretError(f"{path}: the quiz link secret is missing") from None
        secret = _create_secret(path)
    except OSError as error:
        raise SecretError(f"{path}: the quiz link secret cannot be read ({error})") from None
    if len(secret) < SECRET_BYTES:
        raise SecretError(f"{path}: the quiz link secret is too short (delete it to renew)")
    return secret


def _create_secret(path: Path) -> bytes:
    secret = secrets.token_hex(SECRET_BYTES).encode()
    try:
        create_secret_file(path, secret + b"\n")
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes().strip()
    except OSError as error:
        raise SecretError(f"{path}: the quiz link secret cannot be created ({error})") from None
    return secret


def _signature(secret: bytes, payload: str) -> str:
    return b64url(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())


def make_token(secret: bytes, learner: str, assignment: str, expires: int) -> str:
    """A token for ``learner`` to answer ``assignment`` until ``expires`` (Unix seconds)."""
    claims = {"a": assignment, "e": int(expires), "l": learner}
    payload = b64url(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_signature(secret, payload)}"


def read_token(
    secret: bytes, token: str | None, assignment: str | None = None, now: float | None = None
) -> Claims:
    """The claims of a valid ``token``; :class:`TokenError` says why it is not valid.

    ``assignment``, when given, is the assignment of the page: a token for any other one
    is refused. The signature is compared in constant time.
    """
    if not token:
        raise TokenError("missing")
    if not token.isascii():
        raise TokenError("altered")
    payload, dot, signature = token.partition(".")
    if not dot or len(token) > MAX_TOKEN_CHARS:
        raise TokenError("altered")
    if not hmac.compare_digest(_signature(secret, payload).encode(), signature.encode()):
        raise TokenError("altered")
    try:
        data = json.loads(unb64url(payload))
        claims = Claims(learner=data["l"], assignment=data["a"], expires=data["e"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise TokenError("altered") from None
    valid_types = (type(claims.learner), type(claims.assignment), type(claims.expires))
    if valid_types != (str, str, int) or not LEARNER_ID.fullmatch(claims.learner):
        raise TokenError("altered")
    if claims.expires <= (time.time() if now is None else now):
        raise TokenError("expired", claims)
    if assignment is not None and claims.assignment != assignment:
        raise TokenError("other_assignment", claims)
    return claims
