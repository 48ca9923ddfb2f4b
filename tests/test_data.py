"""Tests of nndl_book.data: toy data sets, the split, standardisation, tensors, the digits."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from nndl_book import data

GENERATORS = {
    "moons": lambda rng, n=101: data.make_moons(n, noise=0.1, rng=rng),
    "xor": lambda rng, n=101: data.make_xor(n, noise=0.1, rng=rng),
    "blobs": lambda rng, n=101: data.make_blobs(n, rng=rng),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_are_seeded_and_shaped(name):
    make = GENERATORS[name]
    X, y = make(3)
    X2, y2 = make(np.random.default_rng(3))
    X3, _ = make(4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, X3)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1  # balanced
    assert set(np.unique(y)) == {0, 1}


def test_generators_shuffle_the_rows():
    _, y = data.make_moons(200, rng=0)
    assert 0 < np.sum(y[:100]) < 100


def test_moons_without_noise_lie_on_the_two_half_circles():
    X, y = data.make_moons(50, noise=0.0, rng=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_xor_default_is_the_four_points():
    X, y = data.make_xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


def test_xor_clouds_keep_the_xor_labels():
    X, y = data.make_xor(40, noise=0.0, rng=1)
    corners = X.astype(int)
    np.testing.assert_array_equal(y, corners[:, 0] ^ corners[:, 1])
    assert len(np.unique(X, axis=0)) == 4


@pytest.mark.parametrize("k", [2, 3, 5])
def test_blobs_are_separable_by_default(k):
    X, y = data.make_blobs(500, centers=k, rng=0)
    centres = np.array([X[y == c].mean(axis=0) for c in range(k)])
    nearest = np.argmin(((X[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
    np.testing.assert_array_equal(nearest, y)


def test_blobs_with_explicit_centres():
    X, y = data.make_blobs(30, centers=[[0, 0, 0], [10, 10, 10], [-10, 0, 10]], std=0.0, rng=0)
    assert X.shape == (30, 3)
    np.testing.assert_array_equal(X[y == 1], np.full((10, 3), 10.0))


def test_split_partitions_the_data():
    X = np.arange(100.0).reshape(50, 2)
    y = np.arange(50)
    split = data.train_dev_test_split(X, y, rng=0)
    assert [len(part[0]) for part in split] == [30, 10, 10]
    ids = np.concatenate([part[1] for part in split])
    np.testing.assert_array_equal(np.sort(ids), y)
    for Xp, yp in split:
        np.testing.assert_array_equal(Xp[:, 0], 2 * yp)  # rows stay paired
    assert not np.array_equal(ids, y)  # shuffled
    train, dev, test = data.train_dev_test_split(X, y, rng=0)
    np.testing.assert_array_equal(train[0], split.train[0])
    other = data.train_dev_test_split(X, y, rng=1)
    assert not np.array_equal(other.train[1], split.train[1])


def test_split_with_other_fractions_keeps_label_dtype():
    X, y = data.make_moons(200, rng=0)
    split = data.train_dev_test_split(X, y, fractions=(0.8, 0.1, 0.1), rng=0)
    assert [len(p[1]) for p in split] == [160, 20, 20]
    assert split.dev[1].dtype == np.int64


def test_to_tensors_label_conventions():
    X, y = data.make_moons(20, rng=0)
    Xt, yt = data.to_tensors(X, y)
    assert Xt.dtype == torch.float32 and Xt.shape == (20, 2)
    assert yt.dtype == torch.float32 and yt.shape == (20,)
    np.testing.assert_array_equal(yt.numpy(), y)
    _, y3 = data.to_tensors(*data.make_blobs(30, centers=3, rng=0))
    assert y3.dtype == torch.int64
    X64 = data.to_tensors(X, dtype=torch.float64)
    assert isinstance(X64, torch.Tensor) and X64.dtype == torch.float64


def test_data_module_imports_neither_torch_nor_sklearn():
    code = "import sys, nndl_book.data; print('torch' in sys.modules, 'sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_every_public_name_is_exported():
    for name in ["make_moons", "make_xor", "make_blobs", "train_dev_test_split", "Split",
                 "to_tensors", "Standardiser", "load_digits", "load_mnist", "read_idx"]:
        assert name in data.__all__ and callable(getattr(data, name))


def test_load_digits():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16
    np.testing.assert_array_equal(X, np.round(X))  # counts of black pixels in a 4x4 block
    assert set(np.unique(y)) == set(range(10))
    assert np.bincount(y).min() >= 170  # about 180 of each digit


def test_standardiser_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    train = rng.normal(3.0, 2.0, size=(500, 3))
    train[:, 2] = 7.0  # a constant feature
    dev = rng.normal(-1.0, 5.0, size=(50, 3))
    s = data.Standardiser().fit(train)
    z = s.transform(train)
    np.testing.assert_allclose(z[:, :2].mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(z[:, :2].std(axis=0), 1.0)
    np.testing.assert_array_equal(z[:, 2], 0.0)  # centred, not divided by zero
    np.testing.assert_allclose(s.transform(dev), (dev - train.mean(0)) / s.scale)
    assert s.scale[2] == 1.0
    np.testing.assert_array_equal(data.Standardiser().fit_transform(train), z)


def test_standardiser_bad_input():
    with pytest.raises(ValueError, match="not fitted"):
        data.Standardiser().transform(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="X must have 3 features"):
        data.Standardiser().fit(np.ones((4, 3))).transform(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="X must have 2 dimension"):
        data.Standardiser().fit(np.zeros(4))
    with pytest.raises(ValueError, match="eps"):
        data.Standardiser(eps=-1.0)


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: data.make_moons(100, noise=-0.1), ValueError, "noise"),
        (lambda: data.make_moons(0), ValueError, "n_samples"),
        (lambda: data.make_blobs(2.5), TypeError, "n_samples"),
        (lambda: data.make_xor(10, rng=None), TypeError, "rng"),
        (lambda: data.make_blobs(10, std=-1.0), ValueError, "std"),
        (lambda: data.make_blobs(2, centers=3), ValueError, "n_samples"),
    ],
)
def test_generator_bad_input(call, error, name):
    with pytest.raises(error, match=name):
        call()


X10 = np.zeros((10, 2))
Y10 = np.zeros(10, dtype=int)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"y": np.zeros(9)}, ValueError, "X and y"),
        ({"X": np.full((10, 2), np.nan)}, ValueError, "X"),
        ({"X": np.zeros((0, 2)), "y": np.zeros(0)}, ValueError, "X"),
        ({"fractions": (0.5, 0.2, 0.2)}, ValueError, "fractions"),
        ({"fractions": (1.2, -0.1, -0.1)}, ValueError, "fractions"),
        ({"fractions": (0.5, 0.5)}, ValueError, "fractions"),
        ({"X": np.zeros((2, 2)), "y": np.zeros(2)}, ValueError, "X"),
        ({"y": np.zeros((10, 2))}, ValueError, "y"),
    ],
)
def test_split_bad_input(kwargs, error, name):
    args = {"X": X10, "y": Y10, **kwargs}
    with pytest.raises(error, match=name):
        data.train_dev_test_split(**args)


def test_to_tensors_bad_input():
    with pytest.raises(ValueError, match="X must contain only finite"):
        data.to_tensors(np.array([[np.nan, 1.0]]), np.array([1]))
    with pytest.raises(ValueError, match="X and y"):
        data.to_tensors(X10, np.zeros(3))
    with pytest.raises(TypeError, match="dtype"):
        data.to_tensors(X10, Y10, dtype=torch.int64)


def test_target_tensor_is_the_one_label_convention() -> None:
    """0/1 labels are floats for BCE, other labels int64 classes, real targets floats; the Runner
    and to_tensors give the same tensors."""
    from nndl_book.data import target_tensor, to_tensors
    from nndl_book.training import Runner

    cases = [(np.array([0, 1, 1]), torch.float64), (np.array([True, False]), torch.float64),
             (np.array([0, 2, 1]), torch.int64), (np.array([0.5, -1.0]), torch.float64)]
    runner = Runner(torch.nn.Linear(1, 1).double(), torch.nn.MSELoss(),
                    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1))
    for y, want in cases:
        got = target_tensor("y", y, torch.float64)
        assert got.dtype == want and torch.equal(got, torch.as_tensor(y).to(want))
        assert torch.equal(runner._targets("y", y), got)
        assert torch.equal(to_tensors(np.zeros((len(y), 1)), y, torch.float64)[1], got)
    with pytest.raises(ValueError, match="y must contain only finite"):
        target_tensor("y", np.array([0.5, np.nan]), torch.float64)
