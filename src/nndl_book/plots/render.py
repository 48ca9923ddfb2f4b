"""Rendering figures: deterministic PNG bytes, and figures shown inline in a notebook."""

from __future__ import annotations

import io
import math

import numpy as np
import PIL.Image
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nndl_book._validate import check_int, check_positive

__all__ = ["figure_to_png", "show_figures_inline"]


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
    fig: Figure, dpi: float = 80, *, exact: bool = True, colours: int | None = None
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
    colours : int, optional
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
    if colours is not None:
        colours = check_int("colours", colours, minimum=2)
        if colours > 256:
            raise ValueError(f"colours must be an integer from 2 to 256, got {colours}")
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
    if colours is None:
        return buf.getvalue()
    buf.seek(0)
    image = PIL.Image.open(buf).convert("RGB")
    palette = image.quantize(colors=colours, method=PIL.Image.Quantize.FASTOCTREE,
                             dither=PIL.Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()
