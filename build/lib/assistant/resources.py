"""Files the package ships besides its code, found through importlib.resources.

The bundled corpus, the web templates and static files, the LLM prompts and the gold sets are
kept at the top of the repository (corpus/, web/, prompts/, evals/) for people to read and edit;
pyproject.toml maps them into the package as assistant.corpus, assistant.web, assistant.prompts and
assistant.evals, so an editable checkout and an installed wheel find them the same way.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path


def resource_dir(name: str) -> Path:
    """The directory of the shipped resource package `assistant.<name>`."""
    return Path(str(files(f"assistant.{name}")))


def corpus_dir() -> Path:
    return resource_dir("corpus")


def web_dir() -> Path:
    return resource_dir("web")


def prompts_dir() -> Path:
    return resource_dir("prompts")


def evals_dir() -> Path:
    return resource_dir("evals")


@lru_cache(maxsize=1)
def templates():
    """The Jinja2 environment of web/templates, HTML escaped: the web pages and every HTML report
    (coverage, evaluation, quiz export) are written through it."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(web_dir() / "templates")), autoescape=select_autoescape())


def render(template: str, **context) -> str:
    return templates().get_template(template).render(**context)
