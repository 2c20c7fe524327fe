"""Start ``streamlit run`` on a free 127.0.0.1 port and wait until it answers.

Used by the real-browser tests and the app benchmark; never by the app itself.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.core.errors import TalksAtlasError


class ServerDidNotStart(TalksAtlasError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(script: Path, data: Path, log: Path, timeout: float = 60) -> Iterator[str]:
    """Yield ``http://127.0.0.1:PORT`` while ``script`` is served with TALKS_ATLAS_DATA=data.

    Output goes to ``log``; ServerDidNotStart (with the log's tail) if it never answers.
    """
    port = free_port()
    env = dict(os.environ, TALKS_ATLAS_DATA=str(data))
    env.setdefault("MALLOC_ARENA_MAX", "2")  # as scripts/app.sh starts the app
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "streamlit"),
                "run",
                str(script),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.enableStaticServing",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=script.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.time() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                    break
                except OSError:
                    if proc.poll() is not None or time.time() > deadline:
                        raise ServerDidNotStart(
                            f"{script} did not start; see {log}:\n{log.read_text()[-2000:]}"
                        ) from None
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=15)
