"""The course on Kubernetes: zero-to-jupyterhub values, the services' manifests, the image.

``grader hub kubernetes`` writes three files; nothing is built or applied here:

- ``values.yaml`` for the zero-to-jupyterhub Helm chart: single sign-on, the roles, the
  formgrader and quiz pages as hub services (external: they run in pods of their own),
  the nbgrader exchange and the learners' nbgrader config in every learner's pod, the
  chart's idle culler;
- ``grader-services.yaml``: the formgrader and the quiz pages as Deployments with
  Services, the course and exchange volumes, the learners' config as a ConfigMap;
- ``Dockerfile``: one image for the learners' servers, the formgrader and the quiz.

Learners' pods never mount the course volume (it holds the answer keys): only the
formgrader's and the quiz's pods do.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from grader.grading.config import EXCHANGE_ENV
from grader.hub.config_file import SAME_ORIGIN_FRAMES, roles
from grader.hub.learner_config import LEARNER_CONFIG, learner_config_text
from grader.hub.plan import CULLER_SERVICE, QUIZ_SERVICE, HubError, HubPlan, check_course_id

COURSE_MOUNT = "/srv/course"
EXCHANGE_MOUNT = "/srv/nbgrader/exchange"
LEARNER_CONFIG_MOUNT = "/etc/grader/learner"
QUIZ_STATE = "/srv/course/quiz-server"
PORTS = {"formgrader": 8888, QUIZ_SERVICE: 8866}
SECRET = "grader-hub"  # client id and secret of the single sign-on, the hub's database URL
FILES = ("values.yaml", "grader-services.yaml", "Dockerfile")
EXCHANGE_CLAIM, COURSE_CLAIM = "nbgrader-exchange", "grader-course"
LEARNER_CONFIG_MAP = "grader-learner-config"
HUB_SECRET = "hub"  # where the chart keeps the tokens it makes for the hub's services


def _plan(course_id: str) -> HubPlan:
    """The in-cluster paths as a plan, for the config texts shared with one-machine hubs."""
    return HubPlan(
        course=Path(COURSE_MOUNT),
        course_id=course_id,
        state=Path("/srv/jupyterhub"),
        exchange=Path(EXCHANGE_MOUNT),
    )


def values(course_id: str, host: str, image: str) -> dict[str, object]:
    """zero-to-jupyterhub values for the course."""
    name, _, tag = image.rpartition(":")
    services = {
        course_id: _hub_service("formgrader"),
        QUIZ_SERVICE: _hub_service(QUIZ_SERVICE),
    }
    plan = _plan(course_id)
    role_list = [role for role in roles(plan) if role["name"] != CULLER_SERVICE]  # the chart's
    return {
        "proxy": {"https": {"enabled": True, "hosts": [host], "letsencrypt": {"contactEmail": ""}}},
        "hub": {
            "config": {
                "JupyterHub": {"authenticator_class": "generic-oauth"},
                "GenericOAuthenticator": {
                    "oauth_callback_url": f"https://{host}/hub/oauth_callback",
                    "authorize_url": "https://login.microsoftonline.com/TENANT/oauth2/v2.0/authorize",
                    "token_url": "https://login.microsoftonline.com/TENANT/oauth2/v2.0/token",
                    "userdata_from_id_token": True,
                    "scope": ["openid", "profile", "email"],
                    "username_claim": "preferred_username",
                    "manage_groups": True,
                    "auth_state_groups_key": "oauth_user.groups",
                    "allow_all": True,
                },
            },
            "extraEnv": {
                key: {"valueFrom": {"secretKeyRef": {"name": SECRET, "key": ref}}}
                for key, ref in (
                    ("GRADER_HUB_CLIENT_ID", "client-id"),
                    ("GRADER_HUB_CLIENT_SECRET", "client-secret"),
                    ("JUPYTERHUB_DB_URL", "db-url"),
                )
            },
            "extraConfig": {
                "grader": "\n".join(
                    [
                        "import os",
                        "auth = c.GenericOAuthenticator",
                        'auth.client_id = os.environ["GRADER_HUB_CLIENT_ID"]',
                        'auth.client_secret = os.environ["GRADER_HUB_CLIENT_SECRET"]',
                        'c.JupyterHub.db_url = os.environ["JUPYTERHUB_DB_URL"]',
                    ]
                )
                + "\n"
            },
            "loadRoles": {
                role["name"]: {k: v for k, v in role.items() if k != "name"} for role in role_list
            },
            "services": services,
        },
        "singleuser": {
            "image": {"name": name, "tag": tag},
            "cmd": "jupyterhub-singleuser",
            "defaultUrl": "/lab",
            "extraEnv": {"JUPYTER_CONFIG_PATH": LEARNER_CONFIG_MOUNT},
            "storage": {
                "extraVolumes": [
                    {"name": "exchange", "persistentVolumeClaim": {"claimName": EXCHANGE_CLAIM}},
                    {"name": "learner-config", "configMap": {"name": LEARNER_CONFIG_MAP}},
                ],
                "extraVolumeMounts": [
                    {"name": "exchange", "mountPath": EXCHANGE_MOUNT},
                    {"name": "learner-config", "mountPath": LEARNER_CONFIG_MOUNT},
                ],
            },
        },
        "cull": {"enabled": True, "timeout": 3600, "every": 300},
    }  # fmt: skip


def _hub_service(deployment: str) -> dict[str, object]:
    """A service the hub reaches in the cluster; it registers the service's login callback
    (``/services/<name>/oauth_callback``) itself."""
    return {
        "url": f"http://{_deployment(deployment)}:{PORTS[deployment]}",
        "oauth_no_confirm": True,
        "display": True,
    }


def _deployment(kind: str) -> str:
    return f"grader-{kind}"


def _service_env(name: str, kind: str, host: str) -> list[dict[str, object]]:
    """What a hub gives the services it starts itself, given by hand to a pod."""
    token_key = f"hub.services.{name}.apiToken"
    plain = {
        "JUPYTERHUB_API_URL": "http://hub:8081/hub/api",
        "JUPYTERHUB_BASE_URL": "/",
        "JUPYTERHUB_SERVICE_NAME": name,
        "JUPYTERHUB_SERVICE_PREFIX": f"/services/{name}/",
        "JUPYTERHUB_SERVICE_URL": f"http://0.0.0.0:{PORTS[kind]}",
        "JUPYTERHUB_CLIENT_ID": f"service-{name}",
        "JUPYTERHUB_OAUTH_CALLBACK_URL": f"/services/{name}/oauth_callback",
        "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps([f"access:services!service={name}"]),
        "JUPYTERHUB_PUBLIC_HUB_URL": f"https://{host}",
        EXCHANGE_ENV: EXCHANGE_MOUNT,
        **({"JUPYTERHUB_USER": "trainers"} if kind == "formgrader" else {}),
    }
    secret = {"secretKeyRef": {"name": HUB_SECRET, "key": token_key}}
    env = [{"name": "JUPYTERHUB_API_TOKEN", "valueFrom": secret}]
    return env + [{"name": key, "value": value} for key, value in plain.items()]


def _pod(name: str, kind: str, host: str, image: str, command: list[str]) -> list[dict]:
    labels = {"app": _deployment(kind)}
    container = {
        "name": kind,
        "image": image,
        "command": command,
        "workingDir": COURSE_MOUNT,
        "env": _service_env(name, kind, host),
        "ports": [{"containerPort": PORTS[kind]}],
        "volumeMounts": [
            {"name": "course", "mountPath": COURSE_MOUNT},
            {"name": "exchange", "mountPath": EXCHANGE_MOUNT},
        ],
    }
    volumes = [
        {"name": "course", "persistentVolumeClaim": {"claimName": COURSE_CLAIM}},
        {"name": "exchange", "persistentVolumeClaim": {"claimName": EXCHANGE_CLAIM}},
    ]
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": _deployment(kind), "labels": labels},
        "spec": {
            "replicas": 1,
            "strategy": {"type": "Recreate"},  # one server per course folder
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": {**labels, "hub.jupyter.org/network-access-hub": "true"}},
                "spec": {"containers": [container], "volumes": volumes},
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": _deployment(kind)},
        "spec": {"selector": labels, "ports": [{"port": PORTS[kind]}]},
    }
    return [deployment, service]


def manifests(course_id: str, host: str, image: str) -> list[dict[str, object]]:
    """The formgrader and the quiz pages, their volumes and the learners' config."""
    frames = json.dumps(SAME_ORIGIN_FRAMES, sort_keys=True)
    formgrader = [
        "jupyterhub-singleuser", f"--ServerApp.root_dir={COURSE_MOUNT}",
        f"--ServerApp.tornado_settings={frames}", "--ServerApp.default_url=/formgrader",
    ]  # fmt: skip
    quiz = [
        "grader", "--course", COURSE_MOUNT, "quiz", "serve", "--hub",
        "--state", QUIZ_STATE, "--secret", f"{QUIZ_STATE}/quiz-secret",
    ]  # fmt: skip
    claims = [
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": claim},
            "spec": {
                "accessModes": ["ReadWriteMany"],
                "resources": {"requests": {"storage": size}},
            },
        }
        for claim, size in ((COURSE_CLAIM, "10Gi"), (EXCHANGE_CLAIM, "10Gi"))
    ]
    config = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": LEARNER_CONFIG_MAP},
        "data": {LEARNER_CONFIG: learner_config_text(_plan(course_id))},
    }
    return [
        *claims,
        config,
        *_pod(course_id, "formgrader", host, image, formgrader),
        *_pod(QUIZ_SERVICE, QUIZ_SERVICE, host, image, quiz),
    ]


class _Dumper(yaml.SafeDumper):
    """Block text for multi-line strings, and every mapping written out (no anchors)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


DOCKERFILE = """\
# One image for the learners' servers, the formgrader and the quiz pages of the course.
# Build it in the course repository: docker build -f <this folder>/Dockerfile -t {image} .
FROM quay.io/jupyter/base-notebook:python-3.11
COPY --chown=${{NB_UID}}:${{NB_GID}} pyproject.toml README.md /opt/course/
COPY --chown=${{NB_UID}}:${{NB_GID}} grader /opt/course/grader
# The versions pinned in pyproject.toml (JupyterLab, nbgrader, Voila, JupyterHub).
RUN pip install --no-cache-dir /opt/course && rm -rf /opt/course
"""


def write_kubernetes_files(
    out: Path, *, course_id: str, public_host: str, image: str, force: bool = False
) -> list[Path]:
    """Write the three files into ``out``; a file that differs is kept unless ``force``."""
    if ":" not in image or image.endswith(":"):
        raise HubError(f"--image {image!r}: give name:tag (a tag that will not move)")
    if not public_host or "/" in public_host or ":" in public_host:
        raise HubError(f"--host {public_host!r}: the host name only, e.g. course.example.org")
    check_course_id(course_id)
    dump = {"Dumper": _Dumper, "sort_keys": False, "allow_unicode": True, "width": 100}
    header = f"# Written by `grader hub kubernetes` for the course {course_id!r}.\n"
    texts = {
        out / FILES[0]: header + yaml.dump(values(course_id, public_host, image), **dump),
        out / FILES[1]: header + yaml.dump_all(manifests(course_id, public_host, image), **dump),
        out / FILES[2]: DOCKERFILE.format(image=image),
    }
    if not force:
        for path, text in texts.items():
            if path.exists() and path.read_text(encoding="utf-8") != text:
                raise HubError(f"{path}: exists and differs; move it away or pass --force")
    out.mkdir(parents=True, exist_ok=True)
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    return list(texts)
