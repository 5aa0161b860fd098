"""LocalBlobStore: content addressing, atomic write-once puts, ranges, fixity, disk-full handling."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

import pytest

from liuhen.storage import (
    BlobIntegrityError,
    BlobNotFound,
    BlobStore,
    LocalBlobStore,
    StorageConfigError,
    StorageFull,
    storage_from_config,
)
from liuhen.storage import local as local_module


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_given_a_file_when_put_then_stored_read_only_under_its_hash(tmp_path, make_file):
    """GIVEN a 3 MiB file WHEN it is put THEN it lives at sha256/ab/cd/<hex>, mode 0444, same bytes."""
    source = make_file("clip.mp4", 3 * 1024 * 1024 + 17)
    store = LocalBlobStore(tmp_path / "store")

    ref = store.put_file(source)

    digest = _sha(source)
    assert (ref.sha256, ref.size, ref.backend) == (digest, source.stat().st_size, "local")
    final = tmp_path / "store" / "sha256" / digest[:2] / digest[2:4] / digest
    assert ref.key == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    assert stat.S_IMODE(final.stat().st_mode) == 0o444
    assert final.read_bytes() == source.read_bytes()
    assert source.exists(), "the source is left for the caller to remove"
    assert list((tmp_path / "store" / "tmp").iterdir()) == []
    assert isinstance(store, BlobStore)


def test_given_same_content_twice_when_put_then_stored_once(tmp_path, make_file):
    """GIVEN two files with identical bytes WHEN both are put THEN one blob exists, same ref."""
    store = LocalBlobStore(tmp_path / "store")
    first = store.put_file(make_file("a.bin", 5000, seed=1))
    second = store.put_file(make_file("b.bin", 5000, seed=1))
    third = store.put_file(make_file("c.bin", 5000, seed=2))

    assert first == second
    assert first.sha256 != third.sha256
    assert sorted(r.sha256 for r in store.iter_all()) == sorted({first.sha256, third.sha256})


def test_given_wrong_declared_hash_when_put_then_rejected_and_nothing_stored(tmp_path, make_file):
    """GIVEN a caller-declared SHA-256 that does not match WHEN put THEN BlobIntegrityError, store empty."""
    store = LocalBlobStore(tmp_path / "store")
    with pytest.raises(BlobIntegrityError):
        store.put_file(make_file("x.bin", 1000), sha256_hex="0" * 64)
    assert list(store.iter_all()) == []
    assert list(store.tmp_dir.iterdir()) == []


def test_given_stored_blob_when_reading_ranges_then_exact_bytes_in_bounded_chunks(tmp_path, make_file):
    """GIVEN a 2.5 MiB blob WHEN ranges are read THEN the bytes match a slice and chunks are <= 1 MiB."""
    source = make_file("v.bin", 2_621_440 + 3)
    data = source.read_bytes()
    store = LocalBlobStore(tmp_path / "store")
    ref = store.put_file(source)

    chunks = list(store.open_range(ref.sha256, 100, 2_500_000))
    assert b"".join(chunks) == data[100:2_500_000]
    assert max(len(c) for c in chunks) <= 1024 * 1024
    assert b"".join(store.open_range(ref.sha256)) == data
    assert b"".join(store.open_range(ref.sha256, len(data) - 5, len(data) + 100)) == data[-5:]
    assert store.size(ref.sha256) == len(data)
    with pytest.raises(ValueError):
        list(store.open_range(ref.sha256, 10, 5))


def test_given_unknown_hash_when_read_then_not_found(tmp_path):
    """GIVEN an empty store WHEN a hash is looked up THEN exists/verify are False and reads raise."""
    store = LocalBlobStore(tmp_path / "store")
    missing = "ab" * 32
    assert not store.exists(missing)
    assert not store.verify(missing)
    with pytest.raises(BlobNotFound):
        store.size(missing)
    with pytest.raises(ValueError):
        store.exists("../../etc/passwd")


def test_given_tampered_blob_when_verified_then_fixity_fails(tmp_path, make_file):
    """GIVEN a stored blob altered on disk (by someone with root) WHEN verified THEN False."""
    store = LocalBlobStore(tmp_path / "store")
    ref = store.put_file(make_file("e.bin", 4096))
    assert store.verify(ref.sha256)

    path = store.path_for(ref.sha256)
    os.chmod(path, 0o644)
    with open(path, "r+b") as fh:
        fh.write(b"X")

    assert not store.verify(ref.sha256)


def test_given_disk_fills_mid_write_when_put_then_storage_full_and_nothing_visible(
    tmp_path, make_file, monkeypatch
):
    """GIVEN the disk fills after the first MiB WHEN a 3 MiB file is put THEN StorageFull, no blob, no temp."""
    store = LocalBlobStore(tmp_path / "store")
    real_write_all = local_module._write_all
    calls = {"n": 0}

    def filling_write_all(fd, data):
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write_all(fd, data)

    monkeypatch.setattr(local_module, "_write_all", filling_write_all)

    with pytest.raises(StorageFull, match="no space left"):
        store.put_file(make_file("big.bin", 3 * 1024 * 1024))

    assert list(store.iter_all()) == []
    assert list(store.tmp_dir.iterdir()) == []


def test_given_config_dicts_when_building_then_right_backend_or_clear_error(tmp_path):
    """GIVEN storage configs WHEN built THEN local/s3 stores are returned and bad configs explain why."""
    assert isinstance(storage_from_config({"backend": "local", "root": str(tmp_path)}), LocalBlobStore)
    s3 = storage_from_config(
        {"backend": "s3", "bucket": "b", "endpoint_url": "http://127.0.0.1:9", "region": "us-east-1"}
    )
    assert s3.backend == "s3"
    with pytest.raises(StorageConfigError, match="unknown storage backend"):
        storage_from_config({"backend": "ftp"})
    with pytest.raises(StorageConfigError, match="needs 'root'"):
        storage_from_config({"backend": "local"})
    with pytest.raises(StorageConfigError, match="unknown s3 storage settings"):
        storage_from_config({"backend": "s3", "bucket": "b", "colour": "red"})


def test_given_an_uploaded_file_when_adopted_then_it_is_linked_read_only_not_copied(tmp_path):
    """GIVEN a finished upload whose hash was computed while streaming, WHEN the store adopts it,
    THEN the blob is the same inode (no second copy), read-only, and a second adoption is a no-op."""
    from liuhen.storage import LocalBlobStore, sha256_file

    store = LocalBlobStore(tmp_path / "store")
    part = tmp_path / "store-upload.part"
    part.write_bytes(b"evidence" * 1000)
    digest, size = sha256_file(part)
    ref = store.adopt_file(part, sha256_hex=digest)
    blob = store.path_for(digest)
    assert (ref.sha256, ref.size) == (digest, size)
    assert blob.stat().st_ino == part.stat().st_ino
    assert blob.stat().st_mode & 0o777 == 0o444
    part.unlink()
    assert store.verify(digest)
    again = tmp_path / "again.part"
    again.write_bytes(b"evidence" * 1000)
    assert store.adopt_file(again, sha256_hex=digest) == ref
