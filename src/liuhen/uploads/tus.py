"""A framework-independent tus 1.0.0 server core.

Extensions: creation, creation-with-upload, termination, expiration, checksum (sha1, sha256).
Each public method takes plain headers and a readable body and returns a :class:`TusResponse`;
a web framework adapter only translates requests and responses (see ``wsgi_app.py``).

A finished upload is handed to ``on_complete``; a failed hand-off is recorded on the upload, retried
by :meth:`TusServer.finalize_pending` with growing pauses and then held for a person (``HandoffPolicy``).
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from liuhen.uploads import hashing
from liuhen.uploads import headers as h
from liuhen.uploads.receiver import Readable, append_body
from liuhen.uploads.state import (
    AWAITING_HANDOFF,
    HANDOFF_FIRST_DELAY,
    MAX_HANDOFF_ATTEMPTS,
    HandoffPolicy,
    NotAwaitingHandoff,
    UploadFiles,
    UploadInfo,
    UploadLocked,
    new_upload_id,
)

logger = logging.getLogger(__name__)

OnComplete = Callable[[str, Path, str, dict[str, str]], None]
"""``on_complete(upload_id, part_path, sha256_hex, metadata)``; may move or copy the file."""


@dataclass(frozen=True, slots=True)
class TusError:
    """Why a request was refused, for adapters that answer in a structured error shape: a stable
    ``code``, and the header at fault (``field``, e.g. ``Upload-Length``) with its ``reason``."""

    code: str
    field: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TusResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: TusError | None = None  # set on every refusal; the body then holds its message (text/plain)


def _error(
    status: int, message: str, *, code: str, field: str = "", reason: str = "", **extra: str
) -> TusResponse:
    return TusResponse(
        status,
        {"Tus-Resumable": h.TUS_VERSION, "Content-Type": "text/plain; charset=utf-8", **extra},
        message.encode("utf-8"),
        TusError(code, field, reason or (code if field else "")),
    )


def _header_error(exc: h.HeaderError) -> TusResponse:
    return _error(400, str(exc), code="invalid_header", field=exc.field, reason=exc.reason)


# A body whose length the request does not state is refused, not read. tus clients always send
# Content-Length; a chunked body (Transfer-Encoding) reaches Django as an empty stream (it reads at most
# CONTENT_LENGTH bytes), so it used to be dropped silently with a 204. Reading it through gunicorn's
# chunked reader would be possible, but the 413 check against the bytes still expected, the socket fast
# path and the all-or-nothing checksum all rest on knowing the length before the first byte: 411 tells
# the client exactly what to send instead, and nothing is lost.
def _length_required(hdrs: dict[str, str]) -> TusResponse | None:
    if not hdrs.get("transfer-encoding"):
        return None
    return _error(
        411,
        "a request body must have a Content-Length; Transfer-Encoding is not accepted",
        code="length_required",
        field="Transfer-Encoding",
        reason="not_supported",
    )


def _ok(status: int, headers: dict[str, str]) -> TusResponse:
    return TusResponse(status, {"Tus-Resumable": h.TUS_VERSION, **headers})


class TusServer:
    """Resumable uploads into ``upload_dir``; finished files are handed to ``on_complete``."""

    def __init__(
        self,
        upload_dir: Path | str,
        *,
        max_size: int,
        expiry: timedelta,
        clock: Callable[[], datetime],
        on_complete: OnComplete | None = None,
        base_url: str = "/files/",
        max_metadata_bytes: int = h.DEFAULT_MAX_METADATA_BYTES,
        checkpoint_every: int = 8 * 1024 * 1024,
        lock_timeout: float = 10.0,
        max_handoff_attempts: int = MAX_HANDOFF_ATTEMPTS,
        handoff_first_delay: timedelta = HANDOFF_FIRST_DELAY,
    ) -> None:
        self.files = UploadFiles(Path(upload_dir))
        self.max_size, self.expiry, self.clock = max_size, expiry, clock
        self.on_complete = on_complete
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.max_metadata_bytes = max_metadata_bytes
        self.checkpoint_every = checkpoint_every
        self.lock_timeout = lock_timeout
        self.handoff = HandoffPolicy(max_attempts=max_handoff_attempts, first_delay=handoff_first_delay)

    # ----------------------------------------------------------------- OPTIONS / HEAD / DELETE
    def options(self) -> TusResponse:
        return TusResponse(
            204,
            {
                "Tus-Resumable": h.TUS_VERSION,
                "Tus-Version": h.TUS_VERSION,
                "Tus-Max-Size": str(self.max_size),
                "Tus-Extension": h.EXTENSIONS,
                "Tus-Checksum-Algorithm": ",".join(h.CHECKSUM_ALGORITHMS),
            },
        )

    def head(self, upload_id: str, headers: Mapping[str, str] | None = None) -> TusResponse:
        if headers is not None and (bad := self._check_version(h.lower_keys(headers))):
            return bad
        info, missing = self._live(upload_id)
        if info is None:
            return missing
        out = {
            "Upload-Offset": str(info.offset),
            "Upload-Length": str(info.length),
            "Cache-Control": "no-store",
        }
        if info.metadata_header:
            out["Upload-Metadata"] = info.metadata_header
        if info.state != "finalized":
            out["Upload-Expires"] = h.http_date(datetime.fromisoformat(info.expires_at))
        return _ok(200, out)

    def delete(self, upload_id: str, headers: Mapping[str, str] | None = None) -> TusResponse:
        if headers is not None and (bad := self._check_version(h.lower_keys(headers))):
            return bad
        if self.files.load(upload_id) is None:
            return _error(404, "no such upload", code="not_found")
        try:
            with self.files.locked(upload_id, timeout=self.lock_timeout):
                self.files.remove(upload_id)
        except UploadLocked:
            return _error(423, "upload is busy; try again", code="locked")
        return _ok(204, {})

    # ----------------------------------------------------------------- POST (creation)
    def create(self, headers: Mapping[str, str], body_stream: Readable | None = None) -> TusResponse:
        hdrs = h.lower_keys(headers)
        if bad := self._check_version(hdrs):
            return bad
        if refused := _length_required(hdrs):
            return refused
        try:
            length, metadata, with_body = self._creation_request(hdrs)
        except h.HeaderError as exc:
            return _header_error(exc)
        except _TooLarge as exc:
            return _error(413, str(exc), code="too_large", field="Upload-Length", reason="too_large")
        if with_body and hdrs.get("content-type", "").split(";")[0].strip() != h.OFFSET_CONTENT_TYPE:
            return _error(
                415,
                f"a creation request with a body must be {h.OFFSET_CONTENT_TYPE}",
                code="unsupported_media_type",
            )
        try:
            info = self._new_upload(length, metadata, hdrs.get("upload-metadata", ""))
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            return _error(
                507,
                "server storage is full; nothing was created, try again later",
                code="insufficient_storage",
            )
        location = {"Location": self.base_url + info.id}
        if length == 0:
            return self._with(self._finish(info), location, 201)
        if with_body and body_stream is not None:
            return self._with(self._patch_locked(info.id, hdrs, body_stream, offset=0), location, 201)
        return _ok(201, {**location, "Upload-Expires": h.http_date(datetime.fromisoformat(info.expires_at))})

    def _creation_request(self, hdrs: dict[str, str]) -> tuple[int, dict[str, str], bool]:
        if "upload-defer-length" in hdrs:
            raise h.HeaderError("Upload-Defer-Length is not supported; send Upload-Length")
        length = h.parse_non_negative(hdrs.get("upload-length"), "Upload-Length")
        if length > self.max_size:
            raise _TooLarge(f"Upload-Length {length} exceeds the maximum of {self.max_size} bytes")
        metadata = h.parse_metadata(hdrs.get("upload-metadata"), max_bytes=self.max_metadata_bytes)
        h.parse_checksum(hdrs.get("upload-checksum"))
        content_length = hdrs.get("content-length", "")
        if content_length and h.ascii_number(content_length) is None:
            raise h.HeaderError("Content-Length must be ASCII digits", field="Content-Length")
        return length, metadata, content_length not in ("", "0")

    def _new_upload(self, length: int, metadata: dict[str, str], raw_metadata: str) -> UploadInfo:
        now = self.clock()
        info = UploadInfo(
            id=new_upload_id(),
            length=length,
            offset=0,
            created_at=now.isoformat(),
            expires_at=(now + self.expiry).isoformat(),
            metadata=metadata,
            metadata_header=raw_metadata,
        )
        try:
            self.files.part_path(info.id).touch(mode=0o600)
            self.files.save(info)
        except OSError:  # e.g. a full disk: leave no half-made upload behind
            self.files.remove(info.id)
            raise
        return info

    @staticmethod
    def _with(response: TusResponse, extra: dict[str, str], success_status: int) -> TusResponse:
        status = success_status if response.status in (200, 204) else response.status
        return TusResponse(status, {**response.headers, **extra}, response.body, response.error)

    # ----------------------------------------------------------------- PATCH
    def patch(self, upload_id: str, headers: Mapping[str, str], body_stream: Readable) -> TusResponse:
        hdrs = h.lower_keys(headers)
        if bad := self._check_version(hdrs):
            return bad
        if refused := _length_required(hdrs):
            return refused
        if hdrs.get("content-type", "").split(";")[0].strip() != h.OFFSET_CONTENT_TYPE:
            return _error(
                415, f"PATCH requests must be {h.OFFSET_CONTENT_TYPE}", code="unsupported_media_type"
            )
        try:
            offset = h.parse_non_negative(hdrs.get("upload-offset"), "Upload-Offset")
            h.parse_checksum(hdrs.get("upload-checksum"))
            if (raw := hdrs.get("content-length")) and h.ascii_number(raw) is None:
                raise h.HeaderError("Content-Length must be ASCII digits", field="Content-Length")
        except h.HeaderError as exc:
            return _header_error(exc)
        return self._patch_locked(upload_id, hdrs, body_stream, offset=offset)

    def _patch_locked(
        self, upload_id: str, hdrs: dict[str, str], body: Readable, *, offset: int
    ) -> TusResponse:
        try:
            with self.files.locked(upload_id, timeout=self.lock_timeout):
                return self._patch_under_lock(upload_id, hdrs, body, offset)
        except UploadLocked:
            return _error(
                423, "another request is writing to this upload; retry after it ends", code="locked"
            )
        except FileNotFoundError:
            return _error(404, "no such upload", code="not_found")

    def _patch_under_lock(
        self, upload_id: str, hdrs: dict[str, str], body: Readable, offset: int
    ) -> TusResponse:
        info, missing = self._live(upload_id)
        if info is None:
            return missing
        if offset != info.offset:
            return _error(
                409,
                f"Upload-Offset is {offset} but the server has {info.offset}",
                code="offset_mismatch",
                field="Upload-Offset",
                reason="mismatch",
            )
        if info.state in AWAITING_HANDOFF:
            return self._finish(info)  # the client's retry after a failed completion hand-off
        remaining = info.length - info.offset
        content_length = h.ascii_number(hdrs.get("content-length"))
        if content_length is not None and content_length > remaining:
            return _error(
                413,
                f"body of {content_length} bytes exceeds the {remaining} bytes still expected",
                code="too_large",
                field="Content-Length",
                reason="too_large",
            )
        return self._receive(info, body, h.parse_checksum(hdrs.get("upload-checksum")), remaining)

    def _receive(self, info: UploadInfo, body: Readable, checksum, remaining: int) -> TusResponse:
        part = self.files.part_path(info.id)
        info = self._discard_untrusted_tail(info, part)
        current = {"info": info}

        def checkpoint(offset: int) -> None:
            current["info"] = dataclasses.replace(current["info"], offset=offset)
            self.files.save(current["info"])

        hasher, hashed = _resume_hash(info)
        got = append_body(
            part=part,
            start=info.offset,
            limit=remaining,
            body=body,
            hasher=hasher,
            hashed=hashed,
            checksum=checksum,
            checkpoint_every=self.checkpoint_every,
            on_checkpoint=checkpoint,
        )
        if got.outcome == "disk_full":
            return _error(
                507,
                "server storage is full; the upload is kept, resume later",
                code="insufficient_storage",
                **{"Upload-Offset": str(got.offset)},
            )
        if got.outcome == "checksum_mismatch":
            return _error(
                460,
                "Upload-Checksum does not match the body; the chunk was discarded",
                code="checksum_mismatch",
                field="Upload-Checksum",
                reason="mismatch",
                **{"Upload-Offset": str(got.offset)},
            )
        expires = self.clock() + self.expiry
        info = dataclasses.replace(current["info"], offset=got.offset, expires_at=expires.isoformat())
        if got.hasher is not None:
            info = dataclasses.replace(info, hash_state=got.hasher.state(), hash_offset=got.offset)
        if info.offset == info.length:
            if got.hasher is None:  # append_body returns a hasher whenever the body was taken whole
                raise RuntimeError(f"upload {info.id}: complete but its SHA-256 was not computed")
            info = dataclasses.replace(info, state="complete", sha256=got.hasher.hexdigest())
        self.files.save(info)
        if info.state == "complete":
            return self._finish(info)
        return _ok(204, {"Upload-Offset": str(info.offset), "Upload-Expires": h.http_date(expires)})

    def _discard_untrusted_tail(self, info: UploadInfo, part: Path) -> UploadInfo:
        """Cut bytes past the durable offset; if the file lost bytes, fall back to its real size."""
        size = part.stat().st_size
        if size > info.offset:
            with open(part, "r+b") as fh:
                fh.truncate(info.offset)
        elif size < info.offset:
            logger.warning("upload %s: part file has %d bytes, info said %d", info.id, size, info.offset)
            info = dataclasses.replace(info, offset=size)
            self.files.save(info)
        return info

    # ----------------------------------------------------------------- completion / expiry
    def _finish(self, info: UploadInfo) -> TusResponse:
        """Hand a complete upload to ``on_complete`` now; on success it becomes ``finalized``."""
        if info.state == "receiving":  # zero-length upload
            info = dataclasses.replace(info, state="complete", sha256=hashlib.sha256(b"").hexdigest())
            self.files.save(info)
        info = self._hand_off(info, may_hold=False)
        headers = {"Upload-Offset": str(info.offset)}
        if info.state == "finalized":
            return _ok(204, headers)
        later = "it is held for an operator" if info.state == "held" else "it will be retried"
        return _error(
            500, f"upload received but could not be recorded; {later}", code="handoff_failed", **headers
        )

    def _hand_off(self, info: UploadInfo, *, may_hold: bool) -> UploadInfo:
        """One attempt (under the upload's lock); a failure is saved on the upload, the bytes kept."""
        if self.on_complete is not None:
            try:
                self.on_complete(
                    info.id, self.files.part_path(info.id), info.sha256 or "", dict(info.metadata)
                )
            except Exception as exc:  # the callback is the application's: keep the bytes, record, retry
                failed = self.handoff.failed(info, error=exc, at=self.clock(), may_hold=may_hold)
                self.files.save(failed)
                logger.warning(  # the traceback once; later failures of the same upload in one line
                    "on_complete failed for upload %s (attempt %d, now %s): %s",
                    *(info.id, failed.handoff_attempts, failed.state, failed.last_error),
                    exc_info=failed.handoff_attempts == 1,
                )
                return failed
        done = dataclasses.replace(info, state="finalized")
        self.files.save(done)
        self.files.part_path(info.id).unlink(missing_ok=True)
        return done

    def finalize_pending(self) -> list[str]:
        """Retry the hand-offs that are due (see :class:`HandoffPolicy`); return the finalized ids.

        Held uploads are left alone, busy ones are skipped until the next run; a failure at the
        attempt limit holds the upload."""
        now, done = self.clock(), []
        for info in self.files.infos("complete"):
            due = self.handoff.due_at(info)
            if due is None or due > now:
                continue
            try:
                with self.files.locked(info.id, timeout=0):
                    current = self.files.load(info.id)
                    if current is None or current.state != "complete":
                        continue
                    if self._hand_off(current, may_hold=True).state == "finalized":
                        done.append(info.id)
            except UploadLocked:
                continue
        return done

    def retry_handoff(self, upload_id: str) -> UploadInfo:
        """One hand-off attempt now for a complete or held upload, whatever the pause (a person's retry).

        Returns the upload afterwards: ``finalized``, or unchanged in state with the failure recorded.
        Raises :class:`NotAwaitingHandoff` if there is no such upload or its bytes are not all in,
        :class:`UploadLocked` while a request is writing to it."""
        if self.files.load(upload_id) is None:
            raise NotAwaitingHandoff(f"no upload {upload_id}")
        with self.files.locked(upload_id, timeout=self.lock_timeout):
            info = self.files.load(upload_id)
            if info is None or info.state not in AWAITING_HANDOFF:
                state = "gone" if info is None else info.state
                raise NotAwaitingHandoff(f"upload {upload_id} is {state}, not awaiting a hand-off")
            return self._hand_off(info, may_hold=False)

    def sweep_expired(self) -> list[str]:
        """Delete every upload past its expiry (busy ones are skipped); return their ids.

        Uploads whose bytes are all in but not yet recorded (complete, held) never expire."""
        now, swept = self.clock(), []
        for upload_id in self.files.all_ids():
            info = self.files.load(upload_id)
            if info is None or info.state in AWAITING_HANDOFF:
                continue
            if datetime.fromisoformat(info.expires_at) > now:
                continue
            try:
                with self.files.locked(upload_id, timeout=0):
                    self.files.remove(upload_id)
            except UploadLocked:
                continue
            swept.append(upload_id)
        return swept

    # ----------------------------------------------------------------- helpers
    def _live(self, upload_id: str) -> tuple[UploadInfo | None, TusResponse]:
        info = self.files.load(upload_id)
        if info is None:
            return None, _error(404, "no such upload", code="not_found")
        if info.state == "receiving" and datetime.fromisoformat(info.expires_at) <= self.clock():
            return None, _error(410, "upload expired", code="gone")
        return info, _ok(200, {})

    @staticmethod
    def _check_version(hdrs: dict[str, str]) -> TusResponse | None:
        if hdrs.get("tus-resumable") != h.TUS_VERSION:
            return _error(
                412,
                f"unsupported Tus-Resumable; this server speaks {h.TUS_VERSION}",
                code="unsupported_version",
                field="Tus-Resumable",
                reason="unsupported",
                **{"Tus-Version": h.TUS_VERSION},
            )
        return None


def _resume_hash(info: UploadInfo) -> tuple[hashing.Sha256, int]:
    """The saved running hash and how many bytes it has seen, or a fresh one that has seen none."""
    if info.hash_state and info.hash_offset <= info.offset:
        restored = hashing.restore(info.hash_state)
        if restored is not None:
            return restored, info.hash_offset
    return hashing.new(), 0


class _TooLarge(Exception):
    pass
