"""Speed figures for the cited-answers pipeline (a benchmark, not a timed test).

    python benchmarks/bench.py            # prints JSON: build time, cold start, warm latencies

Index build time is for the bundled corpus into an empty directory with an empty embedding
cache; cold start is a fresh process opening the index and answering one question.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return round(v[min(len(v) - 1, int(round(p * (len(v) - 1))))], 1)


def main() -> None:
    from assistant import Assistant
    from assistant.evaluate import load_gold
    from assistant.index.update import ingest

    out: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        t = time.perf_counter()
        ingest(data)
        out["index_build_s"] = round(time.perf_counter() - t, 1)
        code = (
            "import time; t=time.perf_counter(); from assistant import Assistant; "
            f"a=Assistant.open({str(data)!r}, build=False); a.ask('When must we offer a family group conference?'); "
            "print(time.perf_counter()-t)"
        )
        t = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
        out["cold_start_to_first_answer_s"] = round(float(res.stdout.strip().splitlines()[-1]), 2)
        a = Assistant.open(data, build=False)
        questions = [i.question for i in load_gold(split="dev")]
        for q in questions:  # warm-up pass
            a.ask(q)
        retrieval, answer = [], []
        for _ in range(3):
            for q in questions:
                t = time.perf_counter()
                query = a.retriever.prepare(q)
                a.retriever.search(query, None, a.settings.top_k)
                retrieval.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                a.ask(q)
                answer.append((time.perf_counter() - t) * 1000)
        out.update(
            questions=len(questions),
            retrieval_ms_p50=pct(retrieval, 0.5), retrieval_ms_p95=pct(retrieval, 0.95),
            answer_ms_p50=pct(answer, 0.5), answer_ms_p95=pct(answer, 0.95),
            answer_ms_mean=round(statistics.mean(answer), 1),
            chunks=len(a.snapshot.chunks), sentences=int(a.snapshot.sent_vecs.shape[0]),
        )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
