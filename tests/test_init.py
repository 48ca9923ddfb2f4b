"""Weight initialisers: seeded, reproducible, right scale, same formulas as torch.nn.init."""

import math

import numpy as np
import pytest
import torch

from nndl_book.maths import init as I

N_OUT, N_IN = 200, 400  # non-square, so fan_in and fan_out cannot be confused


# name, kwargs, theoretical std for shape (n_out, n_in)
STDS = {
    "normal": ({"std": 0.5}, lambda n_out, n_in: 0.5),
    "uniform": ({"low": -0.3, "high": 0.3}, lambda n_out, n_in: 0.6 / math.sqrt(12)),
    "xavier_normal": ({"gain": 2.0}, lambda n_out, n_in: 2.0 * math.sqrt(2 / (n_in + n_out))),
    "xavier_uniform": ({}, lambda n_out, n_in: math.sqrt(2 / (n_in + n_out))),
    "he_normal": ({}, lambda n_out, n_in: math.sqrt(2 / n_in)),
    "he_uniform": ({}, lambda n_out, n_in: math.sqrt(2 / n_in)),
    "lecun_normal": ({}, lambda n_out, n_in: math.sqrt(1 / n_in)),
}


@pytest.mark.parametrize("name", sorted(STDS))
def test_sample_std_matches_theory(name):
    kwargs, std = STDS[name]
    for shape in [(400, 400), (N_OUT, N_IN)]:
        w = I.initialise(name, shape, rng=0, **kwargs)
        assert w.shape == shape and w.dtype == np.float64
        assert w.std() == pytest.approx(std(*shape), rel=0.03)
        assert abs(w.mean()) < 0.03 * std(*shape)


@pytest.mark.parametrize("name", sorted(STDS))
def test_seeded_and_reproducible(name):
    kwargs, _ = STDS[name]
    fn = I.get_initialiser(name)
    a = fn((5, 3), 42, **kwargs)
    np.testing.assert_array_equal(a, fn((5, 3), np.random.default_rng(42), **kwargs))
    assert not np.array_equal(a, fn((5, 3), 43, **kwargs))
    rng = np.random.default_rng(0)  # a shared Generator advances
    assert not np.array_equal(fn((5, 3), rng, **kwargs), fn((5, 3), rng, **kwargs))


def torch_init(fn, **kwargs):
    w = torch.empty(N_OUT, N_IN, dtype=torch.float64)
    fn(w, generator=torch.Generator().manual_seed(0), **kwargs)
    return w.numpy()


@pytest.mark.parametrize(
    "name, kwargs, torch_fn, torch_kwargs",
    [
        ("xavier_normal", {"gain": 5 / 3}, torch.nn.init.xavier_normal_, {"gain": 5 / 3}),
        ("xavier_uniform", {}, torch.nn.init.xavier_uniform_, {}),
        ("he_normal", {}, torch.nn.init.kaiming_normal_, {"nonlinearity": "relu"}),
        ("he_uniform", {}, torch.nn.init.kaiming_uniform_, {"nonlinearity": "relu"}),
    ],
)
def test_same_distribution_as_torch(name, kwargs, torch_fn, torch_kwargs):
    ours = I.initialise(name, (N_OUT, N_IN), rng=1, **kwargs)
    theirs = torch_init(torch_fn, **torch_kwargs)
    assert ours.std() == pytest.approx(theirs.std(), rel=0.03)
    if "uniform" in name:  # same support
        assert np.abs(ours).max() == pytest.approx(np.abs(theirs).max(), rel=0.01)


def test_fans_follow_torch_linear_layout():
    w = torch.empty(N_OUT, N_IN)
    assert I.fan_in_and_fan_out((N_OUT, N_IN)) == (N_IN, N_OUT)
    assert I.fan_in_and_fan_out((N_OUT, N_IN)) == torch.nn.init._calculate_fan_in_and_fan_out(w)
    assert I.fan_in_and_fan_out((7,)) == I.fan_in_and_fan_out(7) == (7, 7)
    bound = math.sqrt(6 / 14)
    assert np.abs(I.xavier_uniform(7, rng=0)).max() <= bound


def test_deterministic_initialisers_need_no_rng():
    np.testing.assert_array_equal(I.initialise("zeros", (2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(I.initialise("constant", 3, value=0.1), [0.1, 0.1, 0.1])
    np.testing.assert_array_equal(I.constant([2, 2], -1), -np.ones((2, 2)))
    assert set(I.INITIALISERS) == {"zeros", "constant", *STDS}


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: I.initialise("he_normal", (3, 3)), TypeError, "rng must be"),
        (lambda: I.he_normal((3, 3), None), TypeError, "rng must be"),
        (lambda: I.initialise("glorot", 3, rng=0), ValueError, r"initialiser 'glorot'.*'zeros'"),
        (lambda: I.get_initialiser(None), TypeError, "initialiser must be a string"),
        (lambda: I.zeros((0, 3)), ValueError, r"shape\[0\] must be an integer >= 1"),
        (lambda: I.zeros((3, 2.5)), TypeError, r"shape\[1\] must be an integer"),
        (lambda: I.zeros("3x3"), TypeError, "shape must be a tuple"),
        (lambda: I.zeros((2, 3, 4)), ValueError, "shape must have 1 or 2 entries"),
        (lambda: I.normal((3, 3), 0, std=0.0), ValueError, "std must be a positive"),
        (lambda: I.uniform((3, 3), 0, low=1.0, high=1.0), ValueError, "low must be less than high"),
        (lambda: I.xavier_normal((3, 3), 0, gain=-1.0), ValueError, "gain must be a positive"),
        (lambda: I.constant((3, 3), np.inf), ValueError, "value must be a finite"),
    ],
)  # fmt: skip
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_initialize_is_a_deprecated_spelling_of_initialise():
    with pytest.warns(DeprecationWarning, match="call initialise"):
        w = I.initialize("xavier_normal", (3, 4), rng=2)
    np.testing.assert_array_equal(w, I.initialise("xavier_normal", (3, 4), rng=2))
