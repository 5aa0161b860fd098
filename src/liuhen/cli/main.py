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
    execute_from_command_line(["liuhen", *args])


USAGE = """usage: liuhen COMMAND [options]

  serve                 run the web application and API (gunicorn) and the background worker
  migrate               create or update the database
  demo                  load the demo agencies, users and cases (idempotent)
  createuser USERNAME   create a user (--agency CODE --roles officer,handler --name 姓名 …)
  token USERNAME        issue an API token for a user
  case list             list cases (--agency CODE --stage STAGE)
  case show NO          show one case and its whole-process timeline
  case export NO --json export a case as JSON

Every Django management command works too (liuhen help lists them)."""


if __name__ == "__main__":
    main()
