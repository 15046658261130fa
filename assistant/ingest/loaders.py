"""Loaders turn what councils publish (PDF, Word, HTML, Markdown, text) into one text form.

Every loader emits the conventions `structure.parse_structure` reads: `#` headings where the
format knows them, `- ` list items, tab-separated table rows, blank lines between blocks.
Loaders are registered by file suffix, built-ins the same way as any added later.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from assistant.ingest.cleaning import clean
from assistant.ingest.structure import Block, parse_structure


class LoaderError(ValueError):
    """A document that cannot be read; the message always names the file."""


Loader = Callable[[Path], str]
LOADERS: dict[str, Loader] = {}
# Formats whose headings carry real levels; PDF/text extractions do not.
HEADINGS_MODE: dict[str, str] = {}


def register_loader(*suffixes: str, headings: str = "flat"):
    def wrap(fn: Loader) -> Loader:
        for s in suffixes:
            LOADERS[s] = fn
            HEADINGS_MODE[s] = headings
        return fn

    return wrap


@register_loader(".txt", ".text")
def load_text(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise LoaderError(f"{path.name}: looks like a binary file, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@register_loader(".md", ".markdown", headings="markdown")
def load_markdown(path: Path) -> str:
    return load_text(path)


@register_loader(".pdf")
def load_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoaderError(f"{path.name}: not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    except Exception as exc:  # pypdf raises many internal types on damaged files
        raise LoaderError(f"{path.name}: not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    # pypdf keeps each visual line; blank lines between pages let the parser rejoin paragraphs
    return "\n\n".join(_reflow_pdf_page(p) for p in pages)


def _reflow_pdf_page(text: str) -> str:
    """pypdf breaks every visual line; rejoin lines that continue a sentence."""
    out: list[str] = []
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            out.append("")
            continue
        if (
            out
            and out[-1]
            and not out[-1].endswith((".", ":", ";", "?", "!"))
            and (s[:1].islower() or s[:1] in "(,")
        ):
            out[-1] = f"{out[-1]} {s}"
        else:
            if out and out[-1] and (re.match(r"^(\d+(\.\d+)*\.?\s|[-•▪●]\s)", s) or out[-1].endswith((".", ":"))):
                out.append("")
            out.append(s)
    return "\n".join(out)


@register_loader(".docx", headings="markdown")
def load_docx(path: Path) -> str:
    import zipfile

    try:
        import docx  # python-docx

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoaderError(f"{path.name}: not a readable Word document ({exc.__class__.__name__}: {exc})") from exc
    except Exception as exc:
        raise LoaderError(f"{path.name}: not a readable Word document ({exc.__class__.__name__}: {exc})") from exc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            m = re.match(r"Heading (\d)", style)
            if m or style == "Title":
                lines += ["", "#" * (int(m.group(1)) if m else 1) + " " + text, ""]
            elif "List" in style or para._p.pPr is not None and para._p.pPr.numPr is not None:
                lines.append(f"- {text}")
            else:
                lines += ["", text, ""]
        elif tag == "tbl":
            table = Table(child, document)
            lines.append("")
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    t = " ".join(cell.text.split())
                    if not cells or cells[-1] != t:  # merged cells repeat
                        cells.append(t)
                lines.append("\t".join(cells))
            lines.append("")
    return "\n".join(lines)


# page furniture that is not inside <nav>/<header>/<footer>: skip links, breadcrumbs, cookie banners,
# accessibility toolbars, share buttons, side menus
_BOILERPLATE_SELECTOR = ", ".join(
    [f"[role={r}]" for r in ("navigation", "banner", "contentinfo", "search", "complementary")]
    + ["[aria-hidden=true]"]
    # class or id fragments specific enough not to hit content ("social" would hit "children-social-care")
    + [f"[class*={w}], [id*={w}]" for w in ("skip-link", "skiplink", "skip-to", "breadcrumb", "cookie", "a11y",
                                            "accessibility-tool", "toolbar", "share-this", "social-media",
                                            "sidebar", "site-header", "site-footer", "masthead")])


@register_loader(".html", ".htm", headings="markdown")
def load_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    raw = load_text(path)
    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "form", "svg", "aside", "button"]):
        tag.decompose()
    for tag in soup.select(_BOILERPLATE_SELECTOR):
        tag.decompose()
    # GOV.UK HTML publications keep the body in .govspeak inside <main>
    root = soup.select_one(".govspeak") or soup.find("main") or soup.body or soup
    lines: list[str] = []
    for el in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr"]):
        if el.name != "tr" and el.find_parent("table"):
            continue  # table cells are read with their row
        if el.name == "p" and el.find_parent("li"):
            continue  # read as part of the list item
        text = " ".join(el.get_text(" ").split())
        if not text:
            continue
        if el.name.startswith("h"):
            lines += ["", "#" * int(el.name[1]) + " " + text, ""]
        elif el.name == "li":
            nested = len(el.find_parents(["ul", "ol"])) - 1
            direct = " ".join(
                " ".join(c.get_text(" ").split()) if hasattr(c, "get_text") else str(c).strip()
                for c in el.children
                if getattr(c, "name", None) not in ("ul", "ol")
            ).strip()
            if direct:
                lines.append("  " * nested + f"- {direct}")
        elif el.name == "tr":
            cells = [" ".join(c.get_text(" ").split()) for c in el.find_all(["td", "th"])]
            lines.append("\t".join(cells))
        else:
            lines += ["", text, ""]
    text = "\n".join(lines)
    if not text.strip():
        title = soup.title.get_text() if soup.title else ""
        raise LoaderError(f"{path.name}: the HTML page holds no readable text {title!r}")
    return text


def supported_suffixes() -> list[str]:
    return sorted(LOADERS)


def load_file(path: Path, headings: str | None = None, pdf_extraction: bool | None = None) -> tuple[str, list[Block]]:
    """Read any supported file; return its normalised text and its blocks. `pdf_extraction`: the
    text was extracted from a PDF (default: the file is a PDF), so letter-spaced words are rejoined;
    otherwise web boilerplate is dropped and pipe tables read as tables (cleaning.py)."""
    path = Path(path)
    if not path.exists():
        raise LoaderError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in LOADERS:
        raise LoaderError(f"{path.name}: unsupported file type {suffix!r} (supported: {', '.join(supported_suffixes())})")
    if path.stat().st_size == 0:
        raise LoaderError(f"{path.name}: the file is empty")
    pdf = suffix == ".pdf" if pdf_extraction is None else pdf_extraction
    text = clean(LOADERS[suffix](path), pdf)
    return text, parse_text(text, headings or HEADINGS_MODE[suffix], path.name, line_breaks=not pdf)


def parse_text(text: str, headings: str, name: str, line_breaks: bool = False) -> list[Block]:
    blocks = parse_structure(text, headings, line_breaks)
    words = sum(len((b.text + " ".join(b.items)).split()) for b in blocks)
    if words < 5:
        raise LoaderError(f"{name}: no readable text found (is it a scanned image or an empty document?)")
    return blocks
