"""Read what a photo, audio or video file says about itself, with PyAV (FFmpeg). Read-only.

``probe`` never raises for bad input: a file FFmpeg cannot parse comes back as
``MediaInfo(kind="unknown", error=...)`` so the upload is kept and flagged, not lost. That includes a
format FFmpeg recognises but has no decoder for (SVG: ``svg_pipe`` with no codec), HTML, random
bytes and truncated media; anything else FFmpeg or PyAV raises on an uploader's bytes is caught too,
logged, and reported the same way (an unreadable file must never leave its upload stuck).

Photos: capture time and GPS come from the EXIF block (JPEG APP1, or a HEIF ``Exif`` item), read by
:mod:`liuhen.media.exif`, since FFmpeg does not expose the GPS IFD. HEIF stills (HEIC, AVIF), which
FFmpeg opens as one hevc/av1 stream per image item, are reported as ``photo`` with the primary image's
displayed size from :mod:`liuhen.media.heif` and ``container="heif"``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av

from liuhen.media.exif import ExifFacts, jpeg_exif_block, read_exif
from liuhen.media.geo import GeoPoint, parse_iso6709
from liuhen.media.heif import STILL_BRANDS, HeifStill, read_heif_still

logger = logging.getLogger(__name__)

MediaKind = Literal["photo", "audio", "video", "unknown"]

_IMAGE_FORMATS = {"image2", "image2pipe", "gif", "webp_pipe"}
_LOCATION_TAGS = ("com.apple.quicktime.location.ISO6709", "location", "location-eng")
_CAPTURE_TAGS = ("com.apple.quicktime.creationdate", "creation_time", "date")
_EXIF_CAPTURE_TAGS = ("DateTimeOriginal", "DateTimeDigitized", "DateTime")


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What a media file declares about itself. ``duration`` is exact (a Fraction of seconds)."""

    kind: MediaKind
    container: str | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    duration: Fraction | None = None
    width: int | None = None
    height: int | None = None
    captured_at: str | None = None
    captured_at_source: str | None = None
    gps: GeoPoint | None = None
    error: str | None = None

    @property
    def flagged(self) -> bool:
        """True when the file could not be understood and needs a human look."""
        return self.kind == "unknown" or self.error is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with no floats (duration as ``"num/den"`` or integer string)."""
        return {
            "kind": self.kind,
            "container": self.container,
            "video_codec": self.video_codec,
            "audio_codec": self.audio_codec,
            "duration": None if self.duration is None else str(self.duration),
            "width": self.width,
            "height": self.height,
            "captured_at": self.captured_at,
            "captured_at_source": self.captured_at_source,
            "gps": None if self.gps is None else self.gps.to_dict(),
            "error": self.error,
        }


def probe(path: Path | str) -> MediaInfo:
    """Describe the media file at ``path``; unknown or broken files give ``kind="unknown"``."""
    try:
        with av.open(str(path), mode="r") as container:
            if _is_heif_still(container):
                return _describe_heif(container, Path(path))
            return _describe(container, Path(path))
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        return MediaInfo(kind="unknown", error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # untrusted bytes through a C library: flag the file, never fail the upload
        logger.warning("probe of %s failed unexpectedly", path, exc_info=True)
        return MediaInfo(kind="unknown", error=f"{type(exc).__name__}: {exc}")


def _describe(container: Any, path: Path) -> MediaInfo:
    video = _decodable(container.streams.video)
    audio = _decodable(container.streams.audio)
    kind = _kind(container.format.name, video, audio)
    if kind == "unknown":
        undecodable = len(container.streams.video) + len(container.streams.audio) > 0
        why = "no decoder for its streams" if undecodable else "no audio or video stream"
        return MediaInfo(kind="unknown", container=container.format.name, error=why)
    tags = _all_tags(container)
    captured_at, source = _capture_time(tags)
    gps = _location(tags)
    if kind == "photo":
        exif = _jpeg_exif(path)
        if exif is None and captured_at is None and video is not None and video.codec_context.name != "mjpeg":
            # PNG, WebP …: whatever EXIF FFmpeg's decoder exports as frame metadata
            captured_at, source = _exif_capture_time(container)
        captured_at, source, gps = _prefer_tags(captured_at, source, gps, exif or ExifFacts())
    return MediaInfo(
        kind=kind,
        container=container.format.name,
        video_codec=video.codec_context.name if video else None,
        audio_codec=audio.codec_context.name if audio else None,
        duration=None if kind == "photo" else _duration(container, video or audio),
        width=video.codec_context.width if video else None,
        height=video.codec_context.height if video else None,
        captured_at=captured_at,
        captured_at_source=source,
        gps=gps,
    )


def _decodable(streams: Any) -> Any:
    """The first stream FFmpeg has a decoder for (SVG's stream, for one, has none), else ``None``."""
    return next((stream for stream in streams if stream.codec_context is not None), None)


def _describe_heif(container: Any, path: Path) -> MediaInfo:
    """A HEIF still: one photo, whatever number of item streams FFmpeg made of it."""
    with open(path, "rb") as fh:
        still = read_heif_still(fh)
    stream = _primary_stream(container, still)
    exif = read_exif(still.exif) if still and still.exif else ExifFacts()
    width, height = (still.width, still.height) if still and still.width else (None, None)
    if width is None and stream is not None and stream.codec_context.width:
        width, height = stream.codec_context.width, stream.codec_context.height
    return MediaInfo(
        kind="photo" if stream is not None else "unknown",
        container="heif",
        video_codec=stream.codec_context.name if stream is not None else None,
        width=width,
        height=height,
        captured_at=exif.captured_at,
        captured_at_source=exif.captured_at_source,
        gps=exif.gps,
        error=_heif_problem(still, stream),
    )


def _heif_problem(still: HeifStill | None, stream: Any) -> str | None:
    if stream is None:
        return "HEIF file without a decodable image item"
    if still is None:
        return "HEIF item structure not readable; size is the first image stream's"
    return "HEIF grid not readable" if still.item_type == "grid" and still.grid is None else None


def _is_heif_still(container: Any) -> bool:
    brand = container.metadata.get("major_brand", "").encode("latin-1", "replace")
    return container.format.name.startswith("mov") and brand in STILL_BRANDS


def _primary_stream(container: Any, still: HeifStill | None) -> Any:
    """The stream of the primary item (of its first tile for a grid), else FFmpeg's default stream."""
    by_item = {stream.id: stream for stream in container.streams.video}
    if still is not None:
        item = still.grid.tiles[0] if still.grid else still.primary
        if item in by_item:
            return by_item[item]
    defaults = [s for s in container.streams.video if s.disposition & av.stream.Disposition.default]
    return (defaults or list(container.streams.video) or [None])[0]


def _jpeg_exif(path: Path) -> ExifFacts | None:
    """EXIF facts of a JPEG file; ``None`` when it is no JPEG or carries no EXIF segment."""
    with open(path, "rb") as fh:
        block = jpeg_exif_block(fh)
    return None if block is None else read_exif(block)


def _prefer_tags(
    captured_at: str | None, source: str | None, gps: GeoPoint | None, exif: ExifFacts
) -> tuple[str | None, str | None, GeoPoint | None]:
    """Container tags win where present; EXIF fills what they leave empty."""
    if captured_at is None:
        captured_at, source = exif.captured_at, exif.captured_at_source
    return captured_at, source, gps or exif.gps


def _kind(format_name: str, video: Any, audio: Any) -> MediaKind:
    if video is not None:
        is_image = format_name in _IMAGE_FORMATS or format_name.endswith("_pipe")
        return "photo" if is_image and audio is None else "video"
    return "audio" if audio is not None else "unknown"


def _duration(container: Any, stream: Any) -> Fraction | None:
    if stream is not None and stream.duration is not None and stream.time_base is not None:
        return Fraction(stream.duration) * stream.time_base
    if container.duration is not None:
        return Fraction(container.duration, av.time_base)
    return None


def _all_tags(container: Any) -> dict[str, str]:
    """Container tags first, then stream tags that the container does not already have."""
    tags: dict[str, str] = {}
    for stream in container.streams:
        tags.update(stream.metadata)
    tags.update(container.metadata)
    return tags


def _capture_time(tags: dict[str, str]) -> tuple[str | None, str | None]:
    for name in _CAPTURE_TAGS:
        if name in tags and (stamp := _normalise_timestamp(tags[name])):
            return stamp, f"tag:{name}"
    return None, None


def _normalise_timestamp(text: str) -> str | None:
    """ISO 8601 with an offset → UTC ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``; without one, kept as local."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _exif_capture_time(container: Any) -> tuple[str | None, str | None]:
    """EXIF times have no zone: returned as naive local ``YYYY-MM-DDTHH:MM:SS``."""
    try:
        frame = next(container.decode(video=0))
    except (av.FFmpegError, StopIteration):
        return None, None
    for name in _EXIF_CAPTURE_TAGS:
        raw = frame.metadata.get(name)
        if raw:
            try:
                return datetime.strptime(raw.strip(), "%Y:%m:%d %H:%M:%S").isoformat(), f"exif:{name}"
            except ValueError:
                continue
    return None, None


def _location(tags: dict[str, str]) -> GeoPoint | None:
    for name in _LOCATION_TAGS:
        if name in tags and (point := parse_iso6709(tags[name])):
            return point
    return None
