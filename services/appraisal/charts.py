"""Charts for the documents: scores and on-time rate by department, as PNG (matplotlib).

Chinese labels need a CJK font: Debian's fonts-wqy-microhei (installed by
scripts/ensure_test_tools.sh and in the Dockerfile) or Noto Sans CJK. `cjk_font()` finds
one; without it Chinese would render as boxes, so it is logged loudly.
"""
import io
import logging
import os

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager, pyplot  # noqa: E402

log = logging.getLogger(__name__)

CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP",
                "Source Han Sans SC", "SimHei", "Microsoft YaHei")
CJK_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
_found = []


def cjk_font():
    """The family name of an installed CJK font, or None."""
    if _found:
        return _found[0]
    for path in CJK_FILES:
        if os.path.exists(path):
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # a damaged file: look further
                log.warning("could not load font %s", path)
    names = {f.name for f in font_manager.fontManager.ttflist}
    family = next((name for name in CJK_FAMILIES if name in names), None)
    if family is None:
        log.error("no CJK font installed (fonts-wqy-microhei): Chinese labels in charts "
                  "will render as boxes")
    _found.append(family)
    return family


def bar_chart(title, series, labels, unit="%", limit=100):
    """A grouped bar chart as PNG bytes. `series`: [(name, [value or None per label])]."""
    family = cjk_font()
    rc = {"font.family": [family, "sans-serif"] if family else ["sans-serif"],
          "axes.unicode_minus": False}
    with pyplot.rc_context(rc):
        width = max(6.0, min(16.0, 0.6 * len(labels) + 2))
        fig, ax = pyplot.subplots(figsize=(width, 3.6), dpi=110)
        count = max(1, len(series))
        step = 0.8 / count
        for index, (name, values) in enumerate(series):
            xs = [i - 0.4 + step * (index + 0.5) for i in range(len(labels))]
            ax.bar(xs, [v or 0 for v in values], width=step, label=name)
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=30 if len(labels) > 6 else 0, ha="right"
                           if len(labels) > 6 else "center")
        ax.set_ylim(0, limit)
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        pyplot.close(fig)
    return out.getvalue()
