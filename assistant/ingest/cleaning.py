"""Format-aware cleaning of a document's text before its structure is read.

A PDF extraction needs its letter-spaced words rejoined (split_words.py); nothing else does: run
on a web page or a Word file the same repair glues "s47" to the word before it. A web page, or a
text or Markdown file saved from one, needs its boilerplate dropped (skip links, accessibility
toolbars, logo alt text, cookie banners, "Back to top", rules), and its pipe tables ("6.8.1 | All
agencies have a duty…") read as tables: a numbered paragraph's number and text become that
numbered paragraph, other rows table rows.
"""
from __future__ import annotations

import re

from assistant.ingest.split_words import repair_split_words

# whole lines a web page repeats on every page, which no practitioner asks about
BOILERPLATE_LINE = re.compile(
    r"^\W*(skip to (main )?(content|navigation)|jump to (main )?content|back to top|print (this )?page|"
    r"view this (web)?site (with|in) [\w ]+|(change|reset) (text size|colours|contrast)|text only( version)?|"
    r"accessibility( tools| options| statement)?|logo( alt text)?|[\w ]{0,30} logo|menu|search( this site)?|"
    r"cookies? (settings|policy)|we use cookies[^.]*\.?|accept (all )?cookies|reject (all )?cookies|"
    r"share (this page|on \w+)|(home|you are here)( [>›»/].*)?|was this page (useful|helpful)\??.*|"
    r"(last )?(updated|reviewed|published|modified)( on)?:? \d{1,2}(st|nd|rd|th)? \w+ \d{4}|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|-{3,}|\*{3,}|_{3,}|={3,})\W*$",
    re.I,
)
_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PARAGRAPH_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,3}){1,3}\.?$")


def clean(text: str, pdf_extraction: bool) -> str:
    if pdf_extraction:
        return repair_split_words(text)
    return "\n".join(line for line in (pipe_row(x) for x in text.split("\n")) if line is not None)


def pipe_row(line: str) -> str | None:
    """A line as the structure parser should read it: None for boilerplate and table rules, a
    pipe table's row as tab-separated cells (a "number | text" row as the numbered paragraph)."""
    stripped = line.strip()
    if BOILERPLATE_LINE.match(stripped) and len(stripped) <= 120:
        return None
    if "|" not in stripped:
        return line
    if _SEPARATOR_ROW.match(stripped):
        return None
    cells = [c.strip() for c in stripped.strip("|").split("|")]
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return " ".join(filled) if filled else None
    if len(filled) == 2 and _PARAGRAPH_NUMBER.match(filled[0]):
        return "\n" + f"{filled[0]} {filled[1]}" + "\n"
    return "\t".join(cells)
