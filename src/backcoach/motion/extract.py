"""Recorded video to landmarks: decode (sampled, upright, downscaled) and pose estimation,
split over two cores for longer videos."""

from __future__ import annotations

import os
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

import numpy as np

from .config import MotionConfig, motion_config
from .landmarks import LandmarkFrame

if TYPE_CHECKING:
    from .pose import PoseEstimator
    from .video import VideoInfo

ProgressFn = Callable[[float, float], None]  # (seconds of video done, total seconds)
CORE = [11, 12, 23, 24]  # shoulders and hips


def _box(points: np.ndarray, min_visibility: float, pad: float = 0.1) -> tuple[float, float, float, float] | None:
    """The picture box (0..1) around the landmarks seen, widened by `pad` of its size."""
    seen = points[points[:, 3] >= min_visibility, :2]
    if len(seen) < 4:
        return None
    (x0, y0), (x1, y1) = seen.min(axis=0), seen.max(axis=0)
    dx, dy = pad * (x1 - x0), pad * (y1 - y0)
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def second_look(looker: "PoseEstimator", image: np.ndarray, followed: LandmarkFrame, t: float,
                config: MotionConfig | None = None) -> float | None:
    """Is someone else in the picture? The followed person is blacked out and the rest is
    searched afresh; returns where across the picture (0..1) another person's hips are, or None.

    MediaPipe's pose model reports one person per picture, so a second person is only
    found by hiding the first. Someone counts when their shoulders and hips are seen with
    ``trust.second_person_min_visibility`` and their hips lie outside the blacked-out box
    (a limb of the followed person sticking out of it is not a person).
    """
    config = config or motion_config()
    trust = config.trust
    box = _box(followed.points, config.visibility.in_picture_min_visibility) if followed.points is not None else None
    if box is None:
        return None
    h, w = image.shape[:2]
    x0, y0, x1, y1 = (int(np.clip(v, 0.0, 1.0) * s) for v, s in zip(box, (w, h, w, h)))
    masked = image.copy()
    masked[y0:y1, x0:x1] = 0
    other = looker.estimate(masked, t)
    if other.points is None or float(np.min(other.points[CORE, 3])) < trust.second_person_min_visibility:
        return None
    hx, hy = other.points[[23, 24], :2].mean(axis=0)
    if box[0] <= hx <= box[2] and box[1] <= hy <= box[3]:
        return None
    return float(hx)


def _decoded_extent(info: "VideoInfo", stats: list[dict], sample_fps: float | None) -> "VideoInfo":
    """The part of the video actually decoded; a warning when the file is cut short."""
    from dataclasses import replace  # noqa: PLC0415

    last = max((s.get("last_t", 0.0) for s in stats), default=0.0)
    frame_s = max((s.get("frame_s", 0.0) for s in stats), default=0.0)
    decoded = last + frame_s
    slack = max(0.5, 2.0 / sample_fps if sample_fps else 0.0, 2.0 * frame_s)
    if decoded + slack < info.duration_s:
        cuts = tuple(sorted(c for s in stats for c in s.get("cuts", ())))
        return replace(info, decoded_s=decoded, cuts_s=cuts, warnings=info.warnings + (
            f"The file seems cut short: only the first {decoded:.1f} s of its {info.duration_s:.1f} s could be read. "
            "The results cover that part only; copy or export the video again to check the whole set.",))
    cuts = tuple(sorted(c for s in stats for c in s.get("cuts", ())))
    return replace(info, decoded_s=min(decoded, info.duration_s), cuts_s=cuts)


def extract_landmarks(
    path: str,
    estimator: "PoseEstimator | None" = None,
    sample_fps: float | None = None,
    max_side: int | None = None,
    progress: ProgressFn | None = None,
    threaded: bool = True,
    workers: int | None = None,
    looker: "PoseEstimator | None | bool" = True,
    config: MotionConfig | None = None,
) -> tuple[list[LandmarkFrame], "VideoInfo", dict[str, float]]:
    """Decode (sampled, upright, downscaled) and run pose estimation on each sampled frame.

    Longer videos are cut into `workers` consecutive parts, each tracked by its own pose
    model in its own thread (the model releases the GIL), so two cores are both used; each
    part's frames are decoded in a thread of their own, ahead of its pose model (`threaded`).
    A passed-in `estimator` is used as is, in one part.

    Every ``sampling.second_look_every_s`` a `second_look` searches the picture for someone
    else (`looker`: True = one MediaPipe model in still-picture mode, unless a fake
    `estimator` was passed in; False or None = no second look); the looks land in
    ``VideoInfo.second_looks``. They run in one thread of their own, shared by the parts,
    off the tracking's path: a look waits for no frame and no frame waits for a look.

    `config`: the settings (default: the shipped catalog/motion.yaml), ``sampling`` above
    all: `sample_fps` and `max_side` default to its own, a video shorter than
    ``parallel_min_s`` is not split, looks come every ``second_look_every_s``.
    """
    from .pose import MediaPipePose, native_log_filter  # noqa: PLC0415 - optional extra
    from .video import iter_frames, probe  # noqa: PLC0415

    config = config or motion_config()
    sampling = config.sampling
    sample_fps = sampling.sample_fps if sample_fps is None else sample_fps
    max_side = sampling.max_side if max_side is None else max_side
    info = probe(path, config=config)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if info.duration_s >= sampling.parallel_min_s else 1
    if estimator is not None:
        workers = 1
    bounds = [info.duration_s * k / workers for k in range(workers + 1)]
    bounds[-1] = None
    done = [0.0] * workers
    stats = [{"decoded": 0} for _ in range(workers)]
    pose_s = [0.0] * workers
    lock = threading.Lock()
    if looker is True:
        looker = None if estimator is not None else "own"
    looks = _Looks(looker, config) if looker else None

    def run(k: int) -> list[LandmarkFrame]:
        frames = iter_frames(info, sample_fps=sample_fps, max_side=max_side, threaded=threaded, stats=stats[k],
                             start_s=bounds[k] or 0.0, end_s=bounds[k + 1], config=config)
        est = None
        next_look = bounds[k] or 0.0
        out: list[LandmarkFrame] = []
        try:
            est = estimator if estimator is not None else MediaPipePose(config=config)
            for f in frames:
                p0 = time.perf_counter()
                if f.cut and hasattr(est, "reset"):  # a new shot: find the person afresh, do not track the old one
                    est.reset()
                out.append(est.estimate(f.image, f.t))
                pose_s[k] += time.perf_counter() - p0
                if looks is not None and f.t >= next_look and out[-1].points is not None:
                    looks.ask(f.image, out[-1], f.t)
                    next_look = f.t + sampling.second_look_every_s
                if progress is not None:
                    with lock:
                        done[k] = f.t - (bounds[k] or 0.0)
                        progress(min(sum(done), info.duration_s), info.duration_s)
        finally:
            getattr(frames, "close", lambda: None)()
            if estimator is None and est is not None:
                est.close()
        return out

    t0 = time.perf_counter()
    with native_log_filter():
        if looks is not None:
            looks.start(lambda: MediaPipePose(static_image_mode=True, config=config))
        try:
            if workers == 1:
                frames = run(0)
            else:
                with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="backcoach-pose") as pool:
                    parts = list(pool.map(run, range(workers)))
                frames = [f for part in parts for f in part]
        except BaseException:
            if looks is not None:
                looks.finish(raise_error=False)
            raise
        seen = looks.finish() if looks is not None else []
    wall = time.perf_counter() - t0
    if progress is not None:
        progress(info.duration_s, info.duration_s)
    info = replace(_decoded_extent(info, stats, sample_fps), second_looks=tuple(seen))
    timings = {"decode_and_pose_s": wall, "pose_s": sum(pose_s), "frames_decoded": float(sum(s["decoded"] for s in stats)),
               "frames_posed": float(len(frames)), "workers": float(workers),
               "second_look_s": looks.seconds if looks is not None else 0.0, "second_looks": float(len(seen))}
    return frames, info, timings


class _Looks:
    """The second looks for other people, run in one thread with one still-picture pose model
    (started alongside the trackers), fed by every part: the looks cost no tracking time,
    and one model is started instead of one per part."""

    def __init__(self, looker: "PoseEstimator | str", config: MotionConfig) -> None:
        self._looker = looker
        self._config = config
        self._q: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._results: list[tuple[float, float | None]] = []
        self._errors: list[BaseException] = []
        self.seconds = 0.0

    def start(self, make: Callable[[], "PoseEstimator"]) -> None:
        self._thread = threading.Thread(target=self._run, args=(make,), name="backcoach-second-look", daemon=True)
        self._thread.start()

    def ask(self, image: np.ndarray, followed: LandmarkFrame, t: float) -> None:
        self._q.put((image, followed, t))

    def _run(self, make: Callable[[], "PoseEstimator"]) -> None:
        own = self._looker == "own"
        model = None
        try:
            model = make() if own else self._looker
            while (item := self._q.get()) is not None:
                p0 = time.perf_counter()
                image, followed, t = item
                self._results.append((t, second_look(model, image, followed, t, self._config)))
                self.seconds += time.perf_counter() - p0
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread by finish()
            self._errors.append(exc)
            while self._q.get() is not None:  # let the parts go on; nothing more is looked at
                pass
        finally:
            if own and model is not None:
                model.close()

    def finish(self, raise_error: bool = True) -> list[tuple[float, float | None]]:
        """Wait for the looks asked for; in time order."""
        if self._thread is not None:
            self._q.put(None)
            self._thread.join()
            self._thread = None
        if self._errors and raise_error:
            raise self._errors[0]
        return sorted(self._results, key=lambda r: r[0])
