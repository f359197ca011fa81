"""pyproject.toml and environment.yml pin the same versions of the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import REPO


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[a-z,]+\])?==([0-9][0-9A-Za-z.]*)", requirement)
        assert match, f"pyproject.toml: {requirement!r} is not pinned with =="
        pins[match[1].lower()] = match[3]
    return pins


def conda_pins() -> dict[str, str]:
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for dependency in environment["dependencies"]:
        if not isinstance(dependency, str) or dependency.split("=")[0] in {"python", "pip"}:
            continue
        name, _, version = dependency.partition("=")
        pins[name.lower()] = version
    return pins


def test_pyproject_and_environment_pin_the_same_versions() -> None:
    assert conda_pins() == pyproject_pins()


def test_both_ask_for_python_3_11() -> None:
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in environment["dependencies"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"].startswith(">=3.11")
