"""The files a verifier needs, to be served at ``certificate.issuer_url``.

``grader certificates publish`` writes the Open Badges Issuer profile, BadgeClass,
CryptographicKey (the public key, also as plain PEM), RevocationList and the organisation's
X.509 certificate that signs the PDFs (for PDF readers that are told to trust it). They hold
no secret: publish them again after every revocation so the revocation list stays current.
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.certificates import badges, signing
from grader.certificates.certify import signing_key_path
from grader.certificates.register import Register
from grader.certificates.signer_certificate import certificate_pem
from grader.course.nbgrader_course import course_db_url
from grader.course.settings import certificate_settings, load_settings

PUBLIC_KEY_PEM = "public-key.pem"
CERTIFICATE_PEM = "signing-certificate.pem"


def publish(course_root: Path | str, out: Path | str) -> list[Path]:
    """Write the verifier's files to ``out``; return their paths."""
    settings = load_settings(course_root)
    config = certificate_settings(settings)
    key = signing.load_key(signing_key_path(course_root, config), create=True)
    pem = signing.public_pem(key)
    with Register(course_db_url(course_root)) as register:
        revoked = [(c.id, c.reason) for c in register.certificates() if c.status == "revoked"]
    documents = {
        badges.DOCUMENTS["issuer"]: badges.issuer(settings),
        badges.DOCUMENTS["badge"]: badges.badge_class(settings),
        badges.DOCUMENTS["key"]: badges.cryptographic_key(settings, pem),
        badges.DOCUMENTS["revocations"]: badges.revocation_list(settings, revoked),
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in documents.items():
        path = out / name
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
        written.append(path)
    (out / PUBLIC_KEY_PEM).write_text(pem, encoding="ascii")
    certificate = certificate_pem(key, settings.organisation)
    (out / CERTIFICATE_PEM).write_text(certificate, encoding="ascii")
    return [*written, out / PUBLIC_KEY_PEM, out / CERTIFICATE_PEM]
