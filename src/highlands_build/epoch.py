"""Print the build's clock (SOURCE_DATE_EPOCH): the last commit's time, so dates are real and stable.

    python3 src/highlands_build/epoch.py      # the Makefile runs it with the system Python

The last commit's time (``git log -1 --format=%ct``); without git (a tarball or a ZIP download),
midnight UTC of ``date-released`` in CITATION.cff; failing that, the newest modification time of
the book's inputs. Standard library only: it runs before the virtual environment exists.
"""
from __future__ import annotations

import calendar
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ("_config.yml", "_toc.yml", "book", "notebooks", "data", "src")


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def from_git(root: Path) -> int | None:
    """The last commit's time, if the book is the top of a git work tree (not a tarball inside one)."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if not top or Path(top).resolve() != root.resolve():
        return None
    text = _git(root, "log", "-1", "--format=%ct")
    return int(text) if text and text.isdigit() else None


def from_citation(root: Path) -> int | None:
    """The release date in CITATION.cff as a Unix time, or None when the file or the date is missing."""
    try:
        text = (root / "CITATION.cff").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^date-released:\s*['\"]?(\d{4})-(\d{2})-(\d{2})", text, re.MULTILINE)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return calendar.timegm((year, month, day, 0, 0, 0))


def from_mtimes(root: Path) -> int:
    """The newest modification time of the book's inputs (a tarball without git or CITATION.cff)."""
    times = [p.stat().st_mtime for name in INPUTS for p in [root / name, *(root / name).rglob("*")]
             if p.is_file() and "_build" not in p.parts]
    return int(max(times, default=0))


def source_date_epoch(root: Path = ROOT) -> int:
    """The build's clock: the last commit's time, else CITATION.cff's release date, else the newest input's time."""
    for source in (from_git, from_citation):
        value = source(root)
        if value is not None:
            return value
    return from_mtimes(root)


if __name__ == "__main__":
    print(source_date_epoch(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
