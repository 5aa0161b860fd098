"""redact_photo() and redact_video(): black regions, muted sound, the original untouched, bad regions refused.

The media are made here: a 3 s 320x240 H.264 clip of a textured picture with a 440 Hz tone (AAC), PNG and
JPEG photos (the JPEG with GPS in its EXIF). Pixels are compared with Pillow's ImageStat on decoded
frames; the sound by its peak level in decoded AAC frames.
"""

from __future__ import annotations

import array
import hashlib
import math
from fractions import Fraction
from pathlib import Path

import av
import pytest
from PIL import Image, ImageChops, ImageStat

from liuhen.media.redact import (
    Rect,
    RegionError,
    TimeRange,
    VideoRegion,
    redact_photo,
    redact_video,
    video_geometry,
)

RATE, FPS, SECONDS, SIZE = 16000, 25, 3, (320, 240)


def textured(size: tuple[int, int] = SIZE) -> Image.Image:
    """A picture with detail everywhere (gradients and bands), so a region's mean says what happened."""
    ramp = Image.linear_gradient("L").resize(size)
    bands = Image.new("L", size)
    bands.paste(200, (0, 0, size[0], size[1] // 3))
    bands.paste(90, (0, size[1] // 3, size[0], 2 * size[1] // 3))
    return Image.merge("RGB", (ramp, bands, ramp.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))


def make_clip(path: Path, *, picture: bool = True, sound: bool = True) -> Path:
    """A SECONDS-long MP4: the textured picture at FPS and/or a 440 Hz tone at half scale."""
    with av.open(str(path), "w", format="mp4") as out:
        streams = []  # all streams exist before the first packet is written
        if picture:
            video = out.add_stream("libx264", rate=FPS)
            video.width, video.height, video.pix_fmt = *SIZE, "yuv420p"
            streams.append((video, _pictures()))
        if sound:
            streams.append((out.add_stream("aac", rate=RATE, layout="mono"), _tone()))
        for stream, source in streams:
            for frame in source:
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))
    return path


def _pictures() -> list[av.VideoFrame]:
    image = textured()
    out = []
    for i in range(FPS * SECONDS):
        frame = av.VideoFrame.from_image(image)
        frame.pts = i
        out.append(frame)
    return out


def _tone() -> list[av.AudioFrame]:
    step, out = RATE // 10, []
    for start in range(0, RATE * SECONDS, step):
        wave = array.array("f", (0.5 * math.sin(2 * math.pi * 440 * (start + j) / RATE) for j in range(step)))
        frame = av.AudioFrame(format="flt", layout="mono", samples=step)
        frame.sample_rate, frame.pts, frame.time_base = RATE, start, Fraction(1, RATE)
        frame.planes[0].update(wave.tobytes())
        out.append(frame)
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def frames(path: Path) -> list[tuple[float, Image.Image]]:
    with av.open(str(path)) as container:
        return [(float(f.time), f.to_image()) for f in container.decode(video=0)]


def peaks(path: Path) -> list[tuple[float, float]]:
    """(start time, peak absolute sample) of each decoded audio frame (AAC decodes to float planar)."""
    out = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            samples = array.array("f", bytes(frame.planes[0]))[: frame.samples]
            out.append((float(frame.time), max(abs(s) for s in samples)))
    return out


def luma(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    return ImageStat.Stat(image.convert("L").crop(box)).mean[0]


BOX = Rect(40, 30, 100, 80)
INSIDE = (BOX.x + 4, BOX.y + 4, BOX.x + BOX.w - 4, BOX.y + BOX.h - 4)
OUTSIDE = (180, 100, 320, 240)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "cam.mp4")


def test_given_clip_when_region_and_mute_then_pixels_and_sound_withheld_only_there(clip, tmp_path):
    """GIVEN a 3 s clip WHEN a rect is redacted over 1.0–2.0 s and the sound muted over 0.5–1.5 s
    THEN inside the rect during the range the frames are black, elsewhere they match the source, the
    sound is silent only in the mute range, the timestamps and codecs are kept and the source unchanged."""
    before = digest(clip)
    out = tmp_path / "redacted.mp4"

    redact_video(clip, out, regions=[VideoRegion(BOX, 1.0, 2.0)], mute=[TimeRange(0.5, 1.5)])

    assert digest(clip) == before
    source, redacted = frames(clip), frames(out)
    assert [t for t, _ in redacted] == [t for t, _ in source]
    for (t, original), (_, image) in zip(source, redacted, strict=True):
        assert abs(luma(image, OUTSIDE) - luma(original, OUTSIDE)) < 3, t
        if 1.0 <= t <= 2.0:
            assert luma(image, INSIDE) < 3 < luma(original, INSIDE) - 40, t
        elif t < 0.9 or t > 2.1:
            assert abs(luma(image, INSIDE) - luma(original, INSIDE)) < 3, t
    levels = peaks(out)
    silent = [p for t, p in levels if t >= 0.5 and t + 0.064 <= 1.5]  # whole AAC frames in the range
    loud = [p for t, p in levels if (t > 0.1 and t + 0.064 < 0.45) or 1.6 < t < 2.8]
    assert len(silent) >= 12 and max(silent) < 0.01
    assert len(loud) >= 20 and min(loud) > 0.3
    with av.open(str(out)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (container.format.name.split(",")[0], video.codec_context.name, video.format.name) == (
            "mov",
            "h264",
            "yuv420p",
        )
        assert audio.codec_context.name == "aac"
    assert video_geometry(out)[:2] == SIZE


@pytest.mark.parametrize(
    ("regions", "mute", "field", "reason"),
    [
        (
            [VideoRegion(Rect(0, 0, 10, 10), 0, 1), VideoRegion(Rect(300, 0, 40, 10), 0, 1)],
            [],
            "regions[1]",
            "outside_frame",
        ),
        ([VideoRegion(Rect(-1, 0, 10, 10), 0, 1)], [], "regions[0]", "outside_frame"),
        ([VideoRegion(Rect(0, 0, 0, 10), 0, 1)], [], "regions[0]", "empty"),
        ([VideoRegion(Rect(0, 0, 10, 10), 2.5, 4.0)], [], "regions[0]", "outside_duration"),
        ([VideoRegion(Rect(0, 0, 10, 10), 1.0, 1.0)], [], "regions[0]", "end_before_start"),
        ([], [TimeRange(0, 1), TimeRange(-0.5, 1)], "mute[1]", "outside_duration"),
        ([], [TimeRange(2, 1)], "mute[0]", "end_before_start"),
    ],
)
def test_given_bad_region_or_range_when_redacting_video_then_region_error_and_nothing_written(
    clip, tmp_path, regions, mute, field, reason
):
    """GIVEN a 320x240 3 s clip WHEN a region leaves the frame or a range leaves [0, 3] or ends before it
    starts THEN RegionError names it, says why in Chinese, and no output (nor part file) exists."""
    out = tmp_path / "redacted.mp4"

    with pytest.raises(RegionError) as caught:
        redact_video(clip, out, regions=regions, mute=mute)

    assert (caught.value.field, caught.value.reason) == (field, reason)
    assert f"第{int(field[-2]) + 1}个" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_given_sound_recording_when_muted_then_silent_there_and_regions_refused(tmp_path):
    """GIVEN a recording with sound only WHEN 1.0–2.0 s is muted THEN the MP4 holds AAC silent there and
    loud elsewhere; a picture region on it is refused as ``no_picture``."""
    talk = make_clip(tmp_path / "talk.mp4", picture=False)
    out = tmp_path / "muted.mp4"

    redact_video(talk, out, regions=[], mute=[TimeRange(1.0, 2.0)])

    levels = peaks(out)
    silent = [p for t, p in levels if t >= 1.0 and t + 0.064 <= 2.0]
    loud = [p for t, p in levels if 0.1 < t < 0.9 or 2.1 < t < 2.8]
    assert len(silent) >= 12 and max(silent) < 0.01
    assert len(loud) >= 20 and min(loud) > 0.3
    assert video_geometry(out)[:2] == (0, 0)
    with pytest.raises(RegionError) as caught:
        redact_video(talk, tmp_path / "x.mp4", regions=[VideoRegion(Rect(0, 0, 1, 1), 0, 1)], mute=[])
    assert (caught.value.field, caught.value.reason) == ("regions[0]", "no_picture")


def test_given_png_when_redacted_then_rects_black_and_every_other_pixel_identical(tmp_path):
    """GIVEN a 320x240 PNG WHEN two rects are redacted THEN they are opaque black, all other pixels are
    byte-identical to the source, the format is PNG and the source file is unchanged."""
    src = tmp_path / "scene.png"
    textured().save(src)
    before = digest(src)
    rects = [Rect(10, 10, 50, 40), Rect(200, 150, 120, 90)]

    redact_photo(src, tmp_path / "out.png", rects)

    assert digest(src) == before
    with Image.open(tmp_path / "out.png") as out:
        assert out.format == "PNG"
        expected = textured()
        for r in rects:
            assert out.crop((r.x, r.y, r.x + r.w, r.y + r.h)).getextrema() == ((0, 0), (0, 0), (0, 0))
            expected.paste((0, 0, 0), (r.x, r.y, r.x + r.w, r.y + r.h))
        assert ImageChops.difference(out.convert("RGB"), expected).getbbox() is None


def test_given_jpeg_with_gps_when_redacted_then_black_there_close_elsewhere_and_no_metadata(tmp_path):
    """GIVEN a JPEG whose EXIF holds a camera model and a GPS position WHEN a rect is redacted THEN the
    output is a JPEG with no EXIF at all, black in the rect and within JPEG noise of the source outside."""
    src = tmp_path / "scene.jpg"
    exif = Image.Exif()
    exif[0x0110] = "Camera-X"
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 13.0, 49.0), 3: "E", 4: (121.0, 28.0, 25.0)})
    textured().save(src, quality=92, exif=exif.tobytes())
    with Image.open(src) as check:
        assert check.getexif().get_ifd(0x8825)  # the fixture really carries GPS
    before = digest(src)

    redact_photo(src, tmp_path / "out.jpg", [BOX])

    assert digest(src) == before
    data = (tmp_path / "out.jpg").read_bytes()
    assert b"Exif" not in data and b"Camera-X" not in data
    with Image.open(tmp_path / "out.jpg") as out:
        assert out.format == "JPEG" and not out.getexif()
        original = textured()
        assert luma(out, INSIDE) < 2
        assert abs(luma(out, OUTSIDE) - luma(original, OUTSIDE)) < 2


def test_given_rect_outside_photo_when_redacting_then_region_error_names_it_and_nothing_written(tmp_path):
    """GIVEN a 320x240 PNG WHEN the second rect reaches past the bottom edge THEN RegionError rects[1]."""
    src = tmp_path / "scene.png"
    textured().save(src)

    with pytest.raises(RegionError) as caught:
        redact_photo(src, tmp_path / "out.png", [Rect(0, 0, 5, 5), Rect(0, 200, 10, 41)])

    assert (caught.value.field, caught.value.reason) == ("rects[1]", "outside_frame")
    assert "超出画面" in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scene.png"]
