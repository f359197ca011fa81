"""Renewal: learners whose certificate expires soon or has expired, for HR to schedule.

Each learner's current certificate is the latest one not superseded. A revoked current
certificate is listed too: that learner needs to certify again as well.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from grader.certificates.register import Register, show_code, write_table


@dataclass(frozen=True)
class Due:
    learner: str
    name: str
    email: str
    certificate: str
    code: str
    expires_on: dt.date
    days_left: int  # negative: expired that many days ago
    status: str  # expires soon | expired | revoked


def due(db_url: str, within_days: int, today: dt.date | None = None) -> list[Due]:
    """Learners whose certificate expires within ``within_days``, has expired or is revoked."""
    today = today or dt.datetime.now(dt.UTC).date()
    rows = []
    with Register(db_url) as register:
        for certificate in register.current().values():
            left = (certificate.expires_on - today).days
            if certificate.status == "revoked":
                status = "revoked"
            elif left < 0:
                status = "expired"
            elif left <= within_days:
                status = "expires soon"
            else:
                continue
            rows.append(
                Due(
                    certificate.learner,
                    certificate.name,
                    certificate.email,
                    certificate.id,
                    show_code(certificate.code),
                    certificate.expires_on,
                    left,
                    status,
                )
            )
    return sorted(rows, key=lambda row: (row.expires_on, row.learner))


DUE_COLUMNS = [
    "learner_id",
    "name",
    "email",
    "certificate_id",
    "code",
    "expires_on",
    "days_left",
    "status",
]


def write_due_csv(rows: list[Due], path: Path | str) -> None:
    """The renewal list as CSV, soonest first."""
    write_table(
        path,
        DUE_COLUMNS,
        [
            [
                r.learner,
                r.name,
                r.email,
                r.certificate,
                r.code,
                r.expires_on.isoformat(),
                r.days_left,
                r.status,
            ]
            for r in rows
        ],
    )
