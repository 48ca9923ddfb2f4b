"""Tests of nndl_book.training.nets.build_mlp."""

import math

import pytest
import torch
from torch import nn

from nndl_book.maths.init import INITIALISERS
from nndl_book.training import ACTIVATION_MODULES, LINEAR_INITIALISERS, activation_name, build_mlp


def kinds(net):
    return [type(m).__name__ for m in net]


def test_structure_of_a_small_sigmoid_net():
    net = build_mlp([2, 5, 1], "sigmoid")
    assert kinds(net) == ["Linear", "Sigmoid", "Linear"]
    assert net[0].weight.shape == (5, 2) and net[2].weight.shape == (1, 5)
    assert net(torch.zeros(7, 2)).shape == (7, 1)


def test_batch_norm_before_and_dropout_after_the_activation():
    net = build_mlp([3, 4, 4, 2], "tanh", batch_norm=True, dropout=0.5, output_activation="sigmoid")
    assert kinds(net) == [
        "Linear", "BatchNorm1d", "Tanh", "Dropout",
        "Linear", "BatchNorm1d", "Tanh", "Dropout",
        "Linear", "Sigmoid",
    ]  # fmt: skip
    assert net[3].p == 0.5


def test_single_layer_and_no_bias():
    net = build_mlp([4, 3], bias=False)
    assert kinds(net) == ["Linear"] and net[0].bias is None


@pytest.mark.parametrize("name", sorted(ACTIVATION_MODULES))
def test_every_activation_builds_and_runs(name):
    net = build_mlp([2, 3, 1], name)
    assert activation_name(net[1]) == name
    assert torch.isfinite(net(torch.randn(4, 2, generator=torch.Generator().manual_seed(0)))).all()


@pytest.mark.parametrize("init", sorted(LINEAR_INITIALISERS))
def test_inits_are_seeded_and_leave_global_rng_alone(init):
    state = torch.get_rng_state()
    a, b, c = (build_mlp([3, 8, 2], init=init, seed=s) for s in (1, 1, 2))
    assert torch.equal(torch.get_rng_state(), state)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)
    if init != "zeros":
        assert not torch.equal(a[0].weight, c[0].weight)
    if init != "default":
        assert all(torch.count_nonzero(m.bias) == 0 for m in (a[0], a[2]))


WIDE_IN, WIDE_OUT = 400, 300


@pytest.mark.parametrize(
    ("init", "std"),
    [
        ("normal", 1.0),
        ("uniform", math.sqrt(1 / 3)),
        ("xavier_normal", math.sqrt(2 / (WIDE_IN + WIDE_OUT))),
        ("xavier_uniform", math.sqrt(2 / (WIDE_IN + WIDE_OUT))),
        ("he_normal", math.sqrt(2 / WIDE_IN)),
        ("he_uniform", math.sqrt(2 / WIDE_IN)),
        ("lecun_normal", math.sqrt(1 / WIDE_IN)),
        ("default", math.sqrt(1 / (3 * WIDE_IN))),  # U(-1/sqrt(n_in), 1/sqrt(n_in))
        ("zeros", 0.0),
    ],
)
def test_init_scales(init, std):
    w = build_mlp([WIDE_IN, WIDE_OUT], init=init)[0].weight.detach()
    assert w.std().item() == pytest.approx(std, rel=0.02)


def test_default_init_matches_torch_bounds():
    layer = build_mlp([50, 20], init="default")[0]
    bound = 1 / math.sqrt(50)
    assert layer.weight.abs().max() <= bound and layer.bias.abs().max() <= bound
    assert layer.weight.abs().max() > 0.9 * bound


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"activation": "swishy"}, ValueError, "activation"),
        ({"init": "glorot"}, ValueError, "init"),
        ({"output_activation": "softmax"}, ValueError, "output_activation"),
        ({"sizes": [2]}, ValueError, "sizes"),
        ({"sizes": [2, 0, 1]}, ValueError, "sizes"),
        ({"sizes": [2, 2.5, 1]}, TypeError, "sizes"),
        ({"sizes": "2-5-1"}, TypeError, "sizes"),
        ({"dropout": 1.0}, ValueError, "dropout"),
        ({"dropout": -0.1}, ValueError, "dropout"),
        ({"seed": 1.5}, TypeError, "seed"),
    ],
)
def test_bad_input(kwargs, error, name):
    args = {"sizes": [2, 5, 1], **kwargs}
    with pytest.raises(error, match=name):
        build_mlp(**args)


def test_every_torch_initialiser_is_a_scheme_of_the_maths_registry():
    assert set(LINEAR_INITIALISERS) - {"default"} <= set(INITIALISERS)


def test_activation_name_inverts_the_registry():
    for name, factory in ACTIVATION_MODULES.items():
        assert activation_name(factory()) == name
    assert activation_name(nn.Linear(2, 2)) is None
    assert activation_name(nn.Softmax(dim=1)) is None


def test_registry_builds_fresh_modules():
    assert ACTIVATION_MODULES["relu"]() is not ACTIVATION_MODULES["relu"]()
    assert isinstance(ACTIVATION_MODULES["hard_tanh"](), nn.Hardtanh)


@pytest.mark.parametrize("make", ["engine", "torch", "plot"])
def test_every_sizes_argument_is_checked_by_the_same_rule(make: str) -> None:
    from nndl_book.engine import MLP
    from nndl_book.plots import plot_network

    build = {"engine": lambda s: MLP(s, rng=0), "torch": lambda s: build_mlp(s, seed=0),
             "plot": plot_network}[make]
    with pytest.raises(ValueError, match=r"sizes must list at least 2 layer widths"):
        build([3])
    with pytest.raises(TypeError, match=r"sizes must be a list of layer widths like \[2, 5, 1\]"):
        build("2-5-1")
    with pytest.raises(ValueError, match=r"sizes\[1\] must be an integer >= 1"):
        build([2, 0, 1])
