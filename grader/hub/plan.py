"""What a course's JupyterHub is made of: who logs in how, where things live, which ports.

A :class:`HubPlan` is checked when it is made (:func:`hub_plan`), so the files written from
it (:mod:`grader.hub.config_file`, :mod:`grader.hub.kubernetes`) never carry a setting
that the hub would refuse or misread at its first start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from grader.cohort.learner_ids import LEARNER_ID
from grader.errors import GraderError

AUTHENTICATORS = ("oidc", "shared-password")  # single sign-on; one password, for trials
SPAWNERS = ("local", "simple")  # one system account per person; everyone as the hub's user
QUIZ_SERVICE = "quiz"
CULLER_SERVICE = "idle-culler"
SERVICE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
# Secrets never go into a generated file: the hub reads them from its environment.
DB_URL_ENV = "JUPYTERHUB_DB_URL"
CLIENT_ID_ENV = "GRADER_HUB_CLIENT_ID"
CLIENT_SECRET_ENV = "GRADER_HUB_CLIENT_SECRET"
SHARED_PASSWORD_ENV = "GRADER_HUB_SHARED_PASSWORD"
ADMIN_PASSWORD_ENV = "GRADER_HUB_ADMIN_PASSWORD"  # with a shared password, admins' own
# Microsoft's endpoints for accounts of any tenant: the tenant must be named instead.
ANY_TENANT = re.compile(
    r"^https://login\.(microsoftonline\.(com|us|de)|windows\.net|partner\.microsoftonline\.cn|"
    r"chinacloudapi\.cn)/(common|organizations|consumers)/",
    re.IGNORECASE,
)


class HubError(GraderError, ValueError):
    """A hub setting is not usable; the message names the setting."""


@dataclass(frozen=True)
class SingleSignOn:
    """An OpenID Connect provider, for example Microsoft Entra ID (see the README)."""

    authorize_url: str
    token_url: str
    username_claim: str = "preferred_username"
    groups_claim: str = "groups"  # the hub's groups follow the provider's (manage_groups)
    learners_group: str = ""  # who may log in; empty: everyone the provider lets through


@dataclass(frozen=True)
class Ports:
    """Where the hub listens for people, and its services on this machine only."""

    public: int = 8000
    hub_api: int = 8081
    proxy_api: int = 8001
    formgrader: int = 8889
    quiz: int = 8866


@dataclass(frozen=True)
class HubPlan:
    """Everything ``jupyterhub_config.py`` says about one course."""

    course: Path  # the course folder, on the machine that runs the hub's services
    course_id: str  # nbgrader's course id, also the formgrader service's name
    state: Path  # the hub's own folder: its database, the learners' config, the quiz's
    exchange: Path  # nbgrader's exchange, a folder every learner's server reaches
    public_url: str = "http://127.0.0.1:8000"  # how people reach the hub
    authenticator: str = "oidc"
    sso: SingleSignOn | None = None
    spawner: str = "local"
    trainers: tuple[str, ...] = ()  # added to the trainers' group at each start
    trainers_group: str = "trainers"
    learners: tuple[str, ...] = ()  # with a shared password: who may log in besides trainers
    admins: tuple[str, ...] = ()
    service_user: str = ""  # the system account of the formgrader and quiz (course owner)
    db_url: str = ""  # the hub's database; default SQLite in ``hub_dir``
    proxy_command: tuple[str, ...] = ("configurable-http-proxy",)
    cull_idle_minutes: int = 60
    ports: Ports = field(default_factory=Ports)

    @property
    def formgrader_role(self) -> str:
        return f"formgrade-{self.course_id}"

    @property
    def hub_dir(self) -> Path:
        """The hub's own files (cookie secret, SQLite database): root's only."""
        return self.state / "hub"

    @property
    def learner_config_dir(self) -> Path:
        return self.state / "learner-config"

    @property
    def quiz_dir(self) -> Path:
        """The quiz pages' own folder: the service account's only (answers, link secret)."""
        return self.state / "quiz"

    @property
    def quiz_state(self) -> Path:
        return self.quiz_dir / "server"

    @property
    def quiz_secret(self) -> Path:
        return self.quiz_dir / "link-secret"


def hub_plan(**settings: object) -> HubPlan:
    """A checked :class:`HubPlan`; :class:`HubError` names the first setting that is wrong."""
    plan = HubPlan(**settings)  # type: ignore[arg-type]
    check_plan(plan)
    return plan


def check_course_id(course_id: str) -> None:
    """nbgrader's course id names the formgrader's hub service: a valid, free name."""
    if not SERVICE_NAME.fullmatch(course_id):
        raise HubError(
            f"course id {course_id!r}: a hub service name is lower-case letters, digits,"
            " '-' and '_'"
        )
    if course_id in (QUIZ_SERVICE, CULLER_SERVICE):
        raise HubError(f"course id {course_id!r}: the name of another hub service")


def check_plan(plan: HubPlan) -> None:
    """Refuse what the hub would refuse or misread, naming the setting."""
    if not plan.course.is_absolute() or not (plan.course / "nbgrader_config.py").is_file():
        raise HubError(f"--course {plan.course}: not a course folder (no nbgrader_config.py)")
    check_course_id(plan.course_id)
    for name, folder in (("--state", plan.state), ("--exchange", plan.exchange)):
        if not folder.is_absolute():
            raise HubError(f"{name} {folder}: give an absolute path (the hub starts elsewhere)")
    if plan.course in (plan.exchange, *plan.exchange.parents):
        raise HubError(f"--exchange {plan.exchange}: learners write there; not in the course")
    url = urlsplit(plan.public_url)
    if url.scheme not in ("http", "https") or not url.hostname or url.path not in ("", "/"):
        raise HubError(f"--public-url {plan.public_url!r}: give http(s)://host[:port]")
    if plan.authenticator not in AUTHENTICATORS:
        raise HubError(f"--authenticator {plan.authenticator!r}: one of {AUTHENTICATORS}")
    if plan.authenticator == "oidc":
        sso = plan.sso or SingleSignOn("", "")
        for name, url in (("--authorize-url", sso.authorize_url), ("--token-url", sso.token_url)):
            parts = urlsplit(url)
            if parts.scheme != "https" or not parts.hostname:
                raise HubError(
                    f"{name} {url!r}: --authenticator oidc needs the provider's https URL"
                )
            if ANY_TENANT.match(url):
                raise HubError(
                    f"{name}: lets in accounts of any Microsoft tenant; name your tenant in it"
                )
        if plan.trainers:
            raise HubError(
                "--trainer: with single sign-on the trainers are the provider's group"
                " (--trainers-group)"
            )
    if plan.spawner == "local" and not plan.service_user:
        raise HubError(
            "--service-user: with a system account per person the hub runs as root; name the"
            " account that owns the course, so that the formgrader and the quiz pages do not"
            " run as root"
        )
    if plan.spawner not in SPAWNERS:
        raise HubError(f"--spawner {plan.spawner!r}: one of {SPAWNERS}")
    for name in (*plan.trainers, *plan.learners, *plan.admins):
        if not LEARNER_ID.fullmatch(name):
            raise HubError(f"user {name!r}: not a valid learner id (letters, digits, . _ @ -)")
    if not SERVICE_NAME.fullmatch(plan.trainers_group):
        raise HubError(f"--trainers-group {plan.trainers_group!r}: letters, digits, '-', '_'")
    if urlsplit(plan.db_url).password or "password=" in urlsplit(plan.db_url).query:
        raise HubError(f"--db-url: holds a password; set ${DB_URL_ENV} instead")
    if plan.cull_idle_minutes < 1:
        raise HubError("--cull-idle-minutes: at least 1")
    ports = [plan.ports.public, plan.ports.hub_api, plan.ports.proxy_api]
    ports += [plan.ports.formgrader, plan.ports.quiz]
    if len(set(ports)) != len(ports) or not all(0 < p < 65536 for p in ports):
        raise HubError(f"ports {ports}: five different ports between 1 and 65535")
