"""Where things are, wherever the code runs from (a notebook, the tests, the build)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
ARTICLE = DATA / "raw" / "article.txt"
DATAPACKAGE = DATA / "datapackage.json"
# Downloadable copies of every numbered figure; copied into the HTML by `html_extra_path`.
EXPORTS = ROOT / "_build" / "exports"
