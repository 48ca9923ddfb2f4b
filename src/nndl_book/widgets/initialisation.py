"""The initialisation explorer: activation and gradient statistics layer by layer."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from nndl_book.engine import MLP
from nndl_book.engine.layers import Activation
from nndl_book.maths.init import initialize
from nndl_book.plots import (
    plot_activation_stats,
    plot_grad_norms,
)
from nndl_book.widgets.explorer import Control, Explorer

INIT_SCHEMES = {
    "N(0, 1)": ("normal", {"std": 1.0}),
    "N(0, 0.01²)": ("normal", {"std": 0.01}),
    "Xavier": ("xavier_normal", {}),
    "He": ("he_normal", {}),
}


def layer_statistics(
    scheme: str, depth: int, activation: str, width: int = 100, n_samples: int = 256,
    seed: int = 0,
) -> tuple[list[dict[str, float]], list[float]]:
    """Per-layer activation statistics and weight-gradient norms of a deep MLP at initialisation.

    Returns
    -------
    stats : list of dict
        For each hidden layer, ``mean`` and ``std`` of its activations on a standard-normal batch.
    grad_norms : list of float
        For each layer, the L2 norm of the weight gradient of the mean squared output.
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {list(INIT_SCHEMES)}")
    init, params = INIT_SCHEMES[scheme]
    rng = np.random.default_rng(seed)
    model = MLP([width] * (depth + 1) + [1], activation, init="zeros")
    for weight in model.weights:
        weight[...] = initialize(init, weight.shape, rng=rng, **params)
    X = rng.normal(size=(n_samples, width))
    stats = []
    a = X
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in model.layers:
            a = layer.forward(a)
            if isinstance(layer, Activation):
                stats.append({"mean": float(np.mean(a)), "std": float(np.std(a))})
        model.backward(2 * a / n_samples)
    grads = [float(np.linalg.norm(layer.dW)) for layer in model.layers if hasattr(layer, "dW")]
    return stats, grads


def draw_initialisation(
    scheme: str = "Xavier", depth: int = 6, activation: str = "tanh"
) -> tuple[Figure, dict[str, Any]]:
    """Per-layer activation mean ± std and gradient norms of a deep MLP at initialisation."""
    stats, grads = layer_statistics(scheme, depth, activation)
    fig = Figure(figsize=(7.0, 2.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_activation_stats(stats, ax=left, title=f"{activation}, {scheme}: activations")
    plot_grad_norms({"‖∂L/∂W‖": grads}, ax=right, title="weight-gradient norm per layer")
    ratio = grads[0] / grads[-1] if grads[-1] > 0 else float("inf")
    return fig, {"last-layer activation std": f"{stats[-1]['std']:.3g}",
                 "first/last gradient norm": f"{ratio:.3g}"}


def initialisation_explorer(**kwargs: Any) -> Explorer:
    """Explorer: initialisation scheme, depth, activation → per-layer statistics."""
    controls = [
        Control("scheme", list(INIT_SCHEMES), label="initialisation"),
        Control("depth", [3, 10], label="hidden layers", live_values=[2, 3, 5, 10, 20]),
        Control("activation", ["sigmoid", "tanh", "relu"],
                live_values=["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"]),
    ]
    kwargs.setdefault("title", "Initialisation and the signal through a deep network")
    return Explorer(draw_initialisation, controls, **kwargs)
