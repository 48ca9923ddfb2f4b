"""The two-moons trainer: train a small MLP with the numpy engine, draw its boundary and losses.

:func:`draw_two_moons` trains an MLP on the two-moons training set
(:func:`nndl_book.training.moons.fit_moons`) and draws two panels: the probability the network
gives to class 1 over the plane, with its decision boundary and the training (filled) and
development (hollow) points; and the training and development loss per epoch, with the epoch of
the lowest development loss marked. A run whose loss becomes infinite or NaN is not an error:
the figure says "diverged at epoch k". :func:`two_moons_trainer` wraps it in an
:class:`~nndl_book.widgets.explorer.Explorer`.

The figure is built for live redraws, where training, drawing and PNG encoding happen on every
change of a control: fixed panel positions instead of a layout engine (which would measure every
text on every draw), the probability as a banded image instead of filled contours, no ticks on
the data panel, and as few texts as the figure can do with (each costs about a millisecond).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure

from nndl_book.maths import accuracy
from nndl_book.maths.activations import sigmoid
from nndl_book.plots import style
from nndl_book.training.moons import HIDDEN_ACTIVATIONS, MoonsSetting, fit_moons, moons_split
from nndl_book.widgets.explorer import Control, Explorer, check_options

__all__ = ["draw_two_moons", "two_moons_trainer"]

_FIGSIZE = (7.0, 2.9)
# Panel rectangles (left, bottom, width, height) in figure fractions, set by hand: a layout
# engine would measure every text on every redraw, which costs more than the drawing itself.
_DATA_BOX = (0.015, 0.035, 0.47, 0.84)
_LOSS_BOX = (0.585, 0.165, 0.4, 0.71)
_GRID = 72  # probability evaluated on a _GRID x _GRID lattice, smoothed by the image
_BANDS = 10


def _band_colours(n: int) -> ListedColormap:
    """``n`` bands from light blue (P = 0) through white to light vermillion (P = 1)."""
    colours = []
    for t in (np.arange(n) + 0.5) / n:
        end, s = (style.BLUE, 1 - 2 * t) if t < 0.5 else (style.VERMILLION, 2 * t - 1)
        colours.append(style.lighten(end, 1 - 0.55 * s))  # at most 55 % of the full colour
    return ListedColormap(colours)


_CMAP = _band_colours(_BANDS)
_NORM = BoundaryNorm(np.linspace(0.0, 1.0, _BANDS + 1), _BANDS)


@lru_cache(maxsize=4)
def _lattice(data_seed: int) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """Grid points (``_GRID**2``, 2) covering the data with a margin, and their extent."""
    (X, _), (X_dev, _) = moons_split(data_seed)
    both = np.vstack([X, X_dev])
    lo, hi = both.min(axis=0) - 0.35, both.max(axis=0) + 0.35
    gx, gy = np.linspace(lo[0], hi[0], _GRID), np.linspace(lo[1], hi[1], _GRID)
    xx, yy = np.meshgrid(gx, gy)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    grid.setflags(write=False)
    return grid, (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))


def _points(ax: Any, X: np.ndarray, y: np.ndarray, *, hollow: bool) -> None:
    for k, marker in ((0, "o"), (1, "s")):
        pts = X[y == k]
        colour = style.PALETTE[k]
        if hollow:
            ax.scatter(pts[:, 0], pts[:, 1], s=24, marker=marker, facecolors="white",
                       edgecolors=colour, linewidths=1.3, zorder=3)
        else:
            ax.scatter(pts[:, 0], pts[:, 1], s=22, marker=marker, color=colour,
                       edgecolors="white", linewidths=0.5, zorder=3)


def _loss_panel(ax: Any, history: Any, epochs: int) -> None:
    """Train and dev loss per epoch, the key written in the title row instead of a legend."""
    style.style_axes(ax, grid=False, labelsize=8)
    ax.tick_params(length=3, pad=2)
    train_loss, dev_loss = np.asarray(history.train_loss), np.asarray(history.dev_loss)
    losses = np.concatenate([train_loss, dev_loss])
    low, high = (float(losses.min()), float(losses.max())) if losses.size else (0.5, 1.0)
    log = low > 0 and high / low > 30  # e.g. a diverging run: decades matter, not values
    if log:  # plot log10(loss) on a linear axis: a log axis up to 1e300 overflows
        train_loss, dev_loss = np.log10(train_loss), np.log10(dev_loss)
        bottom, top = np.floor(np.log10(low)), np.ceil(np.log10(high))
        ticks = np.log10(style.nice_ticks(10.0**bottom, 10.0**top, most=4, log=True))
        labels = [_power_of_ten(t) for t in ticks]
    else:
        bottom, top = 0.0, style.nice_ceil(high)
        ticks = np.array([0.0, top / 2, top])
        labels = [f"{v:g}" for v in ticks]
    ax.plot(np.arange(1, train_loss.size + 1), train_loss, color=style.BLUE, lw=1.6)
    ax.plot(np.arange(1, dev_loss.size + 1), dev_loss, color=style.VERMILLION, lw=1.6)
    ax.set_ylim(bottom, top)
    ax.set_yticks(ticks, labels)
    ax.set_xlim(0, epochs)
    # two tick labels, the unit in the last one: every text costs about a millisecond per draw
    ax.set_xticks([0, epochs], ["0", f"{epochs} epochs"])
    ax.get_xticklabels()[-1].set_horizontalalignment("right")
    key = {"transform": ax.transAxes, "va": "bottom", "fontsize": style.LEGEND_SIZE}
    ax.text(0.0, 1.03, "loss (log scale)" if log else "loss", fontsize=10, ha="left",
            transform=ax.transAxes, va="bottom")
    ax.text(0.6, 1.03, "train", color=style.BLUE, ha="right", **key)
    ax.text(0.62, 1.03, "dev", color=style.VERMILLION, ha="left", **key)
    if history.diverged:
        ax.axvline(history.diverged_at, color=style.WARN, ls="--", lw=1.4)
        ax.text(0.97, 0.5, f"diverged at\nepoch {history.diverged_at}", color=style.WARN,
                fontweight="bold", transform=ax.transAxes, ha="right", va="center",
                fontsize=9)
    elif history.best_epoch is not None:
        ax.axvline(history.best_epoch, color=style.GREY, ls=":", lw=1.3)
        ax.text(1.0, 1.03, "⋮ best dev", color=style.MUTED, ha="right", **key)


def _loss_text(value: float) -> str:
    return f"{value:.4f}" if value < 1e4 else f"{value:.3g}"


def _power_of_ten(exponent: float) -> str:
    e = int(exponent)
    return f"{10.0**e:g}" if -3 <= e <= 3 else f"1e{e}"


def draw_two_moons(**fields: Any) -> tuple[Figure, dict[str, Any]]:
    """Train an MLP on two moons by full-batch gradient descent; draw its boundary and losses.

    Parameters
    ----------
    **fields
        The network and its training: the fields of
        :class:`~nndl_book.training.moons.MoonsSetting` (``hidden``, ``depth``, ``activation``,
        ``lr``, ``epochs``, ``seed``, ``data_seed``), each with its default there.

    Returns
    -------
    (Figure, dict)
        The figure (7.0 x 2.9 inches) and the numbers for the caption: train and dev accuracy
        and the final train loss, or the epoch at which the loss diverged.

    Raises
    ------
    ValueError, TypeError
        For an invalid setting (e.g. ``depth=0``); an explorer shows the message instead.
    """
    setting = MoonsSetting(**fields)
    model, history = fit_moons(setting)
    (X, y), (X_dev, y_dev) = moons_split(setting.data_seed)

    fig = Figure(figsize=_FIGSIZE)
    data_ax = fig.add_axes(_DATA_BOX)
    loss_ax = fig.add_axes(_LOSS_BOX)
    grid, extent = _lattice(setting.data_seed)
    data_ax.set(xticks=[], yticks=[], xlim=extent[:2], ylim=extent[2:], aspect="equal")
    data_ax.set_anchor("W")
    arch = "–".join(str(s) for s in setting.sizes)
    # Titles as plain texts: Axes.set_title re-measures the axes on every draw to place itself.
    caption = f"{arch} {setting.activation}, lr {setting.lr:g}, {setting.epochs} epochs"
    data_ax.text(0.0, 1.025, caption, fontsize=10, transform=data_ax.transAxes, ha="left",
                 va="bottom")
    if history.diverged:
        data_ax.set_facecolor("#f2f2f2")
        data_ax.text(0.5, 0.5, f"diverged at epoch {history.diverged_at}\n(loss overflowed)",
                     transform=data_ax.transAxes, ha="center", va="center", color=style.WARN,
                     fontsize=10, fontweight="bold", zorder=4,
                     bbox={"boxstyle": "round", "fc": "white", "ec": style.WARN, "alpha": 0.9})
        numbers: dict[str, Any] = {"diverged at epoch": history.diverged_at}
    else:
        with np.errstate(all="ignore"):
            z = model.forward(grid).reshape(_GRID, _GRID)
            p = sigmoid(z)
        data_ax.imshow(p, extent=extent, origin="lower", cmap=_CMAP, norm=_NORM,
                       interpolation="bilinear", interpolation_stage="data", aspect="auto")
        if np.nanmin(p) < 0.5 < np.nanmax(p):
            data_ax.contour(p, levels=[0.5], extent=extent, colors="black", linewidths=1.4)
        cut = model.default_threshold()
        numbers = {
            "train accuracy": f"{accuracy(model(X), y, threshold=cut):.3f}",
            "dev accuracy": f"{accuracy(model(X_dev), y_dev, threshold=cut):.3f}",
            "final train loss": _loss_text(history.train_loss[-1]),
            "lowest dev loss at epoch": history.best_epoch,
        }
    _points(data_ax, X, y, hollow=False)
    _points(data_ax, X_dev, y_dev, hollow=True)
    data_ax.text(0.015, 0.02, "filled: train   hollow: dev", transform=data_ax.transAxes,
                 fontsize=7.5, color="#444444", ha="left", va="bottom", zorder=5,
                 bbox={"boxstyle": "square,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.8})
    _loss_panel(loss_ax, history, setting.epochs)
    return fig, numbers


def two_moons_trainer(**options: Any) -> Explorer:
    """Explorer: hidden units, activation, learning rate (and with a kernel: depth, epochs, seed).

    On the static page the grid is hidden units (2, 5) × activation (sigmoid, tanh, relu) ×
    learning rate (0.1, 1, 10, 1000) for one hidden layer and 300 epochs: 24 frames, among
    them a ReLU network that diverges at learning rate 1000. With a kernel every control is
    free.

    Parameters
    ----------
    **options
        A starting value for a control (``hidden``, ``activation``, ``lr``, ``depth``,
        ``epochs``, ``seed``), or an option of :class:`~nndl_book.widgets.explorer.Explorer`
        (``title``, ``defaults``, ``mode``, ``dpi``, ...).
    """
    controls = [
        Control("hidden", [2, 5], label="hidden units", live_values=[1, 2, 3, 5, 8, 16, 32]),
        Control("activation", ["sigmoid", "tanh", "relu"], live_values=list(HIDDEN_ACTIVATIONS)),
        Control("lr", [0.1, 1.0, 10.0, 1000.0], label="learning rate",
                live_values=[0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0]),
        Control("depth", [1], label="hidden layers", live_values=[1, 2, 3, 4]),
        Control("epochs", [300], live_values=[30, 100, 300, 1000, 3000]),
        Control("seed", [0], label="initialisation seed", live_values=[0, 1, 2, 3, 4]),
    ]
    kwargs = check_options("two_moons_trainer", controls, options)
    kwargs.setdefault("title", "Two moons: train an MLP")
    kwargs["defaults"] = {"hidden": 5, "activation": "tanh", "lr": 1.0, **kwargs["defaults"]}
    return Explorer(draw_two_moons, controls, **kwargs)
