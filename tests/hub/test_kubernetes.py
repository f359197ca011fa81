"""``grader hub kubernetes``: zero-to-jupyterhub values, the services' manifests and the
image file; learners' pods never get the course (its answer keys), each service pod gets
the token the chart made for it, and nothing secret is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.hub.kubernetes import COURSE_CLAIM, write_kubernetes_files
from grader.hub.plan import HubError

COURSE_ID = "social-media-guidelines"
IMAGE = "registry.example.org/course:2026.12"


def written(folder: Path) -> tuple[dict, list[dict], str]:
    paths = write_kubernetes_files(
        folder, course_id=COURSE_ID, public_host="course.example.org", image=IMAGE
    )
    values = yaml.safe_load(paths[0].read_text())
    manifests = list(yaml.safe_load_all(paths[1].read_text()))
    return values, manifests, paths[2].read_text()


def deployments(manifests: list[dict]) -> dict[str, dict]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == "Deployment"}


def test_learners_pods_never_mount_the_course(tmp_path: Path) -> None:
    values, manifests, _ = written(tmp_path)
    volumes = values["singleuser"]["storage"]["extraVolumes"]
    claims = {v.get("persistentVolumeClaim", {}).get("claimName") for v in volumes}
    assert COURSE_CLAIM not in claims and "nbgrader-exchange" in claims
    for deployment in deployments(manifests).values():
        pod = deployment["spec"]["template"]["spec"]
        mounted = {v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
        assert mounted == {COURSE_CLAIM, "nbgrader-exchange"}


def test_each_service_pod_is_the_hub_service_of_its_name_with_the_charts_token(
    tmp_path: Path,
) -> None:
    values, manifests, _ = written(tmp_path)
    services = values["hub"]["services"]
    assert set(services) == {COURSE_ID, "quiz"}
    for deployment in deployments(manifests).values():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e for e in container["env"]}
        name = env["JUPYTERHUB_SERVICE_NAME"]["value"]
        token = env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]
        assert token == {"name": "hub", "key": f"hub.services.{name}.apiToken"}
        host = deployment["metadata"]["name"]
        assert services[name]["url"].startswith(f"http://{host}:")
        assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == f"/services/{name}/"
        # The hub registers the callback the pod's client sends; a different one is refused.
        assert "oauth_redirect_uri" not in services[name]
        assert env["JUPYTERHUB_OAUTH_CALLBACK_URL"]["value"] == f"/services/{name}/oauth_callback"
    roles = values["hub"]["loadRoles"]
    assert roles["formgrade-" + COURSE_ID]["groups"] == ["trainers"]


def test_no_secret_is_written_and_the_same_options_give_the_same_bytes(tmp_path: Path) -> None:
    written(tmp_path / "a")
    written(tmp_path / "b")
    for name in ("values.yaml", "grader-services.yaml", "Dockerfile"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    values = yaml.safe_load((tmp_path / "a" / "values.yaml").read_text())
    for key, entry in values["hub"]["extraEnv"].items():
        assert "valueFrom" in entry, f"{key} comes from a Kubernetes secret"
    assert "client_secret" not in values["hub"]["config"]["GenericOAuthenticator"]


def test_the_image_file_installs_the_pinned_package(tmp_path: Path) -> None:
    _, _, dockerfile = written(tmp_path)
    assert dockerfile.startswith("# One image")
    assert "pip install --no-cache-dir /opt/course" in dockerfile
    assert f"-t {IMAGE} ." in dockerfile


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"image": "course"}, "--image"),
        ({"public_host": "https://course.example.org"}, "--host"),
        ({"course_id": "Quiz Course"}, "course id"),
    ],
)
def test_a_bad_option_is_refused_by_name(tmp_path: Path, options: dict, named: str) -> None:
    settings = {"course_id": COURSE_ID, "public_host": "course.example.org", "image": IMAGE}
    with pytest.raises(HubError, match=named):
        write_kubernetes_files(tmp_path, **{**settings, **options})
    assert not any(tmp_path.iterdir())


def test_a_changed_file_is_kept_unless_forced(tmp_path: Path) -> None:
    written(tmp_path)
    values = tmp_path / "values.yaml"
    values.write_text(values.read_text() + "# local change\n")
    with pytest.raises(HubError, match="differs"):
        written(tmp_path)
    assert values.read_text().endswith("# local change\n")
