"""The optimizer race, drawn: every optimizer's path over the landscape, and who finished first.

The numbers come from :func:`nndl_book.engine.race.run_race` (tuned learning rates, finish
lines, divergence); this module only draws them and wraps the drawing in an explorer.

Only the paths and the texts change from one setting to the next: the contours, the frames
and the minimum are painted once per landscape
(:class:`~nndl_book.plots.render.CachedBackground`), and the panels stand at fixed positions
(no layout engine), so a live update costs the optimizers' runs and a few lines of text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, TransformedBbox

from nndl_book.engine.landscapes import LANDSCAPES, Landscape, get_landscape
from nndl_book.engine.optim import TAKES_MOMENTUM
from nndl_book.engine.race import (
    ESCAPE_HEIGHT,
    FINISH_RADIUS,
    OPTIMIZER_NAMES,
    RaceRun,
    check_race,
    run_race,
)
from nndl_book.plots.landscapes import draw_landscape, draw_path
from nndl_book.plots.render import CachedBackground
from nndl_book.plots.style import (
    LEGEND_SIZE,
    MINIMUM_STAR,
    PANEL_LABEL_SIZE,
    PANEL_TICK_SIZE,
    START_DOT,
    WARN,
    colour,
    set_labels,
    style_axes,
)
from nndl_book.widgets.explorer import Control, Explorer, check_options

__all__ = ["draw_race", "optimizer_race"]

_ALL_SIZE = (7.2, 4.7)
_ALL_BOX = (0.01, 0.01, 0.98, 0.86)
_ONE_SIZE = (6.4, 3.6)
_ONE_BOX = (0.085, 0.14, 0.45, 0.72)
_GHOST = "#a8a8a8"
_FRAME = "#606060"


def _tile_offsets(land: Landscape) -> tuple[list[tuple[float, float]], tuple[float, float],
                                             tuple[float, float]]:
    """Offsets of the six panels on the shared Axes (data units), and that Axes' limits."""
    (x0, x1), (y0, y1) = land.xlim, land.ylim
    width, height = x1 - x0, y1 - y0
    gap_x, gap_y = 0.04 * width, 0.3 * height  # room for the two-line titles
    offsets = [(col * (width + gap_x), -row * (height + gap_y))
               for row in range(2) for col in range(3)]
    pad = 0.01 * height
    return (offsets, (x0 - pad, x0 + 3 * width + 2 * gap_x + pad),
            (y0 - height - gap_y - pad, y1 + gap_y - pad))


def _minimum_star(ax: Axes, land: Landscape, offset: tuple[float, float] = (0.0, 0.0),
                  size: float = 10.0) -> None:
    if land.minimum is not None:
        ax.plot(land.minimum[0] + offset[0], land.minimum[1] + offset[1], ls="none", ms=size,
                mew=0.7, zorder=7, **MINIMUM_STAR)


def _paint_tiles(landscape: str) -> Any:
    """Painter of the six panels' contours, frames and minima (for ``CachedBackground``)."""

    def paint(fig: Figure) -> None:
        land = get_landscape(landscape)
        offsets, xlim, ylim = _tile_offsets(land)
        ax = fig.add_axes(_ALL_BOX)
        ax.set_axis_off()
        ax.set(xlim=xlim, ylim=ylim)
        (x0, x1), (y0, y1) = land.xlim, land.ylim
        for ox, oy in offsets:
            inset = ax.inset_axes((x0 + ox, y0 + oy, x1 - x0, y1 - y0), transform=ax.transData)
            draw_landscape(inset, land, levels=20, resolution=120)
            inset.set_axis_off()
            ax.add_patch(Rectangle((x0 + ox, y0 + oy), x1 - x0, y1 - y0, fill=False, ec=_FRAME,
                                   lw=0.8, zorder=6))
            _minimum_star(ax, land, (ox, oy))

    return paint


def _paint_panel(landscape: str) -> Any:
    """Painter of the single panel's contours, axes and minimum (for ``CachedBackground``)."""

    def paint(fig: Figure) -> None:
        land = get_landscape(landscape)
        ax = fig.add_axes(_ONE_BOX)
        draw_landscape(ax, land, levels=30, resolution=160)
        style_axes(ax, grid=False, labelsize=PANEL_TICK_SIZE)
        set_labels(ax, "$w_1$", "$w_2$", size=PANEL_LABEL_SIZE)
        _minimum_star(ax, land, size=13.0)

    return paint


@lru_cache(maxsize=256)
def _race(landscape: str, optimizer: str, lr_factor: float, momentum: float,
          steps: int) -> tuple[RaceRun, ...]:
    """The race's runs, kept: moving a control back to a value shows it again at once."""
    return tuple(run_race(landscape, optimizer, lr_factor, momentum, steps))


def _finish_text(land: Landscape) -> str:
    if land.minimum is not None:
        return f"finish: within {FINISH_RADIUS:g} of the minimum ★"
    return f"finish: escape the saddle, |w₂| > {ESCAPE_HEIGHT:g}"


def _draw_all(landscape: str, land: Landscape, runs: tuple[RaceRun, ...], lr_factor: float,
              steps: int) -> Figure:
    fig = Figure(figsize=_ALL_SIZE)
    fig.add_artist(CachedBackground(("race tiles", landscape), _paint_tiles(landscape),
                                    _ALL_SIZE))
    ax = fig.add_axes(_ALL_BOX)
    ax.set_axis_off()
    offsets, xlim, ylim = _tile_offsets(land)
    ax.set(xlim=xlim, ylim=ylim)
    (x0, x1), (y0, y1) = land.xlim, land.ylim
    ghost = runs[0].path
    for i, (run, (ox, oy)) in enumerate(zip(runs, offsets)):
        clip = TransformedBbox(Bbox.from_extents(x0 + ox, y0 + oy, x1 + ox, y1 + oy),
                               ax.transData)
        lines = []
        if i > 0:
            lines += ax.plot(ghost[:, 0] + ox, ghost[:, 1] + oy, color=_GHOST, lw=0.8, zorder=2)
        shifted = run.path + np.array([ox, oy])
        lines += draw_path(ax, shifted, colour(i), width=1.5, dot=2.2, dots=30, start=6.0,
                           edge=1.5)
        if run.diverged_at is not None:
            lines += ax.plot(shifted[-1, 0], shifted[-1, 1], ls="none", marker="X", ms=8,
                             color=WARN, mec="white", zorder=5)
        for line in lines:
            line.set_clip_box(clip)
        ax.text(ox + (x0 + x1) / 2, oy + y1 + 0.04 * (y1 - y0),
                f"{run.label}, lr {run.lr:.2g}\n{run.outcome}", ha="center", va="bottom",
                fontsize=PANEL_TICK_SIZE, color=WARN if run.diverged_at is not None else "black")
    fig.text(0.5, 0.985, f"{land.name}: {steps} steps, every learning rate × {lr_factor:g} "
             f"(grey: gradient descent)\n{_finish_text(land)}", ha="center", va="top",
             fontsize=10)
    return fig


def _draw_one(landscape: str, land: Landscape, runs: tuple[RaceRun, ...], steps: int) -> Figure:
    fig = Figure(figsize=_ONE_SIZE)
    fig.add_artist(CachedBackground(("race panel", landscape), _paint_panel(landscape),
                                    _ONE_SIZE))
    ax = fig.add_axes(_ONE_BOX)
    ax.set_axis_off()
    ax.set(xlim=land.xlim, ylim=land.ylim)
    handles, labels = [], []
    for i, run in enumerate(runs):
        label = f"{run.label}, lr {run.lr:.2g}:\n{run.outcome}"
        handles.append(draw_path(ax, run.path, colour(i))[0])
        labels.append(label + (" (diverged)" if run.diverged_at is not None else ""))
    handles += [Line2D([], [], ls="none", **START_DOT)]
    labels += ["start"]
    if land.minimum is not None:
        handles.append(Line2D([], [], ls="none", ms=11, mew=0.7, **MINIMUM_STAR))
        labels.append("minimum")
    fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.56, 0.86), frameon=False,
               fontsize=LEGEND_SIZE)
    fig.text(0.085, 0.975, f"{land.name}: {steps} steps\n{_finish_text(land)}", ha="left",
             va="top", fontsize=PANEL_LABEL_SIZE)
    return fig


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
        Multiplies every optimizer's tuned learning rate on this landscape
        (:data:`nndl_book.engine.race.BASE_LR`).
    momentum : float, default 0.9
        μ of momentum and Nesterov; values outside [0, 1) are run too (to show what they do).
    landscape : str, default "quadratic"
        ``"quadratic"``, ``"rosenbrock"`` or ``"saddle"``.
    steps : int, optional
        Steps of each optimizer; default :data:`nndl_book.engine.race.STEPS` of the landscape.

    Returns
    -------
    (Figure, dict)
        The paths over the contours, and for each optimizer its finishing step, "not in k
        steps", or "diverged at step k".
    """
    args = check_race(landscape, optimizer, lr_factor, momentum, steps)
    runs = _race(*args)
    land = get_landscape(args[0])
    numbers = {run.label: run.outcome for run in runs}
    if optimizer == "all":
        return _draw_all(args[0], land, runs, args[2], args[4]), numbers
    return _draw_one(args[0], land, runs, args[4]), numbers


def optimizer_race(**options: Any) -> Explorer:
    """Explorer: landscape and learning-rate factor (and, live, optimizer and μ) → the race.

    On the static page the frames are the three landscapes × three learning-rate factors, all
    six optimizers at once with μ = 0.9. With a kernel, the reader can also single out one
    optimizer against gradient descent, choose finer factors and set μ outside [0, 1); the μ
    control is shown only while momentum or Nesterov is in the race.

    Parameters
    ----------
    **options
        A starting value for a control (``landscape``, ``lr_factor``, ``optimizer``,
        ``momentum``), or an option of :class:`~nndl_book.widgets.explorer.Explorer`
        (``title``, ``defaults``, ``mode``, ``dpi``, ...).
    """
    controls = [
        Control("landscape", ["quadratic", "rosenbrock", "saddle"]),
        Control("lr_factor", [0.5, 1.0, 2.0], label="learning rate × tuned",
                live_values=[0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 4.0]),
        Control("optimizer", ["all"], live_values=["all", *OPTIMIZER_NAMES]),
        Control("momentum", [0.9], label="momentum μ",
                live_values=[-0.5, 0.0, 0.5, 0.9, 0.99, 1.0, 1.1],
                applies=lambda p: p["optimizer"] == "all" or p["optimizer"] in TAKES_MOMENTUM),
    ]
    kwargs = check_options("optimizer_race", controls, options)
    kwargs.setdefault("title", "Optimizer race")
    kwargs["defaults"] = {"landscape": "rosenbrock", "lr_factor": 1.0, "optimizer": "all",
                          "momentum": 0.9, **kwargs.get("defaults", {})}
    explorer = Explorer(draw_race, controls, **kwargs)
    if explorer.mode == "live":  # paint every landscape now, so that no later move waits for it
        for name in LANDSCAPES:
            CachedBackground(("race tiles", name), _paint_tiles(name), _ALL_SIZE).pixels(
                explorer.dpi)
    return explorer
