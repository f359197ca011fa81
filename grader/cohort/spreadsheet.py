"""CSV files that people open in a spreadsheet: no cell a learner wrote can run as a formula.

Names, emails, teams and ids come from rosters and submissions. A spreadsheet runs a cell
that starts with ``=``, ``+``, ``-`` or ``@`` (and some take a tab or carriage return
first), so, as OWASP recommends against CSV injection, such a text cell is written with a
leading apostrophe, which spreadsheets show as plain text. Numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as it may go in a CSV cell: text that could start a formula gets a ``'``."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def write_rows(path: Path | str, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Path:
    """Write a CSV file (UTF-8, one header line) with every cell made safe."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow([safe_cell(name) for name in header])
        writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return path
