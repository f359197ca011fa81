"""Social-media guidelines course: content, notebooks, grading and certificates.

The package follows the course's flow, one subpackage per step; a step imports only the
steps before it (and the two shared modules, :mod:`grader.errors` and
:mod:`grader.secret_files`), and nothing imports the command line:

1. :mod:`grader.course`: what the course is made of, as data;
2. :mod:`grader.build`: that data turned into lesson and nbgrader notebooks;
3. :mod:`grader.learner`: what runs in a learner's kernel (widgets, answers, practice);
4. :mod:`grader.grading`: nbgrader's configuration and what its test cells call;
5. :mod:`grader.cohort`: roster, submissions, gradebook, pass rule, export and report;
6. :mod:`grader.certificates`: certify, sign, register, verify and renew;

beside them :mod:`grader.quiz`, the Voila site, and :mod:`grader.hub`, the deployment on a
JupyterHub; on top :mod:`grader.cli`.

Generated notebooks use the three names below, which stay where they are whatever moves
inside the package. They are loaded when first used: an autograder test cell that says
``from grader import check_answer`` pulls in neither widgets nor nbgrader.

The modules ``grader.check``, ``grader.widgets``, ``grader.practice`` and
``grader.nbgrader_setup`` are the paths that notebooks and course folders made before
the package had its steps still import; they only point to the new places.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

__version__ = "0.1.0"

# jsonschema imports rfc3987-syntax when it is installed (jupyter-events brings it) to check
# the "iri" format, which no schema here uses (and no validator here checks formats). It
# compiles a grammar on import: 0.9 s of processor time for every page kernel and command.
# Unless jsonschema is already loaded, it is told that package is missing.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

PUBLIC = {
    "check_answer": "grader.grading.check",
    "Lesson": "grader.learner.practice",
    "Quiz": "grader.learner.quiz",
}
__all__ = sorted(PUBLIC)


def __getattr__(name: str) -> Any:
    if name in PUBLIC:
        return getattr(importlib.import_module(PUBLIC[name]), name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
