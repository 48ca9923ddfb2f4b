"""The optimizer race: trajectories of optimizers on 2-D landscapes."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from nndl_book.engine.landscapes import get_landscape, run_optimizer, steps_to_converge
from nndl_book.plots import (
    plot_trajectories,
)
from nndl_book.widgets.explorer import Control, Explorer

#: Learning rates that work on each landscape (multiplied by the explorer's factor).
BASE_LR = {
    "quadratic": {"sgd": 0.04, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.5,
                  "rmsprop": 0.05, "adam": 0.2},
    "rosenbrock": {"sgd": 0.001, "momentum": 0.0002, "nesterov": 0.0002, "adagrad": 0.3,
                   "rmsprop": 0.01, "adam": 0.05},
    "saddle": {"sgd": 0.05, "momentum": 0.02, "nesterov": 0.02, "adagrad": 0.3,
               "rmsprop": 0.02, "adam": 0.05},
}
OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


def draw_race(
    optimizer: str = "momentum",
    lr_factor: float = 1.0,
    momentum: float = 0.9,
    landscape: str = "quadratic",
    steps: int = 150,
) -> tuple[Figure, dict[str, Any]]:
    """Trajectories of one optimizer and of plain gradient descent on a 2-D landscape.

    Parameters
    ----------
    optimizer : str
        Optimizer name.
    lr_factor : float
        Multiplies the landscape's base learning rate for this optimizer (``BASE_LR``).
    momentum : float
        μ of momentum and Nesterov (ignored by the others).
    landscape : str
        ``"quadratic"``, ``"rosenbrock"`` or ``"saddle"``.
    steps : int
        Steps of each optimizer.
    """
    if landscape not in BASE_LR:
        raise ValueError(f"unknown landscape {landscape!r}; expected one of {sorted(BASE_LR)}")
    if optimizer not in BASE_LR[landscape]:
        raise ValueError(f"unknown optimizer {optimizer!r}; expected one of {OPTIMIZER_NAMES}")
    land = get_landscape(landscape)
    lr = BASE_LR[landscape][optimizer] * lr_factor
    hyper: dict[str, Any] = {"lr": lr}
    if optimizer in ("momentum", "nesterov"):
        hyper["momentum"] = momentum
        hyper["allow_unstable"] = True
    path, info = run_optimizer(land, optimizer, steps=steps, return_info=True, **hyper)
    gd_lr = BASE_LR[landscape]["sgd"] * lr_factor
    gd = run_optimizer(land, "sgd", steps=steps, lr=gd_lr)
    fig = Figure(figsize=(5.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    label = f"{optimizer} (lr {lr:.2g})"
    plot_trajectories(land, {f"gradient descent (lr {gd_lr:.2g})": gd, label: path}, ax=ax,
                      title=f"{land.name}: {steps} steps")
    numbers: dict[str, Any] = {"final f": f"{float(land.f(path[-1])):.3g}"}
    if info["diverged_at"] is not None:
        numbers["diverged at step"] = info["diverged_at"]
        ax.text(0.02, 0.02, f"{optimizer} diverged at step {info['diverged_at']}",
                transform=ax.transAxes, color="#b2182b")
    elif land.minimum is not None:
        reached = steps_to_converge(path, land, tol=1e-3)
        numbers["steps to within 0.001 of the minimum"] = (
            reached if reached is not None else "not reached"
        )
    return fig, numbers


def optimizer_race(**kwargs: Any) -> Explorer:
    """Explorer: optimizer, learning rate, momentum, landscape → trajectories on contours."""
    controls = [
        Control("landscape", ["quadratic", "rosenbrock", "saddle"]),
        Control("optimizer", list(OPTIMIZER_NAMES)),
        Control("lr_factor", [1.0, 4.0], label="learning rate × base",
                live_values=[0.25, 0.5, 1.0, 2.0, 4.0, 8.0]),
        Control("momentum", [0.9], label="momentum μ",
                live_values=[-0.5, 0.0, 0.5, 0.9, 0.99, 1.0, 1.1]),
    ]
    kwargs.setdefault("title", "Optimizer race")
    return Explorer(draw_race, controls, **kwargs)


