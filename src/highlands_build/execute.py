"""Re-execute notebooks in place so their stored outputs match the code and data.

    python -m highlands_build.execute notebooks/01-open-economy.ipynb [...]

Runs each notebook with its own kernel (``seven-highlands``) in the notebook's folder, as nbval
and the book build do, and stores no timing metadata, so an unchanged notebook is rewritten
byte for byte.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        print(f"executing {name}", flush=True)
        execute(Path(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
