"""Reading the course's YAML files: parse them, check them against their JSON Schema and
report every problem at once, each naming the file, the entry and the field; and pick
one language of a ``{en: ..., nl: ...}`` text with its placeholders filled in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from grader.course.i18n import LANGUAGES
from grader.errors import GraderError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the bank, located as precisely as possible."""

    file: str
    message: str
    item: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.item is not None:
            where.append(f"item {self.item!r}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return ": ".join([*where, self.message])


class BankError(GraderError, ValueError):
    """The bank is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"the course content has {len(problems)} problem(s):\n{lines}")


@cache
def _schema(name: str) -> dict[str, Any]:
    text = resources.files("grader.course.schemas").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


# libyaml's parser when PyYAML has it (several times faster), the pure-Python one otherwise.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """A YAML file's data; an unreadable or invalid file becomes a Problem naming it."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.append(Problem(str(path), f"not valid YAML{line}: {reason}"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(str(path), f"cannot be read: {error}"))
    return None


def schema_problems(
    path: Path, data: Any, schema_name: str, list_key: str
) -> list[tuple[int | None, Problem]]:
    """Schema violations, each with the index of its entry (None: the whole file)."""
    validator = jsonschema.Draft202012Validator(_schema(schema_name))
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path_parts = list(error.absolute_path)
        index, entry = None, None
        if len(path_parts) >= 2 and path_parts[0] == list_key and isinstance(path_parts[1], int):
            index = path_parts[1]
            raw = data[list_key][index]
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            entry = raw_id if isinstance(raw_id, str) else f"#{index + 1}"
            path_parts = path_parts[2:]
        message, field_name = _describe(error, path_parts)
        found.append((index, Problem(str(path), message, item=entry, field=field_name)))
    return found


def _describe(error: jsonschema.ValidationError, parts: list[Any]) -> tuple[str, str | None]:
    """A readable message and field name for one schema violation."""
    field_name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    instance = error.instance
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in instance]
        return "is missing", ".".join(filter(None, [field_name, missing[0]]))
    if error.validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(set(instance) - allowed)
        return f"unknown field (allowed: {', '.join(sorted(allowed))})", ".".join(
            filter(None, [field_name, str(extra[0])])
        )
    if error.validator == "type" and set(error.schema.get("properties", {})) == set(LANGUAGES):
        example = ", ".join(f"{language}: ..." for language in LANGUAGES)
        return f"must be written in every language ({{{example}}})", field_name or None
    if error.validator == "exclusiveMinimum":
        return f"must be a positive number, got {instance!r}", field_name or None
    if error.validator == "pattern" and error.validator_value == "\\S":
        return "must not be empty", field_name or None
    if error.validator == "pattern":
        return (
            f"{instance!r} is not a valid id (lowercase letters, digits and single hyphens)",
            field_name or None,
        )
    if error.validator == "oneOf" and parts and parts[-1] == "key":
        return "must be an option id or a list of option ids", field_name
    if error.validator == "enum":
        choices = ", ".join(map(str, error.validator_value))
        return f"{instance!r} is not one of: {choices}", field_name or None
    return error.message, field_name or None


class Localizer:
    """Picks one language of a ``{en: ..., nl: ...}`` text and fills in its placeholders."""

    def __init__(self, language: str, values: Mapping[str, str] | None) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")
        self.language = language
        self.values = values

    def __call__(self, text: Mapping[str, str]) -> str:
        chosen = text[self.language]
        return chosen if self.values is None else chosen.format_map(self.values)


def texts_of(raw: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every ``(field path, text)`` of a raw entry, one per language (``question.nl``)."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            yield from texts_of(value, f"{path}.{key}" if path else str(key))
    elif isinstance(raw, list):
        for index, value in enumerate(raw):
            yield from texts_of(value, f"{path}[{index}]")
    elif isinstance(raw, str) and path.rsplit(".", 1)[-1] in LANGUAGES:
        yield path, raw
