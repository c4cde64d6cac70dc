"""The code keeps the shape issue 23 asks for: chapters are outlines, data live in data/, every
public function says what it takes and gives, importing the package changes nothing."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from highlands import paths

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
MAX_CELL_LINES = 15


def _code_cells(path: Path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            yield cell, "".join(cell["source"])


class _LiteralTables(ast.NodeVisitor):
    def __init__(self):
        self.found = []

    def visit_Dict(self, node):
        if len(node.keys) > 8:
            self.found.append(f"dict of {len(node.keys)} entries at line {node.lineno}")
        self.generic_visit(node)

    def visit_List(self, node):
        if len(node.elts) > 8:
            self.found.append(f"list of {len(node.elts)} entries at line {node.lineno}")
        self.generic_visit(node)

    visit_Tuple = visit_List


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_cells_are_an_outline(path):
    """No literal table, no row picked by position, no colour or name map, no long cell."""
    problems = []
    for cell, source in _code_cells(path):
        where = cell.get("id", "?")
        lines = [line for line in source.splitlines() if line.strip()]
        if len(lines) > MAX_CELL_LINES:
            problems.append(f"cell {where}: {len(lines)} lines")
        visitor = _LiteralTables()
        visitor.visit(ast.parse(source))
        problems += [f"cell {where}: {item}" for item in visitor.found]
        if re.search(r"\.i?loc\[\s*-?\d+\s*[\],]", source):
            problems.append(f"cell {where}: a row picked by position (.loc/.iloc with an integer)")
        if re.search(r"#[0-9A-Fa-f]{6}\b|PALETTE|^\s*(HOME|PEER|OTHER|SHORT|[A-Z_]*COLOU?RS?|[A-Z_]*_EN|[A-Z_]*NAMES?)\s*=",
                     source, re.M):
            problems.append(f"cell {where}: defines a colour or a name map")
    assert problems == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chapter_code_cell_is_hidden_or_removed(path):
    untagged = [cell.get("id") for cell, source in _code_cells(path)
                if source.strip() and not {"remove-cell", "remove-input", "hide-input", "hide-cell"}
                & set(cell.get("metadata", {}).get("tags", []))]
    assert untagged == [], f"code cells a reader would see: {untagged}"


def _public_functions():
    for module in sorted((paths.ROOT / "src").rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                yield module.relative_to(paths.ROOT).as_posix(), node
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                            yield module.relative_to(paths.ROOT).as_posix(), item


def test_every_public_function_has_a_docstring():
    missing = [f"{module}: {node.name}" for module, node in _public_functions() if not ast.get_docstring(node)]
    assert missing == []


def test_importing_the_package_changes_nothing():
    code = ("import os, matplotlib, pandas as pd; before = (dict(os.environ), dict(matplotlib.rcParams), "
            "pd.get_option('display.max_rows')); import highlands, highlands.tables, highlands.charts, highlands.record; "
            "after = (dict(os.environ), dict(matplotlib.rcParams), pd.get_option('display.max_rows')); "
            "print(before == after)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "notebooks"],
                            cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
