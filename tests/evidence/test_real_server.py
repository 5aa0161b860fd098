"""Against a real ``liuhen serve`` (gunicorn): kill -9 mid-upload and resume with tuspy; the ingest station."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from tusclient.client import TusClient

from tests.evidence.conftest import MIB, meta, payload
from tests.live_server import free_port

pytestmark = pytest.mark.slow
LIUHEN = [sys.executable, "-m", "liuhen.cli.main"]
_SETUP = """
from liuhen.accounts.models import Agency, OrgUnit
from liuhen.accounts.services import token_issue, user_create
from liuhen.cases.services import case_open, party_create
from liuhen.evidence.services.devices import device_event, device_register
agency = Agency.objects.create(code="e2e", name="端到端测试局", short_name="测", case_prefix="测罚", profile_id="dalian-cg")
officer = user_create(username="zs", password="pw-bench-2026", agency=agency, roles=["officer", "handler"], full_name="张三", certificate_no="21000001")
keeper = user_create(username="keeper", password="pw-bench-2026", agency=agency, roles=["device_custodian"])
party = party_create(created_by=officer, kind="person", name="王某", id_type="居民身份证", id_number="210203199001011234")
case = case_open(opened_by=officer, procedure="general", initiation_kind="ex_officio", cause="占道经营", parties=[party])
cam = device_register(by=keeper, number="DSJ-0042", kind="body_camera")
device_event(device=cam, by=keeper, kind="handed_out", holder=officer)
print("LIUHEN-E2E", case.pk, token_issue(user=officer))
"""


class LiveServer:
    def __init__(self, data_dir: Path) -> None:
        self.env = {
            **os.environ,
            "LIUHEN_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "liuhen.settings",
            "LIUHEN_UPLOAD_CHECKPOINT_BYTES": str(
                8 * MIB
            ),  # a durable point every 8 MiB, below the file size
        }
        self.env.pop("DATABASE_URL", None)  # its own SQLite under the data dir
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*LIUHEN, *args], env=self.env, capture_output=True, text=True, check=False, **kw
        )

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [*LIUHEN, "serve", "--port", str(self.port), "--no-worker"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.options(f"{self.url}/api/uploads/", timeout=10)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill9(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


@pytest.fixture
def live(tmp_path):
    server = LiveServer(tmp_path / "data")
    assert server.run("migrate", "-v0").returncode == 0
    out = server.run("shell", "-c", _SETUP)
    line = next((x for x in out.stdout.splitlines() if x.startswith("LIUHEN-E2E")), None)
    assert line, out.stdout + out.stderr
    _, case_id, token = line.split()
    server.start()
    yield server, int(case_id), token
    if server.proc and server.proc.poll() is None:
        server.kill9()


def _send_part_then_hang(url: str, token: str, data: bytes, sent: int) -> socket.socket:
    """PATCH promising all of ``data`` but sending only ``sent`` bytes; the connection stays open."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    head = (
        f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nTus-Resumable: 1.0.0\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/offset+octet-stream\r\n"
        f"Upload-Offset: 0\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    sock.sendall(head.encode() + data[:sent])
    return sock


def _wait_for_durable_offset(info: Path, at_least: int, timeout: float = 30.0) -> None:
    """Wait until the server has made ``at_least`` bytes durable (its state file says so)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(FileNotFoundError, ValueError):
            if json.loads(info.read_text("utf-8"))["offset"] >= at_least:
                return
        time.sleep(0.05)
    raise AssertionError(f"the server never made {at_least} bytes durable ({info})")


def test_given_server_killed_mid_upload_when_restarted_then_tuspy_resumes_to_same_sha256(live, tmp_path):
    """GIVEN 20 MiB of a 24 MiB PATCH sent WHEN the whole server is killed with SIGKILL and restarted THEN
    HEAD reports a durable offset and tuspy resumes from it; the record's SHA-256 is the file's."""
    server, case_id, token = live
    data = payload(24 * MIB, b"kill-9")
    source = tmp_path / "DSJ-0042_20260301_090000.mp4"
    source.write_bytes(data)
    auth = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    created = requests.post(
        f"{server.url}/api/uploads/",
        headers={**auth, "Upload-Length": str(len(data)), "Upload-Metadata": meta(case_id=str(case_id))},
        timeout=10,
    )
    url = server.url + created.headers["Location"]
    sock = _send_part_then_hang(url, token, data, 20 * MIB)
    _wait_for_durable_offset(server.data_dir / "uploads" / f"{url.rsplit('/', 1)[-1]}.info", 16 * MIB)
    server.kill9()
    sock.close()
    server.start()
    offset = int(requests.head(url, headers=auth, timeout=10).headers["Upload-Offset"])
    assert 16 * MIB <= offset <= 20 * MIB  # a saved checkpoint within what was sent, never beyond it

    uploader = TusClient(f"{server.url}/api/uploads/", headers={"Authorization": f"Bearer {token}"}).uploader(
        file_path=str(source), url=url, chunk_size=64 * MIB
    )
    assert uploader.offset == offset
    uploader.upload()
    digest = hashlib.sha256(data).hexdigest()
    found = requests.get(
        f"{server.url}/api/media/exists", params={"sha256": digest}, headers=auth, timeout=10
    )
    assert [m["size"] for m in found.json()["media"]] == [len(data)]


def test_given_camera_folder_when_ingested_twice_then_safe_to_wipe_and_second_run_skips(live, tmp_path):
    """GIVEN a camera folder of DSJ-0042 (held by 张三) WHEN ingested THEN each file is uploaded, confirmed,
    labelled with device and officer, the manifest says safe to wipe; a second run uploads nothing."""
    server, case_id, token = live
    camera = tmp_path / "camera" / "DCIM" / "DSJ-0042"
    camera.mkdir(parents=True)
    (camera / "DSJ-0042_20260301_090000.mp4").write_bytes(payload(3 * MIB, b"one"))
    (camera / "DSJ-0042_20260301_093000.mp4").write_bytes(payload(MIB + 3, b"two"))
    manifest = tmp_path / "manifest.json"
    args = [
        "ingest",
        str(tmp_path / "camera"),
        "--server",
        server.url,
        "--token",
        token,
        "--case",
        str(case_id),
    ]
    first = server.run(*args, "--manifest", str(manifest), timeout=120)
    assert first.returncode == 0, first.stderr
    assert "SAFE TO WIPE" in first.stdout and "100%" in first.stderr
    files = json.loads(manifest.read_text())["files"]
    assert [(f["status"], f["device_no"], f["officers"], f["confirmed"]) for f in files] == [
        ("uploaded", "DSJ-0042", ["张三"], True)
    ] * 2
    assert files[0]["captured_start"] == "2026-03-01T01:00:00+00:00"
    again = server.run(*args, "--manifest", str(manifest), timeout=120)
    assert again.returncode == 0
    assert [f["status"] for f in json.loads(manifest.read_text())["files"]] == ["already_stored"] * 2


def test_given_camera_folder_when_ingested_without_case_then_stored_unassigned(live, tmp_path):
    """GIVEN a docked camera whose footage belongs to no known case yet WHEN ingested without --case
    THEN it is confirmed (safe to wipe), says it still needs linking, and waits under 待关联音像."""
    server, _, token = live
    camera = tmp_path / "dock" / "DSJ-0042"
    camera.mkdir(parents=True)
    (camera / "DSJ-0042_20260302_100000.mp4").write_bytes(payload(MIB // 2, b"no-case"))
    manifest = tmp_path / "dock.json"

    done = server.run(
        "ingest", str(tmp_path / "dock"), "--server", server.url, "--token", token, "--manifest", str(manifest),
        timeout=120,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "SAFE TO WIPE" in done.stdout and "待关联音像" in done.stdout
    (item,) = json.loads(manifest.read_text())["files"]
    waiting = requests.get(
        f"{server.url}/api/media/unassigned", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).json()
    assert item["media_ids"] and item["media_ids"][0] in [m["id"] for m in waiting]
    assert json.loads(manifest.read_text())["case_id"] is None
