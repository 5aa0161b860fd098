"""``liuhen uploads``: tus uploads not yet recorded, and a person's retry of a failed hand-off.

``list`` prints one line per upload (receiving, complete = hand-off failed and will be retried,
held = retries stopped, needs a person); ``retry ID`` makes one hand-off attempt now and exits
non-zero with a one-line reason if it still fails.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError

from liuhen.evidence.models import MediaIntake
from liuhen.evidence.services.held_uploads import local_minute, upload_filename, upload_uploader
from liuhen.evidence.tus_view import tus_server
from liuhen.uploads import TusServer
from liuhen.uploads.state import NotAwaitingHandoff, UploadInfo, UploadLocked

STATES = ["receiving", "complete", "held"]


class Command(BaseCommand):
    help = "List tus uploads not yet recorded (receiving, complete, held) and retry a failed hand-off."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="uploads not yet recorded, oldest first")
        listing.add_argument("--state", choices=STATES, action="append", help="only these (repeatable)")
        retry = sub.add_parser("retry", help="one hand-off attempt now, whatever the retry pause")
        retry.add_argument("upload_id")

    def handle(self, *args, **o):
        server = tus_server()
        if o["action"] == "list":
            return self._list(server, o["state"] or STATES)
        return self._retry(server, o["upload_id"])

    def _list(self, server: TusServer, states: list[str]) -> None:
        infos = server.files.infos(*states)  # type: ignore[arg-type]  # argparse checked the choices
        if not infos:
            self.stdout.write(f"no uploads ({', '.join(states)})")
        for info in infos:
            self.stdout.write(_line(server, info))

    def _retry(self, server: TusServer, upload_id: str) -> None:
        try:
            with _quiet("liuhen.uploads.tus"):  # the outcome is reported below, in one line
                info = server.retry_handoff(upload_id)
        except NotAwaitingHandoff as exc:
            raise CommandError(str(exc)) from None
        except UploadLocked:
            raise CommandError(
                f"upload {upload_id} is busy (a request is writing to it); try again"
            ) from None
        if info.state != "finalized":
            raise CommandError(
                f"upload {upload_id} still {info.state} after attempt {info.handoff_attempts}: {info.last_error}"
            )
        intake = MediaIntake.objects.filter(upload_id=upload_id).select_related("media").first()
        recorded = f" as media record {intake.media_id} (sha256 {intake.media.sha256})" if intake else ""
        self.stdout.write(self.style.SUCCESS(f"upload {upload_id} recorded{recorded}"))


def _line(server: TusServer, info: UploadInfo) -> str:
    uploader = upload_uploader(info)
    due = server.handoff.due_at(info)
    fields = [
        info.id,
        f"{info.state:9}",
        f"{info.offset}/{info.length}",
        f"attempts={info.handoff_attempts}",
        f"last={local_minute(info.last_attempt_at)}",
        f"next={local_minute(due.isoformat()) if due is not None else '-'}",
        f"by={uploader.username if uploader is not None else '?'}",
        repr(upload_filename(info)),
    ]
    return "  ".join(fields) + (f"  error: {info.last_error}" if info.last_error else "")


@contextlib.contextmanager
def _quiet(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
