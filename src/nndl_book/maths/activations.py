r"""Activation functions and their derivatives (NNDL §4.1, Nielsen ch. 3).

Every function is elementwise: it takes an array ``x`` of any shape and returns a float64
array of the same shape (a scalar gives a ``numpy.float64``, as a numpy ufunc does). The
derivative of ``<name>`` with respect to ``x`` is ``d_<name>``. NaN and infinite inputs pass
through as in numpy, so a diverging network shows up as NaN in its loss rather than as an
exception here.

Special points, each chosen on purpose and tested (tests/test_activations.py):

* At a kink, where the derivative does not exist, the value follows torch autograd:
  ``d_relu(0) = 0``, ``d_leaky_relu(0) = alpha``, ``d_prelu(0) = alpha``, ``d_elu(0) = alpha``,
  ``d_hard_tanh(±1) = 0`` and ``d_hard_sigmoid(±2) = 0`` (as ``torch.nn.functional.hardtanh``
  and ``hardsigmoid``: zero at the corners).
* At NaN a derivative has no right value, so it also follows torch autograd: NaN for the
  smooth functions, and for the piecewise ones the branch torch's comparison picks, so
  ``d_relu(nan) = 1``, ``d_elu(nan) = 1``, ``d_hard_tanh(nan) = 1``, ``d_leaky_relu(nan) =
  d_prelu(nan) = alpha`` and ``d_hard_sigmoid(nan) = 0``.
* At ``±inf`` every derivative returns its limit (e.g. ``d_gelu(inf) = 1``,
  ``d_swish(-inf) = 0``). Here torch differs on purpose: its autograd gives NaN for SiLU/swish
  and both GELUs, whose formulas multiply :math:`\infty` by 0.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nndl_book._validate import (
    LOOKUP_RAISES,
    as_array,
    check_finite,
    check_positive,
    fill_doc,
    lookup,
)

__all__ = [
    "ACTIVATIONS",
    "PRELU_START",
    "ActivationFunction",
    "d_elu",
    "d_gelu",
    "d_gelu_tanh",
    "d_hard_sigmoid",
    "d_hard_tanh",
    "d_identity",
    "d_leaky_relu",
    "d_prelu",
    "d_prelu_alpha",
    "d_relu",
    "d_sigmoid",
    "d_softplus",
    "d_swish",
    "d_tanh",
    "elu",
    "gelu",
    "gelu_tanh",
    "get_activation",
    "hard_sigmoid",
    "hard_tanh",
    "identity",
    "leaky_relu",
    "prelu",
    "relu",
    "sigmoid",
    "softplus",
    "swish",
    "tanh",
]

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_TANH_K = 0.044715
_erfc = np.frompyfunc(math.erfc, 1, 1)


def _x(x: object) -> np.ndarray:
    """``x`` as a float64 array; NaN and inf are allowed (they propagate)."""
    return as_array("x", x, finite=False, allow_empty=True)


def _elementwise(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Give ``fn`` its ``x`` as a float64 array; return float64 of the shape of ``x``.

    As for a numpy ufunc, a scalar (0-d) ``x`` gives a ``numpy.float64``.
    """

    @functools.wraps(fn)
    def wrapper(x: object, *args: object, **kwargs: object) -> np.ndarray:
        return np.asarray(fn(_x(x), *args, **kwargs), dtype=np.float64)[()]

    return wrapper


# ---------------------------------------------------------------- identity, sigmoid, tanh


@_elementwise
def identity(x: ArrayLike) -> np.ndarray:
    r"""Identity :math:`f(x) = x`. Same shape as ``x``, float64 (a copy)."""
    return x.copy()


@_elementwise
def d_identity(x: ArrayLike) -> np.ndarray:
    r""":math:`f'(x) = 1`, same shape as ``x``."""
    return np.ones_like(x)


def _sigmoid(x: np.ndarray, e: np.ndarray | None = None) -> np.ndarray:
    """The logistic function of a float array, unchecked: the kernel of :func:`sigmoid` and of
    the losses on logits, which pass ``e = exp(-|x|)`` when they have computed it already."""
    e = np.exp(-np.abs(x)) if e is None else e
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@_elementwise
def sigmoid(x: ArrayLike) -> np.ndarray:
    r"""Logistic function :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Computed as :math:`1/(1+e^{-|x|})` for :math:`x \ge 0` and :math:`e^{-|x|}/(1+e^{-|x|})`
    otherwise, so ``exp`` never overflows.

    Same shape as ``x``, values in :math:`[0, 1]`.
    """
    return _sigmoid(x)


@_elementwise
def d_sigmoid(x: ArrayLike) -> np.ndarray:
    r""":math:`\sigma'(x) = \sigma(x)(1-\sigma(x)) = e^{-|x|} / (1+e^{-|x|})^2`.

    The second form is used: it keeps full relative precision for large :math:`|x|`.
    Same shape as ``x``.
    """
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


@_elementwise
def tanh(x: ArrayLike) -> np.ndarray:
    r"""Hyperbolic tangent :math:`\tanh(x) = (e^x - e^{-x})/(e^x + e^{-x}) = 2\sigma(2x) - 1`.

    Same shape as ``x``, values in :math:`[-1, 1]`.
    """
    return np.tanh(x)


@_elementwise
def d_tanh(x: ArrayLike) -> np.ndarray:
    r""":math:`\tanh'(x) = 1 - \tanh^2(x)`, same shape as ``x``."""
    t = np.tanh(x)
    return 1.0 - t * t


@_elementwise
def hard_sigmoid(x: ArrayLike) -> np.ndarray:
    r"""Hard logistic (NNDL §4.1.1): :math:`\max(\min(0.25x + 0.5, 1), 0)`.

    The first-order Taylor expansion of :math:`\sigma` at 0, clipped to :math:`[0, 1]`.
    (``torch.nn.functional.hardsigmoid`` uses slope 1/6 instead of 1/4.) Same shape as ``x``.
    """
    return np.clip(0.25 * x + 0.5, 0.0, 1.0)


@_elementwise
def d_hard_sigmoid(x: ArrayLike) -> np.ndarray:
    r""":math:`0.25` for :math:`-2 < x < 2`, else 0 (0 at the corners :math:`\pm 2`)."""
    return np.where((x > -2.0) & (x < 2.0), 0.25, 0.0)  # NaN: 0


@_elementwise
def hard_tanh(x: ArrayLike) -> np.ndarray:
    r"""Hard tanh (NNDL §4.1.1): :math:`\max(\min(x, 1), -1)`. Same shape as ``x``."""
    return np.clip(x, -1.0, 1.0)


@_elementwise
def d_hard_tanh(x: ArrayLike) -> np.ndarray:
    r""":math:`1` for :math:`-1 < x < 1`, else 0 (0 at the corners, as torch's ``hardtanh``).

    ``d_hard_tanh(nan) = 1``, as torch autograd.
    """
    return np.where((x <= -1.0) | (x >= 1.0), 0.0, 1.0)


# ---------------------------------------------------------------- the ReLU family


@_elementwise
def relu(x: ArrayLike) -> np.ndarray:
    r"""Rectified linear unit :math:`\mathrm{ReLU}(x) = \max(0, x)`. Same shape as ``x``."""
    return np.maximum(x, 0.0)


@_elementwise
def d_relu(x: ArrayLike) -> np.ndarray:
    r""":math:`\mathrm{ReLU}'(x) = \mathbb{1}[x > 0]`, with :math:`\mathrm{ReLU}'(0) = 0`.

    ``d_relu(nan) = 1``, as torch autograd (its backward zeroes the gradient where
    :math:`x \le 0`, which NaN is not).
    """
    return np.where(x <= 0, 0.0, 1.0)


@_elementwise
def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise (NNDL §4.1.2).

    Parameters
    ----------
    x : array_like, any shape
    alpha : float, default 0.01
        Slope for :math:`x \le 0`; any finite number.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.
    """
    alpha = check_finite("alpha", alpha)
    return np.where(x > 0, x, alpha * x)


@_elementwise
def d_leaky_relu(x: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    r""":math:`1` for :math:`x > 0`, :math:`\alpha` for :math:`x \le 0` (so :math:`\alpha` at 0)."""
    alpha = check_finite("alpha", alpha)
    return np.where(x > 0, 1.0, alpha)


def _prelu_alpha(x: np.ndarray, alpha: object) -> np.ndarray:
    """Check that ``alpha`` is a scalar or a vector broadcasting over the last axis of ``x``."""
    a = as_array("alpha", alpha, ndim=(0, 1))
    if a.ndim == 1 and a.shape[0] > 1 and x.ndim > 2:
        raise ValueError(
            f"x must have shape (n, C) or (C,) when alpha has one entry per channel, got shape "
            f"{x.shape}: torch.nn.functional.prelu takes the channels from dim 1 of a 3+-D "
            "input, this function from the last axis; move the channel axis last and flatten "
            "to (n, C), or pass one shared alpha"
        )
    if a.ndim == 1:
        channels = x.shape[-1] if x.ndim else None
        if a.shape[0] not in (1, channels):
            raise ValueError(
                f"alpha must be a number or a vector with one entry per channel (the last axis "
                f"of x, size {channels}), got shape {a.shape}"
            )
    return a


@_elementwise
def prelu(x: ArrayLike, alpha: object) -> np.ndarray:
    r"""Parametric ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha_c x` otherwise (NNDL §4.1.2).

    The channels are the **last** axis of ``x``. For a batch ``(n, C)`` that is dim 1, as
    in ``torch.nn.functional.prelu``; for inputs of 3 or more dimensions torch takes the
    channels from dim 1 instead, so a per-channel ``alpha`` is refused there (``ValueError``)
    rather than silently applied along another axis. A shared ``alpha`` works for any shape.

    Parameters
    ----------
    x : array_like, any shape with a shared ``alpha``; (n, C) or (C,) with one per channel
    alpha : float or array_like of shape (C,) or (1,)
        The learnable slope, one per channel (the last axis of ``x``) or shared.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.
    """
    a = _prelu_alpha(x, alpha)
    return np.where(x > 0, x, a * x)


@_elementwise
def d_prelu(x: ArrayLike, alpha: object) -> np.ndarray:
    r""":math:`\partial f/\partial x`: 1 for :math:`x > 0`, :math:`\alpha_c` otherwise.

    Same shape as ``x``.
    """
    a = _prelu_alpha(x, alpha)
    return np.where(x > 0, 1.0, a * np.ones_like(x))


@_elementwise
def d_prelu_alpha(x: ArrayLike, alpha: object) -> np.ndarray:
    r""":math:`\partial f/\partial \alpha`, elementwise: 0 for :math:`x > 0`, :math:`x` otherwise.

    Same shape as ``x``. The gradient of a loss with respect to a per-channel ``alpha`` of
    shape (C,) is ``(upstream * d_prelu_alpha(x, alpha)).reshape(-1, C).sum(axis=0)``.
    """
    _prelu_alpha(x, alpha)
    return np.where(x > 0, 0.0, x)


@_elementwise
def elu(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    r"""Exponential linear unit: :math:`x` for :math:`x > 0`, :math:`\alpha(e^x - 1)` otherwise.

    NNDL §4.1.2. Outputs lie in :math:`(-\alpha, \infty)`.

    Parameters
    ----------
    x : array_like, any shape
    alpha : float, default 1.0
        Positive saturation level for negative inputs.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.
    """
    alpha = check_positive("alpha", alpha)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


@_elementwise
def d_elu(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    r""":math:`1` for :math:`x > 0`, :math:`\alpha e^x` for :math:`x \le 0` (alpha at 0).

    ``d_elu(nan) = 1``, as torch autograd.
    """
    alpha = check_positive("alpha", alpha)
    return np.where(x <= 0, alpha * np.exp(np.minimum(x, 0.0)), 1.0)


@_elementwise
def softplus(x: ArrayLike) -> np.ndarray:
    r"""Softplus :math:`\log(1 + e^x)` (NNDL §4.1.2), a smooth ReLU.

    Computed as :math:`\max(x, 0) + \log(1 + e^{-|x|})`, finite for any finite ``x``.
    Same shape as ``x``.
    """
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


@_elementwise
def d_softplus(x: ArrayLike) -> np.ndarray:
    r""":math:`\frac{d}{dx}\log(1 + e^x) = \sigma(x)`, same shape as ``x``."""
    return sigmoid(x)


@_elementwise
def swish(x: ArrayLike, beta: float = 1.0) -> np.ndarray:
    r"""Swish :math:`x\,\sigma(\beta x)` (NNDL §4.1.3); with :math:`\beta = 1` it is SiLU.

    Parameters
    ----------
    x : array_like, any shape
    beta : float, default 1.0
        Any finite number; :math:`\beta = 0` gives :math:`x/2`, large :math:`\beta` tends to ReLU.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.
    """
    beta = check_finite("beta", beta)
    return x * sigmoid(beta * x)


@_elementwise
def d_swish(x: ArrayLike, beta: float = 1.0) -> np.ndarray:
    r""":math:`\sigma(\beta x) + \beta x\,\sigma(\beta x)(1 - \sigma(\beta x))`, shape of ``x``."""
    beta = check_finite("beta", beta)
    if beta == 0.0:
        return np.where(np.isnan(x), np.nan, 0.5)  # swish is x/2
    u = beta * x
    # u * sigma'(u) tends to 0 as u -> ±inf, where the product would be inf * 0 = NaN
    finite_u = np.where(np.isinf(u), 0.0, u)
    return sigmoid(u) + finite_u * d_sigmoid(finite_u)


def _std_normal_cdf(x: np.ndarray) -> np.ndarray:
    r""":math:`\Phi(x) = \tfrac12\,\mathrm{erfc}(-x/\sqrt2)`, accurate in both tails."""
    return 0.5 * np.asarray(_erfc(-x / math.sqrt(2.0)), dtype=np.float64)


@_elementwise
def gelu(x: ArrayLike) -> np.ndarray:
    r"""Gaussian error linear unit :math:`x\,\Phi(x)` (NNDL §4.1.4), the exact erf form.

    :math:`\Phi(x) = \tfrac12(1 + \mathrm{erf}(x/\sqrt2))` is the standard normal CDF, evaluated
    with ``math.erfc`` elementwise. Same shape as ``x``.
    """
    return x * _std_normal_cdf(x)


@_elementwise
def d_gelu(x: ArrayLike) -> np.ndarray:
    r""":math:`\Phi(x) + x\,\phi(x)` with :math:`\phi(x) = e^{-x^2/2}/\sqrt{2\pi}`.

    At :math:`\pm\infty` the limits 1 and 0 (torch autograd gives NaN there).
    """
    xf = np.where(np.isinf(x), 0.0, x)  # x * phi(x) tends to 0 where it would be inf * 0
    return _std_normal_cdf(x) + xf * np.exp(-0.5 * xf * xf) / math.sqrt(2.0 * math.pi)


def _gelu_tanh_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(xc, tanh(u(xc)))`` with ``xc = clip(x, -20, 20)``: tanh is exactly ±1 beyond that."""
    xc = np.clip(x, -20.0, 20.0)
    return xc, np.tanh(_SQRT_2_OVER_PI * (xc + _GELU_TANH_K * xc**3))


@_elementwise
def gelu_tanh(x: ArrayLike) -> np.ndarray:
    r"""GELU, tanh approximation: :math:`\tfrac12 x\,(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))`.

    As ``torch.nn.functional.gelu(x, approximate="tanh")``. Same shape as ``x``.
    """
    _, t = _gelu_tanh_parts(x)
    return 0.5 * x * (1.0 + t)


@_elementwise
def d_gelu_tanh(x: ArrayLike) -> np.ndarray:
    r""":math:`\tfrac12(1 + t) + \tfrac12 x(1 - t^2)\sqrt{2/\pi}(1 + 3 \cdot 0.044715 x^2)`.

    Here :math:`t = \tanh(\sqrt{2/\pi}(x + 0.044715x^3))`. Same shape as ``x``. Beyond
    :math:`|x| = 20` the derivative is its limit to double precision, so ``x`` is clipped there
    and :math:`\pm\infty` give the limits 1 and 0 (torch autograd gives NaN there).
    """
    xc, t = _gelu_tanh_parts(x)
    du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_K * xc * xc)
    return 0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * du


# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class ActivationFunction:
    r"""An activation function with its derivative and its textbook properties.

    Attributes
    ----------
    name : str
        Key in :data:`ACTIVATIONS`, also the function's name.
    f, df : callable
        ``f(x, **params)`` and its derivative ``df(x, **params)`` with respect to ``x``.
    params : dict of str to float
        Default keyword parameters, e.g. ``{"alpha": 0.01}`` for leaky ReLU.
    saturates : bool
        True when :math:`f'(x) \to 0` as :math:`x \to -\infty` *and* :math:`x \to +\infty`
        (the two-sided saturation of the sigmoid family, NNDL §4.1.1). The ReLU family is at
        most left-saturating and counts as non-saturating.
    zero_centred : bool
        True when the outputs are (approximately) centred on 0: identity, tanh, hard tanh and
        ELU (approximately, NNDL §4.1.2).
    output_range : tuple of float
        Infimum and supremum of :math:`f` with the default ``params``.
    """

    name: str
    f: Callable[..., np.ndarray]
    df: Callable[..., np.ndarray]
    params: dict[str, float] = field(default_factory=dict)
    saturates: bool = False
    zero_centred: bool = False
    output_range: tuple[float, float] = (-math.inf, math.inf)

    def _params(self, overrides: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(overrides) - set(self.params))
        if unknown:
            raise TypeError(
                f"{self.name} takes parameters {sorted(self.params)}, got unexpected {unknown}"
            )
        return {**self.params, **overrides}

    def __call__(self, x: object, **params: float) -> np.ndarray:
        """Evaluate :math:`f(x)`; ``params`` override the defaults in :attr:`params`."""
        return self.f(x, **self._params(params))

    def derivative(self, x: object, **params: float) -> np.ndarray:
        """Evaluate :math:`f'(x)`; ``params`` override the defaults in :attr:`params`."""
        return self.df(x, **self._params(params))


_INF = math.inf
# Minima of x*sigma(x), x*Phi(x) and the tanh-GELU, found by Newton's method on f'.
_SWISH_MIN = -0.2784645427610738  # at x = -1.2784645427610737
_GELU_MIN = -0.16997120747990369  # at x = -0.7517915246935645
_GELU_TANH_MIN = -0.170040750571254  # at x = -0.7524614220710163


def _defaults(fn: Callable[..., np.ndarray]) -> dict[str, float]:
    """The parameters of ``fn`` after ``x``, with their defaults: its ``params`` in the registry."""
    return {name: p.default for name, p in list(inspect.signature(fn).parameters.items())[1:]}


#: PReLU's slope has no default in :func:`prelu` (it is learned); a layer starts from this one.
PRELU_START = {"alpha": 0.25}

ACTIVATIONS: dict[str, ActivationFunction] = {
    a.name: a
    for a in [
        ActivationFunction("identity", identity, d_identity, {}, False, True, (-_INF, _INF)),
        ActivationFunction("sigmoid", sigmoid, d_sigmoid, {}, True, False, (0.0, 1.0)),
        ActivationFunction("tanh", tanh, d_tanh, {}, True, True, (-1.0, 1.0)),
        ActivationFunction(
            "hard_sigmoid", hard_sigmoid, d_hard_sigmoid, {}, True, False, (0.0, 1.0)
        ),
        ActivationFunction("hard_tanh", hard_tanh, d_hard_tanh, {}, True, True, (-1.0, 1.0)),
        ActivationFunction("relu", relu, d_relu, {}, False, False, (0.0, _INF)),
        ActivationFunction(
            "leaky_relu", leaky_relu, d_leaky_relu, _defaults(leaky_relu), False, False,
            (-_INF, _INF),
        ),
        ActivationFunction("prelu", prelu, d_prelu, PRELU_START, False, False, (-_INF, _INF)),
        ActivationFunction("elu", elu, d_elu, _defaults(elu), False, True, (-1.0, _INF)),
        ActivationFunction("softplus", softplus, d_softplus, {}, False, False, (0.0, _INF)),
        ActivationFunction(
            "swish", swish, d_swish, _defaults(swish), False, False, (_SWISH_MIN, _INF)
        ),
        ActivationFunction("gelu", gelu, d_gelu, {}, False, False, (_GELU_MIN, _INF)),
        ActivationFunction(
            "gelu_tanh", gelu_tanh, d_gelu_tanh, {}, False, False, (_GELU_TANH_MIN, _INF)
        ),
    ]
}
"""The activations by name; see :class:`ActivationFunction`."""


@fill_doc(raises=LOOKUP_RAISES)
def get_activation(name: str) -> ActivationFunction:
    """Return the :class:`ActivationFunction` called ``name`` (a key of :data:`ACTIVATIONS`).

    {raises}
    """
    return lookup("activation", name, ACTIVATIONS)
