"""The briefing as a time-lapse: the filtered meetings appearing in date order, one step per
meeting, as an animated GIF or an MP4, rendered offline from Chromium frames of the slide.

Frames: one title frame (the slide with the whole view's map and no venue yet, captioned
with the count and the span: "9 meetings, 16 May 2016 – Nov 2024") and then one frame per
meeting, frame k showing the first k meetings (date order, then id) and captioned with the
k-th meeting's date at its precision ("up to 6 Oct 2022"). Every frame is a complete slide:
the title, the subtitle, the legend (of all the meetings, so colours are explained before they
appear, with its note on rings) and the footer (all the sources) stay; the map's view is the
view of all the meetings, so it does not jump as venues appear; the count line and the dated
list are those of the meetings shown so far, the list newest first (the step's own meeting on
top, the oldest the first to give way to "and N more" when the column is full).

Each step is its own slide page, rendered by the same templates as the still picture (exact:
circle sizes, rings, label dates and the count follow the meetings shown), loaded in one warm
Chromium (geo.present.render.Renderer or a Browser): bench/bench_brief_png.py measures it.

GIF (Pillow): one title frame held ``title_seconds``, then ``frame_seconds`` per meeting, looping;
its comment is the title and the description. MP4 (imageio with imageio-ffmpeg's ffmpeg, H.264,
yuv420p): constant frame rate 1/``frame_seconds``, the title frame repeated
round(title_seconds / frame_seconds) times (at least once); title and comment in its metadata.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

from geo.core.dates import When
from geo.core.errors import UsageError
from geo.core.schema import Dataset
from geo.present.brief import Brief, Size, compose, dated_list, inline_map, page_html
from geo.present.filters import Filters, apply
from geo.present.picture import describe, meetings_in_order

FORMATS = (".gif", ".mp4")
MAX_STEPS = 150  # meetings; past this the frames would not fit in memory comfortably: narrow the filters
KIND = "Time-lapse, one step per meeting in date order"

Progress = Callable[[int, int], None]  # (frames done, frames in all)


@dataclass(frozen=True)
class Timing:
    frame_seconds: float = 1.0  # each meeting's frame
    title_seconds: float = 2.0  # the title frame

    def __post_init__(self) -> None:
        for name, value in (("frame", self.frame_seconds), ("title", self.title_seconds)):
            if not 0.05 <= value <= 60:
                raise UsageError(f"{name} duration {value:g} s: give a number of seconds from 0.05 to 60")

    def title_frames(self, fmt: str) -> int:
        """How many frames the title takes: one in a GIF (held longer), several in an MP4."""
        return 1 if fmt == ".gif" else max(1, round(self.title_seconds / self.frame_seconds))


@dataclass(frozen=True)
class Plan:
    """The slides of a time-lapse, title frame first."""

    title: str
    description: str
    slides: tuple[Brief, ...]  # slides[0] is the title frame; slides[k] shows the first k meetings

    @property
    def meetings(self) -> int:
        return len(self.slides) - 1


def caption(date_text: str) -> str:
    """A frame's caption: 'up to 6 Oct 2022' (the date at its precision)."""
    return f"up to {When.parse(date_text).short()}"


def title_caption(meetings) -> str:
    """The title frame's caption: '9 meetings, 16 May 2016 – Nov 2024' (dates at their precision)."""
    first, last = (When.parse(meetings["date"].iloc[i]).short() for i in (0, -1))
    n = len(meetings)
    return f"{n} meeting{'s' if n != 1 else ''}, " + (first if first == last else f"{first} – {last}")


def plan(ds: Dataset, filters: Filters, title: str | None = None, as_of: date | None = None) -> Plan:
    """The slides for the meetings that pass ``filters``. UsageError when none does or too many do."""
    full = compose(ds, filters, title, as_of=as_of)
    shown = meetings_in_order(apply(ds.meetings, filters))
    if not len(shown):
        raise UsageError("no meetings match the filters: a time-lapse needs at least one")
    if len(shown) > MAX_STEPS:
        raise UsageError(
            f"{len(shown)} meetings match: a time-lapse takes at most {MAX_STEPS} steps; narrow the filters"
        )
    # What every frame keeps: the words around the map, the legend with its note on rings, the footer.
    fixed = {
        "title": full.title,
        "subtitle": full.subtitle,
        "sources": full.sources,
        "data_date": full.data_date,
        "rings": full.rings,
    }
    title_slide = replace(
        full,
        map_html=inline_map(shown.iloc[:0], ds, extent=shown),
        dated=(),
        more=0,
        frame=title_caption(shown),
    )
    slides = [title_slide]
    room = len(full.dated) + (1 if full.more else 0)  # the side column's rows for the list, as on the still slide
    for k in range(1, len(shown) + 1):
        so_far = replace(ds, meetings=shown.iloc[:k])
        step = compose(
            so_far,
            Filters(),
            full.title,
            map_builder=partial(inline_map, extent=shown),
            legend_builder=lambda _shown, _ds: full.legend,
            as_of=as_of,
        )
        dated, more = dated_list(so_far.meetings.iloc[::-1], room)  # newest first: this step's meeting on top
        slides.append(replace(step, **fixed, dated=dated, more=more, frame=caption(shown["date"].iloc[k - 1])))
    return Plan(full.title, describe(full, shown, KIND), tuple(slides))


def frames(plan: Plan, size: Size, renderer, progress: Progress | None = None) -> list[bytes]:
    """Each slide of the plan as a PNG (``size``), in a warm Chromium: ``renderer`` is a
    geo.present.render.Renderer or a Playwright Browser."""
    from geo.present.render import Job, capture_all

    total = len(plan.slides)
    shots: list[bytes] = []
    for i, slide in enumerate(plan.slides):
        job = Job(page_html(slide, size), size, expect_markers=i > 0, inspect=False)
        if hasattr(renderer, "capture"):
            shot = renderer.capture(job.html, job.size, job.expect_markers, inspect=False)
        else:
            shot = capture_all([job], browser=renderer)[0]
        shots.append(shot.png)
        if progress:
            progress(i + 1, total)
    return shots


def encode(pngs: list[bytes], fmt: str, timing: Timing, title: str, description: str) -> bytes:
    """The frames (title frame first) as a GIF or an MP4 file's bytes."""
    if fmt == ".gif":
        return _gif(pngs, timing, title, description)
    if fmt == ".mp4":
        return _mp4(pngs, timing, title, description)
    raise UsageError(f"unknown time-lapse format {fmt!r}; valid: {', '.join(FORMATS)}")


def _gif(pngs: list[bytes], timing: Timing, title: str, description: str) -> bytes:
    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    ms = [round(timing.title_seconds * 1000)] + [round(timing.frame_seconds * 1000)] * (len(images) - 1)
    out = io.BytesIO()
    images[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=ms,
        loop=0,
        comment=f"{title}\n\n{description}".encode(),
    )
    return out.getvalue()


def _mp4(pngs: list[bytes], timing: Timing, title: str, description: str) -> bytes:
    import imageio.v2 as imageio
    import numpy as np
    from PIL import Image

    repeats = [timing.title_frames(".mp4")] + [1] * (len(pngs) - 1)
    with tempfile.TemporaryDirectory(prefix="talks-atlas-mp4-") as tmp:
        path = Path(tmp) / "timelapse.mp4"
        writer = imageio.get_writer(
            path,
            format="FFMPEG",
            mode="I",
            fps=1 / timing.frame_seconds,
            codec="libx264",
            pixelformat="yuv420p",
            macro_block_size=8,  # 1080 and 720 are multiples of 8: no resizing
            ffmpeg_log_level="error",
            output_params=["-metadata", f"title={title}", "-metadata", f"comment={description}"],
        )
        try:
            for png, n in zip(pngs, repeats):
                pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
                for _ in range(n):
                    writer.append_data(pixels)
        finally:
            writer.close()
        return path.read_bytes()


def frame_count(data: bytes, fmt: str) -> int:
    """Frames in a GIF or MP4 file's bytes (read back: tests, the CLI's message)."""
    return len(read_frames(data, fmt))


def read_frames(data: bytes, fmt: str) -> list:
    """The frames of a GIF or MP4 as RGB arrays (numpy)."""
    import numpy as np

    if fmt == ".gif":
        from PIL import Image, ImageSequence

        with Image.open(io.BytesIO(data)) as img:
            return [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(img)]
    import imageio.v2 as imageio

    with tempfile.TemporaryDirectory(prefix="talks-atlas-mp4-") as tmp:
        path = Path(tmp) / "read.mp4"
        path.write_bytes(data)
        reader = imageio.get_reader(path, format="FFMPEG")
        try:
            return [np.asarray(f) for f in reader]
        finally:
            reader.close()


def make(
    ds: Dataset,
    filters: Filters,
    fmt: str,
    size: Size,
    renderer,
    *,
    title: str | None = None,
    timing: Timing = Timing(),
    progress: Progress | None = None,
    as_of: date | None = None,
) -> bytes:
    """The whole time-lapse: plan, frames, encoding."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown time-lapse format {fmt!r}; valid: {', '.join(FORMATS)}")
    p = plan(ds, filters, title, as_of)
    pngs = frames(p, size, renderer, progress)
    return encode(pngs, fmt, timing, p.title, p.description)
