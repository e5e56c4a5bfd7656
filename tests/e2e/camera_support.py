"""A fake camera for Chromium: a .y4m made at test time from a shared real clip (never committed)."""

from __future__ import annotations

from pathlib import Path

VIDEOS = Path("/work/shared/data/videos")
BRIDGE_CLIP = VIDEOS / "glute_bridge_side_real.mp4"


def make_y4m(src: Path, dst: Path, fps: float = 12.0, width: int = 480) -> Path:
    """Write `src` as an uncompressed YUV4MPEG2 (4:2:0) file Chromium's fake camera can play."""
    import cv2  # the vision extra

    cap = cv2.VideoCapture(str(src))
    if not cap.isOpened():
        raise FileNotFoundError(src)
    src_fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    w0, h0 = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    height = int(round(h0 * width / w0 / 2)) * 2
    step = src_fps / fps
    with open(dst, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{int(fps)}:1 Ip A1:1 C420jpeg\n".encode())
        i, next_keep = 0, 0.0
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            if i >= next_keep:
                next_keep += step
                small = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
                out.write(b"FRAME\n")
                out.write(cv2.cvtColor(small, cv2.COLOR_BGR2YUV_I420).tobytes())
            i += 1
    cap.release()
    return dst
