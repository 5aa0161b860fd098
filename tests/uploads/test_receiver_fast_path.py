"""The receiver hashes in a thread that follows the part file, and ``liuhen serve`` warms its workers."""

from __future__ import annotations

import hashlib
import io
import threading
import time

from gunicorn.app.base import Application

from liuhen.uploads.receiver import _FileHasher, append_body

MIB = 1024 * 1024
PREFIX = hashlib.sha256(b"prefix").digest() * (3 * MIB // 32)
BODY = hashlib.sha256(b"body").digest() * (2 * MIB // 32 + 5)


def _append(part, hasher, hashed, body=BODY):
    checkpoints: list[int] = []
    got = append_body(
        part=part,
        start=len(PREFIX),
        limit=len(body),
        body=io.BytesIO(body),
        hasher=hasher,
        hashed=hashed,
        checksum=None,
        checkpoint_every=MIB,
        on_checkpoint=checkpoints.append,
    )
    return got, checkpoints


def test_given_no_running_hash_when_appending_then_prefix_is_rehashed_alongside(tmp_path):
    """GIVEN a part file with 3 MiB already in it and no running hash (another worker wrote them)
    WHEN 2 MiB more are appended THEN the hasher has seen the whole file, in order."""
    part = tmp_path / "u.part"
    part.write_bytes(PREFIX)

    got, checkpoints = _append(part, hashlib.sha256(), 0)

    assert (got.outcome, got.offset) == ("ok", len(PREFIX) + len(BODY))
    assert got.hasher.hexdigest() == hashlib.sha256(PREFIX + BODY).hexdigest()
    assert checkpoints and all(len(PREFIX) < c <= got.offset for c in checkpoints)


def test_given_running_hash_at_start_when_appending_then_only_new_bytes_are_read(tmp_path):
    """GIVEN the running hash of the first 3 MiB WHEN 2 MiB are appended THEN the digest is the
    whole file's (had the prefix been hashed again, it would differ)."""
    part = tmp_path / "u.part"
    part.write_bytes(PREFIX)

    got, _ = _append(part, hashlib.sha256(PREFIX), len(PREFIX))

    assert got.hasher.hexdigest() == hashlib.sha256(PREFIX + BODY).hexdigest()


def test_given_bytes_not_yet_published_when_hasher_finishes_then_they_are_not_hashed(tmp_path):
    """GIVEN a file with bytes past what the writer has published WHEN the file hasher finishes
    THEN it has hashed exactly the published bytes and no more."""
    part = tmp_path / "u.part"
    part.write_bytes(PREFIX)
    follower = _FileHasher(part, hashlib.sha256(), 0, MIB)
    follower.advance(2 * MIB)

    hasher = follower.finish()

    assert follower.seen == 2 * MIB
    assert hasher.hexdigest() == hashlib.sha256(PREFIX[: 2 * MIB]).hexdigest()


def test_given_file_shorter_than_published_when_hasher_finishes_then_it_raises(tmp_path):
    """GIVEN a published end beyond the file's size (bytes lost) WHEN finishing THEN an OSError."""
    part = tmp_path / "u.part"
    part.write_bytes(b"x" * 10)
    follower = _FileHasher(part, hashlib.sha256(), 0, 20)

    try:
        follower.finish()
    except OSError:
        return
    raise AssertionError("a short part file must not yield a digest")


def test_given_serve_command_line_when_gunicorn_reads_it_then_worker_warmup_hook_is_set():
    """GIVEN the gunicorn command ``liuhen serve`` runs WHEN gunicorn loads its --config THEN the
    post_worker_init hook is the one that imports the URL configuration."""
    from liuhen.cli.management.commands import serve

    command = serve._gunicorn_command("127.0.0.1:1", 2)
    location = command[command.index("--config") + 1]

    class _Probe(Application):
        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

        def load_config(self):
            self.load_config_from_module_name_or_filename(location)

    probe = _Probe()  # BaseApplication.__init__ loads the configuration

    assert probe.cfg.post_worker_init is serve.post_worker_init


class _StallingBody:
    """Hands out ``data`` in 1 MiB reads, then stalls (like a client that hung) until ``release``."""

    def __init__(self, data: bytes, release: threading.Event) -> None:
        self.stream, self.release = io.BytesIO(data), release

    def read(self, size: int) -> bytes:
        chunk = self.stream.read(min(size, MIB))
        if not chunk:
            self.release.wait(timeout=5)
        return chunk


def test_given_body_stalls_while_a_flush_runs_when_it_ends_then_the_rest_is_made_durable(tmp_path):
    """GIVEN a slow first checkpoint while the next 3 MiB arrive, then a stalled body WHEN the flush
    ends THEN another flush makes all 4 MiB durable without waiting for more bytes."""
    part = tmp_path / "u.part"
    part.write_bytes(b"")
    reached_all, checkpoints = threading.Event(), []

    def slow_checkpoint(offset: int) -> None:
        if not checkpoints:
            time.sleep(0.2)  # the writer receives the rest meanwhile
        checkpoints.append(offset)
        if offset == 4 * MIB:
            reached_all.set()

    got = append_body(
        part=part,
        start=0,
        limit=8 * MIB,
        body=_StallingBody(PREFIX[:MIB] * 4, reached_all),
        hasher=hashlib.sha256(),
        hashed=0,
        checksum=None,
        checkpoint_every=MIB,
        on_checkpoint=slow_checkpoint,
    )

    assert reached_all.is_set(), checkpoints  # made durable during the stall, not only at the end
    assert got.offset == 4 * MIB and checkpoints[0] < 4 * MIB
