"""The register of issued certificates: append-only, in the course's gradebook database.

Two tables beside nbgrader's own (same ``db_url``, SQLite or PostgreSQL):
``grader_certificate`` holds what was issued, one row per certificate, and
``grader_certificate_event`` what happened to it (``issued``, ``revoked``,
``superseded``). Rows are only ever inserted, never updated or deleted, so the register
is an audit trail; a certificate's status is derived from its events. Issuing the same
submission twice is refused by a unique constraint, so concurrent runs cannot duplicate.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from grader.cohort.spreadsheet import write_rows
from grader.errors import GraderError

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed by hand
CODE_LENGTH = 12

_metadata = MetaData()
certificates_table = Table(
    "grader_certificate",
    _metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(CODE_LENGTH), nullable=False, unique=True),
    Column("learner_id", String(128), nullable=False, index=True),
    Column("name", String(256), nullable=False),
    Column("email", String(256), nullable=False),
    Column("assignment", String(128), nullable=False),
    Column("submitted_at", String(64), nullable=False),
    Column("issued_at", String(32), nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("badge_jws", Text, nullable=False),
    Column("certificate_jws", Text, nullable=False),
    UniqueConstraint("learner_id", "assignment", "submitted_at", name="grader_certificate_once"),
)
events_table = Table(
    "grader_certificate_event",
    _metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("certificate_id", String(36), nullable=False, index=True),
    Column("event", String(16), nullable=False),
    Column("at", String(32), nullable=False),
    Column("reason", Text, nullable=False, default=""),
)


class RegisterError(GraderError, LookupError):
    """A certificate id that the register does not hold, or an action it cannot take."""


class AlreadyIssued(Exception):
    """This submission has a certificate already (another run was faster)."""


@dataclass(frozen=True)
class Certificate:
    """One issued certificate and its status, derived from its events."""

    id: str
    code: str
    learner: str
    name: str
    email: str
    assignment: str
    submitted_at: str
    issued_at: str
    expires_on: dt.date
    badge_jws: str
    certificate_jws: str
    status: str = "issued"  # issued | revoked | superseded
    reason: str = ""  # why it was revoked, or the id that superseded it

    def expired(self, today: dt.date) -> bool:
        return today > self.expires_on


def new_code() -> str:
    """A random verification code (about 59 bits) from :data:`CODE_ALPHABET`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def show_code(code: str) -> str:
    """``ABCDEFGHJKMN`` → ``ABCD-EFGH-JKMN``: easier to read out and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normal_code(text: str) -> str | None:
    """A typed code without separators, upper case; ``None`` if it cannot be a code."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code):
        return code
    return None


class Register:
    """The certificate register of one gradebook database."""

    def __init__(self, db_url: str) -> None:
        self.engine = create_engine(db_url)
        _metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def issue(self, certificate: Certificate, *, supersedes: list[str]) -> None:
        """Record a new certificate and, in the same transaction, the ones it replaces."""
        values = {
            column.name: getattr(certificate, _FIELDS.get(column.name, column.name))
            for column in certificates_table.columns
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(certificates_table).values(**values))
                self._event(connection, certificate.id, "issued", certificate.issued_at)
                for old in supersedes:
                    self._event(
                        connection, old, "superseded", certificate.issued_at, certificate.id
                    )
        except IntegrityError:
            raise AlreadyIssued(certificate.learner) from None

    def revoke(self, certificate_id: str, reason: str, at: dt.datetime) -> Certificate:
        """Revoke a certificate; :class:`RegisterError` if unknown or revoked already."""
        certificate = self.get(certificate_id)
        if certificate is None:
            raise RegisterError(f"no certificate {certificate_id!r} in the register")
        if certificate.status == "revoked":
            raise RegisterError(
                f"certificate {certificate.id} is revoked already ({certificate.reason})"
            )
        if not reason.strip():
            raise RegisterError("give a reason for revoking (--reason)")
        with self.engine.begin() as connection:
            self._event(connection, certificate.id, "revoked", at.isoformat(), reason.strip())
        return self.get(certificate.id)  # type: ignore[return-value]

    @staticmethod
    def _event(connection, certificate_id: str, event: str, at: str, reason: str = "") -> None:
        connection.execute(
            insert(events_table).values(
                certificate_id=certificate_id, event=event, at=at, reason=reason
            )
        )

    def certificates(self, learner: str | None = None) -> list[Certificate]:
        """All certificates (of one learner), oldest first, each with its status."""
        if learner is None:
            return self._load(None)
        return self._load(certificates_table.c.learner_id == learner)

    def get(self, certificate_id: str) -> Certificate | None:
        """The certificate with this id, or ``None``."""
        found = self._load(certificates_table.c.id == certificate_id.strip().lower())
        return found[0] if found else None

    def by_code(self, code: str) -> Certificate | None:
        """The certificate with this verification code (any spelling), or ``None``."""
        found = self._load(certificates_table.c.code == normal_code(code))
        return found[0] if found else None

    def _load(self, condition) -> list[Certificate]:
        query = select(certificates_table).order_by(
            certificates_table.c.issued_at, certificates_table.c.id
        )
        events = select(events_table).order_by(events_table.c.seq)
        if condition is not None:
            query = query.where(condition)
            ids = select(certificates_table.c.id).where(condition)
            events = events.where(events_table.c.certificate_id.in_(ids))
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
            status: dict[str, tuple[str, str]] = {}
            for event in connection.execute(events):
                if status.get(event.certificate_id, ("",))[0] != "revoked":
                    status[event.certificate_id] = (event.event, event.reason)
        return [
            Certificate(
                **{_FIELDS.get(key, key): value for key, value in row.items()},
                status=status.get(row["id"], ("issued", ""))[0],
                reason=status.get(row["id"], ("", ""))[1],
            )
            for row in rows
        ]

    def current(self) -> dict[str, Certificate]:
        """Each learner's latest certificate that has not been superseded."""
        latest: dict[str, Certificate] = {}
        for certificate in self.certificates():
            if certificate.status != "superseded":
                latest[certificate.learner] = certificate
        return latest

    def events(self) -> list[tuple[str, str, str, str]]:
        """Every event in order: (certificate id, event, at, reason)."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(events_table).order_by(events_table.c.seq)).all()
        return [(row.certificate_id, row.event, row.at, row.reason) for row in rows]


_FIELDS = {"learner_id": "learner"}  # column name → Certificate field, where they differ


def write_table(path: Path | str, header: list[str], rows: list[list[object]]) -> None:
    """A CSV file with a header row (UTF-8, as spreadsheets and HR systems read it); a
    name or email that a spreadsheet would run as a formula is written as text."""
    write_rows(path, header, rows)


REGISTER_COLUMNS = [
    "certificate_id",
    "code",
    "learner_id",
    "name",
    "email",
    "assignment",
    "submitted_at",
    "issued_at",
    "expires_on",
    "status",
    "reason",
]


def write_register_csv(register: Register, path: Path | str, today: dt.date) -> int:
    """The register as CSV for an auditor: one row per certificate with its status today."""
    rows = []
    for c in register.certificates():
        status = "expired" if c.status == "issued" and c.expired(today) else c.status
        rows.append(
            [
                c.id,
                show_code(c.code),
                c.learner,
                c.name,
                c.email,
                c.assignment,
                c.submitted_at,
                c.issued_at,
                c.expires_on.isoformat(),
                "valid" if status == "issued" else status,
                c.reason,
            ]
        )
    write_table(path, REGISTER_COLUMNS, rows)
    return len(rows)
