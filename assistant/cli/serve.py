"""`assistant serve`: the web chat and JSON API."""
from __future__ import annotations

import inspect
from functools import partial
from pathlib import Path
from typing import Optional

import typer

from assistant.cli.common import (
    DataOpt,
    LlmOpt,
    ModelOpt,
    app,
    data_dir,
    fail,
    generator,
    progress_bar,
)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port"),
    workers: int = typer.Option(1, min=1, max=16, help="Worker processes (each holds its own copy of the index)"),
    db: Optional[Path] = typer.Option(None, help="SQLite file for history and feedback (default: <data>/web.sqlite3)"),
    llm: Optional[str] = LlmOpt,
    model: str = ModelOpt,
    data: Optional[Path] = DataOpt,
) -> None:
    """Start the web chat and JSON API (builds the index first if there is none)."""
    import uvicorn

    from assistant import Assistant
    from assistant.api import create_app
    from assistant.api.signin import configured
    from assistant.settings import Settings

    settings = Settings()
    signin = configured(settings)
    if host not in LOOPBACK and not (signin or settings.allow_unauthenticated):
        fail(f"no sign-in is configured, so the assistant serves this machine only (127.0.0.1), as one local user: "
             f"it will not listen on {host}. To serve other machines, put it behind a proxy that signs users in and "
             "set ASSISTANT_ALLOW_UNAUTHENTICATED=true, or configure sign-in (ASSISTANT_OIDC_ISSUER, _OIDC_CLIENT_ID, "
             "_OIDC_CLIENT_SECRET).")
    who = (f"with sign-in through {settings.oidc_issuer}" if signin
           else "for this machine only, one local user (no sign-in configured)" if host in LOOPBACK
           else "to other machines: sign-in is left to the proxy in front (ASSISTANT_ALLOW_UNAUTHENTICATED)")
    typer.echo(f"Serving on http://{host}:{port} {who}  (API reference: /docs)")
    if workers > 1:
        _serve_workers(host, port, workers, db, llm, model, data_dir(data))
        return
    a = Assistant.open(data_dir(data), generator=generator(llm, model), progress=progress_bar())
    a.warm_up()
    uvicorn.run(create_app(data_dir(data), db, assistant=a), host=host, port=port, log_level="warning")


def _serve_workers(host: str, port: int, workers: int, db: Path | None, llm: str | None, model: str,
                   data: Path) -> None:
    """Several worker processes on one socket. The index is built once, before any worker starts;
    each worker gets this run's Settings through its app factory (pickled to it), opens its own copy
    of the index and warms up; the parent only supervises."""
    from uvicorn import Config, Server
    from uvicorn.supervisors import Multiprocess

    from assistant.api.app import app_for
    from assistant.index.store import current_generation
    from assistant.index.update import ingest
    from assistant.settings import Settings

    if current_generation(data) is None:
        ingest(data, progress=progress_bar())
    settings = Settings(data=data.resolve(), db=db.resolve() if db else None, llm_url=llm, llm_model=model)
    config = Config(partial(app_for, settings), factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
    sock = config.bind_socket()
    # uvicorn's supervisor makes each worker's Server itself (since 0.3x; older ones took it as `target`)
    if "target" in inspect.signature(Multiprocess.__init__).parameters:
        Multiprocess(config, target=Server(config).run, sockets=[sock]).run()
    else:
        Multiprocess(config, sockets=[sock]).run()
