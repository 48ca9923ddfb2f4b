"""Learning-rate schedules: formulas, torch.optim.lr_scheduler step for step, the Runner hook."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from nndl_book.training import Runner
from nndl_book.training.schedules import Constant, Cosine, StepDecay, WarmupDecay, schedule_hook

N_STEPS = 120


def torch_rates(make_scheduler, lr: float, n: int = N_STEPS) -> np.ndarray:
    """The learning rate of a torch optimizer after 0, 1, ..., n - 1 scheduler steps."""
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr)
    sched = make_scheduler(opt)
    rates = []
    for _ in range(n):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(rates)


def test_constant_matches_torch_without_scheduler():
    lr_s = torch.optim.lr_scheduler
    expected = torch_rates(lambda o: lr_s.ConstantLR(o, factor=1.0, total_iters=5), 0.3)
    np.testing.assert_array_equal(Constant(0.3)(np.arange(N_STEPS)), expected)


@pytest.mark.parametrize(("step_size", "gamma"), [(10, 0.5), (33, 0.1), (1, 0.97)])
def test_step_decay_matches_torch_step_lr(step_size, gamma):
    expected = torch_rates(
        lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=step_size, gamma=gamma), 0.2)
    np.testing.assert_allclose(StepDecay(0.2, step_size, gamma)(np.arange(N_STEPS)), expected,
                               rtol=1e-12, atol=0)


@pytest.mark.parametrize(("total", "lr_min"), [(N_STEPS - 1, 0.0), (50, 0.001)])
def test_cosine_matches_torch_cosine_annealing_up_to_total(total, lr_min):
    expected = torch_rates(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(
        o, T_max=total, eta_min=lr_min), 0.1, n=total + 1)
    got = Cosine(0.1, total, lr_min)(np.arange(total + 1))
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-15)
    assert Cosine(0.1, total, lr_min)(total + 7) == pytest.approx(lr_min)


@pytest.mark.parametrize(("warmup", "total", "start", "end"), [(10, N_STEPS, 0.01, 0.0),
                                                                (25, 100, 0.2, 0.1)])
def test_warmup_linear_decay_matches_torch_sequential_lr(warmup, total, start, end):
    lr_s = torch.optim.lr_scheduler

    def make(o):
        up = lr_s.LinearLR(o, start_factor=start, end_factor=1.0, total_iters=warmup)
        down = lr_s.LinearLR(o, start_factor=1.0, end_factor=end, total_iters=total - warmup)
        return lr_s.SequentialLR(o, [up, down], milestones=[warmup])

    expected = torch_rates(make, 0.5, n=total + 1)
    got = WarmupDecay(0.5, warmup, total, start_factor=start, end_factor=end)(np.arange(total + 1))
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-15)


def test_warmup_cosine_decay_matches_torch_sequential_lr():
    lr_s = torch.optim.lr_scheduler
    warmup, total = 15, 90

    def make(o):
        up = lr_s.LinearLR(o, start_factor=0.05, end_factor=1.0, total_iters=warmup)
        down = lr_s.CosineAnnealingLR(o, T_max=total - warmup, eta_min=0.0)
        return lr_s.SequentialLR(o, [up, down], milestones=[warmup])

    expected = torch_rates(make, 0.4, n=total + 1)
    got = WarmupDecay(0.4, warmup, total, start_factor=0.05, decay="cosine")(np.arange(total + 1))
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-15)


def test_warmup_shape():
    s = WarmupDecay(1.0, 4, 12, start_factor=0.25, end_factor=0.5)
    np.testing.assert_allclose(s(np.arange(14)), [0.25, 0.4375, 0.625, 0.8125, 1.0, 0.9375,
                                                 0.875, 0.8125, 0.75, 0.6875, 0.625, 0.5625,
                                                 0.5, 0.5])


def test_scalar_in_scalar_out_and_shapes():
    s = StepDecay(1.0, 3, 0.5)
    assert isinstance(s(4), float) and s(4) == 0.5
    assert s(np.arange(6).reshape(2, 3)).shape == (2, 3)
    assert "StepDecay" in repr(s) and "step_size=3" in repr(s)


def test_schedule_hook_drives_a_runner_like_torch_scheduler():
    """Same network, same data: the hook gives the same weights as torch's scheduler."""
    X = torch.linspace(-1, 1, 40, dtype=torch.float64)[:, None]
    y = (X[:, 0] > 0.1).to(torch.float64)

    def net():
        torch.manual_seed(0)
        return nn.Linear(1, 1).double()

    sched = Cosine(0.5, total=30, lr_min=0.01)
    a = net()
    runner = Runner(a, nn.BCEWithLogitsLoss(), torch.optim.SGD(a.parameters(), lr=sched(0)),
                    hooks=[schedule_hook(sched)])
    runner.fit((X, y), epochs=3, batch_size=4, progress=False)  # 30 steps
    assert runner.optimizer.param_groups[0]["lr"] == pytest.approx(sched(30))

    b = net()
    opt = torch.optim.SGD(b.parameters(), lr=0.5)
    torch_sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30, eta_min=0.01)
    gen = torch.Generator().manual_seed(0)
    for _ in range(3):
        for idx in torch.randperm(40, generator=gen).split(4):
            loss = nn.functional.binary_cross_entropy_with_logits(b(X[idx]).squeeze(1), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            torch_sched.step()
    for pa, pb in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(pa, pb, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: Constant(-1.0), ValueError, "lr"),
        (lambda: StepDecay(0.1, 0), ValueError, "step_size"),
        (lambda: StepDecay(0.1, 5, gamma=0.0), ValueError, "gamma"),
        (lambda: Cosine(0.1, 10, lr_min=0.2), ValueError, "lr_min"),
        (lambda: Cosine(0.1, 2.5), TypeError, "total"),
        (lambda: WarmupDecay(0.1, 10, 10), ValueError, "total"),
        (lambda: WarmupDecay(0.1, 5, 10, start_factor=0.0), ValueError, "start_factor"),
        (lambda: WarmupDecay(0.1, 5, 10, decay="step"), ValueError, "decay"),
        (lambda: Constant(0.1)(-1), ValueError, "t must be >= 0"),
        (lambda: Constant(0.1)(1.5), TypeError, "t must be an integer"),
        (lambda: schedule_hook(0.1), TypeError, "schedule"),
    ],
)
def test_bad_input(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_hook_rejects_a_bad_rate():
    class Fake:
        step_count = 1
        optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)

    with pytest.raises(ValueError, match="schedule returned"):
        schedule_hook(lambda t: math.nan)(Fake(), 1, 1)
