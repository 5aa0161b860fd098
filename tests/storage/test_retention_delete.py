"""Write-once retention and the one deletion (an approved disposal) on both stores: the local store
records the retain-until date and honours it; S3 Object Lock (moto's server) refuses by itself."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from liuhen.storage import BlobRetained, LocalBlobStore


def test_given_a_local_blob_when_retention_is_extended_then_it_is_recorded_and_never_shortened(
    tmp_path, make_file
):
    store = LocalBlobStore(tmp_path / "blobs")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    ref = store.put_file(make_file("a.bin", 1000), retain_until=now + timedelta(days=10))
    assert store.retained_until(ref.sha256) == now + timedelta(days=10)

    store.extend_retention(ref.sha256, now + timedelta(days=5))  # shorter: ignored
    assert store.retained_until(ref.sha256) == now + timedelta(days=10)
    store.extend_retention(ref.sha256, now + timedelta(days=400))
    assert store.retained_until(ref.sha256) == now + timedelta(days=400)
    assert LocalBlobStore(tmp_path / "blobs").retained_until(ref.sha256) == now + timedelta(days=400)

    # the same content stored again (a second upload adopted by the tus server) under a later date
    again = make_file("b.bin", 1000)
    store.adopt_file(again, sha256_hex=ref.sha256, retain_until=now + timedelta(days=800))
    assert store.retained_until(ref.sha256) == now + timedelta(days=800)


def test_given_a_retained_local_blob_when_deleted_before_its_date_then_refused_and_after_it_gone(
    tmp_path, make_file
):
    store = LocalBlobStore(tmp_path / "blobs")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    ref = store.put_file(make_file("a.bin", 1000), retain_until=now + timedelta(days=10))

    with pytest.raises(BlobRetained):
        store.delete(ref.sha256, now=now + timedelta(days=9))
    assert store.verify(ref.sha256)

    store.delete(ref.sha256, now=now + timedelta(days=11))
    assert not store.exists(ref.sha256)
    assert [b.sha256 for b in store.iter_all()] == []


def test_given_an_s3_object_under_compliance_lock_then_delete_waits_for_the_lock_to_expire(
    s3_store, make_file
):
    until = datetime.now(UTC) + timedelta(seconds=3)
    ref = s3_store.put_file(make_file("a.bin", 1000), retain_until=until)
    s3_store.extend_retention(ref.sha256, until - timedelta(seconds=2))  # shorter: ignored
    assert abs((s3_store.retained_until(ref.sha256) - until).total_seconds()) < 1

    # even a caller whose clock says the lock is over is refused by the bucket itself
    with pytest.raises(BlobRetained):
        s3_store.delete(ref.sha256, now=until + timedelta(days=1))
    assert s3_store.exists(ref.sha256)

    time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 1.5)
    s3_store.delete(ref.sha256, now=datetime.now(UTC))
    assert not s3_store.exists(ref.sha256)
    versions = s3_store.client.list_object_versions(
        Bucket=s3_store.bucket, Prefix=s3_store.key_for(ref.sha256)
    )
    assert not versions.get("Versions") and not versions.get("DeleteMarkers")
