"""Answer text → HTML: lists stay lists, every [n] becomes a link to its passage.

The link works without JavaScript (it opens the document view at the cited paragraph); with
JavaScript the page opens the passage in the side panel instead."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from assistant.models import Answer

_MARKER = re.compile(r"\[(\d+)\]")


def passage_anchor(chunk_id: str | None) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", chunk_id or "")


def _link_markers(html: str, ans: Answer) -> str:
    by_n = {c.n: c for c in ans.citations}

    def link(m: re.Match) -> str:
        c = by_n.get(int(m.group(1)))
        if c is None:
            return m.group(0)
        return (f'<a class="govuk-link app-cite" href="/documents/{escape(c.doc_id)}#{passage_anchor(c.chunk_id)}" '
                f'data-cite="{c.n}" aria-label="Source {c.n}: {escape(c.title)}">[{c.n}]</a>')

    return _MARKER.sub(link, html)


def answer_html(ans: Answer) -> Markup:
    parts: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            parts.append('<ul class="govuk-list govuk-list--bullet">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in ans.answer.split("\n"):
        line = line.strip()
        if not line:
            flush()
            continue
        text = _link_markers(str(escape(line[2:] if line.startswith(("- ", "• ")) else line)), ans)
        if line.startswith(("- ", "• ")):
            items.append(text)
        else:
            flush()
            parts.append(f'<p class="govuk-body">{text}</p>')
    flush()
    return Markup("".join(parts))


def not_covered_note(ans: Answer) -> str:
    """The parts of a two-part question the answer does not cover, as one line (empty if none)."""
    if not ans.not_covered:
        return ""
    return "The guidance I hold does not cover: " + "; ".join(f"“{n.part}”" for n in ans.not_covered)


def plain_with_references(ans: Answer) -> str:
    """What "Copy answer" puts on the clipboard: the answer, what it leaves out, then its numbered
    references."""
    refs = []
    for c in ans.citations:
        where = " › ".join(x for x in (c.title, c.section, f"para {c.paragraph}" if c.paragraph else None) if x)
        refs.append(f"[{c.n}] {where} ({c.published or 'n.d.'})")
    note = not_covered_note(ans)
    return ans.answer + (f"\n\n{note}" if note else "") + ("\n\nReferences\n" + "\n".join(refs) if refs else "")
