"""How long a council waits to add a long guidance document (Working Together 2023 is about 170
pages): a benchmark, not a timed test.

    python benchmarks/large_document.py [--pages 150] [--keep DIR]

Writes an A4 PDF of `--pages` times 400 words (reportlab, 12 pt, headings and numbered
paragraphs) from text the bundled corpus does not hold, so none of it is found in the shipped
vectors: the external suites' council procedures and the project's own docs, repeated under
"Part N" headings until long enough. Every repetition after the first changes one word of each
sentence to another word of the same sources, so no sentence or passage repeats (real guidance
repeats little, and a repeated text is embedded once). Then, in a new data folder with a new embedding cache, it
builds the bundled corpus's index (`assistant ingest`, as the README's run line does) and times
`assistant ingest THE.pdf` end to end, as a user would run it. Prints JSON: pages, words and the
seconds each command took.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["evals/external/documents", "evals/external-dev/documents", "docs"]
WORDS_PER_PAGE = 400


def source_paragraphs() -> list[str]:
    """Plain paragraphs of the source files (markup and table rows dropped)."""
    paragraphs = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).iterdir()):
            text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
            for block in re.split(r"\n\s*\n", text):
                block = " ".join(line.strip(" #*-|>`") for line in block.splitlines()).strip()
                if len(block.split()) >= 12:
                    paragraphs.append(block)
    return paragraphs


def swappable(word: str) -> bool:
    """A word that may be swapped for another in a repetition: a whole word of four letters or more."""
    return word.isalpha() and len(word) >= 4


def varied(paragraph: str, part: int, vocabulary: list[str]) -> str:
    """The paragraph as it appears in the part'th repetition: from the second on, one word of each
    sentence swapped for another word of the sources (the same kind of words, about as many tokens)."""
    if part == 1:
        return paragraph
    rng = random.Random(f"{part}:{paragraph}")
    sentences = re.split(r"(?<=[.;:?!])\s+", paragraph)
    out = []
    for sentence in sentences:
        words = sentence.split(" ")
        slots = [i for i, w in enumerate(words) if swappable(w)]
        if slots:
            words[rng.choice(slots)] = rng.choice(vocabulary)
        out.append(" ".join(words))
    return " ".join(out)


def write_pdf(path: Path, pages: int) -> int:
    """A PDF of `pages` times WORDS_PER_PAGE words (about that many pages); returns its word count."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontSize, body.leading, body.spaceAfter = 12, 18, 8
    paragraphs = source_paragraphs()
    vocabulary = sorted({w for p in paragraphs for w in p.split(" ") if swappable(w)})
    # a government guidance PDF (12 pt, headings, lists, white space) holds about 400 words a page:
    # the document is made that long in words whatever the sources' current length
    story, words, part = [], 0, 0
    while words < pages * WORDS_PER_PAGE:
        part += 1
        story.append(Paragraph(f"Part {part}: practice guidance", styles["Heading1"]))
        for i, para in enumerate(paragraphs, 1):
            if words >= pages * WORDS_PER_PAGE:
                break
            if i % 12 == 1:
                story.append(Paragraph(f"{part}.{i // 12 + 1} Section {i // 12 + 1}", styles["Heading2"]))
            story.append(Paragraph(f"{part}.{i // 12 + 1}.{i % 12 or 12} {escape(varied(para, part, vocabulary))}", body))
            words += len(para.split())
        story.append(PageBreak())
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="Practice guidance (benchmark)")
    doc.build(story)
    return words


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - t, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=150)
    ap.add_argument("--keep", type=Path, default=None, help="leave the data folder here")
    args = ap.parse_args()

    from pypdf import PdfReader

    work = Path(tempfile.mkdtemp(prefix="large-doc-"))
    data = args.keep or work / "data"
    pdf = work / "practice-guidance.pdf"
    words = write_pdf(pdf, args.pages)
    env = dict(os.environ, HF_HUB_OFFLINE="1", ASSISTANT_EMBEDDING_CACHE=str(work / "embedding-cache.sqlite"))
    assistant = [sys.executable, "-m", "assistant.cli"]
    bundled = timed([*assistant, "ingest", "--data", str(data)], env)
    large = timed([*assistant, "ingest", str(pdf), "--data", str(data), "--title", "Practice guidance",
                   "--kind", "national"], env)
    print(json.dumps({"pages": len(PdfReader(str(pdf)).pages), "words": words,
                      "bundled_corpus_s": bundled,
                      "large_document_s": large}, indent=1))


if __name__ == "__main__":
    main()
