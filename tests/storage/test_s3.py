"""S3BlobStore against a local moto server: Object Lock retention, multipart, ranges, fixity."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from liuhen.storage import BlobIntegrityError, BlobNotFound, BlobStore


def test_given_object_lock_bucket_when_put_with_retention_then_compliance_mode_set(s3_store, make_file):
    """GIVEN an Object Lock bucket WHEN a file is put with retain_until THEN COMPLIANCE retention holds it."""
    assert s3_store.object_lock_enabled()
    until = datetime(2031, 1, 1, tzinfo=UTC)
    source = make_file("clip.mp4", 70_000)

    ref = s3_store.put_file(source, retain_until=until)

    assert ref.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert (ref.size, ref.backend) == (70_000, "s3")
    mode, retain_until = s3_store.retention(ref.sha256)
    assert mode == "COMPLIANCE"
    assert retain_until == until
    assert isinstance(s3_store, BlobStore)


def test_given_locked_object_when_deleting_its_version_then_refused(s3_store, raw_s3, make_file):
    """GIVEN a blob under COMPLIANCE retention WHEN someone deletes that version THEN S3 refuses."""
    ref = s3_store.put_file(make_file("a.bin", 1000), retain_until=datetime.now(UTC) + timedelta(days=1))
    head = raw_s3.head_object(Bucket=s3_store.bucket, Key=ref.key)

    with pytest.raises(ClientError):
        raw_s3.delete_object(Bucket=s3_store.bucket, Key=ref.key, VersionId=head["VersionId"])

    assert s3_store.verify(ref.sha256)


def test_given_large_file_when_put_then_multipart_and_ranges_read_back(s3_store, make_file):
    """GIVEN a 12 MiB file (threshold 5 MiB) WHEN put THEN it is a multipart object and ranges match."""
    source = make_file("big.bin", 12 * 1024 * 1024 + 5, seed=3)
    data = source.read_bytes()

    ref = s3_store.put_file(source, sha256_hex=hashlib.sha256(data).hexdigest())

    etag = s3_store.client.head_object(Bucket=s3_store.bucket, Key=ref.key)["ETag"]
    assert "-" in etag, "multipart ETags end in -<part count>"
    assert s3_store.size(ref.sha256) == len(data)
    assert b"".join(s3_store.open_range(ref.sha256, 5_000_000, 7_000_001)) == data[5_000_000:7_000_001]
    assert b"".join(s3_store.open_range(ref.sha256, len(data) - 3)) == data[-3:]
    assert s3_store.verify(ref.sha256)


def test_given_duplicate_put_with_later_date_then_one_object_retention_extended(s3_store, make_file):
    """GIVEN a stored blob WHEN the same content is put with a later retain_until THEN retention is extended."""
    first = s3_store.put_file(make_file("a.bin", 2000, seed=5), retain_until=datetime(2030, 1, 1, tzinfo=UTC))
    later = datetime(2035, 6, 1, tzinfo=UTC)
    second = s3_store.put_file(make_file("b.bin", 2000, seed=5), retain_until=later)

    assert first == second
    assert [r.sha256 for r in s3_store.iter_all()] == [first.sha256]
    assert s3_store.retention(first.sha256)[1] == later


def test_given_bad_hash_or_missing_blob_then_errors_are_explicit(s3_store, make_file):
    """GIVEN a wrong declared hash or an unknown blob WHEN used THEN explicit errors, nothing uploaded."""
    with pytest.raises(BlobIntegrityError):
        s3_store.put_file(make_file("x.bin", 10), sha256_hex="f" * 64)
    assert list(s3_store.iter_all()) == []
    assert not s3_store.exists("c" * 64)
    assert not s3_store.verify("c" * 64)
    with pytest.raises(BlobNotFound):
        s3_store.size("c" * 64)


def test_given_object_overwritten_behind_our_back_when_verified_then_fixity_fails(
    s3_store, raw_s3, make_file
):
    """GIVEN a blob key whose latest version was replaced by other bytes WHEN verified THEN False."""
    ref = s3_store.put_file(make_file("a.bin", 3000, seed=9))
    raw_s3.put_object(Bucket=s3_store.bucket, Key=ref.key, Body=b"forged")

    assert not s3_store.verify(ref.sha256)
