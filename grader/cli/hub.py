"""``grader hub …``: the course on a JupyterHub (a config file, or Kubernetes files)."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.cli.cohort import positive_int


def _plan(args: argparse.Namespace):
    from grader.course.nbgrader_course import course_api
    from grader.hub.plan import Ports, SingleSignOn, hub_plan

    course = Path(args.course).resolve()
    sso = None
    if args.authorize_url or args.token_url:
        sso = SingleSignOn(
            authorize_url=args.authorize_url or "",
            token_url=args.token_url or "",
            username_claim=args.username_claim,
            learners_group=args.learners_group or "",
        )
    return hub_plan(
        course=course,
        course_id=course_api(course).coursedir.course_id,
        state=Path(args.state).resolve(),
        exchange=Path(args.exchange),
        public_url=args.public_url,
        authenticator=args.authenticator,
        sso=sso,
        spawner=args.spawner,
        trainers=tuple(args.trainer),
        trainers_group=args.trainers_group,
        learners=tuple(args.learner),
        admins=tuple(args.admin),
        service_user=args.service_user or "",
        db_url=args.db_url or "",
        proxy_command=(args.proxy,),
        cull_idle_minutes=args.cull_idle_minutes,
        ports=Ports(
            public=args.port,
            hub_api=args.hub_api_port,
            proxy_api=args.proxy_api_port,
            formgrader=args.formgrader_port,
            quiz=args.quiz_port,
        ),
    )


def _gradebook_notes(course: Path) -> list[str]:
    """What to change in the gradebook before learners arrive: SQLite, and roster ids that
    are not lower case (hub names are, so nbgrader would file their work twice)."""
    from grader.cohort.gradebook import learner_ids
    from grader.course.nbgrader_course import course_db_url

    url, notes = course_db_url(course), []
    if url.startswith("sqlite"):
        notes.append(
            "note: the gradebook is SQLite; with many learners, point CourseDirectory.db_url"
            " in nbgrader_config.py at PostgreSQL"
        )
    upper = [learner for learner in learner_ids(url) if learner != learner.lower()]
    if upper:
        shown = ", ".join(upper[:5]) + (" …" if len(upper) > 5 else "")
        notes.append(
            f"warning: {len(upper)} roster id(s) are not lower case ({shown}); hub names"
            " are, so use the lower-case ids in the roster"
        )
    return notes


def _config(args: argparse.Namespace) -> int:
    from grader.hub.learner_config import write_hub_files

    plan = _plan(args)
    written = write_hub_files(plan, Path(args.out).resolve(), force=args.force)
    state = "unchanged" if written.unchanged else "wrote"
    print(f"{state} {written.config} and {written.learner_config}")
    print(f"start the hub with: jupyterhub -f {written.config}")
    for note in _gradebook_notes(plan.course):
        print(note)
    if plan.spawner == "simple":
        print("warning: --spawner simple runs every learner as the hub's user: trials only")
    if plan.authenticator == "shared-password":
        print(
            "warning: with a shared password anyone who has it may log in as anyone on the"
            " list, a trainer included: trials only"
        )
    return 0


def _kubernetes(args: argparse.Namespace) -> int:
    from grader.hub.kubernetes import write_kubernetes_files

    written = write_kubernetes_files(
        Path(args.out).resolve(),
        course_id=args.course_id,
        public_host=args.host,
        image=args.image,
        force=args.force,
    )
    for path in written:
        print(f"wrote {path}")
    return 0


def _config_options(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--out", default=".", help="folder for jupyterhub_config.py (default: here)")
    add("--state", required=True, help="the hub's own folder, e.g. /srv/jupyterhub")
    add("--exchange", required=True, help="nbgrader's shared exchange, e.g. /srv/nbgrader/exchange")
    add("--public-url", default="http://127.0.0.1:8000", help="how people reach the hub")
    add(
        "--authenticator",
        default="oidc",
        choices=["oidc", "shared-password"],
        help="oidc: single sign-on (default); shared-password: one password"
        " ($GRADER_HUB_SHARED_PASSWORD) for the listed users, for trials",
    )
    add("--authorize-url", help="the provider's authorization endpoint (oidc)")
    add("--token-url", help="the provider's token endpoint (oidc)")
    add("--username-claim", default="preferred_username", help="the id token's claim (oidc)")
    add("--learners-group", help="the provider's group whose members may log in (oidc)")
    add(
        "--spawner",
        default="local",
        choices=["local", "simple"],
        help="local: a system account per person (default); simple: trials only",
    )
    add("--trainer", action="append", default=[], help="a trainer's hub name (repeat)")
    add("--trainers-group", default="trainers", help="the hub group that may use formgrader")
    add("--learner", action="append", default=[], help="with a shared password (repeat)")
    add("--admin", action="append", default=[], help="a hub administrator (repeat)")
    add(
        "--service-user",
        help="the system account that owns the course and runs formgrader"
        " and the quiz pages (default: the hub's own)",
    )
    add("--db-url", help="the hub's database without its password (else $JUPYTERHUB_DB_URL)")
    add("--proxy", default="configurable-http-proxy", help="the proxy command")
    add("--cull-idle-minutes", type=positive_int, default=60)
    add("--port", type=positive_int, default=8000, help="the hub's public port")
    add("--hub-api-port", type=positive_int, default=8081)
    add("--proxy-api-port", type=positive_int, default=8001)
    add("--formgrader-port", type=positive_int, default=8889)
    add("--quiz-port", type=positive_int, default=8866)
    add("--force", action="store_true", help="replace a config file that differs")


def register(verbs: argparse._SubParsersAction) -> None:
    """Add ``grader hub`` and its verbs to the ``grader`` command."""
    hub_parser = verbs.add_parser("hub", help="the course on a JupyterHub")
    hub_verbs = hub_parser.add_subparsers(dest="hub_verb", required=True)
    config = hub_verbs.add_parser("config", help="write jupyterhub_config.py for this course")
    _config_options(config)
    config.set_defaults(run=_config)
    kube = hub_verbs.add_parser(
        "kubernetes", help="write zero-to-jupyterhub values, service manifests and image file"
    )
    kube.add_argument("--out", required=True, help="the folder to write them to")
    kube.add_argument("--course-id", default="social-media-guidelines")
    kube.add_argument("--host", required=True, help="the hub's public host name")
    kube.add_argument("--image", required=True, help="the single-user image, name:tag")
    kube.add_argument("--force", action="store_true", help="replace files that differ")
    kube.set_defaults(run=_kubernetes)
