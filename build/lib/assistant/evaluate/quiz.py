"""Quiz quality: for a generated quiz, is each answer key supported by its cited passage, and is
each distractor unsupported (by the passage and by the rest of the corpus)?

- key supported: the quote is verbatim in the cited passage, the key term occurs in it (mcq,
  cloze, true statements), and the true statement passes the lexical support check of
  assistant/support.py; for a "False" statement, the swapped-in term must be absent from the passage.
- distractor unsupported: the builder's rule (absent from the cited passage under every alias,
  and the statement with it swapped in not supported, support_score >= 0.6, by any passage of the
  corpus that mentions it) and a check the builder does not make: no sentence of a passage that
  mentions it is a near paraphrase of that statement (embedding cosine >= 0.9; the keys
  themselves score 1.0, the 51 distractors of the eval quiz at most 0.83)."""
from __future__ import annotations

from assistant.evaluate.results import EvalResult, mean
from assistant.quiz import QuizBuilder
from assistant.quiz.builder import BLANK
from assistant.support import is_supported

PARAPHRASE_COS = 0.9


class QuizQualityEvaluator:
    name = "quiz"

    def __init__(self, n: int = 50, seed: int = 7, topic: str = "all"):
        self.n, self.seed, self.topic = n, seed, topic

    def _distractor_ok(self, b: QuizBuilder, q, d: str) -> bool:
        kind = q.term_type if q.term_type != "number" else next(
            (t for t in b.inventory.numbers if d in b.inventory.numbers[t]), "number")
        swapped = q.stem.replace(BLANK, d) if BLANK in q.stem else q.stem
        # the builder's lexical rule, then a check the builder does not make: no sentence that
        # mentions the distractor says nearly the same thing (embedding similarity)
        return b.unsupported(swapped, kind, d, q.citation.passage) and not self._paraphrased(b, swapped, kind, d)

    def _paraphrased(self, b: QuizBuilder, statement: str, kind: str, term: str) -> bool:
        snap = b.snap
        vec = b.a.retriever.base.embedder.embed([statement])[0]  # unexpanded: the words as written
        rows = [r for ci in b.passages_mentioning(kind, term) for r in snap.sents_of_chunk.get(ci, [])]
        return bool(rows) and float((snap.sent_vecs[rows] @ vec).max()) >= PARAPHRASE_COS

    def evaluate(self, assistant) -> tuple[EvalResult, dict]:
        b = QuizBuilder(assistant)
        quiz = b.build(self.topic, self.n, None, self.seed)
        rows = []
        for q in quiz.questions:
            passage = q.citation.passage
            verbatim = q.citation.quote in passage
            if q.type == "true_false" and q.answer == "False":
                key_ok = verbatim and all(self._distractor_ok(b, q, d) for d in q.distractors)
            elif q.type == "true_false":  # a true statement: the guidance's own words
                key_ok = verbatim and is_supported(q.statement, passage)
            else:
                key_in = q.answer.lower() in passage.lower() or any(
                    b.inventory.mentions(passage, t, q.answer) for t in b.inventory.groups)
                key_ok = verbatim and key_in and is_supported(q.statement, passage)
            wrong = q.distractors if q.type == "mcq" else []
            rows.append({"id": q.id, "type": q.type, "key_supported": int(key_ok),
                         "distractors": len(wrong), "distractors_unsupported": sum(self._distractor_ok(b, q, d) for d in wrong)})
        n_d = sum(r["distractors"] for r in rows)
        agg = {"questions": len(rows), "key_supported": mean(r["key_supported"] for r in rows),
               "distractors_unsupported": round(sum(r["distractors_unsupported"] for r in rows) / n_d, 4) if n_d else None,
               "distractors_checked": n_d,
               "duplicate_questions": len(rows) - len({q.statement for q in quiz.questions})}
        return EvalResult(evaluator=self.name, system="assistant", per_item=rows, aggregate=agg), quiz.model_dump()
