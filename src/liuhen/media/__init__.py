"""Media probing and display stills (PyAV); pure Python, no Django."""

from liuhen.media.geo import GeoPoint, parse_iso6709
from liuhen.media.probe import MediaInfo, MediaKind, probe
from liuhen.media.thumbnails import MediaError, poster_frame, preview

__all__ = [
    "GeoPoint",
    "MediaError",
    "MediaInfo",
    "MediaKind",
    "parse_iso6709",
    "poster_frame",
    "preview",
    "probe",
]
