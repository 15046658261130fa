import contextlib
import os
import tempfile
import threading
import time

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest  # noqa: E402
from servers import free_port  # noqa: E402

# one embedding cache for every index the suite builds (the same documents, embedded once), unless the
# caller shares one already (.ci/run shares it with the index it builds after the tests)
os.environ.setdefault("ASSISTANT_EMBEDDING_CACHE", os.path.join(tempfile.mkdtemp(prefix="assistant-emb-"), "cache.sqlite"))


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    """One real index of the bundled corpus (real Chroma, the real default embedder: MiniLM and mpnet), built once per run."""
    from assistant.index.update import ingest

    d = tmp_path_factory.mktemp("data")
    ingest(d)
    return d


@pytest.fixture()
def own_data(tmp_path, data_dir):
    """A private copy of the built index, so a test can change it."""
    import shutil

    d = tmp_path / "data"
    shutil.copytree(data_dir, d)
    return d


@pytest.fixture(scope="session")
def assistant(data_dir):
    from assistant import Assistant

    return Assistant.open(data_dir, build=False)


@contextlib.contextmanager
def live_server(app):
    """Run an ASGI app on a free 127.0.0.1 port in a thread (a real uvicorn); yields the base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
