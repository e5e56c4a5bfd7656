"""The set-up step that fetches the in-browser pose model checks the pinned integrity hash
before unpacking anything, and unpacks only plain files inside the package."""

from __future__ import annotations

import importlib.util
import io
import tarfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "fetch_pose_assets.py"


@pytest.fixture()
def fetch(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("fetch_pose_assets", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "TARGET", tmp_path / "vendor" / "mediapipe-pose")
    monkeypatch.setattr(module, "STAMP", tmp_path / "vendor" / "mediapipe-pose" / ".integrity")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    return module


def _tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_a_tarball_that_does_not_match_the_pinned_hash_is_not_unpacked(fetch, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "_with_npm", lambda tmp: _tarball({"package/pose.js": b"tampered"}))
    assert fetch.main([]) == 1
    assert "does not match the pinned integrity hash" in capsys.readouterr().err
    assert not fetch.TARGET.exists()


def test_a_matching_tarball_is_unpacked_and_stamped(fetch, monkeypatch):
    data = _tarball({"package/pose.js": b"// pose", "package/pose_landmark_full.tflite": b"model"})
    monkeypatch.setattr(fetch, "_with_npm", lambda tmp: data)
    monkeypatch.setattr(fetch, "INTEGRITY", fetch.integrity_of(data))
    assert fetch.main([]) == 0
    assert (fetch.TARGET / "pose.js").read_bytes() == b"// pose"
    assert fetch.installed() and fetch.main([]) == 0  # already there: nothing fetched again


def test_paths_outside_the_package_are_refused(fetch):
    with pytest.raises(fetch.AssetError):
        fetch._unpack(_tarball({"package/../../evil.js": b"x"}), fetch.TARGET)
