r"""The activation explorer: a function, its derivative and the dead units it leaves in a layer.

:func:`draw_activation` plots an activation :math:`f` and its derivative :math:`f'` and feeds
the random layer of :func:`nndl_book.engine.probes.layer_preactivations` through it (100
units, pre-activations roughly :math:`z \sim \mathcal N(b, 1)`). The derivative panel shows
where those pre-activations fall, and the caption counts the *dead* units
(:func:`nndl_book.engine.probes.dead_units`). :func:`activation_explorer` wraps it in an
:class:`~nndl_book.widgets.explorer.Explorer`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle
from matplotlib.transforms import Bbox, BboxTransform, BboxTransformTo, TransformedBbox, offset_copy

from nndl_book.engine.probes import (
    ACTIVATION_PARAMETER,
    DEFAULT_PARAMETER,
    N_UNITS,
    activation_setting,
    dead_units,
    layer_preactivations,
)
from nndl_book.maths.activations import ACTIVATIONS, get_activation
from nndl_book.plots.style import (
    BLUE,
    GREY,
    GRID_LINE,
    INK,
    MUTED,
    PANEL_LABEL_SIZE,
    PANEL_TICK_SIZE,
    VERMILLION,
    ZERO_LINE,
    lighten,
    nice_ticks,
    number_label,
)
from nndl_book.widgets.explorer import Control, Explorer, check_options

__all__ = ["FRAME_ACTIVATIONS", "FRAME_BIASES", "activation_explorer", "draw_activation"]

#: Names shown in the figure titles.
_TITLES = {
    "identity": "identity", "sigmoid": "logistic σ", "tanh": "tanh",
    "hard_sigmoid": "hard logistic", "hard_tanh": "hard tanh", "relu": "ReLU",
    "leaky_relu": "leaky ReLU", "prelu": "PReLU", "elu": "ELU", "softplus": "softplus",
    "swish": "swish", "gelu": "GELU", "gelu_tanh": "GELU (tanh form)",
}
_Z_RANGE = (-6.0, 6.0)
_GRID = np.linspace(*_Z_RANGE, 481)
_BINS = np.linspace(*_Z_RANGE, 61)
_HIST = lighten(GREY, 0.6)  # the histogram of the layer's pre-activations
_DEAD = lighten(VERMILLION, 0.8)  # shading where f'(z) = 0
_XTICKS = (-6, -3, 0, 3, 6)


def _padded(values: np.ndarray, floor: tuple[float, float]) -> tuple[float, float]:
    """y-limits holding ``values`` and the interval ``floor``, with an 8 % margin."""
    lo, hi = min(float(values.min()), floor[0]), max(float(values.max()), floor[1])
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


class _Panel:
    """A plot panel drawn straight onto the figure, without an Axes.

    An Axes with its ticks costs most of the time of a small figure; this draws the same
    picture (grid, left and bottom spines, tick labels, clipped curves) from a handful of
    artists, so a frame renders about three times faster.
    """

    def __init__(self, fig: Figure, rect: tuple[float, float, float, float],
                 ylim: tuple[float, float]) -> None:
        self.fig, self.ylim = fig, ylim
        box = Bbox.from_bounds(*rect)
        data = Bbox.from_extents(_Z_RANGE[0], ylim[0], _Z_RANGE[1], ylim[1])
        self.data = BboxTransform(data, box) + fig.transFigure
        self.axes = BboxTransformTo(box) + fig.transFigure  # (0, 0)-(1, 1) is the panel
        self.clip = TransformedBbox(box, fig.transFigure)

    def _add(self, artist: Any, clip: bool = True) -> None:
        if clip:
            artist.set_clip_box(self.clip)
        self.fig.add_artist(artist)

    def frame(self) -> None:
        """Grid, zero lines, spines, tick labels and the z label."""
        (x0, x1), (y0, y1) = _Z_RANGE, self.ylim
        yticks = nice_ticks(y0, y1)
        grid = [[(x, y0), (x, y1)] for x in _XTICKS] + [[(x0, y), (x1, y)] for y in yticks]
        self._add(LineCollection(grid, colors=GRID_LINE, linewidths=0.6, zorder=0.5,
                                 transform=self.data))
        zero = [[(0.0, y0), (0.0, y1)]] + ([[(x0, 0.0), (x1, 0.0)]] if y0 < 0 < y1 else [])
        self._add(LineCollection(zero, colors=ZERO_LINE, linewidths=0.8, zorder=1,
                                 transform=self.data))
        self._add(LineCollection([[(0, 1), (0, 0), (1, 0)]], colors=MUTED, linewidths=0.8,
                                 zorder=4, transform=self.axes), clip=False)
        below = offset_copy(self.data, fig=self.fig, y=-3, units="points")
        beside = offset_copy(self.data, fig=self.fig, x=-4, units="points")
        for x in _XTICKS:
            self.fig.text(x, y0, number_label(x), transform=below, ha="center", va="top",
                          fontsize=PANEL_TICK_SIZE,
                          color=INK)
        for y in yticks:
            self.fig.text(x0, y, number_label(y), transform=beside, ha="right", va="center",
                          fontsize=PANEL_TICK_SIZE, color=INK)
        self.fig.text(0.5, -0.11, "z", transform=self.axes, ha="center", va="top",
                      fontsize=PANEL_LABEL_SIZE, fontstyle="italic", color=INK)

    def curve(self, x: np.ndarray, y: np.ndarray, color: str) -> None:
        self._add(Line2D(x, y, color=color, linewidth=2.2, zorder=3, transform=self.data,
                         solid_capstyle="butt"))

    def stairs(self, edges: np.ndarray, heights: np.ndarray, color: str) -> None:
        """A histogram as one filled polygon: ``heights[i]`` over ``edges[i]``..``edges[i+1]``."""
        xs = np.repeat(edges, 2)
        ys = np.concatenate([[0.0], np.repeat(heights, 2), [0.0]])
        self._add(Polygon(np.column_stack([xs, ys]), closed=True, facecolor=color,
                          edgecolor="none", alpha=0.8, zorder=2, transform=self.data))

    def shade(self, x: np.ndarray, where: np.ndarray) -> None:
        """Shade the full height of the panel over each run of ``x`` where ``where`` holds."""
        edges = np.flatnonzero(np.diff(np.concatenate([[0], where.astype(np.int8), [0]])))
        for start, stop in zip(edges[::2], edges[1::2]):
            a, b = x[start], x[stop - 1]
            self._add(Rectangle((a, self.ylim[0]), b - a, self.ylim[1] - self.ylim[0],
                                facecolor=_DEAD, edgecolor="none", zorder=0.2,
                                transform=self.data))

    def label(self, x: float, y: float, text: str, *, ha: str, color: str,
              weight: str = "normal") -> None:
        """Text at panel fraction ``(x, y)``, on a white backing."""
        self.fig.text(x, y, text, transform=self.axes, ha=ha, va="top", fontsize=PANEL_TICK_SIZE,
                      color=color, fontweight=weight, zorder=5,
                      bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none",
                            "alpha": 0.8})


def draw_activation(
    name: str = "relu",
    parameter: float | str | None = None,
    bias: float = 0.0,
    seed: int = 0,
) -> tuple[Figure, dict[str, Any]]:
    r"""Plot an activation and its derivative, and count the dead units of a random layer.

    The left panel shows :math:`f(z)`, the right one :math:`f'(z)` over the histogram of the
    layer's pre-activations (grey, scaled to height 1) and, shaded, the inputs where
    :math:`f'(z) = 0`.

    Parameters
    ----------
    name : str, default "relu"
        A key of :data:`nndl_book.maths.activations.ACTIVATIONS`.
    parameter : float or None, default None
        α of leaky ReLU, PReLU and ELU (positive for ELU), β of swish; None (or ``"default"``)
        uses the activation's default. Ignored by activations without a parameter.
    bias : float, default 0.0
        Bias of every unit of the layer; any finite number.
    seed : int, default 0
        Seed of the layer's inputs and weights (see
        :func:`nndl_book.engine.probes.layer_preactivations`).

    Returns
    -------
    (Figure, dict)
        The figure (7.0 x 2.6 inches) and the numbers of the caption: ``"dead units"``
        (e.g. ``"61 of 100"``), ``"mean f′(z) over the layer"`` (the mean derivative over all
        units and inputs) and, for an activation with a parameter, ``"parameter used"``
        (e.g. ``"α = 0.01"``).

    Raises
    ------
    ValueError
        For an unknown ``name`` (the message lists the valid ones), an infinite or NaN
        ``parameter`` or ``bias``, a string ``parameter`` other than ``"default"``, a
        non-positive α for ELU or a negative ``seed``.
    TypeError
        For a ``name`` that is not a string, a ``bias`` or ``parameter`` that is not a number or
        a ``seed`` that is not an integer.
    """
    name, params, param_text = activation_setting(name, parameter)
    act = get_activation(name)
    z = layer_preactivations(bias, seed)
    bias = float(bias)
    slopes = act.derivative(z, **params)
    dead = round(dead_units(name, parameter, bias, seed) * N_UNITS)
    f = act(_GRID, **params)
    df = act.derivative(_GRID, **params)

    fig = Figure(figsize=(7.0, 2.6))
    left = _Panel(fig, (0.07, 0.165, 0.405, 0.70), _padded(f, floor=(0.0, 1.0)))
    right = _Panel(fig, (0.575, 0.165, 0.41, 0.70), _padded(df, floor=(-0.1, 1.2)))

    # left: the function
    left.frame()
    left.curve(_GRID, f, BLUE)
    title = _TITLES.get(name, name) + ("" if not params else f" ({param_text})")
    fig.text(0.07, 0.955, f"{title}:  f(z)", fontsize=10.5, va="top", color=INK)

    # right: the derivative over the histogram of the layer's pre-activations; where f' = 0,
    # shaded, no gradient flows back to the unit's weights and bias
    flat = df == 0.0
    right.shade(_GRID, flat)
    right.frame()
    counts, _ = np.histogram(z, bins=_BINS)
    right.stairs(_BINS, counts / counts.max(), _HIST)
    right.curve(_GRID, df, VERMILLION)
    fig.text(0.575, 0.955, f"f′(z) over the layer's z (grey), bias {number_label(bias)}",
             fontsize=10.5, va="top", color=INK)
    right.label(0.99, 0.985, f"dead units: {dead} of {N_UNITS}", ha="right",
                color=VERMILLION if dead else MUTED, weight="bold" if dead else "normal")
    if flat.any():
        right.label(0.015, 0.985, "shaded: f′(z) = 0", ha="left", color="#b8542a")
    numbers = {"dead units": f"{dead} of {N_UNITS}",
               "mean f′(z) over the layer": f"{float(np.mean(slopes)):.3g}"}
    if params:
        numbers["parameter used"] = param_text
    return fig, numbers


def _draw_control(activation: str = "relu", parameter: float | str = DEFAULT_PARAMETER,
                  bias: float = 0.0) -> tuple[Figure, dict[str, Any]]:
    return draw_activation(activation, parameter, bias)


#: Activations offered on the static page (every one of ACTIVATIONS with a kernel).
FRAME_ACTIVATIONS = ("sigmoid", "tanh", "hard_tanh", "relu", "leaky_relu", "elu", "softplus",
                     "swish", "gelu")
#: Layer biases offered on the static page.
FRAME_BIASES = (-4.0, -3.0, -2.0, 0.0)


def activation_explorer(**options: Any) -> Explorer:
    """Explorer: activation, its parameter (α or β) and the layer's bias → curves and dead units.

    On the static page the grid is activation × bias (each activation with its default
    parameter: α = 0.01 for leaky ReLU, 0.25 for PReLU, 1 for ELU, β = 1 for swish); with a
    kernel the parameter can be changed as well and every activation of
    :data:`nndl_book.maths.activations.ACTIVATIONS` is offered.

    The α/β control is offered only with a kernel, and shown only for an activation that has
    such a parameter.

    Parameters
    ----------
    **options
        A starting value for a control (``activation``, ``bias``, ``parameter``), or an option
        of :class:`~nndl_book.widgets.explorer.Explorer` (``title``, ``defaults``, ``mode``,
        ``dpi``, ...).
    """
    controls = [
        Control("activation", list(FRAME_ACTIVATIONS),
                live_values=[n for n in ACTIVATIONS if n != "identity"]),
        Control("bias", list(FRAME_BIASES), label="layer bias b",
                live_values=[-5.0, -4.0, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5,
                             1.0]),
        Control("parameter", [DEFAULT_PARAMETER], label="α or β",
                live_values=[DEFAULT_PARAMETER, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0],
                applies=lambda p: p["activation"] in ACTIVATION_PARAMETER, live_only=True),
    ]
    kwargs = check_options("activation_explorer", controls, options)
    kwargs.setdefault("title", "Activation functions and dead units")
    kwargs["defaults"] = {"activation": "relu", "bias": 0.0, **kwargs["defaults"]}
    return Explorer(_draw_control, controls, **kwargs)
