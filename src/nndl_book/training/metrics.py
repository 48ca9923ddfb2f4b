"""Classification metrics on network outputs (logits)."""

from __future__ import annotations

import numpy as np
import torch

from nndl_book import _validate as v

__all__ = ["accuracy", "batched_accuracy"]


def _array(name: str, x: object) -> np.ndarray:
    """A numpy view of ``x`` (numpy is much cheaper than torch on a few hundred numbers)."""
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if not x.is_cpu or x.dtype == torch.bfloat16:
            x = x.cpu().float()
        return x.numpy()
    if isinstance(x, (np.ndarray, list, tuple)):
        return np.asarray(x)
    raise TypeError(f"{name} must be a torch.Tensor or numpy array, got {type(x).__name__}")


def accuracy(output: torch.Tensor, target: torch.Tensor, *, threshold: float = 0.0) -> float:
    """Fraction of correctly classified samples.

    Parameters
    ----------
    output : torch.Tensor or numpy.ndarray, shape (n,), (n, 1) or (n, k)
        Network outputs. One column (or 1-D): binary logits, predicted class 1 when
        ``output > threshold``. ``k >= 2`` columns: multi-class scores, predicted class
        ``argmax``.
    target : torch.Tensor or numpy.ndarray, shape (n,)
        True labels: 0/1 (any numeric dtype) for binary outputs, integers in
        ``{0, ..., k - 1}`` for multi-class outputs.
    threshold : float, default 0.0
        Decision threshold for binary outputs; use 0.5 when ``output`` holds probabilities
        (a sigmoid output layer) instead of logits.

    Returns
    -------
    float
        Accuracy in [0, 1].

    Examples
    --------
    >>> accuracy(torch.tensor([2.0, -1.0, 0.5]), torch.tensor([1, 0, 0]))
    0.6666666666666666
    """
    out = _array("output", output)
    tgt = _array("target", target)
    if tgt.ndim == 2 and tgt.shape[1] == 1:
        tgt = tgt[:, 0]
    if tgt.ndim != 1:
        raise ValueError(f"target must have shape (n,), got {tgt.shape}")
    if out.ndim not in (1, 2) or len(out) != len(tgt):
        raise ValueError(
            f"output must have shape (n,), (n, 1) or (n, k) with n = len(target) = {len(tgt)}, "
            f"got {out.shape}"
        )
    if len(tgt) == 0:
        raise ValueError("output and target must not be empty")
    if out.ndim == 1 or out.shape[1] == 1:
        threshold = v.check_number("threshold", threshold)
        correct = np.count_nonzero((out.reshape(-1) > threshold) == (tgt > 0.5))
    else:
        correct = np.count_nonzero(out.argmax(axis=1) == tgt)
    return correct / len(tgt)


def batched_accuracy(
    outputs: torch.Tensor, target: torch.Tensor, *, threshold: float = 0.0
) -> np.ndarray:
    """:func:`accuracy` of several outputs for the same targets, in one vectorised pass.

    The :class:`~nndl_book.training.Runner` uses it (as ``accuracy.batched``) to score many
    full-batch epochs at once.

    Parameters
    ----------
    outputs : torch.Tensor or numpy.ndarray, shape (m, n), (m, n, 1) or (m, n, k)
        ``m`` stacked outputs, each as for :func:`accuracy`.
    target : torch.Tensor or numpy.ndarray, shape (n,)
        True labels.
    threshold : float, default 0.0
        Decision threshold for binary outputs.

    Returns
    -------
    numpy.ndarray, shape (m,)
        The accuracy of each output.
    """
    out = _array("outputs", outputs)
    tgt = _array("target", target).reshape(-1)
    if out.ndim not in (2, 3) or out.shape[1] != len(tgt) or len(tgt) == 0:
        raise ValueError(
            f"outputs must have shape (m, n), (m, n, 1) or (m, n, k) with n = len(target) = "
            f"{len(tgt)}, got {out.shape}"
        )
    if out.ndim == 2 or out.shape[2] == 1:
        threshold = v.check_number("threshold", threshold)
        correct = (out.reshape(len(out), -1) > threshold) == (tgt > 0.5)
    else:
        correct = out.argmax(axis=2) == tgt
    return np.count_nonzero(correct, axis=1) / len(tgt)


accuracy.batched = batched_accuracy  # type: ignore[attr-defined]
