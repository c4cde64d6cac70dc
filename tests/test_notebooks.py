"""Stored notebook outputs are clean; nbval (pytest --nbval) re-executes and compares them."""
import json

import pytest

from highlands import paths

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_seven_chapters_in_order():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"0{i}" for i in range(1, 8)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_and_clean(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "seven-highlands"
    text = json.dumps(notebook, ensure_ascii=False)
    assert "missing from font" not in text, "a chart has a CJK glyph missing"
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
            continue
        assert cell["execution_count"] is not None, f"cell {cell['id']} was not executed"
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"cell {cell['id']} stored an error"
            assert output.get("name") != "stderr", f"cell {cell['id']} wrote to stderr: {output.get('text')}"


def test_charts_use_the_bundled_font_files_not_the_systems():
    """Stored SVGs compare byte for byte only if every machine draws with the same font files."""
    from pathlib import Path

    import matplotlib
    from matplotlib import font_manager

    from highlands import style

    style.use_book_style()
    assert Path(font_manager.findfont(style.CJK_FAMILY)).resolve() == style.CJK_FONT_FILE
    dejavu = Path(font_manager.findfont("DejaVu Sans")).resolve()
    assert dejavu.is_relative_to(Path(matplotlib.get_data_path()).resolve()), dejavu
    names = {f.name for f in font_manager.fontManager.ttflist if Path(f.fname).resolve() != style.CJK_FONT_FILE}
    assert style.CJK_FAMILY not in names
