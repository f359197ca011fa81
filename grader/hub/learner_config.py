"""The files ``grader hub config`` writes: the hub's config and the learners' nbgrader config.

Learners' servers read nbgrader's settings from the folder the hub names in
``JUPYTER_CONFIG_PATH`` (:mod:`grader.hub.config_file`). nbgrader names a submission and
looks for feedback under the system account's name, unless ``CourseDirectory.student_id``
says otherwise: on a hub the learner is the hub user (``$JUPYTERHUB_USER``), whatever
account their server runs as (on Kubernetes, every server runs as ``jovyan``).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.hub.config_file import CONFIG_FILE, hub_config_text
from grader.hub.plan import HubError, HubPlan

LEARNER_CONFIG = "nbgrader_config.py"


def learner_config_text(plan: HubPlan) -> str:
    """nbgrader's settings in every learner's server: course, exchange and hub name."""
    return "\n".join(
        [
            f'"""nbgrader for learners of {plan.course_id!r} on the hub: `grader hub config`."""',
            "",
            "import os",
            "",
            "c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file",
            f"c.CourseDirectory.course_id = {plan.course_id!r}",
            f"c.Exchange.root = {str(plan.exchange)!r}",
            "# Submissions and feedback under the hub name, not the system account's.",
            'c.CourseDirectory.student_id = os.environ.get("JUPYTERHUB_USER", "*")',
            "",
        ]
    )


@dataclass(frozen=True)
class Written:
    """What :func:`write_hub_files` wrote, and what it left as it was."""

    config: Path
    learner_config: Path
    unchanged: bool


def write_hub_files(plan: HubPlan, out: Path, *, force: bool = False) -> Written:
    """Write ``jupyterhub_config.py`` into ``out`` and the learners' config into the hub's
    state folder. In the state folder, the learners' config is readable by everyone, the
    quiz folder by the service account only and the hub's own files by root only; the
    exchange is written by everyone, and nobody deletes another's files there. A config
    file that differs from what the plan gives (edited by hand, or another plan's) is
    kept unless ``force``."""
    config, learner = out / CONFIG_FILE, plan.learner_config_dir / LEARNER_CONFIG
    texts = {config: hub_config_text(plan), learner: learner_config_text(plan)}
    if not force:
        for path, text in texts.items():
            if path.exists() and path.read_text(encoding="utf-8") != text:
                raise HubError(
                    f"{path}: exists and differs from what these options give; move it away"
                    " or pass --force to replace it"
                )
    unchanged = all(p.exists() and p.read_text(encoding="utf-8") == t for p, t in texts.items())
    out.mkdir(parents=True, exist_ok=True)
    plan.state.mkdir(parents=True, exist_ok=True)
    os.chmod(plan.state, 0o711)  # its folders are reached by name only
    plan.hub_dir.mkdir(exist_ok=True)
    os.chmod(plan.hub_dir, 0o700)  # the hub's database and cookie secret
    plan.learner_config_dir.mkdir(exist_ok=True)
    os.chmod(plan.learner_config_dir, 0o755)  # every learner's server reads it
    _quiz_folder(plan)
    if not plan.exchange.exists():
        plan.exchange.mkdir(parents=True)
        os.chmod(plan.exchange, 0o1777)
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    os.chmod(learner, 0o644)
    return Written(config, learner, unchanged)


def _quiz_folder(plan: HubPlan) -> None:
    """The quiz pages' folder, for the account they run as only."""
    plan.quiz_dir.mkdir(exist_ok=True)
    os.chmod(plan.quiz_dir, 0o700)
    if plan.service_user:
        try:
            for folder, _, names in os.walk(plan.quiz_dir):
                for path in [folder, *(os.path.join(folder, name) for name in names)]:
                    shutil.chown(path, user=plan.service_user)
        except (LookupError, PermissionError) as error:
            raise HubError(
                f"--service-user {plan.service_user!r}: cannot give it {plan.quiz_dir} ({error});"
                " run the command as root, with an account that exists"
            ) from None
