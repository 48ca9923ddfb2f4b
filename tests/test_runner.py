"""Tests of nndl_book.training: Runner, accuracy and the progress display."""

import math
import os

import numpy as np
import pytest
import torch
from torch import nn

from nndl_book import data
from nndl_book.maths.metrics import batched_accuracy
from nndl_book.training import ProgressBar, Runner, accuracy, build_mlp
from nndl_book.training.progress import PLAIN_TEXT


@pytest.fixture(scope="module")
def moons():
    X, y = data.make_moons(200, noise=0.1, rng=0)
    split = data.train_dev_test_split(X, y, rng=0)
    return data.to_tensors(*split.train), data.to_tensors(*split.dev)


def make_runner(lr=0.05, sizes=(2, 5, 1), activation="sigmoid", opt="adam", seed=0, **kw):
    net = build_mlp(list(sizes), activation, seed=seed)
    if opt == "adam":
        optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    else:
        optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    return Runner(net, nn.BCEWithLogitsLoss(), optimizer, **kw)


def states_equal(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


# --------------------------------------------------------------------------- training


def test_sigmoid_net_learns_two_moons(moons, capsys):
    train, dev = moons
    runner = make_runner()
    history = runner.fit(train, dev, epochs=300, progress=False)
    assert capsys.readouterr().out == ""
    assert history is runner.history and history.epochs == 300
    assert len(history.train_metric) == len(history.dev_metric) == 300
    assert history.dev_metric[-1] > 0.8
    assert history.best_epoch == int(np.argmin(history.dev_loss)) + 1
    loss, acc = runner.evaluate(dev)
    assert loss == pytest.approx(history.dev_loss[-1]) and acc == history.dev_metric[-1]
    assert runner.predict(dev[0]).shape == (len(dev[0]), 1)


def test_restore_best_gives_the_best_epochs_weights(moons):
    train, dev = moons
    snapshots = {}

    def keep(runner, epoch, step):  # full batch: one step per epoch
        snapshots[epoch] = {k: t.clone() for k, t in runner.model.state_dict().items()}

    runner = make_runner(lr=2.0, opt="sgd", hooks=[keep])
    history = runner.fit(train, dev, epochs=150, progress=False)
    best = history.best_epoch
    assert 1 < best < 150  # the dev loss rises after a while
    assert not states_equal(runner.model.state_dict(), snapshots[best])
    assert states_equal(runner.best_state, snapshots[best])
    assert runner.restore_best() == best
    assert states_equal(runner.model.state_dict(), snapshots[best])


def test_early_stopping_stops_patience_epochs_after_the_best(moons, capsys):
    train, dev = moons
    runner = make_runner(lr=2.0, opt="sgd")
    history = runner.fit(train, dev, epochs=500, early_stopping=10, progress=False)
    assert history.epochs == history.best_epoch + 10 < 500
    assert runner.stop_reason.startswith(f"early stopping at epoch {history.epochs}")
    assert capsys.readouterr().out == ""


def test_hooks_are_called_once_per_step(moons):
    train, _ = moons  # 120 samples, batches of 32: 4 steps per epoch
    calls = []
    runner = make_runner(hooks=[lambda r, epoch, step: calls.append((epoch, step, r.step_count))])
    runner.fit(train, epochs=3, batch_size=32, progress=False)
    expected = [(e, s) for e in (1, 2, 3) for s in (1, 2, 3, 4)]
    assert [(e, s) for e, s, _ in calls] == expected
    assert [c for _, _, c in calls] == list(range(1, 13))


def test_minibatch_training_with_dropout_is_reproducible_and_keeps_global_rng(moons):
    train, dev = moons
    histories = []
    for _ in range(2):
        net = build_mlp([2, 16, 1], "relu", dropout=0.3, seed=1)
        runner = Runner(net, nn.BCEWithLogitsLoss(), torch.optim.SGD(net.parameters(), lr=0.1))
        state = torch.get_rng_state()
        histories.append(runner.fit(train, dev, epochs=5, batch_size=16, seed=3, progress=False))
        assert torch.equal(torch.get_rng_state(), state)
    assert histories[0] == histories[1]


def test_bulk_scored_metric_equals_per_epoch_metric(moons):
    train, dev = moons
    a = make_runner().fit(train, dev, epochs=20, progress=False)
    b = make_runner(metric=lambda o, t: accuracy(o, t)).fit(train, dev, epochs=20, progress=False)
    assert a.train_metric == b.train_metric and a.dev_metric == b.dev_metric


def test_numpy_input_and_multiclass_labels():
    X, y = data.make_blobs(150, centers=3, rng=0)
    net = build_mlp([2, 8, 3], "relu")
    runner = Runner(net, nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=0.05))
    history = runner.fit((X, y), epochs=60, progress=False)
    assert history.train_metric[-1] > 0.95
    assert runner.predict(X).shape == (150, 3)


def test_numpy_binary_labels_work_with_bce():
    X, y = data.make_xor(80, noise=0.1, rng=0)
    runner = make_runner(lr=0.1, sizes=(2, 8, 1), activation="tanh")
    history = runner.fit((X, y), epochs=150, progress=False)
    assert history.train_metric[-1] == 1.0


def test_no_metric():
    X, y = data.make_moons(40, rng=0)
    runner = make_runner(metric=None)
    history = runner.fit((X, y), (X, y), epochs=3, progress=False)
    assert history.train_metric == [] and history.dev_metric == []
    assert runner.evaluate((X, y))[1] is None


# ------------------------------------------------------------------------- divergence


def test_nan_loss_stops_without_raising(moons, capsys):
    train, _ = moons
    calls = {"n": 0}
    bce = nn.BCEWithLogitsLoss()

    def poisoned(out, y):  # the 10th call (epoch 3, step 2 with 4 steps per epoch) is NaN
        calls["n"] += 1
        return bce(out, y) * (math.nan if calls["n"] == 10 else 1.0)

    net = build_mlp([2, 5, 1], "sigmoid")
    runner = Runner(net, poisoned, torch.optim.SGD(net.parameters(), lr=0.1))
    history = runner.fit(train, epochs=20, batch_size=32)
    out = capsys.readouterr().out
    assert "stopped: loss became nan at epoch 3 (step 2); try a smaller learning rate" in out
    assert "Traceback" not in out
    assert history.diverged_at == 3 and history.diverged and history.epochs == 2
    assert runner.step_count == 9
    assert all(torch.isfinite(p).all() for p in net.parameters())


def test_real_divergence_with_a_huge_learning_rate(capsys):
    X = np.linspace(-10, 10, 50)[:, None]
    net = nn.Linear(1, 1)
    runner = Runner(net, nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=10.0), metric=None)
    history = runner.fit((X, 3 * X[:, 0]), epochs=200, progress=False)
    assert history.diverged_at is not None and history.epochs < 200
    assert runner.stop_reason.startswith("stopped: loss became inf")
    assert capsys.readouterr().out == ""


# -------------------------------------------------------------------------- checkpoints


def test_save_load_round_trip(moons, tmp_path):
    train, dev = moons
    runner = make_runner()
    runner.fit(train, dev, epochs=10, progress=False)
    path = tmp_path / "moons.pt"
    runner.save(path)
    assert os.listdir(tmp_path) == ["moons.pt"]

    other = make_runner(seed=7)
    other.load(path)
    assert states_equal(other.model.state_dict(), runner.model.state_dict())
    assert other.history == runner.history
    # the optimizer state came along: continuing gives the same numbers
    h1 = runner.fit(train, dev, epochs=5, progress=False)
    h2 = other.fit(train, dev, epochs=5, progress=False)
    assert h1.train_loss == h2.train_loss


@pytest.mark.parametrize(
    ("sizes", "activation", "names"),
    [((2, 8, 1), "sigmoid", "0.weight"), ((2, 5, 1), "relu", "layers")],
)
def test_load_into_another_architecture_raises(moons, tmp_path, sizes, activation, names):
    path = tmp_path / "ckpt.pt"
    make_runner().save(path)
    other = make_runner(sizes=sizes, activation=activation)
    with pytest.raises(ValueError, match="another architecture") as err:
        other.load(path)
    assert str(path) in str(err.value) and names in str(err.value)


def test_save_is_atomic(moons, tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pt"
    runner = make_runner()
    runner.save(path)
    before = path.read_bytes()

    def broken_save(obj, f):
        f.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken_save)
    runner.fit(moons[0], epochs=2, progress=False)
    with pytest.raises(OSError, match="disk full"):
        runner.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["ckpt.pt"]


def test_load_rejects_a_file_that_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "junk.pt"
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="junk.pt"):
        make_runner().load(path)
    torch.save({"weights": torch.zeros(2)}, path)
    with pytest.raises(ValueError, match="not a Runner checkpoint"):
        make_runner().load(path)


# ---------------------------------------------------------------------------- progress


def test_text_progress_prints_a_line_per_tenth(moons, capsys):
    train, dev = moons
    make_runner().fit(train, dev, epochs=20)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("epoch  2/20  loss ")
    assert "dev accuracy" in lines[-1] and lines[-1].startswith("epoch 20/20")


def test_progress_bar_text_mode(capsys):
    bar = ProgressBar(5, "step", mode="text")
    for i in range(1, 6):
        bar.update(i, f"x={i}")
    bar.close("done")
    assert capsys.readouterr().out.splitlines() == [
        "step 1/5  x=1", "step 2/5  x=2", "step 3/5  x=3", "step 4/5  x=4", "step 5/5  x=5",
        "done",
    ]  # fmt: skip


def test_progress_bar_widget_has_a_fixed_plain_text(capsys):
    bar = ProgressBar(200, mode="widget")
    assert repr(bar._box) == PLAIN_TEXT
    assert capsys.readouterr().out.strip() == PLAIN_TEXT  # display() outside a kernel
    bar.update(3, "loss 0.5")
    assert bar._bar.value == 3 and bar._label.value == "epoch   3/200  loss 0.5"
    bar.close("stopped", failed=True)
    assert bar._bar.bar_style == "danger" and bar._label.value == "stopped"
    assert ProgressBar(3).mode == "text"  # not in a Jupyter kernel


# ----------------------------------------------------------------------------- metrics


def test_accuracy_binary_and_multiclass():
    logits = torch.tensor([2.0, -1.0, 0.5, -0.2])
    target = torch.tensor([1.0, 0.0, 0.0, 1.0])
    assert accuracy(logits, target) == 0.5
    assert accuracy(logits[:, None], target.long()) == 0.5
    assert accuracy(logits.numpy(), target.numpy(), threshold=0.4) == 0.5
    scores = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 3.0], [1.0, 2.0, 0.0]])
    assert accuracy(scores, np.array([0, 2, 0])) == pytest.approx(2 / 3)
    stacked = torch.stack([logits, -logits, torch.ones(4)])
    np.testing.assert_allclose(
        batched_accuracy(stacked, target), [accuracy(row, target) for row in stacked]
    )


# --------------------------------------------------------------------------- bad input


def test_accuracy_bad_input():
    with pytest.raises(ValueError, match="output"):
        accuracy(torch.zeros(3), torch.zeros(4))
    with pytest.raises(ValueError, match="output"):
        accuracy(torch.zeros(3, 2, 2), torch.zeros(3))
    with pytest.raises(TypeError, match="target"):
        accuracy(torch.zeros(3), "abc")


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"train": (np.zeros((4, 2)),)}, TypeError, "train"),
        ({"train": (np.zeros((4, 2)), np.zeros(3))}, ValueError, "train"),
        ({"train": (np.full((4, 2), np.nan), np.zeros(4))}, ValueError, "train X"),
        ({"train": (torch.full((4, 2), math.inf), torch.zeros(4))}, ValueError, "train X"),
        ({"dev": [np.zeros((4, 2))]}, TypeError, "dev"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 2.0}, TypeError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"early_stopping": 0}, ValueError, "early_stopping"),
        ({"seed": None}, TypeError, "seed"),
        ({"progress": "yes"}, TypeError, "progress"),
    ],
)
def test_fit_bad_input(kwargs, error, name):
    args = {"train": (np.zeros((4, 2)), np.zeros(4)), "epochs": 1, "progress": False, **kwargs}
    with pytest.raises(error, match=name):
        make_runner().fit(**args)


def test_runner_constructor_bad_input():
    net = build_mlp([2, 1])
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    loss = nn.MSELoss()
    with pytest.raises(TypeError, match="model"):
        Runner(lambda x: x, loss, opt)
    with pytest.raises(TypeError, match="optimizer"):
        Runner(net, loss, "sgd")
    with pytest.raises(TypeError, match="loss_fn"):
        Runner(net, None, opt)
    with pytest.raises(TypeError, match="hooks"):
        Runner(net, loss, opt, hooks=[1])
    with pytest.raises(RuntimeError, match="fit"):
        Runner(net, loss, opt).restore_best()
