"""``liuhen ingest PATH``: the ingest station for a mounted body-camera folder (see ``liuhen.evidence.ingest``)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liuhen.evidence.ingest import IngestOptions, ingest, safe_to_wipe, write_manifest


class Command(BaseCommand):
    help = "Upload a body camera's recordings (resumable), confirm each SHA-256 with the server, write a manifest."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--server", default=os.environ.get("LIUHEN_SERVER", "http://127.0.0.1:8000"))
        parser.add_argument("--token", default=os.environ.get("LIUHEN_TOKEN", ""))
        parser.add_argument(
            "--case", type=int, help="案件 id（不填：先入库，之后在「待关联音像」中关联到案件）"
        )
        parser.add_argument("--activity", default="", help="执法环节代码，如 inspection")
        parser.add_argument("--device", default="", help="设备编号（默认按路径匹配设备登记簿）")
        parser.add_argument("--officer", action="append", default=[], help="执法人员（默认为设备领用人）")
        parser.add_argument("--manifest", type=Path, help="清单文件（默认 PATH 旁的 ingest-<时间>.json）")

    def handle(self, *args, **o):
        root: Path = o["path"]
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder")
        if not o["token"]:
            raise CommandError("an API token is needed: --token T or LIUHEN_TOKEN (liuhen token USERNAME)")
        started = datetime.now(UTC)
        manifest = o["manifest"] or root.parent / f"ingest-{started:%Y%m%dT%H%M%SZ}.json"
        state_file = manifest.with_suffix(".state.json")
        opts = IngestOptions(
            server=o["server"],
            token=o["token"],
            case_id=o["case"],
            activity=o["activity"],
            device_no=o["device"],
            officers=o["officer"],
            state_file=state_file,
        )
        items = ingest(root, opts)
        write_manifest(manifest, items, source=root, server=o["server"], started=started, case_id=o["case"])
        for item in items:
            mark = "OK " if item.confirmed else "ERR"
            self.stdout.write(f"{mark} {item.status:15} {item.sha256[:16]} {item.path} {item.error}")
        self.stdout.write(f"manifest: {manifest}")
        if not safe_to_wipe(items):
            raise CommandError(
                f"NOT safe to wipe the camera: {sum(not i.confirmed for i in items)} file(s) unconfirmed"
            )
        state_file.unlink(missing_ok=True)
        if o["case"] is None:
            self.stdout.write("not linked to a case yet: link them under 待关联音像 (/media/unassigned/)")
        self.stdout.write(
            self.style.SUCCESS(f"SAFE TO WIPE: all {len(items)} file(s) confirmed by the server (SHA-256)")
        )
