"""The quiz site: one page notebook served by Voila, and everything private kept beside it.

A quiz server keeps its state in one folder (``quiz-server/`` in the course by default)::

    quiz-server/
      site/quiz.ipynb        the only file Voila serves: two cells, an import and a call each
      server.json            where the course, the answers and the link secret are
      answers/<assignment>/<learner>.answers.json
      attempts/<assignment>/<learner>.json
      lessons/<learner>/<language>/   practice answers per learner

Voila serves ``site/quiz.ipynb`` alone (single-notebook mode: no file tree, no contents
API) with code hidden, tracebacks kept from learners, idle kernels culled and a pool of
preheated kernels, through the ``quiz`` template (``share/voila/templates/quiz``: the
page's snapshot, no CDN) and only the widget extensions. The page reads which exam or
lesson to show, and who is answering, from the link's query string.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grader.errors import GraderError
from grader.learner.answers import write_json_atomically
from grader.quiz.tokens import default_secret_file

if TYPE_CHECKING:  # every page kernel imports this module: nbformat (2 s) only to build
    import nbformat

STATE_DIR = "quiz-server"
PAGE = "quiz.ipynb"
CONFIG_ENV = "GRADER_QUIZ_SERVER"
# The key a page kernel shows Voila's request-info socket (grader.quiz.voila_app).
KERNEL_KEY_ENV = "GRADER_QUIZ_KERNEL_KEY"
KERNEL_KEY_HEADER = "X-Grader-Kernel-Key"
# Where a page kernel asks the server to grade a submitted exam (grader.quiz.grading_service).
GRADE_PATH = "grader/grade"
ANSWER_PATH = "grader/answer"  # answers from an exam's first paint
GRADING_URL_ENV = "GRADER_QUIZ_GRADING_URL"
MAX_PAGES_ENV = "GRADER_QUIZ_MAX_PAGES"  # pages open at once (grader.quiz.admission)
MAX_MESSAGE = 1_048_576  # bytes in one websocket message from a browser
# Voila finds the page template (``quiz``) here, before its own.
TEMPLATES_ROOT = Path(__file__).parent / "share"
# The widgets are all a page needs from the installed JupyterLab extensions (anywidget
# draws the questions' option groups, grader/learner/option_group.py).
PAGE_EXTENSIONS = [
    "@jupyter-widgets/jupyterlab-manager",
    "@voila-dashboards/widgets-manager8",
    "anywidget",
]
# Two cells: Voila sends the first one's output (the snapshot) before the second runs.
PAGE_CELLS = {
    "snapshot": "from grader.quiz.page import show_snapshot\n\npage = show_snapshot()",
    "live": "from grader.quiz.page import show_live\n\nshow_live(page)",
}


class QuizServerError(GraderError, ValueError):
    """The quiz server cannot be set up; the message names the setting or folder."""


@dataclass(frozen=True)
class QuizServer:
    """Where a quiz server finds the course, keeps its state and reads its link secret."""

    course: Path
    state: Path
    secret_file: Path
    attempts: int = 1
    # The gradebook's database URL (it may hold a password), for learners' names.
    gradebook: str = field(default="", repr=False)

    @property
    def site(self) -> Path:
        return self.state / "site"

    @property
    def config_file(self) -> Path:
        return self.state / "server.json"

    def answers_file(self, assignment: str, learner: str) -> Path:
        return self.state / "answers" / assignment / f"{learner}.answers.json"

    def attempts_file(self, assignment: str, learner: str) -> Path:
        return self.state / "attempts" / assignment / f"{learner}.json"

    def lessons_dir(self, learner: str, language: str) -> Path:
        return self.state / "lessons" / learner / language


def quiz_server(
    course_root: Path | str, state: Path | str | None = None, secret_file: Path | str | None = None
) -> QuizServer:
    """The quiz server of a course, its attempts setting read from ``organisation.yaml``."""
    from grader.course.settings import load_settings

    course = Path(course_root).resolve()
    settings = load_settings(course)
    state_dir = Path(state).resolve() if state else course / STATE_DIR
    secret = Path(secret_file) if secret_file else default_secret_file()
    from grader.course.nbgrader_course import course_db_url

    gradebook = course_db_url(course)
    return QuizServer(course, state_dir, secret.resolve(), settings.quiz.attempts, gradebook)


def page_notebook() -> nbformat.NotebookNode:
    """The page notebook: the same bytes every time, no outputs."""
    import nbformat

    from grader.build.assessment_notebook import KERNELSPEC

    cells = [nbformat.v4.new_code_cell(source, id=name) for name, source in PAGE_CELLS.items()]
    notebook = nbformat.v4.new_notebook(
        cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    notebook.nbformat_minor = 5
    return notebook


def build_site(server: QuizServer) -> Path:
    """Write the site folder (the page notebook only) and ``server.json``; return the page.

    Anything else found in the site folder stops the build: Voila serves that folder.
    """
    import nbformat

    if server.site.resolve() in (server.course, *server.course.parents):
        raise QuizServerError(f"{server.state}: the quiz state folder may not hold the course")
    server.site.mkdir(parents=True, exist_ok=True)
    strangers = sorted(p.name for p in server.site.iterdir() if p.name != PAGE)
    if strangers:
        raise QuizServerError(
            f"{server.site}: holds files that are not the quiz page ({', '.join(strangers)});"
            " move them out, since Voila serves this folder"
        )
    page = server.site / PAGE
    text = nbformat.writes(page_notebook()) + "\n"
    if not page.exists() or page.read_text(encoding="utf-8") != text:
        page.write_text(text, encoding="utf-8")
    data = {key: str(value) for key, value in asdict(server).items()}
    data["attempts"] = server.attempts
    write_json_atomically(server.config_file, data)
    return page


def load_server(config_file: Path | str | None = None) -> QuizServer:
    """The quiz server a page kernel belongs to (``$GRADER_QUIZ_SERVER`` names its file)."""
    path = config_file or os.environ.get(CONFIG_ENV)
    if not path:
        raise QuizServerError(f"${CONFIG_ENV} is not set: start pages with `grader quiz serve`")
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return QuizServer(
        Path(data["course"]),
        Path(data["state"]),
        Path(data["secret_file"]),
        data["attempts"],
        data.get("gradebook", ""),
    )


def _pages_for_memory() -> int:
    from grader.quiz.admission import pages_for_memory  # which imports this module

    return pages_for_memory()


@dataclass(frozen=True)
class ServeOptions:
    """How Voila runs: address, preheated kernels, pages open at once and culling."""

    ip: str = "127.0.0.1"
    port: int = 8866
    pool_size: int = 2
    cull_idle_seconds: int = 1800
    base_url: str = "/"
    # Pages open at once; later visitors wait in line (grader.quiz.admission).
    max_pages: int = field(default_factory=_pages_for_memory)
    # Started by a JupyterHub as its service: the server keeps the hub's variables.
    hub: bool = False


def voila_command(server: QuizServer, options: ServeOptions) -> list[str]:
    """The command that serves the page with production settings: Voila with the quiz
    server's link check and request-info socket (:mod:`grader.quiz.voila_app`)."""
    preheat = options.pool_size > 0
    return [
        sys.executable,
        "-m",
        "grader.quiz.voila_app",
        str(server.site / PAGE),
        "--no-browser",
        f"--Voila.ip={options.ip}",
        f"--Voila.port={options.port}",
        f"--Voila.base_url={options.base_url}",
        "--VoilaConfiguration.template=quiz",
        f"--VoilaConfiguration.extension_allowlist={json.dumps(PAGE_EXTENSIONS)}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        # Nothing under /voila/files/: the site folder holds only the page itself.
        "--VoilaConfiguration.file_denylist=.*",
        "--VoilaConfiguration.http_header_envs=Accept-Language",
        # A page's messages are small; tornado's default allows 10 MiB per message.
        f"--Voila.tornado_settings={json.dumps({'websocket_max_message_size': MAX_MESSAGE})}",
        f"--VoilaConfiguration.preheat_kernel={preheat}",
        f"--VoilaConfiguration.default_pool_size={max(options.pool_size, 0)}",
        # Refill the pool a few seconds after a visit, not while its page is being drawn.
        "--VoilaKernelManager.fill_delay=4",
        # Kernels talk to the server over Unix sockets named after each kernel: with TCP,
        # dozens of kernels starting at once could be handed the same free port.
        "--KernelManager.transport=ipc",
        f"--MappingKernelManager.cull_idle_timeout={options.cull_idle_seconds}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]


def voila_environment(server: QuizServer, options: ServeOptions) -> dict[str, str]:
    """The environment of the Voila process (and so of every page kernel)."""
    # One server for all learners: a hub user of the shell that started it (a trainer
    # running it from JupyterHub, say) must not become every learner's identity. As a
    # hub service it needs the hub's variables, which it keeps from its kernels itself
    # (grader.quiz.hub_login).
    env = {k: v for k, v in os.environ.items() if options.hub or not k.startswith("JUPYTERHUB_")}
    env[CONFIG_ENV] = str(server.config_file)
    env[KERNEL_KEY_ENV] = secrets.token_urlsafe(32)  # new for every start of the server
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(TEMPLATES_ROOT), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    )
    # A preheated kernel asks Voila for its request here; a wildcard address is not one.
    env["VOILA_APP_IP"] = "127.0.0.1" if options.ip in ("0.0.0.0", "::", "") else options.ip
    base = options.base_url.rstrip("/")
    env[MAX_PAGES_ENV] = str(options.max_pages)
    env[GRADING_URL_ENV] = f"http://{env['VOILA_APP_IP']}:{options.port}{base}/{GRADE_PATH}"
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # Unix socket paths may be 107 bytes at most: keep the kernels' runtime folder short.
    env["JUPYTER_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="grader-quiz-")
    return env


def hub_service_address() -> tuple[str, int, str]:
    """Address, port and path prefix a JupyterHub gave this service (its variables)."""
    from urllib.parse import urlsplit

    url, prefix = (
        os.environ.get("JUPYTERHUB_SERVICE_URL", ""),
        os.environ.get("JUPYTERHUB_SERVICE_PREFIX", ""),
    )
    parts = urlsplit(url)
    if not os.environ.get("JUPYTERHUB_API_TOKEN") or not parts.hostname or not prefix:
        raise QuizServerError(
            "--hub: $JUPYTERHUB_API_TOKEN, $JUPYTERHUB_SERVICE_URL and"
            " $JUPYTERHUB_SERVICE_PREFIX are not all set; the hub sets them when it starts"
            " this command as one of its services"
        )
    return parts.hostname, parts.port or 80, prefix
