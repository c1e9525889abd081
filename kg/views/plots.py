"""Matplotlib set-up for the notebooks: a font that has Chinese glyphs, whenever the machine has one."""

from __future__ import annotations

import os
import warnings

# fonts with CJK glyphs, in order of preference (Linux packages, then macOS and Windows)
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
)

# characters a font must draw, each with its own glyph, to be taken for Chinese labels
SAMPLE = "中文数据监管罚款"

NO_CJK_FONT = (
    "no installed font has Chinese glyphs, so Chinese labels will draw as empty boxes; install one "
    "(Debian/Ubuntu: apt install fonts-noto-cjk, or fonts-wqy-microhei; other systems: Noto Sans CJK SC) "
    "and restart the kernel"
)


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese labels with a CJK font installed on the machine; return its name.

    The font is looked for by name (:data:`CJK_FONTS`) in matplotlib's font cache, then among the
    installed font files that the cache does not list (a cache written before the font was
    installed): those that draw Chinese are added to the running font manager
    (``fontManager.addfont``; deleting ``matplotlib.get_cachedir()`` makes a later start find them
    by itself); last, among the cached fonts, by their glyphs. With none, warn, naming what to
    install, and return None (labels then show as boxes)."""
    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    name = _preferred(manager) or _add_uncached(manager, font_manager.findSystemFonts()) or _any_cached(manager)
    if name is None:
        warnings.warn(NO_CJK_FONT, stacklevel=2)
        return None
    matplotlib.rcParams["font.sans-serif"] = [name, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name


def draws_chinese(path: str | os.PathLike) -> bool:
    """Whether the font file at ``path`` (its first face) has a glyph of its own for every character
    of :data:`SAMPLE`: a last-resort font (Matplotlib ships one) maps a whole block to one box."""
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(os.fspath(path))
    except (OSError, RuntimeError, ValueError):  # not a font FreeType can read
        return False
    glyphs = [font.get_char_index(ord(c)) for c in SAMPLE]
    return 0 not in glyphs and len(set(glyphs)) == len(SAMPLE)


def _preferred(manager) -> str | None:
    installed = {f.name for f in manager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _add_uncached(manager, system_fonts: list[str]) -> str | None:
    """Add the installed font files that the cache does not list and that draw Chinese; a name."""
    known = {os.path.realpath(f.fname) for f in manager.ttflist}
    added = [p for p in sorted(system_fonts) if os.path.realpath(p) not in known and draws_chinese(p)]
    for path in added:
        manager.addfont(path)
    return (_preferred(manager) or _name_of(manager, added[0])) if added else None


def _any_cached(manager) -> str | None:
    """A cached font that draws Chinese, whatever its name."""
    path = next((p for p in dict.fromkeys(f.fname for f in manager.ttflist) if draws_chinese(p)), None)
    return _name_of(manager, path) if path else None


def _name_of(manager, path: str) -> str:
    return next(f.name for f in manager.ttflist if f.fname == path)
