"""Who a console command acts as: a real user, scoped by the one access layer like the web and API.

Reading commands take ``--as USERNAME`` (or ``LIUHEN_USER``); there is no stand-in operator that sees
everything. (Whoever runs commands on the server can read the database directly; the point is that
the console's reads are scoped, masked and logged exactly as everyone else's.)
"""

from __future__ import annotations

import os

from django.core.management.base import CommandError

from liuhen.accounts.models import User


def add_acting_argument(parser) -> None:
    parser.add_argument(
        "--as",
        dest="acting_user",
        default=os.environ.get("LIUHEN_USER", ""),
        help="the user to act as (default: $LIUHEN_USER)",
    )


def acting_user(username: str) -> User:
    if not username:
        raise CommandError("say which user you act as: --as USERNAME (or set LIUHEN_USER)")
    user = User.objects.filter(username=username, is_active=True).select_related("agency").first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user
