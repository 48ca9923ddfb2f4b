r"""The activation explorer: a function, its derivative and the dead units it leaves in a layer.

:func:`draw_activation` plots an activation :math:`f` and its derivative :math:`f'` and feeds
a random layer through it: 100 units read 20 standard-normal inputs through weights drawn from
:math:`\mathcal N(0, 1/20)`, plus a common bias :math:`b`, so each unit's pre-activation is
roughly :math:`z \sim \mathcal N(b, 1)`. The derivative panel shows where those pre-activations
fall, and the caption counts the *dead* units, those with :math:`f'(z) = 0` on every one of the
500 inputs: no gradient reaches their weights, so gradient descent can never revive them
(NNDL §4.1.2, the dying ReLU problem). :func:`activation_explorer` wraps it in an
:class:`~nndl_book.widgets.explorer.Explorer`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle
from matplotlib.transforms import Bbox, BboxTransform, BboxTransformTo, TransformedBbox, offset_copy

from nndl_book._validate import check_choice, check_int, check_number
from nndl_book.maths.activations import ACTIVATIONS, get_activation
from nndl_book.plots import PALETTE
from nndl_book.widgets.explorer import Control, Explorer

__all__ = [
    "ACTIVATION_PARAMETER",
    "DEFAULT_PARAMETER",
    "FRAME_ACTIVATIONS",
    "FRAME_BIASES",
    "activation_explorer",
    "dead_units",
    "draw_activation",
    "layer_preactivations",
]

#: The keyword parameter of each parameterised activation (α of the ReLU variants, β of swish).
ACTIVATION_PARAMETER: dict[str, str] = {
    name: next(iter(act.params)) for name, act in ACTIVATIONS.items() if act.params
}
#: Control value meaning "the activation's own default parameter" (α = 0.01 for leaky ReLU...).
DEFAULT_PARAMETER = "default"

#: Names shown in the figure titles.
_TITLES = {
    "identity": "identity", "sigmoid": "logistic σ", "tanh": "tanh",
    "hard_sigmoid": "hard logistic", "hard_tanh": "hard tanh", "relu": "ReLU",
    "leaky_relu": "leaky ReLU", "prelu": "PReLU", "elu": "ELU", "softplus": "softplus",
    "swish": "swish", "gelu": "GELU", "gelu_tanh": "GELU (tanh form)",
}
_SYMBOL = {"alpha": "α", "beta": "β"}

N_INPUTS, N_UNITS, N_SAMPLES = 20, 100, 500
_Z_RANGE = (-6.0, 6.0)
_GRID = np.linspace(*_Z_RANGE, 481)
_BINS = np.linspace(*_Z_RANGE, 61)
_BLUE, _VERMILLION = PALETTE[0], PALETTE[1]
_HIST, _DEAD, _AXIS, _GRIDLINE = "#c9c9c9", "#f6d9cc", "#9a9a9a", "#e3e3e3"
_INK = "#222222"
_XTICKS = (-6, -3, 0, 3, 6)


def _num(value: float) -> str:
    """A number as ``%g`` with a typographic minus sign."""
    return f"{value:g}".replace("-", "−")


def _nice_ticks(lo: float, hi: float) -> list[float]:
    """Three to five round ticks between ``lo`` and ``hi``, 0 among them when in range."""
    span = hi - lo
    step = next(s for s in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0) if span / s <= 5.0)
    first = math.ceil(lo / step - 1e-9) * step
    return [first + k * step for k in range(int((hi - first) / step + 1e-9) + 1)]


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
        yticks = _nice_ticks(y0, y1)
        grid = [[(x, y0), (x, y1)] for x in _XTICKS] + [[(x0, y), (x1, y)] for y in yticks]
        self._add(LineCollection(grid, colors=_GRIDLINE, linewidths=0.6, zorder=0.5,
                                 transform=self.data))
        zero = [[(0.0, y0), (0.0, y1)]] + ([[(x0, 0.0), (x1, 0.0)]] if y0 < 0 < y1 else [])
        self._add(LineCollection(zero, colors=_AXIS, linewidths=0.8, zorder=1,
                                 transform=self.data))
        self._add(LineCollection([[(0, 1), (0, 0), (1, 0)]], colors="#555555", linewidths=0.8,
                                 zorder=4, transform=self.axes), clip=False)
        below = offset_copy(self.data, fig=self.fig, y=-3, units="points")
        beside = offset_copy(self.data, fig=self.fig, x=-4, units="points")
        for x in _XTICKS:
            self.fig.text(x, y0, _num(x), transform=below, ha="center", va="top", fontsize=8.5,
                          color=_INK)
        for y in yticks:
            self.fig.text(x0, y, _num(y), transform=beside, ha="right", va="center",
                          fontsize=8.5, color=_INK)
        self.fig.text(0.5, -0.11, "z", transform=self.axes, ha="center", va="top",
                      fontsize=9.5, fontstyle="italic", color=_INK)

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
        self.fig.text(x, y, text, transform=self.axes, ha=ha, va="top", fontsize=8.5,
                      color=color, fontweight=weight, zorder=5,
                      bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none",
                            "alpha": 0.8})


@lru_cache(maxsize=8)
def _layer(seed: int) -> np.ndarray:
    """The layer's ``x @ W.T`` (read-only, cached: every frame of an explorer shares it)."""
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(N_SAMPLES, N_INPUTS))
    weights = rng.normal(scale=math.sqrt(1.0 / N_INPUTS), size=(N_UNITS, N_INPUTS))
    product = inputs @ weights.T
    product.setflags(write=False)
    return product


def layer_preactivations(bias: float = 0.0, seed: int = 0) -> np.ndarray:
    r"""Pre-activations :math:`z = x W^\top + b` of the explorer's random layer.

    The inputs :math:`x` are 500 rows of 20 standard-normal numbers and :math:`W` holds 100 rows
    of weights from :math:`\mathcal N(0, 1/20)`, drawn in that order from
    ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    bias : float, default 0.0
        Bias added to every unit; any finite number.
    seed : int, default 0
        Non-negative seed of the inputs and the weights.

    Returns
    -------
    numpy.ndarray
        Shape (500, 100): one row per input, one column per unit.
    """
    bias = _check_bias(bias)
    seed = check_int("seed", seed, minimum=0)
    return _layer(seed) + bias


def _check_bias(bias: object) -> float:
    b = check_number("bias", bias)
    if not math.isfinite(b):
        raise ValueError(f"bias must be a finite number, got {bias!r}")
    return b


def _resolve(name: object, parameter: object) -> tuple[str, dict[str, float], str]:
    """Validated ``(name, keyword parameters, text)``; ``parameter`` None means the default."""
    name = check_choice("activation", name, ACTIVATIONS)
    key = ACTIVATION_PARAMETER.get(name)
    if isinstance(parameter, str) and parameter != DEFAULT_PARAMETER:
        raise ValueError(
            f"parameter must be a number, None or {DEFAULT_PARAMETER!r}, got {parameter!r}"
        )
    if parameter is None or parameter == DEFAULT_PARAMETER:
        value = ACTIVATIONS[name].params.get(key) if key else None
    else:
        value = check_number("parameter", parameter)
        if not math.isfinite(value):
            raise ValueError(f"parameter must be a finite number, got {parameter!r}")
    if key is None:
        return name, {}, "no parameter"
    if name == "elu" and value <= 0:
        raise ValueError(f"ELU needs a positive α (parameter), got {value:g}")
    return name, {key: float(value)}, f"{_SYMBOL[key]} = {value:g}"


def dead_units(
    name: str = "relu", parameter: float | str | None = None, bias: float = 0.0, seed: int = 0
) -> float:
    """Fraction of the layer's units whose derivative is exactly 0 on every input.

    Parameters
    ----------
    name : str, default "relu"
        A key of :data:`nndl_book.maths.activations.ACTIVATIONS`.
    parameter : float or None, default None
        α of leaky ReLU, PReLU and ELU, β of swish; None (or ``"default"``) uses the
        activation's default. Ignored by activations without a parameter.
    bias : float, default 0.0
        Bias of every unit of the layer (see :func:`layer_preactivations`).
    seed : int, default 0
        Seed of the layer.

    Returns
    -------
    float
        Between 0 and 1.
    """
    name, params, _ = _resolve(name, parameter)
    slopes = get_activation(name).derivative(layer_preactivations(bias, seed), **params)
    return float(np.mean(np.all(slopes == 0.0, axis=0)))


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
        Seed of the layer's inputs and weights (see :func:`layer_preactivations`).

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
    name, params, param_text = _resolve(name, parameter)
    act = get_activation(name)
    z = layer_preactivations(bias, seed)
    bias = float(bias)
    slopes = act.derivative(z, **params)
    dead = int(np.sum(np.all(slopes == 0.0, axis=0)))
    f = act(_GRID, **params)
    df = act.derivative(_GRID, **params)

    fig = Figure(figsize=(7.0, 2.6))
    left = _Panel(fig, (0.07, 0.165, 0.405, 0.70), _padded(f, floor=(0.0, 1.0)))
    right = _Panel(fig, (0.575, 0.165, 0.41, 0.70), _padded(df, floor=(-0.1, 1.2)))

    # left: the function
    left.frame()
    left.curve(_GRID, f, _BLUE)
    title = _TITLES.get(name, name) + ("" if not params else f" ({param_text})")
    fig.text(0.07, 0.955, f"{title}:  f(z)", fontsize=10.5, va="top", color=_INK)

    # right: the derivative over the histogram of the layer's pre-activations; where f' = 0,
    # shaded, no gradient flows back to the unit's weights and bias
    flat = df == 0.0
    right.shade(_GRID, flat)
    right.frame()
    counts, _ = np.histogram(z, bins=_BINS)
    right.stairs(_BINS, counts / counts.max(), _HIST)
    right.curve(_GRID, df, _VERMILLION)
    fig.text(0.575, 0.955, f"f′(z) over the layer's z (grey), bias {_num(bias)}",
             fontsize=10.5, va="top", color=_INK)
    right.label(0.99, 0.985, f"dead units: {dead} of {N_UNITS}", ha="right",
                color=_VERMILLION if dead else "#555555", weight="bold" if dead else "normal")
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


def activation_explorer(**kwargs: Any) -> Explorer:
    """Explorer: activation, its parameter (α or β) and the layer's bias → curves and dead units.

    On the static page the grid is activation × bias (each activation with its default
    parameter: α = 0.01 for leaky ReLU, 0.25 for PReLU, 1 for ELU, β = 1 for swish); with a
    kernel the parameter can be changed as well and every activation of
    :data:`nndl_book.maths.activations.ACTIVATIONS` is offered.

    Parameters
    ----------
    **kwargs
        Passed to :class:`~nndl_book.widgets.explorer.Explorer` (``title``, ``defaults``,
        ``mode``, ``dpi``, ...).
    """
    controls = [
        Control("activation", list(FRAME_ACTIVATIONS),
                live_values=[n for n in ACTIVATIONS if n != "identity"]),
        Control("bias", list(FRAME_BIASES), label="layer bias b",
                live_values=[-5.0, -4.0, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5,
                             1.0]),
        Control("parameter", [DEFAULT_PARAMETER], label="α or β",
                live_values=[DEFAULT_PARAMETER, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0]),
    ]
    kwargs.setdefault("title", "Activation functions and dead units")
    kwargs.setdefault("defaults", {"activation": "relu", "bias": 0.0})
    return Explorer(_draw_control, controls, **kwargs)
