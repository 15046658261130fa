"""`assistant` command line: a thin shell over the Python API, one module per command.

Commands import what they need when they run, so `assistant --help` does not load the models.
"""
from __future__ import annotations

import logging

from assistant.cli import ask, evaluate, ingest, quiz, serve  # noqa: F401  (each registers its commands)
from assistant.cli.common import app

__all__ = ["app", "ask", "evaluate", "ingest", "main", "quiz", "serve"]


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
