"""What a notebook run read and wrote, for the build's notion of a stale notebook.

When the environment variable ``HIGHLANDS_DEPENDENCY_LOG`` names a file, every data file the
loader reads and every file the figure export writes is appended to it, one line each:
``read <path>`` or ``wrote <path>`` (paths relative to the repository root). The book's
executor (``highlands_build.execute``) sets the variable, runs a notebook, and stores the
content hashes of what it read beside the notebook's stamp, as a compiler's ``-MD`` flag
records the headers a source file included. Without the variable nothing is written.

The package-wide validation is not a notebook's dependency: it reads every table to say pass or
fail, and does so in whichever notebook runs first. Its reads are left out
(:func:`not_recorded`); the executor validates the package itself before it runs any notebook,
so a bad row still stops the build, and a notebook depends only on the tables it loads.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from . import paths

LOG_VARIABLE = "HIGHLANDS_DEPENDENCY_LOG"
_paused = 0


def _record(kind: str, path: Path) -> None:
    log = os.environ.get(LOG_VARIABLE)
    if not log or _paused:
        return
    path = Path(path).resolve()
    try:
        shown = path.relative_to(paths.ROOT).as_posix()
    except ValueError:
        shown = str(path)
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{kind} {shown}\n")


def record_read(path: Path) -> None:
    """Note that the running notebook read ``path`` (a table, the package, the article)."""
    _record("read", path)


def record_written(path: Path) -> None:
    """Note that the running notebook wrote ``path`` (an exported figure or its data)."""
    _record("wrote", path)


@contextmanager
def not_recorded():
    """Within the block, reads and writes are not logged (the package-wide validation's reads)."""
    global _paused
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1
