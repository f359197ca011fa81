"""``grader build``, ``grader check`` and ``grader demo``: the course itself."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.build.assignments import build
from grader.course.content import load_course
from grader.course.item_writing import (
    ItemWritingError,
    check_banks,
    check_course,
    describe,
    measure,
)
from grader.course.settings import load_settings


def _item_writing_figures(run):
    """Run ``run``, printing the item-writing figures whether or not a limit is passed."""
    try:
        result = run()
    except ItemWritingError as error:
        print("item writing:\n" + "\n".join(f"  {line}" for line in error.figures))
        raise
    return result


def _build(args: argparse.Namespace) -> int:
    result = _item_writing_figures(
        lambda: build(args.course, args.assessments or None, release=not args.no_release)
    )
    print("item writing:\n" + "\n".join(f"  {line}" for line in result.item_writing))
    for path in result.written:
        print(f"wrote {path}")
    released = "" if args.no_release else " and released"
    print(f"built{released}: {', '.join(result.assignments)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    settings = load_settings(args.course)
    practice = []
    banks = {}
    for language in [] if args.items else settings.languages:
        course = load_course(args.course, language)
        banks[language] = course.bank
        print(
            f"{language}: {len(course.lessons)} lessons, {len(course.practice)} practice "
            f"scenarios, {len(course.bank.items)} items, {len(course.bank.assessments)} assessments"
        )
        practice.append(describe(measure(f"{language} practice scenarios", course.practice)))
    if practice:
        print("item writing of the practice scenarios (ungraded, for information):")
        print("\n".join(f"  {line}" for line in practice))
    figures = _item_writing_figures(
        lambda: check_banks(banks) if banks else check_course(args.course)
    )
    print("item writing:\n" + "\n".join(f"  {line}" for line in figures))
    print("course content OK")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from grader.cli.demo import run_demo

    run_demo(
        Path(args.course),
        Path(args.out),
        learners=args.learners,
        assessment=args.assessment,
        language=args.language,
    )
    return 0


def register(verbs: argparse._SubParsersAction) -> None:
    """Add the course verbs to the ``grader`` command."""
    build_parser = verbs.add_parser("build", help="generate lessons and assessments, release them")
    build_parser.add_argument("assessments", nargs="*", help="assessment ids (default: all)")
    build_parser.add_argument(
        "--no-release", action="store_true", help="write solutions/ only, skip nbgrader"
    )
    build_parser.set_defaults(run=_build)

    check_parser = verbs.add_parser("check", help="validate settings, lessons and item bank")
    check_parser.add_argument(
        "--items", action="store_true", help="the item bank's item-writing figures only"
    )
    check_parser.set_defaults(run=_check)

    demo_parser = verbs.add_parser("demo", help="build, simulate a cohort, autograde, print scores")
    demo_parser.add_argument("--out", default="demo-course", help="folder for the demo course")
    demo_parser.add_argument("--learners", type=int, default=6, help="how many learners")
    demo_parser.add_argument(
        "--assessment", default="certification-exam", help="the assessment to grade"
    )
    demo_parser.add_argument("--language", default="en", help="the language to take it in")
    demo_parser.set_defaults(run=_demo)
