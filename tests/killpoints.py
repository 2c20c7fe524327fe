"""Crash tests: a child Python process that is SIGKILLed at its k-th rename or fsync.

``killer(body, budget_arg)`` is the script for ``python -c``: the shared prelude (``os.replace``
and ``os.fsync`` counted; at call number ``sys.argv[budget_arg]`` the process kills itself) followed
by ``body``, which does the work and prints "finished" when it got through. A test runs it with
k = 0, 1, 2 … until it finishes, checking after each kill that nothing is lost or half-written.
"""

from __future__ import annotations

import textwrap

PRELUDE = """\
import os, signal, sys
from pathlib import Path
budget = int(sys.argv[BUDGET_ARG])
calls = {"n": 0}
def step(real):
    def wrapped(*a, **k):
        if calls["n"] == budget:
            os.kill(os.getpid(), signal.SIGKILL)
        calls["n"] += 1
        return real(*a, **k)
    return wrapped
os.replace = step(os.replace)  # every rename: a staged or temp file into place
os.fsync = step(FSYNC)  # every flush to disk: files and folders
"""


def killer(body: str, budget_arg: int, *, wait_fsync: bool = True) -> str:
    """The child's script; ``wait_fsync=False`` counts flushes without waiting for the disk."""
    prelude = PRELUDE.replace("BUDGET_ARG", str(budget_arg))
    prelude = prelude.replace("FSYNC", "os.fsync" if wait_fsync else "lambda fd: None")
    return prelude + textwrap.dedent(body)
