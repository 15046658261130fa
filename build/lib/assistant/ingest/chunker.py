"""Blocks → citable chunks.

A chunk never mixes two sections; a list chunk always starts with its lead-in (repeated when
a long list is split); numbered paragraphs keep their number; tables arrive as readable rows.
Each chunk also records its sentence spans: the units the extractive composer quotes.
"""
from __future__ import annotations

import re

from assistant.ingest.structure import Block
from assistant.models import Chunk, Span
from assistant.settings import Chunking

_ABBREVIATIONS = re.compile(r"(\b(e\.g|i\.e|etc|cf|vs|Cllr|No|p|pp|Dr|Mr|Mrs|Ms|St)\.|\b[A-Z]\.)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]?\s+(?=[A-Z0-9“\"‘'(\[£])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of one line of text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start : m.start()].rstrip()
        if _ABBREVIATIONS.search(piece) or len(piece.split()) < 3:
            continue
        spans.append((start, start + len(piece)))
        start = m.end()
    tail = text[start:].rstrip()
    if tail.strip():
        spans.append((start, start + len(tail)))
    return spans


def _line_spans(text: str, lead_in_lines: int = 0) -> list[Span]:
    """Spans of every sentence in every line; bullet markers are left outside the span."""
    spans: list[Span] = []
    offset = 0
    for i, line in enumerate(text.split("\n")):
        m = re.match(r"^\s*-\s+", line)
        body_start = m.end() if m else 0
        body = line[body_start:]
        if i < lead_in_lines:
            if body.strip():
                spans.append(Span(start=offset + body_start, end=offset + len(line.rstrip()), lead_in=True))
        else:
            for s, e in split_sentences(body):
                spans.append(Span(start=offset + body_start + s, end=offset + body_start + e))
        offset += len(line) + 1
    return spans


def _words(s: str) -> int:
    return len(s.split())


def _split_long(text: str, sizes: Chunking) -> list[str]:
    if _words(text) <= sizes.max_paragraph_words or "\n" in text:
        return [text]
    parts, current = [], ""
    for s, e in split_sentences(text):
        sentence = text[s:e]
        if current and _words(current) + _words(sentence) > sizes.target_words:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        parts.append(current)
    return parts


def _list_groups(items: list[str], sizes: Chunking) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    words = 0
    for item in items:
        if groups[-1] and words + _words(item) > sizes.list_words:
            groups.append([])
            words = 0
        groups[-1].append(item)
        words += _words(item)
    return groups


def chunk_blocks(doc_id: str, blocks: list[Block], sizes: Chunking | None = None) -> list[Chunk]:
    sizes = sizes or Chunking()
    chunks: list[Chunk] = []

    def add(section: list[str], text: str, label: str | None, is_list: bool, lead_in_lines: int) -> None:
        chunks.append(
            Chunk(
                chunk_id=f"{doc_id}#{len(chunks)}",
                doc_id=doc_id,
                section=" › ".join(section) or "(untitled)",
                paragraph=label,
                text=text,
                order=len(chunks),
                spans=_line_spans(text, lead_in_lines),
                is_list=is_list,
            )
        )

    pending: list[str] = []  # short unnumbered paragraphs waiting to be merged
    pending_section: list[str] = []

    def flush() -> None:
        if pending:
            add(pending_section, "\n".join(pending), None, False, 0)
            pending.clear()

    for block in blocks:
        if block.kind == "paragraph":
            if block.label is None and _words(block.text) < sizes.short_paragraph_words:
                if pending and (pending_section != block.section or _words(" ".join(pending)) + _words(block.text) > sizes.target_words):
                    flush()
                pending_section = block.section
                pending.append(block.text)
                continue
            flush()
            for part in _split_long(block.text, sizes):
                add(block.section, part, block.label, "\n- " in part, 0)
            continue
        flush()
        for group in _list_groups(block.items, sizes):
            lines = ([block.lead_in] if block.lead_in else []) + [f"- {item}" for item in group]
            add(block.section, "\n".join(lines), None, True, 1 if block.lead_in else 0)
    flush()
    return chunks
