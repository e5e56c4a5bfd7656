#!/usr/bin/env python3
"""Fetch the in-browser pose estimator (npm `@mediapipe/pose`) into the app's static folder.

Why at set-up time: the browser runs pose estimation on the person's device from files
our app serves itself (no CDN at run time), and nothing binary is committed. The tarball
comes from the npm registry only (with `npm pack` when npm is installed, otherwise a plain
download of the registry's tarball URL, so Node is not needed), and its sha512 must equal
the `dist.integrity` pinned below before anything is unpacked.

Usage: python scripts/fetch_pose_assets.py [--force]
"""
from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

PACKAGE = "@mediapipe/pose"
VERSION = "0.5.1675469404"
# `npm view @mediapipe/pose@0.5.1675469404 dist.integrity`
INTEGRITY = "sha512-DFZsNWTsSphRIZppnUCuunzBiHP2FdJXR9ehc7mMi4KG+oPaOH0Em3d6kr7Py+TSyTXC1doH88KcF28k2sBxsQ=="
TARBALL_URL = "https://registry.npmjs.org/@mediapipe/pose/-/pose-0.5.1675469404.tgz"
MAX_TARBALL_BYTES = 64 * 1024 * 1024

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "backcoach" / "web" / "static" / "vendor" / "mediapipe-pose"
STAMP = TARGET / ".integrity"


class AssetError(RuntimeError):
    pass


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _with_npm(tmp: Path) -> bytes | None:
    npm = shutil.which("npm")
    if npm is None:
        return None
    proc = subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(tmp), "--silent"],
                          capture_output=True, text=True, timeout=300, cwd=tmp)
    files = list(tmp.glob("*.tgz"))
    if proc.returncode != 0 or not files:
        print(f"npm pack failed ({proc.stderr.strip()[:300]}); downloading from the registry instead.", file=sys.stderr)
        return None
    return files[0].read_bytes()


def _download() -> bytes:
    with urllib.request.urlopen(TARBALL_URL, timeout=120) as resp:  # noqa: S310 - fixed https registry URL
        data = resp.read(MAX_TARBALL_BYTES + 1)
    if len(data) > MAX_TARBALL_BYTES:
        raise AssetError("The pose package from the registry is larger than expected; not unpacked.")
    return data


def _unpack(data: bytes, target: Path) -> list[str]:
    """Unpack `package/*` into target, refusing anything that is not a plain file inside it."""
    tmp_target = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp_target, ignore_errors=True)
    tmp_target.mkdir(parents=True)
    names = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            rel = Path(member.name)
            if rel.parts[:1] != ("package",) or ".." in rel.parts or rel.is_absolute():
                raise AssetError(f"Unexpected path in the pose package: {member.name!r}")
            out = tmp_target.joinpath(*rel.parts[1:])
            out.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            assert src is not None
            out.write_bytes(src.read())
            names.append("/".join(rel.parts[1:]))
    (tmp_target / STAMP.name).write_text(INTEGRITY + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp_target.rename(target)
    return names


def installed() -> bool:
    return STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == INTEGRITY


def main(argv: list[str]) -> int:
    if installed() and "--force" not in argv:
        return 0
    with tempfile.TemporaryDirectory(prefix="backcoach-pose-") as tmp:
        data = _with_npm(Path(tmp))
        if data is None:
            data = _download()
    got = integrity_of(data)
    if got != INTEGRITY:
        print(f"The {PACKAGE}@{VERSION} tarball does not match the pinned integrity hash "
              f"(expected {INTEGRITY}, got {got}); nothing was unpacked.", file=sys.stderr)
        return 1
    names = _unpack(data, TARGET)
    print(f"{PACKAGE}@{VERSION}: {len(names)} files in {TARGET.relative_to(ROOT)} (integrity checked).")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (AssetError, OSError, subprocess.SubprocessError) as exc:
        print(f"Could not fetch the in-browser pose model: {exc}", file=sys.stderr)
        sys.exit(1)
