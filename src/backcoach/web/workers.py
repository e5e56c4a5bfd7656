"""Several web worker processes, each with its own listening socket on the same port.

Why not uvicorn's own ``--workers``: there the workers share one socket, and whichever
worker's event loop wakes first accepts every waiting connection at once. With a few
long-lived keep-alive connections (a mobile app, a reverse proxy, the load benchmark) one
worker could hold all of them while the other idled: the same benchmark ran at 130 or at
250 session logs/s depending on that draw. With SO_REUSEPORT (Linux, BSD, macOS) every
worker listens on its own socket and the kernel spreads new connections over them.

The parent only reserves the port (so a port in use fails at once, before any worker
starts, even if another server uses SO_REUSEPORT too), starts the workers, restarts one
that dies (giving up if they keep dying), and stops them all on SIGINT/SIGTERM. Used on
Linux only: elsewhere SO_REUSEPORT does not spread connections, so `serve` falls back to
uvicorn's shared socket. Trade-off: connections waiting in a worker's own queue are reset
if that worker dies, and a busy worker's queue cannot be taken over by an idle one.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from typing import Any

log = logging.getLogger("backcoach.web")

RESTART_PAUSE_S = 1.0  # a worker that dies at once (a broken setting) is not restarted in a tight loop
MAX_QUICK_RESTARTS = 5  # ... and after this many restarts within QUICK_WINDOW_S the server gives up
QUICK_WINDOW_S = 60.0
STOP_TIMEOUT_S = 15.0


class PortUnavailable(OSError):
    """Something already listens on the address (or it cannot be bound)."""


class WorkersFailing(RuntimeError):
    """The workers keep dying right after they start."""


def can_reuse_port() -> bool:
    """Only Linux spreads the connections of SO_REUSEPORT sockets over them."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def reserve_port(host: str, port: int) -> socket.socket:
    """Fail if anything listens on host:port, then hold it with a (never listening) shared socket.

    A plain bind first: a socket with SO_REUSEPORT could otherwise join another server's group."""
    try:
        _bound_socket(host, port, shared=False).close()
        return _bound_socket(host, port, shared=True)
    except OSError as exc:
        raise PortUnavailable(exc.errno, exc.strerror or str(exc)) from exc


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A bound (not yet listening) TCP socket that other sockets of this user may share."""
    return _bound_socket(host, port, shared=True)


def _bound_socket(host: str, port: int, shared: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _serve_one(app: str, host: str, port: int, options: dict[str, Any]) -> None:
    """One worker: its own listening socket, one uvicorn server (runs in a child process)."""
    import uvicorn

    sock = reuse_port_socket(host, port)
    uvicorn.Server(uvicorn.Config(app, host=host, port=port, **options)).run(sockets=[sock])


def run_workers(app: str, host: str, port: int, workers: int, **options: Any) -> None:
    """Run `workers` uvicorn servers for the ASGI app at import path `app` until stopped."""
    reserved = reserve_port(host, port)  # PortUnavailable before anything starts
    spawn = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> Any:
        proc = spawn.Process(target=_serve_one, args=(app, host, port, options), daemon=False)
        proc.start()
        return proc

    def stop(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    procs = [start() for _ in range(workers)]
    restarts: list[float] = []
    try:
        while not stopping:
            time.sleep(0.2)
            for i, proc in enumerate(procs):
                if not proc.is_alive() and not stopping:
                    now = time.monotonic()
                    restarts = [t for t in restarts if now - t < QUICK_WINDOW_S] + [now]
                    if len(restarts) > MAX_QUICK_RESTARTS:
                        raise WorkersFailing(f"the web workers keep stopping right after they start (the last with "
                                             f"exit code {proc.exitcode}); see the messages above")
                    log.warning("web worker %s exited with code %s; starting a new one", proc.pid, proc.exitcode)
                    time.sleep(RESTART_PAUSE_S)
                    procs[i] = start()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for proc in procs:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
        reserved.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
