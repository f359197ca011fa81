"""The item bank: assessment items and their keys, loaded from YAML under ``solutions/``.

Files named ``*.items.yaml`` hold the items; ``assessments.yaml`` says which items make
up each nbgrader assignment. Every text is written in each language of the course
(``{en: ..., nl: ...}``) and may hold placeholders for the organisation settings, such as
``{organisation}``. Everything is checked against a JSON Schema and then for meaning
(known guideline, key among the options, unique ids, known placeholders, ...). Every
problem found is reported at once, each naming the file, the item id and the field.

A loaded :class:`Bank` is in one language, with its placeholders filled in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from grader.course.content_files import (
    BankError,
    Localizer,
    Problem,
    read_yaml,
    schema_problems,
    texts_of,
)
from grader.course.guidelines import BY_SLUG
from grader.course.items import Assessment, Bank, Criterion, Item, Option, Scenario
from grader.course.paths import ASSESSMENTS_FILE
from grader.course.settings import placeholder_message, unknown_placeholders

ITEMS_GLOB = "*.items.yaml"
UNREADABLE = "\0unreadable"  # marks, among the defined ids, an items file that could not be read


def load_bank(
    source_dir: Path | str, language: str = "en", values: Mapping[str, str] | None = None
) -> Bank:
    """Load and check every ``*.items.yaml`` and ``assessments.yaml`` in ``source_dir``.

    Texts come in ``language`` with placeholders replaced by ``values`` (left as they are
    when ``values`` is None). Raises :class:`BankError` listing every problem when anything
    is wrong, in any language.
    """
    source_dir = Path(source_dir)
    localize = Localizer(language, values)
    problems: list[Problem] = []
    items: dict[str, Item] = {}
    defined: set[str] = set()
    files = sorted(source_dir.glob(ITEMS_GLOB))
    if not files:
        problems.append(Problem(str(source_dir), f"no item files ({ITEMS_GLOB}) found"))
    for path in files:
        for item in load_items_file(path, problems, defined, localize):
            if item.id in items:
                problems.append(
                    Problem(
                        item.source,
                        f"duplicate id: also defined in {items[item.id].source}",
                        item.id,
                        "id",
                    )
                )
            else:
                items[item.id] = item
    assessments = _load_assessments(source_dir / ASSESSMENTS_FILE, defined, problems, localize)
    if problems:
        raise BankError(problems)
    return Bank(items=items, assessments=assessments)


def load_items_file(
    path: Path, problems: list[Problem], defined: set[str], localize: Localizer
) -> Iterator[Item]:
    """Items of one file that pass every check; problems of the others go to ``problems``.

    ``defined`` collects every id the file declares, valid or not, so that an assessment
    listing a broken item is not also told the item does not exist.
    """
    already = len(problems)
    data = read_yaml(path, problems)
    if len(problems) > already:
        defined.add(UNREADABLE)
        return
    raw_items = data.get("items") if isinstance(data, dict) else None
    raw_items = raw_items if isinstance(raw_items, list) else []
    for raw in raw_items:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            defined.add(raw["id"])
    found = schema_problems(path, data, "items.schema.json", "items")
    problems.extend(problem for _, problem in found)
    if any(index is None for index, _ in found):
        return
    broken = {index for index, _ in found}
    for index, raw in enumerate(raw_items):
        if index in broken:
            continue
        raw_problems = list(item_problems(str(path), raw))
        problems.extend(raw_problems)
        if not raw_problems:
            yield item_from(raw, str(path), localize)


def item_problems(file: str, raw: dict[str, Any]) -> Iterable[Problem]:
    """What the schema cannot say: cross-field rules of one item."""

    def problem(message: str, field_name: str) -> Problem:
        return Problem(file, message, raw["id"], field_name)

    for field_name, text in texts_of(raw):
        for name in unknown_placeholders(text):
            yield problem(placeholder_message(name), field_name)

    if raw["guideline"] not in BY_SLUG:
        known = ", ".join(BY_SLUG)
        yield problem(f"unknown guideline {raw['guideline']!r} (known: {known})", "guideline")
    kind = raw["kind"]
    if kind == "free-text":
        for name in ("options", "key"):
            if name in raw:
                yield problem("free-text items have no options or key", name)
        if "rubric" not in raw:
            yield problem("is missing (free-text items are graded against a rubric)", "rubric")
        else:
            total = sum(line["points"] for line in raw["rubric"])
            if abs(total - raw["points"]) > 1e-9:
                yield problem(
                    f"rubric points add up to {total:g}, but the item is worth {raw['points']:g}",
                    "rubric",
                )
        return
    for name in ("rubric", "model_answer"):
        if name in raw:
            yield problem(f"only free-text items have a {name}", name)
    if "options" not in raw:
        yield problem(f"is missing ({kind} items need options)", "options")
        return
    option_ids = [option["id"] for option in raw["options"]]
    for duplicate in sorted({i for i in option_ids if option_ids.count(i) > 1}):
        yield problem(f"duplicate option id {duplicate!r}", "options")
    if "key" not in raw:
        yield problem("is missing", "key")
        return
    key = raw["key"]
    if kind == "choice" and not isinstance(key, str):
        yield problem("a choice item's key is one option id", "key")
        return
    if kind == "multi-select" and not isinstance(key, list):
        yield problem("a multi-select item's key is a list of option ids", "key")
        return
    keys = [key] if isinstance(key, str) else key
    for duplicate in sorted({k for k in keys if keys.count(k) > 1}):
        yield problem(f"option {duplicate!r} is listed twice", "key")
    for unknown in [k for k in keys if k not in option_ids]:
        yield problem(
            f"{unknown!r} is not among the options ({', '.join(option_ids)})",
            "key",
        )


def item_from(raw: dict[str, Any], source: str, localize: Localizer) -> Item:
    key = raw.get("key", ())
    scenario = {name: localize(text) for name, text in raw["scenario"].items()}
    return Item(
        id=raw["id"],
        guideline=raw["guideline"],
        kind=raw["kind"],
        points=float(raw["points"]),
        scenario=Scenario(**scenario),
        question=localize(raw["question"]),
        explanation=localize(raw["explanation"]),
        options=tuple(Option(o["id"], localize(o["text"])) for o in raw.get("options", ())),
        key=(key,) if isinstance(key, str) else tuple(key),
        rubric=tuple(
            Criterion(float(c["points"]), localize(c["criterion"])) for c in raw.get("rubric", ())
        ),
        model_answer=localize(raw["model_answer"]) if "model_answer" in raw else None,
        shuffle=raw.get("shuffle", True),
        source=source,
    )


def _load_assessments(
    path: Path, defined: set[str], problems: list[Problem], localize: Localizer
) -> dict[str, Assessment]:
    if not path.exists():
        problems.append(Problem(str(path), "is missing: it lists the items of each assessment"))
        return {}
    data = read_yaml(path, problems)
    if data is None:
        return {}
    found = schema_problems(path, data, "assessments.schema.json", "assessments")
    problems.extend(problem for _, problem in found)
    if found:
        return {}
    assessments: dict[str, Assessment] = {}
    for raw in data["assessments"]:
        if raw["id"] in assessments:
            problems.append(Problem(str(path), "duplicate assessment id", raw["id"], "id"))
            continue
        item_ids = raw["items"]
        for item_id in sorted({i for i in item_ids if item_ids.count(i) > 1}):
            problems.append(
                Problem(str(path), f"item {item_id!r} listed twice", raw["id"], "items")
            )
        for item_id in item_ids:
            # An unreadable items file may define it: that file's problem is reported instead.
            if item_id not in defined and UNREADABLE not in defined:
                problems.append(Problem(str(path), f"unknown item {item_id!r}", raw["id"], "items"))
        text_problems = [
            Problem(str(path), placeholder_message(name), raw["id"], field_name)
            for field_name, text in texts_of({k: raw[k] for k in ("title", "introduction")})
            for name in unknown_placeholders(text)
        ]
        if text_problems:
            problems.extend(text_problems)
            continue
        assessments[raw["id"]] = Assessment(
            raw["id"], localize(raw["title"]), localize(raw["introduction"]), tuple(item_ids)
        )
    return assessments
