"""The optimizer race: six first-order optimizers on a 2-D landscape, and who finishes first.

:func:`run_race` computes it; :mod:`nndl_book.widgets.race` draws it.

Each optimizer runs from the landscape's starting point with its own learning rate, tuned for
that landscape (``BASE_LR``), times a factor the reader chooses. The figure shows every path over
the contours and says at which step each one crossed the finish line:

- ``quadratic`` and ``rosenbrock``: within ``FINISH_RADIUS`` of the minimum;
- ``saddle`` (no minimum): escaped the saddle point, ``|w₂| > ESCAPE_HEIGHT``.

A run has diverged when its loss exceeds ``DIVERGED_FACTOR · (|f(start)| + 1)`` or overflows;
its path is cut there and the divergence reported, never raised.

How ``BASE_LR`` was tuned (μ = 0.9 for momentum and Nesterov, ``STEPS`` steps): on the quadratic
and on Rosenbrock, the rate of the grid ``{1, 2, 5} × 10^k`` that finishes in the fewest steps
(or, if none finishes, ends closest to the minimum) among the rates whose path stays inside the
plotting window and whose double does not diverge. The fastest rate often sits right at the edge
of stability, so the robustness condition keeps factor 1 readable and leaves factor 2 to show
the edge. On the saddle a larger rate always escapes sooner, so there is nothing to tune: its
rates are set by hand so that every path can be followed in the window (gradient descent at
0.05, a twentieth of its stability limit 2/λ = 1 across the saddle).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from nndl_book import _validate as v
from nndl_book.engine.landscapes import (
    LANDSCAPES,
    Landscape,
    get_landscape,
    run_optimizer,
    steps_to_converge,
)
from nndl_book.engine.optim import OPTIMIZERS, TAKES_MOMENTUM

__all__ = [
    "BASE_LR",
    "DIVERGED_FACTOR",
    "ESCAPE_HEIGHT",
    "FINISH_RADIUS",
    "LABELS",
    "OPTIMIZER_NAMES",
    "STEPS",
    "RaceRun",
    "check_race",
    "finish_step",
    "race_path",
    "run_race",
]

#: The racers, in the order of the optimizer registry.
OPTIMIZER_NAMES = tuple(OPTIMIZERS)
#: Names in the legend.
LABELS = {
    "sgd": "gradient descent",
    "momentum": "momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
}
#: Tuned learning rate of each optimizer on each landscape (see the module docstring).
BASE_LR: dict[str, dict[str, float]] = {
    "quadratic": {"sgd": 0.05, "momentum": 0.02, "nesterov": 0.005, "adagrad": 2.0,
                  "rmsprop": 0.2, "adam": 0.2},
    "rosenbrock": {"sgd": 0.001, "momentum": 0.001, "nesterov": 0.0005, "adagrad": 1.0,
                   "rmsprop": 0.01, "adam": 0.5},
    "saddle": {"sgd": 0.05, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.1,
               "rmsprop": 0.01, "adam": 0.05},
}
#: Steps each optimizer runs on each landscape.
STEPS = {"quadratic": 150, "rosenbrock": 1500, "saddle": 100}
#: Distance to the minimum that counts as finished (quadratic, Rosenbrock).
FINISH_RADIUS = 0.01
#: On the saddle, an optimizer has escaped once ``|w₂|`` exceeds this.
ESCAPE_HEIGHT = 1.0
#: A run has diverged once its loss exceeds this many times ``|f(start)| + 1``.
DIVERGED_FACTOR = 1e3


def _check_landscape(landscape: object) -> str:
    return v.check_choice("landscape", landscape, LANDSCAPES)


def _check_optimizer(optimizer: object) -> str:
    return v.check_choice("optimizer", optimizer, (*OPTIMIZER_NAMES, "all"))


def finish_step(landscape: Landscape, path: np.ndarray) -> int | None:
    """First step at which ``path`` crossed the finish line of ``landscape``; ``None`` if never.

    Parameters
    ----------
    landscape : Landscape
        With a minimum: the finish is ``‖w − minimum‖ < FINISH_RADIUS``; without one (the
        saddle): ``|w₂| > ESCAPE_HEIGHT``.
    path : numpy.ndarray of shape (k + 1, 2)
    """
    if landscape.minimum is not None:
        return steps_to_converge(path, landscape, FINISH_RADIUS)
    done = np.abs(path[:, 1]) > ESCAPE_HEIGHT
    return int(np.argmax(done)) if done.any() else None


def race_path(
    landscape: Landscape | str,
    optimizer: str,
    lr: float,
    steps: int,
    momentum: float = 0.9,
) -> tuple[np.ndarray, int | None]:
    """Run one optimizer; return its path (cut where it diverged) and the divergence step.

    Parameters
    ----------
    landscape : Landscape or str
    optimizer : str
        One of ``OPTIMIZER_NAMES``.
    lr : float
        Learning rate.
    steps : int
    momentum : float, default 0.9
        μ of momentum and Nesterov, any real number (μ outside [0, 1) is allowed, to show it).

    Returns
    -------
    path : numpy.ndarray of shape (k + 1, 2)
        The start and the iterates up to the last one before divergence.
    diverged_at : int or None
        First step whose loss overflowed or exceeded ``DIVERGED_FACTOR · (|f(start)| + 1)``.
    """
    land = get_landscape(landscape) if isinstance(landscape, str) else landscape
    hyper: dict[str, Any] = {"lr": lr}
    if optimizer in TAKES_MOMENTUM:
        hyper.update(momentum=momentum, allow_unstable=True)
    path, info = run_optimizer(land, optimizer, steps=steps, return_info=True, **hyper)
    limit = DIVERGED_FACTOR * (abs(float(land.f(land.start))) + 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        values = land.f(path)
        bad = ~np.isfinite(values) | (values > limit)
    if bad.any():
        cut = int(np.argmax(bad))
        return path[:cut], cut
    return path, info["diverged_at"]


@dataclass(frozen=True)
class RaceRun:
    """One optimizer's run in the race.

    Attributes
    ----------
    name : str
        A key of ``OPTIMIZER_NAMES``.
    label : str
        Its legend name, with μ for momentum and Nesterov (``"momentum μ=0.9"``).
    lr : float
        The learning rate it ran with.
    path : numpy.ndarray of shape (k + 1, 2)
        The start and the iterates, cut before divergence.
    diverged_at : int or None
        The step at which it diverged.
    finished_at : int or None
        The step at which it crossed the finish line (:func:`finish_step`).
    outcome : str
        ``"finished at step k"`` (``"escaped ..."`` on the saddle), ``"diverged at step k"`` or
        ``"not in n steps"`` (with the distance left to the minimum).
    """

    name: str
    label: str
    lr: float
    path: np.ndarray
    diverged_at: int | None
    finished_at: int | None
    outcome: str


def check_race(
    landscape: object, optimizer: object, lr_factor: object, momentum: object, steps: object
) -> tuple[str, str, float, float, int]:
    """The arguments of :func:`run_race`, checked, with ``steps`` None replaced by its default.

    Raises
    ------
    ValueError, TypeError
        Naming the argument that is wrong and what was expected.
    """
    landscape = _check_landscape(landscape)
    optimizer = _check_optimizer(optimizer)
    lr_factor = v.check_positive("lr_factor", lr_factor)
    momentum = v.check_number("momentum", momentum)
    steps = STEPS[landscape] if steps is None else v.check_int("steps", steps, minimum=1)
    return landscape, optimizer, float(lr_factor), float(momentum), steps


def run_race(
    landscape: str = "quadratic",
    optimizer: str = "all",
    lr_factor: float = 1.0,
    momentum: float = 0.9,
    steps: int | None = None,
) -> list[RaceRun]:
    """Run the race: every optimizer (or one against gradient descent) from the start.

    Parameters
    ----------
    landscape : str, default "quadratic"
        ``"quadratic"``, ``"rosenbrock"`` or ``"saddle"``.
    optimizer : str, default "all"
        ``"all"`` runs the six of ``OPTIMIZER_NAMES``; one name runs gradient descent and it.
    lr_factor : float, default 1.0
        Multiplies every optimizer's tuned learning rate on this landscape (``BASE_LR``).
    momentum : float, default 0.9
        μ of momentum and Nesterov; values outside [0, 1) are run too (to show what they do).
    steps : int, optional
        Steps of each optimizer; default ``STEPS[landscape]``.

    Returns
    -------
    list of RaceRun
        In the order of ``OPTIMIZER_NAMES``. Runs are kept and shared between calls with the
        same arguments: their paths are read-only.
    """
    landscape, optimizer, lr_factor, momentum, steps = check_race(
        landscape, optimizer, lr_factor, momentum, steps
    )
    names = OPTIMIZER_NAMES if optimizer == "all" else tuple(dict.fromkeys(("sgd", optimizer)))
    # momentum changes only the runs that use it: the others are keyed without it
    return [_run(landscape, name, lr_factor, momentum if name in TAKES_MOMENTUM else None, steps)
            for name in names]


@lru_cache(maxsize=512)
def _run(landscape: str, name: str, lr_factor: float, momentum: float | None,
         steps: int) -> RaceRun:
    """One optimizer's run, kept: the race's controls come back to the same runs often (its
    path is read-only, shared by every race that shows it)."""
    land = get_landscape(landscape)
    goal = "escaped" if land.minimum is None else "finished"
    lr = BASE_LR[landscape][name] * lr_factor
    path, diverged_at = race_path(land, name, lr, steps, 0.0 if momentum is None else momentum)
    path.setflags(write=False)
    label = LABELS[name] + (f" μ={momentum:g}" if momentum is not None else "")
    done = None if diverged_at is not None else finish_step(land, path)
    if diverged_at is not None:
        outcome = f"diverged at step {diverged_at}"
    elif done is not None:
        outcome = f"{goal} at step {done}"
    elif land.minimum is not None:
        gap = float(np.linalg.norm(path[-1] - land.minimum))
        outcome = f"not in {steps} steps ({gap:.2g} away)"
    else:
        outcome = f"not in {steps} steps"
    return RaceRun(name, label, lr, path, diverged_at, done, outcome)
