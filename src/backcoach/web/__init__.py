"""The backcoach web app (FastAPI): server-rendered pages and a JSON API.

`create_app` and `WebOptions` are imported lazily, so that importing a small part of
the package (its tables, its CLI commands) does not load the whole web stack.
"""

from typing import Any

__all__ = ["WebOptions", "create_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from backcoach.web import app

        return getattr(app, name)
    raise AttributeError(name)
