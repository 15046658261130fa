"""Optional LLM composer behind one small protocol: any OpenAI-compatible endpoint
(Azure OpenAI, vLLM, Ollama, llama.cpp server) through langchain-openai.

The model sees only numbered passages (prompts/answer.j2). Its answer is then verified
sentence by sentence: each sentence must cite an existing [n] and be supported by that
passage (assistant.verify.support); unsupported sentences are removed, and if nothing
supported is left the extractive answer is returned instead.
"""
from __future__ import annotations

import re
from typing import Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assistant.models import Citation
from assistant.resources import prompts_dir
from assistant.support import is_supported

PROMPTS = prompts_dir()


class Generator(Protocol):
    name: str

    def answer(self, question: str, hits, snapshot, fallback: tuple[str, list[Citation]]) -> tuple[str, list[Citation], str]:
        ...


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?\]])\s+(?=[A-Z])", text.strip()) if s.strip()]


def generator_for(base_url: str | None, model: str | None = None) -> "OpenAICompatibleGenerator | None":
    """The optional LLM composer at `base_url`, or None (the extractive composer) when none is named:
    the CLI's --llm/--model and a web worker's $ASSISTANT_LLM_URL/$ASSISTANT_LLM_MODEL both come here."""
    return OpenAICompatibleGenerator(base_url=base_url, model=model or "local") if base_url else None


class OpenAICompatibleGenerator:
    name = "llm"

    def __init__(self, base_url: str, model: str = "local", api_key: str = "not-needed", passages: int = 5,
                 timeout: float = 60.0):
        from langchain_openai import ChatOpenAI

        self.base_url, self.model = base_url, model  # named in evaluation reports
        self.chat = ChatOpenAI(base_url=base_url, model=model, api_key=api_key, temperature=0, timeout=timeout,
                               max_retries=0)
        self.passages = passages
        env = Environment(loader=FileSystemLoader(str(PROMPTS)), undefined=StrictUndefined, autoescape=False)
        self.template = env.get_template("answer.j2")

    def answer(self, question, hits, snapshot, fallback):
        numbered = []
        for n, h in enumerate(hits[: self.passages], start=1):
            c = snapshot.chunks[h.chunk_index]
            meta = snapshot.documents[c.doc_id].meta
            numbered.append({"n": n, "chunk": c, "meta": meta, "title": meta.title, "section": c.section,
                             "paragraph": c.paragraph, "text": c.text, "score": h.score})
        prompt = self.template.render(question=question, passages=numbered)
        try:
            raw = self.chat.invoke(prompt).content
        except Exception:  # an unreachable or failing model must not cost the user an answer
            return (*fallback, "extractive (LLM unavailable)")
        if not isinstance(raw, str) or "NOT COVERED" in raw:
            return (*fallback, "extractive (LLM declined)")
        by_n = {p["n"]: p for p in numbered}
        kept: list[tuple[str, list[int]]] = []
        for sentence in _sentences(raw):
            ns = [int(x) for x in re.findall(r"\[(\d+)\]", sentence)]
            body = re.sub(r"\s*\[\d+\]", "", sentence).strip()
            if not ns or any(n not in by_n for n in ns):
                continue  # uncited, or cites a passage the model was not given
            if not all(is_supported(body, by_n[n]["text"]) for n in ns):
                continue
            kept.append((body, ns))
        if not kept:
            return (*fallback, "extractive (LLM answer not supported)")
        # renumber the passages actually cited, in order of first use
        order: list[int] = []
        for _, ns in kept:
            order += [n for n in ns if n not in order]
        renum = {old: new for new, old in enumerate(order, start=1)}
        text = " ".join(f"{body} " + "".join(f"[{renum[n]}]" for n in ns) for body, ns in kept)
        citations = []
        for old in order:
            p = by_n[old]
            c, meta = p["chunk"], p["meta"]
            citations.append(Citation(n=renum[old], doc_id=c.doc_id, title=meta.title, kind=meta.kind,
                                      authority=meta.authority, published=meta.published, review=meta.review,
                                      source_url=meta.source_url, section=c.section,
                                      paragraph=c.paragraph, text=c.text, start=0, end=len(c.text),
                                      score=round(p["score"], 4), chunk_id=c.chunk_id))
        return text, citations, "llm"
