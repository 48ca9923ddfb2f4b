"""The decision boundary of a classifier of two features, over its data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure

from nndl_book._validate import as_array, check_int, check_positive
from nndl_book.plots import style
from nndl_book.plots._checks import check_ax, check_bool, check_title

__all__ = ["plot_decision_boundary"]


def plot_decision_boundary(
    predict: Callable[[np.ndarray], Any],
    X: Any,
    y: Any,
    *,
    resolution: int = 150,
    padding: float = 0.5,
    ax: Axes | None = None,
    title: str | None = None,
    probability: bool = True,
) -> Figure:
    """Colour the plane by a classifier's score and overlay the data.

    Parameters
    ----------
    predict : callable
        Maps a float64 array of shape ``(m, 2)`` to one score per row, shape ``(m,)`` or
        ``(m, 1)``: probabilities of class 1 in [0, 1] when ``probability`` is True, else logits
        (boundary at 0) or integer class labels (0..K-1, or the signs -1/+1). An output of
        shape ``(m, K)`` with ``K >= 2`` is read as class scores and its argmax taken as the
        label.
    X : array_like, shape (n, 2)
        The points.
    y : array_like, shape (n,)
        Their integer class labels: 0/1, -1/+1, or 0..K-1 for a few classes.
    resolution : int, default 150
        Grid points per axis; ``predict`` is called once on ``resolution**2`` rows.
    padding : float, default 0.5
        Margin around the data, in data units.
    ax : matplotlib.axes.Axes, optional
        Draw into this Axes (no colour bar is added then).
    title : str, optional
        Axes title.
    probability : bool, default True
        Whether ``predict`` returns probabilities (boundary at 0.5) or logits (boundary at 0).

    Returns
    -------
    matplotlib.figure.Figure
        Filled contours of the score (diverging colours, blue for class 0 and vermillion for
        class 1), the boundary as a black line, and the points coloured and shaped by class.
        When ``predict`` returns integer labels (``probability=False``) or ``y`` has more than
        two classes, the regions are filled with the class colours instead.
    """
    if not callable(predict):
        raise TypeError(
            f"predict must be a callable mapping (m, 2) arrays to scores, got "
            f"{type(predict).__name__}"
        )
    X, labels, names = _check_data(X, y)
    resolution = check_int("resolution", resolution, minimum=2)
    padding = check_positive("padding", padding, allow_zero=True)
    probability = check_bool("probability", probability)
    title = check_title(title)
    ax = check_ax(ax)

    lo, hi, xx, yy = _window(X, padding, resolution)
    scores, discrete = _scores(predict, np.column_stack([xx.ravel(), yy.ravel()]), probability)
    n_classes = int(max(labels.max(), scores.max() if discrete else 1)) + 1
    if n_classes > 2 and not discrete:
        raise ValueError(
            f"y has {n_classes} classes: predict must then return integer labels (m,) with "
            f"probability=False, or class scores of shape (m, K)"
        )
    if probability and not discrete and (scores.min() < -1e-9 or scores.max() > 1 + 1e-9):
        raise ValueError(
            f"predict returned values in [{scores.min():.3g}, {scores.max():.3g}], outside "
            f"[0, 1]: pass probability=False for logits or labels"
        )

    axes = style.new_axes(ax)
    panel = axes[0]
    style.style_axes(panel, grid=False)
    zz = scores.reshape(resolution, resolution)
    if discrete:
        _fill_classes(panel, xx, yy, zz, max(n_classes, 2))
    else:
        _fill_scores(panel, xx, yy, zz, probability, colour_bar=ax is None)
    for k in np.unique(labels):
        pts = X[labels == k]
        panel.scatter(pts[:, 0], pts[:, 1], s=18, color=style.colour(int(k)),
                      marker=style.MARKERS[k % len(style.MARKERS)], edgecolors="white",
                      linewidths=0.5,
                      label=f"class {names[int(k)]}", zorder=3)
    panel.set_xlim(lo[0], hi[0])
    panel.set_ylim(lo[1], hi[1])
    style.set_labels(panel, "$x_1$", "$x_2$", title)
    style.add_legend(panel, markerscale=1.2, handletextpad=0.2, borderpad=0.3)
    return style.figure_of(axes)


def _window(
    X: np.ndarray, padding: float, resolution: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lower and upper corner of the plotted window, and its grid (``meshgrid``)."""
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    for j in range(2):
        if hi[j] - lo[j] <= 0:
            lo[j], hi[j] = lo[j] - 1.0, hi[j] + 1.0
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    return lo, hi, xx, yy


def _check_data(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """The points, their classes 0..K-1 and each class's name (-1/+1 become 0/1)."""
    X = as_array("X", X, ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2) (two features to plot), got {X.shape}")
    y = as_array("y", y, ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same length, got {X.shape[0]} and {y.shape[0]}")
    if bool(np.any(y < 0)) and bool(np.all(np.abs(y) == 1)):  # perceptron-style -1 / +1
        return X, (y > 0).astype(np.int64), {0: "-1", 1: "+1"}
    if not np.all(y == np.round(y)) or np.any(y < 0):
        raise ValueError(
            "y must hold integer class labels 0, 1, ... (or -1 and +1), got values such as "
            f"{float(y[(y != np.round(y)) | (y < 0)][0]):g}"
        )
    labels = y.astype(np.int64)
    return X, labels, {int(k): str(int(k)) for k in np.unique(labels)}


def _scores(
    predict: Callable[[np.ndarray], Any], grid: np.ndarray, probability: bool
) -> tuple[np.ndarray, bool]:
    """``predict`` on the grid as one number per row, and whether those are class labels."""
    out = predict(grid)
    try:
        raw = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError, RuntimeError) as err:
        raise TypeError(
            f"predict must return a numpy array of numbers, got {type(out).__name__} "
            f"(for a torch model, return tensor.detach().numpy()): {err}"
        ) from err
    m = grid.shape[0]
    if raw.ndim == 2 and raw.shape[0] == m and raw.shape[1] >= 2:
        scores, discrete = np.argmax(raw, axis=1).astype(np.float64), True
    elif raw.shape in ((m,), (m, 1)):
        scores = raw.reshape(m)
        discrete = not probability and bool(np.all(scores == np.round(scores)))
        if discrete and scores.min() < 0:
            if not np.all(np.abs(scores) <= 1):
                raise ValueError(
                    "predict returned negative labels other than -1: labels must be "
                    "0, 1, ... or -1 and +1"
                )
            scores = (scores > 0).astype(np.float64)  # sign outputs -1 / +1 -> classes 0 / 1
    else:
        raise ValueError(
            f"predict must return shape ({m},) or ({m}, 1) for an input of shape ({m}, 2), "
            f"got {raw.shape}"
        )
    if not np.all(np.isfinite(scores)):
        raise ValueError("predict returned NaN or infinite scores")
    return scores, discrete


def _fill_classes(panel: Axes, xx: np.ndarray, yy: np.ndarray, zz: np.ndarray,
                  n_classes: int) -> None:
    """Regions in light class colours, borders in black."""
    cmap = ListedColormap([style.lighten(style.colour(k), 0.72) for k in range(n_classes)])
    panel.contourf(xx, yy, zz, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap)
    borders = [k + 0.5 for k in range(n_classes - 1) if zz.min() < k + 0.5 < zz.max()]
    if borders:
        panel.contour(xx, yy, zz, levels=borders, colors=style.BLACK, linewidths=1.2)


def _fill_scores(panel: Axes, xx: np.ndarray, yy: np.ndarray, zz: np.ndarray,
                 probability: bool, *, colour_bar: bool) -> None:
    """Diverging filled contours of a probability or a logit, the boundary in black."""
    if probability:
        vmin, vmax, threshold = 0.0, 1.0, 0.5
    else:
        vmax = style.nice_ceil(float(np.percentile(np.abs(zz), 99)))
        vmin, threshold = -vmax, 0.0
    filled = panel.contourf(xx, yy, np.clip(zz, vmin, vmax), levels=np.linspace(vmin, vmax, 21),
                            cmap=style.DIVERGING, norm=Normalize(vmin, vmax))
    if zz.min() < threshold < zz.max():
        panel.contour(xx, yy, zz, levels=[threshold], colors=style.BLACK, linewidths=1.5)
    if colour_bar:
        cbar = panel.figure.colorbar(filled, ax=panel, shrink=0.9, pad=0.02)
        cbar.set_label(
            r"$P(y=1\mid x)$" if probability else r"score $z$ (logit)", fontsize=style.LABEL_SIZE
        )
        cbar.set_ticks([vmin, threshold, vmax])
        cbar.ax.tick_params(labelsize=style.TICK_SIZE)
        cbar.outline.set_visible(False)
