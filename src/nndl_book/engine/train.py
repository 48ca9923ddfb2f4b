"""A small, fast trainer for the numpy engine (full batch or mini-batch), used by live widgets.

The data are checked once by ``nndl_book.engine.prepare.prepare_data``; the loop then uses
the unchecked fast paths: ``MLP._forward``/``_backward``, ``Optimizer._step`` and the loss
kernels of ``nndl_book.maths.losses`` (a leading underscore marks a method that trusts its
arguments, see ``nndl_book.engine``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nndl_book import _validate as v
from nndl_book.engine.mlp import MLP
from nndl_book.engine.optim import make_optimizer
from nndl_book.engine.prepare import prepare_data
from nndl_book.history import History
from nndl_book.maths import metrics
from nndl_book.maths.losses import mean_loss_and_grad


def _class_rule(loss: str, y: np.ndarray) -> tuple[float, float | None] | None:
    """How outputs and targets become classes for the accuracy.

    Returns ``(output_threshold, target_threshold)``, with ``target_threshold`` None for
    argmax classes (several outputs, or labels), or ``None`` when the task is not a
    classification (e.g. regression with ``mse``).
    """
    if loss == "cross_entropy":
        return (0.0, None)
    if y.shape[1] > 1:
        one_hot = np.all(np.isin(y, (0.0, 1.0))) and np.all(y.sum(axis=1) == 1.0)
        return (0.0, None) if one_hot else None
    if loss == "binary_cross_entropy_with_logits":
        return (0.0, 0.5)
    if loss == "binary_cross_entropy":
        return (0.5, 0.5)
    if np.all(np.isin(y, (0.0, 1.0))):
        return (0.5, 0.5)
    if np.all(np.isin(y, (-1.0, 1.0))):
        return (0.0, 0.0)
    return None


def _true_classes(rule: tuple[float, float | None], y: np.ndarray) -> np.ndarray:
    if rule[1] is None:
        return y if y.ndim == 1 else np.argmax(y, axis=1)
    return y[:, 0] > rule[1]


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
    X, y = prepare_data(model, loss, X, y)
    epochs = v.check_int("epochs", epochs, minimum=0)
    n = len(X)
    if batch_size is not None:
        batch_size = v.check_int("batch_size", batch_size, minimum=1)
    full_batch = batch_size is None or batch_size >= n
    gen = None if full_batch else v.make_rng(rng)
    if dev is not None:
        if not isinstance(dev, (tuple, list)) or len(dev) != 2:
            raise TypeError("dev must be a pair (X_dev, y_dev)")
        X_dev, y_dev = prepare_data(model, loss, dev[0], dev[1], names=("dev[0]", "dev[1]"))
    opt = make_optimizer(optimizer, model.parameters(), lr=lr, **hyper)
    loss_and_grad = mean_loss_and_grad(loss)

    rule = _class_rule(loss, y)
    history = History(metric_name="accuracy" if rule is not None else "none")
    labels = None if rule is None else _true_classes(rule, y)
    dev_labels = None if rule is None or dev is None else _true_classes(rule, y_dev)
    cut = None if rule is None else rule[0]
    grads = model.gradients  # bound method: the gradient arrays are replaced by each backward

    with np.errstate(all="ignore"):
        for epoch in range(1, epochs + 1):
            if full_batch:
                out = model._forward(X)
                train_loss, grad = loss_and_grad(out, y)
                correct = None if rule is None else metrics.n_correct(out, labels, cut)
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
                        correct += metrics.n_correct(out, labels[idx], cut)
                    model._backward(grad, input_grad=False)
                    opt._step(grads())
                train_loss /= n
            train_acc = None if rule is None else correct / n
            dev_loss = dev_acc = None
            if dev is not None and np.isfinite(train_loss):
                out = model._forward(X_dev)
                dev_loss = loss_and_grad(out, y_dev)[0]
                dev_acc = (
                    None if rule is None else metrics.n_correct(out, dev_labels, cut) / len(X_dev)
                )
            if not history.record(train_loss, train_acc, dev_loss, dev_acc):
                break
            if callback is not None and callback(epoch, history) is False:
                break
    return history
