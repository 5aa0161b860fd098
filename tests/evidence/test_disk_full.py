"""Disk full while receiving (507, resumable) and while storing the finished file (kept, retried)."""

from __future__ import annotations

import errno
import hashlib

import pytest

from liuhen.cases.blobs import blob_store
from liuhen.evidence.models import MediaRecord
from liuhen.storage import StorageFull
from liuhen.uploads import receiver as receiver_module
from tests.evidence.conftest import MIB, payload

pytestmark = pytest.mark.django_db


def test_given_enospc_mid_patch_then_507_nothing_visible_and_resume_after_space_freed(tus, monkeypatch):
    """GIVEN the disk fills after 1.5 MiB of a 3 MiB PATCH WHEN it fails THEN 507 with a clear message, no
    record and no blob exist; WHEN space is back THEN the upload resumes from the durable offset."""
    data = payload(3 * MIB, b"full")
    url = tus.create(len(data))["Location"]
    real_write_all, budget = receiver_module._write_all, {"left": MIB + MIB // 2}

    def filling(fd, chunk):
        if budget["left"] < len(chunk):
            raise OSError(errno.ENOSPC, "No space left on device")
        budget["left"] -= len(chunk)
        real_write_all(fd, chunk)

    monkeypatch.setattr(receiver_module, "_write_all", filling)
    full = tus.patch(url, data, 0)
    assert full.status_code == 507 and b"storage is full" in full.content
    assert not MediaRecord.objects.exists() and list(blob_store().iter_all()) == []

    monkeypatch.setattr(receiver_module, "_write_all", real_write_all)
    offset = int(tus.head(url)["Upload-Offset"])
    assert offset <= MIB + MIB // 2
    done = tus.patch(url, data[offset:], offset)
    assert done.status_code == 204 and done["Liuhen-Sha256"] == hashlib.sha256(data).hexdigest()


def test_given_blob_store_full_at_completion_then_bytes_kept_and_retry_records_once(tus, monkeypatch):
    """GIVEN the blob store is full when the last byte arrives WHEN the hand-off fails THEN 507, no record;
    WHEN the client retries at the final offset after space is freed THEN exactly one record."""
    data = payload(MIB, b"late-full")
    url = tus.create(len(data))["Location"]
    store = blob_store()

    def no_space(*args, **kwargs):
        raise StorageFull("no space left")

    with monkeypatch.context() as full:  # both ways into the store: copy (put_file) and link (adopt_file)
        full.setattr(store, "put_file", no_space)
        full.setattr(store, "adopt_file", no_space)
        assert tus.patch(url, data, 0).status_code == 507
        assert not MediaRecord.objects.exists()
    assert tus.patch(url, b"", len(data)).status_code == 204
    assert MediaRecord.objects.filter(sha256=hashlib.sha256(data).hexdigest()).count() == 1
