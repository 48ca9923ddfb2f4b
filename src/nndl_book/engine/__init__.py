from nndl_book.engine.history import History

__all__ = ["History"]
