"""What the widget tests share: the PNG signature and the frames of a precomputed explorer."""

from __future__ import annotations

import ipywidgets as w

#: The first bytes of every PNG file.
PNG = b"\x89PNG\r\n\x1a\n"


def frames_of(widget: w.Widget) -> list[w.VBox]:
    """Every frame of an explorer's nested Stacks, in order."""
    if isinstance(widget, w.Stack):
        return [f for child in widget.children for f in frames_of(child)]
    return [widget]
