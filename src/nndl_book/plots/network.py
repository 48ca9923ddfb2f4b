"""A fully connected feedforward network as circles and edges."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from nndl_book._validate import as_array, check_sizes, fill_doc
from nndl_book.plots import style
from nndl_book.plots._checks import AX_TITLE_DOC, check_ax, check_title

__all__ = ["plot_network"]


@fill_doc(ax_title=AX_TITLE_DOC)
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
    {ax_title}

    Returns
    -------
    matplotlib.figure.Figure
    """
    sizes = check_sizes("sizes", sizes)
    ax = check_ax(ax)
    title = check_title(title)
    mats = None if weights is None else _check_weights(weights, sizes)
    if node_labels is not None and (
        len(node_labels) != len(sizes)
        or any(len(row) != n for row, n in zip(node_labels, sizes))
    ):
        raise ValueError(f"node_labels must hold one label per neuron of sizes {sizes}")
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
    elif len(layer_names) != len(sizes):
        raise ValueError(f"layer_names must hold {len(sizes)} names, got {len(layer_names)}")
    (axes,) = style.new_axes(ax, figsize=(1.2 * len(sizes) + 0.6, 0.65 * max(sizes) + 1.0))
    top = max(sizes)

    _draw_edges(axes, sizes, mats, weight_labels)
    for layer, n in enumerate(sizes):
        for j in range(n):
            x, y = _position(sizes, layer, j)
            face = style.lighten(style.GREEN, 0.6) if layer in (0, len(sizes) - 1) else "white"
            axes.add_patch(Circle((x, y), 0.22, facecolor=face, edgecolor=style.BLACK, lw=1.2,
                                  zorder=2))
            if node_labels is not None:
                axes.text(x, y, node_labels[layer][j], ha="center", va="center",
                          fontsize=8, zorder=4)
        axes.text(layer, -(top - 1) / 2 - 0.7, layer_names[layer], ha="center", va="top",
                  fontsize=style.LABEL_SIZE)
    axes.set_xlim(-0.5, len(sizes) - 0.5)
    axes.set_ylim(-(top - 1) / 2 - 1.1, (top - 1) / 2 + 0.5)
    axes.set_aspect("equal")
    axes.axis("off")
    style.set_titles([axes], title, ())
    return style.figure_of([axes])


def _check_weights(weights: Sequence[object], sizes: list[int]) -> list[np.ndarray]:
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
    return mats


def _position(sizes: list[int], layer: int, j: int) -> tuple[float, float]:
    """Centre of neuron ``j`` of ``layer``: layers one unit apart, each column centred on 0."""
    return float(layer), (sizes[layer] - 1) / 2 - j


def _draw_edges(ax: Axes, sizes: list[int], mats: list[np.ndarray] | None,
                weight_labels: bool) -> None:
    """Every connection: grey without weights, else coloured by sign, as wide as ``|w|``."""
    wmax = max((float(np.max(np.abs(m))) for m in mats), default=1.0) if mats else 1.0
    for layer in range(len(sizes) - 1):
        for j in range(sizes[layer]):
            for k in range(sizes[layer + 1]):
                x0, y0 = _position(sizes, layer, j)
                x1, y1 = _position(sizes, layer + 1, k)
                if mats is None:
                    ax.plot([x0, x1], [y0, y1], color=style.GREY, lw=1.0, zorder=1)
                    continue
                w = mats[layer][k, j]
                lw = 0.6 + 3.4 * abs(w) / (wmax or 1.0)
                ax.plot([x0, x1], [y0, y1], color=style.BLUE if w >= 0 else style.VERMILLION, lw=lw,
                        alpha=0.8, zorder=1)
                if weight_labels:
                    t = 0.3
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{w:.2g}",
                            fontsize=7.5, ha="center", va="center", zorder=3,
                            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})
