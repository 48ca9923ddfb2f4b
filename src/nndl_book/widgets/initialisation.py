r"""The initialisation explorer: how the signal and the gradient change layer by layer.

A deep stack of ``depth`` square fully connected layers of ``width`` units (no biases) reads a
batch of standard-normal inputs. :func:`layer_statistics` pushes the batch forward and records
the mean and standard deviation of every hidden layer's activations; then it back-propagates a
fixed random error signal from the last layer, as Glorot and Bengio (2010) did, and records the
norm of every weight gradient:

.. math::

    L = \frac1N \sum_{n=1}^N \mathbf e_n^\top \mathbf a^{(L)}_n, \qquad
    \mathbf e_n \sim \mathcal N(0, I),

so :math:`\partial L / \partial \mathbf a^{(L)} = \mathbf e_n / N` and every layer's gradient is
measured with the same kind of error signal, whatever the activation.
:func:`draw_initialisation` plots both; :func:`initialisation_explorer` lets the reader change
the initialisation scheme, the activation, the depth and (with a kernel) the width.

Activations that overflow to infinity (very deep networks with large weights) do not raise:
the statistics stop at the last finite layer and :attr:`LayerStatistics.overflow_layer` says
where the signal left float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, NullLocator

from nndl_book import _validate as v
from nndl_book.maths.activations import get_activation
from nndl_book.maths.init import initialize
from nndl_book.plots import PALETTE
from nndl_book.widgets.explorer import Control, Explorer

__all__ = [
    "INIT_SCHEMES",
    "LayerStatistics",
    "draw_initialisation",
    "initialisation_explorer",
    "layer_statistics",
]

#: Scheme label -> (``nndl_book.maths.init`` name, its keyword arguments).
INIT_SCHEMES: dict[str, tuple[str, dict[str, float]]] = {
    "N(0, 0.01²)": ("normal", {"std": 0.01}),
    "N(0, 1)": ("normal", {"std": 1.0}),
    "Xavier": ("xavier_normal", {}),
    "He": ("he_normal", {}),
}

#: A bounded activation's output counts as saturated this close to its range's ends (as in
#: ``nndl_book.training.diagnostics.activation_stats``): sigmoid below 0.025 or above 0.975.
SATURATION = 0.95

_BLUE, _VERMILLION = PALETTE[0], PALETTE[1]
_GREY = "#7f7f7f"


@dataclass(frozen=True)
class LayerStatistics:
    """What :func:`layer_statistics` measured, one entry per hidden layer ``l = 1 .. depth``.

    Attributes
    ----------
    scheme, activation : str
    depth, width : int
    mean, std : numpy.ndarray, shape (k,)
        Mean and standard deviation of layer ``l``'s activations over the batch and the units;
        ``k = depth``, or fewer when the activations overflowed.
    saturated : numpy.ndarray, shape (k,), or None
        Fraction of saturated outputs of a bounded activation (sigmoid, tanh, ...), else None.
    zero : numpy.ndarray, shape (k,)
        Fraction of outputs exactly 0 (dead ReLU units show up here).
    grad_norms : numpy.ndarray, shape (depth,), or shape (0,)
        Frobenius norm of :math:`\\partial L/\\partial W^{(l)}`; empty after an overflow.
    overflow_layer : int or None
        First layer whose net input, activation statistics or weight gradient is not finite
        in float64 (about 1.8e308), else None.
    """

    scheme: str
    activation: str
    depth: int
    width: int
    mean: np.ndarray
    std: np.ndarray
    saturated: np.ndarray | None
    zero: np.ndarray
    grad_norms: np.ndarray
    overflow_layer: int | None

    @property
    def gradient_ratio(self) -> float:
        """``‖∂L/∂W⁽¹⁾‖ / ‖∂L/∂W⁽ᴸ⁾‖``: below 1 the gradient vanishes towards the input."""
        if self.grad_norms.size == 0 or self.grad_norms[-1] == 0:
            return math.nan
        return float(self.grad_norms[0] / self.grad_norms[-1])


def _check_scheme(scheme: object) -> str:
    if not isinstance(scheme, str):
        raise TypeError(
            f"scheme must be a string, one of {list(INIT_SCHEMES)}, got {type(scheme).__name__}"
        )
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {list(INIT_SCHEMES)}")
    return scheme


def _mean_std(a: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of ``a``, computed on ``a / max|a|`` so that the squares
    do not overflow while the entries themselves are finite."""
    scale = float(np.max(np.abs(a)))
    if scale == 0 or not math.isfinite(scale):
        return scale * 0.0, scale * 0.0
    b = a / scale
    return scale * float(b.mean()), scale * float(b.std())


def _norm(a: np.ndarray) -> float:
    """Frobenius norm of ``a``, scaled like :func:`_mean_std` so that finite entries give a
    finite norm whenever the norm itself is below the float64 maximum."""
    scale = float(np.max(np.abs(a)))
    if scale == 0 or not math.isfinite(scale):
        return scale
    return scale * float(np.linalg.norm(a / scale))


def layer_statistics(
    scheme: str,
    depth: int,
    activation: str,
    width: int = 100,
    n_samples: int = 200,
    seed: int = 0,
) -> LayerStatistics:
    """Per-layer activation statistics and weight-gradient norms of a deep MLP at initialisation.

    Parameters
    ----------
    scheme : str
        A key of :data:`INIT_SCHEMES`, e.g. ``"Xavier"``.
    depth : int
        Number of hidden layers, at least 1.
    activation : str
        Hidden activation, a ``nndl_book.maths.activations`` name.
    width : int, default 100
        Units per layer (and input features).
    n_samples : int, default 200
        Rows of the standard-normal input batch, at least 2.
    seed : int, default 0
        Seed of the input batch, the error signal and the weights (drawn in that order, so the
        same seed gives every scheme the same inputs).

    Returns
    -------
    LayerStatistics
    """
    scheme = _check_scheme(scheme)
    f = get_activation(activation)
    depth = v.check_int("depth", depth, minimum=1)
    width = v.check_int("width", width, minimum=1)
    n_samples = v.check_int("n_samples", n_samples, minimum=2)
    seed = v.check_int("seed", seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_samples, width))
    error = rng.standard_normal((n_samples, width))
    init, kwargs = INIT_SCHEMES[scheme]
    weights = [initialize(init, (width, width), rng=rng, **kwargs) for _ in range(depth)]

    bounds = f.output_range if f.saturates and all(map(math.isfinite, f.output_range)) else None
    inputs, net_inputs = [x], []
    mean, std, saturated, zero = [], [], [], []
    overflow = None
    a = x
    with np.errstate(all="ignore"):
        for layer, W in enumerate(weights, start=1):
            z = a @ W.T
            a = f(z)
            m, s = _mean_std(a)
            if not (np.all(np.isfinite(z)) and math.isfinite(m) and math.isfinite(s)):
                overflow = layer
                break
            net_inputs.append(z)
            inputs.append(a)
            mean.append(m)
            std.append(s)
            zero.append(float(np.mean(a == 0.0)))
            if bounds is not None:
                mid, half = (bounds[0] + bounds[1]) / 2, (bounds[1] - bounds[0]) / 2
                saturated.append(float(np.mean(np.abs(a - mid) >= SATURATION * half)))
        grads: list[float] = []
        if overflow is None:
            g = error / n_samples  # dL/da of the last layer
            for layer in range(depth, 0, -1):
                delta = g * f.derivative(net_inputs[layer - 1])
                grad_W = delta.T @ inputs[layer - 1]
                norm = _norm(grad_W)
                if not math.isfinite(norm):
                    overflow, grads = layer, []
                    break
                grads.append(norm)
                g = delta @ weights[layer - 1]
    return LayerStatistics(
        scheme=scheme,
        activation=activation,
        depth=depth,
        width=width,
        mean=np.array(mean),
        std=np.array(std),
        saturated=None if bounds is None else np.array(saturated),
        zero=np.array(zero),
        grad_norms=np.array(grads[::-1]),
        overflow_layer=overflow,
    )


# ---------------------------------------------------------------------------------- drawing
# Tick labels are plain text with Unicode superscripts (10⁻³), not mathtext: a frame then
# renders several times faster, which matters when a page precomputes dozens of them.

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_label(exponent: int, sign: str = "") -> str:
    if exponent == 0:
        return f"{sign}1"
    return f"{sign}10{str(exponent).translate(_SUPERSCRIPT)}"


def _decade_ticks(low: float, high: float, most: int = 6) -> list[int]:
    """Exponents of the powers of ten to label between ``low`` and ``high`` (both > 0)."""
    first, last = math.ceil(math.log10(low)), math.floor(math.log10(high))
    step = max(1, math.ceil((last - first + 1) / most))
    start = step * math.ceil(first / step)
    return list(range(start, last + 1, step))


def _style(ax: Axes, depth: int) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8.5)
    ax.grid(True, color="#d0d0d0", linewidth=0.6, alpha=0.7)
    ax.set_axisbelow(True)
    ax.autoscale(False)  # both panels set their limits; autoscaling 1e300 would overflow
    ax.set_xlim(0.5, depth + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.set_xlabel("hidden layer l", fontsize=9.5)


def _draw_activations(ax: Axes, stats: LayerStatistics) -> None:
    """Mean ± std band; linear for bounded outputs, symmetric-log when values grow large."""
    f = get_activation(stats.activation)
    layers = np.arange(1, stats.mean.size + 1)
    lo, hi = stats.mean - stats.std, stats.mean + stats.std
    ax.fill_between(layers, lo, hi, color=_BLUE, alpha=0.2, lw=0)
    ax.plot(layers, stats.mean, color=_BLUE, marker="o", ms=3.5, lw=1.6)
    ax.axhline(0, color=_GREY, lw=0.8, zorder=1)
    low, high = f.output_range
    top = float(np.max(np.abs(np.concatenate([lo, hi])))) if layers.size else 1.0
    if math.isfinite(low) and math.isfinite(high):
        pad = 0.06 * (high - low)
        for edge in (low, high):
            ax.axhline(edge, color=_GREY, lw=0.8, ls=":", zorder=1)
        ax.set_ylim(low - pad, high + pad)
    elif top > 10:
        # exploding activations: a symmetric log axis, linear within ±1
        ax.set_yscale("symlog", linthresh=1.0)
        negative = layers.size > 0 and float(np.min(lo)) < -1
        limit = 3 * min(top, 1e300)
        ax.set_ylim(-limit if negative else -1.0, limit)
        exponents = [e for e in _decade_ticks(1.0, top, most=4) if e > 0]
        ticks = [0.0] + [10.0**e for e in exponents]
        labels = ["0"] + [_power_label(e) for e in exponents]
        if negative:
            ticks = [-(10.0**e) for e in exponents[::-1]] + ticks
            labels = [_power_label(e, "−") for e in exponents[::-1]] + labels
        ax.set_yticks(ticks, labels)
        ax.yaxis.set_minor_locator(NullLocator())
    else:
        ax.set_ylim(min(-0.5, 1.1 * float(np.min(lo))), max(1.5, 1.1 * top))
    ax.set_ylabel("activation a⁽ˡ⁾", fontsize=9.5)
    ax.set_title("activations: mean ± std", fontsize=10)


def _draw_scales(ax: Axes, stats: LayerStatistics) -> None:
    """Activation std and gradient norm per layer on one log axis."""
    ax.set_yscale("log")
    std_layers = np.arange(1, stats.std.size + 1)
    grad_layers = np.arange(1, stats.grad_norms.size + 1)
    ax.axhline(1.0, color=_GREY, lw=0.8, ls="--", zorder=1)
    shown = []
    for layers, values, color, marker in (
        (std_layers, stats.std, _BLUE, "o"),
        (grad_layers, stats.grad_norms, _VERMILLION, "s"),
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
    exponents = _decade_ticks(bottom, top)
    ax.set_yticks([10.0**e for e in exponents], [_power_label(e) for e in exponents])
    ax.yaxis.set_minor_locator(NullLocator())
    if stats.overflow_layer is not None:
        ax.text(0.5, 0.5, f"overflow (inf) at layer {stats.overflow_layer}:\nno gradient",
                transform=ax.transAxes, ha="center", va="center", fontsize=10, color=_VERMILLION)
    handles = [Line2D([], [], color=_BLUE, marker="o", ms=3.5, lw=1.6),
               Line2D([], [], color=_VERMILLION, marker="s", ms=3.5, lw=1.6)]
    ax.legend(handles, ["std of a⁽ˡ⁾", "‖∂L/∂W⁽ˡ⁾‖"], fontsize=8, framealpha=0.85, loc="best")
    ax.set_ylabel("size (log scale)", fontsize=9.5)
    ax.set_title("signal and gradient per layer", fontsize=10)


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
    stats = layer_statistics(scheme, depth, activation, width=width)
    fig = Figure(figsize=(8.0, 2.7))
    fig.subplots_adjust(left=0.09, right=0.985, bottom=0.17, top=0.9, wspace=0.3)
    left, right = fig.subplots(1, 2)
    for ax in (left, right):
        _style(ax, stats.depth)
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


def initialisation_explorer(**kwargs: Any) -> Explorer:
    """Explorer: initialisation scheme, activation, depth (and width live) → per-layer statistics.

    The static page holds the 4 schemes × 3 activations for 20 hidden layers of width 100 (the
    plots run over the layers, so a shallower network is the left part of the picture); with a
    kernel, more activations, depths and widths are offered. Keyword arguments go to
    :class:`Explorer`.
    """
    controls = [
        Control("scheme", list(INIT_SCHEMES), label="initialisation"),
        Control("activation", ["sigmoid", "tanh", "relu"],
                live_values=["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu",
                             "identity"]),
        Control("depth", [20], label="hidden layers", live_values=[2, 5, 10, 20, 50]),
        Control("width", [100], label="width", live_values=[10, 30, 100, 300]),
    ]
    kwargs.setdefault("title", "Initialisation and the signal through a deep network")
    kwargs.setdefault("defaults", {"scheme": "Xavier", "activation": "tanh"})
    return Explorer(draw_initialisation, controls, **kwargs)
