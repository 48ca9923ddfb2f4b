"""Explorer widgets that respond on the static website and with a live kernel."""

from nndl_book.widgets.explorer import Control, Explorer, format_value, message_png

__all__ = ["Control", "Explorer", "format_value", "message_png"]
