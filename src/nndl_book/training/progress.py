"""A deterministic progress display: a widget in Jupyter, plain lines elsewhere.

Nothing shown depends on time (no elapsed time, no rates), so executed notebooks are
identical at every run. In a Jupyter kernel the widget's plain-text form is the fixed string
``Training progress``; its state (bar position, label) is stored as widget state.
"""

from __future__ import annotations

from functools import lru_cache

from nndl_book import _validate as v

__all__ = ["ProgressBar", "in_jupyter"]

PLAIN_TEXT = "Training progress"


def in_jupyter() -> bool:
    """Whether the code runs in a Jupyter kernel (``ZMQInteractiveShell``)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


@lru_cache(maxsize=1)
def _box_class() -> type:
    import ipywidgets

    class _ProgressBox(ipywidgets.HBox):
        """HBox whose text/plain form never changes (nbval compares it)."""

        def __repr__(self) -> str:
            return PLAIN_TEXT

    return _ProgressBox


class ProgressBar:
    """Progress over a fixed number of steps (epochs).

    Parameters
    ----------
    total : int
        Number of steps, at least 1.
    description : str, default "epoch"
        Label in front of the bar (widget) or at the start of each line (text).
    mode : {"auto", "widget", "text"}, default "auto"
        ``"auto"`` picks the widget in a Jupyter kernel and text elsewhere.

    Notes
    -----
    Text mode prints one line for every tenth of ``total`` (every step when ``total < 10``):
    ``"epoch  10/100  <text>"``. Widget mode redraws at most once per percent.
    """

    def __init__(self, total: int, description: str = "epoch", *, mode: str = "auto") -> None:
        self.total = v.check_int("total", total, minimum=1)
        if not isinstance(description, str):
            raise TypeError(f"description must be a string, got {type(description).__name__}")
        self.description = description
        v.check_choice("mode", mode, ("auto", "widget", "text"))
        self.mode = ("widget" if in_jupyter() else "text") if mode == "auto" else mode
        self.closed = False
        self._shown = 0  # last step drawn (widget) or printed (text)
        self._width = len(str(self.total))
        self._box = None
        if self.mode == "widget":
            self._make_widget()

    def _make_widget(self) -> None:
        import ipywidgets
        from IPython.display import display

        self._bar = ipywidgets.IntProgress(
            value=0, min=0, max=self.total, description=self.description
        )
        self._label = ipywidgets.Label(value=f"0/{self.total}")
        self._box = _box_class()([self._bar, self._label])
        display(self._box)

    def _line(self, step: int, text: str) -> str:
        head = f"{self.description} {step:>{self._width}}/{self.total}".strip()
        return f"{head}  {text}" if text else head

    def will_show(self, step: int) -> bool:
        """Whether :meth:`update` at ``step`` would redraw or print (so text is worth making)."""
        if self.closed:
            return False
        slots = 100 if self.mode == "widget" else 10
        return step * slots // self.total > self._shown * slots // self.total

    def update(self, step: int, text: str = "") -> None:
        """Report that ``step`` (1-based) is done, with a short status ``text``."""
        if not self.will_show(step):
            return
        self._shown = step
        if self.mode == "widget":
            self._bar.value = min(step, self.total)
            self._label.value = self._line(step, text)
        else:
            print(self._line(step, text))

    def close(self, text: str | None = None, *, failed: bool = False) -> None:
        """Finish the display; a non-empty ``text`` (e.g. why training stopped) is printed.

        In widget mode the bar turns green, or red when ``failed``, and ``text`` is also
        shown in its label.
        """
        if self.closed:
            return
        self.closed = True
        if self.mode == "widget":
            self._bar.bar_style = "danger" if failed else "success"
            if text:
                self._label.value = text
        if text:
            print(text)
