"""Content-addressed blob storage on a local (or mounted) filesystem.

Layout under ``root``::

    root/sha256/ab/cd/<64 hex>   the blobs, mode 0o444, never rewritten
    root/tmp/                    in-flight writes (same filesystem, so the final rename is atomic)
    root/retention/ab/cd/<hex>   the blob's retain-until date (ISO 8601), where one was set

A local disk has no Object Lock, so the retention date is a record the store keeps and honours: it is
only ever extended (:meth:`LocalBlobStore.extend_retention`), and :meth:`LocalBlobStore.delete` (the
only way a blob leaves, for an approved disposal) refuses a blob whose date has not passed.

A put streams the source into ``root/tmp`` while hashing it, fsyncs the file, hard-links it to its
final name (which fails if the blob already exists, so duplicates are stored once and an existing
blob is never replaced), fsyncs the directory and removes the temporary name.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from liuhen.storage.base import (
    CHUNK_SIZE,
    BlobIntegrityError,
    BlobNotFound,
    BlobRef,
    BlobRetained,
    StorageError,
    StorageFull,
    blob_key,
    check_hex,
    check_range,
    sha256_file,
)

READ_ONLY = 0o444


def _write_all(fd: int, data: bytes | memoryview) -> None:
    """Write every byte of ``data`` to ``fd`` (``os.write`` may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def dead_partials(dest: Path) -> list[Path]:
    """What killed builds of ``dest`` left beside it: ``.<name>.partial-<pid>`` whose process is gone
    (a build writes there and renames at the end; a live one's partial is left alone)."""
    dead = []
    for partial in dest.parent.glob(f".{dest.name}.partial-*"):
        pid = partial.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            dead.append(partial)
    return dead


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def fsync_dir(path: Path) -> None:
    """Make a rename or link inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalBlobStore:
    """Write-once, SHA-256-addressed files under ``root``."""

    backend = "local"

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.tmp_dir = self.root / "tmp"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        (self.root / "sha256").mkdir(exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        return self.root / blob_key(sha256)

    def put_file(
        self, path: Path | str, *, sha256_hex: str | None = None, retain_until: datetime | None = None
    ) -> BlobRef:
        """Copy the finished file at ``path`` into the store; the source is left untouched.

        ``retain_until``, when given, is recorded (extended, never shortened) as on S3.
        Raises :class:`BlobIntegrityError` if ``sha256_hex`` is given and does not match, and
        :class:`StorageFull` on ENOSPC; in both cases nothing is left behind.
        """
        if sha256_hex is not None:
            check_hex(sha256_hex)
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp_dir, prefix="put-")
        tmp = Path(tmp_name)
        try:
            digest, size = self._copy_hashing(Path(path), fd)
            if sha256_hex is not None and digest != sha256_hex:
                raise BlobIntegrityError(f"{path}: declared {sha256_hex}, content hashes to {digest}")
            os.fchmod(fd, READ_ONLY)
            os.fsync(fd)
            os.close(fd)
            fd = -1
            self._link_into_place(tmp, digest)
            if retain_until is not None:
                self.extend_retention(digest, retain_until)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise StorageFull(f"no space left in {self.root} while storing {path}") from exc
            raise
        finally:
            if fd >= 0:
                os.close(fd)
            tmp.unlink(missing_ok=True)
        return BlobRef(sha256=digest, size=size, backend=self.backend, key=blob_key(digest))

    def adopt_file(
        self, path: Path | str, *, sha256_hex: str, retain_until: datetime | None = None
    ) -> BlobRef:
        """Take in a finished, already fsynced file whose SHA-256 the caller computed while writing it
        (the tus server hashes while it streams), by hard-linking it into its content address.

        This saves the second copy and the second hashing pass of :meth:`put_file` on the upload hot
        path; the fixity job re-hashes every blob on its schedule, so a wrong claim cannot hide. The
        file is made read-only; the caller may unlink its own name afterwards. Falls back to
        :meth:`put_file` (copy and verify) when the file lives on another filesystem.
        """
        digest = check_hex(sha256_hex)
        source = Path(path)
        final = self.path_for(digest)
        if final.is_file():
            if retain_until is not None:
                self.extend_retention(digest, retain_until)
            return BlobRef(digest, final.stat().st_size, self.backend, blob_key(digest))
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(source, READ_ONLY)
            os.link(source, final)
        except FileExistsError:
            pass  # stored meanwhile by another upload of the same content
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                return self.put_file(source, sha256_hex=digest, retain_until=retain_until)
            if exc.errno == errno.ENOSPC:
                raise StorageFull(f"no space left in {self.root} while storing {path}") from exc
            raise
        fsync_dir(final.parent)
        if retain_until is not None:
            self.extend_retention(digest, retain_until)
        return BlobRef(digest, final.stat().st_size, self.backend, blob_key(digest))

    def _copy_hashing(self, source: Path, fd: int) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        with open(source, "rb") as src:
            while chunk := src.read(CHUNK_SIZE):
                digest.update(chunk)
                _write_all(fd, chunk)
                size += len(chunk)
        return digest.hexdigest(), size

    def _link_into_place(self, tmp: Path, digest: str) -> None:
        final = self.path_for(digest)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(tmp, final)
        except FileExistsError:
            return  # already stored: identical content, keep the existing (older) file
        fsync_dir(final.parent)

    def open_range(self, sha256: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Yield the bytes of the half-open range ``[start, end)`` in chunks of at most 1 MiB."""
        path = self._existing(sha256)
        first, stop = check_range(start, end, path.stat().st_size)
        return self._read_range(path, first, stop)

    @staticmethod
    def _read_range(path: Path, first: int, stop: int) -> Iterator[bytes]:
        with open(path, "rb") as fh:
            fh.seek(first)
            remaining = stop - first
            while remaining > 0:
                chunk = fh.read(min(CHUNK_SIZE, remaining))
                if not chunk:
                    raise StorageError(f"{path} shrank while being read")
                remaining -= len(chunk)
                yield chunk

    def size(self, sha256: str) -> int:
        return self._existing(sha256).stat().st_size

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def verify(self, sha256: str) -> bool:
        """Re-hash the stored bytes; ``False`` if they changed or the blob is missing."""
        path = self.path_for(sha256)
        if not path.is_file():
            return False
        return sha256_file(path)[0] == sha256

    def iter_all(self) -> Iterator[BlobRef]:
        """Every stored blob, in hash order."""
        for path in sorted((self.root / "sha256").glob("*/*/*")):
            with suppress(ValueError):
                digest = check_hex(path.name)
                yield BlobRef(digest, path.stat().st_size, self.backend, blob_key(digest))

    def sweep_temp(self, *, older_than_seconds: float = 0.0) -> int:
        """Remove leftovers of interrupted puts; return how many.

        With ``older_than_seconds`` only files untouched that long go, so it is safe to run while
        other puts are in progress (a put writes its temp file continuously)."""
        removed = 0
        cutoff = time.time() - older_than_seconds
        for leftover in self.tmp_dir.glob("put-*"):
            with suppress(FileNotFoundError):
                if older_than_seconds and leftover.stat().st_mtime > cutoff:
                    continue
                leftover.unlink()
                removed += 1
        return removed

    def _retention_path(self, sha256: str) -> Path:
        return self.root / "retention" / blob_key(sha256).removeprefix("sha256/")

    def retained_until(self, sha256: str) -> datetime | None:
        """The recorded retain-until date of the blob, or ``None`` if none was recorded."""
        path = self._retention_path(sha256)
        if not path.is_file():
            return None
        return datetime.fromisoformat(path.read_text().strip())

    def extend_retention(self, sha256: str, retain_until: datetime) -> None:
        """Record ``retain_until`` for a stored blob unless a later date is recorded already. A blob
        that is not stored has nothing to lock (``verify`` reports it missing): nothing is recorded."""
        if retain_until.tzinfo is None:
            raise ValueError("retain_until must be timezone-aware")
        if not self.exists(sha256):
            return
        current = self.retained_until(sha256)
        if current is not None and current >= retain_until:
            return
        path = self._retention_path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".until-")
        try:
            _write_all(fd, retain_until.isoformat().encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
        fsync_dir(path.parent)

    def delete(self, sha256: str, *, now: datetime) -> None:
        """Remove the blob (an approved disposal); refused with :class:`BlobRetained` while its
        recorded retention runs. The retention record stays, as the record of what was kept."""
        until = self.retained_until(sha256)
        if until is not None and until > now:
            raise BlobRetained(sha256, until)
        path = self.path_for(sha256)
        path.unlink(missing_ok=True)
        fsync_dir(path.parent)

    def _existing(self, sha256: str) -> Path:
        path = self.path_for(sha256)
        if not path.is_file():
            raise BlobNotFound(sha256)
        return path
