"""Quiz exporters, registered by format name like the other backends: Moodle GIFT, Moodle XML,
CSV and a printable HTML sheet with an answer key. Each cites its source next to the question."""
from __future__ import annotations

import csv
import html
import io
from typing import Callable
from xml.etree import ElementTree as ET

from assistant.quiz.models import Quiz, QuizQuestion
from assistant.resources import render

EXPORTERS: dict[str, Callable[[Quiz], str]] = {}
SUFFIX = {"gift": ".gift", "moodle-xml": ".xml", "csv": ".csv", "html": ".html"}


def exporter(name: str):
    def register(fn: Callable[[Quiz], str]) -> Callable[[Quiz], str]:
        EXPORTERS[name] = fn
        return fn
    return register


def export(quiz: Quiz, fmt: str) -> str:
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORTERS)}")
    return EXPORTERS[fmt](quiz)


def source_line(q: QuizQuestion) -> str:
    return f'Source: {q.citation.label()}. "{q.citation.quote}"'


# -- GIFT ------------------------------------------------------------------------------------------
def _gift_escape(text: str) -> str:
    for ch in "\\~=#{}:":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


@exporter("gift")
def to_gift(quiz: Quiz) -> str:
    out = [f"// Families First induction quiz: topic {quiz.topic}, seed {quiz.seed}, scope {quiz.scope}", ""]
    for i, q in enumerate(quiz.questions, 1):
        title = f"::{_gift_escape(f'Q{i} {q.id}')}::"
        fb = _gift_escape(source_line(q))
        if q.type == "true_false":
            key = "TRUE" if q.answer == "True" else "FALSE"
            out.append(f"{title}{_gift_escape(q.stem)} {{{key}#{fb}}}")
        elif q.type == "mcq":
            opts = " ".join(("=" if o == q.answer else "~") + _gift_escape(o) for o in q.options)
            out.append(f"{title}Complete the statement from the guidance\\: {_gift_escape(q.stem)} {{{opts} ####{fb}}}")
        else:
            keys = " ".join("=" + _gift_escape(a) for a in [q.answer, *q.accepted])
            out.append(f"{title}Fill in the blank\\: {_gift_escape(q.stem)} {{{keys} ####{fb}}}")
        out.append("")
    return "\n".join(out)


# -- Moodle XML ---------------------------------------------------------------------------------------
def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = value
    return el


@exporter("moodle-xml")
def to_moodle_xml(quiz: Quiz) -> str:
    root = ET.Element("quiz")
    cat = ET.SubElement(root, "question", {"type": "category"})
    _text(cat, "category", f"$course$/Families First/{quiz.topic}")
    for i, q in enumerate(quiz.questions, 1):
        mtype = {"mcq": "multichoice", "true_false": "truefalse", "cloze": "shortanswer"}[q.type]
        el = ET.SubElement(root, "question", {"type": mtype})
        _text(el, "name", f"Q{i} {q.id}")
        prefix = {"mcq": "Complete the statement from the guidance: ", "cloze": "Fill in the blank: ", "true_false": ""}[q.type]
        _text(el, "questiontext", html.escape(prefix + q.stem), "html")
        _text(el, "generalfeedback", html.escape(source_line(q)), "html")
        ET.SubElement(el, "defaultgrade").text = "1"
        if q.type == "mcq":
            ET.SubElement(el, "single").text = "true"
            ET.SubElement(el, "shuffleanswers").text = "true"
            answers = [(o, 100 if o == q.answer else 0) for o in q.options]
        elif q.type == "true_false":
            answers = [("true", 100 if q.answer == "True" else 0), ("false", 100 if q.answer == "False" else 0)]
        else:
            ET.SubElement(el, "usecase").text = "0"
            answers = [(a, 100) for a in [q.answer, *q.accepted]]
        for text, fraction in answers:
            ans = ET.SubElement(el, "answer", {"fraction": str(fraction), "format": "plain_text" if q.type != "true_false" else "moodle_auto_format"})
            ET.SubElement(ans, "text").text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- CSV ---------------------------------------------------------------------------------------------
@exporter("csv")
def to_csv(quiz: Quiz) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["n", "id", "type", "question", "options", "answer", "accepted", "source", "quote"])
    for i, q in enumerate(quiz.questions, 1):
        w.writerow([i, q.id, q.type, q.stem, " | ".join(q.options), q.answer, " | ".join(q.accepted),
                    q.citation.label(), q.citation.quote])
    return buf.getvalue()


# -- printable HTML ------------------------------------------------------------------------------------
TYPE_LABEL = {"mcq": "Multiple choice", "true_false": "True or false", "cloze": "Fill in the blank"}


@exporter("html")
def to_html(quiz: Quiz) -> str:
    return render("reports/quiz.html", quiz=quiz, type_label=TYPE_LABEL,
                  sources=[source_line(q) for q in quiz.questions])
