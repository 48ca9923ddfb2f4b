"""Build small multilayer perceptrons by name: sizes, activation, initialiser.

All random initialisation uses a ``torch.Generator`` seeded from the ``seed`` argument; the
global torch random state is neither read nor changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import pairwise

import torch
from torch import nn

from nndl_book import _validate as v

__all__ = ["ACTIVATION_MODULES", "LINEAR_INITIALISERS", "activation_name", "build_mlp",
           "parameter_dtype"]

#: Activation name -> factory returning a new module.
ACTIVATION_MODULES: dict[str, Callable[[], nn.Module]] = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,  # negative slope 0.01
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "softplus": nn.Softplus,
    "identity": nn.Identity,
    "hard_tanh": nn.Hardtanh,
    "prelu": nn.PReLU,  # one learnable slope, initialised to 0.25
}

# The inverse of ACTIVATION_MODULES: each factory is the module's class.
_ACTIVATION_TYPES: dict[type, str] = {cls: name for name, cls in ACTIVATION_MODULES.items()}


def activation_name(module: nn.Module) -> str | None:
    """Registry name of an activation module (e.g. ``"relu"``), or None if it is not one."""
    return _ACTIVATION_TYPES.get(type(module))


def _default(w: torch.Tensor, b: torch.Tensor | None, g: torch.Generator) -> None:
    # Exactly torch.nn.Linear.reset_parameters, but drawing from ``g``.
    nn.init.kaiming_uniform_(w, a=math.sqrt(5), generator=g)
    if b is not None:
        bound = 1 / math.sqrt(w.shape[1])
        nn.init.uniform_(b, -bound, bound, generator=g)


def _weights_only(fill: Callable[[torch.Tensor, torch.Generator], object]):
    def init(w: torch.Tensor, b: torch.Tensor | None, g: torch.Generator) -> None:
        fill(w, g)
        if b is not None:
            nn.init.zeros_(b)

    return init


# How torch draws the weights of each scheme of nndl_book.maths.init.INITIALISERS (same name,
# same distribution); the numpy functions there are the reference the tests compare with.
LinearInit = Callable[[torch.Tensor, torch.Tensor | None, torch.Generator], None]

#: Initialiser name -> ``init(weight, bias, generator)`` of a ``torch.nn.Linear``: torch's
#: own ``"default"``, and the schemes of :data:`nndl_book.maths.init.INITIALISERS` (their
#: default parameters), which zero the biases.
LINEAR_INITIALISERS: dict[str, LinearInit] = {
    # torch's own: W ~ U(-1/sqrt(n_in), 1/sqrt(n_in)), b likewise
    "default": _default,
    "zeros": _weights_only(lambda w, g: nn.init.zeros_(w)),
    # N(0, 1): Nielsen's "old" initialisation
    "normal": _weights_only(lambda w, g: nn.init.normal_(w, 0.0, 1.0, generator=g)),
    # U(-1, 1), as nndl_book.maths.init.uniform
    "uniform": _weights_only(lambda w, g: nn.init.uniform_(w, -1.0, 1.0, generator=g)),
    # Glorot & Bengio: variance 2 / (n_in + n_out), gain 1
    "xavier_normal": _weights_only(lambda w, g: nn.init.xavier_normal_(w, generator=g)),
    "xavier_uniform": _weights_only(lambda w, g: nn.init.xavier_uniform_(w, generator=g)),
    # He et al.: variance 2 / n_in
    "he_normal": _weights_only(
        lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)
    ),
    "he_uniform": _weights_only(
        lambda w, g: nn.init.kaiming_uniform_(w, nonlinearity="relu", generator=g)
    ),
    # LeCun: N(0, 1 / n_in), Nielsen's improved initialisation
    "lecun_normal": _weights_only(
        lambda w, g: nn.init.normal_(w, 0.0, 1 / math.sqrt(w.shape[1]), generator=g)
    ),
}


def build_mlp(
    sizes: Sequence[int],
    activation: str = "relu",
    *,
    init: str = "default",
    bias: bool = True,
    dropout: float = 0.0,
    batch_norm: bool = False,
    output_activation: str | None = None,
    seed: int = 0,
) -> nn.Sequential:
    """A fully connected network ``Linear -> [BatchNorm1d] -> activation -> [Dropout] -> ...``.

    Each hidden layer is ``Linear``, then ``BatchNorm1d`` if ``batch_norm``, then the
    activation, then ``Dropout`` if ``dropout > 0``. The last layer is a ``Linear`` followed
    only by ``output_activation`` (if given), so by default the network outputs logits.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``[2, 5, 1]``: 2 inputs, 5 hidden units,
        1 output. At least two entries, all positive.
    activation : str, default "relu"
        Hidden activation, a key of :data:`ACTIVATION_MODULES`.
    init : str, default "default"
        Weight initialiser, a key of :data:`LINEAR_INITIALISERS`. ``"default"`` reproduces torch's
        own ``Linear`` initialisation; every other initialiser sets the biases to zero.
    bias : bool, default True
        Whether the ``Linear`` layers have biases.
    dropout : float, default 0.0
        Dropout probability after each hidden activation, in [0, 1).
    batch_norm : bool, default False
        Insert ``BatchNorm1d`` between each hidden ``Linear`` and its activation.
    output_activation : str or None, default None
        Activation after the last layer (e.g. ``"sigmoid"`` for Nielsen-style networks
        trained with a quadratic loss); ``None`` leaves logits.
    seed : int, default 0
        Seed of the ``torch.Generator`` used for the initialisation.

    Returns
    -------
    torch.nn.Sequential
        Input of shape ``(n_samples, sizes[0])``, output of shape ``(n_samples, sizes[-1])``.

    Notes
    -----
    Initialisers (``n_in``, ``n_out``: fan-in and fan-out of the layer):

    ==================  ==================================================================
    ``default``         torch's ``Linear``: W, b ~ U(-1/sqrt(n_in), 1/sqrt(n_in)); same
                        distribution as torch, but not the same numbers as under
                        ``torch.manual_seed`` (the generator is our own)
    ``zeros``           W = 0
    ``normal``          W ~ N(0, 1) (Nielsen's first initialisation)
    ``uniform``         W ~ U(-1, 1)
    ``xavier_normal``   W ~ N(0, 2 / (n_in + n_out))
    ``xavier_uniform``  W ~ U(-a, a), a = sqrt(6 / (n_in + n_out))
    ``he_normal``       W ~ N(0, 2 / n_in)
    ``he_uniform``      W ~ U(-a, a), a = sqrt(6 / n_in)
    ``lecun_normal``    W ~ N(0, 1 / n_in) (Nielsen's improved initialisation)
    ==================  ==================================================================

    Examples
    --------
    >>> build_mlp([2, 5, 1], "sigmoid")
    Sequential(
      (0): Linear(in_features=2, out_features=5, bias=True)
      (1): Sigmoid()
      (2): Linear(in_features=5, out_features=1, bias=True)
    )
    """
    widths = v.check_sizes("sizes", sizes)
    v.check_choice("activation", activation, ACTIVATION_MODULES)
    v.check_choice("init", init, LINEAR_INITIALISERS)
    if output_activation is not None:
        v.check_choice("output_activation", output_activation, ACTIVATION_MODULES)
    p = v.check_range("dropout", dropout, 0.0, 1.0, high_open=True)
    seed = v.check_int("seed", seed)
    gen = torch.Generator().manual_seed(seed)
    initialise = LINEAR_INITIALISERS[init]

    layers: list[nn.Module] = []
    last = len(widths) - 2
    for i, (n_in, n_out) in enumerate(pairwise(widths)):
        # torch's own initialiser draws from the global RNG: let it, then restore that state, and
        # draw the real initial values from ``gen`` (nn.utils.skip_init does the same, slowly).
        with torch.random.fork_rng(devices=[]):
            linear = nn.Linear(n_in, n_out, bias=bool(bias))
        with torch.no_grad():
            initialise(linear.weight, linear.bias, gen)
        layers.append(linear)
        if i < last:
            if batch_norm:
                layers.append(nn.BatchNorm1d(n_out))
            layers.append(ACTIVATION_MODULES[activation]())
            if p > 0:
                layers.append(nn.Dropout(p))
        elif output_activation is not None:
            layers.append(ACTIVATION_MODULES[output_activation]())
    return nn.Sequential(*layers)


def parameter_dtype(model: nn.Module) -> torch.dtype:
    """The floating dtype of ``model``'s parameters (``torch.float32`` when it has none): the
    dtype its inputs and real-valued targets are converted to."""
    return next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.float32)
