"""One settings object, read from the environment (and a `.env` file if present).

Why one object: the CLI, the web app and the job workers must agree on where the
data lives, so they all call `get_settings()`.

Environment variables (each also accepted with a `BACKCOACH_` prefix):
  DATABASE_URL   SQLAlchemy URL; default: an SQLite file in the user's data directory
  SECRET_KEY     signs web sessions; default: generated once and kept in the data directory
  HOST, PORT     where `backcoach serve` listens (127.0.0.1:8000)
  JOBS_BACKEND   "inprocess" (default) or "celery"
  REDIS_URL      broker/result backend for Celery
  VIDEO_MAX_MB, VIDEO_MAX_SECONDS  limits of an uploaded video of a set (200 MB, 180 s)
  MAX_BODY_BYTES largest request body the web app reads (65536: forms and JSON are small)
  BODY_LIMITS    larger limits for a few paths, as JSON {"path prefix": bytes}
                 (default: {"/api/videos": 209715200}, the exercise video upload)
  HSTS           "auto" (send Strict-Transport-Security on https requests), "always" or "never"
  BACKCOACH_DATA_DIR  overrides the data directory itself
  DELETION_GRACE_DAYS days before a deleted account is removed (7; logging in cancels)
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path
from typing import Literal, Optional

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backcoach.domain.errors import BackcoachError

APP_NAME = "backcoach"
# Request bodies larger than MAX_BODY_BYTES are refused (413) while they are read; only these
# path prefixes may send more: an exercise video of a few minutes from a phone.
# the video upload; the landmarks of a recorded set analysed on the device (up to 3,600 frames)
DEFAULT_BODY_LIMITS = {"/api/videos": 200 * 1024 * 1024, "/api/coach/landmarks": 6 * 1024 * 1024}
SECRET_KEY_FILE = "secret_key"


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ~/.local/share/backcoach on Linux)."""
    return Path(user_data_dir(APP_NAME))


def sqlite_url_for(path: Path) -> str:
    return f"sqlite:///{path}"


def _alias(name: str) -> AliasChoices:
    return AliasChoices(name, f"BACKCOACH_{name}", name.lower())


class Settings(BaseSettings):
    """Configuration for every backcoach process."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(default_factory=default_data_dir, validation_alias=AliasChoices("BACKCOACH_DATA_DIR", "data_dir"))
    database_url: str = Field(default="", validation_alias=_alias("DATABASE_URL"))
    secret_key: str = Field(default="", repr=False, validation_alias=_alias("SECRET_KEY"))
    host: str = Field(default="127.0.0.1", validation_alias=_alias("HOST"))
    port: int = Field(default=8000, ge=1, le=65535, validation_alias=_alias("PORT"))
    jobs_backend: Literal["inprocess", "celery"] = Field(
        default="inprocess", validation_alias=AliasChoices("JOBS_BACKEND", "BACKCOACH_JOBS_BACKEND", "BACKCOACH_JOBS", "jobs_backend"))
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", validation_alias=_alias("REDIS_URL"))
    video_max_mb: float = Field(default=200.0, gt=0, le=4096, validation_alias=_alias("VIDEO_MAX_MB"))
    video_max_seconds: float = Field(default=180.0, gt=0, le=3600, validation_alias=_alias("VIDEO_MAX_SECONDS"))
    # an analysis job with no sign of life for this long is given up as failed (its worker is gone)
    video_stall_running_s: float = Field(default=120.0, gt=0, validation_alias=_alias("VIDEO_STALL_RUNNING_S"))
    video_stall_queued_s: float = Field(default=1800.0, gt=0, validation_alias=_alias("VIDEO_STALL_QUEUED_S"))

    max_body_bytes: int = Field(default=64 * 1024, ge=1024, validation_alias=_alias("MAX_BODY_BYTES"))
    body_limits: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_BODY_LIMITS),
                                        validation_alias=_alias("BODY_LIMITS"))
    hsts: Literal["auto", "always", "never"] = Field(default="auto", validation_alias=_alias("HSTS"))
    # A folder of extra outcome questionnaire definitions (licensed ones whose wording we do not ship).
    outcomes_dir: Optional[Path] = Field(default=None, validation_alias=_alias("OUTCOMES_DIR"))
    # days between a person asking to delete their account and its removal (logging in cancels)
    deletion_grace_days: int = Field(default=7, ge=0, le=365, validation_alias=_alias("DELETION_GRACE_DAYS"))

    @model_validator(mode="after")
    def _fill_defaults(self) -> "Settings":
        if not self.database_url:
            self.database_url = sqlite_url_for(self.data_dir / "backcoach.sqlite3")
        if not self.secret_key:
            self.secret_key = _load_or_create_secret(self.data_dir)
        return self

    @property
    def upload_dir(self) -> Path:
        """Uploaded videos waiting for (or kept after) analysis; Celery workers must see the same folder."""
        return self.data_dir / "uploads"


def _load_or_create_secret(data_dir: Path) -> str:
    """Keep a random key in the data directory so web sessions survive restarts.

    If the directory cannot be written (read-only home, sandbox), fall back to a
    key that lives only as long as this process: sessions then end on restart,
    which is safe.
    """
    path = data_dir / SECRET_KEY_FILE
    try:
        if path.exists():
            key = path.read_text(encoding="utf-8").strip()
            if key:
                return key
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(key)
        return key
    except FileExistsError:  # another process created it between our check and write
        return path.read_text(encoding="utf-8").strip() or secrets.token_urlsafe(48)
    except OSError:
        return secrets.token_urlsafe(48)


class SettingsError(BackcoachError):
    """An environment variable holds a value backcoach cannot use."""


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; call `get_settings.cache_clear()` after changing the environment).

    Raises SettingsError, naming the setting, when a value is not valid.
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc']).upper() or 'settings'}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"the configuration is not valid ({problems})") from None
