"""kg.views.plots.use_cjk_font: Chinese labels draw with real glyphs whenever a CJK font is installed,
even when Matplotlib's font cache predates the font; with none installed, a warning says what to install.

Each case runs in a fresh Python process with its own ``MPLCONFIGDIR`` (Matplotlib reads its font
cache once, at import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

REPO = Path(__file__).resolve().parents[2]
LABEL = "罚款金额（中文标签）监管机构"

# draws a figure with Chinese labels after use_cjk_font(); reports what happened as JSON
SCRIPT = f"""
import json, warnings
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager, ft2font, pyplot as plt
from kg.views.plots import use_cjk_font

cached = sorted({{f.name for f in font_manager.fontManager.ttflist}})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    name = use_cjk_font()
    fig, ax = plt.subplots()
    ax.set_title({LABEL!r})
    fig.canvas.draw()
chosen = font_manager.findfont(ax.title.get_fontproperties())  # the font of the Chinese title
font = ft2font.FT2Font(chosen)
print(json.dumps({{"cached": cached, "name": name, "chosen": chosen,
                  "glyphs": [font.get_char_index(ord(c)) for c in {LABEL!r}],
                  "warnings": [str(w.message) for w in caught]}}))
"""


def draw(mplconfig: Path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("MPL_IGNORE_SYSTEM_FONTS", "MPLBACKEND")}
    r = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True,
                       env={**clean, "MPLCONFIGDIR": str(mplconfig), **env})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.splitlines()[-1])


def assert_draws_chinese(out: dict) -> None:
    assert out["name"], out["warnings"]
    # a glyph of its own for each character: not 0 (none), not one box for all (a last-resort font)
    assert 0 not in out["glyphs"] and len(set(out["glyphs"])) == len(LABEL), (out["chosen"], out["glyphs"])
    assert [w for w in out["warnings"] if "missing from font" in w] == []


def test_a_stale_font_cache_still_gets_the_installed_cjk_font(stale_font_cache):
    folder, stripped = stale_font_cache
    if not stripped:
        pytest.skip("no font with Chinese glyphs is installed here (apt install fonts-noto-cjk)")
    out = draw(folder)
    from kg.views.plots import CJK_FONTS

    assert not set(CJK_FONTS) & set(out["cached"]), "the stale cache was read, not rebuilt"
    assert_draws_chinese(out)
    assert out["warnings"] == []


def test_a_fresh_font_cache_gets_a_font_with_chinese_glyphs(stale_font_cache, tmp_path):
    if not stale_font_cache[1]:
        pytest.skip("no font with Chinese glyphs is installed here (apt install fonts-noto-cjk)")
    out = draw(tmp_path)
    assert_draws_chinese(out)
    assert out["warnings"] == []


@pytest.mark.skipif(tuple(map(int, matplotlib.__version__.split(".")[:2])) < (3, 11),
                    reason="MPL_IGNORE_SYSTEM_FONTS (hide the system's fonts) is Matplotlib 3.11's")
def test_without_a_cjk_font_a_warning_says_what_to_install(tmp_path):
    out = draw(tmp_path, MPL_IGNORE_SYSTEM_FONTS="1")  # Matplotlib sees only the fonts it ships
    assert out["name"] is None
    assert any("fonts-noto-cjk" in w and "boxes" in w for w in out["warnings"]), out["warnings"]
    assert any("missing from font" in w for w in out["warnings"]), out["warnings"]
