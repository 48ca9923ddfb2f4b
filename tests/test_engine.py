"""The numpy engine (layers, MLP, gradient check, trainer) against torch autograd in float64."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from nndl_book.engine import (
    MLP,
    Activation,
    History,
    Linear,
    PReLU,
    check_gradients,
    numerical_gradient,
    train,
)
from nndl_book.maths import accuracy
from nndl_book.maths.losses import KERNELS, get_loss, mean_loss_and_grad

SETTINGS = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**32 - 1)

# activation name → the same function in torch
TORCH_ACT = {
    "identity": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "elu": F.elu,
    "softplus": lambda z: F.softplus(z, threshold=40.0),
    "swish": F.silu,
    "gelu": F.gelu,
    "gelu_tanh": lambda z: F.gelu(z, approximate="tanh"),
    "hard_tanh": F.hardtanh,
    "hard_sigmoid": lambda z: torch.clamp(0.25 * z + 0.5, 0.0, 1.0),  # NNDL's slope 1/4
}
SMOOTH = ["sigmoid", "tanh", "elu", "softplus", "swish", "gelu", "gelu_tanh"]


def t64(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


def close(a, b, rtol=1e-8, atol=1e-12):
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else b
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def torch_mlp(model, X, activation, output_activation="identity"):
    """The same network in torch: returns (output, weights, biases, input), all with grads."""
    Ws = [t64(W) for W in model.weights]
    bs = [t64(b) for b in model.biases]
    x = t64(X)
    h = x
    for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        h = h @ W.T + b
        if i < len(Ws) - 1:
            h = TORCH_ACT[activation](h)
    return TORCH_ACT[output_activation](h), Ws, bs, x


def grads_of(Ws, bs):
    """torch gradients in the engine's parameter order W1, b1, W2, b2, ..."""
    return [t.grad for pair in zip(Ws, bs, strict=True) for t in pair]


# -- layers ------------------------------------------------------------------------------------
@SETTINGS
@given(seed=seeds, n=st.integers(1, 6), n_in=st.integers(1, 5), n_out=st.integers(1, 5))
def test_linear_backward_matches_torch(seed, n, n_in, n_out):
    rng = np.random.default_rng(seed)
    layer = Linear(n_in, n_out, rng=rng)
    layer.b[:] = rng.normal(size=n_out)
    x, upstream = rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))
    out = layer.forward(x)
    dx = layer.backward(upstream)

    xt, Wt, bt = t64(x), t64(layer.W), t64(layer.b)
    out_t = xt @ Wt.T + bt
    (out_t * torch.tensor(upstream)).sum().backward()
    close(out, out_t)
    close(dx, xt.grad)
    close(layer.dW, Wt.grad)
    close(layer.db, bt.grad)
    assert set(layer.params()) == set(layer.grads()) == {"W", "b"}


@SETTINGS
@given(seed=seeds, name=st.sampled_from(sorted(TORCH_ACT)))
def test_activation_layer_backward_matches_torch(seed, name):
    rng = np.random.default_rng(seed)
    x, upstream = rng.normal(scale=2.0, size=(5, 3)), rng.normal(size=(5, 3))
    layer = Activation(name)
    out = layer.forward(x)
    dx = layer.backward(upstream)
    xt = t64(x)
    out_t = TORCH_ACT[name](xt)
    (out_t * torch.tensor(upstream)).sum().backward()
    close(out, out_t)
    close(dx, xt.grad)


@SETTINGS
@given(seed=seeds, alpha=st.floats(-1.0, 1.0))
def test_prelu_backward_matches_torch(seed, alpha):
    rng = np.random.default_rng(seed)
    x, upstream = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    layer = PReLU(alpha)
    out = layer.forward(x)
    dx = layer.backward(upstream)
    xt, at = t64(x), t64([alpha])
    out_t = F.prelu(xt, at)
    (out_t * torch.tensor(upstream)).sum().backward()
    close(out, out_t)
    close(dx, xt.grad)
    close(layer.dalpha, at.grad)


# -- MLP ---------------------------------------------------------------------------------------
@SETTINGS
@given(
    seed=seeds,
    activation=st.sampled_from(sorted(TORCH_ACT)),
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
)
def test_mlp_backward_matches_torch(seed, activation, sizes):
    rng = np.random.default_rng(seed)
    model = MLP(sizes, activation, rng=rng)
    for b in model.biases:
        b[:] = rng.normal(scale=0.5, size=b.shape)
    X = rng.normal(size=(7, sizes[0]))
    y = rng.normal(size=(7, sizes[-1]))
    loss_fn, grad_fn = get_loss("mse")
    out = model(X)
    dX = model.backward(grad_fn(out, y))

    out_t, Ws, bs, xt = torch_mlp(model, X, activation)
    loss_t = F.mse_loss(out_t, torch.tensor(y))
    loss_t.backward()
    assert loss_fn(out, y) == pytest.approx(loss_t.item(), rel=1e-12)
    close(dX, xt.grad)
    assert len(model.gradients()) == 2 * (len(sizes) - 1)
    for g, gt in zip(model.gradients(), grads_of(Ws, bs), strict=True):
        close(g, gt)


@SETTINGS
@given(seed=seeds, activation=st.sampled_from(SMOOTH), k=st.integers(2, 4))
def test_mlp_cross_entropy_and_bce_match_torch(seed, activation, k):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(8, 3))
    # multi-class: logits and integer labels
    model = MLP([3, 4, k], activation, rng=rng)
    labels = rng.integers(0, k, size=8)
    out = model(X)
    model.backward(get_loss("cross_entropy")[1](out, labels))
    out_t, Ws, bs, _ = torch_mlp(model, X, activation)
    F.cross_entropy(out_t, torch.tensor(labels)).backward()
    for g, gt in zip(model.gradients(), grads_of(Ws, bs), strict=True):
        close(g, gt)
    # binary: probabilities from a sigmoid output layer
    model = MLP([3, 4, 1], activation, output_activation="sigmoid", rng=rng)
    y = rng.integers(0, 2, size=(8, 1)).astype(float)
    out = model(X)
    model.backward(get_loss("binary_cross_entropy")[1](out, y))
    out_t, Ws, bs, _ = torch_mlp(model, X, activation, "sigmoid")
    F.binary_cross_entropy(out_t, torch.tensor(y)).backward()
    close(out, out_t)
    for g, gt in zip(model.gradients(), grads_of(Ws, bs), strict=True):
        close(g, gt)


def test_mlp_prelu_learns_alpha_and_matches_torch():
    rng = np.random.default_rng(0)
    model = MLP([3, 4, 2], "prelu", rng=rng)
    assert model.parameter_names() == ["W1", "b1", "alpha1", "W2", "b2"]
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    model.backward(get_loss("mse")[1](model(X), y))
    W1, b1, a1, W2, b2 = (t64(p) for p in model.parameters())
    out = F.prelu(t64(X) @ W1.T + b1, a1) @ W2.T + b2
    F.mse_loss(out, torch.tensor(y)).backward()
    for g, p in zip(model.gradients(), (W1, b1, a1, W2, b2), strict=True):
        close(g, p.grad)


def test_from_weights_copies_and_rebuilds_the_same_network():
    model = MLP([2, 3, 1], "tanh", rng=1)
    clone = MLP.from_weights(model.weights, model.biases, "tanh")
    X = np.random.default_rng(2).normal(size=(4, 2))
    np.testing.assert_array_equal(clone(X), model(X))
    clone.weights[0][0, 0] += 1.0
    assert clone.weights[0][0, 0] != model.weights[0][0, 0]
    no_bias = MLP.from_weights([np.eye(2), np.ones((1, 2))], None, "identity")
    assert no_bias.parameter_names() == ["W1", "W2"]
    np.testing.assert_allclose(no_bias(np.array([[1.0, 2.0]])), [[3.0]])


def test_parameters_are_live_arrays_in_fixed_order():
    model = MLP([2, 5, 3, 1], rng=0)
    assert model.parameter_names() == ["W1", "b1", "W2", "b2", "W3", "b3"]
    shapes = [p.shape for p in model.parameters()]
    assert shapes == [(5, 2), (5,), (3, 5), (3,), (1, 3), (1,)]
    model.parameters()[0][:] = 0.0
    assert np.all(model.layers[0].W == 0.0)
    assert np.all(model.biases[0] == 0.0)  # biases start at zero
    assert len(MLP([2, 1], bias=False, rng=0).parameters()) == 1


def test_predict_and_accuracy():
    model = MLP.from_weights([np.array([[1.0, -1.0]])], [np.zeros(1)], "identity")
    X = np.array([[2.0, 0.0], [0.0, 2.0], [3.0, 1.0]])
    np.testing.assert_array_equal(model.predict(X), [1, 0, 1])
    assert accuracy(model(X), [1, 0, 0]) == pytest.approx(2 / 3)
    prob = MLP.from_weights([np.array([[1.0, -1.0]])], None, output_activation="sigmoid")
    np.testing.assert_array_equal(prob.predict(X), [1, 0, 1])  # threshold 0.5 after a sigmoid
    multi = MLP.from_weights([np.eye(2)], None)
    np.testing.assert_array_equal(multi.predict(X), [0, 1, 0])
    assert accuracy(multi(X), [0, 1, 1]) == accuracy(multi(X), np.eye(2)[[0, 1, 1]]) == 2 / 3


# -- gradient check ----------------------------------------------------------------------------
def test_numerical_gradient_of_a_known_function():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.3, -0.7])
    g = numerical_gradient(lambda p: 0.5 * p @ A @ p + np.sin(p[0]), x)
    np.testing.assert_allclose(g, A @ x + [np.cos(0.3), 0.0], rtol=1e-8)
    np.testing.assert_array_equal(x, [0.3, -0.7])  # restored


@SETTINGS
@given(
    seed=seeds,
    activation=st.sampled_from(SMOOTH),
    loss=st.sampled_from(["mse", "binary_cross_entropy_with_logits", "cross_entropy"]),
)
def test_check_gradients_agrees(seed, activation, loss):
    rng = np.random.default_rng(seed)
    n_out = 3 if loss == "cross_entropy" else 1
    model = MLP([2, 4, 3, n_out], activation, rng=rng)
    X = rng.normal(size=(6, 2))
    y = rng.integers(0, n_out, 6) if loss == "cross_entropy" else rng.integers(0, 2, 6)
    errors = check_gradients(model, loss, X, y)
    assert set(errors) == set(model.parameter_names())
    assert max(errors.values()) < 1e-6


def test_check_gradients_catches_a_wrong_backward():
    model = MLP([2, 3, 1], "sigmoid", rng=0)
    X, y = np.random.default_rng(1).normal(size=(5, 2)), np.array([0, 1, 1, 0, 1])
    broken = model.layers[1]
    broken._backward = lambda g: g  # forgets the sigmoid's derivative
    assert check_gradients(model, "binary_cross_entropy_with_logits", X, y)["W1"] > 0.1


# -- trainer -----------------------------------------------------------------------------------
def blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] + X[:, 1] > 0).astype(float)


@SETTINGS
@given(seed=seeds, loss=st.sampled_from(sorted(KERNELS)))
def test_fused_losses_match_maths_losses(seed, loss):
    rng = np.random.default_rng(seed)
    if loss == "cross_entropy":
        out, y = rng.normal(scale=3, size=(6, 4)), rng.integers(0, 4, 6)
    elif loss == "binary_cross_entropy":
        out, y = rng.uniform(0.01, 0.99, size=(6, 1)), rng.integers(0, 2, (6, 1)).astype(float)
    else:
        out, y = rng.normal(scale=3, size=(6, 2)), rng.integers(0, 2, (6, 2)).astype(float)
    value, grad = mean_loss_and_grad(loss)(out, y)
    loss_fn, grad_fn = get_loss(loss)
    assert value == pytest.approx(loss_fn(out, y), rel=1e-12)
    np.testing.assert_allclose(grad, grad_fn(out, y), rtol=1e-12, atol=1e-15)


def test_train_decreases_loss_on_a_separable_task():
    X, y = blobs()
    model = MLP([2, 5, 1], "sigmoid", rng=0)
    first = get_loss("binary_cross_entropy_with_logits")[0](model(X), y[:, None])
    history = train(model, X, y, lr=0.5, epochs=300)
    assert isinstance(history, History) and history.epochs == 300
    assert history.train_loss[0] == pytest.approx(first, rel=1e-12)  # loss at the start
    assert history.train_loss[-1] < 0.3 * history.train_loss[0]
    assert history.train_metric[-1] > 0.95
    assert accuracy(model(X), y, threshold=model.default_threshold()) > 0.95
    assert not history.diverged


def test_train_minibatch_dev_set_and_multiclass():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(150, 2))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0).astype(int)  # 3 classes
    model = MLP([2, 8, 3], "tanh", rng=0)
    h = train(
        model, X[:100], y[:100], loss="cross_entropy", optimizer="adam", lr=0.05, epochs=40,
        batch_size=16, rng=1, dev=(X[100:], y[100:]),
    )
    assert len(h.dev_loss) == len(h.dev_metric) == len(h.train_metric) == 40
    assert h.dev_loss[-1] < h.dev_loss[0] and h.dev_metric[-1] > 0.85
    again = train(
        MLP([2, 8, 3], "tanh", rng=0), X[:100], y[:100], loss="cross_entropy",
        optimizer="adam", lr=0.05, epochs=40, batch_size=16, rng=1,
    )
    assert again.train_loss == h.train_loss  # seeded: reproducible


def test_train_mse_regression_records_no_accuracy_and_callback_stops():
    X, _ = blobs(50)
    y = 0.3 * X[:, 0] - X[:, 1]
    seen = []
    h = train(
        MLP([2, 1], rng=0), X, y, loss="mse", optimizer="momentum", lr=0.05, epochs=100,
        callback=lambda epoch, hist: seen.append(epoch) or epoch < 10,
    )
    assert h.epochs == 10 and seen == list(range(1, 11))
    assert h.metric_name == "none" and h.train_metric == []


def test_train_reports_divergence_instead_of_raising():
    X, y = blobs()
    h = train(MLP([2, 5, 1], rng=0), X, y, loss="mse", lr=50.0, epochs=500)
    assert h.diverged and h.diverged_at == h.epochs + 1
    assert np.all(np.isfinite(h.train_loss))
    h = train(MLP([2, 5, 1], "relu", rng=0), X, y, lr=1e10, epochs=50, batch_size=20, rng=0)
    assert h.diverged and len(h.train_loss) == h.diverged_at - 1


# -- bad input ---------------------------------------------------------------------------------
_X, _y = blobs(10)


def _trained_model():
    model = MLP([2, 3, 1], rng=0)
    model.forward(_X)
    return model


BAD_INPUTS = {
    "forward wrong width": (
        ValueError, r"x must have shape \(\*, 3\)", lambda: Linear(3, 2, rng=0).forward(_X)),
    "forward 1-D": (
        ValueError, r"x must have 2 dimension", lambda: Linear(2, 2, rng=0).forward([1.0, 2.0])),
    "backward before forward": (
        RuntimeError, "backward called before forward.*grad_out",
        lambda: Linear(2, 2, rng=0).backward(_X)),
    "MLP backward before forward": (
        RuntimeError, "backward called before forward", lambda: MLP([2, 1], rng=0).backward(_X)),
    "NaN in X": (
        ValueError, "X must contain only finite", lambda: MLP([2, 1], rng=0)([[np.nan, 0.0]])),
    "X wrong width": (
        ValueError, r"X must have shape \(\*, 2\)", lambda: MLP([2, 1], rng=0)(np.ones((4, 3)))),
    "grad_output wrong shape": (
        ValueError, r"grad_output must have shape \(10, 1\)",
        lambda: _trained_model().backward(np.ones((10, 2)))),
    "sizes too short": (ValueError, "sizes must list at least 2", lambda: MLP([2], rng=0)),
    "zero width": (
        ValueError, r"sizes\[1\] must be an integer >= 1", lambda: MLP([2, 0, 1], rng=0)),
    "unknown activation": (
        ValueError, "unknown activation", lambda: MLP([2, 1], "sigmoidd", rng=0)),
    "unknown output activation": (
        ValueError, "unknown output_activation",
        lambda: MLP([2, 1], output_activation="softmax", rng=0)),
    "activation parameter": (
        TypeError, "activation 'sigmoid' takes parameters", lambda: Activation("sigmoid", a=1)),
    "no rng": (TypeError, "rng must be", lambda: MLP([2, 3, 1])),
    "from_weights shapes": (
        ValueError, r"weights\[1\] must have shape \(1, 3\)",
        lambda: MLP.from_weights([np.ones((3, 2)), np.ones((1, 2))])),
    "y length": (
        ValueError, "X and y must have the same length",
        lambda: train(MLP([2, 1], rng=0), _X, _y[:-1])),
    "unknown loss": (
        ValueError, "unknown loss", lambda: train(MLP([2, 1], rng=0), _X, _y, loss="hinge")),
    "unknown optimizer": (
        ValueError, "unknown optimizer",
        lambda: train(MLP([2, 1], rng=0), _X, _y, optimizer="lbfgs")),
    "lr zero": (
        ValueError, "lr must be a positive", lambda: train(MLP([2, 1], rng=0), _X, _y, lr=0.0)),
    "labels for cross_entropy": (
        ValueError, r"y must hold integer class labels in \[0, 2\)",
        lambda: train(MLP([2, 2], rng=0), _X, _y + 1, loss="cross_entropy")),
    "targets outside [0, 1]": (
        ValueError, r"y must hold targets in \[0, 1\]",
        lambda: train(MLP([2, 1], rng=0), _X, 2 * _y)),
    "bce on logits": (
        ValueError, "loss 'binary_cross_entropy' needs probabilities",
        lambda: train(MLP([2, 1], rng=0), _X, _y, loss="binary_cross_entropy")),
    "mini-batch without rng": (
        TypeError, "rng must be", lambda: train(MLP([2, 1], rng=0), _X, _y, batch_size=4)),
    "negative epochs": (
        ValueError, "epochs must be an integer >= 0",
        lambda: train(MLP([2, 1], rng=0), _X, _y, epochs=-1)),
    "dev not a pair": (
        TypeError, "dev must be a pair", lambda: train(MLP([2, 1], rng=0), _X, _y, dev=_X)),
    "eps zero": (ValueError, "eps must be a positive", lambda: numerical_gradient(np.sum, _X, 0)),
    "gradcheck loss name": (
        ValueError, "unknown loss_name",
        lambda: check_gradients(MLP([2, 1], rng=0), "nll", _X, _y)),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_names_the_argument(case):
    error, message, call = BAD_INPUTS[case]
    with pytest.raises(error, match=message):
        call()


def test_train_and_check_gradients_share_one_data_check():
    model = MLP([2, 3, 1], rng=0)
    runs = [
        lambda X, y, loss: train(model, X, y, loss=loss, epochs=1),
        lambda X, y, loss: check_gradients(model, loss, X, y),
    ]
    logits = "binary_cross_entropy_with_logits"
    for run in runs:
        with pytest.raises(ValueError, match=r"X must have shape \(\*, 2\)"):
            run(np.zeros((3, 3)), np.zeros(3), logits)
        with pytest.raises(ValueError, match=r"y must hold targets in \[0, 1\]"):
            run(np.zeros((3, 2)), np.full(3, 2.0), logits)
        with pytest.raises(ValueError, match="X and y must have the same length"):
            run(np.zeros((3, 2)), np.zeros(4), logits)
        with pytest.raises(ValueError, match="needs probabilities"):
            run(np.zeros((3, 2)), np.zeros(3), "binary_cross_entropy")


def test_predict_uses_the_metrics_rule() -> None:
    """One rule turns outputs into classes: MLP.predict, n_correct and accuracy agree."""
    from nndl_book.maths.metrics import n_correct, predicted_classes

    assert predicted_classes(np.array([[0.2], [-0.1], [0.0]])).tolist() == [1, 0, 0]
    assert predicted_classes(np.array([0.7, 0.4]), 0.5).tolist() == [1, 0]
    assert predicted_classes(np.array([[1.0, 3.0, 2.0], [5.0, 0.0, 0.0]])).tolist() == [1, 0]
    rng = np.random.default_rng(7)
    X = rng.normal(size=(50, 3))
    for k, out_act, threshold in ((1, "sigmoid", 0.5), (1, "identity", 0.0), (3, "identity", 0)):
        model = MLP([3, 4, k], "tanh", output_activation=out_act, rng=rng)
        labels = model.predict(X)
        assert np.array_equal(labels, predicted_classes(model.forward(X), threshold))
        assert n_correct(model.forward(X), labels, threshold) == len(X)
        assert accuracy(model.forward(X), labels, threshold=threshold) == 1.0
