"""The two-moons trainer: an MLP trained by the numpy engine, its boundary and loss curves."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from nndl_book.data import make_moons, train_dev_test_split
from nndl_book.engine import MLP
from nndl_book.engine.train import accuracy, train
from nndl_book.plots import (
    plot_decision_boundary,
    plot_history,
)
from nndl_book.widgets.explorer import Control, Explorer


@lru_cache(maxsize=4)
def moons_split(seed: int = 0, n_samples: int = 200, noise: float = 0.25):
    """The two-moons data of the trainer: ``(X_train, y_train), (X_dev, y_dev)``."""
    X, y = make_moons(n_samples, noise=noise, rng=seed)
    split = train_dev_test_split(X, y, fractions=(0.6, 0.2, 0.2), rng=seed)
    return split.train, split.dev


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def draw_two_moons(
    hidden: int = 5,
    depth: int = 1,
    activation: str = "tanh",
    lr: float = 1.0,
    epochs: int = 300,
    seed: int = 0,
) -> tuple[Figure, dict[str, Any]]:
    """Train an MLP on two moons with full-batch gradient descent; draw boundary and loss.

    Parameters
    ----------
    hidden : int
        Units per hidden layer.
    depth : int
        Number of hidden layers.
    activation : str
        Hidden activation name.
    lr : float
        Learning rate of gradient descent.
    epochs : int
        Full-batch epochs.
    seed : int
        Seed of the data and of the initial weights.

    Returns
    -------
    (Figure, dict)
        The decision boundary and loss curves; train and dev accuracy and the final loss.
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1 hidden layer, got {depth}")
    (X, y), (X_dev, y_dev) = moons_split(seed)
    sizes = [2] + [hidden] * depth + [1]
    init = "he_uniform" if activation in ("relu", "leaky_relu", "elu") else "xavier_uniform"
    model = MLP(sizes, activation, init=init, rng=seed)
    history = train(model, X, y, lr=lr, epochs=epochs, dev=(X_dev, y_dev))
    fig = Figure(figsize=(7.2, 3.0), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.05, 1])
    title = f"{depth}×{hidden} {activation}, lr {lr:g}"
    if history.diverged:
        left.text(0.5, 0.5, f"diverged at epoch {history.diverged_at}\n(no boundary to draw)",
                  ha="center", va="center", color="#b2182b", fontsize=11,
                  transform=left.transAxes)
        left.set(xticks=[], yticks=[], title=title)
        numbers: dict[str, Any] = {"diverged at epoch": history.diverged_at}
    else:
        plot_decision_boundary(lambda P: _sigmoid(model.forward(P)), X, y, ax=left,
                               title=title, resolution=80)
        numbers = {
            "train accuracy": round(accuracy(model, X, y), 3),
            "dev accuracy": round(accuracy(model, X_dev, y_dev), 3),
            "final train loss": round(history.train_loss[-1], 4),
        }
    plot_history(history, metric=False, ax=right, title="loss")
    return fig, numbers


def two_moons_trainer(**kwargs: Any) -> Explorer:
    """Explorer: hidden units, depth, activation, learning rate, epochs → boundary and loss.

    On the static page the grid is hidden units × activation × learning rate (one hidden layer,
    300 epochs); with a kernel every control is free.
    """
    controls = [
        Control("hidden", [2, 8], label="hidden units", live_values=[1, 2, 3, 5, 8, 16, 32]),
        Control("depth", [1], label="hidden layers", live_values=[1, 2, 3, 4]),
        Control("activation", ["sigmoid", "tanh", "relu"],
                live_values=["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"]),
        Control("lr", [0.1, 1.0, 10.0, 100.0], label="learning rate",
                live_values=[0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]),
        Control("epochs", [300], live_values=[50, 100, 300, 1000, 3000]),
    ]
    kwargs.setdefault("title", "Two moons: train an MLP")
    kwargs.setdefault("defaults", {"hidden": 8, "activation": "tanh", "lr": 1.0})
    return Explorer(draw_two_moons, controls, **kwargs)


