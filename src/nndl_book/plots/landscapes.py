"""Optimizer paths over the contours of a 2-D loss landscape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from nndl_book._validate import as_array, check_int
from nndl_book.plots import style
from nndl_book.plots._checks import check_ax, check_mapping, check_title

__all__ = ["draw_landscape", "draw_path", "plot_trajectories"]


def _check_landscape(landscape: Any) -> tuple[list[np.ndarray], np.ndarray | None]:
    """The window ``[xlim, ylim]`` and the minimum (or None) of a Landscape-like object."""
    missing = [a for a in ("f", "xlim", "ylim", "minimum", "name") if not hasattr(landscape, a)]
    if missing:
        raise TypeError(
            f"landscape must have attributes f, xlim, ylim, minimum and name; "
            f"{type(landscape).__name__} lacks {', '.join(missing)}"
        )
    if not callable(landscape.f):
        raise TypeError("landscape.f must be callable")
    box = []
    for attr in ("xlim", "ylim"):
        lim = as_array(f"landscape.{attr}", getattr(landscape, attr), ndim=1)
        if lim.shape != (2,) or not lim[0] < lim[1]:
            raise ValueError(
                f"landscape.{attr} must be a pair (low, high) with low < high, "
                f"got {getattr(landscape, attr)!r}"
            )
        box.append(lim)
    minimum = None
    if landscape.minimum is not None:
        minimum = as_array("landscape.minimum", landscape.minimum, ndim=1)
        if minimum.shape != (2,):
            raise ValueError(f"landscape.minimum must have shape (2,), got {minimum.shape}")
    return box, minimum


def _check_paths(trajectories: object) -> dict[str, tuple[np.ndarray, bool]]:
    """Each path cut before its first non-finite row, and whether it was cut."""
    paths: dict[str, tuple[np.ndarray, bool]] = {}
    for name, traj in check_mapping("trajectories", trajectories,
                                    "arrays of shape (steps, 2)").items():
        arr = as_array(f"trajectories[{name!r}]", traj, ndim=2, finite=False)
        if arr.shape[1] != 2:
            raise ValueError(f"trajectories[{name!r}] must have shape (steps, 2), got {arr.shape}")
        bad = ~np.all(np.isfinite(arr), axis=1)
        if bad[0]:
            raise ValueError(f"trajectories[{name!r}] must start at a finite point")
        cut = int(np.argmax(bad)) if bad.any() else arr.shape[0]
        paths[name] = (arr[:cut], bool(bad.any()))
    return paths


def draw_landscape(ax: Axes, landscape: Any, *, levels: int = 30, resolution: int = 200) -> None:
    """Filled contours and contour lines of a 2-D loss landscape over its window.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw; its limits are set to the landscape's window.
    landscape : Landscape-like
        As for :func:`plot_trajectories`.
    levels : int, default 30
        Number of contour levels: log-spaced when ``f`` is non-negative over the window, with
        a positive maximum (else linear).
    resolution : int, default 200
        Grid points per axis at which ``f`` is evaluated.
    """
    box, _ = _check_landscape(landscape)
    levels = check_int("levels", levels, minimum=2)
    n = check_int("resolution", resolution, minimum=2)
    xx, yy = np.meshgrid(np.linspace(*box[0], n), np.linspace(*box[1], n))
    zz = np.asarray(landscape.f(np.stack([xx, yy], axis=-1)), dtype=np.float64)
    if zz.shape != xx.shape:
        raise ValueError(
            f"landscape.f must map an array of shape (..., 2) to shape (...); for input "
            f"{(n, n, 2)} it returned {zz.shape}"
        )
    finite = np.isfinite(zz)
    if not finite.any():
        raise ValueError("landscape.f is NaN or infinite everywhere in the window")
    zmin, zmax = float(zz[finite].min()), float(zz[finite].max())
    zm = np.ma.masked_invalid(zz)
    if zmin >= 0 and zmax > 0 and zmax > zmin:
        floor = max(float(zz[finite & (zz > 0)].min()), zmax * 1e-6)
        lv = np.geomspace(floor, zmax, levels)
        norm: Normalize = LogNorm(floor, zmax)
        ax.contourf(
            xx, yy, np.ma.maximum(zm, floor), levels=lv, norm=norm, cmap=style.LANDSCAPE,
            extend="min",
        )
    else:
        if zmax == zmin:
            zmax = zmin + 1.0
        lv = np.linspace(zmin, zmax, levels)
        ax.contourf(xx, yy, zm, levels=lv, cmap=style.LANDSCAPE)
    ax.contour(
        xx, yy, zm, levels=lv, colors=style.CONTOUR_LINE, linewidths=0.5,
        negative_linestyles="solid",
    )
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])


def plot_trajectories(
    landscape: Any,
    trajectories: Mapping[str, Any],
    *,
    levels: int = 30,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Draw optimizer paths over the contours of a 2-D loss landscape.

    Parameters
    ----------
    landscape : Landscape-like
        Object with ``f(points)`` vectorised over an array of shape ``(..., 2)`` returning
        shape ``(...)``, ``xlim`` and ``ylim`` (pairs ``(low, high)``), ``minimum`` (array of
        shape ``(2,)`` or None) and ``name`` (str).
    trajectories : dict
        ``name -> array of shape (steps, 2)``, the successive parameters of each optimizer
        (row 0 is the start). A run that diverged may end in NaN or inf rows: the path is cut
        at the first one and "(diverged)" added to its legend entry.
    levels : int, default 30
        Number of contour levels (see :func:`draw_landscape`).
    ax : matplotlib.axes.Axes, optional
        Draw into this Axes.
    title : str, optional
        Axes title; default ``landscape.name``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _, minimum = _check_landscape(landscape)
    paths = _check_paths(trajectories)
    levels = check_int("levels", levels, minimum=2)
    title = check_title(title)
    ax = check_ax(ax)
    axes = style.new_axes(ax)
    panel = axes[0]
    style.style_axes(panel, grid=False)
    draw_landscape(panel, landscape, levels=levels)
    for i, (name, (path, diverged)) in enumerate(paths.items()):
        draw_path(panel, path, style.colour(i), label=f"{name} (diverged)" if diverged else name)
    if minimum is not None:
        panel.plot(minimum[0], minimum[1], ls="none", ms=13, mew=0.9, label="minimum", zorder=5,
                   **style.MINIMUM_STAR)
    handles, labels = panel.get_legend_handles_labels()
    handles.append(Line2D([], [], ls="none", **style.START_DOT))
    labels.append("start")
    panel.legend(handles, labels, fontsize=style.LEGEND_SIZE, framealpha=0.9, loc="best")
    style.set_labels(panel, "$w_1$", "$w_2$", str(landscape.name) if title is None else title)
    return style.figure_of(axes)


def draw_path(
    ax: Axes, path: np.ndarray, colour: str, *, label: str | None = None, width: float = 1.6,
    dot: float = 3.0, dots: int = 40, start: float = 8.0, edge: float = 1.8, zorder: float = 3,
) -> list[Line2D]:
    """An optimizer's path: a line of width ``width`` with about ``dots`` dots of size ``dot``
    along it, and a hollow circle of size ``start`` (edge ``edge``) at its first point."""
    lines = ax.plot(path[:, 0], path[:, 1], color=colour, lw=width, marker="o", ms=dot,
                    markevery=max(1, path.shape[0] // dots), label=label, zorder=zorder)
    lines += ax.plot(path[0, 0], path[0, 1], ls="none", marker="o", ms=start, mfc="white",
                     mec=colour, mew=edge, zorder=zorder + 1)
    return lines
