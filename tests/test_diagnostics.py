"""Tests of nndl_book.training.diagnostics on hand-constructed networks."""

import numpy as np
import pytest
import torch
from torch import nn

from nndl_book import data
from nndl_book.training import (
    Runner,
    activation_stats,
    build_mlp,
    dead_relu_fraction,
    grad_norms,
)

X = data.make_moons(100, rng=0)[0]  # |x| < 2.5


def set_layer(layer, weight, bias):
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(weight, dtype=torch.float32))
        layer.bias.copy_(torch.as_tensor(bias, dtype=torch.float32))


def no_hooks_left(model):
    return all(not m._forward_hooks for m in model.modules())


def test_relu_layer_with_bias_minus_8_is_all_dead():
    net = build_mlp([2, 4, 3, 1], "relu")
    with torch.no_grad():
        net[0].bias.fill_(-8.0)  # default weights are at most 1/sqrt(2) in size
    fractions = dead_relu_fraction(net, X)
    assert fractions[0] == 1.0
    assert fractions[1] < 1.0 and len(fractions) == 2
    assert no_hooks_left(net)


def test_half_dead_relu_layer():
    net = build_mlp([2, 4, 1], "relu")
    set_layer(net[0], np.zeros((4, 2)), [-1.0, 1.0, -1.0, 1.0])
    assert dead_relu_fraction(net, torch.as_tensor(X)) == [0.5]


def test_no_relu_gives_an_empty_list():
    assert dead_relu_fraction(build_mlp([2, 3, 1], "tanh"), X) == []


def test_activation_stats_saturation_and_zeros():
    net = nn.Sequential(
        nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 3), nn.Sigmoid(),
        nn.Linear(3, 1),
    )  # fmt: skip
    set_layer(net[0], np.zeros((2, 2)), [0.0, 0.0])  # tanh(0) = 0 everywhere
    set_layer(net[2], np.ones((2, 2)), [0.0, 0.0])  # relu(0) = 0 everywhere
    set_layer(net[4], np.ones((3, 2)), [10.0, -10.0, 0.0])  # sigmoid 1, 0, 0.5
    net.train()
    stats = activation_stats(net, X)
    assert [s["layer"] for s in stats] == ["layer 1", "layer 2", "layer 3"]
    assert [s["activation"] for s in stats] == ["tanh", "relu", "sigmoid"]
    tanh, relu, sig = stats
    assert tanh["mean"] == 0.0 and tanh["std"] == 0.0
    assert tanh["saturated"] == 0.0 and tanh["zero"] == 1.0
    assert relu["saturated"] is None and relu["zero"] == 1.0
    assert sig["saturated"] == pytest.approx(2 / 3)
    assert sig["mean"] == pytest.approx(0.5)  # sigmoid(10) + sigmoid(-10) = 1
    assert net.training and no_hooks_left(net)


def test_grad_norms_match_a_hand_computation():
    net = build_mlp([2, 3, 1], "identity")
    Xt = torch.as_tensor(X, dtype=torch.float32)
    net(Xt).sum().backward()
    norms = grad_norms(net)
    # out = W2 (W1 x + b1) + b2: dL/dW2 = sum_i (W1 x_i + b1)^T, dL/dW1 = W2^T sum_i x_i^T
    h = (Xt @ net[0].weight.T + net[0].bias).sum(dim=0)
    w1 = net[2].weight.T @ Xt.sum(dim=0, keepdim=True)
    assert norms["layer 2"] == pytest.approx(h.norm().item(), rel=1e-5)
    assert norms["layer 1"] == pytest.approx(w1.norm().item(), rel=1e-5)


def test_grad_norms_from_a_runner_hook():
    net = build_mlp([2, 4, 1], "sigmoid")
    log = []
    runner = Runner(
        net,
        nn.BCEWithLogitsLoss(),
        torch.optim.SGD(net.parameters(), lr=0.5),
        hooks=[lambda r, epoch, step: log.append(grad_norms(r.model))],
    )
    runner.fit(data.make_moons(60, rng=0), epochs=2, batch_size=20, progress=False)
    assert len(log) == 6 and set(log[0]) == {"layer 1", "layer 2"}
    assert all(v > 0 for entry in log for v in entry.values())


def test_bad_input():
    net = build_mlp([2, 3, 1], "relu")
    with pytest.raises(TypeError, match="model"):
        dead_relu_fraction("net", X)
    with pytest.raises(ValueError, match="X must contain only finite"):
        dead_relu_fraction(net, np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="X must have 2 dimension"):
        activation_stats(net, np.zeros(4))
    with pytest.raises(ValueError, match="saturation"):
        activation_stats(net, X, saturation=1.5)
    with pytest.raises(ValueError, match="model has no gradients"):
        grad_norms(net)
