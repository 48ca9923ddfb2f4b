"""Figures of the book: training curves, decision boundaries, activations, landscapes.

Every ``plot_*`` function builds a :class:`matplotlib.figure.Figure` directly (never through
``matplotlib.pyplot``, so no figure is registered in pyplot's global state) and returns it.
Each also accepts ``ax``, an existing :class:`matplotlib.axes.Axes` to draw into; the function
then returns ``ax.figure``. Functions that normally draw two panels draw only the first one
into a given ``ax``.

The package has one module per family of figures (:mod:`~nndl_book.plots.training`,
:mod:`~nndl_book.plots.boundary`, :mod:`~nndl_book.plots.activations`,
:mod:`~nndl_book.plots.layers`, :mod:`~nndl_book.plots.landscapes`,
:mod:`~nndl_book.plots.network`), :mod:`~nndl_book.plots.style` (palette, sizes, axis styling
and ticks, public so that the explorers share it) and :mod:`~nndl_book.plots.render`
(:func:`~nndl_book.plots.render.figure_to_png` renders deterministic PNG bytes for precomputed
widget frames; :func:`~nndl_book.plots.render.show_figures_inline` shows figures in a
notebook). Every name here is importable from ``nndl_book.plots`` itself. Class ``k`` of a data
set is always drawn in ``PALETTE[k]`` (class 0 blue, class 1 vermillion).
"""

from nndl_book.plots.activations import plot_activations
from nndl_book.plots.boundary import plot_decision_boundary
from nndl_book.plots.landscapes import draw_landscape, plot_trajectories
from nndl_book.plots.layers import plot_activation_stats, plot_grad_norms, plot_weight_histograms
from nndl_book.plots.network import plot_network
from nndl_book.plots.render import figure_to_png, show_figures_inline
from nndl_book.plots.style import PALETTE
from nndl_book.plots.training import plot_curves, plot_history

__all__ = [
    "PALETTE",
    "draw_landscape",
    "figure_to_png",
    "plot_activation_stats",
    "plot_activations",
    "plot_curves",
    "plot_decision_boundary",
    "plot_grad_norms",
    "plot_history",
    "plot_network",
    "plot_trajectories",
    "plot_weight_histograms",
    "show_figures_inline",
]
