"""What the two signing schemes share: base64url text and secret files only their owner reads.

Certificates are signed with the organisation's RSA key (:mod:`grader.certificates.signing`),
quiz links with an HMAC secret (:mod:`grader.quiz.tokens`). Both keep their secret in a
file created on first use, never overwritten, in a folder only its owner can open (0700)
and readable by its owner only (0600), and both write compact base64url without padding.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path


def b64url(data: bytes) -> str:
    """``data`` as base64url without padding (as JWS writes it)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """The bytes of unpadded base64url ``text``; ``binascii.Error`` when it is not."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def create_secret_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` (folder 0700, file 0600).

    Raises FileExistsError when a file is already there: a secret is never overwritten.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
