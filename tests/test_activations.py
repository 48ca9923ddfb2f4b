"""Activations and their derivatives against torch autograd (float64)."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nndl_book.maths import activations as A

RTOL, ATOL = 1e-8, 1e-12


def xs(lo=-30.0, hi=30.0, avoid=()):
    """float64 arrays of 1 or 2 dims, avoiding the kink points ``avoid``."""
    element = st.floats(lo, hi, allow_nan=False).filter(lambda v: v not in avoid)
    return arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=6), elements=element)


def torch_value_and_grad(f, x):
    """``f(x)`` and its elementwise derivative by autograd, as numpy arrays."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = f(t)
    y.sum().backward()
    return y.detach().numpy(), t.grad.numpy()


# name, ours f, ours df, keyword params, torch reference, kink points
CASES = [
    ("identity", A.identity, A.d_identity, {}, lambda t: t * 1.0, ()),
    ("sigmoid", A.sigmoid, A.d_sigmoid, {}, torch.sigmoid, ()),
    ("tanh", A.tanh, A.d_tanh, {}, torch.tanh, ()),
    ("hard_sigmoid", A.hard_sigmoid, A.d_hard_sigmoid, {}, lambda t: (0.25 * t + 0.5).clamp(0, 1),
     (-2.0, 2.0)),
    ("hard_tanh", A.hard_tanh, A.d_hard_tanh, {}, F.hardtanh, (-1.0, 1.0)),
    ("relu", A.relu, A.d_relu, {}, F.relu, (0.0,)),
    ("leaky_relu", A.leaky_relu, A.d_leaky_relu, {"alpha": 0.1}, lambda t: F.leaky_relu(t, 0.1),
     (0.0,)),
    ("prelu", A.prelu, A.d_prelu, {"alpha": 0.25},
     lambda t: F.prelu(t, torch.tensor([0.25], dtype=torch.float64)), (0.0,)),
    ("elu", A.elu, A.d_elu, {"alpha": 1.5}, lambda t: F.elu(t, 1.5), (0.0,)),
    ("softplus", A.softplus, A.d_softplus, {}, F.softplus, ()),
    ("silu", A.swish, A.d_swish, {}, F.silu, ()),
    ("swish", A.swish, A.d_swish, {"beta": 0.7}, lambda t: t * torch.sigmoid(0.7 * t), ()),
    ("gelu", A.gelu, A.d_gelu, {}, F.gelu, ()),
    ("gelu_tanh", A.gelu_tanh, A.d_gelu_tanh, {}, lambda t: F.gelu(t, approximate="tanh"), ()),
]  # fmt: skip


@pytest.mark.parametrize("name, f, df, params, ref, kinks", CASES, ids=[c[0] for c in CASES])
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_value_and_derivative_match_torch(name, f, df, params, ref, kinks, data):
    x = data.draw(xs(avoid=kinks))
    value, grad = torch_value_and_grad(ref, x)
    np.testing.assert_allclose(f(x, **params), value, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(df(x, **params), grad, rtol=RTOL, atol=ATOL)
    assert f(x, **params).shape == x.shape and df(x, **params).dtype == np.float64


@pytest.mark.parametrize(
    "f, df, params, ref, kinks",
    [
        (A.relu, A.d_relu, {}, F.relu, [0.0]),
        (A.leaky_relu, A.d_leaky_relu, {"alpha": 0.1}, lambda t: F.leaky_relu(t, 0.1), [0.0]),
        (A.elu, A.d_elu, {"alpha": 2.0}, lambda t: F.elu(t, 2.0), [0.0]),
        (A.hard_tanh, A.d_hard_tanh, {}, F.hardtanh, [-1.0, 1.0]),
        (A.prelu, A.d_prelu, {"alpha": 0.25},
         lambda t: F.prelu(t, torch.tensor([0.25], dtype=torch.float64)), [0.0]),
    ],
)  # fmt: skip
def test_kink_convention_matches_torch(f, df, params, ref, kinks):
    _, grad = torch_value_and_grad(ref, np.array(kinks))
    np.testing.assert_array_equal(df(np.array(kinks), **params), grad)


def test_hard_sigmoid_corners_follow_torch_hardsigmoid():
    # hard_sigmoid(x) = F.hardsigmoid(1.5 x); torch's derivative is 0 at the corners.
    _, grad = torch_value_and_grad(lambda t: F.hardsigmoid(1.5 * t), np.array([-2.0, 2.0]))
    np.testing.assert_array_equal(grad, [0.0, 0.0])
    np.testing.assert_array_equal(A.d_hard_sigmoid([-2.0, 0.0, 2.0]), [0.0, 0.25, 0.0])


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_prelu_per_channel_matches_torch(data):
    n, c = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 4))
    element = st.floats(-10, 10).filter(lambda v: v != 0.0)
    x = data.draw(arrays(np.float64, (n, c), elements=element))
    alpha = data.draw(arrays(np.float64, (c,), elements=st.floats(-1, 1)))
    t = torch.tensor(x, requires_grad=True)
    w = torch.tensor(alpha, requires_grad=True)
    y = F.prelu(t, w)
    y.sum().backward()
    np.testing.assert_allclose(A.prelu(x, alpha), y.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(A.d_prelu(x, alpha), t.grad.numpy(), rtol=RTOL, atol=ATOL)
    dw = A.d_prelu_alpha(x, alpha).sum(axis=0)
    np.testing.assert_allclose(dw, w.grad.numpy(), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name, f, df, params, ref, kinks", CASES, ids=[c[0] for c in CASES])
def test_derivative_at_nan_is_torch_autograds(name, f, df, params, ref, kinks):
    _, grad = torch_value_and_grad(ref, np.array([np.nan]))
    ours = df(np.array([np.nan]), **params)
    np.testing.assert_array_equal(ours, grad)  # NaN equals NaN here


def test_derivative_at_nan_named_values():
    assert A.d_relu(np.nan) == 1.0 and A.d_elu(np.nan) == 1.0 and A.d_hard_tanh(np.nan) == 1.0
    assert A.d_leaky_relu(np.nan, alpha=0.1) == 0.1 and A.d_hard_sigmoid(np.nan) == 0.0
    assert np.isnan(A.d_sigmoid(np.nan)) and np.isnan(A.d_gelu_tanh(np.nan))


@pytest.mark.parametrize("name", sorted(A.ACTIVATIONS))
def test_derivative_at_infinity_is_its_limit(name):
    act = A.get_activation(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        at_inf = act.derivative(np.array([np.inf, -np.inf]))
    # beyond |x| = 1000 every derivative here equals its limit in float64
    np.testing.assert_array_equal(at_inf, act.derivative(np.array([1e3, -1e3])))


def test_swish_with_beta_zero_at_infinity_and_nan():
    np.testing.assert_array_equal(A.d_swish([np.inf, -np.inf, 1.0], beta=0.0), [0.5, 0.5, 0.5])
    assert np.isnan(A.d_swish(np.nan, beta=0.0))


@pytest.mark.parametrize(
    "ref", [F.silu, F.gelu, lambda t: F.gelu(t, approximate="tanh")], ids=["silu", "gelu", "tanh"]
)
def test_torch_gives_nan_at_infinity_where_we_give_the_limit(ref):
    _, grad = torch_value_and_grad(ref, np.array([np.inf, -np.inf]))
    assert np.all(np.isnan(grad))  # the documented difference: if torch changes, revisit it


def test_d_gelu_tanh_limits():
    np.testing.assert_array_equal(A.d_gelu_tanh([np.inf, -np.inf]), [1.0, 0.0])
    np.testing.assert_array_equal(A.d_gelu([np.inf, -np.inf]), [1.0, 0.0])


def test_prelu_channels_are_the_last_axis_and_3d_input_is_refused():
    x = np.arange(-12.0, 12.0).reshape(2, 3, 4)
    alpha = np.array([0.1, 0.2, 0.3])
    for fn in (A.prelu, A.d_prelu, A.d_prelu_alpha):
        with pytest.raises(ValueError, match=r"x must have shape \(n, C\) or \(C,\).*dim 1"):
            fn(x, alpha)
    # torch takes the channels from dim 1; ours from the last axis: equal for (n, C) input
    t = torch.tensor(x, requires_grad=True)
    w = torch.tensor(alpha)
    expected = F.prelu(t, w).detach().numpy()
    moved = A.prelu(np.moveaxis(x, 1, -1).reshape(-1, 3), alpha)
    np.testing.assert_array_equal(np.moveaxis(moved.reshape(2, 4, 3), -1, 1), expected)
    # a shared alpha works for any shape, as torch.nn.PReLU() with one parameter
    shared = F.prelu(t, torch.tensor([0.25], dtype=torch.float64)).detach().numpy()
    np.testing.assert_array_equal(A.prelu(x, 0.25), shared)
    np.testing.assert_array_equal(A.prelu(x, [0.25]), shared)


def test_large_inputs_are_finite_without_warnings():
    x = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in A.ACTIVATIONS:
            act = A.get_activation(name)
            assert np.all(np.isfinite(act(x))) and np.all(np.isfinite(act.derivative(x))), name
    np.testing.assert_allclose(A.sigmoid(x), [0, 4.248354255291589e-18, 0.5, 1, 1], atol=0)
    np.testing.assert_allclose(A.softplus([1000.0, -1000.0]), [1000.0, 0.0])
    np.testing.assert_allclose(A.gelu_tanh([1e5, -1e5]), [1e5, 0.0])
    np.testing.assert_allclose(A.d_gelu_tanh([1e5, -1e5]), [1.0, 0.0])


def test_d_sigmoid_keeps_relative_precision_in_the_tail():
    x = np.array([-40.0, 40.0])
    np.testing.assert_allclose(A.d_sigmoid(x), np.exp(-40.0) / (1 + np.exp(-40.0)) ** 2, rtol=1e-14)


@pytest.mark.parametrize("name", sorted(A.ACTIVATIONS))
def test_scalar_in_float_out_and_nan_propagates(name):
    act = A.get_activation(name)
    for fn in (act, act.derivative):
        assert isinstance(fn(0.5), np.float64) and fn(0.5) == fn(np.array([0.5]))[0]
        assert fn(np.empty((0, 3))).shape == (0, 3)
    assert np.isnan(act([np.nan, 1.0])[0])  # a diverged net gives NaN, not an exception


def test_registry_names_and_properties():
    assert set(A.ACTIVATIONS) == {
        "identity", "sigmoid", "tanh", "hard_sigmoid", "hard_tanh", "relu", "leaky_relu",
        "prelu", "elu", "softplus", "swish", "gelu", "gelu_tanh",
    }  # fmt: skip
    assert A.ACTIVATIONS["prelu"].params == {"alpha": 0.25}
    assert A.ACTIVATIONS["sigmoid"].saturates and not A.ACTIVATIONS["relu"].saturates
    assert A.ACTIVATIONS["tanh"].zero_centred and not A.ACTIVATIONS["sigmoid"].zero_centred
    for name, act in A.ACTIVATIONS.items():
        assert act.name == name and act.f.__name__ == name and act.df.__name__ == f"d_{name}"


@pytest.mark.parametrize("name", sorted(A.ACTIVATIONS))
def test_output_range_is_tight(name):
    act = A.get_activation(name)
    low, high = act.output_range
    y = act(np.linspace(-60, 60, 240_001))
    assert low - 1e-12 <= y.min() and y.max() <= high + 1e-12
    if np.isfinite(low):  # the bound is reached (or approached) on the grid
        assert y.min() <= low + 1e-6
    if np.isfinite(high):
        assert y.max() >= high - 1e-6


def test_activation_call_uses_default_and_overridden_params():
    leaky = A.get_activation("leaky_relu")
    np.testing.assert_allclose(leaky([-1.0, 2.0]), [-0.01, 2.0])
    np.testing.assert_allclose(leaky([-1.0, 2.0], alpha=0.2), [-0.2, 2.0])
    np.testing.assert_allclose(leaky.derivative([-1.0, 2.0], alpha=0.2), [0.2, 1.0])
    with pytest.raises(TypeError, match="leaky_relu takes parameters"):
        leaky([1.0], beta=2.0)


def test_unknown_activation_name():
    with pytest.raises(ValueError, match=r"activation 'sigmod'.*'relu'"):
        A.get_activation("sigmod")
    with pytest.raises(TypeError, match="activation must be a string"):
        A.get_activation(3)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: A.elu([1.0], alpha=-1.0), ValueError, "alpha must be a positive"),
        (lambda: A.leaky_relu([1.0], alpha="0.1"), TypeError, "alpha must be a number"),
        (lambda: A.swish([1.0], beta=np.inf), ValueError, "beta must be a finite"),
        (lambda: A.prelu(np.ones((2, 3)), [0.1, 0.2]), ValueError, "alpha must be a number or"),
        (lambda: A.sigmoid("x"), TypeError, "x must be an array"),
    ],
)
def test_bad_parameters(call, error, match):
    with pytest.raises(error, match=match):
        call()
