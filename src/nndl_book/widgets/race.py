"""The optimizer race: six first-order optimizers on a 2-D landscape, and who finishes first.

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

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from nndl_book import _validate as v
from nndl_book.engine.landscapes import LANDSCAPES, Landscape, get_landscape, run_optimizer
from nndl_book.plots import PALETTE, plot_trajectories
from nndl_book.widgets.explorer import Control, Explorer

OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
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
_WARN = PALETTE[1]


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
    if landscape.minimum is None:
        done = np.abs(path[:, 1]) > ESCAPE_HEIGHT
    else:
        done = np.linalg.norm(path - landscape.minimum, axis=1) < FINISH_RADIUS
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
    if optimizer in ("momentum", "nesterov"):
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


def _background(landscape: str) -> np.ndarray:
    """The contours of ``landscape`` as an RGB image (drawn once by ``plot_trajectories``)."""
    if landscape not in _BACKGROUNDS:
        land = get_landscape(landscape)
        fig = Figure(figsize=(3.0, 2.4), dpi=100)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        plot_trajectories(land, {"start": land.start[None, :]}, ax=ax, levels=20)
        ax.get_legend().remove()
        for line in list(ax.lines):  # keep only the filled contours and the contour lines
            line.remove()
        ax.set_axis_off()
        ax.set_title("")
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        _BACKGROUNDS[landscape] = np.asarray(canvas.buffer_rgba())[..., :3].copy()
    return _BACKGROUNDS[landscape]


_BACKGROUNDS: dict[str, np.ndarray] = {}


def _tile(ax: Axes, land: Landscape, image: np.ndarray, offset: tuple[float, float],
          path: np.ndarray, color: str, diverged: bool, ghost: np.ndarray | None) -> None:
    """One panel of the race, drawn at ``offset`` (data units) on the shared Axes ``ax``.

    All six panels share one Axes (an Axes per panel would double the drawing time): each is the
    contour image placed at its offset, with its lines clipped to its frame.
    """
    (x0, x1), (y0, y1) = land.xlim, land.ylim
    ox, oy = offset
    frame = Rectangle((x0 + ox, y0 + oy), x1 - x0, y1 - y0, fill=False, ec="#606060", lw=0.8,
                      zorder=6)
    ax.add_patch(frame)
    ax.imshow(image, extent=(x0 + ox, x1 + ox, y0 + oy, y1 + oy), aspect="auto",
              interpolation="antialiased", zorder=1)
    lines = []
    if ghost is not None:
        lines += ax.plot(ghost[:, 0] + ox, ghost[:, 1] + oy, color="#a8a8a8", lw=0.8, zorder=2)
    lines += ax.plot(path[:, 0] + ox, path[:, 1] + oy, color=color, lw=1.5, marker="o", ms=2.2,
                     markevery=max(1, len(path) // 30), zorder=3)
    lines += ax.plot(path[0, 0] + ox, path[0, 1] + oy, ls="none", marker="o", ms=6, mfc="white",
                     mec=color, mew=1.5, zorder=4)
    if diverged:
        lines += ax.plot(path[-1, 0] + ox, path[-1, 1] + oy, ls="none", marker="X", ms=8,
                         color=_WARN, mec="white", zorder=5)
    if land.minimum is not None:
        lines += ax.plot(land.minimum[0] + ox, land.minimum[1] + oy, ls="none", marker="*",
                         ms=10, color=PALETTE[6], mec="black", mew=0.7, zorder=5)
    for line in lines:
        line.set_clip_path(frame)


def draw_race(
    optimizer: str = "all",
    lr_factor: float = 1.0,
    momentum: float = 0.9,
    landscape: str = "quadratic",
    steps: int | None = None,
) -> tuple[Figure, dict[str, Any]]:
    """Paths of the optimizers on a 2-D landscape, each labelled with its finishing step.

    Parameters
    ----------
    optimizer : str, default "all"
        ``"all"`` races the six optimizers of ``OPTIMIZER_NAMES``, one small panel each (the
        grey line in each panel is gradient descent); one name races that optimizer against
        gradient descent in a single large panel.
    lr_factor : float, default 1.0
        Multiplies every optimizer's tuned learning rate on this landscape (``BASE_LR``).
    momentum : float, default 0.9
        μ of momentum and Nesterov; values outside [0, 1) are run too (to show what they do).
    landscape : str, default "quadratic"
        ``"quadratic"``, ``"rosenbrock"`` or ``"saddle"``.
    steps : int, optional
        Steps of each optimizer; default ``STEPS[landscape]``.

    Returns
    -------
    (Figure, dict)
        The paths over the contours, and for each optimizer its finishing step, "not in k
        steps", or "diverged at step k".
    """
    landscape = _check_landscape(landscape)
    optimizer = _check_optimizer(optimizer)
    lr_factor = v.check_positive("lr_factor", lr_factor)
    momentum = v.check_number("momentum", momentum)
    steps = STEPS[landscape] if steps is None else v.check_int("steps", steps, minimum=1)
    land = get_landscape(landscape)
    names = OPTIMIZER_NAMES if optimizer == "all" else tuple(dict.fromkeys(("sgd", optimizer)))
    goal = "escaped" if land.minimum is None else "finished"

    runs = {}
    numbers: dict[str, Any] = {}
    for name in names:
        lr = BASE_LR[landscape][name] * lr_factor
        path, diverged_at = race_path(land, name, lr, steps, momentum)
        label = LABELS[name] + (f" μ={momentum:g}" if name in ("momentum", "nesterov") else "")
        if diverged_at is not None:
            outcome = f"diverged at step {diverged_at}"
        else:
            done = finish_step(land, path)
            if done is not None:
                outcome = f"{goal} at step {done}"
            elif land.minimum is not None:
                gap = float(np.linalg.norm(path[-1] - land.minimum))
                outcome = f"not in {steps} steps ({gap:.2g} away)"
            else:
                outcome = f"not in {steps} steps"
        numbers[label] = outcome
        runs[name] = (label, lr, path, diverged_at is not None, outcome)

    finish = (f"finish: within {FINISH_RADIUS:g} of the minimum ★" if land.minimum is not None
              else f"finish: escape the saddle, |w₂| > {ESCAPE_HEIGHT:g}")
    if optimizer == "all":
        fig = Figure(figsize=(7.2, 4.7))
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.86))
        ax.set_axis_off()
        (x0, x1), (y0, y1) = land.xlim, land.ylim
        width, height = x1 - x0, y1 - y0
        gap_x, gap_y = 0.04 * width, 0.3 * height  # room for the two-line titles
        image = _background(landscape)
        ghost = runs["sgd"][2]
        for i, name in enumerate(names):
            label, lr, path, diverged, outcome = runs[name]
            row, col = divmod(i, 3)
            offset = (col * (width + gap_x), -row * (height + gap_y))
            _tile(ax, land, image, offset, path, PALETTE[i], diverged, None if i == 0 else ghost)
            ax.text(offset[0] + (x0 + x1) / 2, offset[1] + y1 + 0.04 * height,
                    f"{label}, lr {lr:.2g}\n{outcome}", ha="center", va="bottom", fontsize=8.5,
                    color=_WARN if diverged else "black")
        pad = 0.01 * height
        ax.set(xlim=(x0 - pad, x0 + 3 * width + 2 * gap_x + pad),
               ylim=(y0 - height - gap_y - pad, y1 + gap_y - pad))
        fig.suptitle(f"{land.name}: {steps} steps, every learning rate × {lr_factor:g} "
                     f"(grey: gradient descent)\n{finish}", fontsize=10)
        return fig, numbers

    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    trajectories = {}
    for name in names:
        label, lr, path, _, outcome = runs[name]
        trajectories[f"{label}, lr {lr:.2g}: {outcome}"] = path  # cut where it diverged
    plot_trajectories(land, trajectories, ax=ax,
                      title=f"{land.name}: {steps} steps ({finish})")
    ax.title.set_fontsize(9.5)
    return fig, numbers
def optimizer_race(**kwargs: Any) -> Explorer:
    """Explorer: landscape and learning-rate factor (and, live, optimizer and μ) → the race.

    On the static page the frames are the three landscapes × three learning-rate factors, all
    six optimizers at once with μ = 0.9. With a kernel, the reader can also single out one
    optimizer against gradient descent, choose finer factors and set μ outside [0, 1).
    """
    controls = [
        Control("landscape", ["quadratic", "rosenbrock", "saddle"]),
        Control("lr_factor", [0.5, 1.0, 2.0], label="learning rate × tuned",
                live_values=[0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 4.0]),
        Control("optimizer", ["all"], live_values=["all", *OPTIMIZER_NAMES]),
        Control("momentum", [0.9], label="momentum μ",
                live_values=[-0.5, 0.0, 0.5, 0.9, 0.99, 1.0, 1.1]),
    ]
    kwargs.setdefault("title", "Optimizer race")
    kwargs.setdefault("defaults", {"landscape": "rosenbrock", "lr_factor": 1.0,
                                   "optimizer": "all", "momentum": 0.9})
    return Explorer(draw_race, controls, **kwargs)
