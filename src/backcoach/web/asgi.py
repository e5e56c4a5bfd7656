"""ASGI entry point for uvicorn/gunicorn workers: ``uvicorn backcoach.web.asgi:app``.

Settings come from the environment (DATABASE_URL, SECRET_KEY, ...), so every worker
process builds the same app.
"""

import gc

from backcoach.web.app import create_app

app = create_app()

# Everything built so far (the imported libraries, the app, the catalog) lives as long as the
# worker: move it out of the garbage collector's sight, so that its full collections walk only
# what requests and live streams make. Without this a full collection walks the whole start-up
# heap and holds every stream of the worker for it (benchmarks/bench_live.py's p99; README,
# "Live coaching capacity").
gc.collect()
gc.freeze()
