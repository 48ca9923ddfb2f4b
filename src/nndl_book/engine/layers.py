"""Layers of the numpy engine: ``Linear``, ``Activation`` and ``PReLU``.

Every layer has the same small interface, as in micrograd or ``torch.nn``:

* ``forward(x)`` takes a batch ``x`` of shape ``(n, features)`` and caches what ``backward`` needs;
* ``backward(grad_out)`` takes dL/d(output), stores the parameter gradients and returns dL/dx;
* ``params()`` and ``grads()`` return dicts name → array. The parameter arrays are the live ones:
  optimizers update them in place.

The loss gradient already carries the ``1/n`` of a mean, so parameter gradients are plain sums
over the batch.
"""

from __future__ import annotations

import numpy as np

from nndl_book import _validate as v
from nndl_book.maths import activations as act
from nndl_book.maths import init as initialisers

# Derivatives written with the output a = f(x), as torch autograd computes them: cheaper than
# evaluating f'(x) afresh (no second exp), and the same numbers as torch.
_DERIVATIVE_FROM_OUTPUT = {
    "sigmoid": lambda a: a * (1.0 - a),
    "tanh": lambda a: 1.0 - a * a,
}


def _check_batch(name: str, x: object, n_features: int) -> np.ndarray:
    """Return ``x`` as a finite float64 array of shape ``(n, n_features)``."""
    arr = v.as_array(name, x, ndim=2)
    v.check_shape(name, arr, (None, n_features))
    return arr


class Layer:
    """Base class: a layer without parameters that must see ``forward`` before ``backward``."""

    def __init__(self) -> None:
        self._x: np.ndarray | None = None

    def _cached_input(self) -> np.ndarray:
        if self._x is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward called before forward: "
                "call forward(x) first so grad_out has an input to flow back to"
            )
        return self._x

    def backward(self, grad_out: object) -> np.ndarray:
        """Check ``grad_out`` against the cached input and return dL/d(input)."""
        x = self._cached_input()
        g = v.as_array("grad_out", grad_out, ndim=2, finite=False)
        v.check_shape("grad_out", g, self._output_shape(x))
        return self._backward(g)

    def _output_shape(self, x: np.ndarray) -> tuple[int, ...]:
        """Shape of this layer's output for input ``x`` (elementwise layers: ``x.shape``)."""
        return x.shape

    def _backward(self, g: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def params(self) -> dict[str, np.ndarray]:
        """Trainable parameters, name → live array (updated in place by optimizers)."""
        return {}

    def grads(self) -> dict[str, np.ndarray]:
        """Gradients of the last ``backward``, with the same names as ``params()``."""
        return {}

    def __call__(self, x: object) -> np.ndarray:
        return self.forward(x)


class Linear(Layer):
    """Fully connected layer ``z = x @ W.T + b``.

    Parameters
    ----------
    n_in, n_out : int
        Input and output sizes.
    bias : bool, default True
        Whether the layer has a bias ``b`` (initialised to zeros).
    init : str, default "xavier_uniform"
        Initialiser name from ``nndl_book.maths.init`` for ``W``.
    rng : numpy.random.Generator or int, optional
        Randomness for the initialiser; required unless ``init="zeros"``.

    Attributes
    ----------
    W : numpy.ndarray, shape (n_out, n_in)
    b : numpy.ndarray, shape (n_out,), or None without bias
    dW, db : numpy.ndarray
        Gradients from the last ``backward`` (same shapes as ``W`` and ``b``).
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        *,
        bias: bool = True,
        init: str = "xavier_uniform",
        rng: np.random.Generator | int | None = None,
    ) -> None:
        super().__init__()
        self.n_in = v.check_int("n_in", n_in, minimum=1)
        self.n_out = v.check_int("n_out", n_out, minimum=1)
        if not isinstance(init, str):
            raise TypeError(f"init must be an initialiser name (str), got {type(init).__name__}")
        rng = None if rng is None else v.make_rng(rng)
        weights = initialisers.initialise(init, (self.n_out, self.n_in), rng=rng)
        self.W = np.array(weights, dtype=np.float64)
        self.b = np.zeros(self.n_out) if bias else None
        self._reset_grads()

    @classmethod
    def from_arrays(cls, W: object, b: object = None) -> Linear:
        """Build a layer from a weight matrix ``W`` (n_out, n_in) and optional bias ``b`` (n_out,).

        The arrays are copied.
        """
        W_arr = v.as_array("W", W, ndim=2)
        layer = cls.__new__(cls)
        Layer.__init__(layer)
        layer.n_out, layer.n_in = W_arr.shape
        layer.W = W_arr.copy()
        if b is None:
            layer.b = None
        else:
            b_arr = v.as_array("b", b, ndim=1)
            v.check_shape("b", b_arr, (layer.n_out,))
            layer.b = b_arr.copy()
        layer._reset_grads()
        return layer

    def _reset_grads(self) -> None:
        self.dW = np.zeros_like(self.W)
        self.db = None if self.b is None else np.zeros_like(self.b)
        self._ones = np.ones(0)  # a row of ones for the bias gradient, sized on first use

    def forward(self, x: object) -> np.ndarray:
        """Return ``x @ W.T + b``, shape (n, n_out), for ``x`` of shape (n, n_in)."""
        return self._forward(_check_batch("x", x, self.n_in))

    def _forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        z = x @ self.W.T
        if self.b is not None:
            z += self.b
        return z

    def backward(self, grad_out: object) -> np.ndarray:
        """Store ``dW``, ``db`` and return dL/dx, shape (n, n_in), from ``grad_out`` (n, n_out)."""
        return super().backward(grad_out)

    def _output_shape(self, x: np.ndarray) -> tuple[int, ...]:
        return (x.shape[0], self.n_out)

    def _backward(self, g: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        self.dW = g.T @ self._x
        if self.b is not None:
            # the column sums g.sum(axis=0), as a matrix product (about 4x faster for small g)
            if self._ones.shape[0] != g.shape[0]:
                self._ones = np.ones(g.shape[0])
            self.db = self._ones @ g
        return g @ self.W if input_grad else None

    def params(self) -> dict[str, np.ndarray]:
        return {"W": self.W} if self.b is None else {"W": self.W, "b": self.b}

    def grads(self) -> dict[str, np.ndarray]:
        return {"W": self.dW} if self.b is None else {"W": self.dW, "b": self.db}

    def __repr__(self) -> str:
        return f"Linear({self.n_in}, {self.n_out}, bias={self.b is not None})"


class Activation(Layer):
    """Elementwise activation from the ``nndl_book.maths.activations`` registry.

    Parameters
    ----------
    name : str
        Activation name, e.g. ``"sigmoid"``, ``"relu"``, ``"leaky_relu"``.
    **params
        Fixed (not trained) parameters of the activation, e.g. ``alpha=0.1`` for leaky ReLU.
    """

    def __init__(self, name: str, **params: float) -> None:
        super().__init__()
        self.fn = act.get_activation(name)
        self.name = name
        unknown = sorted(set(params) - set(self.fn.params))
        if unknown:
            raise TypeError(
                f"activation {name!r} takes parameters {sorted(self.fn.params)}, "
                f"got unexpected {unknown}"
            )
        # merged and checked once here, so forward/backward call f and df directly
        self.kwargs = {**self.fn.params, **params}
        self.fn.f(np.zeros(1), **self.kwargs)
        self._from_output = _DERIVATIVE_FROM_OUTPUT.get(name)
        self._a: np.ndarray | None = None

    def forward(self, x: object) -> np.ndarray:
        """Apply the activation to ``x`` of shape (n, features); same shape out."""
        return self._forward(v.as_array("x", x, ndim=2))

    def _forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        self._a = self.fn.f(x, **self.kwargs)
        return self._a

    def backward(self, grad_out: object) -> np.ndarray:
        """Return ``grad_out * f'(x)``, shape (n, features)."""
        return super().backward(grad_out)

    def _backward(self, g: np.ndarray) -> np.ndarray:
        if self._from_output is not None:
            return g * self._from_output(self._a)
        return g * self.fn.df(self._x, **self.kwargs)

    def __repr__(self) -> str:
        extra = "".join(f", {k}={val!r}" for k, val in self.kwargs.items())
        return f"Activation({self.name!r}{extra})"


class PReLU(Layer):
    """Parametric ReLU, one learnable slope ``alpha`` shared by all units (``torch.nn.PReLU()``).

    Parameters
    ----------
    alpha : float, default 0.25
        Initial slope for negative inputs.

    Attributes
    ----------
    alpha : numpy.ndarray, shape (1,)
        The live parameter.
    dalpha : numpy.ndarray, shape (1,)
        Its gradient from the last ``backward``.
    """

    def __init__(self, alpha: float = act.PRELU_START["alpha"]) -> None:
        super().__init__()
        self.alpha = np.array([v.check_number("alpha", alpha)])
        self.dalpha = np.zeros(1)

    def forward(self, x: object) -> np.ndarray:
        """Return ``prelu(x, alpha)``, same shape as ``x`` (n, features)."""
        return self._forward(v.as_array("x", x, ndim=2))

    def _forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        return act.prelu(x, float(self.alpha[0]))

    def backward(self, grad_out: object) -> np.ndarray:
        """Store ``dalpha`` and return dL/dx, same shape as the input."""
        return super().backward(grad_out)

    def _backward(self, g: np.ndarray) -> np.ndarray:
        a = float(self.alpha[0])
        self.dalpha = np.array([np.sum(g * act.d_prelu_alpha(self._x, a))])
        return g * act.d_prelu(self._x, a)

    def params(self) -> dict[str, np.ndarray]:
        return {"alpha": self.alpha}

    def grads(self) -> dict[str, np.ndarray]:
        return {"alpha": self.dalpha}

    def __repr__(self) -> str:
        return f"PReLU(alpha={float(self.alpha[0])!r})"
