"""Files the commands read and write: answer files (JSON), unsaved answers kept on disk, exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from backcoach.cli.root import InputError, now


def load_json(path: Path, what: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{what} file is a directory: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the {what} file {path}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"the {what} file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def keep_unsaved(data: Any, kind: str) -> Optional[Path]:
    """Write answers that could not be stored to a file, so nothing typed is lost."""
    stamp = now().strftime("%Y%m%dT%H%M%S")
    path = Path.cwd() / f"backcoach-unsaved-{kind}-{stamp}.json"
    try:
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    except OSError:
        return None
    return path


def write_bytes(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
