"""Gradient checking: compare back-propagation with central finite differences."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nndl_book import _validate as v
from nndl_book.engine.mlp import MLP
from nndl_book.engine.prepare import prepare_data
from nndl_book.maths.losses import LOSSES, get_loss


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: object, eps: float = 1e-6
) -> np.ndarray:
    """Central-difference gradient ``(f(x + ε eᵢ) − f(x − ε eᵢ)) / 2ε`` of a scalar function.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a number.
    x : numpy.ndarray or array_like, any shape
        The point. A float64 array is perturbed **in place** (one entry at a time) and restored,
        so ``f`` may ignore its argument and read a live parameter array instead.
    eps : float, default 1e-6

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``. The error is about ``ε²·f‴ + 10⁻¹⁶·|f| / ε``.
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a number, got {type(f).__name__}")
    eps = v.check_positive("eps", eps)
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        arr = x
        if not np.all(np.isfinite(arr)):
            raise ValueError("x must contain only finite numbers (found NaN or inf)")
    else:
        arr = v.as_array("x", x, allow_empty=True).copy()
    grad = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        old = arr[idx]
        arr[idx] = old + eps
        f_plus = float(f(arr))
        arr[idx] = old - eps
        f_minus = float(f(arr))
        arr[idx] = old
        grad[idx] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Worst entry relative to the gradient's scale: ``max|a − n| / max(max|a|, max|n|, 1e-8)``.

    Scaling by the largest entry (not entry by entry) keeps tiny gradient entries, where the
    finite-difference noise of about 1e-10 dominates, from looking like failures.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(n))), 1e-8)
    return float(np.max(np.abs(a - n)) / scale)


def check_gradients(
    model: MLP, loss_name: str, X: object, y: object, eps: float = 1e-6
) -> dict[str, float]:
    """Compare ``model.backward`` with ``numerical_gradient`` for every parameter.

    Parameters
    ----------
    model : MLP
        Its parameters are perturbed and restored.
    loss_name : str
        A ``nndl_book.maths.losses`` name (targets as for ``train``).
    X : array_like of shape (n, n_in)
    y : array_like
        Targets: (n,) or (n, n_out), integer labels (n,) for ``cross_entropy``.
    eps : float, default 1e-6

    Returns
    -------
    dict
        Parameter name (``"W1"``, ``"b1"``, ...) → ``relative_error`` between the analytic and
        numerical gradients; below about 1e-7 means back-propagation is right.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an nndl_book.engine.MLP, got {type(model).__name__}")
    loss_name = v.check_choice("loss_name", loss_name, LOSSES)
    X, y = prepare_data(model, loss_name, X, y)
    loss_fn, grad_fn = get_loss(loss_name)

    out = model._forward(X)
    model._backward(grad_fn(out, y))
    analytic = [g.copy() for g in model.gradients()]

    def loss_at(_: np.ndarray) -> float:
        return float(loss_fn(model._forward(X), y))

    return {
        name: relative_error(a, numerical_gradient(loss_at, p, eps))
        for name, p, a in zip(model.parameter_names(), model.parameters(), analytic, strict=True)
    }
