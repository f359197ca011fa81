"""``python -m grader.content_check FOLDER``: check content files before they join a course.

Checks every ``solutions/*.items.yaml`` and ``course/content/*.yaml`` under FOLDER in every
language, without needing the settings or the assessments file, and prints the problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

from grader.bank import BankError, Localizer, Problem, load_items_file
from grader.content import course_problems
from grader.i18n import LANGUAGES
from grader.lessons import load_lessons
from grader.paths import CONTENT_DIR, SOURCE_DIR


def check_folder(folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    for language in LANGUAGES:
        localize = Localizer(language, None)
        items = []
        for path in sorted((folder / SOURCE_DIR).glob("*.items.yaml")):
            items += [
                (str(path), item) for item in load_items_file(path, problems, set(), localize)
            ]
        lessons = []
        if (folder / CONTENT_DIR).exists():
            try:
                lessons = load_lessons(folder / CONTENT_DIR, language)
            except BankError as error:
                problems += error.problems
        practice = [(lesson.source, item) for lesson in lessons for item in lesson.practice]
        problems += course_problems(items, practice)
    unique = list(dict.fromkeys(problems))
    return unique


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = check_folder(folder)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
