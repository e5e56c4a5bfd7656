"""The request guard: body size limits and the text rule, applied before anything else runs.

Why here, at the edge, rather than in each route: a body larger than the limit is refused
while it is read (or at once, from its Content-Length), before authentication, parsing or
the database; and a control character in any form field, JSON string or query parameter
is refused once for every route (``domain.text``), instead of field by field.

JSON and form bodies (small by their limit) are read whole here, checked, and handed on;
other bodies (file uploads) are counted as the route reads them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backcoach.domain.text import InvalidText, first_bad_text, is_text
from backcoach.web.errors import error_response

_CHECKED_TYPES = ("application/json", "application/x-www-form-urlencoded")


class BodyTooLarge(HTTPException):
    """The request body is over the limit for its path; nothing was read further or changed."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"What was sent is too large (more than {human_size(limit)}), so nothing was read "
                              "or changed. Send less at once.", headers={"Connection": "close"})


def human_size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def body_limit(path: str, default: int, limits: dict[str, int]) -> int:
    """The limit for ``path``: the longest matching prefix in ``limits``, else ``default``."""
    best, best_len = default, -1
    for prefix, limit in limits.items():
        if (path == prefix or path.startswith(prefix.rstrip("/") + "/")) and len(prefix) > best_len:
            best, best_len = limit, len(prefix)
    return best


def _query_problem(query_string: bytes) -> str | None:
    if not query_string:
        return None
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")
    for key, value in pairs:
        if not is_text(key) or not is_text(value):
            return key if is_text(key) else "(query)"
    return None


def _body_problem(content_type: str, body: bytes) -> str | None:
    """Where the body holds a control character; None when it has none or cannot be parsed
    (then the route refuses it with its own message)."""
    if content_type.startswith("application/json"):
        try:
            raw = body.decode("utf-8")
        except UnicodeDecodeError:
            raw = None
        if raw is not None and "\\" not in raw and is_text(raw):
            # Without an escape, every string and key is a stretch of the body itself, so a body
            # that is text holds no bad string: no need to parse it (the route parses it once).
            return None
        try:
            value: Any = json.loads(body)
        except (ValueError, RecursionError):
            return None
        return first_bad_text(value)
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")
    for key, value in pairs:
        if not is_text(key) or not is_text(value):
            return key if is_text(key) else "(form)"
    return None


class RequestGuardMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, body_limits: dict[str, int]) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_limits = dict(body_limits)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get("path", ""), self.max_body_bytes, self.body_limits)
        declared: int | None = None
        content_type = ""
        for k, v in scope.get("headers", ()):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    declared = None
            elif k == b"content-type":
                content_type = v.decode("latin-1").lower().strip()
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, BodyTooLarge(limit))
            return
        bad = None if is_text(scope.get("path", "")) else "(address)"
        bad = bad or _query_problem(scope.get("query_string", b""))
        if bad:
            await self._refuse(scope, receive, send, InvalidText(bad))
            return

        if content_type.startswith(_CHECKED_TYPES):
            try:
                body = await _read_body(receive, limit)
            except BodyTooLarge as exc:
                await self._refuse(scope, receive, send, exc)
                return
            bad = _body_problem(content_type, body)
            if bad:
                await self._refuse(scope, receive, send, InvalidText(bad))
                return
            await self.app(scope, _replay(body, receive), send)
            return

        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _counting(receive, limit), send_wrapper)
        except BodyTooLarge as exc:  # read outside the routes' handlers (the routes turn it into a 413 themselves)
            if started:
                raise
            await self._refuse(scope, receive, send, exc)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        request = Request(scope, receive)
        if isinstance(exc, BodyTooLarge):
            response = error_response(request, 413, exc.detail, headers=exc.headers)
        else:
            assert isinstance(exc, InvalidText)
            response = error_response(request, 422, str(exc), errors=[{"field": exc.field, "message": str(exc)}])
        await response(scope, receive, send)


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _counting(receive: Receive, limit: int) -> Receive:
    """Raises BodyTooLarge (a 413 through the app's HTTPException handler) once the body passes ``limit``."""
    size = 0

    async def counting() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise BodyTooLarge(limit)
        return message

    return counting
