"""ASGI entry point for uvicorn/gunicorn workers: ``uvicorn backcoach.web.asgi:app``.

Settings come from the environment (DATABASE_URL, SECRET_KEY, ...), so every worker
process builds the same app.
"""

from backcoach.web.app import create_app

app = create_app()
