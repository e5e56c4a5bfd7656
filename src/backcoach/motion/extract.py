"""Recorded video to landmarks: decode (sampled, upright, downscaled) and pose estimation,
split over two cores for longer videos."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Callable

from .config import motion_config
from .landmarks import LandmarkFrame

if TYPE_CHECKING:
    from .pose import PoseEstimator
    from .video import VideoInfo

_CONFIG = motion_config()

ProgressFn = Callable[[float, float], None]  # (seconds of video done, total seconds)
DEFAULT_SAMPLE_FPS = _CONFIG.sampling.sample_fps  # enough for movements of 1-4 s; see README "measured figures"
DEFAULT_MAX_SIDE = _CONFIG.sampling.max_side
PARALLEL_MIN_S = _CONFIG.sampling.parallel_min_s  # shorter videos are not worth a second pose model


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
    sample_fps: float | None = DEFAULT_SAMPLE_FPS,
    max_side: int = DEFAULT_MAX_SIDE,
    progress: ProgressFn | None = None,
    threaded: bool = True,
    workers: int | None = None,
) -> tuple[list[LandmarkFrame], "VideoInfo", dict[str, float]]:
    """Decode (sampled, upright, downscaled) and run pose estimation on each sampled frame.

    Longer videos are cut into `workers` consecutive parts, each decoded and tracked by
    its own pose model in its own thread (the model releases the GIL), so two cores are
    both used. A passed-in `estimator` is used as is, in one part.
    """
    from .pose import MediaPipePose, native_log_filter  # noqa: PLC0415 - optional extra
    from .video import iter_frames, probe  # noqa: PLC0415

    info = probe(path)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if info.duration_s >= PARALLEL_MIN_S else 1
    if estimator is not None:
        workers = 1
    bounds = [info.duration_s * k / workers for k in range(workers + 1)]
    bounds[-1] = None
    done = [0.0] * workers
    stats = [{"decoded": 0} for _ in range(workers)]
    pose_s = [0.0] * workers
    lock = threading.Lock()

    def run(k: int) -> list[LandmarkFrame]:
        est = estimator if estimator is not None else MediaPipePose()
        out: list[LandmarkFrame] = []
        try:
            for f in iter_frames(info, sample_fps=sample_fps, max_side=max_side, threaded=threaded and workers == 1,
                                 stats=stats[k], start_s=bounds[k] or 0.0, end_s=bounds[k + 1]):
                p0 = time.perf_counter()
                if f.cut and hasattr(est, "reset"):  # a new shot: find the person afresh, do not track the old one
                    est.reset()
                out.append(est.estimate(f.image, f.t))
                pose_s[k] += time.perf_counter() - p0
                if progress is not None:
                    with lock:
                        done[k] = f.t - (bounds[k] or 0.0)
                        progress(min(sum(done), info.duration_s), info.duration_s)
        finally:
            if estimator is None:
                est.close()
        return out

    t0 = time.perf_counter()
    with native_log_filter():
        if workers == 1:
            frames = run(0)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="backcoach-pose") as pool:
                parts = list(pool.map(run, range(workers)))
            frames = [f for part in parts for f in part]
    wall = time.perf_counter() - t0
    if progress is not None:
        progress(info.duration_s, info.duration_s)
    info = _decoded_extent(info, stats, sample_fps)
    timings = {"decode_and_pose_s": wall, "pose_s": sum(pose_s), "frames_decoded": float(sum(s["decoded"] for s in stats)),
               "frames_posed": float(len(frames)), "workers": float(workers)}
    return frames, info, timings


