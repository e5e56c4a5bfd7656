"""Alembic environment: every table of backcoach (storage/models.py holds them all, the web
app's too), so autogenerate on an up-to-date database proposes nothing.

The database: the one backcoach passes (storage/database.py: alembic_config), else DATABASE_URL
or backcoach's settings (a developer's `alembic -c src/backcoach/storage/migrations/alembic.ini ...`).
"""

from __future__ import annotations

from alembic import context

from backcoach.storage.database import make_engine
from backcoach.storage.models import Base

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from backcoach.settings import get_settings

        url = get_settings().database_url
    return url


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    owned = engine is None
    if owned:
        engine = make_engine(database_url())
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
