import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    """One real index of the bundled corpus (real Chroma, real MiniLM), built once per run."""
    from assistant.ingest.pipeline import ingest

    d = tmp_path_factory.mktemp("data")
    ingest(d)
    return d


@pytest.fixture(scope="session")
def assistant(data_dir):
    from assistant import Assistant

    return Assistant.open(data_dir, build=False)
