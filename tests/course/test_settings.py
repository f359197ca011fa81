"""Organisation settings: checked with clear errors, and used throughout the course."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.build.assignments import generated_files
from grader.course.settings import (
    SETTINGS_FILE,
    SIGNING_KEY_ENV,
    SettingsError,
    certificate_settings,
    load_settings,
    placeholders,
)

from ..conftest import REPO, new_course


def write_settings(folder: Path, change) -> Path:
    data = yaml.safe_load((REPO / SETTINGS_FILE).read_text(encoding="utf-8"))
    change(data)
    (folder / SETTINGS_FILE).write_text(yaml.safe_dump(data, allow_unicode=True))
    return folder


def test_the_repository_settings_load() -> None:
    settings = load_settings(REPO)
    assert settings.languages == ("en", "nl")
    assert 0 < settings.pass_mark <= 100
    values = placeholders(settings, "nl")
    assert values["organisation"] == settings.organisation
    assert values["pass_mark"] == f"{settings.pass_mark:g}%"


def _set(path: str, value):
    def change(data: dict) -> None:
        *parents, last = path.split(".")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (_set("pass_mark", 150), "pass_mark", "150"),
        (_set("pass_mark", 0), "pass_mark", "0"),
        (_set("contact.email", "not-an-address"), "contact.email", "not-an-address"),
        (_set("languages", ["en", "de"]), "languages[1]", "de"),
        (_set("black_periods.0.end", "2020-01-01"), "black_periods[0].end", "before it starts"),
        (_set("black_periods.0.start", "2027-13-45"), "black_periods[0].start", "not a date"),
        (_set("contact.role", {"en": "adviser"}), "contact.role", "'nl'"),
        (
            _set("guideline_notes", {"gossip": {"en": "x", "nl": "y"}}),
            "guideline_notes.gossip",
            "unknown guideline",
        ),
        (_set("organisation", "  "), "organisation", "does not match"),
        (_set("reporting_channel", {"en": "the Speak Up line"}), "reporting_channel", "'nl'"),
        (_set("listed", "yes"), "listed", "not of type 'boolean'"),
        (_set("colour", "blue"), "(top level)", "colour"),
        (
            _set("guideline_notes", {"respect": {"en": "Ask {boss}", "nl": "Vraag {boss}"}}),
            "guideline_notes.respect.en",
            "{boss}",
        ),
    ],
)
def test_bad_settings_stop_with_an_error_naming_the_field(
    tmp_path: Path, change, field: str, words: str
) -> None:
    write_settings(tmp_path, change)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    message = str(caught.value)
    assert SETTINGS_FILE in message and f"field {field!r}" in message and words in message


def test_missing_settings_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"organisation\.yaml: is missing"):
        load_settings(tmp_path)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (_set("certificate.validity_months", 0), "certificate.validity_months", "0"),
        (_set("certificate.guideline_minimum", 120), "certificate.guideline_minimum", "120"),
        (_set("certificate.issuer_url", "http://x.example/"), "certificate.issuer_url", "http:"),
        (_set("certificate.verify_url", "https://x.example/v"), "certificate.verify_url", "/v"),
        (_set("certificate.course", {"en": "Course"}), "certificate.course", "'nl'"),
        (_set("certificate.issuer_email", "nobody"), "certificate.issuer_email", "nobody"),
    ],
)
def test_bad_certificate_settings_name_the_field(
    tmp_path: Path, change, field: str, words: str
) -> None:
    test_bad_settings_stop_with_an_error_naming_the_field(tmp_path, change, field, words)


def test_certificate_defaults_and_the_signing_key_override(tmp_path: Path, monkeypatch) -> None:
    def minimal(data: dict) -> None:
        for name in ("validity_months", "guideline_minimum", "signing_key", "verify_url"):
            del data["certificate"][name]

    write_settings(tmp_path, minimal)
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)
    config = certificate_settings(load_settings(tmp_path))
    assert (config.validity_months, config.guideline_minimum, config.verify_url) == (12, 50, "")
    assert config.signing_key == Path.home() / ".config" / "grader" / "signing-key.pem"
    monkeypatch.setenv(SIGNING_KEY_ENV, str(tmp_path / "key.pem"))
    assert certificate_settings(load_settings(tmp_path)).signing_key == tmp_path / "key.pem"
    write_settings(tmp_path, lambda data: data.pop("certificate"))
    with pytest.raises(SettingsError, match="has no 'certificate' section"):
        certificate_settings(load_settings(tmp_path))


def test_an_organisation_adapts_the_course_without_editing_notebooks(tmp_path: Path) -> None:
    course = new_course(tmp_path / "course")

    def rename(data: dict) -> None:
        data["organisation"] = "Harbour & Co"
        data["contact"]["name"] = "Noor Bakker"

    write_settings(course, rename)
    texts = "".join(generated_files(course).values())
    assert "Harbour & Co" in texts and "Noor Bakker" in texts
    assert load_settings(REPO).organisation not in texts
    assert "{organisation}" not in texts and "{contact_name}" not in texts


def test_the_reporting_channel_reaches_the_lessons_and_has_a_default(tmp_path: Path) -> None:
    """Whistleblowing is taught with the organisation's own channel, never communications."""
    course = new_course(tmp_path / "course")

    def channel(data: dict) -> None:
        data["reporting_channel"] = {"en": "the Integrity Desk", "nl": "het Integriteitsloket"}

    write_settings(course, channel)
    files = generated_files(course)
    lesson = files[course / "course" / "en" / "01-confidential.ipynb"]
    assert "the Integrity Desk" in lesson and "{reporting_channel}" not in lesson
    assert "het Integriteitsloket" in files[course / "course" / "nl" / "01-confidential.ipynb"]
    write_settings(course, lambda data: data.pop("reporting_channel"))
    values = placeholders(load_settings(course), "en")
    assert values["reporting_channel"] == (
        "the internal reporting channel described in Meridian Group's whistleblowing policy"
    )
