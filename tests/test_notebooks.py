"""Every analysis notebook runs top to bottom on the shipped graph, headless, and shows its answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.views.plots import NO_CJK_FONT

nbformat = pytest.importorskip("nbformat", reason="pip install '.[test]' installs the notebook tools")
nbclient = pytest.importorskip("nbclient")

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_the_four_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == [
        "01_regulator_activity", "02_enforcement", "03_lineage", "04_provenance"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs_and_opens_with_its_question(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ") and "**Question:" in first.source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "strip outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_shows_its_answer(path, shipped_build, stale_font_cache, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_BUILD_DIR", str(shipped_build))
    # the kernel imports this checkout's kg, not another one the environment may have installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # a font cache written before the CJK fonts were installed: the notebook must find them anyway
    monkeypatch.setenv("MPLCONFIGDIR", str(stale_font_cache[0]))
    monkeypatch.delenv("MPL_IGNORE_SYSTEM_FONTS", raising=False)
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    tables = [o for o in outputs if o.output_type == "execute_result" and "text/html" in o.get("data", {})]
    assert tables, "every notebook answers with at least one table"
    for cell in nb.cells:
        if cell.cell_type == "code" and "plt.show()" in cell.source:
            assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source[:80]
    # Chinese labels are drawn with real glyphs, not boxes (Matplotlib warns of each missing glyph);
    # on a machine with no font that has them, the notebook says what to install
    stderr = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.get("name") == "stderr")
    if stale_font_cache[1]:
        assert "missing from font" not in stderr and NO_CJK_FONT not in stderr, stderr[:600]
    else:
        assert NO_CJK_FONT in stderr, stderr[:600]
    # the notebook's own answers are not empty
    empty = [o for o in tables if "Empty DataFrame" in o["data"].get("text/plain", "")]
    assert not empty, [o["data"]["text/plain"][:200] for o in empty]
