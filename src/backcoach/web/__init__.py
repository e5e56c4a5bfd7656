"""The backcoach web app (FastAPI): server-rendered pages and a JSON API."""

from backcoach.web.app import WebOptions, create_app

__all__ = ["WebOptions", "create_app"]
