"""A full disk or database: 507 in the error shape (API, tus) or a Chinese page (web), never a 500;
reads that write nothing keep working; nothing half-written; everything succeeds once space is freed.

How a full disk is made:

- the SQLite error itself: a WAL database file with ``PRAGMA max_page_count`` pinned just above its
  size refuses to grow with SQLITE_FULL ("database or disk is full"), which ``is_disk_full`` knows;
- a full database under the application: :class:`FullDatabase` makes every INSERT and UPDATE fail with
  the driver's disk-full error at the database boundary (why not the pragma there: see the class);
- a full file system for tus uploads: a tiny tmpfs filled with a ballast file (needs root and
  permission to mount; skipped with the reason where either is missing).

The same tests run on PostgreSQL (``./scripts/with-postgres.sh``): there the error is
``psycopg.errors.DiskFull`` (SQLSTATE 53100).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.test import Client

from liuhen.accounts.services import token_issue
from liuhen.accounts.sessions import FALLBACK_PREFIX
from liuhen.cases.models import Case
from liuhen.core.diskfull import is_disk_full
from liuhen.ledger.models import LedgerEntry
from liuhen.storage import StorageFull
from tests.evidence.conftest import meta, payload
from tests.factories import make_agency, make_case, make_party, make_user

# --------------------------------------------------------------------------- is_disk_full (pure)


def test_given_each_form_of_a_full_disk_when_classified_then_disk_full_and_nothing_else_is():
    """GIVEN ENOSPC, EDQUOT, StorageFull and a real SQLITE_FULL wrapped as Django wraps it WHEN
    classified THEN each is a full disk; other OS, SQLite and generic errors are not."""
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as inner:
            raise OperationalError(str(inner)) from inner
    except OperationalError as wrapped:
        django_full = wrapped

    class PgDiskFull(Exception):
        sqlstate = "53100"

    class PgTooManyConnections(Exception):
        sqlstate = "53300"

    full = [OSError(errno.ENOSPC, "No space"), OSError(errno.EDQUOT, "quota"), StorageFull("x"), django_full]
    full.append(PgDiskFull("could not extend file"))
    other = [OSError(errno.EACCES, "denied"), sqlite3.OperationalError("database is locked"), ValueError()]
    other.append(PgTooManyConnections("too many clients"))

    assert all(is_disk_full(exc) for exc in full)
    assert not any(is_disk_full(exc) for exc in other) and not is_disk_full(None)


def test_given_a_wal_database_pinned_at_its_page_count_when_it_grows_then_sqlite_full_is_recognised(tmp_path):
    """GIVEN a SQLite file in WAL mode with ``max_page_count`` just above its size WHEN rows are added
    until it refuses THEN the error is SQLITE_FULL and is_disk_full says so; an in-place update still
    works; raising the limit again (space freed) lets the same insert through."""
    db = sqlite3.connect(tmp_path / "wal.sqlite3", isolation_level=None)
    assert db.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    db.execute("CREATE TABLE t (x BLOB)")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")

    with pytest.raises(sqlite3.OperationalError) as refused:
        for _ in range(100):
            db.execute("INSERT INTO t VALUES (randomblob(3000))")
    db.execute("UPDATE t SET x = randomblob(3000) WHERE rowid = 1")
    db.execute("PRAGMA max_page_count = 1073741823")
    db.execute("INSERT INTO t VALUES (randomblob(3000))")

    assert refused.value.sqlite_errorcode == sqlite3.SQLITE_FULL and is_disk_full(refused.value)
    db.close()


# --------------------------------------------------------------------------- a full database


class FullDatabase:
    """Refuses every statement that needs room (INSERT, UPDATE) the way a full database does.

    Installed with Django's ``connection.execute_wrapper`` (the database boundary, not our code): the
    statement fails with the driver's own disk-full error — SQLite's "database or disk is full",
    PostgreSQL's ``psycopg.errors.DiskFull`` (53100) — wrapped in ``django.db.OperationalError`` as
    Django wraps it. Reads and DELETEs pass. Why not ``max_page_count`` here as above: a real SQLITE_FULL
    in a plain INSERT rolls back the *whole* transaction, which in a test is the test's own transaction
    (every row made so far would vanish and later writes would autocommit into the shared test database).
    The real thing is covered by the WAL test above; what the adapters see is the same exception.
    """

    def __init__(self) -> None:
        self._stack: contextlib.ExitStack | None = None
        self.refused: list[str] = []

    def fill(self) -> None:
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(connection.execute_wrapper(self._refuse_growth))

    def free(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    def _refuse_growth(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            self.refused.append(sql)
            raise OperationalError("database or disk is full") from _driver_disk_full()
        return execute(sql, params, many, context)


def _driver_disk_full() -> Exception:
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.errors.DiskFull("could not extend file: No space left on device")
    return sqlite3.OperationalError("database or disk is full")


@pytest.fixture
def full_database() -> Iterator[FullDatabase]:
    state = FullDatabase()
    yield state
    state.free()


@contextlib.contextmanager
def _tmpfs(size: str) -> Iterator[Path]:
    """A fresh tmpfs of ``size`` (root and mount permission needed; skips the test otherwise)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full file system is simulated with a tmpfs mount, which needs root")
    where = Path(f"/tmp/liuhen-full-{uuid.uuid4().hex[:8]}")
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=False)
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip("mounting a tmpfs is not permitted here (no CAP_SYS_ADMIN)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def _fill(directory: Path) -> Path:
    """Write a ballast file until the file system under ``directory`` has no byte left."""
    ballast = directory / "ballast"
    with open(ballast, "wb", buffering=0) as fh:
        for block in (b"\0" * 65536, b"\0"):
            with contextlib.suppress(OSError):
                while fh.write(block):
                    pass
    return ballast


# --------------------------------------------------------------------------- the adapters


@pytest.fixture
def officer(db):
    return make_user(make_agency(), ["officer", "handler"], name="张伟")


def _api(client: Client, token: str):
    def call(method: str, path: str, body=None):
        data = json.dumps(body) if body is not None else None
        headers = {"Authorization": f"Bearer {token}"}
        return client.generic(
            method.upper(), f"/api{path}", data=data, content_type="application/json", headers=headers
        )

    return call


def _case_body(party_id: int) -> dict:
    return {
        "procedure": "general",
        "initiation_kind": "ex_officio",
        "cause": "占道经营",
        "summary": "现场检查发现占道经营。",
        "party_ids": [party_id],
    }


def _every_case_has_its_entry() -> bool:
    opened = LedgerEntry.objects.filter(action="case.opened").count()
    return Case.objects.count() == opened


@pytest.mark.django_db
def test_given_a_full_database_when_an_api_write_is_made_then_507_nothing_partial_and_retry_succeeds(
    officer, full_database
):
    """GIVEN a full database WHEN a case is opened through the API THEN 507 in the error shape, no case
    and no ledger entry were written, and reads answer 200; WHEN space is freed and the same request is
    sent again THEN 201, and every case has its ledger entry."""
    api = _api(Client(), token_issue(user=officer))
    party = make_party(officer)
    before = Case.objects.count()
    full_database.fill()

    refused = api("post", "/cases", _case_body(party.pk))
    listed = api("get", "/cases")

    assert refused.status_code == 507, refused.content
    assert refused.json()["error"] == "insufficient_storage" and set(refused.json()) == {
        "error",
        "message",
        "errors",
    }
    assert Case.objects.count() == before and _every_case_has_its_entry()
    assert listed.status_code == 200

    full_database.free()
    retried = api("post", "/cases", _case_body(party.pk))

    assert retried.status_code == 201, retried.content
    assert Case.objects.count() == before + 1 and _every_case_has_its_entry()


@pytest.mark.django_db
def test_given_a_full_database_when_a_web_form_is_posted_then_a_chinese_507_page_and_reads_work(
    client, officer, full_database
):
    """GIVEN a logged-in officer and a full database WHEN the new-case form is posted THEN a 507 page in
    Chinese says storage is full and nothing was saved; the case list still opens."""
    client.force_login(officer)
    make_case(officer)
    full_database.fill()
    form = {
        "procedure": "general",
        "initiation_kind": "ex_officio",
        "cause": "擅自占用城市道路",
        "summary": "巡查发现",
        "source": "日常巡查",
        "new_party_kind": "person",
        "new_party_name": "赵某",
        "new_party_id_type": "居民身份证",
        "new_party_id_number": "210203199001011234",
    }

    refused = client.post("/cases/new/", form)
    listed = client.get("/")

    assert refused.status_code == 507 and "存储空间不足" in refused.content.decode()
    assert not Case.objects.filter(cause="擅自占用城市道路").exists() and _every_case_has_its_entry()
    assert listed.status_code == 200


@pytest.mark.django_db
def test_given_a_full_database_when_an_officer_logs_in_then_logged_in_reads_work_and_writes_are_507(
    officer, full_database
):
    """GIVEN a full database WHEN an officer logs in with the right password THEN the login works (the
    session is carried in a signed, short-lived key instead of a row) and the case list opens, while a
    write answers the Chinese 507 page; WHEN space is freed THEN the next login's session is a row."""
    client = Client()
    party = make_party(officer)
    full_database.fill()

    logged_in = client.post("/login/", {"username": officer.username, "password": "test-password-1"})
    carried = client.cookies["sessionid"].value
    listed = client.get("/")
    refused = client.post("/api/cases", _case_body(party.pk), content_type="application/json")

    assert logged_in.status_code == 302 and carried.startswith(FALLBACK_PREFIX)
    assert listed.status_code == 200 and officer.display_name in listed.content.decode()
    assert refused.status_code == 507 and refused.json()["error"] == "insufficient_storage"
    assert not Session.objects.exists()

    full_database.free()
    client.post("/logout/")
    again = client.post("/login/", {"username": officer.username, "password": "test-password-1"})

    assert again.status_code == 302 and not client.cookies["sessionid"].value.startswith(FALLBACK_PREFIX)
    assert Session.objects.count() == 1 and client.get("/").status_code == 200


@pytest.mark.django_db
def test_given_a_forged_or_expired_carried_session_when_presented_then_it_is_not_a_login(
    officer, monkeypatch
):
    """GIVEN a carried session key signed with another secret, or signed by the site over an hour ago
    WHEN presented THEN the visitor is anonymous (sent to the login page); a fresh one is a login."""
    import time

    from django.core import signing

    from liuhen.accounts.sessions import FALLBACK_MAX_AGE, FALLBACK_SALT, SessionStore

    client = Client()
    client.force_login(officer)
    data = SessionStore(session_key=client.cookies["sessionid"].value).load()
    fresh = FALLBACK_PREFIX + signing.dumps(data, salt=FALLBACK_SALT)
    forged = FALLBACK_PREFIX + signing.dumps(data, key="not-the-site-secret", salt=FALLBACK_SALT)
    with monkeypatch.context() as past:
        past.setattr(time, "time", lambda: 1_000_000_000.0)  # 2001: far beyond the hour
        expired = FALLBACK_PREFIX + signing.dumps(data, salt=FALLBACK_SALT)

    outcomes = {}
    for name, key in (("fresh", fresh), ("forged", forged), ("expired", expired)):
        client.cookies["sessionid"] = key
        outcomes[name] = client.get("/").status_code

    assert outcomes == {"fresh": 200, "forged": 302, "expired": 302}
    assert FALLBACK_MAX_AGE == 3600


@pytest.mark.django_db
def test_given_a_logged_in_officer_when_the_database_fills_then_reads_open_and_logged_reads_fail_closed(
    client, officer, full_database
):
    """GIVEN an officer logged in before the database filled up WHEN they open the case list (web and
    API) THEN 200: reading writes nothing. WHEN they open a case page, whose read of personal data must
    be written to the ledger THEN 507, not the page: no read that must be logged happens unlogged."""
    case = make_case(officer)
    client.force_login(officer)
    full_database.fill()

    lists = [client.get("/"), client.get("/api/cases")]
    logged_read = client.get(f"/cases/{case.pk}/")

    assert [page.status_code for page in lists] == [200, 200]
    assert logged_read.status_code == 507 and "存储空间不足" in logged_read.content.decode()
    assert any("ledger_ledgerentry" in sql for sql in full_database.refused)


# --------------------------------------------------------------------------- tus


@pytest.fixture
def tus_client(settings, tmp_path, officer):
    from liuhen.evidence import tus_view

    settings.LIUHEN_UPLOAD_DIR = str(tmp_path / "uploads")
    tus_view._server.cache_clear()
    yield Client(), token_issue(user=officer), make_case(officer)
    tus_view._server.cache_clear()


def _tus_headers(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0", **extra}


@pytest.mark.django_db
def test_given_a_full_upload_disk_when_an_upload_is_created_then_507_json_and_nothing_left(
    settings, tus_client
):
    """GIVEN the upload directory's file system is full WHEN a tus upload is created THEN 507 in the
    error shape (not an HTML 500) and no half-made upload is left; WHEN space is freed THEN 201."""
    from liuhen.evidence import tus_view

    client, token, case = tus_client
    with _tmpfs("64k") as where:
        settings.LIUHEN_UPLOAD_DIR = str(where / "uploads")
        tus_view._server.cache_clear()
        ballast = _fill(where)
        headers = _tus_headers(
            token, **{"Upload-Length": "10", "Upload-Metadata": meta(case_id=str(case.pk))}
        )

        refused = client.generic("POST", "/api/uploads/", headers=headers)
        left = sorted(p.name for p in (where / "uploads").iterdir())
        ballast.unlink()
        created = client.generic("POST", "/api/uploads/", headers=headers)

    assert refused.status_code == 507 and refused["Content-Type"] == "application/json"
    assert refused.json()["error"] == "insufficient_storage" and left == []
    assert created.status_code == 201


@pytest.mark.django_db
def test_given_a_full_database_when_an_upload_completes_then_507_bytes_kept_and_retry_records_once(
    tus_client, full_database
):
    """GIVEN every byte of an upload is in but the database is full WHEN the last PATCH arrives THEN
    507 in the error shape and no media record; WHEN space is freed and the client retries at the final
    offset THEN 204 with exactly one media record and its ledger entry."""
    from liuhen.evidence.models import MediaRecord

    client, token, case = tus_client
    data = payload(200_000, b"full-db")
    labels = meta(case_id=str(case.pk), title="现场" * 90, location="某路" * 90)
    created = client.generic(
        "POST",
        "/api/uploads/",
        headers=_tus_headers(token, **{"Upload-Length": str(len(data)), "Upload-Metadata": labels}),
    )
    url = created["Location"]
    patch = _tus_headers(token, **{"Content-Type": "application/offset+octet-stream"})
    full_database.fill()

    refused = client.generic(
        "PATCH",
        url,
        data=data,
        content_type="application/offset+octet-stream",
        headers={**patch, "Upload-Offset": "0"},
    )

    assert refused.status_code == 507, refused.content
    assert refused.json()["error"] == "insufficient_storage" and not MediaRecord.objects.exists()

    full_database.free()
    done = client.generic(
        "PATCH",
        url,
        data=b"",
        content_type="application/offset+octet-stream",
        headers={**patch, "Upload-Offset": str(len(data))},
    )

    assert done.status_code == 204, done.content
    assert MediaRecord.objects.count() == 1
    assert LedgerEntry.objects.filter(action="media.intake").count() == 1
