"""Classification accuracy of network outputs: numpy arrays and torch tensors alike.

One rule for the whole package. An output with one column (or 1-D) holds binary scores and
predicts class 1 where ``output > threshold`` (0 for logits, 0.5 for probabilities); the true
class is ``target > 0.5``. An output with ``k >= 2`` columns predicts its ``argmax``; the
target holds integer labels, or one-hot rows (their argmax is the label).

:func:`predicted_classes` is the rule itself, unchecked (the numpy engine's ``MLP.predict`` uses
it); :func:`n_correct` counts with it, and the numpy engine's trainer counts with that batch by
batch, after checking its data once. :func:`batched_accuracy` applies the same rule to a stack
of outputs at once.
"""

from __future__ import annotations

import numpy as np

from nndl_book._validate import check_number

__all__ = ["accuracy", "batched_accuracy", "n_correct", "predicted_classes"]


def _numpy(name: str, x: object) -> np.ndarray:
    """A numpy view of an array or a torch tensor (numpy is cheap on a few hundred numbers)."""
    if hasattr(x, "detach") and hasattr(x, "numpy"):  # a torch.Tensor; torch is not imported
        x = x.detach().cpu()
        try:
            return x.numpy()
        except TypeError:  # bfloat16 has no numpy dtype
            return x.float().numpy()
    if isinstance(x, (np.ndarray, list, tuple)):
        return np.asarray(x)
    raise TypeError(f"{name} must be a numpy array or a torch.Tensor, got {type(x).__name__}")


def predicted_classes(output: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """The class each row of ``output`` predicts (unchecked): int64 of shape (n,).

    Parameters
    ----------
    output : numpy.ndarray, shape (n,), (n, 1) or (n, k)
        One column (or 1-D): class 1 where ``output > threshold``, else 0; ``k >= 2`` columns:
        the argmax.
    threshold : float, default 0.0
        0 for logits, 0.5 for probabilities.
    """
    if output.ndim == 1 or output.shape[1] == 1:
        return (output.reshape(-1) > threshold).astype(np.int64)
    return np.argmax(output, axis=1)


def n_correct(output: np.ndarray, labels: np.ndarray, threshold: float = 0.0) -> int:
    """Number of rows of ``output`` whose predicted class equals ``labels`` (unchecked).

    Parameters
    ----------
    output : numpy.ndarray, shape (n,), (n, 1) or (n, k)
    labels : numpy.ndarray, shape (n,)
        The true classes: bool (class 1 = True) or 0/1 for binary outputs, integers in
        ``[0, k)`` for ``k`` columns.
    threshold : float, default 0.0
        Binary outputs only: class 1 where ``output > threshold``.
    """
    return int(np.count_nonzero(predicted_classes(output, threshold) == labels))


def _labels(target: np.ndarray, n_columns: int) -> np.ndarray:
    """True classes (n,) from a target of shape (n,), (n, 1) or one-hot (n, k)."""
    if target.ndim == 2 and target.shape[1] == 1:
        target = target[:, 0]
    elif target.ndim == 2 and target.shape[1] == n_columns > 1:
        return np.argmax(target, axis=1)
    if target.ndim != 1:
        raise ValueError(
            f"target must have shape (n,), (n, 1) or one-hot (n, {n_columns}), got {target.shape}"
        )
    return target > 0.5 if n_columns == 1 else target


def accuracy(output: object, target: object, *, threshold: float = 0.0) -> float:
    """Fraction of correctly classified samples.

    Parameters
    ----------
    output : numpy.ndarray or torch.Tensor, shape (n,), (n, 1) or (n, k)
        Network outputs. One column (or 1-D): binary scores, predicted class 1 when
        ``output > threshold``. ``k >= 2`` columns: predicted class ``argmax``.
    target : numpy.ndarray or torch.Tensor, shape (n,), (n, 1) or (n, k)
        True labels: 0/1 (any numeric dtype; class 1 where ``target > 0.5``) for binary
        outputs; integers in ``{0, ..., k - 1}`` or one-hot rows for ``k`` columns.
    threshold : float, default 0.0
        Decision threshold for binary outputs: 0 for logits, 0.5 for probabilities (a
        sigmoid output; ``nndl_book.engine.MLP.default_threshold()`` gives the right one).

    Returns
    -------
    float
        Accuracy in [0, 1].

    Examples
    --------
    >>> accuracy(np.array([2.0, -1.0, 0.5]), np.array([1, 0, 0]))
    0.6666666666666666
    """
    out = _numpy("output", output)
    tgt = _numpy("target", target)
    if out.ndim not in (1, 2) or len(out) != len(tgt):
        raise ValueError(
            f"output must have shape (n,), (n, 1) or (n, k) with n = len(target) = {len(tgt)}, "
            f"got {out.shape}"
        )
    if len(tgt) == 0:
        raise ValueError("output and target must not be empty")
    columns = 1 if out.ndim == 1 else out.shape[1]
    threshold = check_number("threshold", threshold)
    return n_correct(out, _labels(tgt, columns), threshold) / len(tgt)


def batched_accuracy(outputs: object, target: object, *, threshold: float = 0.0) -> np.ndarray:
    """:func:`accuracy` of several outputs for the same targets, in one vectorised pass.

    The :class:`~nndl_book.training.Runner` uses it (as ``accuracy.batched``) to score many
    full-batch epochs at once.

    Parameters
    ----------
    outputs : numpy.ndarray or torch.Tensor, shape (m, n), (m, n, 1) or (m, n, k)
        ``m`` stacked outputs, each as for :func:`accuracy`.
    target : numpy.ndarray or torch.Tensor, shape (n,)
        True labels.
    threshold : float, default 0.0
        Decision threshold for binary outputs.

    Returns
    -------
    numpy.ndarray, shape (m,)
        The accuracy of each output.
    """
    out = _numpy("outputs", outputs)
    tgt = _numpy("target", target).reshape(-1)
    if out.ndim not in (2, 3) or out.shape[1] != len(tgt) or len(tgt) == 0:
        raise ValueError(
            f"outputs must have shape (m, n), (m, n, 1) or (m, n, k) with n = len(target) = "
            f"{len(tgt)}, got {out.shape}"
        )
    if out.ndim == 2 or out.shape[2] == 1:
        threshold = check_number("threshold", threshold)
        correct = (out.reshape(len(out), -1) > threshold) == (tgt > 0.5)
    else:
        correct = out.argmax(axis=2) == tgt
    return np.count_nonzero(correct, axis=1) / len(tgt)


accuracy.batched = batched_accuracy  # type: ignore[attr-defined]
