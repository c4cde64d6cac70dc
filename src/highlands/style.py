"""One look for every chart: a CJK font, a colour-blind-safe palette, deterministic SVG."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import mplfonts
from matplotlib import font_manager

# Noto Sans CJK SC, shipped by the mplfonts package under the SIL Open Font License.
CJK_FONT_FILE = (Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf").resolve()
CJK_FAMILY = "Noto Sans CJK SC"

def _pin_fonts() -> None:
    """Use only the font files shipped with the Python packages, never the system's copies.

    A system may have its own "Noto Sans CJK SC" or "DejaVu Sans" (another version, other
    metrics), and matplotlib would pick either: chart sizes, and so the stored SVG outputs,
    would then depend on the machine. Dropping the system's entries of these two families
    makes every machine draw with the same files.
    """
    manager = font_manager.fontManager
    bundled = (Path(matplotlib.get_data_path()) / "fonts").resolve()
    keep = [f for f in manager.ttflist
            if not (f.name == "DejaVu Sans" and not Path(f.fname).resolve().is_relative_to(bundled))
            and not (f.name == CJK_FAMILY and Path(f.fname).resolve() != CJK_FONT_FILE)]
    if len(keep) != len(manager.ttflist) or CJK_FAMILY not in {f.name for f in keep}:
        manager.ttflist = keep
        if CJK_FAMILY not in {f.name for f in keep}:
            manager.addfont(str(CJK_FONT_FILE))
        manager._findfont_cached.cache_clear()  # forget lookups made before the pinning


def use_book_style() -> None:
    """Register the CJK font and set the book's rcParams (idempotent)."""
    _pin_fonts()
    matplotlib.rcParams.update({
        # DejaVu first keeps Latin digits and the minus sign; CJK falls back to Noto.
        # A list of families (not the generic "sans-serif") turns on per-glyph fallback.
        "font.family": ["DejaVu Sans", CJK_FAMILY],
        "axes.unicode_minus": False,
        "svg.hashsalt": "seven-highlands",
        "svg.fonttype": "path",  # glyph outlines: readers need no CJK font installed
        "figure.figsize": (7.5, 4.2),
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "axes.axisbelow": True,
        "axes.titlesize": 12.5,
        "axes.titleweight": "normal",  # the CJK font has no bold face: a bold title would warn
        "axes.titlelocation": "left",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.frameon": False,
        "legend.fontsize": 9,
        # Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies; no
        # vermillion, which is Guangzhou's alone (highlands.colours).
        "axes.prop_cycle": matplotlib.cycler(color=["#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#000000"]),
        # Charts stay on white in dark mode too (the theme's dark background would hide black text).
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
    })
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # plain Python, outside a kernel
        return
    # SVG in the notebooks and the HTML: sharp at any zoom, and compared byte for byte by nbval.
    # No date in the SVG, so the build's clock (the last commit's time) never changes an output.
    set_matplotlib_formats("svg", metadata={"Date": None})
