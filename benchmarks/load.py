"""Load test on loopback: N concurrent users asking for D seconds against `assistant serve`.

    python benchmarks/load.py [--users 50] [--seconds 60] [--think 1.0 3.0] [--workers 1] [--data DIR]

Starts the server in its own process on 127.0.0.1, waits for /readyz, then runs the users
(httpx, asyncio). Each user asks gold questions in random order (POST /api/ask), pausing a
random "think time" between questions (0 0 for back-to-back). Prints request count, errors,
throughput and latency p50/p95/max.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def user(client: httpx.AsyncClient, questions: list[str], until: float, think: tuple[float, float],
               lat: list[float], errors: list[str], rng: random.Random) -> None:
    while time.perf_counter() < until:
        q = rng.choice(questions)
        t = time.perf_counter()
        try:
            r = await client.post("/api/ask", json={"question": q})
            if r.status_code != 200:
                errors.append(f"{r.status_code}")
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
        lat.append(time.perf_counter() - t)
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))


async def run(base: str, users: int, seconds: float, think: tuple[float, float], questions: list[str]) -> dict:
    lat: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        t0 = time.perf_counter()
        until = t0 + seconds
        await asyncio.gather(*(user(client, questions, until, think, lat, errors, random.Random(i)) for i in range(users)))
        wall = time.perf_counter() - t0
    lat.sort()
    return {
        "users": users, "seconds": seconds, "think_s": list(think), "requests": len(lat), "errors": len(errors),
        "throughput_rps": round(len(lat) / wall, 1),
        "p50_ms": round(statistics.median(lat) * 1000, 1),
        "p95_ms": round(lat[int(0.95 * (len(lat) - 1))] * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0))
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from assistant.evaluate import load_gold

    questions = [i.question for i in load_gold()]
    port = free_port()
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--workers", str(args.workers)]
    if args.data:
        cmd += ["--data", str(args.data)]
    # the users share one cookie jar, so the server would see one user: its rate limit is off here
    env = dict(os.environ, HF_HUB_OFFLINE="1", ASSISTANT_RATE_LIMIT_PER_MINUTE="0")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("server did not become ready")
        result = asyncio.run(run(base, args.users, args.seconds, tuple(args.think), questions))
        print(json.dumps(dict(result, workers=args.workers), indent=2))
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
