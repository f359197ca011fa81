"""``grader hub config``: the files it writes load in JupyterHub as meant, every setting is
one JupyterHub knows, no secret is written, and a bad option is refused by name."""

from __future__ import annotations

import getpass
import os
import stat
import sys
from pathlib import Path

import pytest
from jupyterhub.scopes import _check_scopes_exist
from jupyterhub.services.service import Service
from traitlets.config import Config, PyFileConfigLoader

from grader.cli.main import main
from grader.hub.config_file import hub_config_text
from grader.hub.learner_config import write_hub_files
from grader.hub.plan import HubError, HubPlan, SingleSignOn, hub_plan

from ..conftest import new_course

ENTRA = "https://login.microsoftonline.com/contoso.example/oauth2/v2.0"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return new_course(tmp_path / "course")


def plan_for(course: Path, **changes: object) -> HubPlan:
    settings: dict[str, object] = {
        "course": course,
        "course_id": "social-media-guidelines",
        "state": course.parent / "state",
        "exchange": course.parent / "exchange",
        "sso": SingleSignOn(f"{ENTRA}/authorize", f"{ENTRA}/token"),
        "service_user": getpass.getuser(),  # an account that exists, giving needs no root
    }
    return hub_plan(**{**settings, **changes})


def load(text: str, folder: Path, **env: str) -> Config:
    """The config JupyterHub would load from ``text``, with ``env`` set."""
    path = folder / "loaded_config.py"
    path.write_text(text, encoding="utf-8")
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return PyFileConfigLoader(path.name, path=str(folder)).load_config()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def known_classes() -> dict[str, type]:
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
    from jupyterhub.proxy import ConfigurableHTTPProxy
    from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner, Spawner
    from oauthenticator.generic import GenericOAuthenticator

    classes = [JupyterHub, Authenticator, SharedPasswordAuthenticator, ConfigurableHTTPProxy]
    classes += [Spawner, LocalProcessSpawner, SimpleLocalProcessSpawner, GenericOAuthenticator]
    return {cls.__name__: cls for cls in classes}


SECRETS = {"GRADER_HUB_CLIENT_ID": "client-id-1", "GRADER_HUB_CLIENT_SECRET": "s3cret-value"}


@pytest.mark.parametrize("authenticator", ["oidc", "shared-password"])
def test_every_setting_is_one_jupyterhub_knows(course: Path, authenticator: str) -> None:
    """A misspelt trait is ignored by JupyterHub with a warning nobody reads: none here."""
    plan = plan_for(course, authenticator=authenticator, spawner="simple", learners=("alice",))
    config = load(
        hub_config_text(plan), course.parent, **SECRETS, GRADER_HUB_SHARED_PASSWORD="x" * 12
    )
    classes = known_classes()
    unknown = [
        f"{section}.{key}"
        for section, values in config.items()
        for key in values
        if section not in classes or not classes[section].class_traits(config=True).get(key)
    ]
    assert unknown == []
    for service in config.JupyterHub.services:
        assert set(service) <= set(Service.class_trait_names(input=True)), service["name"]
    for role in config.JupyterHub.load_roles:
        _check_scopes_exist(role["scopes"])  # raises on a scope JupyterHub does not have


def test_oidc_reads_the_client_secret_from_the_environment_never_from_the_file(
    course: Path,
) -> None:
    text = hub_config_text(plan_for(course))
    config = load(text, course.parent, **SECRETS)
    auth = config.GenericOAuthenticator
    assert auth.client_secret == "s3cret-value" and "s3cret-value" not in text
    assert auth.authorize_url == f"{ENTRA}/authorize" and auth.token_url == f"{ENTRA}/token"
    assert auth.userdata_from_id_token is True and auth.manage_groups is True
    assert auth.oauth_callback_url == "http://127.0.0.1:8000/hub/oauth_callback"
    assert config.JupyterHub.public_url == "http://127.0.0.1:8000/"
    assert config.JupyterHub.authenticator_class == "generic-oauth"


def test_only_the_trainers_group_reaches_the_formgrader_and_everyone_the_quiz(
    course: Path,
) -> None:
    plan = plan_for(course)
    config = load(hub_config_text(plan), course.parent, **SECRETS)
    assert "load_groups" not in config.JupyterHub, "with single sign-on the provider's groups"
    roles = {role["name"]: role for role in config.JupyterHub.load_roles}
    formgrader = roles["formgrade-social-media-guidelines"]
    assert formgrader["groups"] == ["trainers"] and "users" not in formgrader
    assert "access:services!service=social-media-guidelines" in formgrader["scopes"]
    assert roles["user"]["scopes"] == ["self", "access:services!service=quiz"]
    services = {service["name"]: service for service in config.JupyterHub.services}
    assert set(services) == {"social-media-guidelines", "quiz", "idle-culler"}
    assert "--hub" in services["quiz"]["command"]
    assert services["social-media-guidelines"]["environment"]["GRADER_EXCHANGE"] == str(
        plan.exchange
    )
    assert roles["idle-culler"]["services"] == ["idle-culler"]


def test_the_same_options_give_the_same_bytes(course: Path) -> None:
    trial = {"authenticator": "shared-password", "trainers": ("b", "a"), "admins": ("z", "y")}
    assert hub_config_text(plan_for(course, **trial)) == hub_config_text(plan_for(course, **trial))
    assert hub_config_text(plan_for(course)) == hub_config_text(plan_for(course))


def test_the_learners_nbgrader_names_a_submission_after_the_hub_user(course: Path) -> None:
    plan = plan_for(course)
    written = write_hub_files(plan, course.parent / "out")
    config = load(written.learner_config.read_text(), course.parent, JUPYTERHUB_USER="alice")
    assert config.CourseDirectory.student_id == "alice"
    assert config.Exchange.root == str(plan.exchange)
    assert stat.S_IMODE(plan.exchange.stat().st_mode) == 0o1777, "all write, none delete others'"
    assert stat.S_IMODE(plan.state.stat().st_mode) == 0o711, "learners reach their config"
    assert stat.S_IMODE(plan.hub_dir.stat().st_mode) == 0o700, "the hub's database, root's"
    config = load(written.config.read_text(), course.parent, **SECRETS)
    assert config.JupyterHub.db_url == f"sqlite:///{plan.hub_dir / 'jupyterhub.sqlite'}"
    assert Path(config.JupyterHub.cookie_secret_file).parent == plan.hub_dir
    assert stat.S_IMODE(plan.learner_config_dir.stat().st_mode) == 0o755
    assert stat.S_IMODE(plan.quiz_dir.stat().st_mode) == 0o700, "answers and link secret"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another account needs root")
def test_the_quiz_folder_belongs_to_the_service_account(course: Path) -> None:
    import pwd

    plan = plan_for(course, service_user="nobody")
    write_hub_files(plan, course.parent / "out")
    assert plan.quiz_dir.stat().st_uid == pwd.getpwnam("nobody").pw_uid
    with pytest.raises(HubError, match="--service-user 'no-such-account'"):
        write_hub_files(plan_for(course, service_user="no-such-account"), course.parent / "o2")


def test_a_trial_hub_lists_its_trainers_and_gives_admins_their_own_password(
    course: Path,
) -> None:
    plan = plan_for(course, authenticator="shared-password", trainers=("tess",), admins=("ad",))
    env = {"GRADER_HUB_SHARED_PASSWORD": "p" * 12, "GRADER_HUB_ADMIN_PASSWORD": "a" * 32}
    config = load(hub_config_text(plan), course.parent, **env)
    assert "public_url" not in config.JupyterHub, "a trial is reached at any address"
    assert config.JupyterHub.load_groups == {"trainers": {"users": ["tess"]}}
    assert config.SharedPasswordAuthenticator.admin_password == "a" * 32
    assert config.Authenticator.allowed_users == ["ad", "tess"]


def test_an_edited_config_is_kept_unless_forced(course: Path) -> None:
    plan = plan_for(course)
    out = course.parent / "out"
    config = write_hub_files(plan, out).config
    assert write_hub_files(plan, out).unchanged
    config.write_text(config.read_text() + "c.JupyterHub.admin_access = True\n")
    with pytest.raises(HubError, match="differs from what these options give"):
        write_hub_files(plan, out)
    assert "admin_access" in config.read_text(), "nothing already stored is lost"
    write_hub_files(plan, out, force=True)
    assert "admin_access" not in config.read_text()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"state": Path("relative/state")}, "--state"),
        ({"db_url": "postgresql+psycopg://hub:pw@db/hub"}, "JUPYTERHUB_DB_URL"),
        ({"course_id": "Social Media"}, "course id"),
        ({"course_id": "quiz"}, "another hub service"),
        ({"learners": ("bad name",)}, "bad name"),
        ({"public_url": "hub.example.org"}, "--public-url"),
        ({"sso": None}, "--authorize-url"),
        ({"sso": SingleSignOn(f"{ENTRA}/authorize", "http://idp/token")}, "--token-url"),
        ({"spawner": "docker"}, "--spawner"),
        ({"service_user": ""}, "--service-user"),
        ({"db_url": "postgresql+psycopg://db/hub?password=pw"}, "JUPYTERHUB_DB_URL"),
        (
            {"sso": SingleSignOn(f"{ENTRA.replace('contoso.example', 'common')}/a", f"{ENTRA}/t")},
            "--authorize-url: lets in accounts of any Microsoft tenant",
        ),
        (
            {"sso": SingleSignOn(f"{ENTRA}/a", "https://LOGIN.windows.net/Organizations/t")},
            "--token-url: lets in accounts of any Microsoft tenant",
        ),
        ({"trainers": ("tess",)}, "--trainer: with single sign-on"),
    ],
)
def test_a_bad_setting_is_refused_by_name(
    course: Path, changes: dict[str, object], named: str
) -> None:
    with pytest.raises(HubError, match=named):
        plan_for(course, **changes)


def test_the_exchange_may_not_be_inside_the_course(course: Path) -> None:
    with pytest.raises(HubError, match="--exchange"):
        plan_for(course, exchange=course / "exchange")


def test_the_command_writes_both_files_and_says_how_to_start(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, state = course.parent / "out", course.parent / "state"
    argv = ["--course", str(course), "hub", "config", "--out", str(out), "--state", str(state)]
    argv += ["--exchange", str(course.parent / "exchange"), "--authorize-url", f"{ENTRA}/a"]
    argv += ["--service-user", getpass.getuser()]
    assert main([*argv, "--token-url", f"{ENTRA}/t"]) == 0
    printed = capsys.readouterr().out
    assert f"jupyterhub -f {out / 'jupyterhub_config.py'}" in printed
    assert "gradebook is SQLite" in printed and "lower case" not in printed
    assert (state / "learner-config" / "nbgrader_config.py").is_file()
    assert main([*argv]) == 2, "oidc without its endpoints"
    assert "--token-url" in capsys.readouterr().err


def test_services_run_with_the_projects_python(course: Path) -> None:
    config = load(hub_config_text(plan_for(course)), course.parent, **SECRETS)
    quiz = next(s for s in config.JupyterHub.services if s["name"] == "quiz")
    assert quiz["command"][0] == sys.executable


INITIALIZE = """
import asyncio, json, sys
from jupyterhub import orm
from jupyterhub.app import JupyterHub
app = JupyterHub()
asyncio.run(app.initialize(["-f", sys.argv[1]]))
print(json.dumps({
    "groups": sorted(g.name for g in app.db.query(orm.Group)),
    "services": sorted(s.name for s in app.db.query(orm.Service)),
    "roles": sorted(r.name for r in app.db.query(orm.Role)),
}))
"""


@pytest.mark.parametrize(
    "changes",
    [{}, {"authenticator": "shared-password", "spawner": "simple", "trainers": ("tess",)}],
    ids=["single-sign-on", "trial"],
)
def test_a_real_jupyterhub_initializes_from_the_config(course: Path, changes: dict) -> None:
    """Everything up to listening: config, database, users, groups, roles, services (a
    config JupyterHub refuses, such as its own groups beside the provider's, stops here)."""
    import json
    import subprocess

    state = course.parent / "state"
    plan = plan_for(course, db_url=f"sqlite:///{state / 'hub.sqlite'}", **changes)
    written = write_hub_files(plan, course.parent / "out")
    env = {**os.environ, **SECRETS, "GRADER_HUB_SHARED_PASSWORD": "p" * 12}
    done = subprocess.run(
        [sys.executable, "-c", INITIALIZE, str(written.config)],
        cwd=course.parent, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["groups"] == ["trainers"]
    assert found["services"] == ["idle-culler", "quiz", "social-media-guidelines"]
    assert {"formgrade-social-media-guidelines", "idle-culler", "user"} <= set(found["roles"])


def test_the_command_warns_of_roster_ids_a_hub_name_cannot_match(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from grader.cohort.gradebook import default_db_url
    from grader.cohort.roster import import_roster

    roster = course.parent / "roster.csv"
    roster.write_text("id,name,email,team\nAda.L,Ada L,,IT\nbo,Bo K,,HR\n", encoding="utf-8")
    import_roster(default_db_url(course), roster)
    argv = ["--course", str(course), "hub", "config", "--out", str(course.parent / "out")]
    argv += ["--state", str(course.parent / "state"), "--exchange", str(course.parent / "x")]
    argv += ["--authenticator", "shared-password", "--spawner", "simple"]
    assert main(argv) == 0
    assert "1 roster id(s) are not lower case (Ada.L)" in capsys.readouterr().out


def test_a_trial_hubs_learners_start_as_the_hubs_user_whatever_the_services_run_as(
    course: Path,
) -> None:
    for service_user in ("", getpass.getuser()):
        plan = plan_for(course, authenticator="shared-password", spawner="simple",
                        service_user=service_user)  # fmt: skip
        config = load(hub_config_text(plan), course.parent, GRADER_HUB_SHARED_PASSWORD="p" * 12)
        assert config.Spawner.args == ["--ServerApp.allow_root=True"]
