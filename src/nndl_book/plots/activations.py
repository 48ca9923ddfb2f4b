"""Activation functions and their derivatives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nndl_book._validate import as_array
from nndl_book.plots import style
from nndl_book.plots._checks import check_ax, check_bool, check_mapping

__all__ = ["plot_activations"]


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
    funcs = check_mapping("functions", functions, "f or (f, df)")
    derivative = check_bool("derivative", derivative)
    ax = check_ax(ax)
    xs = np.linspace(-5.0, 5.0, 401) if x is None else as_array("x", x, ndim=1)
    if xs.size < 3:
        raise ValueError(f"x must have at least 3 points, got {xs.size}")
    xs = np.sort(xs)

    curves = [_curve(name, entry, xs) for name, entry in funcs.items()]

    two = derivative and ax is None
    axes = style.new_axes(ax, (9.0, 3.4) if two else style.SIZE, 2 if two else 1)
    fig = style.figure_of(axes)
    for panel in axes:
        style.style_axes(panel)
        panel.axhline(0, color=style.ZERO_LINE, lw=0.8, zorder=1)
        panel.axvline(0, color=style.ZERO_LINE, lw=0.8, zorder=1)
    for i, (name, fx, dfx, numerical) in enumerate(curves):
        axes[0].plot(xs, fx, color=style.colour(i), lw=2, label=name)
        if two:
            axes[1].plot(
                xs,
                dfx,
                color=style.colour(i),
                lw=2,
                ls="--" if numerical else "-",
                label=f"{name} (numerical)" if numerical else name,
            )
    style.set_labels(axes[0], "$z$", "$f(z)$", "activation functions" if two else None)
    style.add_legend(axes[0])
    if two:
        style.set_labels(axes[1], "$z$", "$f'(z)$", "derivatives")
        style.add_legend(axes[1])
    return fig


def _curve(name: str, entry: object, xs: np.ndarray) -> tuple[str, np.ndarray, np.ndarray, bool]:
    """``(name, f(xs), f'(xs), numerical)`` of one entry of ``functions``."""
    if isinstance(entry, tuple) and len(entry) == 2:
        f, df = entry
    elif callable(entry):
        f, df = entry, None
    else:
        raise TypeError(
            f"functions[{name!r}] must be a callable f or a pair (f, df), "
            f"got {type(entry).__name__}"
        )
    fx = _evaluate(f"functions[{name!r}] f", f, xs)
    if df is None:
        return name, fx, np.gradient(fx, xs), True
    return name, fx, _evaluate(f"functions[{name!r}] df", df, xs), False


def _evaluate(label: str, fn: object, xs: np.ndarray) -> np.ndarray:
    if not callable(fn):
        raise TypeError(f"{label} must be callable, got {type(fn).__name__}")
    out = np.asarray(fn(xs.copy()), dtype=np.float64)
    try:
        return np.broadcast_to(out, xs.shape).astype(np.float64)
    except ValueError as err:
        raise ValueError(
            f"{label} must return an array of the shape of x {xs.shape}, got {out.shape}"
        ) from err
