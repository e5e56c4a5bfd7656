"""Reading a video for analysis: checks, rotation, frame sampling and downscaling.

Decoding runs in a background thread so that it overlaps pose estimation (OpenCV and
the pose model both release the GIL). Frames that are not sampled are only `grab()`bed,
which skips the colour conversion. The decoder runs on one thread (`open_capture`): the
analysis already keeps both cores busy with its own threads, and FFmpeg's frame threads
only add work (bench_motion: 1.15 against 1.6-2.0 ms of CPU per 720p frame decoded).
"""

from __future__ import annotations

import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from .config import MotionConfig, motion_config
from .errors import VideoError, VisionExtraMissing

# Numbers: catalog/motion.yaml (``sampling``, ``trust.cut_hist_distance``), from the
# `MotionConfig` passed in (the shipped one when left out).


def _cv2():
    try:
        import cv2  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise VisionExtraMissing(
            "Video analysis needs the optional vision extra: pip install 'backcoach[vision]'."
        ) from exc
    return cv2


@dataclass(frozen=True)
class VideoInfo:
    path: str
    fps: float
    frame_count: int
    width: int
    height: int
    rotation: int
    cuts_s: tuple[float, ...] = ()  # camera cuts found while decoding (seconds)
    warnings: tuple[str, ...] = ()  # what the person should know about the file (cut short, ...)
    decoded_s: float | None = None  # how much of the video was actually decoded
    # second looks for other people: (seconds, where another person was seen across the picture
    # 0..1, or None when nobody else was found); see extract.second_look
    second_looks: tuple[tuple[float, float | None], ...] = ()

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 else 0.0

    @property
    def display_size(self) -> tuple[int, int]:
        """Width, height after the phone's rotation metadata is applied."""
        if self.rotation in (90, 270):
            return self.height, self.width
        return self.width, self.height


def open_capture(cv2, path: str):
    """A capture whose decoder runs on one thread (the same pictures, less CPU: see the module
    docstring); OpenCV's default opening when FFmpeg cannot take the setting. FFmpeg's and
    OpenCV's own log lines about a file they cannot read ("moov atom not found") are dropped:
    the caller says what is wrong in plain words."""
    from .pose import native_log_filter  # noqa: PLC0415 - light: mediapipe is imported on first use

    with native_log_filter():
        cap = cv2.VideoCapture(path, cv2.CAP_FFMPEG, [cv2.CAP_PROP_N_THREADS, 1])
        if cap.isOpened():
            return cap
        cap.release()
        return cv2.VideoCapture(path)


def probe(path: str | os.PathLike, max_duration_s: float | None = None, config: MotionConfig | None = None
          ) -> VideoInfo:
    """Open the file and check it is a video worth analysing (``sampling.min_duration_s`` to
    `max_duration_s`, by default ``sampling.max_duration_s``); raise `VideoError` if not."""
    sampling = (config or motion_config()).sampling
    max_duration_s = sampling.max_duration_s if max_duration_s is None else max_duration_s
    cv2 = _cv2()
    p = Path(path)
    if not p.exists():
        raise VideoError(f"No file at {p}. Check the path and try again.")
    if p.is_dir():
        raise VideoError(f"{p} is a folder, not a video file.")
    if p.stat().st_size == 0:
        raise VideoError(f"{p.name} is empty (0 bytes). Record the set again or pick another file.")
    no_video = _audio_only(p)
    if no_video:
        raise VideoError(f"{p.name} has no video track (it looks like {no_video}). Film the set with the camera "
                         "and pick the video file.")
    cap = open_capture(cv2, str(p))
    try:
        if not cap.isOpened():
            raise VideoError(f"{p.name} could not be opened as a video. It may be damaged or in an unusual format; try MP4.")
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        width = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0)
        height = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)
        rotation = int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0) % 360
        ok, frame = cap.read()
        if not ok or frame is None:
            raise VideoError(f"{p.name} has no readable picture. It may be damaged or cut short; record the set again.")
    finally:
        cap.release()
    if not (0 < fps < 1000):
        fps = 30.0
    known_length = count > 0
    if count <= 0:
        count = 1
    info = VideoInfo(str(p), fps, count, width, height, rotation)
    if known_length and info.duration_s < sampling.min_duration_s:
        raise VideoError(
            f"{p.name} lasts only {info.duration_s:.1f} s; film the whole set, from the starting position "
            "to the end of the last repetition."
        )
    if info.duration_s > max_duration_s:
        raise VideoError(
            f"{p.name} lasts {info.duration_s / 60:.0f} minutes; film one set at a time "
            f"(up to {max_duration_s / 60:.0f} minutes) so each repetition can be checked."
        )
    return info


_AUDIO_MAGIC = ((b"ID3", "an MP3 sound file"), (b"\xff\xfb", "an MP3 sound file"), (b"\xff\xf3", "an MP3 sound file"),
                (b"\xff\xf2", "an MP3 sound file"), (b"OggS", "an Ogg sound file"), (b"fLaC", "a FLAC sound file"))


def _audio_only(p: Path) -> str:
    """What the file is when it holds sound but no picture ("" when it may have a video track)."""
    with p.open("rb") as fh:
        head = fh.read(4 * 1024 * 1024)
    for magic, what in _AUDIO_MAGIC:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "a WAV sound file"
    if head[4:8] == b"ftyp":  # MP4 / MOV / M4A: the track handlers say what the tracks are
        if head[8:12] in (b"M4A ", b"M4B "):
            return "an M4A sound file"
        handlers = {head[i + 12 : i + 16] for i in range(len(head)) if head.startswith(b"hdlr", i)} if b"hdlr" in head else set()
        if handlers and b"soun" in handlers and b"vide" not in handlers:
            return "a sound-only recording"
    return ""


@dataclass(frozen=True)
class SampledFrame:
    index: int
    t: float
    image: np.ndarray  # BGR, upright, downscaled
    cut: bool = False  # the shot changed just before this frame (camera cut)


def _prepare(cv2, frame: np.ndarray, rotation: int, auto_rotated: bool, max_side: int) -> np.ndarray:
    if rotation and not auto_rotated:
        code = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}.get(rotation)
        if code is not None:
            frame = cv2.rotate(frame, code)
    h, w = frame.shape[:2]
    scale = max_side / max(h, w)
    if scale < 1.0:
        frame = cv2.resize(frame, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    return frame


def _histogram(cv2, image: np.ndarray) -> np.ndarray:
    """Grey-level histogram of a small copy of the frame: a camera cut changes it at once,
    a person moving in a still shot hardly does."""
    small = cv2.resize(image, (64, 36), interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    hist = cv2.calcHist([grey], [0], None, [32], [0, 256])
    return cv2.normalize(hist, hist).astype(np.float32)


def iter_frames(
    info: VideoInfo,
    sample_fps: float | None = 12.0,
    max_side: int | None = None,
    threaded: bool = True,
    stats: dict | None = None,
    start_s: float = 0.0,
    end_s: float | None = None,
    config: MotionConfig | None = None,
) -> "Iterator[SampledFrame]":
    """Upright, downscaled frames at about `sample_fps` (None = every frame).

    Frames are chosen on the video's own clock, so variable frame rates and odd fps
    values still give evenly spaced samples. `stats["decoded"]` counts decoded frames.
    `threaded`: decoding starts at once in its own thread, ahead of the caller (who may
    still be starting a pose model); call `close()` on the result when stopping early.
    `max_side` defaults to ``sampling.max_side``; a camera cut is a change of the grey-level
    histogram beyond ``trust.cut_hist_distance``.
    """
    config = config or motion_config()
    max_side = config.sampling.max_side if max_side is None else max_side
    step = 1.0 / sample_fps if sample_fps and sample_fps < info.fps else 0.0
    stats = stats if stats is not None else {}
    stats.setdefault("decoded", 0)
    frames = _decode(info, step, max_side, stats, start_s, end_s, config.trust.cut_hist_distance)
    if not threaded:
        return frames
    return _Prefetched(frames, info)


def _decode(info: VideoInfo, step: float, max_side: int, stats: dict, start_s: float, end_s: float | None,
            cut_distance: float) -> Iterator[SampledFrame]:
    cv2 = _cv2()
    cap = open_capture(cv2, info.path)
    auto = bool(cap.get(cv2.CAP_PROP_ORIENTATION_AUTO)) if hasattr(cv2, "CAP_PROP_ORIENTATION_AUTO") else False
    index = 0
    if start_s > 0:
        index = int(round(start_s * info.fps))
        cap.set(cv2.CAP_PROP_POS_FRAMES, index)
    next_t = index / info.fps
    last_t = -1.0
    prev_hist = None
    try:
        while cap.grab():
            stats["decoded"] += 1
            # the decoder's own timestamp of this frame: right for variable frame rates and
            # GIF frame delays, where index / fps drifts; the frame count only as a fallback
            pos = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            if np.isfinite(pos) and pos >= 0.0 and (pos > last_t or index == 0):
                t = pos
            else:
                t = (last_t + 1.0 / info.fps) if last_t >= 0 else index / info.fps
            last_t = t
            stats["last_t"] = max(stats.get("last_t", 0.0), t)
            stats["frame_s"] = 1.0 / info.fps
            if end_s is not None and t >= end_s - 1e-6:
                break
            if t + 1e-6 >= next_t:
                try:
                    ok, frame = cap.retrieve()
                    image = _prepare(cv2, frame, info.rotation, auto, max_side) if ok and frame is not None else None
                except cv2.error:  # a damaged frame: skip it, the gap is filled or reported later
                    image = None
                if image is not None:
                    hist = _histogram(cv2, image)
                    cut = prev_hist is not None and cv2.compareHist(prev_hist, hist, cv2.HISTCMP_BHATTACHARYYA) > cut_distance
                    if cut:
                        stats.setdefault("cuts", []).append(t)
                    prev_hist = hist
                    yield SampledFrame(index, t, image, cut)
                next_t = max(next_t + step, t) if step else t
            index += 1
    finally:
        cap.release()


class _Prefetched:
    """Frames decoded in a background thread, a few ahead of the consumer (pose estimation)."""

    DEPTH = 8

    def __init__(self, frames: Iterator[SampledFrame], info: VideoInfo) -> None:
        self._frames, self._info = frames, info
        self._q: queue.Queue = queue.Queue(maxsize=self.DEPTH)
        self._stop = threading.Event()
        self._done = object()
        self._errors: list[BaseException] = []
        self._finished = False
        self._thread = threading.Thread(target=self._run, name="backcoach-decode", daemon=True)
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for f in self._frames:
                if not self._put(f):
                    break
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            self._errors.append(exc)
        finally:
            self._frames.close()
            self._put(self._done)

    def __iter__(self) -> "_Prefetched":
        return self

    def __next__(self) -> SampledFrame:
        if self._finished:
            raise StopIteration
        item = self._q.get()
        if item is self._done:
            self.close()
            if self._errors:
                raise VideoError(f"Reading {Path(self._info.path).name} failed part-way ({self._errors[0]}). "
                                 "The file may be damaged.")
            raise StopIteration
        return item

    def close(self) -> None:
        self._finished = True
        self._stop.set()
        self._thread.join(timeout=5)


def read_frame_at(info: VideoInfo, t: float, max_side: int = 10_000) -> np.ndarray | None:
    """One upright frame near time `t` (for key frames)."""
    cv2 = _cv2()
    cap = open_capture(cv2, info.path)
    try:
        auto = bool(cap.get(cv2.CAP_PROP_ORIENTATION_AUTO)) if hasattr(cv2, "CAP_PROP_ORIENTATION_AUTO") else False
        cap.set(cv2.CAP_PROP_POS_FRAMES, max(0, int(round(t * info.fps))))
        ok, frame = cap.read()
        if not ok or frame is None:
            return None
        return _prepare(cv2, frame, info.rotation, auto, max_side)
    finally:
        cap.release()
