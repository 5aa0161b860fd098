"""The ingest station: copy a body camera's recordings to a Liuhen server and say when it is safe to wipe.

Talks HTTP only (no database, no Django), so it works against the local installation or a remote one:
lists the agency's devices, hashes each file, skips content the server already has, uploads the rest with
tus (resumable: upload URLs are remembered in a state file next to the manifest), asks the server to
confirm each file's SHA-256, and writes a JSON manifest. The camera is safe to wipe only when every
file is confirmed.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import requests
from tusclient.client import TusClient

from liuhen.core import clock

CHUNK = 64 * 1024 * 1024
_STAMP = re.compile(r"(20\d{6})[_-]?(\d{6})")


@dataclass
class IngestItem:
    path: str
    size: int
    sha256: str = ""
    device_no: str = ""
    officers: list[str] = field(default_factory=list)
    captured_start: str | None = None
    captured_end: str | None = None
    status: str = "pending"  # already_stored, uploaded, failed
    media_ids: list[int] = field(default_factory=list)
    confirmed: bool = False
    error: str = ""


@dataclass
class IngestOptions:
    server: str
    token: str
    case_id: int | None = None  # None: footage not yet tied to a case, linked on the server later
    activity: str = ""
    device_no: str = ""
    officers: list[str] = field(default_factory=list)
    state_file: Path | None = None


class ServerApi:
    """The few endpoints the station uses."""

    def __init__(self, server: str, token: str) -> None:
        self.base = server.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def devices(self) -> list[dict]:
        response = self.session.get(f"{self.base}/api/devices", timeout=30)
        response.raise_for_status()
        return response.json()

    def stored(self, sha256: str) -> list[dict]:
        response = self.session.get(f"{self.base}/api/media/exists", params={"sha256": sha256}, timeout=30)
        response.raise_for_status()
        return response.json()["media"]

    def upload_offset(self, url: str) -> int | None:
        response = self.session.head(url, headers={"Tus-Resumable": "1.0.0"}, timeout=30)
        return int(response.headers["Upload-Offset"]) if response.status_code == 200 else None


def walk(root: Path) -> Iterator[Path]:
    """Every regular, non-hidden file under ``root``, in a stable order."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(root).parts):
            yield path


def match_device(relative: str, devices: list[dict]) -> dict | None:
    """The registered device whose number appears in the file's path (the longest number wins)."""
    hits = [d for d in devices if d["number"] and d["number"].lower() in relative.lower()]
    return max(hits, key=lambda d: len(d["number"]), default=None)


def capture_times(path: Path) -> tuple[str | None, str | None]:
    """Start from a ``YYYYMMDD_HHMMSS`` stamp in the name (camera local time), end from the file's mtime."""
    start: datetime | None = None
    if m := _STAMP.search(path.name):
        with_zone = datetime.strptime("".join(m.groups()), "%Y%m%d%H%M%S").replace(tzinfo=clock.SHANGHAI)
        start = with_zone.astimezone(UTC)
    end = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    if start is None:
        return None, end.isoformat()
    return start.isoformat(), (None if end < start else end.isoformat())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, out: TextIO = sys.stderr) -> None:
        self.total, self.done, self.out = max(total, 1), 0, out

    def advance(self, n: int, label: str) -> None:
        self.done += n
        pct = min(100, self.done * 100 // self.total)
        bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
        self.out.write(f"\r[{bar}] {pct:3d}% {self.done / 2**20:9.1f} MiB  {label[-40:]:40}")
        self.out.flush()

    def close(self) -> None:
        self.out.write("\n")
        self.out.flush()


class UrlMemory:
    """sha256 → tus upload URL, so an interrupted ingest resumes where it stopped."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.urls: dict[str, str] = json.loads(path.read_text()) if path and path.exists() else {}

    def get(self, sha256: str) -> str | None:
        return self.urls.get(sha256)

    def put(self, sha256: str, url: str | None) -> None:
        if url is None:
            self.urls.pop(sha256, None)
        else:
            self.urls[sha256] = url
        if self.path is not None:
            self.path.write_text(json.dumps(self.urls, indent=1))


def ingest(root: Path, opts: IngestOptions, *, progress_out: TextIO = sys.stderr) -> list[IngestItem]:
    """Ingest every file under ``root``; return one item per file (see :func:`safe_to_wipe`)."""
    api = ServerApi(opts.server, opts.token)
    devices = api.devices()
    items = [_describe(path, root, devices, opts) for path in walk(root)]
    progress = Progress(sum(i.size for i in items), progress_out)
    memory = UrlMemory(opts.state_file)
    for item in items:
        try:
            _ingest_one(item, root, api, opts, memory, progress)
        except (requests.RequestException, OSError, RuntimeError) as exc:
            item.status, item.error = "failed", str(exc)[:500]
    progress.close()
    return items


def _describe(path: Path, root: Path, devices: list[dict], opts: IngestOptions) -> IngestItem:
    relative = str(path.relative_to(root))
    device = None if opts.device_no else match_device(relative, devices)
    holder = (device or {}).get("holder_name") or ""
    start, end = capture_times(path)
    return IngestItem(
        path=relative,
        size=path.stat().st_size,
        device_no=opts.device_no or (device or {}).get("number", ""),
        officers=list(opts.officers) or ([holder] if holder else []),
        captured_start=start,
        captured_end=end,
    )


def _ingest_one(item, root, api: ServerApi, opts, memory: UrlMemory, progress: Progress) -> None:
    path = root / item.path
    item.sha256 = sha256_of(path)
    if _confirm(item, api):
        item.status = "already_stored"
        progress.advance(item.size, item.path)
        return
    _upload(path, item, api, opts, memory, progress)
    memory.put(item.sha256, None)
    item.status = "uploaded"
    if not _confirm(item, api):
        raise RuntimeError("服务器未确认该文件的 SHA-256")


def _confirm(item: IngestItem, api: ServerApi) -> bool:
    """The server holds a record whose SHA-256 (computed by the server) and size match the local file."""
    copies = [m for m in api.stored(item.sha256) if m["size"] == item.size]
    item.media_ids = [m["id"] for m in copies]
    item.confirmed = bool(copies)
    return item.confirmed


def _upload(
    path: Path, item: IngestItem, api: ServerApi, opts, memory: UrlMemory, progress: Progress
) -> None:
    client = TusClient(
        f"{api.base}/api/uploads/", headers={"Authorization": api.session.headers["Authorization"]}
    )
    url = memory.get(item.sha256)
    resumed_at = api.upload_offset(url) if url else None
    uploader = client.uploader(
        file_path=str(path),
        chunk_size=CHUNK,
        metadata=_labels(item, path, opts),
        url=url if resumed_at is not None else None,
        retries=3,
        retry_delay=2,
    )
    memory.put(item.sha256, uploader.url)
    progress.advance(uploader.offset, item.path)
    while uploader.offset < item.size:
        before = uploader.offset
        uploader.upload_chunk()
        progress.advance(uploader.offset - before, item.path)


def _labels(item: IngestItem, path: Path, opts: IngestOptions) -> dict[str, str]:
    labels = {
        "case_id": str(opts.case_id) if opts.case_id is not None else "",
        "filename": path.name,
        "sha256": item.sha256,
        "device_no": item.device_no,
        "officers": ",".join(item.officers),
        "activity": opts.activity,
        "captured_start": item.captured_start or "",
        "captured_end": item.captured_end or "",
    }
    return {k: v for k, v in labels.items() if v}


def safe_to_wipe(items: list[IngestItem]) -> bool:
    return bool(items) and all(i.confirmed for i in items)


def write_manifest(
    path: Path,
    items: list[IngestItem],
    *,
    source: Path,
    server: str,
    started: datetime,
    case_id: int | None = None,
) -> None:
    manifest = {
        "station": "liuhen ingest",
        "source": str(source),
        "server": server,
        "case_id": case_id,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "safe_to_wipe": safe_to_wipe(items),
        "files": [asdict(i) for i in items],
    }
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
