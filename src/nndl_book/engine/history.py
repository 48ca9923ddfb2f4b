"""Former home of ``nndl_book.history.History``, kept so that old imports still work."""

from nndl_book.history import History

__all__ = ["History"]
