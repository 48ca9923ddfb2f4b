"""The maths layer: activations, losses, initialisers and accuracy in numpy float64.

Each derivative and gradient here is tested against torch autograd in float64.

Import from here or from the submodules ``activations``, ``losses``, ``init`` and ``metrics``;
this package re-exports the public names (``__all__``) of each, so each list is written once.
"""

from nndl_book.maths import activations, init, losses, metrics
from nndl_book.maths.activations import *  # noqa: F403
from nndl_book.maths.init import *  # noqa: F403
from nndl_book.maths.losses import *  # noqa: F403
from nndl_book.maths.metrics import *  # noqa: F403

__all__ = [*activations.__all__, *init.__all__, *losses.__all__, *metrics.__all__]
