"""How a stored evidence file may be sent to a browser: its type read from its own first bytes.

The Content-Type an uploader declares is never trusted: an ``.html`` or ``.svg`` file uploaded as
"video" would otherwise run script in the site's origin. :func:`sniff_type` recognises an allow-list of
audio, video and raster-image formats by their magic bytes; :func:`delivery` turns the result into the
response headers. A recognised file is sent ``inline`` with the sniffed type (so it plays in the page);
anything else (SVG, HTML, PDF, office files, unknown bytes) is sent as an ``attachment`` of type
``application/octet-stream``. Every file response also carries ``X-Content-Type-Options: nosniff`` and
``Content-Security-Policy: sandbox``, so even a file opened directly cannot script the site.

Pure Python, no Django: the caller reads the first :data:`HEAD_BYTES` bytes from the blob store.
"""

from __future__ import annotations

from dataclasses import dataclass

HEAD_BYTES = 1024
"""How many leading bytes :func:`sniff_type` looks at (MPEG-TS needs three 188-byte packets)."""

OCTET_STREAM = "application/octet-stream"

_EXTENSIONS = {
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/3gpp": "3gp",
    "video/3gpp2": "3g2",
    "video/webm": "webm",
    "video/x-matroska": "mkv",
    "video/mp2t": "ts",
    "video/mpeg": "mpg",
    "video/x-msvideo": "avi",
    "video/x-ms-asf": "asf",
    "video/x-flv": "flv",
    "video/ogg": "ogv",
    "audio/mp4": "m4a",
    "audio/mpeg": "mp3",
    "audio/aac": "aac",
    "audio/wav": "wav",
    "audio/aiff": "aiff",
    "audio/ogg": "ogg",
    "audio/flac": "flac",
    "audio/amr": "amr",
    "audio/amr-wb": "awb",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/bmp": "bmp",
    "image/tiff": "tif",
    "image/heic": "heic",
    "image/avif": "avif",
}
SAFE_TYPES = frozenset(_EXTENSIONS)
"""Every type :func:`sniff_type` can answer; none of them is rendered by a browser as a document."""

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_AUDIO_MP4_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "})
# QuickTime files written without an ``ftyp`` box start with one of these top-level atoms.
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_BMP_DIB_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})

_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"fLaC", "audio/flac"),
    (b"#!AMR\n", "audio/amr"),
    (b"#!AMR-WB\n", "audio/amr-wb"),
    (b"ID3", "audio/mpeg"),
    (b"FLV\x01", "video/x-flv"),
    (b"\x00\x00\x01\xba", "video/mpeg"),
    (b"\x00\x00\x01\xb3", "video/mpeg"),
    (_ASF_GUID, "video/x-ms-asf"),
)


@dataclass(frozen=True, slots=True)
class Delivery:
    """How to send one stored file: its Content-Type, whether inline, and every header to set."""

    content_type: str
    inline: bool
    headers: dict[str, str]


def sniff_type(head: bytes) -> str | None:
    """The media type of a file that starts with ``head``, if it is an allowed A/V or image format.

    ``None`` for everything else, SVG, HTML, XML, PDF and plain text included.
    """
    for prefix, media_type in _PREFIXES:
        if head.startswith(prefix):
            return media_type
    return _riff(head) or _iso_bmff(head) or _ebml(head) or _ogg(head) or _other(head)


def delivery(head: bytes, *, download: bool, name: str) -> Delivery:
    """The response headers for a file starting with ``head``; ``name`` is a plain ASCII file stem.

    An allowed type is sent inline (or as a download when ``download``); anything else is always an
    ``application/octet-stream`` attachment.
    """
    sniffed = sniff_type(head)
    inline = sniffed is not None and not download
    filename = f"{name}.{_EXTENSIONS[sniffed]}" if sniffed else name
    return Delivery(
        content_type=sniffed or OCTET_STREAM,
        inline=inline,
        headers={
            "Content-Type": sniffed or OCTET_STREAM,
            "Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, no-store",
        },
    )


def _riff(head: bytes) -> str | None:
    if head[:4] == b"RIFF":
        return {b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo", b"WEBP": "image/webp"}.get(head[8:12])
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "audio/aiff"
    return None


def _iso_bmff(head: bytes) -> str | None:
    """MP4, QuickTime, 3GP, M4A, HEIF/AVIF stills: all ISO base media files, told apart by brand."""
    box = head[4:8]
    if box in _QUICKTIME_ATOMS:
        return "video/quicktime"
    if box != b"ftyp":
        return None
    size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    if brands & _AVIF_BRANDS and major not in _HEIC_BRANDS:
        return "image/avif"
    if brands & _HEIC_BRANDS and major not in (b"qt  ", b"isom", b"mp41", b"mp42"):
        return "image/heic"
    if major in (b"mif1", b"msf1"):
        return None  # a HEIF file of neither kind: no browser shows it
    if major == b"qt  ":
        return "video/quicktime"
    if major in _AUDIO_MP4_BRANDS:
        return "audio/mp4"
    if major.startswith(b"3gp"):
        return "video/3gpp"
    if major.startswith(b"3g2"):
        return "video/3gpp2"
    return "video/mp4"  # isom, mp41, mp42, avc1, iso2…, and the many camera makers' own brands


def _ebml(head: bytes) -> str | None:
    """Matroska and WebM share the EBML header; the DocType element says which."""
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    return "video/webm" if b"\x42\x82\x84webm" in head[:64] else "video/x-matroska"


def _ogg(head: bytes) -> str | None:
    if not head.startswith(b"OggS"):
        return None
    return "video/ogg" if b"\x80theora" in head[:64] else "audio/ogg"


def _other(head: bytes) -> str | None:
    """Formats with no fixed prefix: MPEG transport streams, bare MP3 and ADTS AAC frames, BMP."""
    if len(head) >= 377 and head[0] == head[188] == head[376] == 0x47:
        return "video/mp2t"
    if len(head) >= 393 and head[4] == head[196] == head[388] == 0x47:  # M2TS: 4-byte time code first
        return "video/mp2t"
    if len(head) >= 3 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return _mpeg_audio(head)
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_DIB_SIZES:
        return "image/bmp"
    return None


def _mpeg_audio(head: bytes) -> str | None:
    """An MPEG audio frame header (MP3) or an ADTS header (AAC); reserved field values refuse."""
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    if layer == 0:
        return "audio/aac" if head[1] & 0xF6 == 0xF0 and (head[2] >> 2) & 0xF < 13 else None
    if version == 1 or head[2] >> 4 == 0xF or (head[2] >> 2) & 3 == 3:
        return None
    return "audio/mpeg"
