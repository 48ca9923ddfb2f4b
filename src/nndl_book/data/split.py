"""A seeded train/dev/test split, standardisation from the training part, tensors.

torch is imported only inside :func:`target_tensor` and :func:`to_tensors`.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from nndl_book import _validate as v

if TYPE_CHECKING:
    import torch

__all__ = ["Split", "Standardiser", "target_tensor", "to_tensors", "train_dev_test_split"]

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


class Standardiser:
    """Standardise features with statistics of the training data only.

    ``fit`` computes each feature's mean and standard deviation on the training inputs;
    ``transform`` maps any inputs (training, dev, test, a reader's drawing) to
    ``(X - mean) / scale``. A feature that is constant in the training data (standard deviation
    below ``eps``) has ``scale`` 1, so it is only centred. Statistics are never taken from the
    dev or test data: they would leak information about them into the model.

    Parameters
    ----------
    eps : float, default 1e-8
        Standard deviations below this count as zero.

    Attributes
    ----------
    mean : numpy.ndarray, shape (n_features,)
        Training mean of each feature (after :meth:`fit`).
    scale : numpy.ndarray, shape (n_features,)
        Training standard deviation of each feature, or 1 where it is below ``eps``.
    """

    def __init__(self, eps: float = 1e-8) -> None:
        self.eps = v.check_positive("eps", eps)
        self.mean: np.ndarray | None = None
        self.scale: np.ndarray | None = None

    def fit(self, X: object) -> Standardiser:
        """Compute the mean and scale of ``X``, shape ``(n_samples, n_features)``; return self."""
        X = v.as_array("X", X, ndim=2)
        std = X.std(axis=0)
        self.mean = X.mean(axis=0)
        self.scale = np.where(std < self.eps, 1.0, std)
        return self

    def transform(self, X: object) -> np.ndarray:
        """Return ``(X - mean) / scale``, shape of ``X``: ``(n_samples, n_features)``."""
        if self.mean is None or self.scale is None:
            raise ValueError("Standardiser is not fitted: call fit(X_train) first")
        X = v.as_array("X", X, ndim=2)
        if X.shape[1] != len(self.mean):
            raise ValueError(
                f"X must have {len(self.mean)} features as the training data, got shape {X.shape}"
            )
        return (X - self.mean) / self.scale

    def fit_transform(self, X: object) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)


def target_tensor(name: str, y: object, dtype: torch.dtype, *, ndim: int | None = None
                  ) -> torch.Tensor:
    """Targets as the book's losses take them: the label convention, in one place.

    Integer (or boolean) labels that are all 0 or 1 become ``dtype``, for
    ``torch.nn.BCEWithLogitsLoss`` on one output; other integer labels become ``int64`` class
    indices, for ``torch.nn.CrossEntropyLoss``; real-valued targets (regression) become ``dtype``
    and must be finite (with ``ndim`` dimensions, when given). ``name`` names ``y`` in errors.
    Used by :func:`to_tensors` and by :class:`nndl_book.training.Runner`.
    """
    import torch

    arr = np.asarray(y)
    if np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.bool_):
        binary = bool(np.all((arr == 0) | (arr == 1)))
        return torch.as_tensor(arr, dtype=dtype if binary else torch.int64)
    return torch.as_tensor(v.as_array(name, arr, ndim=ndim), dtype=dtype)


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
    return torch.as_tensor(X, dtype=dtype), target_tensor("y", y, dtype, ndim=1)
