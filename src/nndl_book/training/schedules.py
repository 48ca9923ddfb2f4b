"""Learning-rate schedules (NNDL §7.2.3): the learning rate as a function of the step.

A schedule is a callable ``schedule(t) -> lr`` of the step count ``t = 0, 1, 2, ...`` (the
number of optimizer steps already taken), vectorised over numpy arrays of steps. Where PyTorch
has the same schedule, ``schedule(t)`` is the learning rate a ``torch.optim.lr_scheduler``
gives after ``t`` calls of ``scheduler.step()``:

=================================  ==========================================================
:class:`Constant`                  ``ConstantLR`` with ``factor=1`` (no scheduler at all)
:class:`StepDecay`                 ``StepLR(step_size, gamma)``
:class:`Cosine`                    ``CosineAnnealingLR(T_max=total, eta_min=lr_min)``
:class:`WarmupDecay`               ``SequentialLR`` of ``LinearLR`` (warm-up) and ``LinearLR``
                                   (decay), or of ``LinearLR`` and ``CosineAnnealingLR``
=================================  ==========================================================

:func:`schedule_hook` applies a schedule to any torch optimizer through the ``hooks`` of
:class:`nndl_book.training.Runner`. The module itself is numpy only.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nndl_book import _validate as v

__all__ = ["Constant", "Cosine", "Schedule", "StepDecay", "WarmupDecay", "schedule_hook"]


def _steps(t: object) -> np.ndarray:
    arr = np.asarray(t)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        if not (np.issubdtype(arr.dtype, np.floating) and np.all(arr == np.round(arr))):
            raise TypeError(f"t must be an integer step count or an array of them, got {t!r}")
    if np.any(arr < 0):
        raise ValueError(f"t must be >= 0, got {t!r}")
    return arr.astype(np.float64)


class Schedule:
    """Base class: ``schedule(t)`` is the learning rate after ``t`` steps.

    Subclasses implement ``rate(t)`` on a float array of steps. Calling with an integer
    returns a float, with an array an array of the same shape.
    """

    lr: float

    def rate(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, t: int | np.ndarray) -> float | np.ndarray:
        steps = _steps(t)
        out = np.asarray(self.rate(steps), dtype=np.float64)
        return float(out) if out.ndim == 0 else out

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={val!r}" for k, val in vars(self).items())
        return f"{type(self).__name__}({args})"


class Constant(Schedule):
    """The same learning rate ``lr`` at every step."""

    def __init__(self, lr: float) -> None:
        self.lr = v.check_positive("lr", lr)

    def rate(self, t: np.ndarray) -> np.ndarray:
        return np.full_like(t, self.lr)


class StepDecay(Schedule):
    """Multiply the learning rate by ``gamma`` every ``step_size`` steps.

    ``lr_t = lr * gamma ** floor(t / step_size)`` (torch's ``StepLR``).
    """

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1) -> None:
        self.lr = v.check_positive("lr", lr)
        self.step_size = v.check_int("step_size", step_size, minimum=1)
        self.gamma = v.check_range("gamma", gamma, 0.0, 1.0, low_open=True)

    def rate(self, t: np.ndarray) -> np.ndarray:
        return self.lr * self.gamma ** np.floor(t / self.step_size)


def _cosine(t: np.ndarray, total: int, high: float, low: float) -> np.ndarray:
    """Half a cosine from ``high`` at ``t = 0`` to ``low`` at ``t = total`` (then ``low``)."""
    s = np.minimum(t, total) / total
    return low + (high - low) * (1 + np.cos(np.pi * s)) / 2


class Cosine(Schedule):
    """Cosine annealing from ``lr`` at step 0 to ``lr_min`` at step ``total``.

    ``lr_t = lr_min + (lr - lr_min) (1 + cos(pi t / total)) / 2`` for ``t <= total``, and
    ``lr_min`` after (torch's ``CosineAnnealingLR`` with ``T_max=total`` for ``t <= total``;
    torch's goes back up after ``total``, a warm restart this class does not do).
    """

    def __init__(self, lr: float, total: int, lr_min: float = 0.0) -> None:
        self.lr = v.check_positive("lr", lr)
        self.total = v.check_int("total", total, minimum=1)
        self.lr_min = v.check_range("lr_min", lr_min, 0.0, self.lr)

    def rate(self, t: np.ndarray) -> np.ndarray:
        return _cosine(t, self.total, self.lr, self.lr_min)


class WarmupDecay(Schedule):
    """Linear warm-up for ``warmup`` steps, then a linear or cosine decay until ``total``.

    During the warm-up the rate grows linearly from ``start_factor * lr`` (``t = 0``) to
    ``lr`` (``t = warmup``); then it falls to ``end_factor * lr`` at ``t = total``, along a
    straight line (``decay="linear"``) or half a cosine (``decay="cosine"``), and stays there.

    Parameters
    ----------
    lr : float
        Peak learning rate, reached at step ``warmup``.
    warmup : int
        Number of warm-up steps, at least 1.
    total : int
        Step at which the decay ends, greater than ``warmup``.
    start_factor : float, default 0.01
        First rate as a fraction of ``lr``, in (0, 1] (torch's ``LinearLR`` needs it > 0).
    end_factor : float, default 0.0
        Last rate as a fraction of ``lr``, in [0, 1].
    decay : {"linear", "cosine"}, default "linear"
    """

    def __init__(
        self,
        lr: float,
        warmup: int,
        total: int,
        *,
        start_factor: float = 0.01,
        end_factor: float = 0.0,
        decay: str = "linear",
    ) -> None:
        self.lr = v.check_positive("lr", lr)
        self.warmup = v.check_int("warmup", warmup, minimum=1)
        self.total = v.check_int("total", total, minimum=self.warmup + 1)
        self.start_factor = v.check_range("start_factor", start_factor, 0.0, 1.0, low_open=True)
        self.end_factor = v.check_range("end_factor", end_factor, 0.0, 1.0)
        self.decay = v.check_choice("decay", decay, ("linear", "cosine"))

    def rate(self, t: np.ndarray) -> np.ndarray:
        w, n = self.warmup, self.total - self.warmup
        up = self.lr * (self.start_factor + (1 - self.start_factor) * np.minimum(t, w) / w)
        s = np.clip(t - w, 0, n)
        low = self.end_factor * self.lr
        if self.decay == "linear":
            down = self.lr + (low - self.lr) * s / n
        else:
            down = _cosine(s, n, self.lr, low)
        return np.where(t < w, up, down)


def schedule_hook(schedule: Callable[[int], float]) -> Callable[[object, int, int], None]:
    """A :class:`~nndl_book.training.Runner` hook that sets the learning rate by a schedule.

    After the runner's ``k``-th optimizer step of a ``fit`` the hook sets every parameter
    group's learning rate to ``schedule(k)``, the rate of the next step. Set the first rate
    yourself, ``schedule(0)``, when creating the optimizer (:func:`schedule_hook` cannot run
    before the first step).

    Parameters
    ----------
    schedule : callable
        ``schedule(t) -> lr``, e.g. a :class:`Schedule`.

    Returns
    -------
    callable
        ``hook(runner, epoch, step)``.

    Examples
    --------
    >>> sched = Cosine(0.1, total=500)                                  # doctest: +SKIP
    >>> opt = torch.optim.SGD(net.parameters(), lr=sched(0))            # doctest: +SKIP
    >>> Runner(net, loss, opt, hooks=[schedule_hook(sched)])            # doctest: +SKIP
    """
    if not callable(schedule):
        raise TypeError(f"schedule must be callable, got {type(schedule).__name__}")

    def hook(runner: object, epoch: int, step: int) -> None:
        lr = float(schedule(runner.step_count))  # type: ignore[attr-defined]
        if not math.isfinite(lr) or lr < 0:
            raise ValueError(f"schedule returned {lr!r} at step {runner.step_count}")  # type: ignore[attr-defined]
        for group in runner.optimizer.param_groups:  # type: ignore[attr-defined]
            group["lr"] = lr

    return hook
