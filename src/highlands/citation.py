"""The book's citation metadata, read from CITATION.cff (the one place it is written)."""
from __future__ import annotations

from functools import lru_cache

import yaml

from . import paths


@lru_cache(maxsize=1)
def metadata() -> dict[str, str]:
    """Title, authors, year, version, release date, licence and a short citation of the book.

    Source: ``CITATION.cff`` (version kept equal to pyproject.toml's by a test). Raises KeyError
    if the file lacks a field.
    """
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    authors = "; ".join(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in cff["authors"])
    year = str(cff["date-released"])[:4]
    return {
        "title": cff["title"],
        "authors": authors,
        "year": year,
        "version": str(cff["version"]),
        "date_released": str(cff["date-released"]),
        "license": cff["license"],
        "short": f"{authors} ({year}), Seven Highlands v{cff['version']}",
    }
