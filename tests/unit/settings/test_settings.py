"""Settings come from the environment, with safe defaults in the user's data directory."""

from __future__ import annotations

import stat

import pytest

from backcoach.settings import Settings, get_settings

ENV = ("DATABASE_URL", "BACKCOACH_DATABASE_URL", "SECRET_KEY", "BACKCOACH_SECRET_KEY", "BACKCOACH_DATA_DIR",
       "HOST", "PORT", "JOBS_BACKEND", "BACKCOACH_JOBS_BACKEND", "REDIS_URL")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)  # no stray .env file


def test_defaults_live_in_the_user_data_directory(tmp_path):
    s = Settings()
    assert s.data_dir == tmp_path / "xdg" / "backcoach"
    assert s.database_url == f"sqlite:///{tmp_path / 'xdg' / 'backcoach' / 'backcoach.sqlite3'}"
    assert (s.host, s.port, s.jobs_backend) == ("127.0.0.1", 8000, "inprocess")


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first, second = Settings(), Settings()
    assert len(first.secret_key) >= 32 and first.secret_key == second.secret_key
    key_file = first.data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret_key not in repr(first)


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("BACKCOACH_SECRET_KEY", "s3cret")
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("JOBS_BACKEND", "celery")
    monkeypatch.setenv("REDIS_URL", "redis://r:6379/1")
    s = Settings()
    assert (s.database_url, s.secret_key, s.port, s.jobs_backend, s.redis_url) == (
        "postgresql+psycopg://u@h/db", "s3cret", 9001, "celery", "redis://r:6379/1")
    assert not (s.data_dir / "secret_key").exists()


def test_bad_values_are_refused(monkeypatch):
    monkeypatch.setenv("JOBS_BACKEND", "threads")
    with pytest.raises(ValueError):
        Settings()


def test_get_settings_is_cached_until_cleared(monkeypatch):
    get_settings.cache_clear()
    monkeypatch.setenv("DATABASE_URL", "sqlite:///one.db")
    assert get_settings() is get_settings()
    monkeypatch.setenv("DATABASE_URL", "sqlite:///two.db")
    get_settings.cache_clear()
    assert get_settings().database_url == "sqlite:///two.db"
    get_settings.cache_clear()


def test_get_settings_names_the_bad_setting(monkeypatch):
    from backcoach.domain.errors import BackcoachError

    get_settings.cache_clear()
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(BackcoachError, match="PORT"):
        get_settings()
    get_settings.cache_clear()
