"""Training torch networks: build them, run them, look inside them.

``nets`` builds MLPs by name, ``runner`` trains them (:class:`Runner`), ``metrics`` scores
them, ``diagnostics`` inspects gradients and activations, ``progress`` shows progress.
"""

from nndl_book.training.diagnostics import (
    activation_stats,
    dead_relu_fraction,
    grad_norms,
    weights_by_layer,
)
from nndl_book.training.metrics import accuracy
from nndl_book.training.nets import ACTIVATION_MODULES, INITIALIZERS, activation_name, build_mlp
from nndl_book.training.progress import ProgressBar
from nndl_book.training.runner import Hook, Runner

__all__ = [
    "ACTIVATION_MODULES",
    "INITIALIZERS",
    "Hook",
    "ProgressBar",
    "Runner",
    "accuracy",
    "activation_name",
    "activation_stats",
    "build_mlp",
    "dead_relu_fraction",
    "grad_norms",
    "weights_by_layer",
]
