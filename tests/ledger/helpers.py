"""Shared helpers for the ledger tests: media with real blobs, trigger removal, raw SQL."""

from __future__ import annotations

from pathlib import Path

from django.db import connection

from liuhen.cases.blobs import blob_store
from liuhen.core.append_only import remove_statements
from liuhen.evidence.services.media import media_record_create
from liuhen.ledger.services import EntryDraft, ledger_append_many


def make_media(case, user, tmp_path: Path, content: bytes = b"video bytes \x00\x01" * 100):
    source = tmp_path / f"upload-{len(content)}-{content[:4].hex()}.bin"
    source.write_bytes(content)
    blob = blob_store().put_file(source)
    return media_record_create(
        case=case,
        uploaded_by=user,
        sha256=blob.sha256,
        size=blob.size,
        storage_key=blob.key,
        kind="video",
        title="现场录像",
    )


def drop_triggers(table: str) -> None:
    """What an attacker with database access does first."""
    with connection.cursor() as cursor:
        for sql in remove_statements(connection.vendor, table):
            cursor.execute(sql)


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def append_n(n: int, action: str = "test.entry") -> None:
    ledger_append_many(drafts=[EntryDraft(action, objects={"n": i}, details={"i": i}) for i in range(n)])


def blob_path(sha256: str) -> Path:
    return blob_store().path_for(sha256)
