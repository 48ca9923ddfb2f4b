"""Runner checkpoints: a failed load leaves the Runner exactly as it was, corruption is caught."""

import copy
import pickle
import struct
import zipfile
from pathlib import Path

import pytest
import torch
from torch import nn

from nndl_book import data
from nndl_book.training import Runner, build_mlp
from nndl_book.training import checkpoint as ckpt


@pytest.fixture(scope="module")
def moons():
    X, y = data.make_moons(120, noise=0.1, rng=0)
    return data.to_tensors(X, y)


def runner_with(opt="adam", sizes=(2, 5, 1), seed=0, groups=1):
    net = build_mlp(list(sizes), "sigmoid", seed=seed)
    params = list(net.parameters())
    param_groups = (
        [{"params": params}]
        if groups == 1
        else [{"params": params[::2]}, {"params": params[1::2], "lr": 0.01}]
    )
    if opt == "adam":
        optimizer = torch.optim.Adam(param_groups, lr=0.05)
    else:
        optimizer = torch.optim.SGD(param_groups, lr=0.05, momentum=0.9)
    return Runner(net, nn.BCEWithLogitsLoss(), optimizer)


def trained(moons, **kw):
    runner = runner_with(**kw)
    runner.fit(moons, epochs=5, batch_size=40, progress=False)
    return runner


def snapshot(runner):
    """Everything a load could change, deep-copied."""
    return {
        "model": {k: t.clone() for k, t in runner.model.state_dict().items()},
        "optimizer": copy.deepcopy(runner.optimizer.state_dict()),
        "history": copy.deepcopy(runner.history),
        "best": None if runner._best is None else {k: t.clone() for k, t in runner._best.items()},
        "stop_reason": runner.stop_reason,
        "step_count": runner.step_count,
    }


def same(a, b):
    """Deep equality of nested dicts/lists of tensors and plain values."""
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.dtype == b.dtype and torch.equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    return a == b


def assert_refused(runner, path, *fragments):
    before = snapshot(runner)
    with pytest.raises(ValueError) as err:
        runner.load(path)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    assert same(snapshot(runner), before), "a failed load changed the Runner"
    return message


def test_round_trip_keeps_weights_optimizer_history(moons, tmp_path):
    runner = trained(moons, opt="sgd")
    path = tmp_path / "a.pt"
    runner.save(path)
    other = runner_with(opt="sgd", seed=9)
    other.load(path)
    assert same(other.model.state_dict(), runner.model.state_dict())
    assert same(other.optimizer.state_dict(), runner.optimizer.state_dict())
    assert other.history == runner.history


def test_save_best_or_current_weights_is_explicit(moons, tmp_path):
    runner = runner_with()
    X, y = moons
    flipped = (X, 1.0 - y)  # a dev set whose loss rises as training succeeds: best epoch 1
    runner.fit(moons, flipped, epochs=30, progress=False)
    assert runner.history.best_epoch == 1
    best = runner.best_state
    current = {k: t.clone() for k, t in runner.model.state_dict().items()}
    assert not same(best, current)
    runner.save(tmp_path / "best.pt", weights="best")
    runner.save(tmp_path / "current.pt")
    assert same(runner.model.state_dict(), current)  # saving the best leaves the model alone
    for name, expected in (("best.pt", best), ("current.pt", current)):
        other = runner_with(seed=3)
        other.load(tmp_path / name)
        assert same(other.model.state_dict(), expected), name
    with pytest.raises(RuntimeError, match="no best weights"):
        runner_with().save(tmp_path / "x.pt", weights="best")
    with pytest.raises(ValueError, match="weights"):
        runner.save(tmp_path / "x.pt", weights="last")


def test_sgd_momentum_checkpoint_into_an_adam_runner(moons, tmp_path):
    path = tmp_path / "sgd.pt"
    trained(moons, opt="sgd").save(path)
    message = assert_refused(trained(moons, opt="adam"), path, str(path))
    assert message == (
        f"optimizer state in {path} does not fit this optimizer: expected Adam with 1 "
        "parameter group(s) of [4] parameters, found SGD with 1 parameter group(s) of [4] "
        "parameters"
    )


def test_checkpoint_with_another_number_of_parameter_groups(moons, tmp_path):
    path = tmp_path / "one_group.pt"
    trained(moons).save(path)
    assert_refused(
        trained(moons, groups=2), path, str(path),
        "expected Adam with 2 parameter group(s) of [2, 2] parameters, "
        "found Adam with 1 parameter group(s) of [4] parameters",
    )  # fmt: skip


def test_checkpoint_of_another_architecture(moons, tmp_path):
    path = tmp_path / "small.pt"
    trained(moons).save(path)
    assert_refused(
        trained(moons, sizes=(2, 8, 1)), path,
        f"checkpoint {path} belongs to another architecture",
        "0.weight has shape (5, 2) in checkpoint but (8, 2) in model",
    )  # fmt: skip


def tensor_record_offset(path):
    """Offset in the file of the first byte of the first tensor record's data."""
    with zipfile.ZipFile(path) as archive:
        info = next(i for i in archive.infolist() if "/data/" in i.filename)
    start = info.header_offset  # the local file header: 30 bytes, then name and extra field
    name_len, extra_len = struct.unpack("<HH", Path(path).read_bytes()[start + 26 : start + 30])
    return start + 30 + name_len + extra_len


def test_one_flipped_byte_in_a_tensor_is_caught(moons, tmp_path):
    path = tmp_path / "flip.pt"
    trained(moons).save(path)
    raw = bytearray(path.read_bytes())
    raw[tensor_record_offset(path)] ^= 0x01
    path.write_bytes(bytes(raw))
    # torch itself does not notice: the flipped tensor loads with a changed value
    loaded = torch.load(path, weights_only=True)
    assert ckpt.digest(loaded) != loaded["digest"]
    assert_refused(trained(moons), path, f"checkpoint {path} is corrupted", "nothing was loaded")


def test_truncated_empty_and_foreign_files(moons, tmp_path):
    good = tmp_path / "good.pt"
    trained(moons).save(good)
    runner = trained(moons, seed=4)
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert_refused(runner, truncated, f"{truncated} is not a readable Runner checkpoint")
    empty = tmp_path / "empty.pt"
    empty.write_bytes(b"")
    assert_refused(runner, empty, f"{empty} is not a readable Runner checkpoint")
    text = tmp_path / "notes.txt"
    text.write_text("not a checkpoint\n")
    assert_refused(runner, text, f"{text} is not a readable Runner checkpoint")
    weights = tmp_path / "weights.pt"
    torch.save({"weights": torch.zeros(2)}, weights)
    assert_refused(runner, weights, f"{weights} is not a Runner checkpoint (expected keys")


class _Payload:
    """Unpickling this runs code: it would create the file ``marker``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_pickled_code_is_refused_and_not_run(moons, tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.pt"
    with path.open("wb") as f:
        pickle.dump({"model": _Payload(marker)}, f, protocol=2)
    message = assert_refused(
        trained(moons), path, f"{path} is not a readable Runner checkpoint", "Weights only load"
    )
    assert not marker.exists(), message
    torch.save({"model": _Payload(marker)}, path)
    assert_refused(trained(moons), path, f"{path} is not a readable Runner checkpoint")
    assert not marker.exists()


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        runner_with().load(tmp_path / "nowhere.pt")


def test_digest_covers_every_entry():
    base = {"model": {"w": torch.ones(2)}, "history": {"train_loss": [0.5]}, "weights": "current"}
    d = ckpt.digest(base)
    assert ckpt.digest({**base, "digest": "anything"}) == d  # the digest itself is left out
    changed = [
        {**base, "model": {"w": torch.tensor([1.0, 1.0 + 2**-23])}},
        {**base, "model": {"w": torch.ones(2, dtype=torch.float64)}},
        {**base, "model": {"w": torch.ones(1, 2)}},
        {**base, "history": {"train_loss": [0.25]}},
        {**base, "weights": "best"},
    ]
    assert all(ckpt.digest(c) != d for c in changed)


def test_optimizer_state_of_another_shape_is_refused_before_loading(moons, tmp_path):
    path = tmp_path / "odd.pt"
    trained(moons, opt="sgd").save(path)
    data = torch.load(path, weights_only=True)
    data["optimizer"]["state"][0]["momentum_buffer"] = torch.zeros(3)
    del data["digest"]
    ckpt.write(str(path), data)  # a consistent file (valid digest) with a wrong buffer
    assert_refused(
        trained(moons, opt="sgd"), path,
        "expected momentum_buffer of shape (5, 2) for parameter 0, found (3,)",
    )  # fmt: skip
