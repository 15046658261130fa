"""Starting real servers in the tests: a free port on 127.0.0.1, and waiting until one answers."""
import socket
import subprocess
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float) -> None:
    """Until `url` answers 200; fails, with what the process said, if it exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            said = proc.stderr.read().decode()[-2000:] if proc.stderr else ""
            raise AssertionError(f"{proc.args[0]} exited with {proc.returncode} before {url} answered: {said}")
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds:.0f} s")
