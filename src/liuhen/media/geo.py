"""Parse ISO 6709 location strings as cameras and phones embed them (``+31.2304+121.4737+010.000/``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_ISO6709 = re.compile(
    r"^(?P<lat>[+-]\d+(?:\.\d+)?)(?P<lon>[+-]\d+(?:\.\d+)?)(?P<alt>[+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?/?$"
)
_MICRO_DEGREE = Decimal("0.0000001")  # ~1 cm; for converted degree-minute(-second) forms


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """A WGS-84 point in decimal degrees (exact decimals, never floats); altitude in metres."""

    lat: Decimal
    lon: Decimal
    alt: Decimal | None
    raw: str

    def to_dict(self) -> dict[str, str | None]:
        return {
            "lat": str(self.lat),
            "lon": str(self.lon),
            "alt": None if self.alt is None else str(self.alt),
            "raw": self.raw,
        }


def _to_degrees(text: str, degree_digits: int) -> Decimal:
    """Convert ±D[D[D]][MM[SS]][.fff] (ISO 6709 forms) to decimal degrees."""
    sign = -1 if text[0] == "-" else 1
    whole, _, frac = text[1:].partition(".")
    extra = len(whole) - degree_digits
    if extra not in (0, 2, 4):
        raise ValueError(f"not an ISO 6709 coordinate: {text!r}")
    value = Decimal(whole + ("." + frac if frac else ""))
    if extra == 0:
        return sign * value
    scale = Decimal(10) ** extra
    degrees = (value / scale).to_integral_value(rounding="ROUND_FLOOR")
    rest = value - degrees * scale
    if extra == 2:
        return (sign * (degrees + rest / 60)).quantize(_MICRO_DEGREE)
    minutes = (rest / 100).to_integral_value(rounding="ROUND_FLOOR")
    seconds = rest - minutes * 100
    return (sign * (degrees + minutes / 60 + seconds / 3600)).quantize(_MICRO_DEGREE)


def parse_iso6709(raw: str) -> GeoPoint | None:
    """Return the point in ``raw``, or ``None`` if it is not a valid ISO 6709 string."""
    match = _ISO6709.match(raw.strip())
    if not match:
        return None
    try:
        lat = _to_degrees(match["lat"], 2)
        lon = _to_degrees(match["lon"], 3)
        alt = Decimal(match["alt"]) if match["alt"] else None
    except (ValueError, InvalidOperation):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return GeoPoint(lat=lat, lon=lon, alt=alt, raw=raw.strip())
