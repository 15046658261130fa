"""Coverage agreement: the matcher's status against hand labels (evals/coverage/labels.yaml).

Reports exact agreement on the three statuses (dev, test, all), agreement on "any evidence vs
none", and divergence precision/recall. `calibrate` sweeps the two cut-offs on the dev half."""
from __future__ import annotations

from pathlib import Path

import yaml

from assistant.coverage import CoverageMatcher, load_checklist
from assistant.evaluate.calibrate import plateau_middle
from assistant.evaluate.gold import EVALS_DIR
from assistant.evaluate.results import EvalResult, mean, ratio

LABELS_PATH = EVALS_DIR / "coverage" / "labels.yaml"


def load_labels(path: Path = LABELS_PATH) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["labels"]


class CoverageAgreementEvaluator:
    name = "coverage"

    def __init__(self, labels_path: Path = LABELS_PATH):
        self.labels = load_labels(labels_path)

    def _rows(self, matcher: CoverageMatcher):
        checklist = {e.id: e for e in load_checklist()}
        missing = [l["expectation"] for l in self.labels if l["expectation"] not in checklist]
        if missing:
            raise ValueError(f"labels name unknown expectations: {', '.join(missing)}")
        return [(l, matcher.row(checklist[l["expectation"]], l["authority"])) for l in self.labels]

    def evaluate(self, assistant, matcher: CoverageMatcher | None = None) -> EvalResult:
        matcher = matcher or CoverageMatcher(assistant)
        rows = []
        for label, row in self._rows(matcher):
            rows.append({"expectation": label["expectation"], "authority": label["authority"], "split": label["split"],
                         "expected": label["status"], "predicted": row.status, "confidence": row.confidence,
                         "agree": int(label["status"] == row.status),
                         "agree_any": int((label["status"] == "no evidence found") == (row.status == "no evidence found")),
                         "divergence_expected": int(bool(label.get("divergence"))), "divergence_flagged": int(row.divergence)})
        tp = sum(r["divergence_expected"] and r["divergence_flagged"] for r in rows)
        agg = {
            "pairs": len(rows),
            "agreement": mean(r["agree"] for r in rows),
            "agreement_dev": mean(r["agree"] for r in rows if r["split"] == "dev"),
            "agreement_test": mean(r["agree"] for r in rows if r["split"] == "test"),
            "agreement_any_evidence": mean(r["agree_any"] for r in rows),
            "divergence_recall": ratio(tp, sum(r["divergence_expected"] for r in rows)),
            "divergence_precision": ratio(tp, sum(r["divergence_flagged"] for r in rows)),
        }
        return EvalResult(evaluator=self.name, system="assistant", per_item=rows, aggregate=agg)

    def calibrate(self, assistant) -> dict:
        """Sweep the covered/partly cut-offs on the dev labels; take the middle of the best plateau
        (as the refusal calibration does: its edge is where unseen pairs flip first)."""
        matcher = CoverageMatcher(assistant, covered=0.0, partly=0.0)
        scored = [(l, r.confidence) for l, r in self._rows(matcher) if l["split"] == "dev"]
        grid = [x / 100 for x in range(15, 86)]
        results = []
        for hi in grid:
            for lo in grid:
                if lo > hi:
                    continue
                m = CoverageMatcher(assistant, covered=hi, partly=lo)
                results.append((sum(m.status(s) == l["status"] for l, s in scored), hi, lo))
        top = max(r[0] for r in results)
        hi, lo, ranges = plateau_middle([(hi, lo) for c, hi, lo in results if c == top])
        return {"covered": hi, "partly": lo, "correct": top, "n": len(scored),
                "plateau": {"covered": ranges["x"], "partly": ranges["y"]}}
