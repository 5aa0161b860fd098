"""Signatures that are real: the image a signer left (a signature drawn on the officer's device, a photo
of a fingerprint or a seal) and the signed paper copy (a photo or scan of the page signed by hand).

Each is checked from its own bytes (an image must decode with Pillow; a scan is JPEG, PNG or PDF; the
declared type is never trusted), stored write-once in the blob store under its SHA-256, and recorded
as an append-only row with a ledger entry carrying the content hash and the row's state — in one
transaction, like every other record. Nothing is stored for input that fails a check.
"""

from __future__ import annotations

import hashlib
import io
import math
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Amendment, Document, Signature, SignatureMark, SignedCopy
from liuhen.cases.services.common import (
    refresh_compliance,
    require,
    require_open,
    require_same_agency,
    require_stored,
)
from liuhen.cases.services.documents import document_amend, document_sign
from liuhen.core import clock
from liuhen.core.errors import ValidationFailed, invalid
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ContentRef, ledger_append
from liuhen.storage import BlobRef

MAX_PIXELS = 40_000_000  # a phone photo is ~12 MP; more is a decompression bomb, not a fingerprint
MAX_STROKE_POINTS = 20_000  # a long Chinese name drawn slowly is a few thousand
_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Location:
    """Where the device was when the mark was captured, as the browser's geolocation gave it."""

    latitude: float
    longitude: float
    accuracy_m: float | None = None


@dataclass(frozen=True)
class MarkInput:
    """One image to attach: its kind, bytes, and (for a drawn signature) its strokes."""

    kind: str
    data: bytes
    strokes: Any = None
    field: str = "image"  # the input the bytes came from, for the error


@dataclass(frozen=True)
class _Picture:
    content_type: str
    width: int
    height: int


# --- checks on bytes ------------------------------------------------------------------------------


def _picture(data: bytes, *, field: str, limit: int) -> _Picture:
    """The image ``data`` decodes to (PNG or JPEG), or a 422 naming ``field`` and why."""
    if not data:
        raise invalid(field, "required", "请选择或拍摄图片")
    if len(data) > limit:
        raise invalid(field, "too_large", f"图片超过大小上限（{limit // 1024} KB）")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format, image.size
                if width * height > MAX_PIXELS:
                    raise invalid(field, "too_large", "图片像素过多")
                image.verify()  # walks the data: a truncated or corrupt file fails here
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise invalid(field, "not_an_image", "文件不是可识别的图片（须为 PNG 或 JPEG）") from None
    if fmt not in _IMAGE_TYPES:
        raise invalid(field, "not_an_image", "图片须为 PNG 或 JPEG 格式")
    return _Picture(_IMAGE_TYPES[fmt], width, height)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(value)
    return float(value)


def _clean_strokes(strokes: Any, picture: _Picture) -> list[list[list[float | int]]]:
    """Strokes as ``[[[x, y, t_ms, pressure], …], …]``: numbers only, pressure in 0..1, points inside
    the image (a small margin: a finger leaves the canvas), at most :data:`MAX_STROKE_POINTS`. Rounded
    (0.1 px, 1 ms, 0.001) so that what is stored is what a reader of the record needs, no noise."""
    reason = "须为笔画列表：[[[x, y, t, pressure], …], …]"
    if not isinstance(strokes, list) or not strokes:
        raise invalid("strokes", "required", "手写签名须附笔画记录")
    clean: list[list[list[float | int]]] = []
    count = 0
    try:
        for stroke in strokes:
            points = []
            for point in stroke:
                x, y, t, p = (_number(v) for v in point)
                if not (-50 <= x <= picture.width + 50 and -50 <= y <= picture.height + 50 and 0 <= p <= 1):
                    raise ValueError(point)
                points.append([round(x, 1), round(y, 1), int(t), round(p, 3)])
            count += len(points)
            if points:
                clean.append(points)
    except (TypeError, ValueError):
        raise invalid("strokes", "invalid", reason) from None
    if not clean:
        raise invalid("strokes", "required", "手写签名须附笔画记录")
    if count > MAX_STROKE_POINTS:
        raise invalid("strokes", "too_long", f"笔画点数超过上限（{MAX_STROKE_POINTS}）")
    return clean


def _location(location: Location | None) -> dict[str, Decimal | None]:
    if location is None:
        return {"latitude": None, "longitude": None, "accuracy_m": None}
    lat, lng, acc = location.latitude, location.longitude, location.accuracy_m
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (acc is not None and not 0 <= acc < 10_000_000):
        raise invalid("location", "invalid", "定位信息无效")
    return {
        "latitude": Decimal(str(round(lat, 6))),
        "longitude": Decimal(str(round(lng, 6))),
        "accuracy_m": Decimal(str(round(acc, 1))) if acc is not None else None,
    }


def _store(data: bytes) -> BlobRef:
    """Put ``data`` into the blob store (write-once, named by its SHA-256)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mark"
        path.write_bytes(data)
        return blob_store().put_file(path, sha256_hex=hashlib.sha256(data).hexdigest())


def _require_writable(user: User, document: Document) -> None:
    require_stored(document)
    require(user, Permission.DOCUMENT_SIGN)
    require_same_agency(user, document.case)
    require_open(document.case)


# --- services -------------------------------------------------------------------------------------


@transaction.atomic
def mark_add(
    *,
    document: Document,
    created_by: User,
    kind: str,
    data: bytes,
    strokes: Any = None,
    signature: Signature | None = None,
    amendment: Amendment | None = None,
    location: Location | None = None,
    field: str = "image",
) -> SignatureMark:
    """Attach a signer's image to ``document`` (and to the signature or amendment it attests)."""
    _require_writable(created_by, document)
    if kind not in SignatureMark.Kind.values:
        raise invalid("kind", "invalid", f"类型须为 {'/'.join(SignatureMark.Kind.values)}")
    if signature is not None and signature.document_id != document.pk:
        raise invalid("signature_id", "not_found", "该签名不属于本文书")
    if amendment is not None and amendment.document_id != document.pk:
        raise invalid("amendment_id", "not_found", "该更正不属于本文书")
    picture = _picture(data, field=field, limit=settings.LIUHEN_MAX_SIGNATURE_IMAGE_BYTES)
    if kind == SignatureMark.Kind.STROKE:
        if picture.content_type != "image/png":
            raise invalid(field, "not_png", "手写签名须为 PNG 图片")
        clean_strokes = _clean_strokes(strokes, picture)
    elif strokes:
        raise invalid("strokes", "not_allowed", "只有手写签名附笔画记录")
    else:
        clean_strokes = []
    place = _location(location)
    blob = _store(data)
    now = clock.now()
    mark = SignatureMark.objects.create(
        document=document,
        signature=signature,
        amendment=amendment,
        kind=kind,
        sha256=blob.sha256,
        size=blob.size,
        content_type=picture.content_type,
        storage_key=blob.key,
        width=picture.width,
        height=picture.height,
        strokes=clean_strokes,
        created_at=now,
        created_by=created_by,
        **place,
    )
    objects = {"document": document.pk, "mark": mark.pk}  # document first: the entry is seen with it
    if signature is not None:
        objects["signature"] = signature.pk
    if amendment is not None:
        objects["amendment"] = amendment.pk
    ledger_append(
        action="document.mark_added",
        actor=created_by,
        agency=document.case.agency,
        case=document.case,
        objects=objects,
        contents=[ContentRef(f"mark.{kind}", blob.sha256, blob.size)],
        details={"kind": kind, "points": sum(map(len, clean_strokes)), STATE_KEY: row_states(mark=mark.pk)},
        at=now,
    )
    refresh_compliance(document.case)
    return mark


@transaction.atomic
def document_sign_marked(
    *,
    document: Document,
    recorded_by: User,
    marks: Sequence[MarkInput] = (),
    location: Location | None = None,
    **signature: Any,
) -> Signature:
    """Record a signature and the images it left (drawn strokes, fingerprint, seal) together: either
    all of it is recorded or none of it (one submit of the sign form)."""
    signed = document_sign(document=document, recorded_by=recorded_by, **signature)
    for mark in marks:
        mark_add(
            document=document,
            created_by=recorded_by,
            kind=mark.kind,
            data=mark.data,
            strokes=mark.strokes,
            signature=signed,
            location=location,
            field=mark.field,
        )
    return signed


@transaction.atomic
def document_amend_marked(
    *,
    document: Document,
    amended_by: User,
    marks: Sequence[MarkInput] = (),
    **amendment: Any,
) -> Amendment:
    """Record an amendment and the photo of the party's mark at the change (手印 or 盖章, xinle-fg§14)
    together: either both are recorded or neither (one submit of the amend form)."""
    amended = document_amend(document=document, amended_by=amended_by, **amendment)
    for mark in marks:
        mark_add(
            document=document,
            created_by=amended_by,
            kind=mark.kind,
            data=mark.data,
            amendment=amended,
            field=mark.field,
        )
    return amended


def _scan_type(data: bytes, field: str) -> tuple[str, int | None]:
    """(content type, page count) of a signed copy: a PDF (checked by opening it) or a PNG/JPEG image."""
    limit = settings.LIUHEN_MAX_SIGNED_COPY_BYTES
    if len(data) > limit:
        raise invalid(field, "too_large", f"文件超过大小上限（{limit // (1024 * 1024)} MB）")
    if data.startswith(b"%PDF-"):
        import pikepdf  # only needed for scans that are PDFs

        try:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                return PDF_TYPE, len(pdf.pages)
        except pikepdf.PdfError:
            raise invalid(field, "not_a_scan", "PDF 文件已损坏，无法读取") from None
    try:
        picture = _picture(data, field=field, limit=limit)
    except ValidationFailed as exc:  # say what a scan may be, not only what an image may be
        if exc.errors[0].reason == "not_an_image":
            raise invalid(field, "not_a_scan", "扫描件须为 JPEG、PNG 图片或 PDF 文件") from None
        raise
    return picture.content_type, 1


@transaction.atomic
def signed_copy_add(
    *,
    document: Document,
    created_by: User,
    data: bytes,
    version: int | None = None,
    note: str = "",
    field: str = "file",
) -> SignedCopy:
    """Attach the photo or scan of the paper ``document`` signed by hand. ``version``: which text was
    printed (an index of :meth:`Document.versions`; the current one if not given)."""
    _require_writable(created_by, document)
    last = len(document.amendments.all())
    if version is None:
        version = last
    if not 0 <= version <= last:
        raise invalid("version", "invalid", f"版本须在 0–{last} 之间")
    if len(note) > 500:
        raise invalid("note", "too_long", "说明不能超过 500 字")
    content_type, pages = _scan_type(data, field)
    blob = _store(data)
    now = clock.now()
    copy = SignedCopy.objects.create(
        document=document,
        version=version,
        sha256=blob.sha256,
        size=blob.size,
        content_type=content_type,
        storage_key=blob.key,
        page_count=pages,
        note=note.strip(),
        created_at=now,
        created_by=created_by,
    )
    ledger_append(
        action="document.signed_copy_added",
        actor=created_by,
        agency=document.case.agency,
        case=document.case,
        objects={"document": document.pk, "signed_copy": copy.pk},  # document first, as for marks
        contents=[ContentRef("signed_copy", blob.sha256, blob.size)],
        details={"version": version, "pages": pages, STATE_KEY: row_states(signed_copy=copy.pk)},
        at=now,
    )
    refresh_compliance(document.case)
    return copy
