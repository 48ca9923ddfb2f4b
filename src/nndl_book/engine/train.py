"""A small, fast trainer for the numpy engine (full batch or mini-batch), used by live widgets."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nndl_book import _validate as v
from nndl_book.engine.history import History
from nndl_book.engine.mlp import _PROBABILITY_OUTPUTS, MLP
from nndl_book.engine.optim import make_optimizer

# -- losses ------------------------------------------------------------------------------------
# The trainer evaluates each loss and its gradient in one pass, without the argument checks of
# ``nndl_book.maths.losses`` (done once before the loop): the same formulas, the same operations,
# so the values agree with ``get_loss(name)`` to rounding (tests/test_engine.py checks it).


def _mse(out: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    d, scale = out - y, 1.0 / out.size
    return float(np.sum(d**2) * scale), 2.0 * d * scale


def _mae(out: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    d, scale = out - y, 1.0 / out.size
    return float(np.sum(np.abs(d)) * scale), np.sign(d) * scale


def _bce(p: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    scale = 1.0 / p.size
    log_p = np.maximum(np.log(p), -100.0)  # torch's clamp of log(p) and log(1 - p)
    log_1mp = np.maximum(np.log1p(-p), -100.0)
    loss = float(-np.sum(y * log_p + (1.0 - y) * log_1mp) * scale)
    return loss, (p - y) / np.maximum(p * (1.0 - p), 1e-12) * scale


def _bce_with_logits(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    scale = 1.0 / z.size
    e = np.exp(-np.abs(z))
    loss = float(np.sum(np.maximum(z, 0.0) - z * y + np.log1p(e)) * scale)
    return loss, (np.where(z >= 0, 1.0, e) / (1.0 + e) - y) * scale


def _cross_entropy(z: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    n, rows = z.shape[0], np.arange(z.shape[0])
    s = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(s)
    total = np.sum(e, axis=1, keepdims=True)
    loss = float(-np.sum(s[rows, labels] - np.log(total[:, 0])) / n)
    grad = e / total
    grad[rows, labels] -= 1.0
    return loss, grad * (1.0 / n)


LossAndGrad = Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]
LOSS_AND_GRAD: dict[str, LossAndGrad] = {
    "mse": _mse,
    "mae": _mae,
    "binary_cross_entropy": _bce,
    "binary_cross_entropy_with_logits": _bce_with_logits,
    "cross_entropy": _cross_entropy,
}
"""Loss name → ``loss_and_grad(output, target) -> (mean loss, dL/d(output))``, unchecked."""


def _prepare_inputs(name: str, X: object, model: MLP) -> np.ndarray:
    arr = v.as_array(name, X, ndim=2)
    v.check_shape(name, arr, (None, model.sizes[0]))
    return arr


def _prepare_targets(name: str, loss: str, y: object, n_out: int) -> np.ndarray:
    """Targets in the shape the loss expects.

    ``cross_entropy``: integer labels of shape (n,) in ``[0, n_out)``. Every other loss: an array
    of the model's output shape (n, n_out); a 1-D ``y`` of shape (n,) is accepted for one output.
    """
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


def _accuracy_rule(loss: str, y: np.ndarray) -> tuple[float, float] | str | None:
    """How to turn outputs and targets into classes for the accuracy.

    Returns ``"argmax"``, a pair ``(output_threshold, target_threshold)`` for one output, or
    ``None`` when the task is not a classification (e.g. regression with ``mse``).
    """
    if loss == "cross_entropy":
        return "argmax"
    if y.shape[1] > 1:
        one_hot = np.all(np.isin(y, (0.0, 1.0))) and np.all(y.sum(axis=1) == 1.0)
        return "argmax" if one_hot else None
    if loss == "binary_cross_entropy_with_logits":
        return (0.0, 0.5)
    if loss == "binary_cross_entropy":
        return (0.5, 0.5)
    if np.all(np.isin(y, (0.0, 1.0))):
        return (0.5, 0.5)
    if np.all(np.isin(y, (-1.0, 1.0))):
        return (0.0, 0.0)
    return None


def _true_labels(rule: tuple[float, float] | str, y: np.ndarray) -> np.ndarray:
    if rule == "argmax":
        return y if y.ndim == 1 else np.argmax(y, axis=1)
    return y[:, 0] > rule[1]


def _n_correct(rule: tuple[float, float] | str, out: np.ndarray, labels: np.ndarray) -> int:
    if rule == "argmax":
        return int(np.count_nonzero(np.argmax(out, axis=1) == labels))
    return int(np.count_nonzero((out[:, 0] > rule[0]) == labels))


def accuracy(model: MLP, X: object, y: object, *, threshold: float | None = None) -> float:
    """Fraction of samples whose predicted class equals the label.

    Parameters
    ----------
    model : MLP
    X : array_like of shape (n, n_in)
    y : array_like of shape (n,)
        Class labels (0/1 for one output, 0..k-1 for k outputs); one-hot (n, k) is also accepted.
    threshold : float, optional
        For one output, the class is ``output > threshold``; default ``model.default_threshold()``
        (0 for logits, 0.5 after a sigmoid output).
    """
    pred = model.predict(X, threshold=threshold)
    labels = v.as_array("y", y, ndim=(1, 2))
    if labels.ndim == 2:
        labels = labels[:, 0] if labels.shape[1] == 1 else np.argmax(labels, axis=1)
    v.check_same_length("X", pred, "y", labels)
    return float(np.mean(pred == labels))


def train(
    model: MLP,
    X: object,
    y: object,
    *,
    loss: str = "binary_cross_entropy_with_logits",
    optimizer: str = "sgd",
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int | None = None,
    rng: np.random.Generator | int | None = None,
    dev: tuple[object, object] | None = None,
    callback: Callable[[int, History], object] | None = None,
    **hyper: object,
) -> History:
    """Train ``model`` in place with an ``optim`` optimizer; never raises on divergence.

    Parameters
    ----------
    model : MLP
        Trained in place.
    X : array_like of shape (n, n_in)
    y : array_like
        Targets: shape (n,) of 0/1 (or (n, 1)) for one output, integer labels (n,) for
        ``cross_entropy``, (n, n_out) for ``mse``/``mae`` with several outputs.
    loss : str, default "binary_cross_entropy_with_logits"
        A ``nndl_book.maths.losses`` name; with the default the model outputs one logit per sample.
    optimizer : str, default "sgd"
        An ``optim.OPTIMIZERS`` name.
    lr : float, default 0.1
    epochs : int, default 100
    batch_size : int, optional
        Mini-batch size; ``None`` (or ``>= n``) trains on the full batch.
    rng : numpy.random.Generator or int, optional
        Shuffles the mini-batches; required when ``batch_size < n``.
    dev : (X_dev, y_dev), optional
        Development set, evaluated after every epoch.
    callback : callable, optional
        ``callback(epoch, history)`` after every epoch (1-based); return ``False`` to stop.
    **hyper
        Further optimizer hyperparameters, e.g. ``momentum=0.9``.

    Returns
    -------
    History
        ``train_loss[e]`` is the mean loss over epoch ``e``'s batches, each measured on the
        forward pass that produced its gradient (for full batch: the loss at the start of the
        epoch), so no loss is computed twice. ``train_metric`` is the accuracy measured the same
        way (empty for a regression target). ``diverged_at`` is the first epoch whose loss was
        NaN or infinite; training stops there.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an nndl_book.engine.MLP, got {type(model).__name__}")
    loss = v.check_choice("loss", loss, LOSS_AND_GRAD)
    X = _prepare_inputs("X", X, model)
    y = _prepare_targets("y", loss, y, model.sizes[-1])
    v.check_same_length("X", X, "y", y)
    epochs = v.check_int("epochs", epochs, minimum=0)
    n = len(X)
    if batch_size is not None:
        batch_size = v.check_int("batch_size", batch_size, minimum=1)
    full_batch = batch_size is None or batch_size >= n
    gen = None if full_batch else v.make_rng(rng)
    if dev is not None:
        if not isinstance(dev, (tuple, list)) or len(dev) != 2:
            raise TypeError("dev must be a pair (X_dev, y_dev)")
        X_dev = _prepare_inputs("dev[0]", dev[0], model)
        y_dev = _prepare_targets("dev[1]", loss, dev[1], model.sizes[-1])
        v.check_same_length("dev[0]", X_dev, "dev[1]", y_dev)
    if loss == "binary_cross_entropy" and model.output_activation not in _PROBABILITY_OUTPUTS:
        raise ValueError(
            "loss 'binary_cross_entropy' needs probabilities: build the model with "
            "output_activation='sigmoid', or use loss='binary_cross_entropy_with_logits'"
        )
    opt = make_optimizer(optimizer, model.parameters(), lr=lr, **hyper)
    loss_and_grad = LOSS_AND_GRAD[loss]

    rule = _accuracy_rule(loss, y)
    history = History(metric_name="accuracy" if rule is not None else "none")
    labels = None if rule is None else _true_labels(rule, y)
    dev_labels = None if rule is None or dev is None else _true_labels(rule, y_dev)
    grads = model.gradients  # bound method: the gradient arrays are replaced by each backward

    with np.errstate(all="ignore"):
        for epoch in range(1, epochs + 1):
            if full_batch:
                out = model._forward(X)
                train_loss, grad = loss_and_grad(out, y)
                correct = None if rule is None else _n_correct(rule, out, labels)
                if np.isfinite(train_loss):
                    model._backward(grad, input_grad=False)
                    opt._step(grads())
            else:
                train_loss, correct = 0.0, 0
                order = gen.permutation(n)
                for start in range(0, n, batch_size):
                    idx = order[start : start + batch_size]
                    out = model._forward(X[idx])
                    batch_loss, grad = loss_and_grad(out, y[idx])
                    train_loss += batch_loss * len(idx)
                    if not np.isfinite(batch_loss):
                        break
                    if rule is not None:
                        correct += _n_correct(rule, out, labels[idx])
                    model._backward(grad, input_grad=False)
                    opt._step(grads())
                train_loss /= n
            train_acc = None if rule is None else correct / n
            dev_loss = dev_acc = None
            if dev is not None and np.isfinite(train_loss):
                out = model._forward(X_dev)
                dev_loss = loss_and_grad(out, y_dev)[0]
                dev_acc = None if rule is None else _n_correct(rule, out, dev_labels) / len(X_dev)
            if not history.record(train_loss, train_acc, dev_loss, dev_acc):
                break
            if callback is not None and callback(epoch, history) is False:
                break
    return history
