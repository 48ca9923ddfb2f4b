"""Former home of the accuracy; it is now ``nndl_book.maths.metrics``, re-exported here."""

from nndl_book.maths.metrics import accuracy, batched_accuracy

__all__ = ["accuracy", "batched_accuracy"]
