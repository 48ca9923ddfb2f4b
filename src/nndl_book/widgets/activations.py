"""The activation explorer: a function, its derivative and the dead units it leaves."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from nndl_book.maths.activations import get_activation
from nndl_book.widgets.explorer import Control, Explorer

ACTIVATION_PARAMETER = {"leaky_relu": "alpha", "prelu": "alpha", "elu": "alpha", "swish": "beta"}


def draw_activation(
    name: str = "relu", parameter: float = 1.0, bias: float = 0.0, seed: int = 0
) -> tuple[Figure, dict[str, Any]]:
    """Plot an activation and its derivative, and count dead units in a random layer.

    The random layer has 100 units reading 20 standard-normal inputs through N(0, 1/20)
    weights plus ``bias``; a unit is dead when its derivative is below 1e-6 on all 500 samples.

    Parameters
    ----------
    name : str
        Activation name.
    parameter : float
        Its parameter (α of Leaky ReLU, PReLU and ELU; β of swish); ignored by the others.
    bias : float
        Bias added to every unit of the random layer.
    seed : int
        Seed of the random layer and inputs.
    """
    act = get_activation(name)
    key = ACTIVATION_PARAMETER.get(name)
    params = {key: parameter} if key else {}
    x = np.linspace(-5, 5, 401)
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(500, 20))
    W = rng.normal(scale=np.sqrt(1 / 20), size=(100, 20))
    z = inputs @ W.T + bias
    dead = float(np.mean(np.all(np.abs(act.derivative(z, **params)) < 1e-6, axis=0)))
    fig = Figure(figsize=(6.4, 2.6), layout="constrained")
    ax_f, ax_d = fig.subplots(1, 2, sharex=True)
    label = f"{name}({key} = {parameter:g})" if key else name
    ax_f.plot(x, act(x, **params), color="#0072B2", lw=2)
    ax_d.plot(x, act.derivative(x, **params), color="#D55E00", lw=2)
    ax_f.set(title=label, xlabel="$z$", ylabel="$f(z)$")
    ax_d.set(title="derivative", xlabel="$z$", ylabel="$f'(z)$")
    for ax in (ax_f, ax_d):
        ax.axhline(0, color="0.7", lw=0.8)
        ax.axvline(0, color="0.7", lw=0.8)
        ax.grid(alpha=0.3)
    return fig, {"dead units": f"{dead:.0%}"}


def activation_explorer(**kwargs: Any) -> Explorer:
    """Explorer: activation and its parameter (α, β), layer bias → curves and dead units."""
    controls = [
        Control("name", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "gelu"],
                label="activation",
                live_values=["sigmoid", "tanh", "hard_sigmoid", "hard_tanh", "relu",
                             "leaky_relu", "prelu", "elu", "softplus", "swish", "gelu",
                             "gelu_tanh"]),
        Control("parameter", [0.1, 1.0], label="α or β",
                live_values=[0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0]),
        Control("bias", [-3.0, 0.0], label="layer bias", live_values=[-4.0, -3.0, -2.0, -1.0,
                                                                        0.0, 1.0]),
    ]
    kwargs.setdefault("title", "Activation functions and dead units")
    kwargs.setdefault("defaults", {"name": "relu", "parameter": 0.1, "bias": 0.0})
    return Explorer(draw_activation, controls, **kwargs)


