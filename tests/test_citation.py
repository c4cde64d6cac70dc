"""CITATION.cff is valid CFF 1.2.0 and agrees with the package and the built book."""
import json
import re

import jsonschema
import yaml

from highlands import __version__, citation, paths

CFF = paths.ROOT / "CITATION.cff"
# The CFF 1.2.0 schema (CC BY 4.0, citation-file-format project), as shipped in cffconvert 2.0.0.
SCHEMA = paths.ROOT / "tests" / "schemas" / "citation-cff-1.2.0.schema.json"


def test_citation_file_is_valid_cff_1_2_0():
    document = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    # YAML reads the release date as a date; CFF validators compare the ISO string.
    document["date-released"] = str(document["date-released"])
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_citation_version_is_the_package_version():
    assert citation.metadata()["version"] == __version__


def test_readme_citation_matches():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    meta = citation.metadata()
    block = readme[readme.index("## Cite"):]
    assert meta["title"] in block and f"version {__version__}" in block, "README's citation is out of date"


def test_built_pages_cite_the_current_version():
    assert (paths.ROOT / "_build" / "html" / "index.html").exists(), "build the book first: make book"
    from bs4 import BeautifulSoup

    page = (paths.ROOT / "_build" / "html" / "book" / "intro.html").read_text(encoding="utf-8")
    intro = " ".join(pre.get_text() for pre in BeautifulSoup(page, "html.parser").select("pre"))
    assert citation.metadata()["title"] in intro
    assert re.search(rf"version\s*=\s*\{{{re.escape(__version__)}\}}", intro), "BibTeX entry lacks the version"
