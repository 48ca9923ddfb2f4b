"""Figures of a training run: loss and metric curves per epoch, and named curves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from nndl_book._validate import as_array, check_int, fill_doc
from nndl_book.plots import style
from nndl_book.plots._checks import AX_TITLE_DOC, check_ax, check_bool, check_mapping, check_title

__all__ = ["plot_curves", "plot_history"]


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
    series, diverged_at, best_epoch = _check_history(history)
    train_loss, dev_loss, train_metric, dev_metric = series
    metric_name = str(history.metric_name)
    metric = check_bool("metric", metric)
    title = check_title(title)
    ax = check_ax(ax)

    with_metric = metric and ax is None and (train_metric.size > 0 or dev_metric.size > 0)
    axes = style.new_axes(ax, style.WIDE if with_metric else style.SIZE, 2 if with_metric else 1)
    fig = style.figure_of(axes)
    epochs_seen = max(train_loss.size, dev_loss.size, diverged_at or 0, 1)

    loss_ax = axes[0]
    _epoch_panel(loss_ax, train_loss, dev_loss, "loss", epochs_seen, best_epoch)
    losses = np.concatenate([train_loss, dev_loss])
    losses = losses[np.isfinite(losses)]
    if losses.size and np.all(losses > 0) and losses.max() / losses.min() > 100:
        loss_ax.set_yscale("log")
    if diverged_at is not None:
        note = f"diverged at epoch {diverged_at}"
        loss_ax.axvline(diverged_at, color=style.WARN, ls="--", lw=1.4, label=note)
    style.add_legend(loss_ax)
    if diverged_at is not None:
        for text in loss_ax.get_legend().get_texts():
            if text.get_text() == note:
                text.set_color(style.WARN)
                text.set_fontweight("bold")
    if with_metric:
        _epoch_panel(axes[1], train_metric, dev_metric, metric_name, epochs_seen, best_epoch)
        if metric_name.lower() in ("accuracy", "acc") and np.all(
            (np.concatenate([train_metric, dev_metric]) >= 0)
            & (np.concatenate([train_metric, dev_metric]) <= 1)
        ):
            axes[1].set_ylim(min(0.5, float(np.min(np.r_[train_metric, dev_metric]))) - 0.02, 1.02)
        style.add_legend(axes[1])
    style.set_titles(axes, title, ("loss", metric_name))
    return fig



_HISTORY_FIELDS = ("train_loss", "dev_loss", "train_metric", "dev_metric", "metric_name",
                   "diverged_at", "best_epoch")


def _check_history(history: Any) -> tuple[list[np.ndarray], int | None, int | None]:
    """The four per-epoch series of a History-like object, its divergence and best epoch."""
    missing = [a for a in _HISTORY_FIELDS if not hasattr(history, a)]
    if missing:
        raise TypeError(
            f"history must have the attributes of nndl_book.engine.history.History; "
            f"{type(history).__name__} lacks {', '.join(missing)}"
        )
    series = [_history_series(history, a) for a in _HISTORY_FIELDS[:4]]
    diverged_at, best_epoch = history.diverged_at, history.best_epoch
    for name, value in (("history.diverged_at", diverged_at), ("history.best_epoch", best_epoch)):
        if value is not None:
            check_int(name, value, minimum=1)
    if series[0].size == 0 and series[1].size == 0 and diverged_at is None:
        raise ValueError("history has no epochs: history.train_loss is empty")
    return series, diverged_at, best_epoch


def _epoch_panel(panel: Axes, train: np.ndarray, dev: np.ndarray, ylabel: str,
                 epochs_seen: int, best_epoch: int | None) -> None:
    """Train and dev values per epoch, the best epoch dotted."""
    style.style_axes(panel)
    marker = "o" if max(train.size, dev.size) <= 30 else None  # dots for short runs
    for values, colour_, label in ((train, style.BLUE, "train"), (dev, style.VERMILLION, "dev")):
        if values.size:
            epochs = np.arange(1, values.size + 1)
            panel.plot(epochs, values, color=colour_, lw=1.8, marker=marker, ms=3.5, label=label)
    if best_epoch is not None:
        panel.axvline(best_epoch, color=style.GREY, ls=":", lw=1.4,
                      label=f"best epoch ({best_epoch})")
    panel.set_xlim(0.5, epochs_seen + 0.5)
    panel.xaxis.set_major_locator(MaxNLocator(integer=True))
    style.set_labels(panel, "epoch", ylabel)


@fill_doc(ax_title=AX_TITLE_DOC)
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
    {ax_title}
    logy : bool, default False
        Log y axis; every value must then be positive.

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = check_mapping("curves", curves, "1-D sequences")
    for label, value in (("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str):
            raise TypeError(f"{label} must be a string, got {type(value).__name__}")
    logy = check_bool("logy", logy)
    title = check_title(title)
    ax = check_ax(ax)
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
    axes = style.new_axes(ax)
    panel = axes[0]
    fig = style.figure_of(axes)
    style.style_axes(panel)
    for i, (name, (xs, ys)) in enumerate(series.items()):
        panel.plot(
            xs,
            ys,
            color=style.colour(i),
            lw=1.8,
            label=name,
            marker=style.MARKERS[i % len(style.MARKERS)] if xs.size <= 25 else None,
            ms=4,
        )
    if logy:
        panel.set_yscale("log")
    style.set_labels(panel, xlabel, ylabel, title)
    style.add_legend(panel)
    return fig
