"""The two-moons task of the trainer explorer: its data split and one full-batch training run.

:func:`moons_split` gives the seeded 60/20/20 split of two moons (train and dev parts);
:func:`fit_moons` trains an MLP of the numpy engine on it by full-batch gradient descent
(:func:`nndl_book.engine.train.train`, logits and binary cross-entropy). The explorer
:func:`nndl_book.widgets.two_moons.two_moons_trainer` draws what these return.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nndl_book._validate import check_choice, check_int, check_positive
from nndl_book.data import make_moons, train_dev_test_split
from nndl_book.engine import MLP, History
from nndl_book.engine.train import train

__all__ = ["HIDDEN_ACTIVATIONS", "check_moons_setting", "fit_moons", "moons_split"]

#: Hidden activations the trainer offers (names of ``nndl_book.maths.activations``).
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
_HE_INIT = ("relu", "leaky_relu", "elu", "gelu")


@lru_cache(maxsize=4)
def moons_split(
    seed: int = 0, n_samples: int = 200, noise: float = 0.25
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The trainer's data: two moons split 60/20/20, of which the first two parts are returned.

    Parameters
    ----------
    seed : int, default 0
        Seed of :func:`~nndl_book.data.make_moons` and of the split.
    n_samples : int, default 200
        Points before the split (120 train, 40 dev and 40 test with the default).
    noise : float, default 0.25
        Standard deviation of the noise of ``make_moons``.

    Returns
    -------
    ((X_train, y_train), (X_dev, y_dev))
        ``X`` of shape ``(n, 2)`` float64, ``y`` of shape ``(n,)`` int64 in {0, 1}. The arrays
        are cached and shared: do not modify them.
    """
    X, y = make_moons(n_samples, noise=noise, rng=seed)
    split = train_dev_test_split(X, y, fractions=(0.6, 0.2, 0.2), rng=seed)
    return split.train, split.dev


def check_moons_setting(
    hidden: object, depth: object, activation: object, lr: object, epochs: object,
    seed: object, data_seed: object,
) -> None:
    """Raise a ``TypeError`` or ``ValueError`` naming the first argument of :func:`fit_moons`
    that is not valid."""
    check_int("hidden", hidden, minimum=1)
    if check_int("depth", depth) < 1:
        raise ValueError(f"depth must be at least 1 hidden layer, got {depth}")
    check_choice("activation", activation, HIDDEN_ACTIVATIONS)
    check_positive("lr", lr)
    check_int("epochs", epochs, minimum=1)
    check_int("seed", seed)
    check_int("data_seed", data_seed)


def fit_moons(
    hidden: int = 5,
    depth: int = 1,
    activation: str = "tanh",
    lr: float = 1.0,
    epochs: int = 300,
    seed: int = 0,
    data_seed: int = 0,
) -> tuple[MLP, History]:
    """Train an MLP on :func:`moons_split` by full-batch gradient descent.

    Parameters
    ----------
    hidden : int, default 5
        Units per hidden layer, at least 1.
    depth : int, default 1
        Number of hidden layers, at least 1.
    activation : str, default "tanh"
        Hidden activation, one of :data:`HIDDEN_ACTIVATIONS`. Weights start He-uniform for the
        ReLU family and GELU, Xavier-uniform for sigmoid and tanh; biases start at zero.
    lr : float, default 1.0
        Learning rate of gradient descent (positive).
    epochs : int, default 300
        Number of full-batch steps, at least 1.
    seed : int, default 0
        Seed of the initial weights.
    data_seed : int, default 0
        Seed of the data.

    Returns
    -------
    (MLP, History)
        The trained network (it outputs logits) and its history, with the dev loss per epoch.
        A run whose loss overflows stops there: ``history.diverged_at`` says when.
    """
    check_moons_setting(hidden, depth, activation, lr, epochs, seed, data_seed)
    (X, y), (X_dev, y_dev) = moons_split(data_seed)
    sizes = [2] + [hidden] * depth + [1]
    init = "he_uniform" if activation in _HE_INIT else "xavier_uniform"
    model = MLP(sizes, activation, init=init, rng=seed)
    history = train(model, X, y, lr=lr, epochs=epochs, dev=(X_dev, y_dev))
    return model, history
