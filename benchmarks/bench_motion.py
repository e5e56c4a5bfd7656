"""Benchmark of the camera form coach on one video (not a test; prints figures).

    python benchmarks/bench_motion.py VIDEO [--exercise glute_bridge] [--fps 12] [--max-side 640]
    python benchmarks/bench_motion.py --make-test-video /tmp/bench_60s_720p.mp4

Reports, on this machine's CPU: frames decoded per second (decode only), pose frames
per second (pose model only, on pre-decoded frames) and its CPU per frame, analysis frames per second
(signals, counting, checks), and the real-time factor of the whole pipeline
(video duration / wall time), with the CPU time the whole pipeline used (the figure to compare
on a busy machine, where wall time depends on the others). `pose_bound_real_time_factor` is the
most the pipeline could reach on this machine's cores if decoding, second looks and start-up cost
nothing: the frames posed times the pose model's CPU per frame, shared by the pose workers.
`cli_*` run `backcoach analyze VIDEO --json` in a fresh process (imports and model start-up
included), as a person runs it. `--make-test-video` loops the real bridge clip from
`<repo>/../shared/data/videos` into a 58 s (`--seconds`), 1280x720, 30 fps file outside the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "data" / "videos"


def make_test_video(out: Path, source: Path, seconds: float = 60.0, fps: float = 30.0, size=(1280, 720)) -> dict:
    import cv2

    cap = cv2.VideoCapture(str(source))
    src_fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(cv2.resize(f, size, interpolation=cv2.INTER_AREA))
    cap.release()
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    n = int(seconds * fps)
    for k in range(n):
        writer.write(frames[int((k / fps) * src_fps) % len(frames)])
    writer.release()
    return {"source": source.name, "loops": seconds / (len(frames) / src_fps), "clip_s": len(frames) / src_fps}


def expected_reps(source: Path, loops: float, clip_s: float, exercise: str) -> int:
    """Repetitions in the looped file: whole loops times the clip's count, plus those in the last part."""
    from backcoach.motion import analyze_video

    one = analyze_video(str(source), exercise)
    whole = int(loops)
    rest_s = (loops - whole) * clip_s
    return whole * one.reps + sum(1 for r in one.repetitions if r.end_s + 0.3 < rest_s)


def bench(video: str, exercise: str, fps: float, max_side: int) -> dict:
    from backcoach.motion import MediaPipePose, analyze_landmarks, analyze_video
    from backcoach.motion.video import iter_frames, probe

    info = probe(video)
    # 1. decode only (same sampling and downscaling as the pipeline)
    stats: dict = {"decoded": 0}
    t0 = time.perf_counter()
    sampled = list(iter_frames(info, sample_fps=fps, max_side=max_side, threaded=False, stats=stats))
    decode_s = time.perf_counter() - t0
    # 2. pose only, on the frames already decoded
    est = MediaPipePose()
    est.estimate(sampled[0].image, 0.0)  # warm-up (model start-up is not throughput)
    t0, c0 = time.perf_counter(), time.process_time()
    frames = [est.estimate(f.image, f.t) for f in sampled]
    pose_s, pose_cpu = time.perf_counter() - t0, time.process_time() - c0
    est.close()
    # 3. analysis only
    t0 = time.perf_counter()
    result = analyze_landmarks(frames, exercise, seconds=info.duration_s)
    analysis_s = time.perf_counter() - t0
    # 4. the whole pipeline as the command runs it (threaded decode, model start-up included)
    t0, c0 = time.perf_counter(), time.process_time()
    full = analyze_video(video, exercise, sample_fps=fps, max_side=max_side)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    # 5. the same without the second looks for other people (what they cost)
    t0 = time.perf_counter()
    analyze_video(video, exercise, sample_fps=fps, max_side=max_side, second_look=False)
    wall_no_look = time.perf_counter() - t0
    # 6. the command in a fresh process, as a person runs it
    cli_wall, cli_cpu = _run_cli(video, exercise, fps)
    workers = int(full.timings.get("workers", 1))
    pose_bound = info.duration_s / (len(frames) * pose_cpu / len(sampled) / workers)
    return {
        "video": os.path.basename(video),
        "duration_s": round(info.duration_s, 2),
        "size": f"{info.width}x{info.height}",
        "video_fps": round(info.fps, 2),
        "analysis_fps": fps,
        "max_side": max_side,
        "frames_decoded": stats["decoded"],
        "frames_posed": len(frames),
        "decoded_frames_per_s": round(stats["decoded"] / decode_s, 1),
        "pose_frames_per_s": round(len(frames) / pose_s, 1),
        "pose_cpu_ms_per_frame": round(1000 * pose_cpu / len(sampled), 1),
        "pose_bound_real_time_factor": round(pose_bound, 2),
        "analysis_frames_per_s": round(len(frames) / analysis_s, 1),
        "pipeline_wall_s": round(wall, 2),
        "pipeline_cpu_s": round(cpu, 2),  # both cores' CPU time: compare runs by this on a shared machine
        "pipeline_cpu_s_per_video_s": round(cpu / info.duration_s, 3),
        "pipeline_pose_workers": workers,
        "pipeline_decode_and_pose_s": round(full.timings["decode_and_pose_s"], 2),
        "second_looks": int(full.timings.get("second_looks", 0)),
        "second_look_cpu_s": round(full.timings.get("second_look_s", 0.0), 2),
        "others_seen": (full.people or {}).get("others_seen"),
        "pipeline_wall_s_without_second_look": round(wall_no_look, 2),
        "real_time_factor_without_second_look": round(info.duration_s / wall_no_look, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "real_time_factor": round(info.duration_s / wall, 2),
        "target_6x_real_time_met": info.duration_s / wall >= 6.0,
        "cli_wall_s": round(cli_wall, 2),
        "cli_cpu_s": round(cli_cpu, 2),
        "cli_real_time_factor": round(info.duration_s / cli_wall, 2),
        "reps": full.reps,
        "camera_cuts_found": len(full.cuts_s),  # a looped clip jumps back to its start at each loop
        "not_counted": len(full.not_counted),
        "reps_pose_only_run": result.reps,
        "cpu_count": os.cpu_count(),
    }


def _run_cli(video: str, exercise: str, fps: float) -> tuple[float, float]:
    """Wall and CPU seconds of `backcoach analyze VIDEO --json` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "backcoach.cli", "analyze", video, "--exercise", exercise, "--fps", str(fps),
                    "--json"], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("video", nargs="?")
    ap.add_argument("--exercise", default="glute_bridge")
    ap.add_argument("--fps", type=float, default=8.0)
    ap.add_argument("--max-side", type=int, default=640)
    ap.add_argument("--make-test-video", metavar="OUT")
    ap.add_argument("--source", default=str(VIDEOS / "glute_bridge_side_real.mp4"))
    ap.add_argument("--seconds", type=float, default=58.0, help="length of the looped test video")
    args = ap.parse_args(argv)
    if args.make_test_video:
        out = Path(args.make_test_video)
        if REPO in out.resolve().parents:
            print("Write the test video outside the repository (e.g. /tmp).", file=sys.stderr)
            return 2
        meta = make_test_video(out, Path(args.source), seconds=args.seconds)
        meta["expected_reps"] = expected_reps(Path(args.source), meta["loops"], meta["clip_s"], args.exercise)
        print(json.dumps({"written": str(out), **meta}, indent=2))
        if not args.video:
            return 0
    if not args.video:
        ap.error("give a VIDEO (or --make-test-video OUT)")
    print(json.dumps(bench(args.video, args.exercise, args.fps, args.max_side), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
