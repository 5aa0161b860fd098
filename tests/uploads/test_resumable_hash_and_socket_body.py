"""The running SHA-256 travels with the upload between processes, and gunicorn request bodies are read
straight from the socket without upsetting gunicorn's own reading of the connection."""

from __future__ import annotations

import hashlib
import socket
import threading

import pytest
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser

from liuhen.uploads import hashing
from liuhen.uploads.socket_body import from_gunicorn

MIB = 1024 * 1024
DATA = hashlib.sha256(b"resumable").digest() * (3 * MIB // 32)


def test_given_state_saved_mid_stream_when_restored_then_digest_is_whole_streams():
    """GIVEN a hash of the first MiB saved as text WHEN restored and fed the rest THEN the digest is
    hashlib's for the whole stream; a finished hash has no state to save."""
    first = hashing.new()
    first.update(DATA[:MIB])
    state = first.state()

    resumed = hashing.restore(state)
    assert resumed is not None
    resumed.update(DATA[MIB:])

    assert state.startswith(hashing.STATE_FORMAT)
    assert resumed.hexdigest() == hashlib.sha256(DATA).hexdigest()
    assert resumed.hexdigest() == hashlib.sha256(DATA).hexdigest()  # asking twice is the same
    assert resumed.state() == ""


@pytest.mark.parametrize(
    "state",
    ["", "sha256-from-elsewhere:AAAA", hashing.STATE_FORMAT + "not base64!", hashing.STATE_FORMAT + "AAAA"],
)
def test_given_unusable_state_when_restoring_then_none(state):
    """GIVEN an empty, foreign, malformed or truncated state WHEN restoring THEN ``None`` (the caller
    re-reads the file), never an exception or a wrong hash."""
    assert hashing.restore(state) is None


def test_given_second_patch_in_another_process_when_complete_then_first_bytes_not_reread(tus, tmp_path):
    """GIVEN the first 2 MiB received by one server object (one worker process) WHEN another server
    object over the same directory (another process) receives the rest THEN the file's SHA-256 is
    right although the first bytes on disk were scrambled in between: the saved hash state was used,
    the file was not read again from the start."""
    from liuhen.uploads import TusServer

    uid = tus.upload_id(tus.create(len(DATA)))
    assert tus.patch(uid, DATA[: 2 * MIB], 0).status == 204
    part = tus.directory / f"{uid}.part"
    with open(part, "r+b") as fh:
        fh.write(b"\0" * 4096)  # were it re-read, the digest would change
    other = TusServer(tus.directory, max_size=tus.server.max_size, expiry=tus.server.expiry,
                      clock=tus.clock, on_complete=tus.completed, checkpoint_every=MIB)  # fmt: skip
    tus.server = other

    assert tus.patch(uid, DATA[2 * MIB :], 2 * MIB).status == 204

    assert tus.completed.calls[-1][2] == hashlib.sha256(DATA).hexdigest()


def test_given_saved_state_is_corrupt_when_resuming_then_file_is_rehashed_from_start(tus):
    """GIVEN an upload whose saved hash state was damaged WHEN the rest arrives THEN the hash is
    computed again from the file's first byte and is right."""
    import dataclasses

    uid = tus.upload_id(tus.create(len(DATA)))
    tus.patch(uid, DATA[:MIB], 0)
    info = tus.server.files.load(uid)
    tus.server.files.save(dataclasses.replace(info, hash_state=hashing.STATE_FORMAT + "AAAA"))

    tus.patch(uid, DATA[MIB:], MIB)

    assert tus.completed.calls[-1][2] == hashlib.sha256(DATA).hexdigest()


# --------------------------------------------------------------------------- gunicorn socket body
def _request(server_sock: socket.socket, raw: bytes):
    """Send ``raw`` from a client socket and let gunicorn's real parser read one request."""
    client, peer = socket.socketpair()
    sender = threading.Thread(target=client.sendall, args=(raw,), daemon=True)
    sender.start()
    parser = RequestParser(Config(), peer, ("127.0.0.1", 1))
    request = next(parser)
    environ = {
        "gunicorn.socket": peer,
        "wsgi.input": request.body,
        "CONTENT_LENGTH": request.body.reader.length,
    }
    return client, peer, parser, request, environ, sender


def _raw(body: bytes, path: str = "/a") -> bytes:
    return f"PATCH {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


def test_given_gunicorn_request_when_body_read_from_socket_then_exact_and_next_request_intact():
    """GIVEN a 3 MiB body followed by a pipelined second request WHEN the body is read with
    ``readinto`` straight from the socket THEN every byte arrives in order, and gunicorn then parses
    the second request with its body intact."""
    second = b"hello"
    client, peer, parser, _, environ, sender = _request(None, _raw(DATA) + _raw(second, "/b"))
    body = from_gunicorn(environ)
    assert body is not None
    got, buffer = bytearray(), memoryview(bytearray(100_000))
    while n := body.readinto(buffer):
        got += buffer[:n]
    body.close()
    sender.join()

    following = next(parser)

    assert bytes(got) == DATA
    assert following.path == "/b" and following.body.read() == second
    client.close(), peer.close()


def test_given_body_only_partly_read_when_closed_then_gunicorn_drains_the_rest():
    """GIVEN a body of which the application reads only 1 MiB WHEN the socket body is closed THEN
    gunicorn still knows the rest belongs to this request: it skips it and parses the next one."""
    client, peer, parser, _, environ, sender = _request(None, _raw(DATA) + _raw(b"next", "/b"))
    body = from_gunicorn(environ)
    assert body is not None
    taken = b""
    while len(taken) < MIB:  # like a socket, read() returns what has arrived, up to the size asked
        taken += body.read(MIB - len(taken))
    body.close()

    following = next(parser)  # drains the 2 MiB left of the first body while the client sends them
    second_body = following.body.read()
    sender.join()

    assert taken == DATA[:MIB]
    assert following.path == "/b" and second_body == b"next"
    client.close(), peer.close()


def test_given_body_already_touched_or_not_gunicorn_then_no_socket_body():
    """GIVEN a body something already read from, or a non-gunicorn environ WHEN asked THEN ``None``:
    the caller reads ``wsgi.input`` as usual."""
    client, peer, _, request, environ, sender = _request(None, _raw(b"0123456789"))
    request.body.read(3)
    sender.join()

    assert from_gunicorn(environ) is None
    assert from_gunicorn({"wsgi.input": request.body}) is None
    assert from_gunicorn({}) is None
    client.close(), peer.close()
