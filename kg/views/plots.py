"""Matplotlib set-up for the notebooks: a font that has Chinese glyphs, when the machine has one."""

from __future__ import annotations

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


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese labels with the first CJK font installed; return its name.

    Returns None when there is none (labels then show as boxes; on Debian/Ubuntu
    ``apt install fonts-noto-cjk`` or ``fonts-wqy-microhei`` fixes that)."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            matplotlib.rcParams["font.sans-serif"] = [name, *matplotlib.rcParams["font.sans-serif"]]
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["axes.unicode_minus"] = False
            return name
    return None
