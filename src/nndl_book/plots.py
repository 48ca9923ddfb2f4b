"""Figures of the book: training curves, decision boundaries, activations, landscapes.

Every function builds a :class:`matplotlib.figure.Figure` directly (never through
``matplotlib.pyplot``, so no figure is registered in pyplot's global state) and returns it.
Each also accepts ``ax``, an existing :class:`matplotlib.axes.Axes` to draw into; the function
then returns ``ax.figure``. Functions that normally draw two panels draw only the first one
into a given ``ax``.

Colours come from one palette, :data:`PALETTE` (Okabe & Ito, colour-blind friendly); class
``k`` of a data set is always drawn in ``PALETTE[k]`` (class 0 blue, class 1 vermillion).
:func:`figure_to_png` renders a figure to deterministic PNG bytes for precomputed widget frames.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import PIL.Image
from matplotlib.axes import Axes
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import (
    LinearSegmentedColormap,
    ListedColormap,
    LogNorm,
    Normalize,
    to_rgb,
)
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch
from matplotlib.ticker import MaxNLocator

from nndl_book._validate import as_array, check_int, check_positive

__all__ = [
    "PALETTE",
    "figure_to_png",
    "plot_activation_stats",
    "plot_activations",
    "plot_curves",
    "plot_decision_boundary",
    "plot_grad_norms",
    "plot_history",
    "plot_trajectories",
    "plot_weight_histograms",
]

#: Okabe–Ito colours in the order series are drawn: blue, vermillion, bluish green,
#: reddish purple, orange, sky blue, yellow, black. Class ``k`` uses ``PALETTE[k]``.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

_BLUE, _VERMILLION, _GREEN, _PURPLE, _ORANGE, _SKY, _YELLOW, _BLACK = PALETTE
_GREY = "#7f7f7f"
_WARN = _VERMILLION  # the palette's red: used for "diverged" notes
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_SIZE = (5.0, 3.5)
_WIDE = (9.0, 3.5)
_TITLE_SIZE = 11
_LABEL_SIZE = 10
_TICK_SIZE = 9
_LEGEND_SIZE = 8.5


def _lighten(color: str, amount: float) -> tuple[float, float, float]:
    """Mix ``color`` with white; ``amount`` 0 keeps it, 1 gives white."""
    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


_DIVERGING = LinearSegmentedColormap.from_list(
    "nndl_diverging", [_lighten(_BLUE, 0.45), (1.0, 1.0, 1.0), _lighten(_VERMILLION, 0.45)]
)
_LANDSCAPE = LinearSegmentedColormap.from_list("nndl_landscape", ["#b8b8b8", "#e4e4e4", "#fbfbfb"])
_CONTOUR_LINE = "#8a8a8a"


# --------------------------------------------------------------------------- helpers


def _check_ax(ax: object) -> Axes | None:
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def _check_title(title: object) -> str | None:
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string or None, got {type(title).__name__}")
    return title


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return bool(value)


def _check_mapping(name: str, obj: object, what: str) -> dict[str, Any]:
    """Return ``obj`` as a dict with string keys; it must be a non-empty mapping."""
    if not isinstance(obj, Mapping):
        raise TypeError(f"{name} must be a dict mapping names to {what}, got {type(obj).__name__}")
    if len(obj) == 0:
        raise ValueError(f"{name} must not be empty: give at least one name -> {what} entry")
    for key in obj:
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be strings, got {key!r}")
    return dict(obj)


def _figure(ax: Axes | None, figsize: tuple[float, float] = _SIZE, ncols: int = 1) -> list[Axes]:
    """Axes to draw into: ``[ax]`` if given, else the panels of a new constrained Figure."""
    if ax is not None:
        return [ax]
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return list(axes)


def _style(ax: Axes, *, grid: bool = True) -> None:
    """House style, set per Axes (no global rcParams are touched)."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=_TICK_SIZE)
    if grid:
        ax.grid(True, color="#d0d0d0", linewidth=0.6, alpha=0.7)
        ax.set_axisbelow(True)


def _labels(ax: Axes, xlabel: str | None, ylabel: str | None, title: str | None = None) -> None:
    if xlabel is not None:
        ax.set_xlabel(xlabel, fontsize=_LABEL_SIZE)
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=_LABEL_SIZE)
    if title is not None:
        ax.set_title(title, fontsize=_TITLE_SIZE)


def _legend(ax: Axes, **kwargs: Any) -> None:
    if ax.get_legend_handles_labels()[0]:
        kwargs.setdefault("loc", "best")
        ax.legend(fontsize=_LEGEND_SIZE, framealpha=0.85, **kwargs)


def _nice_ceil(v: float) -> float:
    """Round a positive number up to a multiple of half its leading power of ten (4.7 -> 5)."""
    if not v > 0 or not math.isfinite(v):
        return 1.0
    step = 10 ** math.floor(math.log10(v)) / 2
    return float(math.ceil(v / step - 1e-9) * step)


def _color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _figure_of(axes: list[Axes]) -> Figure:
    return axes[0].figure  # type: ignore[return-value]


# --------------------------------------------------------------------------- 1 history


def _history_series(history: object, attr: str) -> np.ndarray:
    values = getattr(history, attr)
    return as_array(f"history.{attr}", list(values), ndim=1, finite=False, allow_empty=True)


def plot_history(
    history: Any,
    *,
    metric: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Plot the loss (and metric) curves of a training run.

    Parameters
    ----------
    history : History-like
        Object with attributes ``train_loss``, ``dev_loss``, ``train_metric``, ``dev_metric``
        (sequences of float, one per epoch; the dev ones and the metric ones may be empty),
        ``metric_name`` (str), ``diverged_at`` and ``best_epoch`` (1-based int or None), as
        :class:`nndl_book.engine.history.History`.
    metric : bool, default True
        Add a second panel with the metric when the metric lists are not empty.
    title : str, optional
        Figure title (the Axes title when ``ax`` is given).
    ax : matplotlib.axes.Axes, optional
        Draw only the loss panel into this Axes.

    Returns
    -------
    matplotlib.figure.Figure
        The loss panel uses a log scale when every loss is positive and they span more than two
        decades. The best epoch is marked with a dotted line; a diverged run carries the note
        "diverged at epoch k" in red.
    """
    needed = (
        "train_loss",
        "dev_loss",
        "train_metric",
        "dev_metric",
        "metric_name",
        "diverged_at",
        "best_epoch",
    )
    missing = [a for a in needed if not hasattr(history, a)]
    if missing:
        raise TypeError(
            f"history must have the attributes of nndl_book.engine.history.History; "
            f"{type(history).__name__} lacks {', '.join(missing)}"
        )
    metric = _check_bool("metric", metric)
    title = _check_title(title)
    ax = _check_ax(ax)
    train_loss = _history_series(history, "train_loss")
    dev_loss = _history_series(history, "dev_loss")
    train_metric = _history_series(history, "train_metric")
    dev_metric = _history_series(history, "dev_metric")
    metric_name = str(history.metric_name)
    diverged_at = history.diverged_at
    best_epoch = history.best_epoch
    for name, value in (("history.diverged_at", diverged_at), ("history.best_epoch", best_epoch)):
        if value is not None:
            check_int(name, value, minimum=1)
    if train_loss.size == 0 and dev_loss.size == 0 and diverged_at is None:
        raise ValueError("history has no epochs: history.train_loss is empty")

    with_metric = metric and ax is None and (train_metric.size > 0 or dev_metric.size > 0)
    axes = _figure(ax, _WIDE if with_metric else _SIZE, 2 if with_metric else 1)
    fig = _figure_of(axes)
    epochs_seen = max(train_loss.size, dev_loss.size, diverged_at or 0, 1)

    def draw(panel: Axes, train: np.ndarray, dev: np.ndarray, ylabel: str) -> None:
        _style(panel)
        marker = "o" if max(train.size, dev.size) <= 30 else None  # dots for short runs
        for values, color, label in ((train, _BLUE, "train"), (dev, _VERMILLION, "dev")):
            if values.size:
                epochs = np.arange(1, values.size + 1)
                panel.plot(epochs, values, color=color, lw=1.8, marker=marker, ms=3.5, label=label)
        if best_epoch is not None:
            panel.axvline(
                best_epoch, color=_GREY, ls=":", lw=1.4, label=f"best epoch ({best_epoch})"
            )
        panel.set_xlim(0.5, epochs_seen + 0.5)
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
        _labels(panel, "epoch", ylabel)

    loss_ax = axes[0]
    draw(loss_ax, train_loss, dev_loss, "loss")
    losses = np.concatenate([train_loss, dev_loss])
    losses = losses[np.isfinite(losses)]
    if losses.size and np.all(losses > 0) and losses.max() / losses.min() > 100:
        loss_ax.set_yscale("log")
    if diverged_at is not None:
        note = f"diverged at epoch {diverged_at}"
        loss_ax.axvline(diverged_at, color=_WARN, ls="--", lw=1.4, label=note)
    _legend(loss_ax)
    if diverged_at is not None:
        for text in loss_ax.get_legend().get_texts():
            if text.get_text() == note:
                text.set_color(_WARN)
                text.set_fontweight("bold")
    if with_metric:
        draw(axes[1], train_metric, dev_metric, metric_name)
        if metric_name.lower() in ("accuracy", "acc") and np.all(
            (np.concatenate([train_metric, dev_metric]) >= 0)
            & (np.concatenate([train_metric, dev_metric]) <= 1)
        ):
            axes[1].set_ylim(min(0.5, float(np.min(np.r_[train_metric, dev_metric]))) - 0.02, 1.02)
        _legend(axes[1])
        loss_ax.set_title("loss", fontsize=_TITLE_SIZE)
        axes[1].set_title(metric_name, fontsize=_TITLE_SIZE)
        if title is not None:
            fig.suptitle(title, fontsize=_TITLE_SIZE + 1)
    elif title is not None:
        loss_ax.set_title(title, fontsize=_TITLE_SIZE)
    return fig


# --------------------------------------------------------------------------- 2 boundary


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
    X = as_array("X", X, ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2) (two features to plot), got {X.shape}")
    y = as_array("y", y, ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same length, got {X.shape[0]} and {y.shape[0]}")
    signed = bool(np.any(y < 0)) and bool(np.all(np.abs(y) == 1))
    if signed:  # perceptron-style labels -1 / +1
        labels = (y > 0).astype(np.int64)
        names = {0: "-1", 1: "+1"}
    else:
        if not np.all(y == np.round(y)) or np.any(y < 0):
            raise ValueError(
                "y must hold integer class labels 0, 1, ... (or -1 and +1), got values such as "
                f"{float(y[(y != np.round(y)) | (y < 0)][0]):g}"
            )
        labels = y.astype(np.int64)
        names = {int(k): str(int(k)) for k in np.unique(labels)}
    resolution = check_int("resolution", resolution, minimum=2)
    padding = check_positive("padding", padding, allow_zero=True)
    probability = _check_bool("probability", probability)
    title = _check_title(title)
    ax = _check_ax(ax)

    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    for j in range(2):
        if hi[j] - lo[j] <= 0:
            lo[j], hi[j] = lo[j] - 1.0, hi[j] + 1.0
    gx = np.linspace(lo[0], hi[0], resolution)
    gy = np.linspace(lo[1], hi[1], resolution)
    xx, yy = np.meshgrid(gx, gy)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
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
        scores = np.argmax(raw, axis=1).astype(np.float64)
        discrete = True
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

    axes = _figure(ax)
    panel = axes[0]
    fig = _figure_of(axes)
    _style(panel, grid=False)
    zz = scores.reshape(resolution, resolution)
    if discrete:
        n_classes = max(n_classes, 2)
        cmap = ListedColormap([_lighten(_color(k), 0.72) for k in range(n_classes)])
        panel.contourf(xx, yy, zz, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap)
        borders = [k + 0.5 for k in range(n_classes - 1) if zz.min() < k + 0.5 < zz.max()]
        if borders:
            panel.contour(xx, yy, zz, levels=borders, colors=_BLACK, linewidths=1.2)
    else:
        if probability:
            vmin, vmax, threshold = 0.0, 1.0, 0.5
        else:
            vmax = _nice_ceil(float(np.percentile(np.abs(scores), 99)))
            vmin, threshold = -vmax, 0.0
        levels = np.linspace(vmin, vmax, 21)
        filled = panel.contourf(
            xx,
            yy,
            np.clip(zz, vmin, vmax),
            levels=levels,
            cmap=_DIVERGING,
            norm=Normalize(vmin, vmax),
        )
        if zz.min() < threshold < zz.max():
            panel.contour(xx, yy, zz, levels=[threshold], colors=_BLACK, linewidths=1.5)
        if ax is None:
            cbar = fig.colorbar(filled, ax=panel, shrink=0.9, pad=0.02)
            cbar.set_label(
                r"$P(y=1\mid x)$" if probability else r"score $z$ (logit)", fontsize=_LABEL_SIZE
            )
            cbar.set_ticks([vmin, threshold, vmax])
            cbar.ax.tick_params(labelsize=_TICK_SIZE)
            cbar.outline.set_visible(False)
    for k in np.unique(labels):
        pts = X[labels == k]
        panel.scatter(
            pts[:, 0],
            pts[:, 1],
            s=18,
            color=_color(int(k)),
            marker=_MARKERS[k % len(_MARKERS)],
            edgecolors="white",
            linewidths=0.5,
            label=f"class {names[int(k)]}",
            zorder=3,
        )
    panel.set_xlim(lo[0], hi[0])
    panel.set_ylim(lo[1], hi[1])
    _labels(panel, "$x_1$", "$x_2$", title)
    _legend(panel, markerscale=1.2, handletextpad=0.2, borderpad=0.3)
    return fig


# --------------------------------------------------------------------------- 3 activations


def plot_activations(
    functions: Mapping[str, Any],
    *,
    x: Any = None,
    derivative: bool = True,
    ax: Axes | None = None,
) -> Figure:
    """Plot activation functions and their derivatives.

    Parameters
    ----------
    functions : dict
        ``name -> (f, df)`` or ``name -> f``, numpy callables mapping an array to an array of the
        same shape. When ``df`` is missing, the derivative panel shows a numerical derivative
        (central differences, dashed, "(numerical)" in the legend).
    x : array_like, shape (n,), optional
        Where to evaluate; default ``numpy.linspace(-5, 5, 401)``.
    derivative : bool, default True
        Add a second panel with the derivatives.
    ax : matplotlib.axes.Axes, optional
        Draw only the panel of the functions into this Axes.

    Returns
    -------
    matplotlib.figure.Figure
    """
    funcs = _check_mapping("functions", functions, "f or (f, df)")
    derivative = _check_bool("derivative", derivative)
    ax = _check_ax(ax)
    xs = np.linspace(-5.0, 5.0, 401) if x is None else as_array("x", x, ndim=1)
    if xs.size < 3:
        raise ValueError(f"x must have at least 3 points, got {xs.size}")
    xs = np.sort(xs)

    def evaluate(label: str, fn: object) -> np.ndarray:
        if not callable(fn):
            raise TypeError(f"{label} must be callable, got {type(fn).__name__}")
        out = np.asarray(fn(xs.copy()), dtype=np.float64)
        try:
            return np.broadcast_to(out, xs.shape).astype(np.float64)
        except ValueError as err:
            raise ValueError(
                f"{label} must return an array of the shape of x {xs.shape}, got {out.shape}"
            ) from err

    curves: list[tuple[str, np.ndarray, np.ndarray, bool]] = []
    for name, entry in funcs.items():
        if isinstance(entry, tuple) and len(entry) == 2:
            f, df = entry
        elif callable(entry):
            f, df = entry, None
        else:
            raise TypeError(
                f"functions[{name!r}] must be a callable f or a pair (f, df), "
                f"got {type(entry).__name__}"
            )
        fx = evaluate(f"functions[{name!r}] f", f)
        if df is None:
            dfx, numerical = np.gradient(fx, xs), True
        else:
            dfx, numerical = evaluate(f"functions[{name!r}] df", df), False
        curves.append((name, fx, dfx, numerical))

    two = derivative and ax is None
    axes = _figure(ax, (9.0, 3.4) if two else _SIZE, 2 if two else 1)
    fig = _figure_of(axes)
    for panel in axes:
        _style(panel)
        panel.axhline(0, color="#9a9a9a", lw=0.8, zorder=1)
        panel.axvline(0, color="#9a9a9a", lw=0.8, zorder=1)
    for i, (name, fx, dfx, numerical) in enumerate(curves):
        axes[0].plot(xs, fx, color=_color(i), lw=2, label=name)
        if two:
            axes[1].plot(
                xs,
                dfx,
                color=_color(i),
                lw=2,
                ls="--" if numerical else "-",
                label=f"{name} (numerical)" if numerical else name,
            )
    _labels(axes[0], "$z$", "$f(z)$", "activation functions" if two else None)
    _legend(axes[0])
    if two:
        _labels(axes[1], "$z$", "$f'(z)$", "derivatives")
        _legend(axes[1])
    return fig


# --------------------------------------------------------------------------- 4 grad norms


def plot_grad_norms(
    norms: Mapping[str, Any],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    log: bool = True,
) -> Figure:
    """Bar chart (or line chart for many layers) of gradient norms per layer.

    Parameters
    ----------
    norms : dict
        Either ``series name -> sequence`` of per-layer norms (layer 1..L; series may differ in
        length), or ``layer name -> float`` for a single series (the names label the bars).
    ax : matplotlib.axes.Axes, optional
        Draw into this Axes.
    title : str, optional
        Axes title.
    log : bool, default True
        Use a log y axis (when at least one norm is positive). Zero norms are then drawn as
        triangles at the bottom, labelled "0 (no gradient)".

    Returns
    -------
    matplotlib.figure.Figure
        Bars when there are at most 12 layers, lines with markers otherwise.
    """
    data = _check_mapping("norms", norms, "per-layer norms")
    log = _check_bool("log", log)
    title = _check_title(title)
    ax = _check_ax(ax)
    dims = {name: np.ndim(v) for name, v in data.items()}
    if all(d == 0 for d in dims.values()):
        values = as_array("norms values", [data[k] for k in data], ndim=1)
        series = {"": values}
        tick_labels: list[str] | None = list(data)
    elif all(d == 1 for d in dims.values()):
        series = {k: as_array(f"norms[{k!r}]", v, ndim=1) for k, v in data.items()}
        tick_labels = None
    else:
        raise ValueError(
            "norms values must be all numbers (layer name -> norm, one series) or all 1-D "
            "sequences (series name -> per-layer norms)"
        )
    for name, vals in series.items():
        if np.any(vals < 0):
            where = f"norms[{name!r}]" if name else "norms"
            raise ValueError(f"{where} must be non-negative (they are norms), got {vals.min():.3g}")
    everything = np.concatenate(list(series.values()))
    positive = everything[everything > 0]
    use_log = log and positive.size > 0
    n_layers = max(v.size for v in series.values())
    bars = n_layers <= 12

    axes = _figure(ax, _SIZE if n_layers * len(series) <= 10 else (6.5, 3.5))
    panel = axes[0]
    fig = _figure_of(axes)
    _style(panel)
    if use_log:
        panel.set_yscale("log")
        bottom = positive.min() / 10**0.5
        top = positive.max() * 10**0.35
        zero_y = bottom * 10**0.12
    else:
        bottom, top = 0.0, (everything.max() * 1.12 if everything.max() > 0 else 1.0)
        zero_y = 0.0
    width = 0.8 / len(series)
    any_zero = False
    for i, (name, vals) in enumerate(series.items()):
        layers = np.arange(1, vals.size + 1, dtype=np.float64)
        color = _color(i)
        label = name or None
        if bars:
            xpos = layers + (i - (len(series) - 1) / 2) * width
            nonzero = vals > 0
            # on a log axis the bars start at the bottom of the axis, not at 0
            panel.bar(
                xpos[nonzero],
                vals[nonzero] - bottom,
                bottom=bottom,
                width=width * 0.92,
                color=color,
                label=label,
                zorder=2,
            )
        else:
            xpos = layers
            masked = np.where(vals > 0, vals, np.nan) if use_log else vals
            panel.plot(xpos, masked, color=color, marker="o", ms=3.5, lw=1.6, label=label)
        zeros = vals == 0
        if np.any(zeros):
            any_zero = True
            panel.plot(
                xpos[zeros],
                np.full(int(zeros.sum()), zero_y),
                ls="none",
                marker="v",
                ms=7,
                color=color,
                markeredgecolor=_BLACK,
                markeredgewidth=0.6,
                clip_on=False,
                zorder=4,
            )
    panel.set_ylim(bottom, top)
    panel.set_xlim(0.4, n_layers + 0.6)
    if tick_labels is not None:
        panel.set_xticks(np.arange(1, len(tick_labels) + 1))
        long = max(len(t) for t in tick_labels) > 6
        panel.set_xticklabels(
            tick_labels, rotation=30 if long else 0, ha="right" if long else "center"
        )
        _labels(panel, "layer", "gradient norm", title)
    else:
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
        _labels(panel, "layer $l$", "gradient norm", title)
    if bars:
        panel.grid(False, axis="x")
    handles, labels = panel.get_legend_handles_labels()
    if any_zero:
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="v",
                ms=7,
                color="white",
                markeredgecolor=_BLACK,
                markeredgewidth=0.8,
            )
        )
        labels.append("0 (no gradient)")
    if handles:  # outside on the right: bars fill the top of the panel
        panel.legend(
            handles,
            labels,
            fontsize=_LEGEND_SIZE,
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            borderaxespad=0.0,
        )
    return fig


# --------------------------------------------------------------------------- 5 trajectories


def plot_trajectories(
    landscape: Any,
    trajectories: Mapping[str, Any],
    *,
    levels: int = 30,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Draw optimiser paths over the contours of a 2-D loss landscape.

    Parameters
    ----------
    landscape : Landscape-like
        Object with ``f(points)`` vectorised over an array of shape ``(..., 2)`` returning
        shape ``(...)``, ``xlim`` and ``ylim`` (pairs ``(low, high)``), ``minimum`` (array of
        shape ``(2,)`` or None) and ``name`` (str).
    trajectories : dict
        ``name -> array of shape (steps, 2)``, the successive parameters of each optimiser
        (row 0 is the start). A run that diverged may end in NaN or inf rows: the path is cut
        at the first one and "(diverged)" added to its legend entry.
    levels : int, default 30
        Number of contour levels: log-spaced when ``f`` is non-negative over the window, with
        a positive maximum (else linear).
    ax : matplotlib.axes.Axes, optional
        Draw into this Axes.
    title : str, optional
        Axes title; default ``landscape.name``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    missing = [a for a in ("f", "xlim", "ylim", "minimum", "name") if not hasattr(landscape, a)]
    if missing:
        raise TypeError(
            f"landscape must have attributes f, xlim, ylim, minimum and name; "
            f"{type(landscape).__name__} lacks {', '.join(missing)}"
        )
    if not callable(landscape.f):
        raise TypeError("landscape.f must be callable")
    paths_in = _check_mapping("trajectories", trajectories, "arrays of shape (steps, 2)")
    levels = check_int("levels", levels, minimum=2)
    title = _check_title(title)
    ax = _check_ax(ax)
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
    paths: dict[str, tuple[np.ndarray, bool]] = {}
    for name, traj in paths_in.items():
        arr = as_array(f"trajectories[{name!r}]", traj, ndim=2, finite=False)
        if arr.shape[1] != 2:
            raise ValueError(f"trajectories[{name!r}] must have shape (steps, 2), got {arr.shape}")
        bad = ~np.all(np.isfinite(arr), axis=1)
        if bad[0]:
            raise ValueError(f"trajectories[{name!r}] must start at a finite point")
        cut = int(np.argmax(bad)) if bad.any() else arr.shape[0]
        paths[name] = (arr[:cut], bool(bad.any()))

    n = 200
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
    axes = _figure(ax)
    panel = axes[0]
    fig = _figure_of(axes)
    _style(panel, grid=False)
    zm = np.ma.masked_invalid(zz)
    if zmin >= 0 and zmax > 0 and zmax > zmin:
        floor = max(float(zz[finite & (zz > 0)].min()), zmax * 1e-6)
        lv = np.geomspace(floor, zmax, levels)
        norm: Normalize = LogNorm(floor, zmax)
        panel.contourf(
            xx, yy, np.ma.maximum(zm, floor), levels=lv, norm=norm, cmap=_LANDSCAPE, extend="min"
        )
    else:
        if zmax == zmin:
            zmax = zmin + 1.0
        lv = np.linspace(zmin, zmax, levels)
        panel.contourf(xx, yy, zm, levels=lv, cmap=_LANDSCAPE)
    panel.contour(
        xx, yy, zm, levels=lv, colors=_CONTOUR_LINE, linewidths=0.5, negative_linestyles="solid"
    )
    for i, (name, (path, diverged)) in enumerate(paths.items()):
        color = _color(i)
        panel.plot(
            path[:, 0],
            path[:, 1],
            color=color,
            lw=1.6,
            marker="o",
            ms=3,
            markevery=max(1, path.shape[0] // 40),
            label=f"{name} (diverged)" if diverged else name,
            zorder=3,
        )
        panel.plot(
            path[0, 0],
            path[0, 1],
            ls="none",
            marker="o",
            ms=8,
            mfc="white",
            mec=color,
            mew=1.8,
            zorder=4,
        )
    if minimum is not None:
        panel.plot(
            minimum[0],
            minimum[1],
            ls="none",
            marker="*",
            ms=13,
            color=_YELLOW,
            mec=_BLACK,
            mew=0.9,
            label="minimum",
            zorder=5,
        )
    handles, labels = panel.get_legend_handles_labels()
    handles.append(Line2D([], [], ls="none", marker="o", ms=7, mfc="white", mec=_BLACK, mew=1.4))
    labels.append("start")
    panel.legend(handles, labels, fontsize=_LEGEND_SIZE, framealpha=0.9, loc="best")
    panel.set_xlim(*box[0])
    panel.set_ylim(*box[1])
    _labels(panel, "$w_1$", "$w_2$", str(landscape.name) if title is None else title)
    return fig


# --------------------------------------------------------------------------- 6 weights


def plot_weight_histograms(
    weights: Mapping[str, Any],
    *,
    bins: int = 50,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Overlaid density histograms of weight (or activation) values.

    Parameters
    ----------
    weights : dict
        ``name -> array`` of any shape (flattened).
    bins : int, default 50
        Bins per histogram, each spanning its own array's range.
    ax : matplotlib.axes.Axes, optional
        Draw into this Axes.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One histogram per entry, labelled with its standard deviation; an array whose entries
        are all equal is drawn as a vertical line.
    """
    data = _check_mapping("weights", weights, "arrays")
    bins = check_int("bins", bins, minimum=1)
    title = _check_title(title)
    ax = _check_ax(ax)
    arrays = {k: as_array(f"weights[{k!r}]", v).ravel() for k, v in data.items()}
    axes = _figure(ax)
    panel = axes[0]
    fig = _figure_of(axes)
    _style(panel)
    for i, (name, w) in enumerate(arrays.items()):
        color = _color(i)
        std = float(w.std())
        label = f"{name} (std = {std:.3g})"
        if w.max() == w.min():
            panel.axvline(w[0], color=color, lw=2.2, label=label + ", all equal")
            continue
        edges = np.histogram_bin_edges(w, bins=bins)
        panel.hist(w, bins=edges, density=True, histtype="stepfilled", color=color, alpha=0.3)
        panel.hist(w, bins=edges, density=True, histtype="step", color=color, lw=1.5, label=label)
    _labels(panel, "value", "density", title)
    _legend(panel)
    return fig


# --------------------------------------------------------------------------- 7 act. stats


def _stats_series(name: str, stats: object) -> dict[str, np.ndarray]:
    if not isinstance(stats, Sequence) or isinstance(stats, (str, bytes)):
        raise TypeError(f"{name} must be a list of per-layer dicts, got {type(stats).__name__}")
    if len(stats) == 0:
        raise ValueError(f"{name} must not be empty: give one dict per layer")
    out: dict[str, list[float]] = {"mean": [], "std": [], "fraction_zero": []}
    has_zero = True
    for i, layer in enumerate(stats):
        where = f"{name}[{i}]"
        if not isinstance(layer, Mapping):
            raise TypeError(
                f"{where} must be a dict with keys 'mean' and 'std', got {type(layer).__name__}"
            )
        for key in ("mean", "std"):
            if key not in layer:
                raise ValueError(f"{where} lacks the key {key!r}")
        mean = as_array(f"{where}['mean']", layer["mean"], ndim=0)
        std = as_array(f"{where}['std']", layer["std"], ndim=0)
        if std < 0:
            raise ValueError(f"{where}['std'] must be non-negative, got {float(std)}")
        out["mean"].append(float(mean))
        out["std"].append(float(std))
        if "fraction_zero" in layer and layer["fraction_zero"] is not None:
            frac = float(as_array(f"{where}['fraction_zero']", layer["fraction_zero"], ndim=0))
            if not 0 <= frac <= 1:
                raise ValueError(f"{where}['fraction_zero'] must be in [0, 1], got {frac}")
            out["fraction_zero"].append(frac)
        else:
            has_zero = False
    result = {k: np.asarray(v) for k, v in out.items()}
    if not has_zero:
        result["fraction_zero"] = np.empty(0)
    return result


def plot_activation_stats(
    stats: Sequence[Mapping[str, float]] | Mapping[str, Sequence[Mapping[str, float]]],
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Mean ± standard deviation of the activations, layer by layer.

    Parameters
    ----------
    stats : list of dict, or dict of str to list of dict
        One dict per layer (layer 1 first) with keys ``"mean"`` and ``"std"`` and optionally
        ``"fraction_zero"`` (in [0, 1]). A dict ``name -> list`` overlays several runs, e.g.
        one per initialisation.
    ax : matplotlib.axes.Axes, optional
        Draw only the mean ± std panel into this Axes.
    title : str, optional
        Figure title (the Axes title when there is one panel).

    Returns
    -------
    matplotlib.figure.Figure
        The mean as a line with markers inside a shaded band of ± one standard deviation; when
        every layer has ``"fraction_zero"``, a second panel shows it.
    """
    if isinstance(stats, Mapping):
        runs = {
            k: _stats_series(f"stats[{k!r}]", v)
            for k, v in _check_mapping("stats", stats, "per-layer lists").items()
        }
    else:
        runs = {"": _stats_series("stats", stats)}
    title = _check_title(title)
    ax = _check_ax(ax)
    with_zero = ax is None and all(r["fraction_zero"].size for r in runs.values())
    axes = _figure(ax, _WIDE if with_zero else _SIZE, 2 if with_zero else 1)
    fig = _figure_of(axes)
    for panel in axes:
        _style(panel)
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
    n_layers = max(r["mean"].size for r in runs.values())
    handles: list[tuple[Patch, Line2D]] = []
    labels: list[str] = []
    for i, (name, run) in enumerate(runs.items()):
        color = _color(i)
        layers = np.arange(1, run["mean"].size + 1)
        lo, hi = run["mean"] - run["std"], run["mean"] + run["std"]
        axes[0].fill_between(layers, lo, hi, color=color, alpha=0.18, lw=0)
        axes[0].plot(layers, lo, color=color, lw=0.8, alpha=0.6)
        axes[0].plot(layers, hi, color=color, lw=0.8, alpha=0.6)
        (mean_line,) = axes[0].plot(layers, run["mean"], color=color, marker="o", ms=4, lw=1.8)
        band = Patch(facecolor=color, alpha=0.18, edgecolor=color, linewidth=0.8)
        handles.append((band, mean_line))
        labels.append(f"{name}: mean ± std" if name else "mean ± std")
        if with_zero:
            axes[1].plot(
                layers,
                run["fraction_zero"],
                color=color,
                marker="o",
                ms=4,
                lw=1.8,
                label=name or None,
            )
    axes[0].axhline(0, color="#9a9a9a", lw=0.8, zorder=1)
    for panel in axes:
        panel.set_xlim(0.7, n_layers + 0.3)
    _labels(axes[0], "layer $l$", "activation $a^{(l)}$")
    axes[0].legend(handles, labels, fontsize=_LEGEND_SIZE, framealpha=0.85, loc="best")
    if with_zero:
        axes[1].set_ylim(-0.02, 1.02)
        _labels(axes[1], "layer $l$", "fraction of zeros", "fraction of zero activations")
        axes[0].set_title("mean ± std", fontsize=_TITLE_SIZE)
        _legend(axes[1])
        if title is not None:
            fig.suptitle(title, fontsize=_TITLE_SIZE + 1)
    elif title is not None:
        axes[0].set_title(title, fontsize=_TITLE_SIZE)
    return fig


# --------------------------------------------------------------------------- 8 curves


def plot_curves(
    curves: Mapping[str, Any],
    *,
    xlabel: str,
    ylabel: str,
    ax: Axes | None = None,
    title: str | None = None,
    logy: bool = False,
) -> Figure:
    """Line plot of named 1-D series, e.g. cost against epoch for two cost functions.

    Parameters
    ----------
    curves : dict
        ``name -> sequence`` of y values (plotted against 0, 1, 2, ...), or
        ``name -> (x, y)``, a tuple of two 1-D sequences of equal length.
    xlabel, ylabel : str
        Axis labels (maths in ``$...$``).
    ax : matplotlib.axes.Axes, optional
        Draw into this Axes.
    title : str, optional
        Axes title.
    logy : bool, default False
        Log y axis; every value must then be positive.

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = _check_mapping("curves", curves, "1-D sequences")
    for label, value in (("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str):
            raise TypeError(f"{label} must be a string, got {type(value).__name__}")
    logy = _check_bool("logy", logy)
    title = _check_title(title)
    ax = _check_ax(ax)
    series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, value in data.items():
        where = f"curves[{name!r}]"
        if (
            isinstance(value, tuple)
            and len(value) == 2
            and np.ndim(value[0]) == 1
            and np.ndim(value[1]) == 1
        ):
            xs = as_array(f"{where}[0] (x)", value[0], ndim=1)
            ys = as_array(f"{where}[1] (y)", value[1], ndim=1, finite=False)
            if xs.size != ys.size:
                raise ValueError(
                    f"{where} x and y must have the same length, got {xs.size} and {ys.size}"
                )
        else:
            ys = as_array(where, value, ndim=1, finite=False)
            xs = np.arange(ys.size, dtype=np.float64)
        if logy and np.any(ys[np.isfinite(ys)] <= 0):
            raise ValueError(
                f"logy=True needs positive values, but {where} has minimum {np.nanmin(ys):.3g}"
            )
        series[name] = (xs, ys)
    axes = _figure(ax)
    panel = axes[0]
    fig = _figure_of(axes)
    _style(panel)
    for i, (name, (xs, ys)) in enumerate(series.items()):
        panel.plot(
            xs,
            ys,
            color=_color(i),
            lw=1.8,
            label=name,
            marker=_MARKERS[i % len(_MARKERS)] if xs.size <= 25 else None,
            ms=4,
        )
    if logy:
        panel.set_yscale("log")
    _labels(panel, xlabel, ylabel, title)
    _legend(panel)
    return fig


# --------------------------------------------------------------------------- 9 PNG


def plot_network(
    sizes: Sequence[int],
    *,
    weights: Sequence[object] | None = None,
    node_labels: Sequence[Sequence[str]] | None = None,
    layer_names: Sequence[str] | None = None,
    weight_labels: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Draw a fully connected feedforward network: one column of circles per layer.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first, e.g. ``[2, 3, 2, 1]``.
    weights : sequence of array_like, optional
        ``weights[l]`` of shape ``(sizes[l + 1], sizes[l])`` (rows are the neurons of the next
        layer, as in ``torch.nn.Linear``). Edges then get a width proportional to ``|w|``, blue
        for positive and vermillion for negative weights.
    node_labels : sequence of sequence of str, optional
        Text inside each node, ``node_labels[l][j]`` (e.g. values of a forward pass).
    layer_names : sequence of str, optional
        A caption under each layer (default: "input", "hidden 1", …, "output").
    weight_labels : bool, default False
        Write each weight's value on its edge (readable for small networks only).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer sizes, got {sizes!r}")
    sizes = [check_int(f"sizes[{i}]", n, minimum=1) for i, n in enumerate(sizes)]
    ax = _check_ax(ax)
    title = _check_title(title)
    mats: list[np.ndarray] | None = None
    if weights is not None:
        if len(weights) != len(sizes) - 1:
            raise ValueError(
                f"weights must hold {len(sizes) - 1} matrices for sizes {sizes}, got {len(weights)}"
            )
        mats = []
        for i, w in enumerate(weights):
            m = as_array(f"weights[{i}]", w, ndim=2)
            if m.shape != (sizes[i + 1], sizes[i]):
                raise ValueError(
                    f"weights[{i}] must have shape {(sizes[i + 1], sizes[i])}, got {m.shape}"
                )
            mats.append(m)
    if node_labels is not None and (
        len(node_labels) != len(sizes)
        or any(len(row) != n for row, n in zip(node_labels, sizes))
    ):
        raise ValueError(f"node_labels must hold one label per neuron of sizes {sizes}")
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
    elif len(layer_names) != len(sizes):
        raise ValueError(f"layer_names must hold {len(sizes)} names, got {len(layer_names)}")
    (axes,) = _figure(ax, figsize=(1.2 * len(sizes) + 0.6, 0.65 * max(sizes) + 1.0))
    top = max(sizes)

    def position(layer: int, j: int) -> tuple[float, float]:
        return float(layer), (sizes[layer] - 1) / 2 - j

    wmax = max((float(np.max(np.abs(m))) for m in mats), default=1.0) if mats else 1.0
    for layer in range(len(sizes) - 1):
        for j in range(sizes[layer]):
            for k in range(sizes[layer + 1]):
                x0, y0 = position(layer, j)
                x1, y1 = position(layer + 1, k)
                if mats is None:
                    axes.plot([x0, x1], [y0, y1], color=_GREY, lw=1.0, zorder=1)
                    continue
                w = mats[layer][k, j]
                color = _BLUE if w >= 0 else _VERMILLION
                lw = 0.6 + 3.4 * abs(w) / (wmax or 1.0)
                axes.plot([x0, x1], [y0, y1], color=color, lw=lw, alpha=0.8, zorder=1)
                if weight_labels:
                    t = 0.3
                    axes.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{w:.2g}",
                              fontsize=7.5, ha="center", va="center", zorder=3,
                              bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})
    for layer, n in enumerate(sizes):
        for j in range(n):
            x, y = position(layer, j)
            face = _lighten(_GREEN, 0.6) if layer in (0, len(sizes) - 1) else "white"
            axes.add_patch(Circle((x, y), 0.22, facecolor=face, edgecolor=_BLACK, lw=1.2,
                                  zorder=2))
            if node_labels is not None:
                axes.text(x, y, node_labels[layer][j], ha="center", va="center",
                          fontsize=8, zorder=4)
        axes.text(layer, -(top - 1) / 2 - 0.7, layer_names[layer], ha="center", va="top",
                  fontsize=_LABEL_SIZE)
    axes.set_xlim(-0.5, len(sizes) - 0.5)
    axes.set_ylim(-(top - 1) / 2 - 1.1, (top - 1) / 2 + 0.5)
    axes.set_aspect("equal")
    axes.axis("off")
    if title is not None:
        axes.set_title(title, fontsize=_TITLE_SIZE)
    return _figure_of([axes])


def show_figures_inline(dpi: float = 110) -> None:
    """Show a ``Figure`` that ends a notebook cell as a PNG image.

    The plots here never touch ``pyplot``, so IPython's inline backend, which would register an
    image formatter for figures, is never loaded. Call this once in a notebook's setup cell;
    outside IPython it does nothing.

    Parameters
    ----------
    dpi : float, default 110
        Resolution of the images.
    """
    dpi = check_positive("dpi", dpi)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with every notebook
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.formatters["image/png"].for_type(
        Figure, lambda fig: figure_to_png(fig, dpi=dpi)
    )


def figure_to_png(
    fig: Figure, dpi: float = 80, *, exact: bool = True, colors: int | None = None
) -> bytes:
    """Render ``fig`` with the Agg canvas to PNG bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, e.g. returned by a ``plot_*`` function.
    dpi : float, default 80
        Resolution; a 5 x 3.5 inch figure gives a 400 x 280 pixel image at 80 dpi.
    exact : bool, default True
        Settle the layout first so that the same figure always gives the same bytes. ``False``
        renders in one pass, about twice as fast (for live redraws).
    colors : int, optional
        Reduce the image to a palette of this many colours (2 to 256); a plot with filled
        contours shrinks four- to sixfold. Used for the frames a web page stores.

    Returns
    -------
    bytes
        The PNG file. It embeds no version string or date; with ``exact`` the same figure gives
        the same bytes on every call.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    dpi = check_positive("dpi", dpi)
    if not math.isfinite(dpi) or dpi > 1000:
        raise ValueError(f"dpi must be a positive number up to 1000, got {dpi!r}")
    if type(fig.canvas) is FigureCanvasBase:
        FigureCanvasAgg(fig)  # attaches itself as fig.canvas; no pyplot involved
    if colors is not None:
        colors = check_int("colors", colors, minimum=2)
        if colors > 256:
            raise ValueError(f"colors must be an integer from 2 to 256, got {colors}")
    engine = fig.get_layout_engine() if exact else None
    if engine is not None:
        # Constrained layout is not idempotent: a second pass moves the axes by ~1e-5 of the
        # figure size, later passes by ~1e-12 or a flip of the last bit, and any of these can
        # change an antialiased pixel. Two passes, then positions rounded to 1e-4 of the figure
        # (a twentieth of a pixel at 80 dpi), give the same bytes on every call.
        engine.execute(fig)
        engine.execute(fig)
        for axes in fig.axes:
            in_layout = axes.get_in_layout()
            bounds = np.round(np.asarray(axes.get_position().bounds), 4)
            axes.set_position(bounds.tolist(), which="both")
            axes.set_in_layout(in_layout)  # set_position takes the axes out of the layout
        fig.set_layout_engine("none")
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    if colors is None:
        return buf.getvalue()
    buf.seek(0)
    image = PIL.Image.open(buf).convert("RGB")
    palette = image.quantize(colors=colors, method=PIL.Image.Quantize.FASTOCTREE,
                             dither=PIL.Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()
