"""Abuse limits: how much one user may ask, and how large a request may be.

Each user (the signed session id, else the client's address) may ask at most
Settings.rate_limit_per_minute questions a minute (0: no limit); past it they get a 429 with
Retry-After. A request body over Settings.max_body_bytes gets a 413 before it is read.
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.api.auth import USER_COOKIE

# the routes that cost an answer
ASKING = ("/api/ask", "/api/ask/stream", "/ask", "/api/search")


class RateLimiter:
    """A sliding window of the last minute's requests per key."""

    def __init__(self, per_minute: int, window: float = 60.0):
        self.per_minute, self.window = per_minute, window
        self._seen: dict[str, deque] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str, now: float | None = None) -> float:
        """0 when the request may go ahead (and is counted), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.per_minute:
                return seen[0] + self.window - now
            seen.append(now)
            if len(self._seen) > 10000:  # forget users who have gone quiet
                for k in [k for k, v in self._seen.items() if not v or v[-1] <= now - self.window]:
                    del self._seen[k]
            return 0.0


def add_limits(app: FastAPI, per_minute: int, max_body_bytes: int) -> None:
    limiter = RateLimiter(per_minute) if per_minute > 0 else None

    @app.middleware("http")
    async def _limits(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_body_bytes:
            return JSONResponse({"detail": f"The request is larger than {max_body_bytes // 1024} KB."}, status_code=413)
        if limiter and request.method == "POST" and request.url.path in ASKING:
            key = request.app.state.identity.unsign("user", request.cookies.get(USER_COOKIE)) or (
                request.client.host if request.client else "unknown")
            wait = limiter.retry_after(key)
            if wait:
                return JSONResponse({"detail": f"Too many questions: at most {limiter.per_minute} a minute. Try again "
                                               f"in {math.ceil(wait)} seconds."}, status_code=429,
                                    headers={"Retry-After": str(math.ceil(wait))})
        return await call_next(request)
