"""The quiz site folder, its settings, and personal links from a roster."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from grader.cli.main import main
from grader.course.settings import SettingsError
from grader.quiz.links import LinksError, quiz_url
from grader.quiz.site import (
    PAGE,
    QuizServerError,
    ServeOptions,
    build_site,
    load_server,
    quiz_server,
    voila_command,
    voila_environment,
)
from grader.quiz.tokens import load_secret, read_token

from ..conftest import ASSIGNMENT, new_course
from ..course.test_settings import write_settings


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = new_course(tmp_path / "course")
    (folder / "exercises" / ASSIGNMENT).mkdir(parents=True)
    (folder / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("{}")
    return folder


def test_the_site_holds_the_page_only_and_is_the_same_every_time(
    course: Path, tmp_path: Path
) -> None:
    server = quiz_server(course, secret_file=tmp_path / "secret")
    page = build_site(server)
    first = page.read_bytes()

    build_site(server)

    assert page.read_bytes() == first
    assert sorted(p.name for p in server.site.iterdir()) == [PAGE]
    assert b"page = show_snapshot()" in first and b"show_live(page)" in first
    assert b'"outputs": []' in first
    assert load_server(server.config_file) == server
    assert server.site.parent == course / "quiz-server"
    (server.site / "notes.txt").write_text("private")
    with pytest.raises(QuizServerError, match=r"notes\.txt"):
        build_site(server)


def test_attempts_come_from_the_settings_and_bad_values_are_named(
    course: Path, tmp_path: Path
) -> None:
    assert quiz_server(course).attempts == 1
    write_settings(course, lambda data: data.update(quiz={"attempts": 3}))
    assert quiz_server(course).attempts == 3
    write_settings(course, lambda data: data.update(quiz={"attempts": 0}))
    with pytest.raises(SettingsError, match=r"quiz\.attempts"):
        quiz_server(course)


def test_voila_runs_with_production_settings(course: Path, tmp_path: Path) -> None:
    server = quiz_server(course, secret_file=tmp_path / "secret")
    command = voila_command(server, ServeOptions(pool_size=3, cull_idle_seconds=600))

    assert command[3] == str(server.site / PAGE), "one notebook: no tree, no contents API"
    for setting in (
        "--Voila.ip=127.0.0.1",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.file_denylist=.*",
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=3",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--KernelManager.transport=ipc",  # no TCP port two starting kernels could share
    ):
        assert setting in command
    assert command[2] == "grader.quiz.voila_app", "Voila with the link check in front"
    cold = voila_command(server, ServeOptions(pool_size=0))
    assert "--VoilaConfiguration.preheat_kernel=False" in cold


def test_kernel_sockets_fit_the_unix_path_limit(course: Path, tmp_path: Path) -> None:
    env = voila_environment(quiz_server(course, secret_file=tmp_path / "s"), ServeOptions())
    runtime = Path(env["JUPYTER_RUNTIME_DIR"])
    longest = runtime / "kernel-00000000-0000-0000-0000-000000000000-ipc-99999"
    assert runtime.is_dir() and len(str(longest).encode()) < 107
    runtime.rmdir()


def test_voila_finds_the_quiz_template_and_loads_only_the_widget_extensions(
    course: Path, tmp_path: Path
) -> None:
    server = quiz_server(course, secret_file=tmp_path / "secret")
    command = voila_command(server, ServeOptions())
    env = voila_environment(server, ServeOptions())

    assert "--VoilaConfiguration.template=quiz" in command
    allowed = next(a for a in command if a.startswith("--VoilaConfiguration.extension_allowlist="))
    assert json.loads(allowed.partition("=")[2]) == [
        "@jupyter-widgets/jupyterlab-manager",
        "@voila-dashboards/widgets-manager8",
        "anywidget",
    ]
    template = Path(env["JUPYTER_PATH"].split(os.pathsep)[0]) / "voila" / "templates" / "quiz"
    assert (template / "index.html.j2").is_file()
    assert (template / "static" / "snapshot.js").is_file()


def test_a_hub_user_of_the_trainer_never_becomes_the_learners_identity(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "trainer")
    server = quiz_server(course, secret_file=tmp_path / "secret")

    env = voila_environment(server, ServeOptions())

    assert "JUPYTERHUB_USER" not in env
    assert env["GRADER_QUIZ_SERVER"] == str(server.config_file)


def test_links_for_a_roster_carry_a_token_for_each_learner(course: Path, tmp_path: Path) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "id,name,email,team\nada,Ada Lovelace,ada@example.com,IT\n,No Id,x@example.com,IT\n"
    )
    secret, out = tmp_path / "secret", tmp_path / "links.csv"

    status = main(
        [
            *("--course", str(course), "quiz", "links", str(roster)),
            *("--assignment", ASSIGNMENT, "--valid-days", "2", "--secret", str(secret)),
            *("--base-url", "https://quiz.example/exam", "--out", str(out)),
        ]
    )

    assert status == 1, "a row without a link makes the command say so"
    with out.open(encoding="utf-8") as stream:
        [row] = list(csv.DictReader(stream))
    assert (row["id"], row["name"], row["email"]) == ("ada", "Ada Lovelace", "ada@example.com")
    url = urlsplit(row["link"])
    assert (url.scheme, url.netloc, url.path) == ("https", "quiz.example", "/exam/")
    query = parse_qs(url.query)
    assert query["assignment"] == [ASSIGNMENT]
    claims = read_token(load_secret(secret, create=False), query["token"][0], ASSIGNMENT)
    assert claims.learner == "ada"


def test_links_name_an_unknown_assignment_or_a_bad_address(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("id,name,email\nada,Ada,ada@example.com\n")
    base = ["--course", str(course), "quiz", "links", str(roster), "--secret", str(tmp_path / "s")]

    assert main([*base, "--assignment", "exam-xx", "--base-url", "https://q.example/"]) == 2
    assert "no released assignment 'exam-xx'" in capsys.readouterr().err
    with pytest.raises(LinksError, match="not an http"):
        quiz_url("quiz.example", ASSIGNMENT, "t")
