"""The link check in front of the page: which requests may have a kernel at all.

Voila gives every request a kernel before the page's own code can look at the link, so
the quiz server checks the query string first (:mod:`grader.quiz.voila_app`): an exam
needs a valid personal token for that exam, a lesson a valid token of the learner, and
anything else gets a short page in the learner's language, without a kernel. The page
kernel checks the token again before it shows anything.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from grader.course.i18n import LANGUAGES, message
from grader.course.paths import LESSONS_DIR, RELEASE_DIR
from grader.quiz.site import QuizServer
from grader.quiz.tokens import MAX_TOKEN_CHARS, TokenError, load_secret, read_token
from grader.secret_files import unb64url

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,100}")


@dataclass(frozen=True)
class Refusal:
    """Why a request gets no page: the HTTP status and the text for the learner."""

    status: int
    text: str
    language: str


def page_language(params: Mapping[str, str], headers: Mapping[str, str]) -> str:
    """The learner's language: the exam's, the link's, the browser's, else English."""
    wanted = [params.get("assignment", "").rpartition("-")[2], params.get("language", "")]
    wanted.append(_token_language(params.get("token")))
    accept = headers.get("HTTP_ACCEPT_LANGUAGE", headers.get("Accept-Language", ""))
    wanted += [part.split(";")[0].strip()[:2] for part in accept.split(",")]
    return next((code for code in wanted if code in LANGUAGES), "en")


def _token_language(token: str | None) -> str:
    """The language of the assignment a link's token names, read without trusting it: it
    only chooses the language of a page that explains why the link is not valid."""
    try:
        claims = json.loads(unb64url((token or "").partition(".")[0][:MAX_TOKEN_CHARS]))
        return str(claims.get("a", "")).rpartition("-")[2]
    except Exception:
        return ""


def token_message(error: TokenError, language: str) -> str:
    """Why a link is not valid, in the learner's language."""
    if error.reason == "expired" and error.claims is not None:
        date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(error.claims.expires))
        return message(language, "link_expired", date=date)
    return message(language, f"link_{error.reason}")


def refusal(
    server: QuizServer, params: Mapping[str, str], headers: Mapping[str, str]
) -> Refusal | None:
    """None when the request may have a page (and so a kernel); else why not."""
    language = page_language(params, headers)
    assignment, lesson = params.get("assignment", ""), params.get("lesson", "")
    if assignment:  # an exam's link, or nothing: never a lesson with a stray name
        released = server.course / RELEASE_DIR / assignment / f"{assignment}.ipynb"
        if NAME.fullmatch(assignment) and released.is_file():
            return _token_refusal(server, params.get("token"), assignment, language)
    elif lesson and NAME.fullmatch(lesson) and params.get("language", language) in LANGUAGES:
        chosen = params.get("language", language)
        if (server.course / LESSONS_DIR / chosen / f"{lesson}.ipynb").is_file():
            return _token_refusal(server, params.get("token"), None, language)
    return Refusal(404, message(language, "page_unknown"), language)


def link_learner(server: QuizServer, params: Mapping[str, str]) -> str:
    """The learner of a request that :func:`refusal` let through."""
    secret = load_secret(server.secret_file, create=False)
    return read_token(secret, params.get("token"), None).learner


def _token_refusal(
    server: QuizServer, token: str | None, assignment: str | None, language: str
) -> Refusal | None:
    try:
        read_token(load_secret(server.secret_file, create=False), token, assignment)
    except TokenError as error:
        return Refusal(403, token_message(error, language), language)
    return None


def contact_html(server: QuizServer, language: str) -> str:
    """Who to ask, from the organisation settings: name, role and e-mail, escaped."""
    from grader.quiz.header import settings_of
    from grader.quiz.texts import text

    settings = settings_of(server.course)
    if settings is None or not settings.contact_name:
        return ""
    role = settings.contact_role.get(language, "")
    key = "contact" if role else "contact_no_role"
    words = html.escape(text(language, key, name=settings.contact_name, role=role))
    email = settings.contact_email
    link = (
        f"<a href='mailto:{html.escape(email, quote=True)}'>{html.escape(email)}</a>"
        if email
        else ""
    )
    return f"<p class='grader-contact'>{words} {link}</p>"


def refusal_html(text: str, title: str, contact: str) -> str:
    """The refusal itself: a heading, why, and who to ask; nothing else."""
    return (
        f"<section class='grader-refusal' aria-labelledby='grader-refusal-title'>"
        f"<h1 id='grader-refusal-title'>{html.escape(title)}</h1>"
        f"<p role='alert' class='grader-refusal-why'>{html.escape(text)}</p>{contact}</section>"
    )


def small_page(
    language: str, title: str, main: str, style: str = "", script: str = "", marker: str = ""
) -> str:
    """A small, finished page the server sends without a kernel: ``main`` (HTML, already
    escaped) in the page's language, with its own ``style`` rules and ``script``;
    ``marker`` is an attribute of ``<main>``. Nothing is fetched."""
    attribute = f" {marker}" if marker else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font:17px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;"
        "margin:0;padding:1.5rem}main{max-width:36rem;margin:3rem auto}"
        "a{color:#0550ae}a:focus-visible{outline:3px solid #0969da;outline-offset:2px}"
        f"{style}</style></head><body><main{attribute}>{main}</main>{script}</body></html>\n"
    )


def refusal_page(refused: Refusal, title: str, contact: str = "") -> str:
    """A small, finished page for a refused request: no script, nothing fetched."""
    style = ".grader-refusal-why{padding:1rem;border-left:4px solid #9a6700;background:#fff8c5}"
    return small_page(refused.language, title, refusal_html(refused.text, title, contact), style)
