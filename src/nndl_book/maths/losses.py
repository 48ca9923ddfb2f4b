r"""Losses and their gradients wrt the prediction (NNDL §2.2.2 and ch. 3, Nielsen ch. 3).

Every loss takes ``(prediction, target, reduction="mean")`` and returns a Python float; its
gradient ``d_<loss>`` takes the same arguments and returns an array shaped like the
prediction. ``reduction="mean"`` averages as the matching ``torch.nn`` loss does,
``reduction="sum"`` adds. Inputs must be finite: NaN or inf raises ``ValueError``.

Also here: :func:`softmax`, :func:`log_softmax`, :func:`softmax_jacobian` and :func:`one_hot`.

Each loss is written once, as an unchecked *kernel* ``(prediction, target, scale) -> (loss,
gradient)`` on float64 arrays; the public functions check their arguments and call it, and
the numpy engine's trainer calls the kernels directly through :data:`KERNELS` after checking
its data once (a leading underscore marks such an unchecked function).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nndl_book._validate import (
    LOOKUP_RAISES,
    as_array,
    check_choice,
    check_int,
    check_positive,
    check_shape,
    fill_doc,
    lookup,
)
from nndl_book.maths.activations import _sigmoid

__all__ = [
    "BCE_EPS",
    "KERNELS",
    "LOSSES",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "d_binary_cross_entropy",
    "d_binary_cross_entropy_with_logits",
    "d_cross_entropy",
    "d_mae",
    "d_mse",
    "get_loss",
    "log_softmax",
    "mae",
    "mean_loss_and_grad",
    "mse",
    "nll_loss",
    "one_hot",
    "softmax",
    "softmax_jacobian",
]

#: How far from 1 a probability vector's sum may be (rounding in the caller's arithmetic).
_SUM_TOL = 1e-6

_REDUCTIONS = ("mean", "sum")
_LOG_CLAMP = -100.0  # torch.nn.BCELoss clamps log(p) and log(1-p) to >= -100
BCE_EPS = float(np.float32(1e-12))
"""Floor of :math:`p(1-p)` in the BCE gradient: torch's ``binary_cross_entropy`` backward divides
by ``max(p(1-p), EPSILON)`` with ``EPSILON`` the float32 number nearest :math:`10^{-12}`
(``9.99999996e-13``), also for float64 inputs; this is that number, so the gradients agree
bit for bit (tests/test_losses.py)."""


# ---------------------------------------------------------------- argument checks


def _pair(
    pred_name: str, pred: object, target_name: str, target: object
) -> tuple[np.ndarray, np.ndarray]:
    """Prediction and target as float64 arrays of the same shape."""
    p = as_array(pred_name, pred)
    t = as_array(target_name, target)
    if p.shape != t.shape:
        raise ValueError(
            f"{target_name} must have the same shape as {pred_name} {p.shape}, got {t.shape}"
        )
    return p, t


def _scale(reduction: str, n: int) -> float:
    """Factor applied to a summed loss: ``1/n`` for ``"mean"``, 1 for ``"sum"``."""
    check_choice("reduction", reduction, _REDUCTIONS)
    return 1.0 / n if reduction == "mean" else 1.0


def _check_unit_interval(name: str, a: np.ndarray, what: str = "probabilities") -> None:
    if np.any(a < 0) or np.any(a > 1):
        raise ValueError(
            f"{name} must contain {what} in [0, 1], got values in [{a.min():g}, {a.max():g}]"
        )


def _axis(axis: object, ndim: int) -> int:
    axis = check_int("axis", axis)
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"axis must be in [{-ndim}, {ndim}) for an array of {ndim} dim(s), got {axis}"
        )
    return axis


def _labels(name: str, labels: object, n_classes: int, n: int | None = None) -> np.ndarray:
    """Integer class labels of shape (n,) in ``[0, n_classes)``."""
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(
            f"{name} must be an array of integer class labels, got {type(labels).__name__}"
        )
    raw = np.asarray(labels)
    if raw.dtype.kind == "b" or raw.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be integer class labels, got dtype {raw.dtype}")
    if raw.ndim != 1:
        raise ValueError(f"{name} must have 1 dimension(s), got shape {raw.shape}")
    if raw.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {raw.shape}")
    if raw.dtype.kind == "f":
        if not np.all(np.isfinite(raw)):
            raise ValueError(f"{name} must contain only finite numbers (found NaN or inf)")
        bad = raw[raw != np.round(raw)]
        if bad.size:
            raise ValueError(
                f"{name} must be integer class labels, got non-integer value {bad[0]:g}"
            )
    out = raw.astype(np.int64)
    if n is not None and out.shape[0] != n:
        raise ValueError(f"{name} must have one label per row ({n}), got {out.shape[0]}")
    if out.min() < 0 or out.max() >= n_classes:
        raise ValueError(
            f"{name} must be in [0, {n_classes}), got values in [{out.min()}, {out.max()}]"
        )
    return out


# ---------------------------------------------------------------- kernels
# Unchecked: float64 arrays of matching shapes, ``scale`` = 1/N (mean) or 1 (sum). Each returns
# ``(loss, dL/d(prediction))``.

Kernel = Callable[[np.ndarray, np.ndarray, float], tuple[float, np.ndarray]]


def _mse(p: np.ndarray, t: np.ndarray, scale: float) -> tuple[float, np.ndarray]:
    d = p - t
    return float(np.sum(d**2) * scale), 2.0 * d * scale


def _mae(p: np.ndarray, t: np.ndarray, scale: float) -> tuple[float, np.ndarray]:
    d = p - t
    return float(np.sum(np.abs(d)) * scale), np.sign(d) * scale


def _bce(p: np.ndarray, t: np.ndarray, scale: float) -> tuple[float, np.ndarray]:
    with np.errstate(divide="ignore"):  # log(0) = -inf, clamped to -100 as torch does
        log_p = np.maximum(np.log(p), _LOG_CLAMP)
        log_1mp = np.maximum(np.log1p(-p), _LOG_CLAMP)
    loss = float(-np.sum(t * log_p + (1.0 - t) * log_1mp) * scale)
    return loss, (p - t) / np.maximum(p * (1.0 - p), BCE_EPS) * scale


def _bce_with_logits(z: np.ndarray, t: np.ndarray, scale: float) -> tuple[float, np.ndarray]:
    e = np.exp(-np.abs(z))
    loss = float(np.sum(np.maximum(z, 0.0) - z * t + np.log1p(e)) * scale)
    return loss, (_sigmoid(z, e) - t) * scale


def _cross_entropy(z: np.ndarray, t: np.ndarray, scale: float) -> tuple[float, np.ndarray]:
    """``t``: integer labels of shape (n,), or a probability matrix of the shape of ``z``."""
    s = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(s)
    total = np.sum(e, axis=1, keepdims=True)
    grad = e / total  # softmax(z)
    if t.ndim == 1:
        rows = np.arange(z.shape[0])
        loss = -np.sum(s[rows, t] - np.log(total[:, 0])) * scale
        grad[rows, t] -= 1.0
        return float(loss), grad * scale
    loss = -np.sum(t * (s - np.log(total))) * scale
    # softmax(z) * row sum - t: the exact gradient of the loss above (the row sums are 1)
    return float(loss), (grad * t.sum(axis=1, keepdims=True) - t) * scale


KERNELS: dict[str, Kernel] = {
    "mse": _mse,
    "mae": _mae,
    "binary_cross_entropy": _bce,
    "binary_cross_entropy_with_logits": _bce_with_logits,
    "cross_entropy": _cross_entropy,
}
"""Loss name to its unchecked kernel ``(prediction, target, scale) -> (loss, gradient)``."""


def mean_loss_and_grad(name: str) -> Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]:
    """The kernel of the loss ``name`` with ``reduction="mean"``, for training loops.

    The returned ``loss_and_grad(prediction, target)`` checks nothing: give it float64 arrays
    as the public loss would accept them (``cross_entropy``: int labels of shape (n,)).
    """
    kernel = lookup("loss", name, KERNELS)
    if name == "cross_entropy":  # the mean over the n rows, as the public function
        return lambda z, t: kernel(z, t, 1.0 / z.shape[0])
    return lambda p, t: kernel(p, t, 1.0 / p.size)


# ---------------------------------------------------------------- regression losses


def mse(y_hat: object, y: object, reduction: str = "mean") -> float:
    r"""Mean squared error :math:`\frac1N \sum_i (\hat y_i - y_i)^2`, as ``torch.nn.MSELoss``.

    Parameters
    ----------
    y_hat : array_like, any shape
        Predictions.
    y : array_like, same shape as ``y_hat``
        Targets.
    reduction : {"mean", "sum"}, default "mean"
        Average over all :math:`N` entries or add them.

    Returns
    -------
    float
    """
    p, t = _pair("y_hat", y_hat, "y", y)
    return _mse(p, t, _scale(reduction, p.size))[0]


def d_mse(y_hat: object, y: object, reduction: str = "mean") -> np.ndarray:
    r""":math:`\partial L/\partial \hat y = 2(\hat y - y)/N` (without :math:`1/N` for ``"sum"``).

    Returns an array of the shape of ``y_hat``.
    """
    p, t = _pair("y_hat", y_hat, "y", y)
    return _mse(p, t, _scale(reduction, p.size))[1]


def mae(y_hat: object, y: object, reduction: str = "mean") -> float:
    r"""Mean absolute error :math:`\frac1N \sum_i |\hat y_i - y_i|`, as ``torch.nn.L1Loss``.

    Parameters as :func:`mse`. Returns a float.
    """
    p, t = _pair("y_hat", y_hat, "y", y)
    return _mae(p, t, _scale(reduction, p.size))[0]


def d_mae(y_hat: object, y: object, reduction: str = "mean") -> np.ndarray:
    r""":math:`\operatorname{sign}(\hat y - y)/N`, with :math:`\operatorname{sign}(0) = 0` as torch.

    Returns an array of the shape of ``y_hat``.
    """
    p, t = _pair("y_hat", y_hat, "y", y)
    return _mae(p, t, _scale(reduction, p.size))[1]


# ---------------------------------------------------------------- binary cross-entropy


def _probabilities(p: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    p, t = _pair("p", p, "y", y)
    _check_unit_interval("p", p)
    _check_unit_interval("y", t, "targets")
    return p, t


def binary_cross_entropy(p: object, y: object, reduction: str = "mean") -> float:
    r"""Binary cross-entropy on probabilities, as ``torch.nn.BCELoss``.

    .. math:: L = -\frac1N \sum_i \big[y_i \log p_i + (1 - y_i)\log(1 - p_i)\big]

    Each logarithm is clamped to :math:`\ge -100` (torch's choice), so :math:`p = 0` or 1
    gives a large finite loss instead of ``inf``.

    Parameters
    ----------
    p : array_like, any shape
        Predicted probabilities in :math:`[0, 1]`.
    y : array_like, same shape as ``p``
        Targets in :math:`[0, 1]` (usually 0 or 1).
    reduction : {"mean", "sum"}, default "mean"

    Returns
    -------
    float
    """
    p, t = _probabilities(p, y)
    return _bce(p, t, _scale(reduction, p.size))[0]


def d_binary_cross_entropy(p: object, y: object, reduction: str = "mean") -> np.ndarray:
    r""":math:`\partial L/\partial p = \frac{p - y}{\max(p(1-p),\ \epsilon)}\cdot\frac1N`.

    :math:`\epsilon` is :data:`BCE_EPS`, torch's floor: the float32 number nearest
    :math:`10^{-12}`, used by torch's backward also for float64 inputs. With it the gradient
    stays finite at :math:`p \in \{0, 1\}` and equals torch's bit for bit there too.
    Returns an array of the shape of ``p``.
    """
    p, t = _probabilities(p, y)
    return _bce(p, t, _scale(reduction, p.size))[1]


def binary_cross_entropy_with_logits(z: object, y: object, reduction: str = "mean") -> float:
    r"""Binary cross-entropy of :math:`\sigma(z)`, as ``torch.nn.BCEWithLogitsLoss``.

    .. math:: L = \frac1N \sum_i \big[\max(z_i, 0) - z_i y_i + \log(1 + e^{-|z_i|})\big]

    which equals :math:`-[y\log\sigma(z) + (1-y)\log(1-\sigma(z))]` but never overflows.

    Parameters
    ----------
    z : array_like, any shape
        Logits (pre-sigmoid scores).
    y : array_like, same shape as ``z``
        Targets in :math:`[0, 1]`.
    reduction : {"mean", "sum"}, default "mean"

    Returns
    -------
    float
    """
    z, t = _pair("z", z, "y", y)
    _check_unit_interval("y", t, "targets")
    return _bce_with_logits(z, t, _scale(reduction, z.size))[0]


def d_binary_cross_entropy_with_logits(z: object, y: object, reduction: str = "mean") -> np.ndarray:
    r""":math:`\partial L/\partial z = (\sigma(z) - y)/N`. Array of the shape of ``z``."""
    z, t = _pair("z", z, "y", y)
    _check_unit_interval("y", t, "targets")
    return _bce_with_logits(z, t, _scale(reduction, z.size))[1]


# ---------------------------------------------------------------- softmax


def softmax(z: object, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Softmax :math:`\mathrm{softmax}(z)_j = e^{z_j/T} / \sum_k e^{z_k/T}` along ``axis``.

    The maximum is subtracted first (this leaves the result unchanged), so no ``exp``
    overflows.

    Parameters
    ----------
    z : array_like, at least 1-D
        Scores, e.g. logits of shape (n_samples, n_classes).
    axis : int, default -1
        Axis holding the classes.
    temperature : float, default 1.0
        :math:`T > 0`; large :math:`T` flattens the distribution, small :math:`T` sharpens it.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; non-negative, summing to 1 along ``axis``.
    """
    z = as_array("z", z)
    if z.ndim == 0:
        raise ValueError("z must have at least 1 dimension(s), got shape ()")
    axis = _axis(axis, z.ndim)
    temperature = check_positive("temperature", temperature)
    s = z / temperature
    e = np.exp(s - np.max(s, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z: object, axis: int = -1) -> np.ndarray:
    r"""Log-softmax :math:`z_j - m - \log\sum_k e^{z_k - m}` with :math:`m = \max_k z_k`.

    Parameters
    ----------
    z : array_like, at least 1-D
    axis : int, default -1

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; finite for any finite ``z``.
    """
    z = as_array("z", z)
    if z.ndim == 0:
        raise ValueError("z must have at least 1 dimension(s), got shape ()")
    axis = _axis(axis, z.ndim)
    s = z - np.max(z, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def softmax_jacobian(a: object) -> np.ndarray:
    r"""Jacobian of softmax at the point whose output is ``a``: :math:`\mathrm{diag}(a) - a a^\top`.

    Entry :math:`(i, j)` is :math:`\partial a_i / \partial z_j = a_i(\delta_{ij} - a_j)`.

    Parameters
    ----------
    a : array_like, shape (k,)
        One probability vector (entries in :math:`[0, 1]` summing to 1), e.g. ``softmax(z)``.

    Returns
    -------
    numpy.ndarray, shape (k, k)
        Symmetric; each row and column sums to 0.
    """
    a = as_array("a", a, ndim=1)
    _check_unit_interval("a", a)
    if abs(a.sum() - 1.0) > _SUM_TOL:
        raise ValueError(f"a must sum to 1 (a probability vector), got sum {a.sum():g}")
    return np.diag(a) - np.outer(a, a)


# ---------------------------------------------------------------- multi-class losses


def one_hot(labels: object, n_classes: int) -> np.ndarray:
    r"""One-hot encoding: row :math:`i` is the unit vector :math:`e_{y_i}`.

    Parameters
    ----------
    labels : array_like of int, shape (n,)
        Class indices in :math:`[0, \text{n\_classes})`.
    n_classes : int
        Number of classes :math:`k \ge 1`.

    Returns
    -------
    numpy.ndarray, shape (n, n_classes)
        float64 zeros with a single 1 per row.
    """
    n_classes = check_int("n_classes", n_classes, minimum=1)
    y = _labels("labels", labels, n_classes)
    out = np.zeros((y.shape[0], n_classes))
    out[np.arange(y.shape[0]), y] = 1.0
    return out


def _ce_target(logits: np.ndarray, target: object) -> np.ndarray:
    """``target`` as int labels (n,) in ``[0, k)`` or an (n, k) matrix of probabilities."""
    n, k = logits.shape
    if np.ndim(target) == 2:
        t = as_array("target", target)
        check_shape("target", t, (n, k))
        _check_unit_interval("target", t)
        sums = t.sum(axis=1)
        if np.any(np.abs(sums - 1.0) > _SUM_TOL):
            raise ValueError(
                "target rows must sum to 1 (probabilities or one-hot), got row "
                f"sums in [{sums.min():g}, {sums.max():g}]"
            )
        return t
    return _labels("target", target, k, n)


def cross_entropy(logits: object, target: object, reduction: str = "mean") -> float:
    r"""Softmax cross-entropy on logits, as ``torch.nn.CrossEntropyLoss``.

    .. math:: L = -\frac1n \sum_{i=1}^n \sum_{c=1}^k y_{ic} \log \mathrm{softmax}(z_i)_c

    computed from :math:`z - \max_c z_c` (as :func:`log_softmax`), so logits of
    :math:`\pm 1000` give a finite loss.

    Parameters
    ----------
    logits : array_like, shape (n, k)
        Scores :math:`z` for each of the :math:`k` classes.
    target : array_like, shape (n,) of int or (n, k) of float
        Class labels in :math:`[0, k)`, or a matrix of target probabilities (one-hot or soft;
        each row sums to 1).
    reduction : {"mean", "sum"}, default "mean"
        Average over the :math:`n` samples or add them.

    Returns
    -------
    float
    """
    z = as_array("logits", logits, ndim=2)
    t = _ce_target(z, target)
    return _cross_entropy(z, t, _scale(reduction, z.shape[0]))[0]


def d_cross_entropy(logits: object, target: object, reduction: str = "mean") -> np.ndarray:
    r""":math:`\partial L/\partial z = (\mathrm{softmax}(z) - y)/n` (rows of :math:`y` sum to 1).

    Returns an array of shape (n, k), like ``logits``.
    """
    z = as_array("logits", logits, ndim=2)
    t = _ce_target(z, target)
    return _cross_entropy(z, t, _scale(reduction, z.shape[0]))[1]


def nll_loss(log_probs: object, labels: object, reduction: str = "mean") -> float:
    r"""Negative log-likelihood :math:`-\frac1n \sum_i \log p_{i, y_i}`, as ``torch.nn.NLLLoss``.

    Parameters
    ----------
    log_probs : array_like, shape (n, k)
        Log-probabilities, e.g. ``log_softmax(logits)``.
    labels : array_like of int, shape (n,)
        Class indices in :math:`[0, k)`.
    reduction : {"mean", "sum"}, default "mean"

    Returns
    -------
    float
    """
    lp = as_array("log_probs", log_probs, ndim=2)
    y = _labels("labels", labels, lp.shape[1], lp.shape[0])
    picked = lp[np.arange(lp.shape[0]), y]
    return float(-np.sum(picked) * _scale(reduction, lp.shape[0]))


# ---------------------------------------------------------------- registry

LossFn = Callable[..., float]
GradFn = Callable[..., np.ndarray]

LOSSES: dict[str, tuple[LossFn, GradFn]] = {
    "mse": (mse, d_mse),
    "mae": (mae, d_mae),
    "binary_cross_entropy": (binary_cross_entropy, d_binary_cross_entropy),
    "binary_cross_entropy_with_logits": (
        binary_cross_entropy_with_logits,
        d_binary_cross_entropy_with_logits,
    ),
    "cross_entropy": (cross_entropy, d_cross_entropy),
}
"""Loss name to ``(loss, gradient)``; both take ``(prediction, target, reduction="mean")``."""


@fill_doc(raises=LOOKUP_RAISES)
def get_loss(name: str) -> tuple[LossFn, GradFn]:
    """Return ``(loss_fn, grad_fn)`` for ``name``, a key of :data:`LOSSES`.

    {raises}
    """
    return lookup("loss", name, LOSSES)
