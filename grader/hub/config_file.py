"""The hub's ``jupyterhub_config.py``, written from a :class:`~grader.hub.plan.HubPlan`.

The file is plain settings, section by section, so an administrator can read what the
hub does; the same plan gives the same bytes. Three hub services run beside the
learners' servers, each started and stopped by the hub:

- ``<course id>``: the trainers' JupyterLab on the course folder, with nbgrader's
  formgrader, for the trainers' group only;
- ``quiz``: the exams and lessons as Voila pages (``grader quiz serve --hub``), where a
  logged-in learner is known by their hub name;
- ``idle-culler``: stops learners' servers that have been idle for a while.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from grader.grading.config import EXCHANGE_ENV
from grader.hub.plan import (
    ADMIN_PASSWORD_ENV,
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    CULLER_SERVICE,
    DB_URL_ENV,
    QUIZ_SERVICE,
    SHARED_PASSWORD_ENV,
    HubPlan,
)

CONFIG_FILE = "jupyterhub_config.py"
# The formgrader panel in the trainers' JupyterLab is a frame of the same server: since
# JupyterHub 4.1 its servers forbid every frame unless told otherwise (nbgrader#1870).
SAME_ORIGIN_FRAMES = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
QUIZ_START_SECONDS = 180  # the quiz server warms its grading workers before it answers


def _literal(value: object, indent: str = "") -> str:
    """``value`` as Python source: short values on one line, longer ones one item per line."""
    flat = repr(value)
    if len(indent) + len(flat) <= 72 or not isinstance(value, dict | list):
        return flat
    inner = indent + "    "
    if isinstance(value, dict):
        items = [f"{inner}{key!r}: {_literal(item, inner)}," for key, item in value.items()]
        return "{\n" + "\n".join(items) + f"\n{indent}}}"
    items = [f"{inner}{_literal(item, inner)}," for item in value]
    return "[\n" + "\n".join(items) + f"\n{indent}]"


def _set(name: str, value: object) -> str:
    return f"c.{name} = {_literal(value)}"


def _bin(python: str, command: str) -> str:
    """``command`` installed beside ``python`` (the project's environment)."""
    beside = Path(python).parent / command
    return str(beside) if beside.exists() else (shutil.which(command) or command)


def formgrader_service(plan: HubPlan, python: str) -> dict[str, object]:
    """The trainers' JupyterLab on the course folder, formgrader included."""
    server_settings = json.dumps(SAME_ORIGIN_FRAMES, sort_keys=True)
    return {
        "name": plan.course_id,
        "url": f"http://127.0.0.1:{plan.ports.formgrader}",
        "command": [
            _bin(python, "jupyterhub-singleuser"),
            f"--ServerApp.root_dir={plan.course}",
            f"--ServerApp.tornado_settings={server_settings}",
            *_root_allowed(plan),
        ],
        "cwd": str(plan.course),
        # The server opens on formgrader; JUPYTERHUB_USER names whose server it is.
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
            "JUPYTERHUB_USER": plan.trainers_group,
            EXCHANGE_ENV: str(plan.exchange),  # read by the course's nbgrader_config.py
        },
        "oauth_no_confirm": True,
        **_service_user(plan),
    }


def _service_user(plan: HubPlan) -> dict[str, str]:
    """The system account the formgrader and the quiz pages run as (the course's owner)."""
    return {"user": plan.service_user} if plan.service_user else {}


def _root_allowed(plan: HubPlan) -> list[str]:
    """Without a service account the formgrader runs as the hub's user, which may be root
    (a hub with a system account per person runs as root)."""
    return [] if plan.service_user else ["--ServerApp.allow_root=True"]


def quiz_service(plan: HubPlan, python: str) -> dict[str, object]:
    """The quiz pages: hub users open their exam by name, personal links keep working."""
    return {
        "name": QUIZ_SERVICE,
        "url": f"http://127.0.0.1:{plan.ports.quiz}",
        "command": [
            python,
            "-m",
            "grader.cli.main",
            "--course",
            str(plan.course),
            "quiz",
            "serve",
            "--hub",
            "--state",
            str(plan.quiz_state),
            "--secret",
            str(plan.quiz_secret),
        ],
        "cwd": str(plan.course),
        "oauth_no_confirm": True,
        "timeout": QUIZ_START_SECONDS,
        **_service_user(plan),
    }


def culler_service(plan: HubPlan, python: str) -> dict[str, object]:
    seconds = plan.cull_idle_minutes * 60
    return {
        "name": CULLER_SERVICE,
        "command": [python, "-m", "jupyterhub_idle_culler", f"--timeout={seconds}"],
        "display": False,
    }


def roles(plan: HubPlan) -> list[dict[str, object]]:
    """Every user opens the quiz pages; trainers the formgrader; the culler what it stops."""
    course = plan.course_id
    return [
        {"name": "user", "scopes": ["self", f"access:services!service={QUIZ_SERVICE}"]},
        {
            "name": plan.formgrader_role,
            "description": f"trainers of {course}: its formgrader",
            "groups": [plan.trainers_group],
            "scopes": [
                f"access:services!service={course}",
                f"read:services!service={course}",
                "list:services",
            ],
        },
        {
            "name": CULLER_SERVICE,
            "services": [CULLER_SERVICE],
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        },
    ]


def _shared_password(plan: HubPlan) -> list[str]:
    users = sorted({*plan.learners, *plan.trainers, *plan.admins})
    lines = [
        "# One password for everyone on the list: for trials, never for staff.",
        _set("JupyterHub.authenticator_class", "shared-password"),
        "# Anyone with it may log in as anyone on the list, a trainer included.",
        f"c.SharedPasswordAuthenticator.user_password = os.environ[{SHARED_PASSWORD_ENV!r}]",
        _set("Authenticator.allowed_users", users),
    ]
    if plan.admins:  # who administers the hub logs in with a password of their own
        env = ADMIN_PASSWORD_ENV
        lines.append(f"c.SharedPasswordAuthenticator.admin_password = os.environ[{env!r}]")
    return lines


def _authenticator(plan: HubPlan) -> list[str]:
    if plan.authenticator == "shared-password":
        return _shared_password(plan)
    sso = plan.sso
    assert sso is not None
    lines = [
        "# Single sign-on with OpenID Connect (for example Microsoft Entra ID; see the README).",
        _set("JupyterHub.authenticator_class", "generic-oauth"),
        f"c.GenericOAuthenticator.client_id = os.environ[{CLIENT_ID_ENV!r}]",
        f"c.GenericOAuthenticator.client_secret = os.environ[{CLIENT_SECRET_ENV!r}]",
        _set("GenericOAuthenticator.oauth_callback_url", f"{_public(plan)}/hub/oauth_callback"),
        _set("GenericOAuthenticator.authorize_url", sso.authorize_url),
        _set("GenericOAuthenticator.token_url", sso.token_url),
        _set("GenericOAuthenticator.userdata_from_id_token", True),
        _set("GenericOAuthenticator.scope", ["openid", "profile", "email"]),
        _set("GenericOAuthenticator.username_claim", sso.username_claim),
        "# The provider's groups become the hub's, the trainers' group among them.",
        _set("GenericOAuthenticator.manage_groups", True),
        _set("GenericOAuthenticator.auth_state_groups_key", f"oauth_user.{sso.groups_claim}"),
    ]
    if sso.learners_group:
        groups = sorted({sso.learners_group, plan.trainers_group})
        lines.append(_set("GenericOAuthenticator.allowed_groups", groups))
    else:
        lines.append(_set("GenericOAuthenticator.allow_all", True))
    return lines


def _spawner(plan: HubPlan) -> list[str]:
    if plan.spawner == "simple":
        return [
            "# Every learner's server runs as the hub's own system user: for trials only, as",
            "# learners could then read what that user reads (the course's answer keys).",
            _set("JupyterHub.spawner_class", "simple"),
            _set("SimpleLocalProcessSpawner.home_dir_template", str(plan.state / "homes")
                 + "/{username}"),
            # They run as the hub's user whatever the services run as, and that may be root.
            _set("Spawner.args", ["--ServerApp.allow_root=True"]),
        ]  # fmt: skip
    return [
        "# Each person's server runs as their own system account (create them first).",
        _set("JupyterHub.spawner_class", "jupyterhub.spawner.LocalProcessSpawner"),
    ]


def _groups(plan: HubPlan) -> list[str]:
    """The trainers' group: the provider's with single sign-on, else the listed trainers."""
    if plan.authenticator == "oidc":
        return [f"# Trainers: the provider's group {plan.trainers_group!r} (manage_groups)."]
    users = {plan.trainers_group: {"users": list(plan.trainers)}}
    return ["# Trainers: the formgrader's group.", _set("JupyterHub.load_groups", users)]


def _public_url(plan: HubPlan) -> list[str]:
    """Where the provider sends people back: single sign-on needs the public address."""
    if plan.authenticator != "oidc":
        return []
    return [_set("JupyterHub.public_url", _public(plan) + "/")]


def _public(plan: HubPlan) -> str:
    return plan.public_url.rstrip("/")


def hub_config_text(plan: HubPlan, python: str = sys.executable) -> str:
    """The text of ``jupyterhub_config.py`` for ``plan``; ``python`` runs the services."""
    services = [formgrader_service(plan, python), quiz_service(plan, python)]
    services.append(culler_service(plan, python))
    db_default = plan.db_url or f"sqlite:///{plan.hub_dir / 'jupyterhub.sqlite'}"
    sections = [
        [
            f'"""JupyterHub for the course {plan.course_id!r}: written by `grader hub config`.',
            "",
            "Change the command's options and run it again rather than editing this file.",
            '"""',
            "",
            "import os",
            "",
            "c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file",
        ],
        [
            "# Where people reach the hub; the hub's and the proxy's APIs stay on this machine.",
            _set("JupyterHub.bind_url", f"http://0.0.0.0:{plan.ports.public}"),
            *_public_url(plan),
            _set("JupyterHub.hub_bind_url", f"http://127.0.0.1:{plan.ports.hub_api}"),
            _set("ConfigurableHTTPProxy.api_url", f"http://127.0.0.1:{plan.ports.proxy_api}"),
            _set("ConfigurableHTTPProxy.command", list(plan.proxy_command)),
            _set("JupyterHub.cookie_secret_file", str(plan.hub_dir / "jupyterhub_cookie_secret")),
            _set("JupyterHub.pid_file", str(plan.hub_dir / "jupyterhub.pid")),
            f"# The hub's database (a PostgreSQL URL with its password: ${DB_URL_ENV}).",
            f"c.JupyterHub.db_url = os.environ.get({DB_URL_ENV!r}, {db_default!r})",
        ],
        _authenticator(plan),
        [
            _set("Authenticator.admin_users", sorted(plan.admins)),
            *_groups(plan),
            _set("JupyterHub.load_roles", roles(plan)),
        ],
        [
            *_spawner(plan),
            "# Learners open JupyterLab; their nbgrader knows the course, the exchange and",
            "# that they submit under their hub name (not their system account's).",
            _set("Spawner.default_url", "/lab"),
            _set("Spawner.environment", {"JUPYTER_CONFIG_PATH": str(plan.learner_config_dir)}),
            _set("Spawner.cmd", [_bin(python, "jupyterhub-singleuser")]),
        ],
        ["# The formgrader, the quiz pages and the idle culler.",
         _set("JupyterHub.services", services)],
    ]  # fmt: skip
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"
