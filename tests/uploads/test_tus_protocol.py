"""tus 1.0.0 core: creation, PATCH, HEAD, termination, expiration, checksum and every error status."""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import timedelta

DATA = bytes(range(256)) * 12  # 3072 bytes


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def sha256_b64(data: bytes) -> str:
    return b64(hashlib.sha256(data).digest())


def test_given_options_request_then_version_extensions_and_algorithms_advertised(tus):
    """GIVEN a client discovering the server WHEN it sends OPTIONS THEN 204 lists what is supported."""
    resp = tus.server.options()

    assert resp.status == 204
    assert resp.headers["Tus-Version"] == "1.0.0"
    assert set(resp.headers["Tus-Extension"].split(",")) == {
        "creation",
        "creation-with-upload",
        "termination",
        "expiration",
        "checksum",
    }
    assert resp.headers["Tus-Checksum-Algorithm"] == "sha1,sha256"
    assert resp.headers["Tus-Max-Size"] == str(10 * 1024 * 1024)


def test_given_upload_in_three_patches_when_complete_then_callback_gets_file_hash_and_metadata(tus):
    """GIVEN an upload with metadata WHEN sent in 3 PATCHes THEN on_complete gets bytes, SHA-256, metadata."""
    created = tus.create(
        len(DATA), **{"Upload-Metadata": f"filename {b64('执法记录.mp4'.encode())},is_evidence"}
    )
    assert created.status == 201 and created.headers["Location"].startswith("/files/")
    uid = tus.upload_id(created)

    assert tus.patch(uid, DATA[:1000], 0).headers["Upload-Offset"] == "1000"
    assert tus.offset(uid) == 1000
    assert tus.patch(uid, DATA[1000:2000], 1000).status == 204
    last = tus.patch(uid, DATA[2000:], 2000)

    assert (last.status, last.headers["Upload-Offset"]) == (204, str(len(DATA)))
    [(got_id, got_bytes, got_sha, got_meta)] = tus.completed.calls
    assert (got_id, got_bytes, got_sha) == (uid, DATA, hashlib.sha256(DATA).hexdigest())
    assert got_meta == {"filename": "执法记录.mp4", "is_evidence": ""}
    head = tus.server.head(uid)
    assert head.headers["Upload-Offset"] == head.headers["Upload-Length"] == str(len(DATA))
    assert head.headers["Upload-Metadata"].startswith("filename ")
    assert not (tus.directory / f"{uid}.part").exists()


def test_given_wrong_tus_version_then_412_on_every_method(tus):
    """GIVEN a client speaking tus 0.2.2 WHEN it creates, patches, heads or deletes THEN 412."""
    uid = tus.upload_id(tus.create(10))
    old = {"Tus-Resumable": "0.2.2", "Upload-Length": "10"}

    assert tus.server.create(old, None).status == 412
    assert tus.patch(uid, b"x", 0, **{"Tus-Resumable": "0.2.2"}).status == 412
    assert tus.server.head(uid, {"Tus-Resumable": "0.2.2"}).status == 412
    assert tus.server.delete(uid, {}).status == 412


def test_given_offset_mismatch_then_409_and_nothing_written(tus):
    """GIVEN 100 bytes received WHEN a PATCH claims offset 50 THEN 409 and the offset stays 100."""
    uid = tus.upload_id(tus.create(1000))
    tus.patch(uid, DATA[:100], 0)

    resp = tus.patch(uid, DATA[50:150], 50)

    assert resp.status == 409 and b"100" in resp.body
    assert tus.offset(uid) == 100


def test_given_wrong_content_type_then_415(tus):
    """GIVEN a PATCH (or creation-with-upload) not sent as offset+octet-stream WHEN received THEN 415."""
    uid = tus.upload_id(tus.create(10))
    assert tus.patch(uid, b"abc", 0, **{"Content-Type": "application/json"}).status == 415
    create_with_json = tus.server.create(
        {"Tus-Resumable": "1.0.0", "Upload-Length": "3", "Content-Length": "3", "Content-Type": "text/plain"},
        io.BytesIO(b"abc"),
    )
    assert create_with_json.status == 415


def test_given_sizes_over_limits_then_413(tus):
    """GIVEN Upload-Length above Tus-Max-Size, or a body longer than what remains THEN 413."""
    assert tus.create(10 * 1024 * 1024 + 1).status == 413
    uid = tus.upload_id(tus.create(10))
    assert tus.patch(uid, b"x" * 11, 0).status == 413
    assert tus.offset(uid) == 0


def test_given_checksums_then_good_ones_accepted_bad_one_460_and_chunk_discarded(tus):
    """GIVEN Upload-Checksum headers WHEN sha1/sha256 match THEN accepted; WHEN wrong THEN 460, offset kept."""
    uid = tus.upload_id(tus.create(len(DATA)))
    sha1 = b64(hashlib.sha1(DATA[:1000]).digest())  # noqa: S324 - tus checksum algorithm
    assert tus.patch(uid, DATA[:1000], 0, **{"Upload-Checksum": f"sha1 {sha1}"}).status == 204

    bad = tus.patch(uid, DATA[1000:2000], 1000, **{"Upload-Checksum": f"sha256 {sha256_b64(b'other')}"})
    assert bad.status == 460
    assert tus.offset(uid) == 1000
    assert (tus.directory / f"{uid}.part").stat().st_size == 1000

    ok = tus.patch(uid, DATA[1000:], 1000, **{"Upload-Checksum": f"sha256 {sha256_b64(DATA[1000:])}"})
    assert ok.status == 204
    assert tus.completed.calls[0][2] == hashlib.sha256(DATA).hexdigest()
    assert tus.patch(uid, b"", 0, **{"Upload-Checksum": "md5 AAAA"}).status == 400


def test_given_unknown_or_malicious_ids_then_404(tus):
    """GIVEN ids that do not exist or try path traversal WHEN used THEN 404."""
    for uid in ("0" * 32, "../../etc/passwd", ""):
        assert tus.server.head(uid).status == 404
        assert tus.patch(uid, b"x", 0).status == 404
        assert tus.server.delete(uid).status == 404


def test_given_upload_past_expiry_then_410_and_swept(tus):
    """GIVEN an unfinished upload WHEN 25 h pass THEN HEAD/PATCH say 410 and sweep_expired removes it."""
    uid = tus.upload_id(tus.create(100))
    tus.patch(uid, DATA[:10], 0)
    expires = tus.server.head(uid).headers["Upload-Expires"]
    assert expires.endswith("GMT")

    tus.clock.now += timedelta(hours=25)

    assert tus.server.head(uid).status == 410
    assert tus.patch(uid, DATA[10:20], 10).status == 410
    assert tus.server.sweep_expired() == [uid]
    assert tus.server.head(uid).status == 404
    assert list(tus.directory.iterdir()) == []


def test_given_activity_then_expiry_extends(tus):
    """GIVEN a PATCH 20 h after creation WHEN 10 more hours pass THEN the upload is still alive."""
    uid = tus.upload_id(tus.create(100))
    tus.clock.now += timedelta(hours=20)
    tus.patch(uid, DATA[:10], 0)
    tus.clock.now += timedelta(hours=10)
    assert tus.server.head(uid).status == 200
    assert tus.server.sweep_expired() == []


def test_given_bad_metadata_or_length_then_400_with_reason(tus):
    """GIVEN malformed, non-base64, duplicate or oversized Upload-Metadata, or no length THEN 400."""
    cases = {
        "filename !!!notbase64": "not base64",
        f"a {b64(b'x')},a {b64(b'y')}": "duplicate",
        "key with space": "malformed",
        "k " + "A" * 5000: "limit is 4096",
    }
    for raw, reason in cases.items():
        resp = tus.create(10, **{"Upload-Metadata": raw})
        assert resp.status == 400 and reason in resp.body.decode(), raw
    assert tus.server.create({"Tus-Resumable": "1.0.0"}, None).status == 400
    assert tus.server.create({"Tus-Resumable": "1.0.0", "Upload-Length": "-5"}, None).status == 400
    assert tus.server.create({"Tus-Resumable": "1.0.0", "Upload-Defer-Length": "1"}, None).status == 400
    assert list(tus.directory.glob("*.info")) == []


def test_given_zero_length_upload_then_complete_on_creation(tus):
    """GIVEN Upload-Length: 0 WHEN created THEN 201 and on_complete already has the empty file's hash."""
    resp = tus.create(0)

    assert resp.status == 201 and resp.headers["Upload-Offset"] == "0"
    [(uid, data, digest, _)] = tus.completed.calls
    assert (data, digest) == (b"", hashlib.sha256(b"").hexdigest())
    assert tus.server.head(uid).headers["Upload-Offset"] == "0"


def test_given_creation_with_upload_then_first_bytes_stored_or_whole_file_completed(tus):
    """GIVEN POST with a body WHEN partial THEN offset advances; WHEN whole THEN complete at once."""
    head = {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}
    partial = tus.server.create(
        {**head, "Upload-Length": "3072", "Content-Length": "500"}, io.BytesIO(DATA[:500])
    )
    assert (partial.status, partial.headers["Upload-Offset"]) == (201, "500")
    assert tus.offset(tus.upload_id(partial)) == 500

    whole = tus.server.create(
        {
            **head,
            "Upload-Length": "3072",
            "Content-Length": "3072",
            "Upload-Checksum": f"sha256 {sha256_b64(DATA)}",
        },
        io.BytesIO(DATA),
    )
    assert whole.status == 201
    assert [c[0] for c in tus.completed.calls] == [tus.upload_id(whole)]


def test_given_termination_then_204_and_gone(tus):
    """GIVEN an upload in progress WHEN the client deletes it THEN 204 and every file is removed."""
    uid = tus.upload_id(tus.create(100))
    tus.patch(uid, DATA[:10], 0)

    assert tus.server.delete(uid, {"Tus-Resumable": "1.0.0"}).status == 204
    assert tus.server.head(uid).status == 404
    assert list(tus.directory.iterdir()) == []


def test_given_completion_callback_fails_then_500_bytes_kept_and_retry_succeeds(tus):
    """GIVEN on_complete raising once WHEN the last PATCH arrives THEN 500; finalize_pending later succeeds."""
    recorder = tus.completed
    failing = {"left": 1}

    def flaky(upload_id, path, sha256_hex, metadata):
        if failing["left"]:
            failing["left"] -= 1
            raise RuntimeError("blob store down")
        recorder(upload_id, path, sha256_hex, metadata)

    tus.server.on_complete = flaky
    uid = tus.upload_id(tus.create(100))

    assert tus.patch(uid, DATA[:100], 0).status == 500
    assert tus.offset(uid) == 100
    tus.clock.now += timedelta(days=3)
    assert tus.server.sweep_expired() == [], "received evidence is never swept before hand-off"
    assert tus.server.finalize_pending() == [uid]
    assert recorder.calls[0][1] == DATA[:100]
