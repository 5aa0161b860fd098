"""``liuhen rules validate FILE | show PROFILE | list``: check, render and list rule profiles."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from liuhen.rules import (
    ProfileInvalid,
    load_profile,
    render_profile,
    shipped_profile_ids,
    validate_profile_file,
)


class Command(BaseCommand):
    help = "Validate, render and list the agencies' rule profiles."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate", help="check a profile file; one line per error")
        validate.add_argument("file")
        show = sub.add_parser("show", help="render a profile as a document (Markdown)")
        show.add_argument("profile", help="a shipped profile id or a path to a .toml file")
        sub.add_parser("list", help="list the shipped profiles")

    def handle(self, *args, **o):
        getattr(self, f"_{o['action']}")(o)

    def _validate(self, o):
        errors = validate_profile_file(o["file"])
        for error in errors:
            self.stderr.write(f"{error.location}: {error.message}")
        if errors:
            raise CommandError(f"{o['file']}: {len(errors)} error(s)", returncode=1)
        self.stdout.write(f"{o['file']}: OK")

    def _show(self, o):
        self.stdout.write(render_profile(_load(o["profile"])), ending="")

    def _list(self, o):
        for profile_id in shipped_profile_ids():
            profile = load_profile(profile_id)
            self.stdout.write(f"{profile.id}\t{len(profile.rules)} rules\t{profile.name_zh}")


def _load(name: str):
    try:
        return load_profile(name)
    except FileNotFoundError:
        raise CommandError(f"no profile {name!r} (try: liuhen rules list)") from None
    except ProfileInvalid as exc:
        raise CommandError(str(exc)) from None
