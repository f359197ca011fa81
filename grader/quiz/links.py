"""Personal quiz links for a roster: one signed link per learner, as a CSV to mail from.

The roster is the same CSV ``grader cohort roster`` imports (``id,name,email,team``); a bad
row is reported with its line and gets no link. Each link opens the exam for that learner
only, until it expires.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from grader.cohort.roster import read_roster
from grader.cohort.spreadsheet import write_rows
from grader.course.paths import RELEASE_DIR
from grader.errors import GraderError
from grader.quiz.tokens import LEARNER_ID, load_secret, make_token

COLUMNS = ["id", "name", "email", "assignment", "expires", "link"]


class LinksError(GraderError, ValueError):
    """The links cannot be made; the message names the assignment or the address."""


@dataclass(frozen=True)
class Link:
    learner: str
    name: str
    email: str
    assignment: str
    expires: int
    url: str


def quiz_url(base_url: str, assignment: str, token: str) -> str:
    """The page address with the assignment and the token in its query string."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LinksError(f"the base URL {base_url!r} is not an http(s) address")
    if parts.query or parts.fragment:
        raise LinksError(f"the base URL {base_url!r} may not have a query or fragment")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    query = urlencode({"assignment": assignment, "token": token})
    return f"{parts.scheme}://{parts.netloc}{path}?{query}"


def make_links(
    course_root: Path | str,
    roster: Path | str,
    *,
    assignment: str,
    valid_days: float,
    base_url: str,
    secret_file: Path | str,
    now: float | None = None,
) -> tuple[list[Link], list[str]]:
    """A link per valid roster row, and why each other row got none."""
    released = Path(course_root) / RELEASE_DIR / assignment / f"{assignment}.ipynb"
    if not released.is_file():
        raise LinksError(
            f"no released assignment {assignment!r} (looked for {released}; run `grader build`)"
        )
    if valid_days <= 0:
        raise LinksError(f"--valid-days must be more than 0, got {valid_days:g}")
    learners, row_problems = read_roster(roster)
    problems = [str(problem) for problem in row_problems]
    secret = load_secret(secret_file)
    expires = int((time.time() if now is None else now) + valid_days * 86_400)
    links = []
    for learner in learners:
        if not LEARNER_ID.fullmatch(learner.id):
            problems.append(f"learner {learner.id!r}: this id cannot be used in a link")
            continue
        token = make_token(secret, learner.id, assignment, expires)
        url = quiz_url(base_url, assignment, token)
        links.append(Link(learner.id, learner.name, learner.email, assignment, expires, url))
    return links, problems


def write_links(links: list[Link], out: Path | str) -> Path:
    """Write the links as CSV (``id,name,email,assignment,expires,link``)."""
    rows = [
        [
            link.learner,
            link.name,
            link.email,
            link.assignment,
            time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(link.expires)),
            link.url,
        ]
        for link in links
    ]
    out = write_rows(out, COLUMNS, rows)
    return out
