"""The book's figure style: palette, sizes, fonts, axis styling and round ticks.

Every figure of the book, the ``plot_*`` functions and the explorers alike, takes its colours,
sizes and axis styling from here, so the book's look is changed in one place. Nothing here
touches matplotlib's global ``rcParams``: the style is applied per Axes.

Colours come from one palette, :data:`PALETTE` (Okabe & Ito, colour-blind friendly); class
``k`` of a data set is always drawn in ``PALETTE[k]`` (class 0 blue, class 1 vermillion).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure

__all__ = [
    "BLACK", "BLUE", "CONTOUR_LINE", "DIVERGING", "GREEN", "GREY", "GRID_LINE", "INK",
    "LABEL_SIZE", "LANDSCAPE", "LEGEND_SIZE", "MARKERS", "MINIMUM_STAR", "MUTED", "ORANGE",
    "PALETTE", "PANEL_LABEL_SIZE", "PANEL_TICK_SIZE", "PURPLE", "SIZE", "SKY", "START_DOT",
    "TICK_SIZE", "TITLE_SIZE", "VERMILLION", "WARN", "WIDE", "YELLOW", "ZERO_LINE",
    "add_legend", "colour", "figure_of", "lighten", "new_axes", "nice_ceil", "nice_ticks",
    "number_label", "power_label", "set_labels", "set_titles", "style_axes",
]

#: Okabe–Ito colours in the order series are drawn: blue, vermillion, bluish green,
#: reddish purple, orange, sky blue, yellow, black. Class ``k`` uses ``PALETTE[k]``.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, YELLOW, BLACK = PALETTE
#: Secondary marks: reference lines, the best epoch, edges without weights.
GREY = "#7f7f7f"
#: Notes of failure ("diverged at epoch k"): the palette's red.
WARN = VERMILLION
#: Text drawn straight onto a figure (tick labels of hand-built panels).
INK = "#222222"
#: Grid lines and the zero lines of a plot.
GRID_LINE = "#d0d0d0"
ZERO_LINE = "#9a9a9a"
#: Contour lines over a loss landscape.
CONTOUR_LINE = "#8a8a8a"
#: The minimum of a loss landscape, a yellow star edged in black (its size is the drawer's).
MINIMUM_STAR = {"marker": "*", "color": YELLOW, "mec": BLACK}
#: The start of an optimizer's path in a legend, a white dot edged in black.
START_DOT = {"marker": "o", "ms": 7, "mfc": "white", "mec": BLACK, "mew": 1.4}
#: Markers of series ``k`` and of class ``k`` in scatter plots.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Figure sizes in inches: one panel, and two panels side by side.
SIZE = (5.0, 3.5)
WIDE = (9.0, 3.5)
#: Font sizes in points.
TITLE_SIZE = 11
LABEL_SIZE = 10
TICK_SIZE = 9
LEGEND_SIZE = 8.5
#: The explorers' hand-built panels, drawn smaller than a figure: tick labels and axis labels.
PANEL_TICK_SIZE = 8.5
PANEL_LABEL_SIZE = 9.5
#: Secondary text on a panel: notes and counts that are not an alarm.
MUTED = "#555555"


def lighten(colour: str, amount: float) -> tuple[float, float, float]:
    """Mix ``colour`` with white; ``amount`` 0 keeps it, 1 gives white."""
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def colour(i: int) -> str:
    """Colour of series ``i`` (the palette, cycled)."""
    return PALETTE[i % len(PALETTE)]


#: Light blue through white to light vermillion: scores of class 0 against class 1.
DIVERGING = LinearSegmentedColormap.from_list(
    "nndl_diverging", [lighten(BLUE, 0.45), (1.0, 1.0, 1.0), lighten(VERMILLION, 0.45)]
)
#: Greys from dark (low loss) to light (high loss) under optimizer paths.
LANDSCAPE = LinearSegmentedColormap.from_list(
    "nndl_landscape", ["#b8b8b8", "#e4e4e4", "#fbfbfb"]
)


def new_axes(ax: Axes | None, figsize: tuple[float, float] = SIZE, ncols: int = 1) -> list[Axes]:
    """Axes to draw into: ``[ax]`` if given, else the panels of a new constrained Figure.

    The Figure is built directly, never through ``matplotlib.pyplot``, so no figure is
    registered in pyplot's global state.
    """
    if ax is not None:
        return [ax]
    fig = Figure(figsize=figsize, layout="constrained")
    return list(fig.subplots(1, ncols, squeeze=False)[0])


def figure_of(axes: list[Axes]) -> Figure:
    """The Figure that holds ``axes``."""
    return axes[0].figure  # type: ignore[return-value]


def style_axes(ax: Axes, *, grid: bool = True, labelsize: float = TICK_SIZE) -> None:
    """House style of an Axes: no top and right spines, small ticks, a light grid."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=labelsize)
    if grid:
        ax.grid(True, color=GRID_LINE, linewidth=0.6, alpha=0.7)
        ax.set_axisbelow(True)


def set_labels(
    ax: Axes, xlabel: str | None, ylabel: str | None, title: str | None = None,
    *, size: float = LABEL_SIZE,
) -> None:
    """Axis labels (``size`` points) and title; ``None`` leaves one out."""
    if xlabel is not None:
        ax.set_xlabel(xlabel, fontsize=size)
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=size)
    if title is not None:
        ax.set_title(title, fontsize=TITLE_SIZE)


def set_titles(axes: list[Axes], title: str | None, panel_titles: Sequence[str]) -> None:
    """Title a figure of one or more panels, as the ``title`` argument of a figure function says.

    With several panels each gets its name from ``panel_titles`` and ``title`` goes above the
    Figure; a single panel (a new Figure of one panel, or the caller's ``ax``) takes ``title``.
    """
    if len(axes) > 1:
        for panel, name in zip(axes, panel_titles):
            panel.set_title(name, fontsize=TITLE_SIZE)
        if title is not None:
            figure_of(axes).suptitle(title, fontsize=TITLE_SIZE + 1)
    elif title is not None:
        axes[0].set_title(title, fontsize=TITLE_SIZE)


def add_legend(ax: Axes, **kwargs: Any) -> None:
    """A legend in the house style, when the Axes has labelled artists."""
    if ax.get_legend_handles_labels()[0]:
        kwargs.setdefault("loc", "best")
        ax.legend(fontsize=LEGEND_SIZE, framealpha=0.85, **kwargs)


def nice_ceil(value: float) -> float:
    """Round a positive number up to a multiple of half its leading power of ten (4.7 -> 5).

    An axis or colour-bar limit just above ``value``; 1.0 for a value that is not positive
    and finite.
    """
    if not value > 0 or not math.isfinite(value):
        return 1.0
    step = 10 ** math.floor(math.log10(value)) / 2
    return float(math.ceil(value / step - 1e-9) * step)


def nice_ticks(low: float, high: float, *, most: int = 5, log: bool = False) -> list[float]:
    """Round tick positions inside ``[low, high]``, at most ``most`` steps apart in all.

    The one tick rule of the book's hand-built axes.

    Parameters
    ----------
    low, high : float
        The axis range, ``low < high`` (both positive when ``log``).
    most : int, default 5
        Largest number of steps between the first and the last tick.
    log : bool, default False
        Ticks at powers of ten, every 1st, 2nd, 5th, 10th, ... decade, instead of multiples
        of 1, 2, 2.5 or 5 times a power of ten.

    Returns
    -------
    list of float
        Increasing; 0 is among them when it lies inside a linear range.
    """
    if log:
        first = math.ceil(math.log10(low) - 1e-9)
        last = math.floor(math.log10(high) + 1e-9)
        step = _round_step(last - first, most, (1.0, 2.0, 5.0), minimum=1.0)
        return [10.0**e for e in _multiples(first, last, step)]
    return _multiples(low, high, _round_step(high - low, most, (1.0, 2.0, 2.5, 5.0)))


def _round_step(span: float, most: int, factors: tuple[float, ...], minimum: float = 0.0) -> float:
    """Smallest ``factor x 10^k``, at least ``minimum``, that cuts ``span`` in ``most`` steps."""
    power = 10.0 ** math.floor(math.log10(max(span / most, 1e-300)))
    power = max(power, minimum)
    return next(f * p for p in (power, 10 * power) for f in factors if span / (f * p) <= most)


def _multiples(low: float, high: float, step: float) -> list[float]:
    first = math.ceil(low / step - 1e-9)
    count = math.floor(high / step + 1e-9) - first
    return [round((first + k) * step, 12) + 0.0 for k in range(count + 1)]


def number_label(value: float) -> str:
    """``value`` as ``%g`` with a typographic minus sign (−1.5, not -1.5)."""
    return f"{value:g}".replace("-", "\u2212")


def power_label(exponent: int, sign: str = "") -> str:
    """``10`` to the ``exponent`` as plain text with Unicode superscripts (``10⁻³``).

    Plain text renders several times faster than mathtext, which matters for explorers.
    """
    if exponent == 0:
        return f"{sign}1"
    return f"{sign}10{str(exponent).translate(_SUPERSCRIPT)}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
