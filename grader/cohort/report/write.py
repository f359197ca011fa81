"""The cohort report step: gather the figures, write the HTML page and the CSV tables.

``grader cohort report NAME --out DIR`` calls :func:`write_report`; NAME is an assessment
(every language version) or one language version. The folder holds
``report.html`` (self-contained: open it offline, mail it, print it) and the tables as CSV.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from grader.cohort.report.csv_files import write_tables
from grader.cohort.report.data import ReportData, gather
from grader.cohort.report.page import render
from grader.errors import GraderError

PAGE = "report.html"


class ReportError(GraderError, ValueError):
    """The report cannot be written where it was asked to go."""


@dataclass(frozen=True)
class Report:
    data: ReportData
    files: tuple[Path, ...]


def write_report(
    course_root: Path | str,
    name: str,
    out: Path | str,
    *,
    now: dt.datetime | None = None,
) -> Report:
    """Write the report of ``name`` into the folder ``out`` (made if missing).

    Raises :class:`grader.cohort.assessments.UnknownAssessment` before writing anything
    when ``name`` is not built."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ReportError(f"{folder}: is a file; the report needs a folder")
    data = gather(course_root, name, now=now)
    folder.mkdir(parents=True, exist_ok=True)
    tables = write_tables(data, folder)
    page = folder / PAGE
    page.write_text(render(data, [path.name for path in tables]), encoding="utf-8")
    return Report(data, (page, *tables))
