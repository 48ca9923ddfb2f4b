"""Small seeded toy data sets in two dimensions.

Every generator returns ``X`` of shape ``(n_samples, n_features)`` (float64) and ``y`` of shape
``(n_samples,)`` (int64 class labels), with the rows shuffled. Randomness comes only from the
``rng`` argument (a ``numpy.random.Generator`` or an integer seed), so a call is reproducible.
"""

from __future__ import annotations

import math

import numpy as np

from nndl_book import _validate as v

__all__ = ["make_blobs", "make_moons", "make_xor"]

Dataset = tuple[np.ndarray, np.ndarray]


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
