"""What each vector of an index embeds: a passage with its document and heading, a sentence with
its list's lead-in, a heading."""
from __future__ import annotations

from assistant.models import Chunk, DocumentMeta


def chunk_embedding_text(chunk: Chunk, meta: DocumentMeta) -> str:
    return f"{meta.short_title or meta.title}. {chunk.section}.\n{chunk.text}"


def sentence_embedding_text(chunk: Chunk, span_index: int) -> str:
    """A bullet is embedded with its lead-in: "Local areas must: offer all families FGDM…"."""
    span = chunk.spans[span_index]
    lead = next((chunk.span_text(s) for s in chunk.spans if s.lead_in), "")
    body = chunk.span_text(span)
    return f"{lead} {body}".strip() if lead and not span.lead_in else body


def heading_of(chunk: Chunk) -> str:
    """The heading a passage sits directly under: what a slide's bullets or a list's items are about."""
    return chunk.section.rsplit(" › ", 1)[-1]
