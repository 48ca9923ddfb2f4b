"""The numpy engine: layers, an MLP with back-propagation, optimizers, landscapes, a trainer,
the optimizer race and probes that measure a network (dead units, layer statistics, saturation).

Everything is float64 numpy and checked against torch autograd / ``torch.optim`` in the tests.

A leading underscore on a method of a layer, of ``MLP`` or of an optimizer (``_forward``,
``_backward``, ``_step``) marks its unchecked fast path: it trusts its arguments (float64
arrays of the right shapes) and skips the checks of the public method of the same name
(``forward``, ``backward``, ``step``). The trainer and the gradient check call it inside their
loops after :func:`~nndl_book.engine.prepare.prepare_data` has checked the data once; code
outside the engine should call the public methods.
"""

from nndl_book.engine.gradcheck import check_gradients, numerical_gradient, relative_error
from nndl_book.engine.landscapes import (
    LANDSCAPES,
    IllConditionedQuadratic,
    Landscape,
    Rosenbrock,
    Saddle,
    bfgs,
    get_landscape,
    newton,
    run_optimizer,
    steps_to_converge,
)
from nndl_book.engine.layers import Activation, Layer, Linear, PReLU
from nndl_book.engine.mlp import MLP
from nndl_book.engine.optim import (
    OPTIMIZERS,
    SGD,
    AdaGrad,
    Adam,
    Momentum,
    Nesterov,
    Optimizer,
    RMSProp,
    make_optimizer,
)
from nndl_book.engine.prepare import prepare_data
from nndl_book.engine.probes import (
    INIT_SCHEMES,
    SATURATION,
    LayerStatistics,
    dead_units,
    layer_preactivations,
    layer_statistics,
    saturated_fraction,
)
from nndl_book.engine.race import BASE_LR, LABELS, finish_step, race_path, run_race
from nndl_book.engine.train import train
from nndl_book.history import History

__all__ = [
    "History",
    "Layer",
    "Linear",
    "Activation",
    "PReLU",
    "MLP",
    "numerical_gradient",
    "relative_error",
    "check_gradients",
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "OPTIMIZERS",
    "make_optimizer",
    "Landscape",
    "IllConditionedQuadratic",
    "Rosenbrock",
    "Saddle",
    "LANDSCAPES",
    "get_landscape",
    "run_optimizer",
    "newton",
    "bfgs",
    "steps_to_converge",
    "train",
    "prepare_data",
    "INIT_SCHEMES",
    "SATURATION",
    "LayerStatistics",
    "dead_units",
    "layer_preactivations",
    "layer_statistics",
    "saturated_fraction",
    "BASE_LR",
    "LABELS",
    "finish_step",
    "race_path",
    "run_race",
]
