"""The initialisation explorer: how the signal and the gradient change layer by layer.

:func:`draw_initialisation` plots what :func:`nndl_book.engine.probes.layer_statistics`
measures in a deep stack of square layers at initialisation: the activations' mean ± std per
layer and, on a log axis, the activations' std and the weight-gradient norm per layer.
:func:`initialisation_explorer` lets the reader change the initialisation scheme, the
activation, the depth and (with a kernel) the width.

Tick labels are plain text with Unicode superscripts (10⁻³), not mathtext, and the ticks, grid
and axis labels are drawn as a few plain artists over the Axes rather than by matplotlib's tick
machinery, which builds several artists per tick and measures every label on every draw; what
depends on the depth alone (the layer axis, titles, y labels) is painted once per depth and
reused as pixels (:class:`~nndl_book.plots.render.CachedBackground`). A live update then costs
about half as much.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN, TICKLEFT
from matplotlib.ticker import MaxNLocator, NullLocator
from matplotlib.transforms import offset_copy

from nndl_book.engine.probes import INIT_SCHEMES, LayerStatistics, layer_statistics
from nndl_book.maths.activations import get_activation
from nndl_book.plots.render import CachedBackground
from nndl_book.plots.style import (
    BLUE,
    GREY,
    GRID_LINE,
    INK,
    PANEL_LABEL_SIZE,
    PANEL_TICK_SIZE,
    VERMILLION,
    nice_ticks,
    number_label,
    power_label,
    style_axes,
)
from nndl_book.widgets.explorer import Control, Explorer, check_options

__all__ = ["draw_initialisation", "initialisation_explorer"]


def _exponents(low: float, high: float, most: int) -> list[int]:
    """Exponents of the powers of ten to label between ``low`` and ``high`` (both > 0)."""
    return [round(math.log10(t)) for t in nice_ticks(low, high, most=most, log=True)]


_FIGSIZE = (8.0, 2.7)
#: Titles and y labels of the two panels.
_TITLES = ("activations: mean ± std", "signal and gradient per layer")
_YLABELS = ("activation a⁽ˡ⁾", "size (log scale)")
# The y label's distance from the axis (points): room for the widest tick label, "−10¹⁵".
_YLABEL_OFFSET = 5.5 + 0.62 * PANEL_TICK_SIZE * 5 + 4.0
Ticks = tuple[list[float], list[str]]


def _panels(fig: Figure, depth: int) -> tuple[Axes, Axes]:
    """The two Axes at their fixed places, x from layer 1 to ``depth``, without ticks."""
    fig.subplots_adjust(left=0.09, right=0.985, bottom=0.17, top=0.9, wspace=0.3)
    panels = fig.subplots(1, 2)
    for ax in panels:
        style_axes(ax, grid=False)
        ax.autoscale(False)  # both panels set their limits; autoscaling 1e300 would overflow
        ax.set_xlim(0.5, depth + 0.5)
    return panels[0], panels[1]


def _no_ticks(ax: Axes) -> None:
    """Switch matplotlib's tick machinery off (after the scale is set: it resets locators)."""
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(NullLocator())
        axis.set_minor_locator(NullLocator())


def _linear_ticks(low: float, high: float) -> Ticks:
    ticks = nice_ticks(low, high)
    return ticks, [number_label(t) for t in ticks]


def _paint_static(depth: int) -> Any:
    """Painter of what depends on the depth alone (for ``CachedBackground``): the layer axis
    with its grid, ticks and labels, the titles and the y labels."""

    def paint(fig: Figure) -> None:
        for ax, title, ylabel in zip(_panels(fig, depth), _TITLES, _YLABELS):
            ax.set_axis_off()
            x0, x1 = ax.get_xlim()
            xticks = [float(t) for t in MaxNLocator(integer=True, nbins=6).tick_values(x0, x1)
                      if x0 <= t <= x1]
            along_x = ax.get_xaxis_transform()
            ax.add_collection(LineCollection(
                [[(x, 0.0), (x, 1.0)] for x in xticks], colors=GRID_LINE, linewidths=0.6,
                alpha=0.7, transform=along_x), autolim=False)
            ax.add_line(Line2D(xticks, [0.0] * len(xticks), ls="none", marker=TICKDOWN,
                               ms=3.5, mew=0.8, color=INK, transform=along_x, clip_on=False))
            below = offset_copy(along_x, fig=fig, y=-5.5, units="points")
            for x in xticks:
                ax.text(x, 0.0, f"{x:g}", transform=below, ha="center", va="top",
                        fontsize=PANEL_TICK_SIZE, color=INK)
            ax.text(0.5, 0.0, "hidden layer l", fontsize=PANEL_LABEL_SIZE, ha="center", va="top",
                    transform=offset_copy(ax.transAxes, fig=fig, y=-19.0, units="points"))
            ax.text(0.5, 1.02, title, transform=ax.transAxes, ha="center", va="bottom",
                    fontsize=10)
            ax.text(0.0, 0.5, ylabel, fontsize=PANEL_LABEL_SIZE, ha="center", va="bottom",
                    rotation=90, rotation_mode="anchor", transform=offset_copy(
                        ax.transAxes, fig=fig, x=-_YLABEL_OFFSET, units="points"))

    return paint


def _y_furniture(ax: Axes, yticks: Ticks) -> None:
    """The y grid, tick marks and tick labels of a panel, as a few plain artists."""
    _no_ticks(ax)
    fig = ax.get_figure()
    along_y = ax.get_yaxis_transform()
    ax.add_collection(LineCollection([[(0.0, y), (1.0, y)] for y in yticks[0]],
                                     colors=GRID_LINE, linewidths=0.6, alpha=0.7, zorder=0.5,
                                     transform=along_y), autolim=False)
    ax.add_line(Line2D([0.0] * len(yticks[0]), yticks[0], ls="none", marker=TICKLEFT, ms=3.5,
                       mew=0.8, color=INK, transform=along_y, clip_on=False))
    beside = offset_copy(along_y, fig=fig, x=-5.5, units="points")
    for y, label in zip(*yticks):
        ax.text(0.0, y, label, transform=beside, ha="right", va="center",
                fontsize=PANEL_TICK_SIZE, color=INK, clip_on=False)


def _draw_activations(ax: Axes, stats: LayerStatistics) -> None:
    """Mean ± std band; linear for bounded outputs, symmetric-log when values grow large."""
    f = get_activation(stats.activation)
    layers = np.arange(1, stats.mean.size + 1)
    lo, hi = stats.mean - stats.std, stats.mean + stats.std
    ax.fill_between(layers, lo, hi, color=BLUE, alpha=0.2, lw=0)
    ax.plot(layers, stats.mean, color=BLUE, marker="o", ms=3.5, lw=1.6)
    ax.axhline(0, color=GREY, lw=0.8, zorder=1)
    low, high = f.output_range
    top = float(np.max(np.abs(np.concatenate([lo, hi])))) if layers.size else 1.0
    if math.isfinite(low) and math.isfinite(high):
        pad = 0.06 * (high - low)
        for edge in (low, high):
            ax.axhline(edge, color=GREY, lw=0.8, ls=":", zorder=1)
        ax.set_ylim(low - pad, high + pad)
        yticks = _linear_ticks(low - pad, high + pad)
    elif top > 10:
        # exploding activations: a symmetric log axis, linear within ±1
        ax.set_yscale("symlog", linthresh=1.0)
        negative = layers.size > 0 and float(np.min(lo)) < -1
        limit = 3 * min(top, 1e300)
        ax.set_ylim(-limit if negative else -1.0, limit)
        exponents = [e for e in _exponents(1.0, top, most=4) if e > 0]
        ticks = [0.0] + [10.0**e for e in exponents]
        labels = ["0"] + [power_label(e) for e in exponents]
        if negative:
            ticks = [-(10.0**e) for e in exponents[::-1]] + ticks
            labels = [power_label(e, "−") for e in exponents[::-1]] + labels
        yticks = (ticks, labels)
    else:
        ax.set_ylim(min(-0.5, 1.1 * float(np.min(lo))), max(1.5, 1.1 * top))
        yticks = _linear_ticks(*ax.get_ylim())
    _y_furniture(ax, yticks)


def _draw_scales(ax: Axes, stats: LayerStatistics) -> None:
    """Activation std and gradient norm per layer on one log axis."""
    ax.set_yscale("log")
    std_layers = np.arange(1, stats.std.size + 1)
    grad_layers = np.arange(1, stats.grad_norms.size + 1)
    ax.axhline(1.0, color=GREY, lw=0.8, ls="--", zorder=1)
    shown = []
    for layers, values, color, marker in (
        (std_layers, stats.std, BLUE, "o"),
        (grad_layers, stats.grad_norms, VERMILLION, "s"),
    ):
        positive = values > 0
        if np.any(positive):
            ax.plot(layers[positive], values[positive], color=color, marker=marker, ms=3.5,
                    lw=1.6)
            shown.append(values[positive])
    values = np.concatenate(shown) if shown else np.ones(1)
    bottom = min(float(values.min()), 1e-2) / 4
    top = min(max(float(values.max()), 1e2) * 4, 1e300)
    ax.set_ylim(bottom, top)
    exponents = _exponents(bottom, top, most=6)
    _y_furniture(ax, ([10.0**e for e in exponents], [power_label(e) for e in exponents]))
    if stats.overflow_layer is not None:
        ax.text(0.5, 0.5, f"overflow (inf) at layer {stats.overflow_layer}:\nno gradient",
                transform=ax.transAxes, ha="center", va="center", fontsize=10, color=VERMILLION)
    handles = [Line2D([], [], color=BLUE, marker="o", ms=3.5, lw=1.6),
               Line2D([], [], color=VERMILLION, marker="s", ms=3.5, lw=1.6)]
    ax.legend(handles, ["std of a⁽ˡ⁾", "‖∂L/∂W⁽ˡ⁾‖"], fontsize=8, framealpha=0.85, loc="best")


def _statistics(scheme: Any, depth: Any, activation: Any, width: Any) -> LayerStatistics:
    """:func:`layer_statistics`, kept for the last settings: moving a control back is free."""
    try:
        hash((scheme, depth, activation, width))
    except TypeError:  # not a valid setting: layer_statistics names the argument
        return layer_statistics(scheme, depth, activation, width=width)
    return _kept_statistics(scheme, depth, activation, width)


@lru_cache(maxsize=64, typed=True)  # typed: depth=True or 10.0 is checked, not taken for 1, 10
def _kept_statistics(scheme: str, depth: int, activation: str, width: int) -> LayerStatistics:
    stats = layer_statistics(scheme, depth, activation, width=width)
    for values in (stats.mean, stats.std, stats.saturated, stats.zero, stats.grad_norms):
        if values is not None:
            values.setflags(write=False)  # shared by every figure drawn from the cache
    return stats


def draw_initialisation(
    scheme: str = "Xavier", activation: str = "tanh", depth: int = 10, width: int = 100
) -> tuple[Figure, dict[str, Any]]:
    """Activation mean ± std and, on a log axis, activation std and gradient norm per layer.

    Parameters
    ----------
    scheme : str
        A key of :data:`INIT_SCHEMES`.
    activation : str
        Hidden activation name.
    depth : int
        Number of hidden layers.
    width : int
        Units per layer.

    Returns
    -------
    figure : matplotlib.figure.Figure
    numbers : dict
        The last layer's activation std, the gradient ratio ``‖∂W⁽¹⁾‖/‖∂W⁽ᴸ⁾‖`` and the
        last layer's saturated (bounded activations) or zero fraction; or where it overflowed.
    """
    stats = _statistics(scheme, depth, activation, width)
    fig = Figure(figsize=_FIGSIZE)
    fig.add_artist(CachedBackground(("initialisation", stats.depth), _paint_static(stats.depth),
                                    _FIGSIZE))
    left, right = _panels(fig, stats.depth)
    for ax in (left, right):
        ax.patch.set_visible(False)  # the white figure shows through, over the background
    _draw_activations(left, stats)
    _draw_scales(right, stats)
    if stats.overflow_layer is not None:
        return fig, {"overflow": f"activations reach inf at layer {stats.overflow_layer}"}
    numbers = {
        "std of last layer": f"{stats.std[-1]:.3g}",
        "‖∂W⁽¹⁾‖ / ‖∂W⁽ᴸ⁾‖": f"{stats.gradient_ratio:.3g}",
    }
    if stats.saturated is not None:
        numbers["saturated in last layer"] = f"{stats.saturated[-1]:.0%}"
    else:
        numbers["zeros in last layer"] = f"{stats.zero[-1]:.0%}"
    return fig, numbers


def initialisation_explorer(**options: Any) -> Explorer:
    """Explorer: initialisation scheme, activation, depth (and width live) → per-layer statistics.

    The static page holds the 4 schemes × 3 activations for 20 hidden layers of width 100 (the
    plots run over the layers, so a shallower network is the left part of the picture); with a
    kernel, more activations, depths and widths are offered.

    Parameters
    ----------
    **options
        A starting value for a control (``scheme``, ``activation``, ``depth``, ``width``), or
        an option of :class:`Explorer` (``title``, ``defaults``, ``mode``, ``dpi``, ...).
    """
    controls = [
        Control("scheme", list(INIT_SCHEMES), label="initialisation"),
        Control("activation", ["sigmoid", "tanh", "relu"],
                live_values=["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu",
                             "identity"]),
        Control("depth", [20], label="hidden layers", live_values=[2, 5, 10, 20, 50]),
        Control("width", [100], label="width", live_values=[10, 30, 100, 300]),
    ]
    kwargs = check_options("initialisation_explorer", controls, options)
    kwargs.setdefault("title", "Initialisation and the signal through a deep network")
    kwargs["defaults"] = {"scheme": "Xavier", "activation": "tanh", **kwargs["defaults"]}
    explorer = Explorer(draw_initialisation, controls, **kwargs)
    if explorer.mode == "live":  # paint every depth's axes now, so that no later move waits
        for depth in controls[2].live_values or ():
            CachedBackground(("initialisation", depth), _paint_static(depth), _FIGSIZE).pixels(
                explorer.dpi)
    return explorer
