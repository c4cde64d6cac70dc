"""The data bundle: every table of the book, its Frictionless descriptor and the article, in one zip.

``build_bundle(folder)`` writes ``seven-highlands-data-<version>.zip`` holding one folder of the
same name with

- ``datapackage.json`` (the book's descriptor, stamped with the book's version),
- every table it describes (``*.csv``) and the raw article (``raw/article.txt``),
- ``CITATION.cff`` and a ``README.md`` (what the tables are, licence CC BY 4.0, how to cite,
  version, release date, data as of).

The Sphinx extension calls it when the HTML build finishes (``downloads/`` of the HTML); run it by
hand with ``python -m highlands_build.bundle [folder]``. Every member carries the release date as
its time, so the same data give a byte-identical zip.
"""
from __future__ import annotations

import csv
import json
import sys
import zipfile
from pathlib import Path

from highlands import paths


def _readme(package: dict, meta: dict[str, str], folder: str) -> str:
    rows = []
    for resource in package["resources"]:
        with (paths.DATA / resource["path"]).open(encoding="utf-8", newline="") as handle:
            count = sum(1 for _ in csv.reader(handle)) - 1
        about = " ".join(str(resource.get("description") or resource.get("title") or "").split())
        rows.append(f"| `{resource['path']}` | {count} | {about.replace('|', '/')} |")
    return "\n".join([
        f"# Data of *{meta['title']}*, version {meta['version']}",
        "",
        f"Version {meta['version']}, released {meta['date_released']}. Data as of {meta['data_as_of']} "
        "(the latest date on which a source was read: column `accessed` of `sources.csv`).",
        "",
        meta["abstract"],
        "",
        "## Contents",
        "",
        "- `datapackage.json`: the Frictionless (Tabular) Data Package descriptor: every table's",
        "  schema, keys and the book's sourcing rules (custom property `highlands`).",
        "- `raw/article.txt`: the 2019 article the book checks, verbatim.",
        "- `CITATION.cff`: citation metadata of the book.",
        "- The tables (UTF-8 CSV, one header row):",
        "",
        "| file | rows | contents |",
        "|---|---|---|",
        *rows,
        "",
        "Check the package with Frictionless (`pip install frictionless`):",
        "",
        "```bash",
        f"frictionless validate {folder}/datapackage.json",
        "```",
        "",
        "and read a table with pandas: `pandas.read_csv(\"zone_indicators.csv\", dtype=str)`.",
        "Every benchmark row names its source in `sources.csv` and quotes the part of the source's",
        "verbatim excerpt that holds the number (`evidence`).",
        "",
        "## Licence",
        "",
        "The compiled data and this README are licensed under Creative Commons Attribution 4.0",
        "International (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). The article in",
        "`raw/article.txt` is quoted for checking; its copyright stays with its publisher.",
        "",
        "## How to cite",
        "",
        f"> {meta['authors']} ({meta['year']}). *{meta['title']}* (version {meta['version']}), data bundle.",
        f"> Released {meta['date_released']}; data as of {meta['data_as_of']}. CC BY 4.0.",
        "",
        "Cite a figure by its number and name in the book, and the data by table and source id.",
        "",
    ])


def build_bundle(folder: Path) -> Path:
    """Write this version's data bundle into ``folder``; return the zip's path.

    Raises FileNotFoundError if a table the descriptor lists is missing.
    """
    from highlands_build.sphinx.release import release_metadata

    meta = release_metadata()
    name = meta["bundle_name"].removesuffix(".zip")
    package = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    package["version"] = meta["version"]
    members: list[tuple[str, bytes]] = [
        ("datapackage.json", (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")),
        ("README.md", _readme(package, meta, name).encode("utf-8")),
        ("CITATION.cff", (paths.ROOT / "CITATION.cff").read_bytes()),
        (f"raw/{paths.ARTICLE.name}", paths.ARTICLE.read_bytes()),
    ]
    listed = {resource["path"] for resource in package["resources"]}
    tables = sorted(listed | {path.name for path in paths.DATA.glob("*.csv")})
    members += [(table, (paths.DATA / table).read_bytes()) for table in tables]

    released = tuple(int(part) for part in meta["date_released"].split("-")) + (0, 0, 0)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / meta["bundle_name"]
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            info = zipfile.ZipInfo(f"{name}/{member}", date_time=released)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    partial.replace(target)
    return target


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else paths.ROOT / "_build" / "html" / "downloads"
    print(build_bundle(out))
