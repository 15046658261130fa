"""Blocks: the structure recovered from a document's text, and the builder that writes them.

A `Block` is a paragraph, a list under its lead-in, or a table, each carrying its heading path.
The patterns here name the text conventions of the extractions (headings, numbered paragraphs,
bullets, footnotes, contents lines); structure.py reads the text line by line and tells the
builder what each line is.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["paragraph", "list", "table"]


@dataclass
class Block:
    kind: BlockKind
    section: list[str]
    text: str = ""  # paragraph text
    label: str | None = None  # the document's own paragraph number
    lead_in: str | None = None  # list/table lead-in ("Local areas must:")
    items: list[str] = field(default_factory=list)  # list items / table rows


# Headings that only make sense under the heading before them ("Family help › Key features").
GENERIC_HEADINGS = re.compile(
    r"^(key features|minimum expectations\b.*|detail|the process|principles\b.*|functions\b.*|"
    r"challenges|opportunities|overview|summary|background)$",
    re.I,
)
CONTENTS_HEADING = re.compile(r"^(table of )?contents$|^list of (tables|figures|charts|illustrations)$", re.I)
TOC_LINE = re.compile(r"\t\s*/?\s*\d+\s*$|\.{4,}\s*\d+\s*$")
PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d{1,3}\s*$", re.I)
FOOTNOTE = re.compile(r"^([⁰¹²³⁴-⁹]+)\s*(\S.*)$")
# A footnote's mark in running text ("3 (of 3) Wave 1 areas⁷", "Operation Soteria ¹⁶"): a reader of a
# quote has no footnotes to follow it to. A superscript after a digit ("10⁶") is a power, and one that
# opens a line is the footnote itself (FOOTNOTE).
FOOTNOTE_MARK = re.compile(r"(?<=[^\d\s⁰¹²³⁴-⁹])\s?[⁰¹²³⁴-⁹]+(?![⁰¹²³⁴-⁹])")
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# A list item: a bullet, a slide's numbered circle ("1** Effective multi-agency…"), or both ("- 1** …").
# The circle's number orders the points; it is not a figure ("2 Stockton-on-Tees selected…" is not an
# answer to "how many…?") and not a paragraph number of the document, so it is left out of the body.
# A circle can also sit on a line of its own ("- 1") above the text it numbers: see BARE_NUMBER.
BULLET = re.compile(r"^(?P<indent>\s*)(?:[-•*▪●◦](?:\s+(?P<circle>\d{1,2})\*\*)?|(?P<bare_circle>\d{1,2})\*\*)\s+(?P<body>.*)$")
BARE_NUMBER = re.compile(r"^\d{1,2}$")
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3}|\d{1,2}(?=\.))\.?\s*(\S.*)$")
APPENDIX = re.compile(r"^(appendix\s+\d+\b.*)$", re.I)
SPLIT_LEAD_IN = re.compile(
    r"^(Minimum expectations:.*?)\s+((?:Local areas|The [\w ]{1,30}|This|LCPPs)\s*(?:must|should|may)?:)$"
)
# An item's own letter or roman numeral ("b. Relevant current theories…", "iv. I understand…"): a
# new item, though it starts in lower case like the rest of a line broken by a page end.
ENUMERATOR = re.compile(r"^(?:[a-z]|[ivx]{2,5})[.)]\s+\S")
TERMINAL = (".", "!", "?", ":", ";", '"', "”", ")")
# The longest line read as a list's lead-in ("Local areas must:"); a longer one ending in a colon is a
# paragraph's sentence that announces what follows.
LEAD_IN_MAX_WORDS = 25
# A quotation's attribution ('… maintain the role." – Strategic Lead, Wave 1') ends its paragraph
# without a full stop; the next paragraph is not its continuation.
ATTRIBUTION = re.compile(r"[\"”]\s*[–—-]+\s*[^\"“”]{1,120}$")


def _complete(text: str) -> bool:
    """The text ends a sentence (or a quotation's attribution): what follows is not its continuation."""
    text = text.rstrip()
    return text.endswith(TERMINAL) or ATTRIBUTION.search(text) is not None


def clean_inline(text: str) -> str:
    """Strip the emphasis markers, links and HTML an extraction leaves in running text."""
    text = re.sub(r"<sup>\s*\[?\d{1,3}\]?\s*</sup>|\[\^\d{1,3}\](?!:)", "", text, flags=re.I)  # footnote marks (FOOTNOTE_MARK)
    text = re.sub(r"</p>\s*<p>|<br\s*/?>|</p>|</li>", " ", text, flags=re.I)
    text = re.sub(r"<[^>]{1,200}>", "", text)
    text = html.unescape(text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # [text](url)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])", r"\1", text)  # *italic*
    text = re.sub(r"\*{3,}", "", text)
    text = text.replace("\u00a0", " ")
    text = FOOTNOTE_MARK.sub("", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _words(s: str) -> int:
    return len(s.split())


def _is_bold_line(raw: str) -> bool:
    s = raw.strip().strip("#").strip()
    return bool(re.fullmatch(r"(\d+(?:\.\d+)*\.?\s*)?\*\*[^*]+\*\*\.?", s))


class _Builder:
    """Accumulates blocks while tracking the heading stack."""

    def __init__(self, headings: str):
        self.markdown_levels = headings == "markdown"
        self.stack: list[tuple[int, str, str]] = []  # (level, title, how)
        self.blocks: list[Block] = []
        self.pending_lead_in: str | None = None
        self.last_event = "start"  # heading | lead_in | content: may the next line continue a block?

    # -- headings ---------------------------------------------------------------------
    def heading(self, title: str, level: int | None, how: str) -> None:
        title = clean_inline(title).rstrip(":.").strip()
        title = re.sub(r"\s*\bDetail$", "", title).strip()
        if not title or title.lower() == "detail":
            return
        self.flush_lead_in()
        self.last_event = "heading"
        if GENERIC_HEADINGS.match(title) and self.stack:
            # attach under the nearest heading that is not itself generic
            parents = [h for h in self.stack if not GENERIC_HEADINGS.match(h[1])]
            level = (parents[-1][0] + 1) if parents else 1
        elif level is None:  # a plain short line: one below the nearest explicit heading
            explicit = [h for h in self.stack if h[2] in ("numbered", "markdown", "appendix")]
            level = explicit[-1][0] + 1 if explicit else 1
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title, how))

    @property
    def section(self) -> list[str]:
        return [t for _, t, _ in self.stack]

    # -- content ----------------------------------------------------------------------
    def flush_lead_in(self) -> None:
        if self.pending_lead_in:
            self.blocks.append(Block("paragraph", self.section, text=self.pending_lead_in))
            self.pending_lead_in = None

    def paragraph(self, text: str, label: str | None = None) -> None:
        self.last_event = "content"
        text = clean_inline(text)
        if not text:
            return
        prev = self.blocks[-1] if self.blocks else None
        # A paragraph broken by a page end continues on the next "paragraph".
        if (
            self.pending_lead_in is None
            and label is None
            and prev is not None
            and prev.section == self.section
            and (prev.text or prev.items)
            and not _complete(prev.items[-1] if prev.kind == "list" else prev.text)
            and (text[:1].islower() or _words(text) > 8)
            and prev.kind != "table"
        ):
            if prev.kind == "list":
                prev.items[-1] = f"{prev.items[-1]} {text}"
            else:
                prev.text = f"{prev.text} {text}"
            return
        if self.pending_lead_in:
            text = f"{self.pending_lead_in} {text}"
            self.pending_lead_in = None
        self.blocks.append(Block("paragraph", self.section, text=text, label=label))

    def lead_in(self, text: str) -> None:
        self.flush_lead_in()
        self.last_event = "lead_in"
        self.pending_lead_in = clean_inline(text)

    def list_item(self, text: str, label: str | None, depth: int) -> None:
        self.last_event = "content"
        text = clean_inline(text)
        if not text:
            return
        prev = self.blocks[-1] if self.blocks else None
        if (text[:1].islower() and not ENUMERATOR.match(text) and prev is not None and self.pending_lead_in is None
                and prev.kind == "paragraph"):
            # "- throughout the early help system…": a page break inside the previous text
            last = prev.items[-1] if prev.kind == "list" else prev.text
            if not last.rstrip().endswith(TERMINAL):
                if prev.kind == "list":
                    prev.items[-1] = f"{last} {text}"
                else:
                    prev.text = f"{last} {text}"
                return
        if label is not None and self.pending_lead_in is None:
            # "- 37. Clarify the process…": a numbered paragraph typeset as a bullet
            self.blocks.append(Block("paragraph", self.section, text=text, label=label))
            return
        if (
            prev is not None
            and prev.kind == "list"
            and prev.section == self.section
            and self.pending_lead_in is None
        ):
            if depth > 0 and prev.items:
                prev.items[-1] = f"{prev.items[-1]}\n  - {text}"
            else:
                prev.items.append(text)
            return
        if (
            prev is not None
            and prev.kind == "paragraph"
            and prev.label
            and depth > 0
            and prev.section == self.section
            and self.pending_lead_in is None
        ):
            # nested bullets under a numbered paragraph ("2. … documents are:" / "  - The summary…")
            prev.text = f"{prev.text}\n- {text}"
            return
        block = Block("list", self.section, lead_in=self.pending_lead_in, items=[text])
        self.pending_lead_in = None
        self.blocks.append(block)

    def table_row(self, cells: list[str]) -> None:
        self.last_event = "table"
        cells = [clean_inline(c) for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not any(cells):
            return
        prev = self.blocks[-1] if self.blocks else None
        same_table = prev is not None and prev.kind == "table" and prev.section == self.section
        if same_table and self._table_closed and cells == prev.items[0].split("\t"):
            # the header repeated after a page break: the table goes on
            self._table_closed = False
            return
        if self.table_open():
            last = prev.items[-1].split("\t")
            if len(prev.items) > 1 and _wrapped_cells(cells) and len(cells) <= len(last) + 1:
                # a cell's text wrapped onto the next line of a PDF: join it to the row above
                merged = [f"{a} {b}".strip() for a, b in zip(last + [""] * (len(cells) - len(last)), cells)]
                prev.items[-1] = "\t".join(merged + last[len(cells):])
            else:
                prev.items.append("\t".join(cells))
            return
        self.blocks.append(Block("table", self.section, lead_in=self.pending_lead_in, items=["\t".join(cells)]))
        self.pending_lead_in = None
        self._table_closed = False

    _table_closed = True

    def table_open(self) -> bool:
        prev = self.blocks[-1] if self.blocks else None
        return prev is not None and prev.kind == "table" and prev.section == self.section and not self._table_closed


def _wrapped_cells(cells: list[str]) -> bool:
    """Every filled cell starts in lower case: the rest of the row above, not a new row."""
    filled = [c for c in cells if c]
    return bool(filled) and all(c[0].islower() for c in filled)


def _render_table(block: Block) -> list[str]:
    """Tables become readable lines: `header: cell; header: cell`, one item per row (empty cells
    left out)."""
    rows = [r.split("\t") for r in block.items]
    header = rows[0]
    body = rows[1:]
    if len(header) >= 2 and body and all(len(r) <= len(header) for r in body):
        if len(body) == 1 and len(body[0]) == len(header):  # one wide row (a slide's columns): one item per column
            return [f"{h}: {c}" for h, c in zip(header, body[0]) if c]
        return ["; ".join(f"{h}: {c}" for h, c in zip(header, r) if c) for r in body]
    return [" | ".join(c for c in r if c) for r in rows]


def _continues(block: Block) -> bool:
    """True when a block ends mid-sentence, so the next line is its continuation."""
    last = block.items[-1] if block.kind == "list" and block.items else block.text
    return bool(last) and not _complete(last) and block.kind == "paragraph"
