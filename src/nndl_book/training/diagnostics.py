"""Look inside a torch network: gradient norms, dead ReLUs, activation statistics, weights.

Layers are numbered from 1 in the order the modules appear in ``model.modules()``:
``"layer k"`` is the k-th ``torch.nn.Linear`` (for weights and gradients) or the k-th
activation module (for activation statistics), so in a network built by
:func:`~nndl_book.training.nets.build_mlp` activation ``k`` follows ``Linear`` ``k``.
Functions that run the network do so in eval mode without gradients, through forward hooks
that are removed afterwards, and restore the model's train/eval mode.
"""

from __future__ import annotations

import torch
from torch import nn

from nndl_book import _validate as v
from nndl_book.engine.probes import SATURATION, saturated_fraction, saturation_bounds
from nndl_book.training.nets import activation_name, parameter_dtype

__all__ = ["activation_stats", "dead_relu_fraction", "grad_norms"]



def _check_model(model: object) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def _linears(model: nn.Module) -> list[nn.Linear]:
    layers = [m for m in _check_model(model).modules() if isinstance(m, nn.Linear)]
    if not layers:
        raise ValueError("model must contain at least one torch.nn.Linear layer")
    return layers


def _inputs(model: nn.Module, X: object) -> torch.Tensor:
    dtype = parameter_dtype(model)
    if isinstance(X, torch.Tensor):
        X = X.detach().cpu().numpy()
    return torch.as_tensor(v.as_array("X", X, ndim=2), dtype=dtype)


def _capture(model: nn.Module, X: object, modules: list[nn.Module]) -> list[torch.Tensor]:
    """Outputs of ``modules`` during one forward pass on ``X`` (eval mode, no gradients)."""
    Xt = _inputs(model, X)
    outputs: dict[int, torch.Tensor] = {}
    handles = [
        m.register_forward_hook(lambda mod, args, out, i=i: outputs.__setitem__(i, out.detach()))
        for i, m in enumerate(modules)
    ]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(Xt)
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return [outputs[i].reshape(len(Xt), -1) for i in range(len(modules))]


def grad_norms(model: nn.Module) -> dict[str, float]:
    """L2 (Frobenius) norm of each ``Linear`` layer's weight gradient.

    Call after ``loss.backward()`` (e.g. from a :class:`~nndl_book.training.Runner` hook).

    Parameters
    ----------
    model : torch.nn.Module

    Returns
    -------
    dict of str to float
        ``{"layer 1": ||dL/dW_1||, ...}``; NaN for a layer without a gradient.
    """
    layers = _linears(model)
    if all(m.weight.grad is None for m in layers):
        raise ValueError("model has no gradients yet: call loss.backward() first")
    return {
        f"layer {k}": float("nan") if m.weight.grad is None else m.weight.grad.norm().item()
        for k, m in enumerate(layers, start=1)
    }


def dead_relu_fraction(model: nn.Module, X: object) -> list[float]:
    """For each ``ReLU`` module, the fraction of its units that output 0 on every row of ``X``.

    Parameters
    ----------
    model : torch.nn.Module
    X : array_like or torch.Tensor, shape (n_samples, n_features)

    Returns
    -------
    list of float
        One fraction in [0, 1] per ReLU module, in order.
    """
    relus = [m for m in _check_model(model).modules() if isinstance(m, nn.ReLU)]
    if not relus:
        return []
    return [(a == 0).all(dim=0).double().mean().item() for a in _capture(model, X, relus)]


def activation_stats(
    model: nn.Module, X: object, *, saturation: float = SATURATION
) -> list[dict[str, object]]:
    """Summary of every activation module's output on ``X``.

    Parameters
    ----------
    model : torch.nn.Module
    X : array_like or torch.Tensor, shape (n_samples, n_features)
    saturation : float, default 0.95
        An output of a bounded activation (sigmoid, tanh, hard sigmoid, hard tanh) counts as
        saturated when its distance from the middle of the range is at least ``saturation``
        times the half range: sigmoid outputs below 0.025 or above 0.975, tanh outputs beyond
        ±0.95. There the derivative is below a tenth of its maximum. This is the book's one
        saturation rule, :func:`nndl_book.engine.probes.saturated_fraction`.

    Returns
    -------
    list of dict
        One dict per activation module with keys ``"layer"`` (``"layer k"``),
        ``"activation"`` (registry name, e.g. ``"tanh"``), ``"mean"``, ``"std"`` (over all
        samples and units), ``"saturated"`` (fraction of saturated outputs, ``None`` for
        unbounded activations) and ``"zero"`` (fraction of outputs exactly 0).
    """
    frac = v.check_range("saturation", saturation, 0.0, 1.0, low_open=True, high_open=True)
    acts = [m for m in _check_model(model).modules() if activation_name(m) is not None]
    if not acts:
        return []
    stats = []
    for k, (m, a) in enumerate(zip(acts, _capture(model, X, acts), strict=True), start=1):
        name = activation_name(m)
        a = a.double()
        bounds = (m.min_val, m.max_val) if isinstance(m, nn.Hardtanh) else saturation_bounds(name)
        saturated = None if bounds is None else saturated_fraction(a.numpy(), bounds, frac)
        stats.append(
            {
                "layer": f"layer {k}",
                "activation": name,
                "mean": a.mean().item(),
                "std": a.std(unbiased=False).item(),
                "saturated": saturated,
                "zero": (a == 0).double().mean().item(),
            }
        )
    return stats

