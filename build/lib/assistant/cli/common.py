"""What the commands share: the Typer app, the common options, errors and the progress bar."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from assistant.settings import default_data_dir

app = typer.Typer(add_completion=False, help="Cited answers from the Families First guidance.")
DataOpt = typer.Option(None, "--data", help="Index directory (default: $ASSISTANT_DATA or ./data)")
LlmOpt = typer.Option(None, "--llm", help="OpenAI-compatible base URL for the optional LLM composer")
ModelOpt = typer.Option("local", "--model", help="Model name for --llm")


def generator(llm: Optional[str], model: str):
    """The optional LLM composer, or None for the extractive one."""
    from assistant.compose.llm import generator_for

    return generator_for(llm, model)


def data_dir(data: Optional[Path]) -> Path:
    return data or default_data_dir()


def open_assistant(data: Optional[Path], llm: Optional[str] = None, model: str = "local"):
    """The assistant on the index in `data`, built from the bundled corpus first if there is none."""
    from assistant import Assistant

    return Assistant.open(data_dir(data), generator=generator(llm, model), progress=progress_bar())


def progress_bar():
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            # disable=None: no bar when stderr is not a terminal (CI logs stay readable)
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="text", file=sys.stderr, leave=True, disable=None)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress


def fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)
