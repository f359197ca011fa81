"""Where things live in a course folder (nbgrader_config.py maps nbgrader's names to these)."""

from __future__ import annotations

from pathlib import Path

SOURCE_DIR = "solutions"  # nbgrader's source directory: item bank and instructor notebooks
RELEASE_DIR = "exercises"  # nbgrader's release directory: learner notebooks
LESSONS_DIR = "course"  # lesson notebooks, one folder per language
CONTENT_DIR = Path(LESSONS_DIR) / "content"  # lesson modules as YAML

# Files beside a notebook, named ``<notebook><suffix>``: build writes the questions and
# practice files (public: no key), the learner's widgets write the answers file.
QUESTIONS_SUFFIX = ".questions.json"
PRACTICE_SUFFIX = ".practice.json"
ANSWERS_SUFFIX = ".answers.json"
# Lists the items of each assessment; it sits in SOURCE_DIR beside the instructor notebooks.
ASSESSMENTS_FILE = "assessments.yaml"
