"""Layer by layer: gradient norms, weight histograms, activation statistics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from nndl_book._validate import as_array, check_int, fill_doc
from nndl_book.plots import style
from nndl_book.plots._checks import AX_TITLE_DOC, check_ax, check_bool, check_mapping, check_title

__all__ = ["plot_activation_stats", "plot_grad_norms", "plot_weight_histograms"]


_ZERO_MARK = {"marker": "v", "ms": 7, "markeredgecolor": style.BLACK, "markeredgewidth": 0.6}


def _norm_series(data: dict[str, Any]) -> tuple[dict[str, np.ndarray], list[str] | None]:
    """Per-layer norms by series name, and the layer names when there is a single series."""
    dims = {name: np.ndim(v) for name, v in data.items()}
    if all(d == 0 for d in dims.values()):
        values = as_array("norms values", [data[k] for k in data], ndim=1)
        series, tick_labels = {"": values}, list(data)
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
    return series, tick_labels


def _layer_axis(panel: Axes, tick_labels: list[str] | None, title: str | None) -> None:
    """Layers along x: by name when given (slanted when long), else numbered 1, 2, ..."""
    if tick_labels is not None:
        panel.set_xticks(np.arange(1, len(tick_labels) + 1))
        long = max(len(t) for t in tick_labels) > 6
        panel.set_xticklabels(
            tick_labels, rotation=30 if long else 0, ha="right" if long else "center"
        )
        style.set_labels(panel, "layer", "gradient norm", title)
    else:
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
        style.set_labels(panel, "layer $l$", "gradient norm", title)


def _outside_legend(panel: Axes, any_zero: bool) -> None:
    """The legend outside on the right (bars fill the top of the panel), with the zero mark."""
    handles, labels = panel.get_legend_handles_labels()
    if any_zero:
        handles.append(Line2D([], [], ls="none", color="white",
                              **{**_ZERO_MARK, "markeredgewidth": 0.8}))
        labels.append("0 (no gradient)")
    if handles:
        panel.legend(handles, labels, fontsize=style.LEGEND_SIZE, frameon=False, loc="upper left",
                     bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


@fill_doc(ax_title=AX_TITLE_DOC)
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
    {ax_title}
    log : bool, default True
        Use a log y axis (when at least one norm is positive). Zero norms are then drawn as
        triangles at the bottom, labelled "0 (no gradient)".

    Returns
    -------
    matplotlib.figure.Figure
        Bars when there are at most 12 layers, lines with markers otherwise.
    """
    data = check_mapping("norms", norms, "per-layer norms")
    log = check_bool("log", log)
    title = check_title(title)
    ax = check_ax(ax)
    series, tick_labels = _norm_series(data)
    everything = np.concatenate(list(series.values()))
    positive = everything[everything > 0]
    use_log = log and positive.size > 0
    n_layers = max(v.size for v in series.values())
    bars = n_layers <= 12

    axes = style.new_axes(ax, style.SIZE if n_layers * len(series) <= 10 else (6.5, 3.5))
    panel = axes[0]
    fig = style.figure_of(axes)
    style.style_axes(panel)
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
        colour_ = style.colour(i)
        label = name or None
        if bars:
            xpos = layers + (i - (len(series) - 1) / 2) * width
            nonzero = vals > 0
            # on a log axis the bars start at the bottom of the axis, not at 0
            panel.bar(xpos[nonzero], vals[nonzero] - bottom, bottom=bottom, width=width * 0.92,
                      color=colour_, label=label, zorder=2)
        else:
            xpos = layers
            masked = np.where(vals > 0, vals, np.nan) if use_log else vals
            panel.plot(xpos, masked, color=colour_, marker="o", ms=3.5, lw=1.6, label=label)
        zeros = vals == 0
        if np.any(zeros):
            any_zero = True
            panel.plot(xpos[zeros], np.full(int(zeros.sum()), zero_y), ls="none",
                       clip_on=False, zorder=4, color=colour_, **_ZERO_MARK)
    panel.set_ylim(bottom, top)
    panel.set_xlim(0.4, n_layers + 0.6)
    _layer_axis(panel, tick_labels, title)
    if bars:
        panel.grid(False, axis="x")
    _outside_legend(panel, any_zero)
    return fig



@fill_doc(ax_title=AX_TITLE_DOC)
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
    {ax_title}

    Returns
    -------
    matplotlib.figure.Figure
        One histogram per entry, labelled with its standard deviation; an array whose entries
        are all equal is drawn as a vertical line.
    """
    data = check_mapping("weights", weights, "arrays")
    bins = check_int("bins", bins, minimum=1)
    title = check_title(title)
    ax = check_ax(ax)
    arrays = {k: as_array(f"weights[{k!r}]", v).ravel() for k, v in data.items()}
    axes = style.new_axes(ax)
    panel = axes[0]
    fig = style.figure_of(axes)
    style.style_axes(panel)
    for i, (name, w) in enumerate(arrays.items()):
        colour_ = style.colour(i)
        std = float(w.std())
        label = f"{name} (std = {std:.3g})"
        if w.max() == w.min():
            panel.axvline(w[0], color=colour_, lw=2.2, label=label + ", all equal")
            continue
        edges = np.histogram_bin_edges(w, bins=bins)
        panel.hist(w, bins=edges, density=True, histtype="stepfilled", color=colour_, alpha=0.3)
        panel.hist(w, bins=edges, density=True, histtype="step", color=colour_, lw=1.5, label=label)
    style.set_labels(panel, "value", "density", title)
    style.add_legend(panel)
    return fig



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
            for k, v in check_mapping("stats", stats, "per-layer lists").items()
        }
    else:
        runs = {"": _stats_series("stats", stats)}
    title = check_title(title)
    ax = check_ax(ax)
    with_zero = ax is None and all(r["fraction_zero"].size for r in runs.values())
    axes = style.new_axes(ax, style.WIDE if with_zero else style.SIZE, 2 if with_zero else 1)
    fig = style.figure_of(axes)
    for panel in axes:
        style.style_axes(panel)
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
    n_layers = max(r["mean"].size for r in runs.values())
    handles: list[tuple[Patch, Line2D]] = []
    labels: list[str] = []
    for i, (name, run) in enumerate(runs.items()):
        colour_ = style.colour(i)
        layers = np.arange(1, run["mean"].size + 1)
        lo, hi = run["mean"] - run["std"], run["mean"] + run["std"]
        axes[0].fill_between(layers, lo, hi, color=colour_, alpha=0.18, lw=0)
        axes[0].plot(layers, lo, color=colour_, lw=0.8, alpha=0.6)
        axes[0].plot(layers, hi, color=colour_, lw=0.8, alpha=0.6)
        (mean_line,) = axes[0].plot(layers, run["mean"], color=colour_, marker="o", ms=4, lw=1.8)
        band = Patch(facecolor=colour_, alpha=0.18, edgecolor=colour_, linewidth=0.8)
        handles.append((band, mean_line))
        labels.append(f"{name}: mean ± std" if name else "mean ± std")
        if with_zero:
            axes[1].plot(
                layers,
                run["fraction_zero"],
                color=colour_,
                marker="o",
                ms=4,
                lw=1.8,
                label=name or None,
            )
    axes[0].axhline(0, color=style.ZERO_LINE, lw=0.8, zorder=1)
    for panel in axes:
        panel.set_xlim(0.7, n_layers + 0.3)
    style.set_labels(axes[0], "layer $l$", "activation $a^{(l)}$")
    axes[0].legend(handles, labels, fontsize=style.LEGEND_SIZE, framealpha=0.85, loc="best")
    if with_zero:
        axes[1].set_ylim(-0.02, 1.02)
        style.set_labels(axes[1], "layer $l$", "fraction of zeros")
        style.add_legend(axes[1])
    style.set_titles(axes, title, ("mean ± std", "fraction of zero activations"))
    return fig
