"""The package's steps import only downward along the course's flow (see grader/__init__.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "grader"
# The steps in the order of the flow: each may import itself and the steps before it.
STEPS = ["course", "build", "learner", "grading", "cohort", "certificates", "quiz", "hub", "cli"]
SHARED = {"errors", "secret_files"}  # any step may import these
OLD_PATHS = {"check", "widgets", "practice", "nbgrader_setup"}  # for old notebooks only
MAX_LINES = 320  # "a few hundred lines" (STYLE.md); the longest today has 298


def step_of(module: str) -> str:
    """``grader.cohort.report.data`` -> ``cohort``; ``grader`` -> ``grader``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "grader"


def grader_imports(path: Path) -> list[tuple[int, str]]:
    """Every ``grader...`` module a file imports, at any depth (lazy imports included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("grader")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("grader"):
            if node.module == "grader":
                found += [(node.lineno, f"grader.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_step_and_the_steps_before_it(path: Path) -> None:
    here = path.relative_to(PACKAGE).parts
    if len(here) == 1:  # grader/__init__.py, the shared modules and the old paths
        allowed = set() if here[0] != "__init__.py" else set(STEPS)
        if here[0].removesuffix(".py") in OLD_PATHS:
            allowed = {"learner", "grading"}
    else:
        allowed = set(STEPS[: STEPS.index(here[0]) + 1])
    wrong = [
        f"line {line}: {module}"
        for line, module in grader_imports(path)
        if step_of(module) not in allowed | SHARED
    ]
    assert not wrong, f"{path.relative_to(PACKAGE)} imports upward or an old path: {wrong}"


def test_every_step_says_what_it_does_and_what_it_may_import() -> None:
    for step in STEPS:
        doc = ast.get_docstring(ast.parse((PACKAGE / step / "__init__.py").read_text()))
        assert doc and ("import" in doc), f"grader/{step}/__init__.py has no docstring on imports"


def test_every_subpackage_init_is_import_free() -> None:
    """A hidden test cell's ``from grader import check_answer`` loads these: keep them light."""
    for init in PACKAGE.rglob("__init__.py"):
        if init.parent == PACKAGE:
            continue
        body = ast.parse(init.read_text()).body
        assert all(isinstance(node, ast.Expr) for node in body), f"{init} runs code"


def test_no_module_is_much_over_three_hundred_lines() -> None:
    lengths = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines()) for p in modules()}
    long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert not long, f"split these by responsibility: {long}"
