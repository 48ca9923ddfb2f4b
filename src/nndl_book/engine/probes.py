r"""Probes: measurements inside a network, the numbers behind the explorers and the chapters.

Three kinds of measurement live here, below the widgets that draw them, so that a chapter, a
test and an explorer compute them the same way:

- **saturation**, the one rule: an output of a bounded activation counts as saturated when its
  distance from the middle of the activation's range is at least :data:`SATURATION` (95 %) of
  the half range; sigmoid outputs below 0.025 or above 0.975, tanh outputs beyond ±0.95. There
  the derivative is below a tenth of its maximum. :func:`saturated_fraction` applies it, to numpy
  arrays here and to torch activations in :func:`nndl_book.training.diagnostics.activation_stats`;
- **a random layer's pre-activations and dead units** (:func:`layer_preactivations`,
  :func:`dead_units`): 100 units read 20 standard-normal inputs through weights drawn from
  :math:`\mathcal N(0, 1/20)`, plus a common bias :math:`b`, so each unit's pre-activation is
  roughly :math:`z \sim \mathcal N(b, 1)`. A unit is *dead* when :math:`f'(z) = 0` on every one
  of the 500 inputs: no gradient reaches its weights (NNDL §4.1.2, the dying ReLU problem);
- **the signal and the gradient through a deep network at initialisation**
  (:func:`layer_statistics`): a stack of ``depth`` square fully connected layers of ``width``
  units (no biases) reads a batch of standard-normal inputs; the mean and standard deviation of
  every hidden layer's activations are recorded, then a fixed random error signal is
  back-propagated from the last layer, as Glorot and Bengio (2010) did, and the norm of every
  weight gradient recorded:

  .. math::

      L = \frac1N \sum_{n=1}^N \mathbf e_n^\top \mathbf a^{(L)}_n, \qquad
      \mathbf e_n \sim \mathcal N(0, I),

  so :math:`\partial L / \partial \mathbf a^{(L)} = \mathbf e_n / N` and every layer's gradient
  is measured with the same kind of error signal, whatever the activation. Activations that
  overflow to infinity do not raise: the statistics stop at the last finite layer and
  :attr:`LayerStatistics.overflow_layer` says where the signal left float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from nndl_book import _validate as v
from nndl_book.maths.activations import ACTIVATIONS, get_activation
from nndl_book.maths.init import initialise

__all__ = [
    "ACTIVATION_PARAMETER",
    "DEFAULT_PARAMETER",
    "INIT_SCHEMES",
    "LayerStatistics",
    "N_INPUTS",
    "N_SAMPLES",
    "N_UNITS",
    "SATURATION",
    "activation_setting",
    "dead_units",
    "layer_preactivations",
    "layer_statistics",
    "saturated_fraction",
    "saturation_bounds",
]

# ------------------------------------------------------------------------------ saturation

#: Fraction of the half range beyond which a bounded activation's output counts as saturated.
SATURATION = 0.95


def saturation_bounds(name: str) -> tuple[float, float] | None:
    """Output range ``(low, high)`` of a bounded, saturating activation, else None.

    Parameters
    ----------
    name : str
        A key of :data:`nndl_book.maths.activations.ACTIVATIONS` (sigmoid, tanh, hard_sigmoid
        and hard_tanh have bounds).
    """
    f = get_activation(name)
    if f.saturates and all(map(math.isfinite, f.output_range)):
        return f.output_range
    return None


def saturated_fraction(
    a: np.ndarray, bounds: tuple[float, float], saturation: float = SATURATION
) -> float:
    """Fraction of the outputs ``a`` of an activation with range ``bounds`` that are saturated.

    Parameters
    ----------
    a : numpy.ndarray
        Activation outputs, any shape.
    bounds : (float, float)
        The activation's output range, ``low < high``.
    saturation : float, default SATURATION
        In (0, 1): an output is saturated when ``|a - middle| >= saturation * half range``.

    Returns
    -------
    float
        In [0, 1].
    """
    saturation = v.check_range("saturation", saturation, 0.0, 1.0, low_open=True,
                               high_open=True)
    low, high = float(bounds[0]), float(bounds[1])
    if not low < high:
        raise ValueError(f"bounds must be (low, high) with low < high, got {bounds!r}")
    mid, half = (low + high) / 2, (high - low) / 2
    return float(np.mean(np.abs(np.asarray(a, dtype=np.float64) - mid) >= saturation * half))


# ------------------------------------------------------------------ a random layer, dead units

#: The keyword parameter of each parameterised activation (α of the ReLU variants, β of swish).
ACTIVATION_PARAMETER: dict[str, str] = {
    name: next(iter(act.params)) for name, act in ACTIVATIONS.items() if act.params
}
#: Value of ``parameter`` meaning "the activation's own default" (α = 0.01 for leaky ReLU...).
DEFAULT_PARAMETER = "default"
#: The random layer: inputs per unit, units, input rows.
N_INPUTS, N_UNITS, N_SAMPLES = 20, 100, 500
_SYMBOL = {"alpha": "α", "beta": "β"}


@lru_cache(maxsize=8)
def _layer(seed: int) -> np.ndarray:
    """The layer's ``x @ W.T`` (read-only, cached: every frame of an explorer shares it)."""
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(N_SAMPLES, N_INPUTS))
    weights = initialise("lecun_normal", (N_UNITS, N_INPUTS), rng)  # N(0, 1/N_INPUTS)
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
    bias = v.check_finite("bias", bias)
    seed = v.check_int("seed", seed, minimum=0)
    return _layer(seed) + bias


def activation_setting(name: object, parameter: object) -> tuple[str, dict[str, float], str]:
    """Validated ``(name, keyword parameters, text)`` of an activation and its parameter.

    Parameters
    ----------
    name : str
        A key of :data:`nndl_book.maths.activations.ACTIVATIONS`.
    parameter : float, None or "default"
        α of leaky ReLU, PReLU and ELU (positive for ELU), β of swish; None or ``"default"``
        uses the activation's default. Ignored by activations without a parameter.

    Returns
    -------
    (str, dict, str)
        The name, the keyword arguments for the activation (e.g. ``{"alpha": 0.01}``, empty
        without a parameter) and the parameter as text (``"α = 0.01"`` or ``"no parameter"``).
    """
    name = v.check_choice("activation", name, ACTIVATIONS)
    key = ACTIVATION_PARAMETER.get(name)
    if isinstance(parameter, str) and parameter != DEFAULT_PARAMETER:
        raise ValueError(
            f"parameter must be a number, None or {DEFAULT_PARAMETER!r}, got {parameter!r}"
        )
    if parameter is None or parameter == DEFAULT_PARAMETER:
        value = ACTIVATIONS[name].params.get(key) if key else None
    else:
        value = v.check_finite("parameter", parameter)
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
    name, params, _ = activation_setting(name, parameter)
    slopes = get_activation(name).derivative(layer_preactivations(bias, seed), **params)
    return float(np.mean(np.all(slopes == 0.0, axis=0)))


# ------------------------------------------------------ the signal through a deep network

#: Scheme label -> (``nndl_book.maths.init`` name, its keyword arguments).
INIT_SCHEMES: dict[str, tuple[str, dict[str, float]]] = {
    "N(0, 0.01²)": ("normal", {"std": 0.01}),
    "N(0, 1)": ("normal", {"std": 1.0}),
    "Xavier": ("xavier_normal", {}),
    "He": ("he_normal", {}),
}


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


def _gradient_norms(
    f: Any, g: np.ndarray, net_inputs: list[np.ndarray], inputs: list[np.ndarray],
    weights: list[np.ndarray],
) -> tuple[list[float], int | None]:
    """Back-propagate ``g = dL/da`` of the last layer: each layer's weight-gradient norm
    (first layer first), or ``([], l)`` when layer ``l``'s norm is not finite."""
    grads = []
    for layer in range(len(weights), 0, -1):
        delta = g * f.derivative(net_inputs[layer - 1])
        norm = _norm(delta.T @ inputs[layer - 1])
        if not math.isfinite(norm):
            return [], layer
        grads.append(norm)
        g = delta @ weights[layer - 1]
    return grads[::-1], None


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
    scheme = v.check_choice("scheme", scheme, INIT_SCHEMES)
    f = get_activation(activation)
    depth = v.check_int("depth", depth, minimum=1)
    width = v.check_int("width", width, minimum=1)
    n_samples = v.check_int("n_samples", n_samples, minimum=2)
    seed = v.check_int("seed", seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_samples, width))
    error = rng.standard_normal((n_samples, width))
    init, kwargs = INIT_SCHEMES[scheme]
    weights = [initialise(init, (width, width), rng=rng, **kwargs) for _ in range(depth)]

    bounds = saturation_bounds(activation)
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
                saturated.append(saturated_fraction(a, bounds))
        grads: list[float] = []
        if overflow is None:
            grads, overflow = _gradient_norms(f, error / n_samples, net_inputs, inputs, weights)
    return LayerStatistics(
        scheme=scheme,
        activation=activation,
        depth=depth,
        width=width,
        mean=np.array(mean),
        std=np.array(std),
        saturated=None if bounds is None else np.array(saturated),
        zero=np.array(zero),
        grad_norms=np.array(grads),
        overflow_layer=overflow,
    )
