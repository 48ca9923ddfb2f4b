"""A multilayer perceptron built from the engine's layers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nndl_book import _validate as v
from nndl_book.engine.layers import Activation, Layer, Linear, PReLU
from nndl_book.maths.activations import ACTIVATIONS
from nndl_book.maths.metrics import predicted_classes

# Output activations after which 0.5 (not 0) separates the two classes.
_PROBABILITY_OUTPUTS = ("sigmoid", "hard_sigmoid")


def _hidden_activation(name: str, params: dict[str, float]) -> Layer:
    """``"prelu"`` gives a learnable ``PReLU``; every other name a fixed ``Activation``."""
    if name == "prelu":
        return PReLU(**params)
    return Activation(name, **params)


class MLP:
    """Multilayer perceptron ``Linear → activation → ... → Linear → output_activation``.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``[2, 5, 1]``.
    activation : str, default "sigmoid"
        Hidden activation (``nndl_book.maths.activations`` name). ``"prelu"`` makes a learnable
        ``PReLU`` layer whose ``alpha`` is a parameter.
    output_activation : str, default "identity"
        Activation after the last ``Linear``; ``"identity"`` adds no layer (the outputs are logits).
    init : str, default "xavier_uniform"
        Weight initialiser name; biases start at zero.
    bias : bool, default True
        Whether the ``Linear`` layers have biases.
    rng : numpy.random.Generator or int, optional
        Randomness for the initialiser (one generator shared by all layers); required unless
        ``init="zeros"``.
    activation_params : dict, optional
        Parameters of the hidden activation, e.g. ``{"alpha": 0.1}``.

    Attributes
    ----------
    layers : list of Layer
        The layers in order.
    sizes : list of int
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        *,
        output_activation: str = "identity",
        init: str = "xavier_uniform",
        bias: bool = True,
        rng: np.random.Generator | int | None = None,
        activation_params: dict[str, float] | None = None,
    ) -> None:
        sizes = v.check_sizes("sizes", sizes)
        rng = None if rng is None else v.make_rng(rng)
        linears = [
            Linear(n_in, n_out, bias=bias, init=init, rng=rng)
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
        ]
        self._build(linears, activation, output_activation, activation_params)

    @classmethod
    def from_weights(
        cls,
        weights: Sequence[object],
        biases: Sequence[object] | None = None,
        activation: str = "sigmoid",
        *,
        output_activation: str = "identity",
        activation_params: dict[str, float] | None = None,
    ) -> MLP:
        """Build an MLP from given arrays (copied), e.g. to compare with a torch network.

        Parameters
        ----------
        weights : sequence of array_like
            ``weights[i]`` has shape ``(sizes[i+1], sizes[i])``.
        biases : sequence of array_like, optional
            ``biases[i]`` has shape ``(sizes[i+1],)``; ``None`` for a network without biases.
        activation, output_activation, activation_params
            As for ``MLP``.
        """
        if isinstance(weights, np.ndarray) or len(weights) == 0:
            raise TypeError("weights must be a non-empty list of 2-D arrays (one per layer)")
        if biases is not None and len(biases) != len(weights):
            raise ValueError(
                f"biases must have one array per weight matrix, got {len(biases)} "
                f"for {len(weights)} weights"
            )
        linears = []
        for i, W in enumerate(weights):
            b = None if biases is None else biases[i]
            W_arr = v.as_array(f"weights[{i}]", W, ndim=2)
            if i > 0 and W_arr.shape[1] != linears[-1].n_out:
                raise ValueError(
                    f"weights[{i}] must have shape ({W_arr.shape[0]}, {linears[-1].n_out}) "
                    f"to follow weights[{i - 1}], got {W_arr.shape}"
                )
            if b is not None:
                b_arr = v.as_array(f"biases[{i}]", b, ndim=1)
                v.check_shape(f"biases[{i}]", b_arr, (W_arr.shape[0],))
            linears.append(Linear.from_arrays(W_arr, b))
        model = cls.__new__(cls)
        model._build(linears, activation, output_activation, activation_params)
        return model

    def _build(
        self,
        linears: list[Linear],
        activation: str,
        output_activation: str,
        activation_params: dict[str, float] | None,
    ) -> None:
        v.check_choice("activation", activation, ACTIVATIONS)
        v.check_choice("output_activation", output_activation, ACTIVATIONS)
        params = dict(activation_params or {})
        self.activation = activation
        self.output_activation = output_activation
        self.sizes = [linears[0].n_in] + [lin.n_out for lin in linears]
        self.layers: list[Layer] = []
        names: list[str] = []
        for i, lin in enumerate(linears, start=1):
            self.layers.append(lin)
            names += [f"{k}{i}" for k in lin.params()]
            if i < len(linears):
                hidden = _hidden_activation(activation, params)
                self.layers.append(hidden)
                names += [f"{k}{i}" for k in hidden.params()]
        if output_activation != "identity":
            self.layers.append(Activation(output_activation))
        self._names = names

    # -- forward / backward ------------------------------------------------------------------
    def forward(self, X: object) -> np.ndarray:
        """Outputs of shape (n, sizes[-1]) for inputs ``X`` of shape (n, sizes[0])."""
        X = v.as_array("X", X, ndim=2)
        v.check_shape("X", X, (None, self.sizes[0]))
        return self._forward(X)

    def _forward(self, X: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            X = layer._forward(X)
        return X

    __call__ = forward

    def backward(self, grad_output: object) -> np.ndarray:
        """Back-propagate dL/d(output) of shape (n, sizes[-1]); return dL/dX, shape (n, sizes[0]).

        Afterwards ``gradients()`` holds dL/d(parameter) for every parameter.
        """
        x = self.layers[0]._cached_input()
        g = v.as_array("grad_output", grad_output, ndim=2, finite=False)
        v.check_shape("grad_output", g, (x.shape[0], self.sizes[-1]))
        return self._backward(g)

    def _backward(self, g: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        for layer in reversed(self.layers[1:]):
            g = layer._backward(g)
        return self.layers[0]._backward(g, input_grad)  # type: ignore[call-arg]

    # -- parameters ------------------------------------------------------------------------
    def parameters(self) -> list[np.ndarray]:
        """Live parameter arrays in layer order: ``[W1, b1, W2, b2, ...]``.

        A learnable ``PReLU`` contributes ``alpha1`` after ``b1``; no ``b`` without biases.
        """
        return [p for layer in self.layers for p in layer.params().values()]

    def gradients(self) -> list[np.ndarray]:
        """Gradients of the last ``backward``, matching ``parameters()``."""
        return [g for layer in self.layers for g in layer.grads().values()]

    def parameter_names(self) -> list[str]:
        """Names matching ``parameters()``, e.g. ``["W1", "b1", "W2", "b2"]``."""
        return list(self._names)

    @property
    def weights(self) -> list[np.ndarray]:
        """The weight matrices ``W1, W2, ...`` (live arrays)."""
        return [layer.W for layer in self.layers if isinstance(layer, Linear)]

    @property
    def biases(self) -> list[np.ndarray | None]:
        """The bias vectors ``b1, b2, ...`` (live arrays, ``None`` without biases)."""
        return [layer.b for layer in self.layers if isinstance(layer, Linear)]

    # -- prediction --------------------------------------------------------------------------
    def default_threshold(self) -> float:
        """Output value separating the two classes: 0.5 after a sigmoid output, else 0."""
        return 0.5 if self.output_activation in _PROBABILITY_OUTPUTS else 0.0

    def predict(self, X: object, *, threshold: float | None = None) -> np.ndarray:
        """Class labels, shape (n,), int.

        With one output the label is ``output > threshold`` (default ``default_threshold()``);
        with several outputs it is the argmax.
        """
        out = self.forward(X)
        return predicted_classes(out, self.default_threshold() if threshold is None else threshold)

    def __repr__(self) -> str:
        return (
            f"MLP({self.sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r})"
        )

