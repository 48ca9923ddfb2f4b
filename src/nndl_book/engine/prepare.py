"""Check a data set for an engine ``MLP`` once, so that the loops over it can run unchecked."""

from __future__ import annotations

import numpy as np

from nndl_book import _validate as v
from nndl_book.engine.mlp import _PROBABILITY_OUTPUTS, MLP
from nndl_book.maths.losses import KERNELS

__all__ = ["prepare_data"]


def _targets(name: str, loss: str, y: object, n_out: int) -> np.ndarray:
    """Targets in the shape the loss kernel expects."""
    if loss == "cross_entropy":
        arr = v.as_array(name, y, ndim=1)
        labels = arr.astype(np.int64)
        if np.any(labels != arr) or np.any(labels < 0) or np.any(labels >= n_out):
            raise ValueError(
                f"{name} must hold integer class labels in [0, {n_out}) for cross_entropy "
                f"with a {n_out}-output model"
            )
        return labels
    arr = v.as_array(name, y, ndim=(1, 2))
    if arr.ndim == 1:
        if n_out != 1:
            raise ValueError(
                f"{name} must have shape (n, {n_out}) for a model with {n_out} outputs, "
                f"got {arr.shape}"
            )
        arr = arr[:, None]
    v.check_shape(name, arr, (None, n_out))
    if loss.startswith("binary_cross_entropy") and (np.any(arr < 0) or np.any(arr > 1)):
        raise ValueError(f"{name} must hold targets in [0, 1] for {loss}")
    return arr


def prepare_data(
    model: MLP, loss: str, X: object, y: object, names: tuple[str, str] = ("X", "y")
) -> tuple[np.ndarray, np.ndarray]:
    """Check inputs and targets for ``model`` and the loss ``loss``; return them as arrays.

    Used by :func:`~nndl_book.engine.train` (for the training and the dev set) and by
    :func:`~nndl_book.engine.gradcheck.check_gradients`, which then call the model's and the losses'
    unchecked fast paths.

    Parameters
    ----------
    model : MLP
    loss : str
        A key of :data:`nndl_book.maths.losses.KERNELS`.
    X : array_like of shape (n, model.sizes[0])
    y : array_like
        ``cross_entropy``: integer labels of shape (n,) in ``[0, n_out)``. Every other loss:
        shape (n, n_out); shape (n,) is accepted for one output.
    names : (str, str), default ("X", "y")
        Argument names used in error messages, e.g. ``("dev[0]", "dev[1]")``.

    Returns
    -------
    X : numpy.ndarray, float64, shape (n, n_in)
    y : numpy.ndarray
        int64 labels (n,) for ``cross_entropy``, else float64 (n, n_out).

    Raises
    ------
    ValueError
        On a wrong shape, different lengths, targets the loss cannot take, or
        ``binary_cross_entropy`` with a model whose output is not a probability.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an nndl_book.engine.MLP, got {type(model).__name__}")
    loss = v.check_choice("loss", loss, KERNELS)
    x_name, y_name = names
    X = v.as_array(x_name, X, ndim=2)
    v.check_shape(x_name, X, (None, model.sizes[0]))
    y = _targets(y_name, loss, y, model.sizes[-1])
    v.check_same_length(x_name, X, y_name, y)
    if loss == "binary_cross_entropy" and model.output_activation not in _PROBABILITY_OUTPUTS:
        raise ValueError(
            "loss 'binary_cross_entropy' needs probabilities: build the model with "
            "output_activation='sigmoid', or use loss='binary_cross_entropy_with_logits'"
        )
    return X, y
