"""``python -m grader.course.content_check FOLDER``: check content files before they join a course.

Checks every ``solutions/*.items.yaml`` and ``course/content/*.yaml`` under FOLDER in every
language, without needing the settings or the assessments file, and prints the problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

from grader.course.bank import load_items_file
from grader.course.content import course_problems
from grader.course.content_files import BankError, Localizer, Problem
from grader.course.i18n import LANGUAGES
from grader.course.lessons import load_lessons
from grader.course.paths import CONTENT_DIR, SOURCE_DIR


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
