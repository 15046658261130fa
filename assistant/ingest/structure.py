"""Recover the structure of text extracted from council and DfE PDFs.

The extractions carry headings (sometimes `#`-marked, sometimes plain short lines, sometimes
numbered "2.1 Family Help reforms"), numbered paragraphs ("37. Clarify the process…"),
bullet lists under a lead-in ("Local areas must:"), tab-separated or HTML table rows,
`**bold**` markers, page numbers and lines broken across pages. This module turns such
text into a flat list of `Block`s, each carrying its heading path. Loaders for PDF, Word,
HTML and Markdown produce the same text conventions and reuse this parser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.blocks import (
    APPENDIX,
    BARE_NUMBER,
    BULLET,
    CONTENTS_HEADING,
    FOOTNOTE,
    LEAD_IN_MAX_WORDS,
    MD_HEADING,
    NUMBERED,
    PAGE_NUMBER,
    SPLIT_LEAD_IN,
    SUPERSCRIPT_DIGITS,
    TERMINAL,
    TOC_LINE,
    Block,
    _Builder,
    _continues,
    _is_bold_line,
    _render_table,
    _words,
    clean_inline,
)

__all__ = ["Block", "clean_inline", "parse_structure"]


def parse_structure(text: str, headings: str = "flat", line_breaks: bool = False) -> list[Block]:
    """Split extracted text into blocks that each know their heading path. `line_breaks`: the text's
    line breaks are the source's own (a web page, a Word or text file), not a PDF's layout, so a line
    after a finished sentence starts something new ("Key Features", "Required:") even with no blank
    line before it."""
    return _LineParser(text, headings, line_breaks).parse()


@dataclass
class _Line:
    lines: list[str]
    i: int
    raw: str
    line: str  # without trailing space
    stripped: str
    nxt: str  # the next line, stripped
    was_blank: bool  # a blank line came before this one
    bullet: re.Match | None


class _LineParser:
    """Reads the text line by line; each line goes to the first reader (READERS, in order) that
    takes it, else it is a paragraph."""

    def __init__(self, text: str, headings: str, line_breaks: bool = False):
        self.b = _Builder(headings)
        self.line_breaks = line_breaks
        self.prev_complete = False  # the line before ended a sentence or a label
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.prev_blank = True
        self.numbered_item_next = False  # a bare "- 1": the next text line is that list item

    def parse(self) -> list[Block]:
        b = self.b
        for i, raw in enumerate(self.lines):
            line = raw.rstrip()
            if not line.strip():
                self.prev_blank = True
                b._table_closed = True
                continue
            was_blank, self.prev_blank = self.prev_blank or (self.line_breaks and self.prev_complete), False
            nxt = self.lines[i + 1].strip() if i + 1 < len(self.lines) else ""
            ln = _Line(self.lines, i, raw, line, line.strip(), nxt, was_blank, BULLET.match(line))
            if not any(read(self, ln) for read in self.READERS):
                b.paragraph(ln.stripped)
            self.prev_complete = ln.stripped.endswith(TERMINAL) or b.last_event == "heading"
        b.flush_lead_in()
        for block in b.blocks:
            if block.kind == "table":
                block.items = _render_table(block)
        # a contents page is navigation, not guidance: what is left of it after its page-numbered lines
        # are dropped ("… including a summa | ry 73") must not become a passage
        return [block for block in b.blocks if not (block.section and CONTENTS_HEADING.match(block.section[-1]))]

    def navigation(self, ln: _Line) -> bool:
        """A contents line ends in its page number; so does a table row whose last cell is a figure
        ("Recruitment to LCPP role(s)\t6"), which must not be dropped with the contents."""
        s = ln.stripped
        return bool(PAGE_NUMBER.match(s) or (TOC_LINE.search(ln.line) and not self.b.table_open())
                    or s in ("-", "_", "ı", "Ì"))

    def markdown_heading(self, ln: _Line) -> bool:
        m = MD_HEADING.match(ln.stripped)
        if not m:
            return False
        self.numbered_item_next = False
        level = len(m.group(1)) if self.b.markdown_levels else 1
        self.b.heading(m.group(2), level, "markdown" if self.b.markdown_levels else "plain")
        return True

    def table_row(self, ln: _Line) -> bool:
        if "\t" in ln.raw.strip(" ") or re.search(r"<td|<p>", ln.line):
            cells = ln.raw.strip(" ").split("\t")  # raw: a trailing tab marks an empty last cell
            filled = len([c for c in cells if c.strip()])
            # a row with an empty first cell ("\tWill lead section 47 enquiries…") belongs to the open table
            if filled >= 2 or (filled == 1 and self.b.table_open()):
                self.b.table_row(cells)
                return True
        self.b._table_closed = True
        return False

    def bare_number(self, ln: _Line) -> bool:
        """A bare "- 1" whose number belongs to the next text line."""
        m = ln.bullet
        if m and BARE_NUMBER.match(m["body"].strip()) and _numbers_next_line(ln.lines, ln.i):
            self.numbered_item_next = True
            return True
        return False

    def numbered_item(self, ln: _Line) -> bool:
        if not self.numbered_item_next:
            return False
        self.numbered_item_next = False
        if ln.bullet:
            return False
        self.b.list_item(ln.stripped, None, 0)
        return True

    def continuation(self, ln: _Line) -> bool:
        """A line with no blank line before it goes on with the text above it."""
        b = self.b
        if ln.bullet or ln.was_blank or b.last_event != "content" or not b.blocks or b.pending_lead_in is not None:
            return False
        last = b.blocks[-1]
        joined = clean_inline(ln.stripped)
        if last.kind == "list" and last.items:
            last.items[-1] = f"{last.items[-1]} {joined}"
            return True
        if last.kind == "paragraph" and not NUMBERED.match(ln.stripped):
            last.text = f"{last.text} {joined}"
            return True
        return False

    def bullet(self, ln: _Line) -> bool:
        m = ln.bullet
        if not m:
            return False
        depth = 1 if len(m["indent"].expandtabs(4)) >= 1 else 0
        body = m["body"]
        nm = NUMBERED.match(body)
        label = None
        if nm and _words(nm.group(2)) > 3 and not (m["circle"] or m["bare_circle"]):
            label, body = nm.group(1), nm.group(2)
        if body.rstrip().endswith(":") and label is None and _words(body) <= LEAD_IN_MAX_WORDS and ln.nxt.startswith(("-", "•", " -")):
            self.b.lead_in(body)
        else:
            self.b.list_item(body, label, depth)
        return True

    def appendix(self, ln: _Line) -> bool:
        if APPENDIX.match(ln.stripped) and _words(ln.stripped) <= 25:
            self.b.heading(ln.stripped, 1, "appendix")
            return True
        return False

    def heading_with_lead_in(self, ln: _Line) -> bool:
        sm = SPLIT_LEAD_IN.match(clean_inline(ln.stripped))
        if sm:
            self.b.heading(sm.group(1), None, "plain")
            self.b.lead_in(sm.group(2))
            return True
        if re.match(r"^Minimum expectations:", clean_inline(ln.stripped)):
            self.b.heading(ln.stripped, None, "plain")
            return True
        return False

    def footnote(self, ln: _Line) -> bool:
        """"² Wave 2 case study local areas: ..." is a footnote, never a heading."""
        fm = FOOTNOTE.match(ln.stripped)
        if fm:
            self.b.paragraph(fm.group(2), f"note {fm.group(1).translate(SUPERSCRIPT_DIGITS)}")
            return True
        return False

    def numbered(self, ln: _Line) -> bool:
        nm = NUMBERED.match(ln.stripped)
        if not nm:
            return False
        label, body = nm.group(1), nm.group(2)
        body_clean = clean_inline(body)
        heading_like = (_is_bold_line(ln.stripped) or not body_clean.endswith(TERMINAL)) and _words(body_clean) <= 12
        if heading_like and not body_clean.startswith("["):
            self.b.heading(f"{body_clean}", label.count(".") + 1, "numbered")
        else:
            self.b.paragraph(body, label)
        return True

    def lead_in(self, ln: _Line) -> bool:
        cleaned = clean_inline(ln.stripped)
        if cleaned.endswith(":") and _words(cleaned) <= LEAD_IN_MAX_WORDS:
            self.b.lead_in(cleaned)
            return True
        return False

    def plain_heading(self, ln: _Line) -> bool:
        b, cleaned, nxt = self.b, clean_inline(ln.stripped), ln.nxt
        heading_like = (
            ln.was_blank
            # "… the level of risk has been identified as:" announces "Current Risk: Low", a value, not a heading
            and not (b.pending_lead_in and ": " in cleaned)
            and not nxt.startswith(("\t",))
            and not (nxt and (nxt[:1].islower() or ln.lines[ln.i + 1].startswith(" ")))
            and _words(cleaned) <= 14
            and len(cleaned) <= 110
            and not cleaned.endswith((".", ",", ";", "?", "!"))
            and (cleaned[:1].isupper() or cleaned[:1].isdigit())
            and not re.match(r"^[\d£%]", cleaned)
            and not (b.blocks and b.blocks[-1].section == b.section and _continues(b.blocks[-1]))
        ) or (_is_bold_line(ln.stripped) and _words(cleaned) <= 14)
        if heading_like:
            b.heading(cleaned, None, "plain")
        return heading_like

    READERS = [navigation, markdown_heading, table_row, bare_number, numbered_item, continuation, bullet, appendix,
               heading_with_lead_in, footnote, numbered, lead_in, plain_heading]


def _numbers_next_line(lines: list[str], i: int) -> bool:
    """Whether a bare "- 1" at line i numbers the text line after it; in a list of figures ("- 12",
    "- 15") or at the end of a section it is an item of its own."""
    nxt = next((ln.strip() for ln in lines[i + 1:] if ln.strip()), "")
    return bool(nxt) and not BULLET.match(nxt) and not MD_HEADING.match(nxt)
