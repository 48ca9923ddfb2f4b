r"""Weight initialisers (NNDL §7.3, Nielsen ch. 3 "Weight initialization").

A weight matrix has shape ``(n_out, n_in)`` as in ``torch.nn.Linear``, so
:math:`\text{fan\_in} = \text{shape}[1]` and :math:`\text{fan\_out} = \text{shape}[0]`; for a
1-D shape (a bias vector) both are ``shape[0]``. Random initialisers draw from ``rng``, a
``numpy.random.Generator`` or an integer seed; the same seed gives the same matrix.

==================  =================================================================
initialiser         distribution
==================  =================================================================
``zeros``           all 0
``constant``        all ``value``
``normal``          :math:`\mathcal N(\mu, \sigma^2)`
``uniform``         :math:`\mathcal U(\text{low}, \text{high})`
``xavier_normal``   :math:`\mathcal N(0, \text{gain}^2 \cdot 2/(\text{fan\_in}+\text{fan\_out}))`
``xavier_uniform``  :math:`\mathcal U(\pm\text{gain}\sqrt{6/(\text{fan\_in}+\text{fan\_out})})`
``he_normal``       :math:`\mathcal N(0, 2/\text{fan\_in})`
``he_uniform``      :math:`\mathcal U(\pm\sqrt{6/\text{fan\_in}})`
``lecun_normal``    :math:`\mathcal N(0, 1/\text{fan\_in})` (Nielsen's improved initialisation)
==================  =================================================================
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from numbers import Integral

import numpy as np

from nndl_book._validate import (
    LOOKUP_RAISES,
    check_finite,
    check_int,
    check_positive,
    fill_doc,
    lookup,
    make_rng,
)

__all__ = [
    "INITIALISERS",
    "constant",
    "fan_in_and_fan_out",
    "get_initialiser",
    "he_normal",
    "he_uniform",
    "initialise",
    "initialize",
    "lecun_normal",
    "normal",
    "uniform",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]

Shape = int | tuple[int, ...]


def _shape(shape: object) -> tuple[int, ...]:
    """``shape`` as a tuple of one or two positive integers."""
    if isinstance(shape, Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        raise TypeError(
            f"shape must be a tuple of positive integers (n_out, n_in), got {type(shape).__name__}"
        )
    if len(shape) not in (1, 2):
        raise ValueError(f"shape must have 1 or 2 entries (n_out, n_in), got {tuple(shape)}")
    return tuple(check_int(f"shape[{i}]", s, minimum=1) for i, s in enumerate(shape))


def fan_in_and_fan_out(shape: Shape) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` of a weight of shape ``(n_out, n_in)`` (or ``(n,)``).

    Parameters
    ----------
    shape : int or tuple of int
        ``(n_out, n_in)``, or ``(n,)`` / ``n`` for a vector.

    Returns
    -------
    tuple of int
        ``(n_in, n_out)``; ``(n, n)`` for a vector.
    """
    s = _shape(shape)
    return (s[0], s[0]) if len(s) == 1 else (s[1], s[0])


# ---------------------------------------------------------------- deterministic


def zeros(shape: Shape) -> np.ndarray:
    """All-zero float64 array of ``shape`` ``(n_out, n_in)`` or ``(n,)``.

    Zero weights make every hidden unit compute the same thing (NNDL §7.3: symmetry is never
    broken); zero biases are the usual choice.
    """
    return np.zeros(_shape(shape))


def constant(shape: Shape, value: float) -> np.ndarray:
    """float64 array of ``shape`` filled with the finite number ``value``."""
    return np.full(_shape(shape), check_finite("value", value))


# ---------------------------------------------------------------- random


def normal(
    shape: Shape, rng: np.random.Generator | int, mean: float = 0.0, std: float = 1.0
) -> np.ndarray:
    r"""Draws from :math:`\mathcal N(\text{mean}, \text{std}^2)`.

    Parameters
    ----------
    shape : int or tuple of int
        ``(n_out, n_in)`` or ``(n,)``.
    rng : numpy.random.Generator or int
        Random generator or seed.
    mean : float, default 0.0
    std : float, default 1.0
        Positive standard deviation.

    Returns
    -------
    numpy.ndarray of shape ``shape``
    """
    s = _shape(shape)
    mean = check_finite("mean", mean)
    std = check_positive("std", std)
    return make_rng(rng).normal(mean, std, size=s)


def uniform(
    shape: Shape, rng: np.random.Generator | int, low: float = -1.0, high: float = 1.0
) -> np.ndarray:
    r"""Draws from :math:`\mathcal U(\text{low}, \text{high})`, ``low < high``.

    Returns a float64 array of ``shape``.
    """
    s = _shape(shape)
    low = check_finite("low", low)
    high = check_finite("high", high)
    if not low < high:
        raise ValueError(f"low must be less than high, got low={low!r}, high={high!r}")
    return make_rng(rng).uniform(low, high, size=s)


def xavier_normal(shape: Shape, rng: np.random.Generator | int, gain: float = 1.0) -> np.ndarray:
    r"""Glorot/Xavier normal: :math:`\mathcal N\big(0,\ \text{gain}^2 \frac{2}{\text{fan\_in} +
    \text{fan\_out}}\big)`, as ``torch.nn.init.xavier_normal_``.

    Keeps the variance of activations and of gradients roughly constant across layers with a
    linear or tanh activation (use ``gain`` :math:`= 5/3` for tanh in torch's convention).

    Parameters
    ----------
    shape : int or tuple of int
        ``(n_out, n_in)`` or ``(n,)``.
    rng : numpy.random.Generator or int
    gain : float, default 1.0
        Positive scale factor.

    Returns
    -------
    numpy.ndarray of shape ``shape``
    """
    fan_in, fan_out = fan_in_and_fan_out(shape)
    gain = check_positive("gain", gain)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return make_rng(rng).normal(0.0, std, size=_shape(shape))


def xavier_uniform(shape: Shape, rng: np.random.Generator | int, gain: float = 1.0) -> np.ndarray:
    r"""Glorot/Xavier uniform: :math:`\mathcal U(-a, a)`, :math:`a = \text{gain}
    \sqrt{6/(\text{fan\_in} + \text{fan\_out})}`, as ``torch.nn.init.xavier_uniform_``.

    Same variance as :func:`xavier_normal` (:math:`a^2/3`). Parameters as there.
    """
    fan_in, fan_out = fan_in_and_fan_out(shape)
    gain = check_positive("gain", gain)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return make_rng(rng).uniform(-a, a, size=_shape(shape))


def he_normal(shape: Shape, rng: np.random.Generator | int) -> np.ndarray:
    r"""He/Kaiming normal: :math:`\mathcal N(0, 2/\text{fan\_in})`, for ReLU layers.

    As ``torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")``.
    Returns a float64 array of ``shape`` ``(n_out, n_in)`` or ``(n,)``.
    """
    fan_in, _ = fan_in_and_fan_out(shape)
    return make_rng(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=_shape(shape))


def he_uniform(shape: Shape, rng: np.random.Generator | int) -> np.ndarray:
    r"""He/Kaiming uniform: :math:`\mathcal U(\pm\sqrt{6/\text{fan\_in}})` (variance
    :math:`2/\text{fan\_in}`).

    As ``torch.nn.init.kaiming_uniform_(w, mode="fan_in", nonlinearity="relu")``.
    Returns a float64 array of ``shape``.
    """
    fan_in, _ = fan_in_and_fan_out(shape)
    a = math.sqrt(6.0 / fan_in)
    return make_rng(rng).uniform(-a, a, size=_shape(shape))


def lecun_normal(shape: Shape, rng: np.random.Generator | int) -> np.ndarray:
    r"""LeCun normal :math:`\mathcal N(0, 1/\text{fan\_in})`: Nielsen's improved initialisation.

    With :math:`n_\text{in}` inputs, :math:`z = \sum_j w_j x_j` then has standard deviation
    about 1 instead of :math:`\sqrt{n_\text{in}}`, so sigmoid units start unsaturated.
    Returns a float64 array of ``shape``.
    """
    fan_in, _ = fan_in_and_fan_out(shape)
    return make_rng(rng).normal(0.0, 1.0 / math.sqrt(fan_in), size=_shape(shape))


# ---------------------------------------------------------------- registry

INITIALISERS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": zeros,
    "constant": constant,
    "normal": normal,
    "uniform": uniform,
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "lecun_normal": lecun_normal,
}
"""Initialiser name to function."""

_DETERMINISTIC = frozenset({"zeros", "constant"})


@fill_doc(raises=LOOKUP_RAISES)
def get_initialiser(name: str) -> Callable[..., np.ndarray]:
    """Return the initialiser called ``name`` (a key of :data:`INITIALISERS`).

    {raises}
    """
    return lookup("initialiser", name, INITIALISERS)


def initialise(
    name: str, shape: Shape, rng: np.random.Generator | int | None = None, **kwargs: float
) -> np.ndarray:
    """Initialise an array of ``shape`` with the initialiser ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`INITIALISERS`.
    shape : int or tuple of int
        ``(n_out, n_in)`` or ``(n,)``.
    rng : numpy.random.Generator or int, optional
        Required by the random initialisers (``TypeError`` if missing); ignored by ``zeros``
        and ``constant``.
    **kwargs
        Passed on, e.g. ``gain`` or ``std``.

    Returns
    -------
    numpy.ndarray of shape ``shape``
    """
    fn = get_initialiser(name)
    if name in _DETERMINISTIC:
        return fn(shape, **kwargs)
    if rng is None:
        raise TypeError(
            f"initialiser {name!r} is random: rng must be a numpy.random.Generator or an "
            "integer seed, got None"
        )
    return fn(shape, rng, **kwargs)


def initialize(
    name: str, shape: Shape, rng: np.random.Generator | int | None = None, **kwargs: float
) -> np.ndarray:
    """Deprecated spelling of :func:`initialise`: the same array, with a ``DeprecationWarning``.

    Kept so that notebooks written against earlier releases still run; the book spells it
    ``initialise``, as the prose does.
    """
    warnings.warn("nndl_book.maths.init.initialize is deprecated: call initialise (British "
                  "spelling, as the rest of the book)", DeprecationWarning, stacklevel=2)
    return initialise(name, shape, rng, **kwargs)
