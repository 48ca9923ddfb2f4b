"""The optimizers follow their torch.optim counterparts step by step (float64)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nndl_book.engine import MLP, OPTIMIZERS, SGD, Adam, Momentum, make_optimizer
from nndl_book.maths.losses import get_loss

SETTINGS = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**32 - 1)

# engine name → (torch class, how to turn our hyperparameters into torch's)
TORCH = {
    "sgd": (torch.optim.SGD, lambda h: h),
    "momentum": (torch.optim.SGD, lambda h: h),
    "nesterov": (torch.optim.SGD, lambda h: {**h, "nesterov": True}),
    "adagrad": (torch.optim.Adagrad, lambda h: h),
    "rmsprop": (torch.optim.RMSprop, lambda h: h),
    "adam": (torch.optim.Adam, lambda h: h),
}


def hyperparameters(draw, name):
    """Random hyperparameters of optimizer ``name`` (the same keywords in torch)."""
    hyper = {"lr": draw(st.floats(1e-3, 0.3))}
    if name in ("momentum", "nesterov"):
        hyper["momentum"] = draw(st.floats(0.0 if name == "momentum" else 0.01, 0.99))
    if name in ("adagrad", "rmsprop", "adam"):
        hyper["eps"] = draw(st.sampled_from([1e-10, 1e-8, 1e-3]))
    if name == "rmsprop":
        hyper["alpha"] = draw(st.floats(0.5, 0.999))
    if name == "adam":
        hyper["betas"] = (draw(st.floats(0.0, 0.99)), draw(st.floats(0.5, 0.9999)))
    return hyper


def gradient(p, a, c):
    """A non-linear gradient field that never vanishes (|g| ≥ |c|/2), from + − × ÷ only.

    Only correctly rounded operations, so numpy and torch compute the same bits; and no
    stationary point, where the normalised steps of AdaGrad, RMSProp and Adam would amplify
    rounding differences (torch's Adam uses fused multiply-adds).
    """
    return c * (1.0 - 0.5 * (a * p) ** 2 / (1.0 + (a * p) ** 2))


@SETTINGS
@given(seed=seeds, name=st.sampled_from(sorted(OPTIMIZERS)), data=st.data())
def test_optimizer_follows_torch_for_50_steps(seed, name, data):
    hyper = hyperparameters(data.draw, name)
    rng = np.random.default_rng(seed)
    shapes = [(3, 2), (4,)]
    params = [rng.normal(size=s) for s in shapes]
    a = [rng.uniform(0.1, 3.0, size=s) for s in shapes]
    c = [rng.choice([-1.0, 1.0], size=s) * rng.uniform(0.5, 2.0, size=s) for s in shapes]
    t_params = [torch.tensor(p, requires_grad=True) for p in params]
    t_a, t_c = [torch.tensor(x) for x in a], [torch.tensor(x) for x in c]

    opt = make_optimizer(name, params, **hyper)
    torch_cls, convert = TORCH[name]
    t_opt = torch_cls(t_params, **convert(hyper))
    for _ in range(50):
        opt.step([gradient(p, ai, ci) for p, ai, ci in zip(params, a, c, strict=True)])
        with torch.no_grad():
            for p, ai, ci in zip(t_params, t_a, t_c, strict=True):
                p.grad = gradient(p, ai, ci)
        t_opt.step()
    for p, tp in zip(params, t_params, strict=True):
        np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_training_an_mlp_follows_torch(name):
    """50 steps on an MLP's loss: numpy back-propagation + optimizer vs torch autograd + optim."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.integers(0, 2, size=(20, 1)).astype(float)
    model = MLP([2, 4, 1], "tanh", rng=rng)
    W1, b1, W2, b2 = (torch.tensor(p.copy(), requires_grad=True) for p in model.parameters())
    lr = 0.01 if name in ("adam", "rmsprop") else 0.1
    hyper = {"lr": lr, **({"momentum": 0.9} if name in ("momentum", "nesterov") else {})}
    opt = make_optimizer(name, model.parameters(), **hyper)
    torch_cls, convert = TORCH[name]
    t_opt = torch_cls([W1, b1, W2, b2], **convert(hyper))
    loss_fn, grad_fn = get_loss("binary_cross_entropy_with_logits")
    Xt, yt = torch.tensor(X), torch.tensor(y)
    for _ in range(50):
        model.backward(grad_fn(model(X), y))
        opt.step(model.gradients())
        t_opt.zero_grad()
        out = torch.tanh(Xt @ W1.T + b1) @ W2.T + b2
        torch.nn.functional.binary_cross_entropy_with_logits(out, yt).backward()
        t_opt.step()
    for p, tp in zip(model.parameters(), (W1, b1, W2, b2), strict=True):
        np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_defaults_are_torchs():
    p = [np.zeros(2)]
    t = [torch.zeros(2, requires_grad=True)]
    ada, t_ada = make_optimizer("adagrad", p), torch.optim.Adagrad(t).defaults
    assert (ada.lr, ada.eps) == (t_ada["lr"], t_ada["eps"])
    rms, t_rms = make_optimizer("rmsprop", p), torch.optim.RMSprop(t).defaults
    assert (rms.lr, rms.alpha, rms.eps) == (t_rms["lr"], t_rms["alpha"], t_rms["eps"])
    adam, t_adam = Adam(p), torch.optim.Adam(t).defaults
    assert (adam.lr, (adam.beta1, adam.beta2), adam.eps) == (
        t_adam["lr"], t_adam["betas"], t_adam["eps"])
    assert Momentum(p, lr=0.1).momentum == 0.9


def test_unstable_momentum_runs_when_allowed_and_matches_torch():
    p = np.array([1.0, -2.0])
    tp = torch.tensor(p.copy(), requires_grad=True)
    opt = Momentum([p], lr=0.1, momentum=1.2, allow_unstable=True)
    t_opt = torch.optim.SGD([tp], lr=0.1, momentum=1.2)
    for _ in range(100):
        opt.step([p.copy()])  # gradient of ½‖p‖²
        tp.grad = tp.detach().clone()
        t_opt.step()
    np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-12)
    assert np.abs(p).max() > 1e3  # it grows without bound


def test_zero_momentum_is_plain_sgd():
    """torch rejects nesterov=True with momentum 0; here both momentum methods reduce to SGD."""
    ps = [np.array([1.0, -3.0]) for _ in range(3)]
    opts = [SGD([ps[0]], lr=0.1)] + [
        make_optimizer(name, [p], lr=0.1, momentum=0.0)
        for name, p in zip(("momentum", "nesterov"), ps[1:], strict=True)
    ]
    for _ in range(5):
        for p, opt in zip(ps, opts, strict=True):
            opt.step([np.sin(p)])
    np.testing.assert_array_equal(ps[1], ps[0])
    np.testing.assert_array_equal(ps[2], ps[0])


def test_sgd_updates_in_place():
    p = np.array([1.0, 2.0])
    alias = p
    SGD([p], lr=0.5).step([np.array([2.0, 2.0])])
    assert alias is p
    np.testing.assert_array_equal(p, [0.0, 1.0])


_p = [np.zeros((2, 2)), np.zeros(3)]
BAD = {
    "unknown name": (ValueError, "unknown optimizer 'adamw'", lambda: make_optimizer("adamw", _p)),
    "lr zero": (ValueError, "lr must be a positive finite number, got 0", lambda: SGD(_p, lr=0)),
    "lr negative": (ValueError, "lr must be a positive", lambda: SGD(_p, lr=-0.1)),
    "lr nan": (ValueError, "lr must be a number, got nan", lambda: SGD(_p, lr=float("nan"))),
    "lr string": (TypeError, "lr must be a number", lambda: SGD(_p, lr="0.1")),
    "momentum 1.2": (
        ValueError,
        r"^momentum must be in \[0, 1\) \(μ ≥ 1 or μ < 0 makes the velocity grow or oscillate "
        r"without bound\); pass allow_unstable=True to run it anyway, got 1.2$",
        lambda: Momentum(_p, lr=0.1, momentum=1.2)),
    "momentum negative": (
        ValueError, r"momentum must be in \[0, 1\)",
        lambda: make_optimizer("nesterov", _p, lr=0.1, momentum=-0.5)),
    "beta2 = 1": (
        ValueError, r"betas\[1\] must be in \[0.0, 1.0\)", lambda: Adam(_p, betas=(0.9, 1))),
    "betas not a pair": (TypeError, "betas must be a pair", lambda: Adam(_p, betas=0.9)),
    "eps zero": (
        ValueError, "eps must be a positive", lambda: make_optimizer("adagrad", _p, eps=0)),
    "rmsprop alpha": (
        ValueError, r"alpha must be in \[0.0, 1.0\)",
        lambda: make_optimizer("rmsprop", _p, alpha=1)),
    "missing lr": (TypeError, "optimizer 'sgd'.*lr", lambda: make_optimizer("sgd", _p)),
    "unknown hyperparameter": (
        TypeError, "optimizer 'adam'.*momentum", lambda: make_optimizer("adam", _p, momentum=0.9)),
    "params one array": (TypeError, "params must be a list", lambda: SGD(np.zeros(3), lr=0.1)),
    "params empty": (ValueError, "params must contain at least one", lambda: SGD([], lr=0.1)),
    "params int dtype": (
        TypeError, r"params\[0\] must be a float64 numpy array",
        lambda: SGD([np.zeros(2, int)], 0.1)),
    "grads count": (
        ValueError, "grads must have one array per parameter: expected 2, got 1",
        lambda: SGD(_p, lr=0.1).step([np.zeros((2, 2))])),
    "grads shape": (
        ValueError, r"grads\[1\] must have shape \(3\), got \(4,\)",
        lambda: SGD(_p, lr=0.1).step([np.zeros((2, 2)), np.zeros(4)])),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_the_argument(case):
    error, message, call = BAD[case]
    with pytest.raises(error, match=message):
        call()
