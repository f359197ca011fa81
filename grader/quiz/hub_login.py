"""The quiz pages as a JupyterHub service: learners logged in to the hub need no link.

Started by the hub (``grader quiz serve --hub``), the server learns from the hub's
variables who it is; :func:`hub_login` reads them and then takes the service's API token
out of the environment, so no page kernel inherits it.

- ``<prefix>start?assignment=A`` (or ``?lesson=L&language=xx``) sends a browser that is not
  logged in to the hub's login, and a logged-in one to the page with a personal token
  made for its hub name: the learner id is the hub user's id on the roster, whatever
  the query says; a hub user who is not on the roster gets no page. Without a login it
  costs nothing but a redirect, never a kernel.
- ``<prefix>oauth_callback`` is where the hub sends the browser back after its login.
- A personal link keeps working for people without a hub account: it is the learner's
  key, wherever it is opened. A browser logged in to the hub as someone else is told
  that the link is not theirs (:func:`hub_user_of`), which stops a mix-up on a shared
  computer; it does not make a forwarded link safe in a browser that is not logged in.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sqlite3
import time
from urllib.parse import urlencode

import sqlalchemy
from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from tornado.web import HTTPError, RequestHandler

from grader.cohort.learner_ids import LEARNER_ID
from grader.course.i18n import LANGUAGES, message
from grader.quiz.gate import NAME, Refusal, contact_html, refusal_page
from grader.quiz.site import load_server
from grader.quiz.tokens import load_secret, make_token

HUB_PREFIX = "JUPYTERHUB_"
START_PATH = "start"
START_PARAMS = ("assignment", "lesson", "language")  # what a page's address may ask for
CALLBACK_PATH = "oauth_callback"
# The roster's ids that are a hub name but for case (nbgrader's student table).
ROSTER_IDS = sqlalchemy.text("SELECT id FROM student WHERE lower(id) = :name")
HUB_TOKEN_SECONDS = 8 * 3600  # a working day: the page is opened from the hub again after


def hub_login() -> HubOAuth | None:
    """The hub's OAuth client for this service (a ``HubOAuth``), or None without a hub.

    Every setting is read now; the token then leaves the environment."""
    if not os.environ.get(f"{HUB_PREFIX}API_TOKEN"):
        return None
    auth = HubOAuth.instance()  # the one the callback and start handlers use
    for name in auth.trait_names():  # each default is read from the environment once
        getattr(auth, name)
    for key in [key for key in os.environ if kept_from_kernels(key)]:
        del os.environ[key]
    return auth


def kept_from_kernels(key: str) -> bool:
    """The hub's variables no page kernel may see: the service's token (under both its
    names), and a user name (nbgrader would take it for the learner). The others
    (addresses, the client id) stay: the hub's client reads some of them again later."""
    return key == "JPY_API_TOKEN" or (
        key.startswith(HUB_PREFIX) and ("TOKEN" in key or key == f"{HUB_PREFIX}USER")
    )


async def hub_user_of(auth: HubOAuth | None, handler: RequestHandler) -> str:
    """The hub name of the browser behind ``handler``; empty when it is not logged in.

    Asked with the login cookie's token only: the hub client's ``get_user`` would also
    replace the XSRF checks of the page handler's classes, for every later request."""
    if auth is None:
        return ""
    token = handler.get_secure_cookie(auth.cookie_name)
    if not token:
        return ""
    session = auth.get_session_id(handler)
    user = await auth.user_for_token(
        token.decode("ascii", "replace"), session_id=session, sync=False
    )
    return str(user.get("name", "")) if user else ""


async def enrolled_as(hub_name: str) -> str:
    """The learner id on the roster that is ``hub_name`` (hub names are lower case, roster
    ids need not be); empty when the hub user is not on the roster."""
    server = load_server()
    if not server.gradebook:
        return ""

    def look_up() -> list[str]:
        with _gradebook(server.gradebook).connect() as db:
            return [row[0] for row in db.execute(ROSTER_IDS, {"name": hub_name.casefold()})]

    try:
        found = await asyncio.to_thread(look_up)
    except sqlalchemy.exc.SQLAlchemyError:  # no gradebook yet, or it does not answer
        return ""
    exact = [learner for learner in found if learner == hub_name]
    return (exact or found)[0] if len(exact or found) == 1 else ""


@functools.cache
def _gradebook(url: str) -> sqlalchemy.Engine:
    """One engine per gradebook for the server's life (a class starting an exam at once
    would otherwise open a connection each); a SQLite gradebook is never created here."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return sqlalchemy.create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        )
    return sqlalchemy.create_engine(url, pool_pre_ping=True)


def hub_routes(base_url: str, auth: HubOAuth | None) -> list[tuple[str, type]]:
    """The start and login-callback routes, when a hub started this server."""
    if auth is None:
        return []
    base = base_url.rstrip("/")
    return [
        (f"{base}/{START_PATH}", HubStartHandler),
        (f"{base}/{CALLBACK_PATH}", HubOAuthCallbackHandler),
    ]


def _page_query(learner: str, params: dict[str, str]) -> str:
    """The page's query string for ``learner``: the exam or lesson asked for, and a token."""
    secret = load_secret(load_server().secret_file, create=False)
    expires = int(time.time()) + HUB_TOKEN_SECONDS
    assignment, lesson = params.get("assignment", ""), params.get("lesson", "")
    if assignment and NAME.fullmatch(assignment):
        name, query = assignment, {"assignment": assignment}
    elif lesson and NAME.fullmatch(lesson):
        name, query = lesson, {"lesson": lesson, "language": params.get("language", "en")}
    else:
        raise HTTPError(404)
    return urlencode({**query, "token": make_token(secret, learner, name, expires)})


class HubStartHandler(HubOAuthenticated, RequestHandler):
    """``<prefix>start``: log in at the hub, then the page with a token for the hub user."""

    async def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        params = {key: self.get_query_argument(key, "", strip=False) for key in START_PARAMS}
        user = await self.hub_auth.get_user(self, sync=False)
        if not user:
            self.redirect(self.get_login_url())  # back here afterwards, with a state cookie
            return
        if not self.hub_auth.check_scopes(self.hub_auth.access_scopes, user):
            raise HTTPError(403)
        name = str(user.get("name", ""))
        learner = await enrolled_as(name) if LEARNER_ID.fullmatch(name) else ""
        if not learner:
            language = params["language"] if params["language"] in LANGUAGES else "en"
            text = message(language, "hub_not_enrolled", user=name)
            self.set_status(403)
            refused = Refusal(403, text, language)
            title = message(language, "hub_not_enrolled_title")
            self.finish(refusal_page(refused, title, contact_html(load_server(), language)))
            return
        base = self.settings.get("base_url", "/")
        self.redirect(f"{base}?{_page_query(learner, params)}")
