"""Do the browser's counts equal the command line's? (issue 12: "counts through the browser
pipeline equal the CLI's on the shared real clips"). Not a test: the pose model runs on
software WebGL in headless Chromium, one to several seconds a frame on a 2-core machine, so
going through every labelled clip takes many minutes; the suite checks one clip (the bridge,
tests/e2e/test_camera_coach.py) and this script checks them all.

For each clip in ../shared/data/videos/labels.json (read in place, never copied): the page's
"Analyse on this device" path in Debian's Chromium (the pose model in the page, stepping
through the file by media time at the analysis rate, the landmarks posted to
`POST /api/coach/landmarks/{exercise}`), against `backcoach analyze --json --exercise X` on the
same file. The coach page belongs to an exercise of today's session (the bridge, for a new
person), so the script sends the page's landmarks on to the clip's exercise: the landmarks are
the browser's, the counting is the server's, which is the CLI's code.

Prints one row per clip (the count and any hold each way, faults each way, the label) and
exits 1 if any count differs.

    .venv/bin/python benchmarks/browser_vs_cli.py [--clips a.mp4,b.mp4] [--fps 8]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import ASSESSMENT, PASSWORD, SCREENING, _free_port, start_server, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VIDEOS = ROOT.parent / "shared" / "data" / "videos"
CHROMIUM = "/usr/bin/chromium"


def cli_result(clip: Path, exercise: str, fps: float) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", "from backcoach.cli import main; main()", "analyze", "--json",
                          "--exercise", exercise, "--fps", str(fps), str(clip)],
                         capture_output=True, text=True, check=False)
    if out.returncode not in (0, 2):
        raise SystemExit(f"backcoach analyze failed on {clip.name}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def signed_in_person(page: Any, base: str) -> None:
    """A new person with a clear screening and a program, logged in on this page's cookie."""
    req = page.context.request
    email = f"browser-{uuid.uuid4().hex[:8]}@example.org"
    r = req.post(f"{base}/api/auth/signup", data={"email": email, "password": PASSWORD, "display_name": "Browser check",
                                                   "accept_privacy_notice": True})
    assert r.status == 202, r.text()
    r = req.post(f"{base}/api/auth/login", data={"email": email, "password": PASSWORD})
    assert r.status == 200, r.text()
    csrf = {"X-CSRF-Token": req.get(f"{base}/api/auth/csrf").json()["csrf_token"]}
    for path, answers in (("/api/screenings", SCREENING), ("/api/assessments", ASSESSMENT)):
        r = req.post(f"{base}{path}", data={"answers": answers}, headers=csrf)
        assert r.status == 201, (path, r.text())


def browser_result(page: Any, base: str, clip: Path, exercise: str, fps: float, timeout_s: float) -> dict[str, Any]:
    page.goto(f"{base}/coach/glute_bridge?fps={fps:g}")

    def to_clip_exercise(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        body["hold_s"] = None  # as the CLI without --hold-seconds
        route.continue_(url=f"{base}/api/coach/landmarks/{exercise}", post_data=json.dumps(body))

    page.route("**/api/coach/landmarks/glute_bridge", to_clip_exercise)
    page.get_by_label("Video of your set").set_input_files(str(clip))
    with page.expect_response(lambda r: "/api/coach/landmarks/" in r.url, timeout=timeout_s * 1000) as answer:
        page.get_by_role("button", name="Analyse on this device").click()
    page.unroute("**/api/coach/landmarks/glute_bridge")
    response = answer.value
    if response.status != 200:
        problem = page.locator("[data-recorded-problem]").inner_text()
        raise RuntimeError(f"{clip.name}: the page's analysis answered {response.status}: {problem or response.text()}")
    return {**response.json(), "frames": page.locator("#coach").get_attribute("data-frames"),
            "timing": page.locator("#coach").get_attribute("data-timing")}


def summary(result: dict[str, Any]) -> tuple[int, str, list[str]]:
    """The count, the hold (timed-hold exercises) and the faults reported, as the JSON of
    `backcoach analyze --json` gives them."""
    hold = result.get("hold_s")
    return int(result.get("reps") or 0), "-" if hold is None else f"{hold:.1f} s", sorted(result.get("faults") or {})


def clip_seconds(clip: Path) -> float:
    import cv2  # the vision extra

    cap = cv2.VideoCapture(str(clip))
    try:
        fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
        return cap.get(cv2.CAP_PROP_FRAME_COUNT) / fps
    finally:
        cap.release()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clips", default="", help="comma-separated clip names (default: every clip in labels.json)")
    ap.add_argument("--fps", type=float, default=8.0, help="frames per second analysed, both ways (default 8)")
    ap.add_argument("--seconds-per-frame", type=float, default=30.0, help="patience per frame in the browser")
    args = ap.parse_args()
    labels = {k: v for k, v in json.loads((VIDEOS / "labels.json").read_text()).items() if not k.startswith("_")}
    names = [c for c in args.clips.split(",") if c] or sorted(labels)
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = start_server(f"sqlite:///{Path('/tmp') / f'browser-vs-cli-{port}.sqlite3'}", port, 1)
    base = f"http://127.0.0.1:{port}"
    rows, differ = [], 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                "--autoplay-policy=no-user-gesture-required"])
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(120_000)
            signed_in_person(page, base)
            for name in names:
                label, clip = labels[name], VIDEOS / name
                ex = label["exercise"]
                t0 = time.monotonic()
                cli = summary(cli_result(clip, ex, args.fps))
                t1 = time.monotonic()
                seconds = clip_seconds(clip)
                got = browser_result(page, base, clip, ex, args.fps, args.seconds_per_frame * args.fps * seconds)
                web = summary(got["result"])
                t2 = time.monotonic()
                same = cli[0] == web[0]
                differ += not same
                truth = label.get("reps", label.get("reps_approx", label.get("holds", "?")))
                rows.append((name, ex, f"{cli[0]} ({cli[1]})", f"{web[0]} ({web[1]})", truth,
                             ",".join(cli[2]) or "-", ",".join(web[2]) or "-", "yes" if same else "NO",
                             f"{t1 - t0:.0f}+{t2 - t1:.0f} s, {got['frames']} frames, {got['timing']}"))
                print("  ".join(map(str, rows[-1])), flush=True)
            browser.close()
    finally:
        stop_server(server)
    print()
    head = ("clip", "exercise", "CLI count (hold)", "browser count (hold)", "label", "CLI faults", "browser faults", "same count", "time")
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for r in rows:
        print("| " + " | ".join(map(str, r)) + " |")
    print(f"\nbrowser vs CLI at {args.fps:g} frames/s: {len(rows) - differ} of {len(rows)} clips counted the same")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
