"""Rendering figures: deterministic PNG bytes, and figures shown inline in a notebook."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Hashable

import numpy as np
import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backend_bases import FigureCanvasBase, RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nndl_book._validate import check_int, check_positive

__all__ = ["CachedBackground", "figure_to_png", "show_figures_inline"]


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
        renders in one pass and compresses lightly, about twice as fast (for live redraws).
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
    if not exact and colours is None:
        return _quick_png(fig, dpi)
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


def _quick_png(fig: Figure, dpi: float) -> bytes:
    """One Agg pass and light compression: a live redraw's PNG, in about a third of the time."""
    original = fig.dpi
    fig.dpi = dpi
    try:
        canvas = FigureCanvasAgg(fig) if not isinstance(fig.canvas, FigureCanvasAgg) else fig.canvas
        canvas.draw()
        image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        rgb = image.convert("RGB")
    finally:
        fig.dpi = original
    out = io.BytesIO()
    rgb.save(out, format="PNG", compress_level=1)
    return out.getvalue()


class CachedBackground(Artist):
    """The static part of a figure, painted once per resolution and reused as pixels.

    An explorer redraws its figure on every change of a control, but often only part of it
    changes: the contours under an optimizer's path, say. Add this artist to the Figure; the
    first time a figure with this ``key`` is drawn at a given dpi, ``paint`` draws the static
    part into a fresh Figure of the same size, and the pixels are kept; every later draw copies
    them under the Figure's other artists, which costs next to nothing.

    Parameters
    ----------
    key : hashable
        What the static part depends on, e.g. the landscape's name. Figures of the same size
        with the same key share the pixels.
    paint : callable
        ``paint(figure)`` draws the static part into an empty Figure of ``figsize`` (its Axes
        must stand where the live Figure's do, e.g. at fixed positions).
    figsize : (float, float)
        Size of the Figure in inches.
    """

    _pixels: dict[tuple[Hashable, tuple[float, float], float], np.ndarray] = {}
    _LIMIT = 64  # painted backgrounds kept at most (each is a few hundred kilobytes)

    def __init__(self, key: Hashable, paint: Callable[[Figure], None],
                 figsize: tuple[float, float]) -> None:
        super().__init__()
        self.key, self.paint, self.figsize = key, paint, (float(figsize[0]), float(figsize[1]))
        self.set_zorder(-100)

    def pixels(self, dpi: float) -> np.ndarray:
        """The painted RGBA pixels at ``dpi`` (top row first)."""
        key = (self.key, self.figsize, float(dpi))
        if key not in self._pixels:
            if len(self._pixels) >= self._LIMIT:
                self._pixels.pop(next(iter(self._pixels)))
            fig = Figure(figsize=self.figsize, dpi=dpi)
            self.paint(fig)
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            self._pixels[key] = np.asarray(canvas.buffer_rgba()).copy()
        return self._pixels[key]

    def draw(self, renderer: RendererBase) -> None:
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        try:
            renderer.draw_image(gc, 0, 0, self.pixels(renderer.dpi)[::-1])  # bottom row first
        finally:
            gc.restore()
