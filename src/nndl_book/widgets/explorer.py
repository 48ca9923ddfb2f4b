"""Explorers: a figure that follows its controls, with or without a kernel.

An :class:`Explorer` has two modes.

``"frames"``
    Every combination of the controls' values is drawn once, in advance, and kept as a PNG frame
    in nested ``ipywidgets.Stack`` widgets. Each control is linked to its Stacks with ``jslink``,
    which runs in the browser, so moving a control on the static website (no kernel) switches
    the picture. ``make notebooks`` executes chapters in this mode (``NNDL_BOOK_FRAMES=1``).
``"live"``
    With a kernel (Jupyter, Binder, Colab), each change of a control redraws the figure after a
    short pause (debounced); the previous picture stays until the new one is ready. Controls may
    offer finer values than the precomputed grid.

The draw function returns a ``matplotlib.figure.Figure``, or ``(figure, numbers)`` where
``numbers`` is a dict of a few values to print under the picture. A ``ValueError``,
``TypeError`` or floating-point error raised by the draw function is shown as a message in
place of the figure; with a kernel, so is any other error (a bug: the message says so), so
that a reader never sees a traceback. When precomputing frames, other errors are raised.

With a kernel, an update that takes longer than half a second shows a busy indicator, and a
control whose ``applies`` says it has no effect for the current setting is hidden.
"""

from __future__ import annotations

import asyncio
import html
import inspect
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
from matplotlib.figure import Figure

from nndl_book._validate import check_int, check_positive
from nndl_book.plots import figure_to_png

DrawResult = Figure | tuple[Figure, Mapping[str, Any]]

#: Page weight allowed for one explorer's frames (PNG bytes as they land in the page, base64).
DEFAULT_BUDGET_BYTES = 1_000_000
#: Most frames one explorer may precompute.
DEFAULT_MAX_FRAMES = 200
MODES = ("frames", "live")
#: Palette size of precomputed frames (see ``nndl_book.plots.figure_to_png``).
FRAME_COLOURS = 64
#: Seconds an update may take before the busy indicator shows (live mode).
BUSY_AFTER = 0.5
#: The busy indicator: visible only once an update has run for ``BUSY_AFTER`` seconds (a CSS
#: animation delay, so that quick updates never flash it).
BUSY_HTML = (
    "<style>@keyframes nndl-busy-in{from{opacity:0}to{opacity:1}}</style>"
    '<span class="nndl-busy" style="opacity:0;animation:nndl-busy-in 0.2s ease-out '
    f'{BUSY_AFTER}s forwards;color:#555">&#8987; computing… (the picture above is the '
    "previous setting)</span>"
)


def format_value(value: Any) -> str:
    """Text for a control value: numbers compactly (``0.001``, ``1e-05``), others with ``str``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@dataclass(frozen=True)
class Control:
    """One parameter of an explorer.

    Parameters
    ----------
    name : str
        Keyword argument of the draw function.
    values : sequence
        Values offered on the static page; frames are precomputed for these.
    label : str, optional
        Text shown beside the control (default: ``name`` with underscores as spaces).
    live_values : sequence, optional
        Values offered when a kernel is running (default: ``values``).
    applies : callable, optional
        ``applies(params)`` is False when the control has no effect for the current values of
        all controls (e.g. an α for an activation without one): the control is then hidden
        and left out of the caption. Default: it always applies.
    live_only : bool, default False
        Offer the control only with a kernel: on the static page it is held at the value
        of ``values`` (a single one), neither shown nor mentioned in the caption.
    """

    name: str
    values: Sequence[Any]
    label: str | None = None
    live_values: Sequence[Any] | None = None
    applies: Callable[[Mapping[str, Any]], bool] | None = None
    live_only: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"Control name must be a Python identifier, got {self.name!r}")
        for attr in ("values", "live_values"):
            vals = getattr(self, attr)
            if vals is None:
                continue
            if isinstance(vals, (str, bytes)) or not isinstance(vals, Sequence):
                raise TypeError(f"Control {self.name!r}: {attr} must be a list of values")
            if len(vals) == 0:
                raise ValueError(f"Control {self.name!r}: {attr} must not be empty")
            texts = [format_value(v) for v in vals]
            if len(set(texts)) != len(texts):
                raise ValueError(
                    f"Control {self.name!r}: {attr} must be distinct as shown, got {texts}"
                )
        if self.applies is not None and not callable(self.applies):
            raise TypeError(f"Control {self.name!r}: applies must be callable or None")
        if self.live_only and len(self.values) != 1:
            raise ValueError(f"Control {self.name!r}: a live_only control has one static value")

    def has_effect(self, params: Mapping[str, Any]) -> bool:
        """Whether the control changes the picture for these values of the controls."""
        return self.applies is None or bool(self.applies(params))

    @property
    def text(self) -> str:
        """The label shown to the reader."""
        return self.label if self.label is not None else self.name.replace("_", " ")

    def widget(self, values: Sequence[Any], value: Any) -> w.ValueWidget:
        """A control widget offering ``values``, set to ``value``; it has an ``index`` trait."""
        options = [(format_value(v), v) for v in values]
        style = {"description_width": "initial"}
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return w.SelectionSlider(
                options=options, value=value, description=self.text, style=style,
                continuous_update=True, layout=w.Layout(width="420px"),
            )
        if len(values) <= 4:
            return w.ToggleButtons(options=options, value=value, description=self.text,
                                   style={"description_width": "initial", "button_width": "auto"})
        return w.Dropdown(options=options, value=value, description=self.text, style=style)


class Explorer(w.VBox):
    """A figure that follows its controls, on the static website and with a live kernel.

    Parameters
    ----------
    draw : callable
        ``draw(**params)`` returns a Figure or ``(Figure, numbers)``.
    controls : sequence of Control
        In frames mode, at most three controls may offer more than one value (the frames are
        the product of their values); a control with a single value is held fixed there and
        shown only with a live kernel. Any number of controls in live mode.
    title : str, optional
        Shown above the controls.
    defaults : mapping, optional
        Initial value of each control (default: the middle of its values).
    mode : {"frames", "live"}, optional
        Default: ``"frames"`` when the environment variable ``NNDL_BOOK_FRAMES`` is ``1``
        (as when the book's notebooks are executed), else ``"live"``.
    budget_bytes : int, default 1_000_000
        Largest page weight of all frames together; exceeding it raises ``ValueError``.
    max_frames : int, default 200
        Largest number of frames; a larger product of control values raises ``ValueError``.
    dpi : int, default 80
        Resolution of the PNG frames.
    debounce : float, default 0.15
        Seconds to wait after a change, in live mode, before redrawing.
    """

    def __init__(
        self,
        draw: Callable[..., DrawResult],
        controls: Sequence[Control],
        *,
        title: str | None = None,
        defaults: Mapping[str, Any] | None = None,
        mode: str | None = None,
        budget_bytes: int = DEFAULT_BUDGET_BYTES,
        max_frames: int = DEFAULT_MAX_FRAMES,
        dpi: int = 80,
        debounce: float = 0.15,
    ) -> None:
        if not callable(draw):
            raise TypeError(
                f"draw must be a callable returning a Figure, got {type(draw).__name__}"
            )
        controls = list(controls)
        if not controls or not all(isinstance(c, Control) for c in controls):
            raise TypeError("controls must be a non-empty list of Control")
        names = [c.name for c in controls]
        if len(set(names)) != len(names):
            raise ValueError(f"controls must have distinct names, got {names}")
        if title is not None and not isinstance(title, str):
            raise TypeError(f"title must be a string or None, got {type(title).__name__}")
        if defaults is not None and not isinstance(defaults, Mapping):
            raise TypeError(
                f"defaults must be a dict mapping control names to values, got "
                f"{type(defaults).__name__}"
            )
        mode = resolve_mode(mode)
        self.draw_function = draw
        self.controls = controls
        self.title = title
        self.mode = mode
        self.budget_bytes = check_int("budget_bytes", budget_bytes, minimum=1)
        self.max_frames = check_int("max_frames", max_frames, minimum=1)
        self.dpi = check_int("dpi", dpi, minimum=10)
        self.debounce = check_positive("debounce", debounce, allow_zero=True)
        self.page_weight = 0
        self.frame_count = 0
        self.links: list[w.Link] = []
        self._pending: asyncio.TimerHandle | None = None
        offered = {c.name: self._offered(c) for c in controls}
        self.params = self._initial(defaults or {}, offered)

        if mode == "frames":
            self.varying = [c for c in controls if len(c.values) > 1 and not c.live_only]
            if len(self.varying) > 3:
                raise ValueError(
                    "controls: frames mode takes one to three controls with more than one "
                    f"value, got {len(self.varying)}"
                )
            count = math.prod(len(c.values) for c in self.varying)
            if count > self.max_frames:
                raise ValueError(
                    f"controls offer {count} combinations, over max_frames={self.max_frames}; "
                    "offer fewer values"
                )
            self.widgets = [c.widget(c.values, self.params[c.name]) for c in self.varying]
            self.display_area = self._frames_stack(0, {})
        else:
            self.varying = list(controls)
            self.widgets = [c.widget(offered[c.name], self.params[c.name]) for c in controls]
            self.image = w.Image(format="png")
            self.caption = w.HTML()
            self.status = w.HTML()
            self.display_area = w.VBox([self.status, self.image, self.caption])
            self._redraw()
            for control, widget in zip(controls, self.widgets):
                widget.observe(self._on_change(control.name), names="value")

        header = [w.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        super().__init__(header + [w.VBox(self.widgets), self.display_area])
        self.add_class("nndl-explorer")

    # ------------------------------------------------------------------ values
    def _offered(self, control: Control) -> Sequence[Any]:
        if self.mode == "live" and control.live_values is not None:
            return control.live_values
        return control.values

    def _initial(
        self, defaults: Mapping[str, Any], offered: Mapping[str, Sequence[Any]]
    ) -> dict[str, Any]:
        unknown = sorted(set(defaults) - set(offered))
        if unknown:
            raise ValueError(f"defaults name no control: {unknown}; controls are {list(offered)}")
        params = {}
        for control in self.controls:
            grid = control.values if self.mode == "frames" else offered[control.name]
            if control.name in defaults:
                value = defaults[control.name]
                if value not in list(grid):
                    raise ValueError(
                        f"defaults[{control.name!r}] = {value!r} is not one of its values "
                        f"{list(grid)}"
                    )
            else:
                value = control.values[(len(control.values) - 1) // 2]
                if value not in list(grid):
                    value = grid[(len(grid) - 1) // 2]
            params[control.name] = value
        return params

    # ------------------------------------------------------------------ drawing
    def caption_html(self, params: Mapping[str, Any], numbers: Mapping[str, Any]) -> str:
        """The text under a frame: the parameters it was drawn with, then its numbers."""
        settings = " · ".join(
            f"{html.escape(c.text)} = {html.escape(format_value(params[c.name]))}"
            for c in self.controls
            if c.has_effect(params) and not (c.live_only and self.mode == "frames")
        )
        parts = [f'<div class="nndl-caption">{settings}']
        if numbers:
            values = " · ".join(
                f"{html.escape(k)}: {html.escape(format_value(v))}" for k, v in numbers.items()
            )
            parts.append(f"<br>{values}")
        parts.append("</div>")
        return "".join(parts)

    def render(self, params: Mapping[str, Any]) -> tuple[bytes, str]:
        """Draw one frame: PNG bytes and its caption HTML.

        Frames kept in the page are reduced to a palette of ``FRAME_COLOURS`` colours; a live
        redraw renders in one quick pass instead.
        """
        live = self.mode == "live"
        png_options: dict[str, Any] = {"exact": False} if live else {"colours": FRAME_COLOURS}
        try:
            fig, numbers = self._draw(params)
            png = figure_to_png(fig, dpi=self.dpi, **png_options)
        except (ValueError, TypeError, ArithmeticError) as err:
            if isinstance(err, _BadDraw) and not live:
                raise
            text = str(err)
        except Exception as err:  # a bug; with a kernel, a message rather than a traceback
            if not live:
                raise
            text = f"Unexpected error, please report it: {type(err).__name__}: {err}"
        else:
            return png, self.caption_html(params, numbers)
        return message_png(text, dpi=self.dpi, **png_options), self.caption_html(params, {})

    def _draw(self, params: Mapping[str, Any]) -> tuple[Figure, Mapping[str, Any]]:
        result = self.draw_function(**params)
        fig, numbers = (result, {}) if isinstance(result, Figure) else result
        if not isinstance(fig, Figure):
            raise _BadDraw(
                "draw must return a matplotlib Figure or (Figure, numbers), "
                f"got {type(result).__name__}"
            )
        return fig, numbers

    def _frame(self, params: Mapping[str, Any]) -> w.VBox:
        png, caption = self.render(params)
        self.page_weight += 4 * math.ceil(len(png) / 3) + len(caption)
        self.frame_count += 1
        if self.page_weight > self.budget_bytes:
            raise ValueError(
                f"explorer frames weigh over budget_bytes={self.budget_bytes} after "
                f"{self.frame_count} frame(s) ({self.page_weight} bytes); "
                "offer fewer values, a smaller figure or a lower dpi"
            )
        frame = w.VBox([w.Image(value=png, format="png"), w.HTML(caption)])
        frame.add_class("nndl-frame")
        return frame

    def _frames_stack(self, depth: int, fixed: dict[str, Any]) -> w.Widget:
        if depth == len(self.varying):
            return self._frame({**self.params, **fixed})
        control = self.varying[depth]
        children = [
            self._frames_stack(depth + 1, {**fixed, control.name: value})
            for value in control.values
        ]
        index = list(control.values).index(self.params[control.name])
        stack = w.Stack(children, selected_index=index)
        self.links.append(w.jslink((self.widgets[depth], "index"), (stack, "selected_index")))
        return stack

    # ------------------------------------------------------------------ live mode
    def _on_change(self, name: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            self.params[name] = change["new"]
            self._schedule()

        return handler

    def _schedule(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._redraw()
            return
        self._pending = loop.call_later(self.debounce, self._redraw)

    def _redraw(self) -> None:
        self._pending = None
        self._show_applicable()
        self.status.value = BUSY_HTML
        try:
            png, caption = self.render(dict(self.params))
            self.image.value = png
            self.caption.value = caption
        finally:
            self.status.value = ""

    def _show_applicable(self) -> None:
        """Hide the controls that have no effect for the current values."""
        for control, widget in zip(self.controls, self.widgets):
            widget.layout.display = None if control.has_effect(self.params) else "none"

    def __repr__(self) -> str:
        grid = " × ".join(str(len(c.values)) for c in self.varying) or "1"
        name = self.title or "Explorer"
        if self.mode == "frames":
            return f"{name} ({grid} = {self.frame_count} precomputed frames)"
        return f"{name} (live: {', '.join(c.text for c in self.controls)})"


class _BadDraw(TypeError):
    """The draw function returned something other than a Figure: a bug in the explorer."""


def resolve_mode(mode: object) -> str:
    """``mode``, or when None the mode the environment asks for (``NNDL_BOOK_FRAMES=1``)."""
    if mode is None:
        mode = "frames" if os.environ.get("NNDL_BOOK_FRAMES") == "1" else "live"
    if mode not in MODES:
        raise ValueError(f"mode must be one of {list(MODES)}, got {mode!r}")
    return str(mode)


_EXPLORER_OPTIONS = tuple(inspect.signature(Explorer.__init__).parameters)[3:]


def check_options(
    factory: str, controls: Sequence[Control], options: Mapping[str, Any]
) -> dict[str, Any]:
    """Keyword arguments of an explorer factory, checked, as keyword arguments of Explorer.

    A factory takes a starting value for any of its controls (``hidden=8``) and the options of
    :class:`Explorer`. A starting value must be one the control offers in the mode the
    explorer will run in; it is merged into ``defaults``.

    Raises
    ------
    TypeError
        For a name that is neither a control nor an Explorer option.
    ValueError
        For a starting value the control does not offer (the message lists those it does).
    """
    names = [c.name for c in controls]
    unknown = sorted(set(options) - set(names) - set(_EXPLORER_OPTIONS))
    if unknown:
        raise TypeError(
            f"{factory}() got unknown argument(s) {unknown}; it takes the controls {names} "
            f"and the Explorer options {list(_EXPLORER_OPTIONS)}"
        )
    kwargs = {k: v for k, v in options.items() if k not in names}
    mode = resolve_mode(kwargs.get("mode"))
    defaults = kwargs.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise TypeError(
            f"defaults must be a dict mapping control names to values, got "
            f"{type(defaults).__name__}"
        )
    starts = {**defaults, **{k: v for k, v in options.items() if k in names}}
    for control in controls:
        if control.name not in starts:
            continue
        offered = control.values if mode == "frames" or control.live_values is None else \
            control.live_values
        value = starts[control.name]
        match = [o for o in offered if _same(value, o)]
        if not match:
            raise ValueError(
                f"{factory}(): {control.name} must be one of {list(offered)} (the values its "
                f"control offers in {mode} mode), got {value!r}"
            )
        starts[control.name] = match[0]
    kwargs["defaults"] = starts
    return kwargs


def _same(value: Any, offered: Any) -> bool:
    """``value`` is ``offered``, with ``1 == 1.0`` but not ``True == 1`` or ``"1" == 1``."""
    if isinstance(value, bool) or isinstance(offered, bool):
        return value is offered
    if type(value) is not type(offered) and not (
        isinstance(value, (int, float)) and isinstance(offered, (int, float))
    ):
        return False
    return bool(value == offered)


def message_png(
    message: str, *, dpi: int = 80, size: tuple[float, float] = (5.0, 1.6), **png_options: Any
) -> bytes:
    """A PNG that shows ``message`` in place of a figure (e.g. for an invalid setting)."""
    fig = Figure(figsize=size)
    fig.text(0.5, 0.5, _wrap(message, 60), ha="center", va="center", fontsize=11,
             color="#b2182b", wrap=True)
    return figure_to_png(fig, dpi=dpi, **png_options)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
