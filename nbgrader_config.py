"""nbgrader configuration of this course folder (see grader/grading/config.py).

nbgrader's exchange is ./exchange (or $GRADER_EXCHANGE); on a JupyterHub, set the shared
folder after configure, for example: c.Exchange.root = "/srv/nbgrader/exchange".
"""

from pathlib import Path

from grader.grading.config import configure

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
configure(c, course_root=Path(__file__).parent)
