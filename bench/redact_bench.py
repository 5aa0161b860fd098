"""Benchmark redacted derivatives of 1080p video (#13): ``redact_video`` (three black regions over time ranges, two muted ranges) and a watermarked viewing copy (``watermark_video``), each on one core (decoder and libx264 both ``thread_count = 1``, preset ``veryfast``, CRF 20), as a multiple of real time, against a baseline measured in the same run: a plain PyAV decode + re-encode of the same clip with the same encoder settings and no filter graph. Target: ≥ 1× real time on one core for a 10-minute clip. The clip (FFmpeg ``testsrc2`` 1920×1080 at 25 fps, moving, with a ``sine`` tone in AAC) is ``LIUHEN_BENCH_REDACT_SECONDS`` long (default 60 s, not 10 min, to keep the run short on a shared machine): the work is per frame and per sample, so the real-time multiple does not depend on the length.

Run: ``.venv/bin/python -m bench redact`` (writes docs/benchmarks.md) or ``.venv/bin/python -m bench.redact_bench``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av

from bench.common import BenchResult
from liuhen.media.redact import CRF, PRESET, Rect, TimeRange, VideoRegion, redact_video, video_geometry
from liuhen.media.watermark import watermark_video

WIDTH, HEIGHT, FPS = 1920, 1080, 25


def make_source(path: Path, seconds: int) -> None:
    """A 1080p H.264 + AAC clip from FFmpeg's test sources (all cores, ultrafast: setup, not measured)."""
    video_graph = av.filter.Graph()
    picture = video_graph.add("testsrc2", f"size={WIDTH}x{HEIGHT}:rate={FPS}:duration={seconds}")
    to_yuv = video_graph.add("format", "yuv420p")
    video_sink = video_graph.add("buffersink")
    picture.link_to(to_yuv)
    to_yuv.link_to(video_sink)
    video_graph.configure()
    audio_graph = av.filter.Graph()
    tone = audio_graph.add("sine", f"frequency=440:sample_rate=48000:duration={seconds}")
    audio_sink = audio_graph.add("abuffersink")
    tone.link_to(audio_sink)
    audio_graph.configure()
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "18"}
        audio = out.add_stream("aac", rate=48000, layout="mono")
        for stream, sink in ((video, video_sink), (audio, audio_sink)):
            while True:
                try:
                    frame = sink.pull()
                except (av.BlockingIOError, av.EOFError):
                    break
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))


def plain_reencode(src: Path, dst: Path) -> None:
    """The baseline: decode and re-encode both streams on one core, same encoder settings, no filters."""
    with av.open(str(src)) as inp, av.open(str(dst), "w", format="mp4") as out:
        vin, ain = inp.streams.video[0], inp.streams.audio[0]
        vin.codec_context.thread_count = ain.codec_context.thread_count = 1
        vout = out.add_stream("libx264", rate=vin.average_rate)
        vout.width, vout.height, vout.pix_fmt = vin.codec_context.width, vin.codec_context.height, "yuv420p"
        vout.time_base = vout.codec_context.time_base = vin.time_base
        vout.codec_context.thread_count = 1
        vout.options = {"preset": PRESET, "crf": CRF}
        aout = out.add_stream("aac", rate=ain.codec_context.sample_rate, layout=ain.codec_context.layout.name)
        aout.time_base = Fraction(1, ain.codec_context.sample_rate)
        aout.codec_context.thread_count = 1
        pairs = {vin.index: vout, ain.index: aout}
        for packet in inp.demux(vin, ain):
            for frame in packet.decode():
                out.mux(pairs[packet.stream.index].encode(frame))
        out.mux(vout.encode(None))
        out.mux(aout.encode(None))


def _timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def run() -> list[BenchResult]:
    seconds = int(os.environ.get("LIUHEN_BENCH_REDACT_SECONDS", "60"))
    with tempfile.TemporaryDirectory(
        prefix="liuhen-redact-bench-", dir=os.environ.get("LIUHEN_BENCH_DIR")
    ) as tmp:
        folder = Path(tmp)
        src = folder / "source.mp4"
        make_source(src, seconds)
        duration = video_geometry(src)[2]
        third = duration / 3
        regions = [
            VideoRegion(Rect(100, 100, 400, 300), 0.0, duration),
            VideoRegion(Rect(960, 540, 640, 360), third, 2 * third),
            VideoRegion(Rect(0, 900, 1920, 180), 0.5 * third, 2.5 * third),
        ]
        mute = [TimeRange(0.2 * third, 0.8 * third), TimeRange(1.5 * third, 2.0 * third)]
        base = _timed(lambda: plain_reencode(src, folder / "plain.mp4"))
        redact = _timed(
            lambda: redact_video(src, folder / "redacted.mp4", regions=regions, mute=mute, threads=1)
        )
        mark = _timed(
            lambda: watermark_video(
                src, folder / "viewing.mp4", "复制人：张三\n2026-03-01 10:00\n调阅〔2026〕7号", threads=1
            )
        )
    clip = f"{seconds} s 1080p25 clip, one core, libx264 {PRESET}"
    return [
        BenchResult("baseline: plain decode + re-encode", round(duration / base, 2), "× real time", clip),
        BenchResult("redact_video (3 regions, 2 mutes)", round(duration / redact, 2), "× real time", clip),
        BenchResult(
            "redact_video vs baseline", round(redact / base, 2), "× baseline time", "1.0 = no overhead"
        ),
        BenchResult(
            "10-min clip estimate (redact)",
            round(600 / (duration / redact) / 60, 1),
            "min to render",
            "scaled per frame",
        ),
        BenchResult("watermark_video (viewing copy)", round(duration / mark, 2), "× real time", clip),
        BenchResult(
            "watermark_video vs baseline", round(mark / base, 2), "× baseline time", "full-frame overlay"
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1:
        os.environ["LIUHEN_BENCH_REDACT_SECONDS"] = sys.argv[1]
    for result in run():
        print(result)
