"""The ``grader`` command: parses arguments, calls the library, prints the outcome.

Each area of the course registers its own verbs from its own module (``grader.cli_*``);
this module only assembles them and turns a :class:`~grader.errors.GraderError` into a
one-line message and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from grader.errors import GraderError

COMMAND_MODULES = (
    "grader.cli.course",
    "grader.cli.cohort",
    "grader.cli.certificates",
    "grader.cli.quiz",
    "grader.cli.hub",
    "grader.cli.worker",
)


def parser() -> argparse.ArgumentParser:
    """The ``grader`` argument parser with every area's verbs."""
    main_parser = argparse.ArgumentParser(
        prog="grader", description="Build, grade and certify the social-media guidelines course."
    )
    main_parser.add_argument(
        "--course", default=".", help="the course folder (holds nbgrader_config.py)"
    )
    verbs = main_parser.add_subparsers(dest="verb", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(verbs)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (GraderError, KeyError, FileNotFoundError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        print(f"grader: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
