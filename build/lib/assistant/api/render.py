"""Answer text → HTML: lists stay lists, every [n] becomes a link to its passage.

The link works without JavaScript (it opens the document view at the cited paragraph); with
JavaScript the page opens the passage in the side panel instead."""
from __future__ import annotations

import re

from markupsafe import Markup

from assistant import messages
from assistant.models import Answer
from assistant.resources import render

_MARKER = re.compile(r"\[(\d+)\]")


def passage_anchor(chunk_id: str | None) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", chunk_id or "")


def _pieces(line: str, ans: Answer) -> list[tuple[str, object]]:
    """A line of the answer as text and citations: every [n] that names a citation becomes a link."""
    by_n = {c.n: c for c in ans.citations}
    pieces: list[tuple[str, object]] = []
    start = 0
    for m in _MARKER.finditer(line):
        c = by_n.get(int(m.group(1)))
        if c is None:
            continue
        pieces += [("text", line[start:m.start()]), ("cite", c)]
        start = m.end()
    return pieces + [("text", line[start:])]


def answer_blocks(ans: Answer) -> list[tuple[str, list]]:
    """The answer's paragraphs ("p": one line) and lists ("ul": their items), each line in pieces."""
    blocks: list[tuple[str, list]] = []
    for line in (x.strip() for x in ans.answer.split("\n")):
        if not line:
            blocks.append(("break", []))
        elif line.startswith(("- ", "• ")):
            if not blocks or blocks[-1][0] != "ul":
                blocks.append(("ul", []))
            blocks[-1][1].append(_pieces(line[2:], ans))
        else:
            blocks.append(("p", [_pieces(line, ans)]))
    return [b for b in blocks if b[0] != "break"]


def answer_html(ans: Answer) -> Markup:
    return Markup(render("_answer_text.html", blocks=answer_blocks(ans), anchor=passage_anchor))


def not_covered_note(ans: Answer) -> str:
    """The parts of a two-part question the answer does not cover, as one line (empty if none)."""
    if not ans.not_covered:
        return ""
    return messages.NOT_COVERED_PARTS.format(parts="; ".join(f"“{n.part}”" for n in ans.not_covered))


def plain_with_references(ans: Answer) -> str:
    """What "Copy answer" puts on the clipboard: the answer, what it leaves out, then its numbered
    references."""
    refs = []
    for c in ans.citations:
        where = " › ".join(x for x in (c.title, c.section, f"para {c.paragraph}" if c.paragraph else None) if x)
        refs.append(f"[{c.n}] {where} ({c.published or 'n.d.'})")
    note = not_covered_note(ans)
    return ans.answer + (f"\n\n{note}" if note else "") + ("\n\nReferences\n" + "\n".join(refs) if refs else "")
