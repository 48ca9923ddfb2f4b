"""The two-moons task of the trainer explorer: its data split and one full-batch training run.

:func:`moons_split` gives the seeded 60/20/20 split of two moons (train and dev parts);
:func:`fit_moons` trains the MLP a :class:`MoonsSetting` describes on it by full-batch gradient
descent (:func:`nndl_book.engine.train.train`, numpy engine, logits and binary cross-entropy).
The explorer
:func:`nndl_book.widgets.two_moons.two_moons_trainer` draws what these return.

An explorer asks for the same setting at several epoch counts (its ``epochs`` control), so
:func:`fit_moons` keeps, for the last few settings, the network after every epoch count asked for
and the history of the longest run. A count asked for again costs a copy; a new count continues
training from the nearest shorter run (gradient descent keeps no state besides the weights, so
300 epochs and then 700 more give the same numbers as 1000 at once).
"""

from __future__ import annotations

import copy
import dataclasses
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from nndl_book._validate import check_choice, check_int, check_positive
from nndl_book.data import make_moons, train_dev_test_split
from nndl_book.engine import MLP, History
from nndl_book.engine.train import train

__all__ = ["HIDDEN_ACTIVATIONS", "MoonsSetting", "fit_moons", "moons_split"]

#: Hidden activations the trainer offers (names of ``nndl_book.maths.activations``).
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
_HE_INIT = ("relu", "leaky_relu", "elu", "gelu")
#: Settings whose runs :func:`fit_moons` keeps (least recently used dropped first).
RUNS_KEPT = 16


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


@dataclass(frozen=True)
class MoonsSetting:
    """One setting of the two-moons trainer: the network, its training and the data.

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

    Raises
    ------
    TypeError, ValueError
        Naming the first field that is not valid.
    """

    hidden: int = 5
    depth: int = 1
    activation: str = "tanh"
    lr: float = 1.0
    epochs: int = 300
    seed: int = 0
    data_seed: int = 0

    def __post_init__(self) -> None:
        check_int("hidden", self.hidden, minimum=1)
        if check_int("depth", self.depth) < 1:
            raise ValueError(f"depth must be at least 1 hidden layer, got {self.depth}")
        check_choice("activation", self.activation, HIDDEN_ACTIVATIONS)
        check_positive("lr", self.lr)
        check_int("epochs", self.epochs, minimum=1)
        check_int("seed", self.seed)
        check_int("data_seed", self.data_seed)

    @property
    def sizes(self) -> list[int]:
        """Layer sizes, input first: ``[2, hidden, …, hidden, 1]``."""
        return [2] + [self.hidden] * self.depth + [1]


def fit_moons(setting: MoonsSetting) -> tuple[MLP, History]:
    """Train an MLP on :func:`moons_split` by full-batch gradient descent.

    Parameters
    ----------
    setting : MoonsSetting
        The network, its training and the data.

    Returns
    -------
    (MLP, History)
        The trained network (it outputs logits) and its history, with the dev loss per epoch.
        A run whose loss overflows stops there: ``history.diverged_at`` says when. Both are
        new objects: changing them changes no later answer. The runs of the last
        :data:`RUNS_KEPT` settings are kept (see the module docstring).
    """
    if not isinstance(setting, MoonsSetting):
        raise TypeError(f"setting must be a MoonsSetting, got {type(setting).__name__}")
    run_key = dataclasses.replace(setting, epochs=1)  # one run serves every epoch count
    run = _RUNS.pop(run_key, None) or _start(setting)
    _RUNS[run_key] = run  # most recently used last
    while len(_RUNS) > RUNS_KEPT:
        _RUNS.popitem(last=False)
    return run.at(setting.epochs)


@dataclass
class _Run:
    """One setting's training: the networks after the epoch counts asked for, and the history
    of the longest run (each shorter history is its first epochs)."""

    X: np.ndarray
    y: np.ndarray
    dev: tuple[np.ndarray, np.ndarray]
    lr: float
    models: dict[int, MLP] = field(default_factory=dict)
    history: History = field(default_factory=History)

    def at(self, epochs: int) -> tuple[MLP, History]:
        """Copies of the network after ``epochs`` epochs and of its history."""
        if epochs not in self.models:
            start = max(e for e in self.models if e < epochs)
            model = copy.deepcopy(self.models[start])
            done = min(start, self.history.epochs)
            if not self.history.diverged or self.history.diverged_at > start:
                more = train(model, self.X, self.y, lr=self.lr, epochs=epochs - done,
                             dev=self.dev)
                if done + more.epochs + (more.diverged_at is not None) > _reach(self.history):
                    self.history = _joined(_head(self.history, done), more)
            self.models[epochs] = model
        return copy.deepcopy(self.models[epochs]), _head(self.history, epochs)


_RUNS: OrderedDict[MoonsSetting, _Run] = OrderedDict()


def _start(setting: MoonsSetting) -> _Run:
    (X, y), dev = moons_split(setting.data_seed)
    init = "he_uniform" if setting.activation in _HE_INIT else "xavier_uniform"
    model = MLP(setting.sizes, setting.activation, init=init, rng=setting.seed)
    return _Run(X, y, dev, float(setting.lr), models={0: model})


def _reach(history: History) -> int:
    """Epochs a history accounts for: completed ones, and the one that diverged."""
    return history.epochs + (history.diverged_at is not None)


def _head(history: History, epochs: int) -> History:
    """The history of the first ``epochs`` epochs of a run (a new object)."""
    head = History(metric_name=history.metric_name)
    for e in range(min(epochs, history.epochs)):
        head.record(history.train_loss[e], history.train_metric[e], history.dev_loss[e],
                    history.dev_metric[e])
    if history.diverged_at is not None and history.diverged_at <= epochs:
        head.diverged_at = history.diverged_at
    return head


def _joined(first: History, then: History) -> History:
    """``first`` followed by ``then``, as if recorded in one run."""
    joined = _head(first, first.epochs)
    for e in range(then.epochs):
        joined.record(then.train_loss[e], then.train_metric[e], then.dev_loss[e],
                      then.dev_metric[e])
    if then.diverged_at is not None:
        joined.diverged_at = first.epochs + then.diverged_at
    return joined
