"""The book's citation metadata, read from CITATION.cff (the one place it is written)."""
from __future__ import annotations

import yaml

from . import paths


def metadata() -> dict[str, str]:
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    return {
        "title": cff["title"],
        "authors": "; ".join(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in cff["authors"]),
        "year": str(cff["date-released"])[:4],
        "version": str(cff["version"]),
        "license": cff["license"],
    }
