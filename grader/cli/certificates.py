"""``grader certify``, ``verify``, ``revoke``, ``certificates`` and ``cohort due``.

``grader verify`` exits with a status that says the verdict: 0 valid, 3 expired,
4 revoked, 5 not genuine (altered, wrong key or unknown); 2 when it cannot check at all
(no key, no such file, bad settings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path


def _certify(args: argparse.Namespace) -> int:
    from grader.certificates.certify import certificate_files, certify
    from grader.cohort.assessments import language_of
    from grader.cohort.export import language_counts, language_figures

    result = certify(args.course, args.assignment, out=args.out)
    print(
        f"{args.assignment}: {_count(result.issued, 'certificate')} issued, "
        f"{len(result.kept)} issued before, {_count(result.failed, 'learner')} did not pass"
    )
    if not language_of(args.assignment):  # an assessment: every language counted
        print(f"  judged per language: {language_figures(language_counts(result.rows))}")
    for row in result.rows:
        if row.others:
            print(
                f"  {row.learner}: judged on the {row.language} submission of "
                f"{row.submitted_at}; also submitted {row.also_submitted} (not counted)"
            )
    for certificate in result.issued:
        pdf = certificate_files(certificate, result.out)["pdf"]
        print(
            f"  issued: {certificate.learner} ({certificate.name}), valid until "
            f"{certificate.expires_on.isoformat()}: {os.path.relpath(pdf)}"
        )
    for kept in result.kept:
        if kept.status == "revoked":
            print(f"  still revoked: {kept.learner}: {kept.reason} (needs a new submission)")
    for old in result.superseded:
        print(f"  superseded: {old}")
    for verdict in result.failed:
        print(f"  not passed: {verdict.learner}: {'; '.join(verdict.reasons)}")
    for verdict, certificate in result.contradicted:
        print(
            f"  still certified: {verdict.learner} holds certificate {certificate.id}, valid "
            f"until {certificate.expires_on.isoformat()}, for this submission, which no longer "
            f"passes. If the new grades are right, revoke it: grader revoke {certificate.id} "
            f'--reason "grade corrected after certification"'
        )
    for problem in result.problems:
        print(f"  not issued: {problem}")
    return 1 if result.problems or result.contradicted else 0


def _verify(args: argparse.Namespace) -> int:
    from grader.certificates.verify import read_public_key, verify

    key = read_public_key(args.public_key) if args.public_key else None
    check = verify(args.course, " ".join(args.subject), public_key=key)
    print(f"{check.status.upper()}: {check.headline}")
    for detail in check.details:
        print(f"  {detail}")
    return check.exit_code


def _revoke(args: argparse.Namespace) -> int:
    from grader.certificates.register import Register, RegisterError
    from grader.course.nbgrader_course import course_db_url

    with Register(course_db_url(args.course)) as register:
        found = register.get(args.certificate) or register.by_code(args.certificate)
        if found is None:
            raise RegisterError(f"no certificate with id or code {args.certificate!r}")
        revoked = register.revoke(found.id, args.reason, dt.datetime.now(dt.UTC))
    print(f"revoked {revoked.id} of {revoked.learner} ({revoked.name}): {revoked.reason}")
    print("run `grader certificates publish` to update the published revocation list")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from grader.certificates.publish import publish

    for path in publish(args.course, args.out):
        print(f"wrote {path}")
    return 0


def _register_csv(args: argparse.Namespace) -> int:
    from grader.certificates.register import Register, write_register_csv
    from grader.course.nbgrader_course import course_db_url

    with Register(course_db_url(args.course)) as register:
        count = write_register_csv(register, args.out, dt.datetime.now(dt.UTC).date())
    print(f"wrote {args.out}: {count} certificates")
    return 0


def _due(args: argparse.Namespace) -> int:
    from grader.certificates.renewal import due, write_due_csv
    from grader.course.nbgrader_course import course_db_url

    rows = due(course_db_url(args.course), args.within)
    if args.out:
        write_due_csv(rows, args.out)
        print(f"wrote {args.out}: {_count(rows, 'learner')} due for renewal")
        return 0
    print(f"{_count(rows, 'learner')} due for renewal (within {args.within} days)")
    for row in rows:
        when = f"{-row.days_left} days ago" if row.days_left < 0 else f"in {row.days_left} days"
        print(
            f"  {row.learner:<16} {row.name:<28} {row.expires_on.isoformat()} ({when}) {row.status}"
        )
    return 0


def add_due_verb(cohort_verbs: argparse._SubParsersAction) -> None:
    """``grader cohort due``: wired in by :mod:`grader.cli.cohort`."""
    due_parser = cohort_verbs.add_parser(
        "due", help="learners whose certificate expires soon or has expired (renewal)"
    )
    due_parser.add_argument("--within", type=_days, default=60, help="days ahead (default 60)")
    due_parser.add_argument("--out", type=Path, help="write the list as CSV")
    due_parser.set_defaults(run=_due)


def register(verbs: argparse._SubParsersAction) -> None:
    """Add the certification verbs to the ``grader`` command."""
    certify_parser = verbs.add_parser(
        "certify", help="issue certificates and Open Badges to learners who passed"
    )
    certify_parser.add_argument(
        "assignment",
        help="the graded exam: certification-exam (every language) or one language version, "
        "e.g. certification-exam-en",
    )
    certify_parser.add_argument("--out", type=Path, help="folder (default: <course>/certificates)")
    certify_parser.set_defaults(run=_certify)

    verify_parser = verbs.add_parser(
        "verify",
        help="check a certificate: exit 0 valid, 3 expired, 4 revoked, 5 not genuine",
    )
    verify_parser.add_argument(
        "subject",
        nargs="+",
        help="a certificate PDF, a .badge.json or .badge.jws, a code or an id",
    )
    verify_parser.add_argument(
        "--public-key", type=Path, help="the published public key (default: the signing key's)"
    )
    verify_parser.set_defaults(run=_verify)

    revoke_parser = verbs.add_parser("revoke", help="revoke a certificate")
    revoke_parser.add_argument("certificate", help="the certificate id or verification code")
    revoke_parser.add_argument("--reason", required=True, help="why (kept in the register)")
    revoke_parser.set_defaults(run=_revoke)

    certificates_parser = verbs.add_parser("certificates", help="the certificate register")
    certificates_verbs = certificates_parser.add_subparsers(dest="certificates_verb", required=True)
    publish_parser = certificates_verbs.add_parser(
        "publish", help="write issuer, badge class, public key and revocation list for verifiers"
    )
    publish_parser.add_argument("--out", type=Path, default=Path("published"), help="folder")
    publish_parser.set_defaults(run=_publish)
    register_parser = certificates_verbs.add_parser(
        "register", help="the register of issued certificates as CSV, for auditors"
    )
    register_parser.add_argument("--out", type=Path, default=Path("certificate-register.csv"))
    register_parser.set_defaults(run=_register_csv)


def _count(things: list, word: str) -> str:
    return f"{len(things)} {word}{'' if len(things) == 1 else 's'}"


def _days(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value
