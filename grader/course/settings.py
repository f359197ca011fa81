"""Organisation settings: one schema-checked file that adapts the whole course.

``organisation.yaml`` at the course root names the organisation, its contact person,
its black periods, the pass mark and optional notes per guideline. Lessons, scenarios and
items refer to them with placeholders such as ``{organisation}`` (see :func:`placeholders`),
filled in when ``grader build`` generates the notebooks.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import string
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from grader.course.guidelines import BY_SLUG, GUIDELINES
from grader.errors import GraderError

SETTINGS_FILE = "organisation.yaml"
SIGNING_KEY_ENV = "GRADER_SIGNING_KEY"  # overrides certificate.signing_key (tests, servers)
DEFAULT_SIGNING_KEY = "~/.config/grader/signing-key.pem"
PLACEHOLDERS = (
    "organisation",
    "contact_name",
    "contact_email",
    "contact_role",
    "pass_mark",
    "black_period",
    "reporting_channel",
    "guideline_count",
)
# {guideline_count}: how many guidelines the course teaches, as a word.
NUMBER_WORDS = {
    "en": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "nl": ["één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"],
}
# Used when organisation.yaml names no reporting channel of its own.
DEFAULT_REPORTING_CHANNEL = {
    "en": "the internal reporting channel described in {organisation}'s whistleblowing policy",
    "nl": "het interne meldpunt uit de klokkenluidersregeling van {organisation}",
}


class SettingsError(GraderError, ValueError):
    """The settings file is missing or wrong; the message names the file and the field."""


@dataclass(frozen=True)
class BlackPeriod:
    name: dict[str, str]
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class CertificateSettings:
    """The ``certificate`` section: what certificates say, how long they last, who signs."""

    course: dict[str, str]
    issuer_url: str  # where the files of ``grader certificates publish`` are served, ends in /
    issuer_email: str
    validity_months: int = 12
    guideline_minimum: float = 50.0
    signing_key: Path = field(default_factory=lambda: Path(DEFAULT_SIGNING_KEY).expanduser())
    verify_url: str = ""  # e.g. https://example.org/verify?code={code}, put in the QR code


@dataclass(frozen=True)
class QuizSettings:
    """Exams taken in the browser (``grader quiz``): how often a learner may submit."""

    attempts: int = 1


@dataclass(frozen=True)
class Settings:
    organisation: str
    languages: tuple[str, ...]
    contact_name: str
    contact_email: str
    contact_role: dict[str, str]
    pass_mark: float
    black_periods: tuple[BlackPeriod, ...]
    guideline_notes: dict[str, dict[str, str]] = field(default_factory=dict)
    reporting_channel: dict[str, str] = field(default_factory=lambda: DEFAULT_REPORTING_CHANNEL)
    listed: bool = True  # False: no black periods, so the black-period module is left out
    certificate: CertificateSettings | None = None
    quiz: QuizSettings = field(default_factory=QuizSettings)

    @property
    def left_out(self) -> frozenset[str]:
        """Slugs of the guidelines this organisation's course leaves out."""
        return frozenset() if self.listed else frozenset({"black-period"})


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("grader.course.schemas").joinpath("organisation.schema.json").read_text()
    return json.loads(text)


def load_settings(course_root: Path | str) -> Settings:
    """Read and check ``organisation.yaml``; raise :class:`SettingsError` naming what is wrong."""
    path = Path(course_root) / SETTINGS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: is missing (it holds the organisation settings)") from None
    except yaml.YAMLError as error:
        raise SettingsError(f"{path}: not valid YAML: {error}") from None
    data = _dates_as_text(data)
    errors = sorted(
        jsonschema.Draft202012Validator(_schema()).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        lines = [f"  - {path}: field {_field(e)!r}: {e.message}" for e in errors]
        raise SettingsError("the organisation settings are wrong:\n" + "\n".join(lines))
    problems = list(_meaning_problems(data))
    if problems:
        lines = [f"  - {path}: field {name!r}: {message}" for name, message in problems]
        raise SettingsError("the organisation settings are wrong:\n" + "\n".join(lines))
    contact = data["contact"]
    return Settings(
        organisation=data["organisation"].strip(),
        languages=tuple(data["languages"]),
        contact_name=contact["name"].strip(),
        contact_email=contact["email"],
        contact_role=contact.get("role", {}),
        pass_mark=float(data["pass_mark"]),
        black_periods=tuple(
            BlackPeriod(
                p["name"], dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"])
            )
            for p in data.get("black_periods", [])
        ),
        guideline_notes=data.get("guideline_notes", {}),
        reporting_channel=data.get("reporting_channel", DEFAULT_REPORTING_CHANNEL),
        listed=data.get("listed", True),
        certificate=_certificate(data.get("certificate")),
        quiz=QuizSettings(**data.get("quiz", {})),
    )


def certificate_settings(settings: Settings) -> CertificateSettings:
    """The ``certificate`` section; :class:`SettingsError` when the organisation has none."""
    if settings.certificate is None:
        raise SettingsError(
            f"{SETTINGS_FILE}: has no 'certificate' section (the course title on certificates, "
            f"issuer_url and issuer_email are needed to issue them)"
        )
    return settings.certificate


def _certificate(data: dict[str, Any] | None) -> CertificateSettings | None:
    if data is None:
        return None
    key = os.environ.get(SIGNING_KEY_ENV) or data.get("signing_key", DEFAULT_SIGNING_KEY)
    return CertificateSettings(
        course=data["course"],
        issuer_url=data["issuer_url"],
        issuer_email=data["issuer_email"],
        validity_months=data.get("validity_months", 12),
        guideline_minimum=float(data.get("guideline_minimum", 50)),
        signing_key=Path(key).expanduser(),
        verify_url=data.get("verify_url", ""),
    )


def _dates_as_text(value: Any) -> Any:
    """YAML reads ``2027-01-18`` as a date; the schema and checks work on ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value


def _field(error: jsonschema.ValidationError) -> str:
    parts = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return parts.lstrip(".") or "(top level)"


def _meaning_problems(data: dict[str, Any]):
    languages = data["languages"]

    def localized(name: str, value: dict[str, str]):
        for language in languages:
            if language not in value:
                yield name, f"has no {language!r} text (the course is built in {languages})"

    yield from localized("contact.role", data["contact"].get("role", dict.fromkeys(languages)))
    if "reporting_channel" in data:
        yield from localized("reporting_channel", data["reporting_channel"])
    periods = data.get("black_periods", [])
    if data.get("listed", True) and not periods:
        yield "black_periods", "lists none (set 'listed: false' if the shares are not listed)"
    if not data.get("listed", True) and periods:
        yield "black_periods", "lists periods, but 'listed' is false (remove one or the other)"
    for index, period in enumerate(periods):
        name = f"black_periods[{index}]"
        yield from localized(f"{name}.name", period["name"])
        for side in ("start", "end"):
            try:
                dt.date.fromisoformat(period[side])
            except ValueError:
                yield f"{name}.{side}", f"{period[side]!r} is not a date (YYYY-MM-DD)"
                return
        if period["start"] > period["end"]:
            yield f"{name}.end", f"ends ({period['end']}) before it starts ({period['start']})"
    if "certificate" in data:
        yield from localized("certificate.course", data["certificate"]["course"])
    for slug, note in data.get("guideline_notes", {}).items():
        if slug not in BY_SLUG:
            yield f"guideline_notes.{slug}", f"unknown guideline (known: {', '.join(BY_SLUG)})"
        else:
            yield from localized(f"guideline_notes.{slug}", note)
            for language, text in note.items():
                for name in unknown_placeholders(text):
                    yield f"guideline_notes.{slug}.{language}", placeholder_message(name)


def placeholders(settings: Settings, language: str) -> dict[str, str]:
    """The values that ``{name}`` placeholders in course texts are replaced with.

    ``{black_period}`` names the first black period listed (scenarios mention it), so the
    generated notebooks depend on the settings only, never on today's date.
    """
    first = settings.black_periods[0].name[language] if settings.black_periods else ""
    channel = settings.reporting_channel.get(language, DEFAULT_REPORTING_CHANNEL[language])
    return {
        "organisation": settings.organisation,
        "contact_name": settings.contact_name,
        "contact_email": settings.contact_email,
        "contact_role": settings.contact_role.get(language, ""),
        "pass_mark": f"{settings.pass_mark:g}%",
        "black_period": first,
        "reporting_channel": channel.replace("{organisation}", settings.organisation),
        "guideline_count": NUMBER_WORDS[language][len(GUIDELINES) - len(settings.left_out) - 1],
    }


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in ``text`` that the settings cannot fill (``{}`` and ``{0}`` included)."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return [UNBALANCED]
    return [name for name in names if name not in PLACEHOLDERS]


UNBALANCED = "{"


def placeholder_message(name: str) -> str:
    """Why a placeholder found by :func:`unknown_placeholders` cannot be filled."""
    if name == UNBALANCED:
        return "has an unmatched brace (write {{ and }} for a literal brace)"
    known = ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)
    return f"unknown placeholder {{{name}}} (known: {known}; write {{{{ and }}}} for braces)"
