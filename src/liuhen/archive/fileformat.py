"""What a file is and whether it can be kept: GB/T 18894-2016 formats by magic bytes (never by the
file's name), signs of encryption or non-public compression (DA/T 70 3-3, 3-8), and one pass over the
bytes for the digests. Standard library only: part of the standalone package checker."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from liuhen.archive.sm3 import sm3_hasher

CHUNK = 1 << 20
# GB/T 18894-2016 formats: family → the MIME types a metadata record may give it
ALLOWED = {
    "PDF": ("application/pdf",),
    "OFD": ("application/ofd",),
    "JPEG": ("image/jpeg",),
    "TIFF": ("image/tiff",),
    "WAV": ("audio/wav", "audio/x-wav", "audio/vnd.wave"),
    "MP3": ("audio/mpeg",),
    "MP4": ("video/mp4", "audio/mp4"),
    "MPEG": ("video/mpeg", "video/mp2t"),
    "AVI": ("video/x-msvideo", "video/avi"),
}
ARCHIVES = (b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")


@dataclass
class FileFacts:
    size: int
    sha256: str
    sm3: str | None
    family: str | None
    encrypted: str


def sniff(head: bytes, path: Path) -> str | None:
    """The GB/T 18894 family of a file by its magic bytes (never its extension), or ``None``."""
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI "):
        return "WAV" if head[8:12] == b"WAVE" else "AVI"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "MP3"
    if head[4:8] == b"ftyp" and head[8:12] != b"qt  ":
        return "MP4"
    if head.startswith(b"\x00\x00\x01\xba") or head[:1] == b"\x47" and head[188:189] in (b"\x47", b""):
        return "MPEG"
    if head.startswith(b"PK\x03\x04") and _is_ofd(path):
        return "OFD"
    return None


def _is_ofd(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "OFD.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def hash_file(path: Path, *, with_sm3: bool) -> FileFacts:
    """One pass over the file: SHA-256, SM3 if asked, its format family and any sign of encryption."""
    sha = hashlib.sha256()
    sm3 = sm3_hasher() if with_sm3 else None
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    size, head, family, encrypted, carry = 0, b"", None, "", b""
    with path.open("rb", buffering=0) as handle:
        while n := handle.readinto(buffer):
            chunk = view[:n]
            sha.update(chunk)
            if sm3 is not None:
                sm3.update(chunk)
            if size == 0:
                head = bytes(chunk[:256])
                family = sniff(head, path)
            if family == "PDF" and not encrypted:  # the trailer's /Encrypt entry (ISO 32000 §7.6)
                window = carry + bytes(chunk)
                encrypted = "PDF 含 /Encrypt（已加密）" if b"/Encrypt" in window else ""
                carry = window[-16:]
            size += n
    if family == "MP4" and not encrypted:
        encrypted = _mp4_encryption(path)
    if family is None and head.startswith(ARCHIVES):
        encrypted = "压缩包（非公开或非归档格式的压缩）"
    return FileFacts(size, sha.hexdigest(), sm3.hexdigest() if sm3 is not None else None, family, encrypted)


def _mp4_encryption(path: Path) -> str:
    """Common Encryption (ISO/IEC 23001-7) marks protected tracks with ``encv``/``enca``/``sinf`` in moov."""
    with path.open("rb") as handle:
        while header := handle.read(8):
            if len(header) < 8:
                return ""
            size, kind = int.from_bytes(header[:4], "big"), header[4:]
            body = 8
            if size == 1:
                size, body = int.from_bytes(handle.read(8), "big"), 16
            if kind == b"moov":
                moov = handle.read(min(size - body, 64 << 20))
                if any(marker in moov for marker in (b"encv", b"enca", b"sinf")):
                    return "MP4 含加密轨道（encv/enca/sinf）"
                return ""
            if size < body:  # 0 (to the end) or malformed: no moov to look into
                return ""
            handle.seek(size - body, 1)
    return ""
