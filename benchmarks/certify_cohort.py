"""Benchmark: issuing and verifying certificates for a cohort (grading not included).

Takes a synthetic cohort of learners who all passed (rows as ``grader cohort export``
reads them from nbgrader's gradebook), issues their certificates into a temporary course
folder with a temporary signing key (each PDF signed as a PDF), runs it again (nothing is
issued twice), verifies every PDF and every code, and prints the times per certificate.

    .venv/bin/python benchmarks/certify_cohort.py --learners 200
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from grader.certificates.certify import certificate_files, issue_certificates
from grader.certificates.publish import publish
from grader.certificates.register import show_code
from grader.certificates.signing import load_key
from grader.certificates.verify import VALID, verify
from grader.certificates.verify_pdf import SIGNED
from grader.cohort.export import Row
from grader.course.guidelines import GUIDELINES
from grader.course.settings import SETTINGS_FILE, SIGNING_KEY_ENV

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "certification-exam-en"


def passing_rows(learners: int) -> list[Row]:
    by_guideline = {g.slug: (5.0, 6.0) for g in GUIDELINES}
    return [
        Row(
            f"learner{n:04d}",
            f"Learner {n:04d} Example",
            f"learner{n:04d}@example.com",
            "Team",
            f"2026-11-02 09:{n // 60 % 60:02d}:{n % 60:02d}.000000",
            40.0,
            48.0,
            0,
            by_guideline,
            True,
        )
        for n in range(learners)
    ]


def timed(label: str, count: int, action):
    started = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - started
    print(f"{label:<34} {seconds:8.2f} s  {1000 * seconds / count:7.1f} ms each")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        course = Path(temporary) / "course"
        course.mkdir()
        for name in ("nbgrader_config.py", SETTINGS_FILE):
            shutil.copy(REPO / name, course / name)
        os.environ[SIGNING_KEY_ENV] = str(Path(temporary) / "keys" / "signing-key.pem")
        timed(
            "create the signing key",
            1,
            lambda: load_key(Path(os.environ[SIGNING_KEY_ENV]), create=True),
        )
        rows = passing_rows(args.learners)
        n = len(rows)
        first = timed(
            f"issue {n} certificates", n, lambda: issue_certificates(course, ASSIGNMENT, rows)
        )
        again = timed(
            "run again (nothing to issue)", n, lambda: issue_certificates(course, ASSIGNMENT, rows)
        )
        pdfs = [certificate_files(c, course / "certificates")["pdf"] for c in first.issued]
        checks = timed(f"verify {n} PDFs", n, lambda: [verify(course, str(p)) for p in pdfs])
        codes = timed(
            f"verify {n} codes",
            n,
            lambda: [verify(course, show_code(c.code)) for c in first.issued],
        )
        timed("publish the verifier's files", 1, lambda: publish(course, Path(temporary) / "pub"))
        size = sum(p.stat().st_size for p in pdfs) / n / 1024
        valid = sum(c.status == VALID for c in [*checks, *codes])
        signed = sum(SIGNED in c.details for c in checks)
        print(
            f"issued {len(first.issued)}, issued again {len(again.issued)}, "
            f"valid {valid} of {2 * n}, PDF-signed {signed} of {n}, PDF {size:.0f} KiB each"
        )


if __name__ == "__main__":
    main()
