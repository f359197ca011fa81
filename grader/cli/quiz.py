"""``grader quiz …``: exams and lessons as web pages, with personal links."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from pathlib import Path

from grader.cli.cohort import positive_int


def _server(args: argparse.Namespace):
    from grader.quiz.site import quiz_server

    return quiz_server(args.course, args.state, args.secret)


def _build(args: argparse.Namespace) -> int:
    from grader.quiz.site import build_site

    server = _server(args)
    page = build_site(server)
    print(f"wrote {page} (the only page Voila serves) and {server.config_file}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from grader.quiz.site import (
        ServeOptions,
        build_site,
        hub_service_address,
        voila_command,
        voila_environment,
    )
    from grader.quiz.tokens import load_secret

    server = _server(args)
    load_secret(server.secret_file)
    build_site(server)
    ip, port, base_url = args.ip, args.port, args.base_url
    if args.hub:
        ip, port, base_url = hub_service_address()
    options = ServeOptions(
        ip=ip,
        port=port,
        pool_size=args.pool_size,
        cull_idle_seconds=args.cull_idle_minutes * 60,
        base_url=base_url,
        hub=args.hub,
        **({"max_pages": args.max_pages} if args.max_pages else {}),
    )
    print(
        f"serving the quiz pages on http://{options.ip}:{options.port}{options.base_url}"
        f" ({options.pool_size} preheated kernels, at most {options.max_pages} pages open,"
        f" {server.attempts} attempt(s) per exam); Ctrl-C stops",
        flush=True,
    )
    env = voila_environment(server, options)
    try:
        return subprocess.call(voila_command(server, options), env=env, cwd=server.site)
    except KeyboardInterrupt:
        return 0
    finally:  # the kernels' short-lived runtime folder (their sockets and connection files)
        shutil.rmtree(env["JUPYTER_RUNTIME_DIR"], ignore_errors=True)


def _links(args: argparse.Namespace) -> int:
    from grader.quiz.links import make_links, write_links
    from grader.quiz.tokens import default_secret_file

    secret = args.secret or default_secret_file()
    links, problems = make_links(
        args.course,
        args.roster,
        assignment=args.assignment,
        valid_days=args.valid_days,
        base_url=args.base_url,
        secret_file=secret,
    )
    out = write_links(links, args.out or f"{args.assignment}-links.csv")
    os.chmod(out, 0o600)
    print(f"wrote {out}: {len(links)} personal links to {args.assignment}")
    for problem in problems:
        print(f"  no link: {problem}")
    return 1 if problems else 0


def _shared(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--secret",
        type=Path,
        help="the link secret file (default: $GRADER_QUIZ_SECRET_FILE or ~/.config/grader/"
        "quiz-secret; made on first use)",
    )


def register(verbs: argparse._SubParsersAction) -> None:
    """Add ``grader quiz`` and its verbs to the ``grader`` command."""
    quiz_parser = verbs.add_parser("quiz", help="exams and lessons as web pages (Voila)")
    quiz_verbs = quiz_parser.add_subparsers(dest="quiz_verb", required=True)
    for name, run, text in (
        ("build", _build, "write the quiz site (the page notebook) and its settings"),
        ("serve", _serve, "serve exams and lessons with Voila"),
    ):
        verb = quiz_verbs.add_parser(name, help=text)
        verb.add_argument(
            "--state", type=Path, help="the quiz server's folder (default: <course>/quiz-server)"
        )
        _shared(verb)
        verb.set_defaults(run=run)
    serve_parser = quiz_verbs.choices["serve"]
    serve_parser.add_argument("--ip", default="127.0.0.1", help="address to listen on")
    serve_parser.add_argument("--port", type=positive_int, default=8866)
    serve_parser.add_argument("--base-url", default="/", help="path prefix behind a proxy")
    serve_parser.add_argument(
        "--hub",
        action="store_true",
        help="run as a JupyterHub service (address and prefix from the hub; hub users"
        " open their own pages at <prefix>start)",
    )
    serve_parser.add_argument(
        "--pool-size",
        type=int,
        default=2,
        help="preheated kernels kept ready (0: start one per visit)",
    )
    serve_parser.add_argument(
        "--max-pages",
        type=positive_int,
        default=None,
        help="pages open at once; later visitors wait in line (default: what memory holds)",
    )
    serve_parser.add_argument(
        "--cull-idle-minutes",
        type=positive_int,
        default=30,
        help="stop a learner's kernel after this long without activity",
    )
    links_parser = quiz_verbs.add_parser("links", help="personal links for a roster, as CSV")
    links_parser.add_argument("roster", help="the roster CSV (id, name, email, team)")
    links_parser.add_argument("--assignment", required=True, help="e.g. certification-exam-en")
    links_parser.add_argument("--valid-days", type=float, default=14, help="default: 14")
    links_parser.add_argument(
        "--base-url",
        required=True,
        help="where learners reach the server, e.g. https://quiz.example/",
    )
    links_parser.add_argument("--out", help="the CSV file (default: <assignment>-links.csv)")
    _shared(links_parser)
    links_parser.set_defaults(run=_links)
