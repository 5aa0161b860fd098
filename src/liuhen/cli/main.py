"""The ``liuhen`` command: Liuhen's own commands (serve, demo, createuser, case, ledger, rules, verify …)
plus Django's management commands (migrate, check …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(USAGE)
        return
    from django.db import DatabaseError

    try:
        execute_from_command_line(["liuhen", *args])
    except DatabaseError as exc:  # e.g. a database never migrated: one line, not a trace
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = (
            " (run 'liuhen migrate' first)" if "no such table" in first or "does not exist" in first else ""
        )
        sys.exit(f"liuhen: database error: {first}{hint}")


USAGE = """usage: liuhen COMMAND [options]

  serve                 run the web application and API (gunicorn) and the background worker
  migrate               create or update the database
  demo                  load the demo agencies, users and cases (idempotent)
  createuser USERNAME   create a user (--agency CODE --roles officer,handler --name 姓名 …)
  token USERNAME        issue an API token for a user
  unlock USERNAME       lift a login lockout (--address IP for an address)
  case list             list cases (--agency CODE --stage STAGE); the case commands, compliance show
                        and devices list act as a user: --as USERNAME (or $LIUHEN_USER), scoped,
                        masked and logged like the web
  case show NO          show one case and its whole-process timeline
  case export NO --json export a case as JSON
  ledger public-key     the log's verifier key (checkpoint, entry --index N, prove-inclusion --index N,
                        prove-consistency --old S1 [--new S2], witness, export, rotate-key, fixity)
  verify                check the ledger, checkpoints, records and stored files (exit 1 + one line each)
  scheduler             enqueue periodic checkpoints and fixity checks (started by serve)
  ingest PATH           upload a body camera's folder (resumable), confirm SHA-256s, say when safe to wipe
                        (--case ID, or link later under 待关联音像; --server URL --token T,
                        default http://127.0.0.1:8000 and $LIUHEN_TOKEN)
  uploads list|retry ID uploads not yet recorded; retry a failed or held hand-off now
  devices list|register|event   the recording-device registry (hand-out, return, check, fault, repair, retire)
  rules list            the shipped rule profiles (one per agency regulation)
  rules show PROFILE    render a profile as a document to file with the justice bureau
  rules validate FILE   check a profile file (exit 1 + one line per error: location: message)
  compliance refresh    recompute every case's findings and today's totals (--agency CODE)
  compliance show NO    one case's findings: overdue, missing, violated, pending (--all: satisfied too)

Every Django management command works too (liuhen help lists them)."""


if __name__ == "__main__":
    main()
