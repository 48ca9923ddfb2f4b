"""Gradient-descent optimizers (NNDL §7.2) that update parameter arrays in place.

Each class follows its ``torch.optim`` counterpart exactly, with the same default
hyperparameters (no weight decay), so a trajectory can be checked step by step against torch:

=============  ===================================================  =============================
class          update (g: gradient, t: step count from 1)           torch
=============  ===================================================  =============================
``SGD``        p ← p − lr·g                                         ``SGD(lr)``
``Momentum``   v ← μv + g;  p ← p − lr·v                            ``SGD(lr, momentum=μ)``
``Nesterov``   v ← μv + g;  p ← p − lr·(g + μv)                     ``SGD(..., nesterov=True)``
``AdaGrad``    G ← G + g²;  p ← p − lr·g / (√G + ε)                 ``Adagrad``
``RMSProp``    G ← αG + (1−α)g²;  p ← p − lr·g / (√G + ε)           ``RMSprop``
``Adam``       m ← β₁m + (1−β₁)g;  s ← β₂s + (1−β₂)g²;              ``Adam``
               p ← p − lr/(1−β₁ᵗ) · m / (√s/√(1−β₂ᵗ) + ε)
=============  ===================================================  =============================
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nndl_book import _validate as v


class Optimizer:
    """Base class: holds the live parameter arrays and checks the gradients given to ``step``.

    Parameters
    ----------
    params : sequence of numpy.ndarray
        float64 arrays updated in place, e.g. ``model.parameters()``.
    lr : float
        Learning rate, positive.
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float) -> None:
        if isinstance(params, np.ndarray) or not isinstance(params, Sequence):
            raise TypeError(
                "params must be a list of numpy arrays (e.g. model.parameters()), "
                f"got {type(params).__name__}"
            )
        if len(params) == 0:
            raise ValueError("params must contain at least one array, got an empty list")
        for i, p in enumerate(params):
            if not isinstance(p, np.ndarray) or p.dtype != np.float64:
                raise TypeError(
                    f"params[{i}] must be a float64 numpy array (updated in place), "
                    f"got {type(p).__name__}"
                    + (f" of dtype {p.dtype}" if isinstance(p, np.ndarray) else "")
                )
        self.params = list(params)
        self.lr = v.check_positive("lr", lr)
        self.t = 0

    def step(self, grads: Sequence[object]) -> None:
        """Update every parameter in place from ``grads`` (same count and shapes as ``params``)."""
        if isinstance(grads, np.ndarray) or not isinstance(grads, Sequence):
            raise TypeError(
                f"grads must be a list of arrays matching params, got {type(grads).__name__}"
            )
        if len(grads) != len(self.params):
            raise ValueError(
                f"grads must have one array per parameter: expected {len(self.params)}, "
                f"got {len(grads)}"
            )
        checked = []
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            g = v.as_array(f"grads[{i}]", g, finite=False, allow_empty=True)
            v.check_shape(f"grads[{i}]", g, p.shape)
            checked.append(g)
        self._step(checked)

    def _step(self, grads: list[np.ndarray]) -> None:
        """Update without checks (the fast path used by ``train``)."""
        self.t += 1
        for i, (p, g) in enumerate(zip(self.params, grads, strict=False)):
            self._update(i, p, g)

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr!r})"


class SGD(Optimizer):
    """Plain gradient descent ``p ← p − lr·g`` (``torch.optim.SGD(params, lr)``)."""

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        p -= self.lr * g


def _check_momentum(momentum: object, allow_unstable: bool) -> float:
    mu = v.check_number("momentum", momentum)
    if not allow_unstable and not 0 <= mu < 1:
        raise ValueError(
            "momentum must be in [0, 1) (μ ≥ 1 or μ < 0 makes the velocity grow or oscillate "
            f"without bound); pass allow_unstable=True to run it anyway, got {momentum!r}"
        )
    return mu


class Momentum(Optimizer):
    """Heavy-ball momentum ``v ← μv + g; p ← p − lr·v`` (torch SGD, ``dampening=0``).

    Parameters
    ----------
    params : sequence of numpy.ndarray
    lr : float
    momentum : float, default 0.9
        μ, in [0, 1).
    allow_unstable : bool, default False
        Accept μ outside [0, 1) (to show the divergence).
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float,
        momentum: float = 0.9,
        allow_unstable: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _check_momentum(momentum, allow_unstable)
        self.velocity = [np.zeros_like(p) for p in self.params]

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        vel = self.velocity[i]
        vel *= self.momentum
        vel += g
        p -= self.lr * vel

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr!r}, momentum={self.momentum!r})"


class Nesterov(Momentum):
    """Nesterov momentum ``v ← μv + g; p ← p − lr·(g + μv)`` (torch SGD, ``nesterov=True``)."""

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        vel = self.velocity[i]
        vel *= self.momentum
        vel += g
        p -= self.lr * (g + self.momentum * vel)


class AdaGrad(Optimizer):
    """AdaGrad ``G ← G + g²; p ← p − lr·g/(√G + ε)`` (``torch.optim.Adagrad``).

    Parameters
    ----------
    params : sequence of numpy.ndarray
    lr : float, default 0.01
    eps : float, default 1e-10
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 0.01, eps: float = 1e-10) -> None:
        super().__init__(params, lr)
        self.eps = v.check_positive("eps", eps)
        self.sum_sq = [np.zeros_like(p) for p in self.params]

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        G = self.sum_sq[i]
        G += g * g
        p += (-self.lr * g) / (np.sqrt(G) + self.eps)  # torch's order of operations


class RMSProp(Optimizer):
    """RMSProp ``G ← αG + (1−α)g²; p ← p − lr·g/(√G + ε)`` (``torch.optim.RMSprop``).

    Parameters
    ----------
    params : sequence of numpy.ndarray
    lr : float, default 0.01
    alpha : float, default 0.99
        Decay rate of the squared-gradient average, in [0, 1).
    eps : float, default 1e-8
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = v.check_range("alpha", alpha, 0.0, 1.0, high_open=True)
        self.eps = v.check_positive("eps", eps)
        self.square_avg = [np.zeros_like(p) for p in self.params]

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        G = self.square_avg[i]
        G *= self.alpha
        G += ((1.0 - self.alpha) * g) * g
        p += (-self.lr * g) / (np.sqrt(G) + self.eps)


class Adam(Optimizer):
    """Adam with bias correction (``torch.optim.Adam``).

    Parameters
    ----------
    params : sequence of numpy.ndarray
    lr : float, default 0.001
    betas : (float, float), default (0.9, 0.999)
        Decay rates β₁, β₂ of the first and second moment estimates, each in [0, 1).
    eps : float, default 1e-8
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        if isinstance(betas, (str, bytes)) or not isinstance(betas, Sequence) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.beta1 = v.check_range("betas[0]", betas[0], 0.0, 1.0, high_open=True)
        self.beta2 = v.check_range("betas[1]", betas[1], 0.0, 1.0, high_open=True)
        self.eps = v.check_positive("eps", eps)
        self.m = [np.zeros_like(p) for p in self.params]
        self.s = [np.zeros_like(p) for p in self.params]

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        m, s = self.m[i], self.s[i]
        m += (1.0 - self.beta1) * (g - m)  # = β₁m + (1−β₁)g
        s *= self.beta2
        s += ((1.0 - self.beta2) * g) * g
        step_size = self.lr / (1.0 - self.beta1**self.t)
        denom = np.sqrt(s) / (1.0 - self.beta2**self.t) ** 0.5 + self.eps
        p += (-step_size * m) / denom


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSProp,
    "adam": Adam,
}
#: The optimizers that take a momentum ``μ`` (``momentum=``): Momentum and its subclasses.
TAKES_MOMENTUM = frozenset(name for name, cls in OPTIMIZERS.items() if issubclass(cls, Momentum))


def make_optimizer(name: str, params: Sequence[np.ndarray], **hyper: object) -> Optimizer:
    """Build the optimizer ``name`` (a key of ``OPTIMIZERS``) for ``params``.

    Parameters
    ----------
    name : str
        One of ``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``, ``"adam"``.
    params : sequence of numpy.ndarray
        Live float64 arrays updated in place.
    **hyper
        Hyperparameters of that optimizer, e.g. ``lr=0.1, momentum=0.9``.
    """
    cls = v.lookup("optimizer", name, OPTIMIZERS)
    try:
        return cls(params, **hyper)
    except TypeError as err:
        if "unexpected keyword argument" in str(err) or "missing" in str(err):
            raise TypeError(f"optimizer {name!r}: {err}") from err
        raise
