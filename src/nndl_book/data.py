"""Small seeded toy data sets and a train/dev/test split.

Every generator returns ``X`` of shape ``(n_samples, n_features)`` (float64) and ``y`` of shape
``(n_samples,)`` (int64 class labels), with the rows shuffled. Randomness comes only from the
``rng`` argument (a ``numpy.random.Generator`` or an integer seed), so a call is reproducible.

torch is imported only inside :func:`to_tensors`.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from nndl_book import _validate as v

if TYPE_CHECKING:
    import torch

__all__ = [
    "Split",
    "make_blobs",
    "make_circles",
    "make_moons",
    "make_spirals",
    "make_xor",
    "to_tensors",
    "train_dev_test_split",
]

Dataset = tuple[np.ndarray, np.ndarray]


class Split(NamedTuple):
    """Result of :func:`train_dev_test_split`: three ``(X, y)`` pairs.

    Attributes
    ----------
    train, dev, test : tuple of (numpy.ndarray, numpy.ndarray)
        ``X`` of shape ``(n_part, n_features)`` and ``y`` of shape ``(n_part,)``.
    """

    train: Dataset
    dev: Dataset
    test: Dataset


def _counts(n: int, k: int) -> np.ndarray:
    """Split ``n`` into ``k`` sizes that differ by at most one (larger ones first)."""
    return np.full(k, n // k) + (np.arange(k) < n % k)


def _finish(X: np.ndarray, y: np.ndarray, noise: float, gen: np.random.Generator) -> Dataset:
    """Add Gaussian noise of standard deviation ``noise`` and shuffle the rows."""
    X = X + noise * gen.standard_normal(X.shape)
    order = gen.permutation(len(X))
    return X[order].astype(np.float64), y[order].astype(np.int64)


def _check_common(n_samples: object, noise: object, *, minimum: int = 1) -> tuple[int, float]:
    n = v.check_int("n_samples", n_samples, minimum=minimum)
    s = v.check_positive("noise", noise, allow_zero=True)
    return n, s


def make_moons(
    n_samples: int = 200, noise: float = 0.1, rng: np.random.Generator | int = 0
) -> Dataset:
    """Two interleaving half circles (as ``sklearn.datasets.make_moons``).

    Class 0 is the upper half circle of radius 1 centred at (0, 0); class 1 the lower half
    circle centred at (1, 0.5). The class sizes differ by at most one.

    Parameters
    ----------
    n_samples : int, default 200
        Total number of points, at least 2.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to each coordinate (>= 0).
    rng : numpy.random.Generator or int, default 0
        Source of randomness (noise and shuffling).

    Returns
    -------
    X : numpy.ndarray, shape (n_samples, 2), float64
    y : numpy.ndarray, shape (n_samples,), int64 in {0, 1}
    """
    n, noise = _check_common(n_samples, noise, minimum=2)
    gen = v.make_rng(rng)
    n_outer, n_inner = _counts(n, 2)
    t_out = np.linspace(0, np.pi, n_outer)
    t_in = np.linspace(0, np.pi, n_inner)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)])
    X = np.vstack([outer, inner])
    y = np.repeat([0, 1], [n_outer, n_inner])
    return _finish(X, y, noise, gen)


_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XOR_Y = np.array([0, 1, 1, 0], dtype=np.int64)


def make_xor(
    n_samples: int | None = None, noise: float = 0.0, rng: np.random.Generator | int = 0
) -> Dataset:
    """The XOR problem: label 1 when exactly one coordinate is 1.

    Parameters
    ----------
    n_samples : int or None, default None
        ``None`` gives exactly the four points (0,0), (0,1), (1,0), (1,1) with labels
        0, 1, 1, 0 in that order (``noise`` and ``rng`` are then ignored). An integer gives
        that many points spread over the four corners (sizes differ by at most one), each
        moved by Gaussian noise, and shuffled.
    noise : float, default 0.0
        Standard deviation of the noise around each corner (>= 0).
    rng : numpy.random.Generator or int, default 0
        Source of randomness, used only when ``n_samples`` is given.

    Returns
    -------
    X : numpy.ndarray, shape (n_samples, 2) or (4, 2), float64
    y : numpy.ndarray, shape (n_samples,) or (4,), int64 in {0, 1}
    """
    if n_samples is None:
        v.check_positive("noise", noise, allow_zero=True)
        return _XOR_X.copy(), _XOR_Y.copy()
    n, noise = _check_common(n_samples, noise)
    gen = v.make_rng(rng)
    corner = np.repeat(np.arange(4), _counts(n, 4))
    return _finish(_XOR_X[corner], _XOR_Y[corner], noise, gen)


def make_circles(
    n_samples: int = 200,
    noise: float = 0.05,
    factor: float = 0.5,
    rng: np.random.Generator | int = 0,
) -> Dataset:
    """A small circle inside a large one (as ``sklearn.datasets.make_circles``).

    Parameters
    ----------
    n_samples : int, default 200
        Total number of points, at least 2.
    noise : float, default 0.05
        Standard deviation of the Gaussian noise (>= 0).
    factor : float, default 0.5
        Radius of the inner circle (class 1) relative to the outer one (class 0), in (0, 1).
    rng : numpy.random.Generator or int, default 0
        Source of randomness.

    Returns
    -------
    X : numpy.ndarray, shape (n_samples, 2), float64
    y : numpy.ndarray, shape (n_samples,), int64 in {0, 1}
    """
    n, noise = _check_common(n_samples, noise, minimum=2)
    factor = v.check_range("factor", factor, 0.0, 1.0, low_open=True, high_open=True)
    gen = v.make_rng(rng)
    n_outer, n_inner = _counts(n, 2)
    t_out = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_inner, endpoint=False)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = factor * np.column_stack([np.cos(t_in), np.sin(t_in)])
    X = np.vstack([outer, inner])
    y = np.repeat([0, 1], [n_outer, n_inner])
    return _finish(X, y, noise, gen)


def make_spirals(
    n_samples: int = 200,
    noise: float = 0.05,
    n_classes: int = 2,
    rng: np.random.Generator | int = 0,
) -> Dataset:
    """Interleaved spiral arms, one per class (the CS231n spiral data).

    Arm ``k`` has points at radius ``r`` in [0.1, 1] and angle ``2*pi*k/n_classes + 3*pi*r``
    (one and a half turns), so neighbouring arms are ``2 / (3 * n_classes)`` apart along a ray.

    Parameters
    ----------
    n_samples : int, default 200
        Total number of points, at least ``n_classes``.
    noise : float, default 0.05
        Standard deviation of the Gaussian noise (>= 0).
    n_classes : int, default 2
        Number of arms (classes), at least 2.
    rng : numpy.random.Generator or int, default 0
        Source of randomness.

    Returns
    -------
    X : numpy.ndarray, shape (n_samples, 2), float64
    y : numpy.ndarray, shape (n_samples,), int64 in {0, ..., n_classes - 1}
    """
    k = v.check_int("n_classes", n_classes, minimum=2)
    n, noise = _check_common(n_samples, noise, minimum=k)
    gen = v.make_rng(rng)
    sizes = _counts(n, k)
    parts = []
    for cls, size in enumerate(sizes):
        r = np.linspace(0.1, 1.0, size)
        t = 2 * np.pi * cls / k + 3 * np.pi * r
        parts.append(np.column_stack([r * np.cos(t), r * np.sin(t)]))
    y = np.repeat(np.arange(k), sizes)
    return _finish(np.vstack(parts), y, noise, gen)


def make_blobs(
    n_samples: int = 200,
    centers: int | np.ndarray = 2,
    std: float = 1.0,
    rng: np.random.Generator | int = 0,
) -> Dataset:
    """Gaussian clouds, one per class.

    With an integer ``centers = k`` the centres lie on a circle around the origin, ten units
    apart from their neighbours (radius ``5 / sin(pi / k)``), so with the default ``std=1`` the
    classes are separated by five standard deviations: linearly separable in practice.

    Parameters
    ----------
    n_samples : int, default 200
        Total number of points, at least the number of centres.
    centers : int or array_like of shape (k, n_features), default 2
        Number of classes, or the centres themselves.
    std : float, default 1.0
        Standard deviation of each cloud (>= 0).
    rng : numpy.random.Generator or int, default 0
        Source of randomness.

    Returns
    -------
    X : numpy.ndarray, shape (n_samples, n_features), float64
        ``n_features`` is 2 for an integer ``centers``.
    y : numpy.ndarray, shape (n_samples,), int64 in {0, ..., k - 1}
    """
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        k = v.check_int("centers", centers, minimum=1)
        if k == 1:
            C = np.zeros((1, 2))
        else:
            radius = 5.0 / math.sin(math.pi / k)
            angle = 2 * np.pi * np.arange(k) / k
            C = radius * np.column_stack([np.cos(angle), np.sin(angle)])
    else:
        C = v.as_array("centers", centers, ndim=2)
        k = len(C)
    n = v.check_int("n_samples", n_samples, minimum=k)
    std = v.check_positive("std", std, allow_zero=True)
    gen = v.make_rng(rng)
    y = np.repeat(np.arange(k), _counts(n, k))
    return _finish(C[y], y, std, gen)


def _check_dataset(X: object, y: object) -> Dataset:
    """Validate a data set: ``X`` 1-D or 2-D finite numbers, ``y`` 1-D, same length."""
    X = v.as_array("X", X, ndim=(1, 2))
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"y must be an array of labels, got {type(y).__name__}")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must have 1 dimension(s), got shape {y.shape}")
    v.check_same_length("X", X, "y", y)
    return X, y


def train_dev_test_split(
    X: np.ndarray,
    y: np.ndarray,
    fractions: tuple[float, float, float] = (0.6, 0.2, 0.2),
    rng: np.random.Generator | int = 0,
) -> Split:
    """Shuffle a data set and cut it into training, development and test parts.

    The part sizes are ``round(fractions[0] * n)`` and ``round(fractions[1] * n)``; the test
    set gets the rest. Every part gets at least one sample.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features) or (n_samples,)
        Inputs (finite numbers).
    y : array_like, shape (n_samples,)
        Targets; their dtype is kept.
    fractions : tuple of three floats, default (0.6, 0.2, 0.2)
        Positive shares of train, dev and test; they must sum to 1.
    rng : numpy.random.Generator or int, default 0
        Source of randomness for the shuffle.

    Returns
    -------
    Split
        Named tuple ``(train, dev, test)``, each an ``(X, y)`` pair of numpy arrays.
    """
    X, y = _check_dataset(X, y)
    if isinstance(fractions, (str, bytes)) or not hasattr(fractions, "__len__"):
        raise TypeError(f"fractions must be a tuple of three numbers, got {fractions!r}")
    if len(fractions) != 3:
        raise ValueError(f"fractions must have three entries (train, dev, test), got {fractions!r}")
    fr = [v.check_number("fractions", f) for f in fractions]
    if min(fr) <= 0 or not math.isclose(sum(fr), 1.0, abs_tol=1e-9):
        raise ValueError(f"fractions must be positive and sum to 1, got {tuple(fractions)!r}")
    n = len(X)
    n_train, n_dev = round(fr[0] * n), round(fr[1] * n)
    n_train, n_dev = max(n_train, 1), max(n_dev, 1)
    if n_train + n_dev >= n:
        raise ValueError(
            f"X has {n} samples: too few to split with fractions {tuple(fractions)!r} "
            "so that every part is non-empty"
        )
    order = v.make_rng(rng).permutation(n)
    cut = [0, n_train, n_train + n_dev, n]
    parts = [(X[order[a:b]], y[order[a:b]]) for a, b in pairwise(cut)]
    return Split(*parts)


def to_tensors(
    X: np.ndarray, y: np.ndarray | None = None, dtype: torch.dtype | None = None
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    """Convert a data set to torch tensors.

    Label convention: binary labels (integers all in {0, 1}) become floating tensors of shape
    ``(n,)`` (``dtype``), ready for ``torch.nn.BCEWithLogitsLoss`` with a one-output network;
    other integer labels become ``int64`` of shape ``(n,)``, ready for
    ``torch.nn.CrossEntropyLoss``; floating targets (regression) become ``dtype``.
    (:class:`nndl_book.training.Runner` also casts between the two where a loss needs it.)

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features) or (n_samples,)
        Inputs (finite numbers).
    y : array_like of shape (n_samples,), optional
        Targets.
    dtype : torch.dtype, default torch.float32
        Floating dtype of ``X`` (and of binary or floating ``y``).

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor
        ``X`` alone when ``y`` is None, else ``(X, y)``.
    """
    import torch

    dtype = torch.float32 if dtype is None else dtype
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"dtype must be a floating torch.dtype, got {dtype!r}")
    if y is None:
        return torch.as_tensor(v.as_array("X", X, ndim=(1, 2)), dtype=dtype)
    X, y = _check_dataset(X, y)
    Xt = torch.as_tensor(X, dtype=dtype)
    if np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.bool_):
        binary = bool(np.all((y == 0) | (y == 1)))
        yt = torch.as_tensor(y, dtype=dtype if binary else torch.int64)
    else:
        y = v.as_array("y", y, ndim=1)
        yt = torch.as_tensor(y, dtype=dtype)
    return Xt, yt
