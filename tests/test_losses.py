"""Losses, softmax and their gradients against torch (float64)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nndl_book.maths import losses as L

RTOL, ATOL = 1e-8, 1e-12
SETTINGS = settings(max_examples=50, deadline=None)
REDUCTIONS = st.sampled_from(["mean", "sum"])


def floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False)


@st.composite
def logits_and_labels(draw, lo=-20.0, hi=20.0):
    n, k = draw(st.integers(1, 6)), draw(st.integers(2, 5))
    z = draw(arrays(np.float64, (n, k), elements=floats(lo, hi)))
    y = draw(arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    return z, y


def torch_loss_and_grad(loss, pred, target):
    """``loss(pred, target)`` and its gradient wrt ``pred`` by autograd."""
    t = torch.tensor(pred, dtype=torch.float64, requires_grad=True)
    value = loss(t, torch.as_tensor(target))
    value.backward()
    return value.item(), t.grad.numpy()


def check(ours, d_ours, theirs, pred, target, reduction):
    value, grad = torch_loss_and_grad(theirs, pred, target)
    np.testing.assert_allclose(ours(pred, target, reduction=reduction), value, RTOL, ATOL)
    np.testing.assert_allclose(d_ours(pred, target, reduction=reduction), grad, RTOL, ATOL)
    assert isinstance(ours(pred, target, reduction=reduction), float)


@st.composite
def pairs(draw, pred=(-10, 10), target=(-10, 10)):
    """(prediction, target) arrays of one random shape, entries in the given bounds."""
    shape = draw(array_shapes(min_dims=1, max_dims=2, max_side=6))
    p = draw(arrays(np.float64, shape, elements=floats(*pred)))
    return p, draw(arrays(np.float64, shape, elements=floats(*target)))


@SETTINGS
@given(reduction=REDUCTIONS, pair=pairs())
def test_mse_matches_torch(pair, reduction):
    check(L.mse, L.d_mse, lambda a, b: F.mse_loss(a, b, reduction=reduction), *pair, reduction)


@SETTINGS
@given(reduction=REDUCTIONS, pair=pairs().filter(lambda p: np.all(p[0] != p[1])))
def test_mae_matches_torch(pair, reduction):
    check(L.mae, L.d_mae, lambda a, b: F.l1_loss(a, b, reduction=reduction), *pair, reduction)


def test_mae_kink_gradient_is_zero_like_torch():
    _, grad = torch_loss_and_grad(F.l1_loss, np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    np.testing.assert_array_equal(L.d_mae([1.0, 2.0], [1.0, 0.0]), grad)
    assert grad[0] == 0.0


@SETTINGS
@given(reduction=REDUCTIONS, pair=pairs(pred=(1e-6, 1 - 1e-6), target=(0, 1)))
def test_binary_cross_entropy_matches_torch(pair, reduction):
    torch_bce = lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction)  # noqa: E731
    check(L.binary_cross_entropy, L.d_binary_cross_entropy, torch_bce, *pair, reduction)


def test_binary_cross_entropy_log_clamp_at_0_and_1_like_torch():
    p, y = np.array([0.0, 1.0, 0.0, 1.0, 0.5]), np.array([0.0, 0.0, 1.0, 1.0, 1.0])
    check(L.binary_cross_entropy, L.d_binary_cross_entropy, F.binary_cross_entropy, p, y, "mean")
    assert L.binary_cross_entropy([0.0], [1.0]) == 100.0


@SETTINGS
@given(reduction=REDUCTIONS, pair=pairs(pred=(-50, 50), target=(0, 1)))
def test_bce_with_logits_matches_torch(pair, reduction):
    torch_bce = lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=reduction)  # noqa: E731
    check(
        L.binary_cross_entropy_with_logits,
        L.d_binary_cross_entropy_with_logits,
        torch_bce,
        *pair,
        reduction,
    )


def test_bce_with_logits_is_stable_for_huge_logits():
    z, y = np.array([1e4, -1e4, 1e4, -1e4]), np.array([1.0, 0.0, 0.0, 1.0])
    check(
        L.binary_cross_entropy_with_logits,
        L.d_binary_cross_entropy_with_logits,
        F.binary_cross_entropy_with_logits,
        z,
        y,
        "mean",
    )
    assert L.binary_cross_entropy_with_logits(z, y, reduction="sum") == 2e4


@SETTINGS
@given(
    z=arrays(np.float64, array_shapes(max_dims=3, max_side=5), elements=floats(-50, 50)),
    temperature=floats(0.1, 10),
    c=floats(-100, 100),
    data=st.data(),
)
def test_softmax_matches_torch_and_is_shift_invariant(z, temperature, c, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    expected = torch.softmax(torch.tensor(z) / temperature, dim=axis).numpy()
    a = L.softmax(z, axis=axis, temperature=temperature)
    np.testing.assert_allclose(a, expected, RTOL, ATOL)
    np.testing.assert_allclose(L.softmax(z + c, axis=axis, temperature=temperature), a, 1e-6, 1e-12)
    np.testing.assert_allclose(a.sum(axis=axis), 1.0, rtol=1e-12)
    expected_log = torch.log_softmax(torch.tensor(z), dim=axis).numpy()
    np.testing.assert_allclose(L.log_softmax(z, axis=axis), expected_log, RTOL, ATOL)


def test_softmax_is_stable_for_logits_of_1000():
    z = np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, 1000.0]])
    np.testing.assert_allclose(L.softmax(z), [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]], atol=1e-300)
    np.testing.assert_allclose(L.log_softmax(z)[0], [0.0, -2000.0, -1000.0])
    np.testing.assert_allclose(L.softmax([1.0, 2.0], temperature=1e-3), [0.0, 1.0])


@SETTINGS
@given(z=arrays(np.float64, st.integers(1, 6), elements=floats(-10, 10)))
def test_softmax_jacobian_matches_torch(z):
    expected = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, 0), torch.tensor(z))
    np.testing.assert_allclose(L.softmax_jacobian(L.softmax(z)), expected.numpy(), RTOL, ATOL)


@SETTINGS
@given(reduction=REDUCTIONS, zy=logits_and_labels())
def test_cross_entropy_with_labels_matches_torch(zy, reduction):
    ce = lambda a, b: F.cross_entropy(a, b, reduction=reduction)  # noqa: E731
    check(L.cross_entropy, L.d_cross_entropy, ce, *zy, reduction)


@SETTINGS
@given(zy=logits_and_labels(), data=st.data())
def test_cross_entropy_with_probabilities_matches_torch(zy, data):
    z, _ = zy
    target = L.softmax(data.draw(arrays(np.float64, z.shape, elements=floats(-5, 5))))
    check(L.cross_entropy, L.d_cross_entropy, F.cross_entropy, z, target, "mean")
    # with a one-hot target the gradient is (softmax - onehot) / n
    y = np.arange(z.shape[0]) % z.shape[1]
    expected = (L.softmax(z) - L.one_hot(y, z.shape[1])) / z.shape[0]
    np.testing.assert_allclose(L.d_cross_entropy(z, L.one_hot(y, z.shape[1])), expected)
    np.testing.assert_allclose(L.d_cross_entropy(z, y), expected)


def test_cross_entropy_is_stable_for_logits_of_1000():
    z, y = np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [0.0, 0.0]]), np.array([1, 1, 0])
    check(L.cross_entropy, L.d_cross_entropy, F.cross_entropy, z, y, "mean")
    np.testing.assert_allclose(L.cross_entropy(z, y, reduction="sum"), 2000.0 + np.log(2.0))


@SETTINGS
@given(reduction=REDUCTIONS, zy=logits_and_labels())
def test_nll_loss_matches_torch(zy, reduction):
    z, y = zy
    log_probs = L.log_softmax(z)
    nll = lambda a, b: F.nll_loss(a, b, reduction=reduction)  # noqa: E731
    value, _ = torch_loss_and_grad(nll, log_probs, y)
    np.testing.assert_allclose(L.nll_loss(log_probs, y, reduction), value, RTOL, ATOL)
    assert np.isclose(L.nll_loss(log_probs, y, reduction), L.cross_entropy(z, y, reduction))


def test_bce_gradient_floor_is_torchs_float32_epsilon():
    assert L.BCE_EPS == float(np.float32(1e-12)) != 1e-12
    # p(1 - p) below the floor, at and near the ends of [0, 1]
    p = np.array([0.0, 1e-13, 5e-13, 1.0 - 1e-16, 1.0, 0.5])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    _, grad = torch_loss_and_grad(lambda a, b: F.binary_cross_entropy(a, b, reduction="sum"), p, y)
    np.testing.assert_array_equal(L.d_binary_cross_entropy(p, y, reduction="sum"), grad)
    with_1e12 = (p - y) / np.maximum(p * (1.0 - p), 1e-12)
    assert not np.array_equal(with_1e12, grad)  # the float64 1e-12 would not match torch


def test_one_hot_matches_torch():
    y = np.array([2, 0, 1, 2])
    expected = F.one_hot(torch.tensor(y), num_classes=4).double().numpy()
    np.testing.assert_array_equal(L.one_hot(y, 4), expected)
    np.testing.assert_array_equal(L.one_hot([1.0, 0.0], 2), [[0, 1], [1, 0]])


def test_registry():
    assert set(L.LOSSES) == {
        "mse", "mae", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
    }  # fmt: skip
    assert L.get_loss("cross_entropy") == (L.cross_entropy, L.d_cross_entropy)
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'.*'mse'"):
        L.get_loss("hinge")


Z = np.zeros((2, 3))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: L.mse(np.zeros(3), np.zeros(4)), ValueError, "y must have the same shape as"),
        (lambda: L.mse([1.0], [1.0], reduction="avg"), ValueError, "unknown reduction 'avg'"),
        (lambda: L.cross_entropy(Z, [0, 3]), ValueError, r"target must be in \[0, 3\)"),
        (lambda: L.cross_entropy(Z, [0, 1, 1]), ValueError, "target must have one label per row"),
        (lambda: L.cross_entropy(Z, [0.5, 1.0]), ValueError, "target must be integer class labels"),
        (lambda: L.cross_entropy(Z, [True, False]), TypeError, "target must be integer class"),
        (lambda: L.cross_entropy(Z, np.ones((2, 3))), ValueError, "target rows must sum to 1"),
        (lambda: L.cross_entropy(np.zeros(3), [0]), ValueError, "logits must have 2 dim"),
        (lambda: L.cross_entropy([[np.nan, 0.0]], [0]), ValueError, "logits must contain only"),
        (lambda: L.nll_loss(Z, [-1, 0]), ValueError, r"labels must be in \[0, 3\)"),
        (lambda: L.binary_cross_entropy([1.5], [1.0]), ValueError, r"p must contain probabilities"),
        (lambda: L.binary_cross_entropy_with_logits([0.0], [2.0]), ValueError, "y must contain"),
        (lambda: L.softmax([1.0, 2.0], temperature=0.0), ValueError, "temperature must be"),
        (lambda: L.softmax([1.0, 2.0], axis=1), ValueError, r"axis must be in \[-1, 1\)"),
        (lambda: L.softmax_jacobian([0.5, 0.2]), ValueError, "a must sum to 1"),
        (lambda: L.one_hot([0, 1], 0), ValueError, "n_classes must be an integer >= 1"),
    ],
)  # fmt: skip
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
