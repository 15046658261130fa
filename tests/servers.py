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


def postgres_bin() -> str | None:
    """The folder of Debian's PostgreSQL server programs (package postgresql), if installed."""
    import glob

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return found[-1].rsplit("/", 1)[0] if found else None


def start_postgres(folder: str) -> tuple[str, subprocess.Popen]:
    """A real PostgreSQL server in `folder` on a free 127.0.0.1 port, run as the `postgres` user when
    the tests run as root (PostgreSQL refuses root); returns its SQLAlchemy URL and the process."""
    import os
    import shutil

    bin_dir = postgres_bin()
    if bin_dir is None:
        raise AssertionError("PostgreSQL is not installed (Debian package postgresql; .ci/run installs it)")
    # runuser lives in /usr/sbin, which a minimal PATH (CI's env -i) leaves out
    runuser = shutil.which("runuser", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin") or "runuser"
    as_user = [runuser, "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres", "postgres")
    data = os.path.join(folder, "pgdata")
    subprocess.run([*as_user, f"{bin_dir}/initdb", "-D", data, "-U", "assistant", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([*as_user, f"{bin_dir}/postgres", "-D", data, "-p", str(port), "-h", "127.0.0.1",
                             "-k", folder], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return f"postgresql+psycopg://assistant@127.0.0.1:{port}/postgres", proc
        if proc.poll() is not None:
            raise AssertionError(f"postgres exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)
    raise AssertionError("postgres did not accept connections within 30 s")
