"""The evaluation harness behind `assistant eval`: gold items → systems → evaluators → report.

One module per evaluated component (retrieval, answers, refusal, guardrails, latency); each
evaluator returns per-item rows and aggregate scores (`EvalResult`). Thresholds live in
evals/thresholds.yaml, gold data in evals/gold/.
"""
from assistant.evaluate.gold import GoldItem, load_gold
from assistant.evaluate.runner import EvalRun, check_thresholds, run_eval

__all__ = ["GoldItem", "load_gold", "EvalRun", "check_thresholds", "run_eval"]
