"""The quiz server as a JupyterHub service: it reads the hub's variables once and keeps
them (the service's API token above all) from every page kernel it starts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jupyterhub.services.auth import HubOAuth

from grader.quiz.hub_login import hub_login
from grader.quiz.site import (
    QuizServer,
    QuizServerError,
    ServeOptions,
    hub_service_address,
    voila_environment,
)

HUB_ENV = {
    "JUPYTERHUB_API_TOKEN": "service-token-123",
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    "JUPYTERHUB_BASE_URL": "/",
    "JUPYTERHUB_SERVICE_PREFIX": "/services/quiz/",
    "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:8866",
    "JUPYTERHUB_CLIENT_ID": "service-quiz",
    "JUPYTERHUB_OAUTH_CALLBACK_URL": "/services/quiz/oauth_callback",
    "JUPYTERHUB_OAUTH_ACCESS_SCOPES": '["access:services!service=quiz"]',
}


@pytest.fixture
def hub_env(monkeypatch: pytest.MonkeyPatch):
    for key, value in HUB_ENV.items():
        monkeypatch.setenv(key, value)
    yield
    HubOAuth.clear_instance()


def test_without_a_hub_there_is_no_hub_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    assert hub_login() is None


def test_the_hub_login_keeps_its_settings_and_no_kernel_inherits_the_token(
    hub_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "trainer")
    auth = hub_login()
    assert auth is not None
    assert "JUPYTERHUB_API_TOKEN" not in os.environ, "page kernels copy this environment"
    assert auth.api_token == "service-token-123"
    assert auth.oauth_client_id == "service-quiz"
    assert auth.access_scopes == {"access:services!service=quiz"}
    assert "client_id=service-quiz" in auth.login_url
    assert auth.cookie_name == "service-quiz"
    assert "JUPYTERHUB_USER" not in os.environ, "nbgrader would take it for the learner"
    assert os.environ["JUPYTERHUB_SERVICE_PREFIX"] == "/services/quiz/"


def test_a_hub_service_listens_where_the_hub_said(hub_env) -> None:
    assert hub_service_address() == ("127.0.0.1", 8866, "/services/quiz/")


def test_serve_hub_outside_a_hub_says_which_variables_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    with pytest.raises(QuizServerError, match=r"\$JUPYTERHUB_API_TOKEN"):
        hub_service_address()


def test_only_a_hub_service_passes_the_hubs_variables_on(hub_env, tmp_path: Path) -> None:
    server = QuizServer(tmp_path, tmp_path / "state", tmp_path / "secret")
    plain = voila_environment(server, ServeOptions(max_pages=4))
    assert not any(key.startswith("JUPYTERHUB_") for key in plain)
    hub = voila_environment(server, ServeOptions(max_pages=4, hub=True))
    assert hub["JUPYTERHUB_API_TOKEN"] == "service-token-123"
    for env in (plain, hub):
        os.rmdir(env["JUPYTER_RUNTIME_DIR"])
