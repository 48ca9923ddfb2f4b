"""Training torch networks: build them, run them, look inside them.

``nets`` builds MLPs by name, ``runner`` trains them (:class:`Runner`), ``diagnostics``
inspects gradients and activations, ``progress`` shows progress. ``accuracy`` is the one of
:mod:`nndl_book.maths.metrics`, re-exported here.
"""

from nndl_book.maths.metrics import accuracy
from nndl_book.training.diagnostics import (
    activation_stats,
    dead_relu_fraction,
    grad_norms,
)
from nndl_book.training.nets import (
    ACTIVATION_MODULES,
    LINEAR_INITIALISERS,
    activation_name,
    build_mlp,
    parameter_dtype,
)
from nndl_book.training.progress import ProgressBar
from nndl_book.training.runner import Hook, Runner

__all__ = [
    "ACTIVATION_MODULES",
    "LINEAR_INITIALISERS",
    "Hook",
    "ProgressBar",
    "Runner",
    "accuracy",
    "activation_name",
    "activation_stats",
    "build_mlp",
    "parameter_dtype",
    "dead_relu_fraction",
    "grad_norms",
]
