"""A real JupyterHub on 127.0.0.1 for the course: PostgreSQL, the proxy from npm, the hub's
test login and local processes; written by ``grader hub config`` and started as an
administrator would start it."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from grader.build.assignments import build
from grader.cohort.roster import import_roster
from grader.quiz.warm_pool import ready_line

from ..conftest import ASSESSMENT, REPO, new_course
from ..learner.test_widgets_browser import free_port
from ..quiz.server import WARM_POOLS

COURSE_ID = "social-media-guidelines"
EXERCISE_ID = "exercise-02-black-period"
EXERCISE = f"{EXERCISE_ID}-en"
LEARNERS = ("alice", "bob")
TRAINER = "tess"
PASSWORD = secrets.token_urlsafe(12)
HUB_START_SECONDS = 240
SERVER = os.environ.get(
    "GRADER_TEST_POSTGRES_URL", "postgresql+psycopg://grader:grader@127.0.0.1:5432/postgres"
)


def unavailable(reason: str) -> None:
    """Skip locally; under CI a missing service is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def proxy_command() -> str:
    """configurable-http-proxy: $GRADER_TEST_PROXY, on PATH, or where ``.ci/run`` puts it."""
    found = os.environ.get("GRADER_TEST_PROXY") or shutil.which("configurable-http-proxy")
    local = REPO / ".cache" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
    found = found or (str(local) if local.exists() else "")
    if not found:
        unavailable(
            "configurable-http-proxy is not installed (npm install configurable-http-proxy)"
        )
    return found


@dataclass
class Hub:
    """The running hub: its address, folders, log and what was measured on the way."""

    url: str
    root: Path
    course: Path
    exchange: Path
    state: Path
    log: Path
    gradebook: str
    figures: dict[str, float] = field(default_factory=dict)

    @property
    def secret(self) -> Path:
        """The quiz pages' link secret (grader.hub.plan.HubPlan.quiz_secret)."""
        return self.state / "quiz" / "link-secret"

    def home(self, user: str) -> Path:
        return self.state / "homes" / user

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def trainer_command(self, *args: str) -> str:
        """A ``grader`` command in the course folder, as a trainer runs it in the
        formgrader's terminal (the hub gives that server the exchange)."""
        env = {**os.environ, "GRADER_EXCHANGE": str(self.exchange)}
        command = [sys.executable, "-m", "grader.cli.main", *args]
        done = subprocess.run(command, cwd=self.course, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"grader {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout


@pytest.fixture(scope="module")
def databases() -> Iterator[tuple[str, str]]:
    """Two fresh PostgreSQL databases, the hub's and the gradebook's; dropped afterwards."""
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        connection = admin.connect()
    except OperationalError as error:
        unavailable(f"no PostgreSQL server at {make_url(SERVER).render_as_string()}: {error}")
    names = [f"grader_hub_{uuid.uuid4().hex[:10]}", f"grader_book_{uuid.uuid4().hex[:10]}"]
    for name in names:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    urls = [make_url(SERVER).set(database=n).render_as_string(hide_password=False) for n in names]
    try:
        yield urls[0], urls[1]
    finally:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.close()
        admin.dispose()


def _hub_answers(hub: Hub) -> bool:
    try:
        with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def _wait_for_hub(process: subprocess.Popen[bytes], hub: Hub) -> None:
    """Until the hub answers (its figure), then until the quiz service's pools are warm."""
    deadline, answered = time.monotonic() + HUB_START_SECONDS, False
    started = time.monotonic()
    while True:
        if process.poll() is not None:
            pytest.fail(f"jupyterhub exited with {process.returncode}:\n{hub.log_tail()}")
        if not answered and _hub_answers(hub):
            answered = True
            hub.figures["hub start (s)"] = time.monotonic() - started
        log = hub.log.read_text(errors="replace")
        if answered and all(ready_line(pool) in log for pool in WARM_POOLS):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the hub did not answer in {HUB_START_SECONDS} s:\n{hub.log_tail()}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, databases: tuple[str, str]) -> Iterator[Hub]:
    """The course on a hub: two learners on the roster and a trainer; the exercise released."""
    proxy = proxy_command()
    hub_db, gradebook = databases
    root = tmp_path_factory.mktemp("hub")
    course = new_course(root / "course")
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"c.CourseDirectory.db_url = {gradebook!r}\n")
    build(course, [ASSESSMENT, EXERCISE_ID])
    roster = root / "roster.csv"
    roster.write_text("id,name,email,team\nalice,Alice A,,IT\nbob,Bob B,,HR\n", encoding="utf-8")
    import_roster(gradebook, roster)
    port = free_port()
    hub = Hub(
        url=f"http://127.0.0.1:{port}",
        root=root,
        course=course,
        exchange=root / "exchange",
        state=root / "state",
        log=root / "jupyterhub.log",
        gradebook=gradebook,
    )
    options = [
        *("hub", "config", "--out", str(root), "--state", str(hub.state)),
        *("--exchange", str(hub.exchange), "--public-url", hub.url),
        *("--authenticator", "shared-password", "--spawner", "simple", "--trainer", TRAINER),
        *(part for learner in LEARNERS for part in ("--learner", learner)),
        *("--proxy", proxy, "--port", str(port), "--hub-api-port", str(free_port())),
        *("--proxy-api-port", str(free_port()), "--formgrader-port", str(free_port())),
        *("--quiz-port", str(free_port()), "--cull-idle-minutes", "30"),
    ]
    hub.trainer_command("--course", str(course), *options)
    hub.trainer_command("cohort", "release", EXERCISE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env.update(GRADER_HUB_SHARED_PASSWORD=PASSWORD, JUPYTERHUB_DB_URL=hub_db)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    with hub.log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(root / "jupyterhub_config.py")],
            cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        _wait_for_hub(process, hub)
        yield hub
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        _stop_leftovers(hub.state)
        print("\n".join(f"hub walk: {name} = {value:.2f}" for name, value in hub.figures.items()))


def _stop_leftovers(state: Path) -> None:
    """Learners' servers the hub left running (it keeps them across its restarts)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if str(state).encode() in environ and b"JUPYTERHUB_USER=" in environ:
            with contextlib.suppress(OSError):
                os.kill(int(proc.name), signal.SIGTERM)
