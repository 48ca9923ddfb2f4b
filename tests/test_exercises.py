"""Every exercise check: the book's answer and another correct one pass, wrong answers fail with
the expected message, the stub says "not attempted", malformed input gets a clear message.

The answers are re-derived here (from the package or from the maths), not copied from chapters.
"""

from __future__ import annotations

import html
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from nndl_book.engine import MLP
from nndl_book.exercises import CHECKS, QUIZZES, Question, Result, check, coverage, quiz
from nndl_book.exercises.quizzes import load_quizzes
from nndl_book.maths.activations import d_gelu, d_sigmoid, d_swish, sigmoid
from nndl_book.maths.losses import softmax, softmax_jacobian

ROOT = Path(__file__).resolve().parents[1]


def _not_implemented(*_args):
    raise NotImplementedError


def _normal_pdf(z):
    return np.exp(-z**2 / 2) / math.sqrt(2 * math.pi)


def _normal_cdf(z):
    return 0.5 * (1 + np.vectorize(math.erf)(np.asarray(z) / math.sqrt(2)))


def _minimax_c(target, grid_fn):
    """The c minimising the largest |target - grid_fn(c)| on [-8, 8]: a coarse, then a fine scan."""
    grid = np.linspace(-8, 8, 16_001)
    want = target(grid)

    def scan(cs):
        errors = [np.max(np.abs(want - grid_fn(c, grid))) for c in cs]
        return float(cs[int(np.argmin(errors))])

    coarse = scan(np.linspace(1.5, 1.9, 401))
    return scan(np.linspace(coarse - 0.001, coarse + 0.001, 201))


C_GATE = _minimax_c(_normal_cdf, lambda c, g: sigmoid(c * g))
C_GELU = _minimax_c(lambda g: g * _normal_cdf(g), lambda c, g: g * sigmoid(c * g))


def _best_of_20_simulated(seed=0, repeats=4000):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=(repeats, 1, 200))
    guesses = rng.integers(0, 2, size=(repeats, 20, 200))
    return float((guesses == labels).mean(axis=2).max(axis=1).mean())


def _abs_newton_step(g, H):
    lam, V = np.linalg.eigh(H)
    return -V @ np.diag(1 / np.abs(lam)) @ V.T @ g


def _relu_by_hand():
    """(a1, a2, y) of the chapter's worked 2→3→2→1 network with ReLU units at x = (1, 1); the
    output from the engine, the hidden activations from max(0, z)."""
    weights = [np.array([[0.2, -0.5], [0.7, 0.1], [-0.3, 0.4]]),
               np.array([[0.5, -0.2, 0.3], [-0.6, 0.8, 0.1]]), np.array([[1.0, -0.7]])]
    biases = [np.array([0.1, -0.1, 0.05]), np.array([0.2, -0.3]), np.array([0.05])]
    a1 = np.maximum(weights[0] @ np.ones(2) + biases[0], 0)
    a2 = np.maximum(weights[1] @ a1 + biases[1], 0)
    y = MLP.from_weights(weights, biases, activation="relu").forward(np.ones((1, 2)))[0, 0]
    return a1, a2, float(y)


SHAPES = {"W1": (100, 784), "b1": (100,), "X": (784, 64), "Z1": (100, 64), "Z2": (10, 64)}
W_EX = np.array([[1.0, 2.0], [0.0, -1.0]])
X_EX = np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.0]])
G_EX = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
OUT_KEYS = ("sigmoid + quadratic", "sigmoid + cross-entropy", "linear + quadratic")

# label: book answer, another correct answer, [(wrong answer, message fragment), ...],
#        (malformed answer, message fragment)
TABLE = {
    "ex-01-shapes": (
        SHAPES,
        {**{k: list(v) for k, v in SHAPES.items()}, "b1": (100, 1)},
        [({**SHAPES, "W1": (784, 100)}, "the shape of W1, (784, 100), is not right"),
         ({**SHAPES, "X": (64, 784)}, "the shape of X")],
        ({"W1": (100, 784)}, "has no entry for b1, X, Z1, Z2")),
    "ex-01-collapse": (
        lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2),
        lambda W1, b1, W2, b2: (np.einsum("ij,jk->ik", W2, W1), (W2 @ b1[:, None]) + b2[:, None]),
        [(lambda W1, b1, W2, b2: (W2 @ W1, b2), "differs from the two layers"),
         (lambda W1, b1, W2, b2: (W2 @ W1, b1.sum() + b2), "W is right")],
        (lambda W1, b1, W2, b2: W2 @ W1, "must be a tuple (W, b), got ndarray")),
    "ex-01-nndl-4-5": (
        lambda m0, n, L: sum((a + 1) * b for a, b in
                             zip([m0] + [n // L] * L, [n // L] * L + [1])),
        lambda m0, n, L: (m0 + 1) * n / L + (L - 1) * n**2 / L**2 + n + 1,
        [(lambda m0, n, L: m0 * n / L + (L - 1) * n**2 / L**2 + n / L, "count the biases too"),
         (lambda m0, n, L: n * m0, "counting layer by layer gives")],
        (lambda m0, n, L: "many", "must be a number, got str")),
    "ex-01-relu-by-hand": (
        _relu_by_hand(),
        tuple(np.round(np.ravel(v), 4).tolist() for v in _relu_by_hand()),
        [((np.array([-0.2, 0.7, 0.15]), _relu_by_hand()[1], _relu_by_hand()[2]),
          "a1 is not right at unit 1"),
         ((_relu_by_hand()[0], _relu_by_hand()[1], 0.0), "the output y = 0 is not right"),
         ((sigmoid(np.array([-0.2, 0.7, 0.15])), *_relu_by_hand()[1:]), "sigmoid outputs")],
        ((_relu_by_hand()[0], _relu_by_hand()[1]), "must be a tuple of 3")),
    "ex-02-tanh-delta": (
        lambda a, W, d: (1 - a**2) * (W.T @ d),
        lambda a, W, d: (W.T @ d) / np.cosh(np.arctanh(a)) ** 2,
        [(lambda a, W, d: W.T @ d, "multiply by f'(z)"),
         (lambda a, W, d: (1 - a) * (W.T @ d), "1 minus the square")],
        (lambda a, W, d: (W.T @ d)[0], "must have shape")),
    "ex-02-batch-backward": (
        (G_EX @ X_EX.T, G_EX.sum(axis=1), W_EX.T @ G_EX),
        [(G_EX @ X_EX.T).tolist(), G_EX.sum(axis=1, keepdims=True), (W_EX.T @ G_EX).tolist()],
        [((X_EX @ G_EX.T, G_EX.sum(axis=1), W_EX.T @ G_EX), "dW is transposed"),
         ((G_EX @ X_EX.T, G_EX.mean(axis=1), W_EX.T @ G_EX), "db is wrong at 1"),
         ((G_EX @ X_EX.T, G_EX.sum(axis=1), W_EX @ G_EX), "dX is wrong at")],
        ((G_EX @ X_EX.T, G_EX.sum(axis=1)), "must be a tuple of 3")),
    "ex-03-nndl-4-4": (
        (d_swish, d_gelu),
        (lambda z, beta: sigmoid(beta * z) * (1 + beta * z * (1 - sigmoid(beta * z))),
         lambda z: float(_normal_cdf(z)) + z * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)),
        [((lambda z, beta: sigmoid(beta * z) + z * sigmoid(beta * z) * (1 - sigmoid(beta * z)),
           d_gelu), "d_swish(z, beta=0.5) at z ="),
         ((d_swish, lambda z: _normal_cdf(z)), "d_gelu(z) at z =")],
        ((d_swish,), "must be a tuple of 2")),
    "ex-03-gelu-constant": (
        (C_GATE, C_GELU),
        (round(C_GATE, 2), round(C_GELU, 2)),
        [((1.702, 1.702), "c for GELU = 1.7 is more than 0.01"),
         ((C_GELU, C_GATE), "in the wrong order")],
        (("1.7", C_GELU), "c for Φ must be a number, got str")),
    "ex-03-maxout": (
        {"ReLU": ([1, 0], [0, 0]), "leaky ReLU": ([1, 0.1], [0, 0]), "|z|": ([1, -1], [0, 0])},
        {"ReLU": (np.array([0.0, 1.0]), np.zeros(2)), "leaky ReLU": ([0.1, 1.0], [0.0, 0.0]),
         "|z|": ([-1, 1], [0, 0])},
        [({"ReLU": ([1, 0], [0, 0]), "leaky ReLU": ([1, 0.1], [0, 0]), "|z|": ([1, 1], [0, 0])},
          "maxout with your |z| pieces at z = -6"),
         ({"ReLU": ([1, 0], [0, 1]), "leaky ReLU": ([1, 0.1], [0, 0]), "|z|": ([1, -1], [0, 0])},
          "maxout with your ReLU pieces")],
        ({"ReLU": ([1, 0, 0], [0, 0, 0]), "leaky ReLU": None, "|z|": None}, "shape (2,)")),
    "ex-04-nielsen-sigmoid-derivative": (
        d_sigmoid,
        lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2,
        [(lambda z: sigmoid(z) * (1 + sigmoid(z)), "d_sigmoid(z) at z ="),
         (lambda z: np.exp(-z), "a numerical derivative gives")],
        (lambda z: np.full(3, np.nan), "NaN")),
    "ex-04-nielsen-entropy": (
        lambda y: -(y * math.log(y) + (1 - y) * math.log(1 - y)),
        lambda y: float(-np.sum([q * np.log(q) for q in (y, 1 - y)])),
        [(lambda y: 0.0, "not 0 for a soft target"),
         (lambda y: -(y * math.log2(y) + (1 - y) * math.log2(1 - y)), "min_cost(0.5) is 1")],
        (lambda y: [y, y], "must be one number")),
    "ex-04-nielsen-output-error": (
        {OUT_KEYS[0]: lambda z, y: (sigmoid(z) - y) * d_sigmoid(z),
         OUT_KEYS[1]: lambda z, y: sigmoid(z) - y,
         OUT_KEYS[2]: lambda z, y: z - y},
        {OUT_KEYS[0]: lambda z, y: (sigmoid(z) - y) * sigmoid(z) * sigmoid(-z),
         OUT_KEYS[1]: lambda z, y: 1 / (1 + np.exp(-z)) - y,
         OUT_KEYS[2]: lambda z, y: -(y - z)},
        [({OUT_KEYS[0]: lambda z, y: sigmoid(z) - y, OUT_KEYS[1]: lambda z, y: sigmoid(z) - y,
           OUT_KEYS[2]: lambda z, y: z - y}, "sigmoid + quadratic: δ at z ="),
         ({OUT_KEYS[0]: lambda z, y: (sigmoid(z) - y) * d_sigmoid(z),
           OUT_KEYS[1]: lambda z, y: sigmoid(z) - y,
           OUT_KEYS[2]: lambda z, y: (z - y) * d_sigmoid(z)}, "linear + quadratic: δ at z =")],
        ({OUT_KEYS[0]: lambda z, y: z - y}, "has no entry for 'sigmoid + cross-entropy'")),
    "ex-04-nielsen-sigmoid-sum": (
        np.array([1.0, 2.0]),
        [-3.0, -2.0, -4.0],
        [(np.array([2.0, -2.0]), "sum to 1.0000, which is 1"),
         ([0.0, 0.0], "σ(z) + σ(-z) = 1")],
        (np.array([1.0]), "at least two net inputs")),
    "ex-04-nielsen-monotonicity": (
        softmax_jacobian,
        lambda a: np.diag(a) - a[:, None] * a[None, :],
        [(lambda a: np.diag(a * (1 - a)), "off the diagonal"),
         (lambda a: np.diag(a) + np.outer(a, a), "differs from central differences")],
        (lambda a: np.diag(a)[0], "must have shape (2, 2)")),
    "ex-04-nielsen-inverting": (
        np.log,
        lambda a: np.log(a) + 5.0,
        [(lambda a: a, "softmax(z_from_a(a)) differs from a"),
         (lambda a: np.exp(a), "take logarithms")],
        (lambda a: np.log(a)[:-1], "must have shape")),
    "ex-04-softmax-temperature": (
        (lambda z, y, c: c * (softmax(c * z) - np.eye(len(z))[y]),
         lambda z, c: c * softmax_jacobian(softmax(c * z))),
        (lambda z, y, c: -c * ((np.arange(len(z)) == y) - softmax(c * z))[:, None],
         lambda z, c: c * (np.diag(softmax(c * z)) - np.outer(softmax(c * z), softmax(c * z)))),
        [((lambda z, y, c: softmax(c * z) - np.eye(len(z))[y],
           lambda z, c: c * softmax_jacobian(softmax(c * z))), "the chain rule multiplies"),
         ((lambda z, y, c: c * (softmax(c * z) - np.eye(len(z))[y]),
           lambda z, c: softmax_jacobian(softmax(c * z))), "jacobian for 4 classes at c = 2.5"),
         ((lambda z, y, c: c * (softmax(c * z) - np.eye(len(z))[y]),
           lambda z, c: c * np.diag(softmax(c * z) * (1 - softmax(c * z)))), "quotient rule")],
        ((lambda z, y, c: c * softmax(c * z),), "must be a tuple of 2")),
    "ex-05-nndl-4-2": (
        (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0]), np.array([[1.0, -2.0]]),
         np.zeros(1)),
        [([[1, -1], [-1, 1]], [0, 0], [1, 1], 0.0),
         (np.ones((2, 2)), [0.0, -1.0], [[1.0, -2.0]], [0.0])],
        [((np.ones((2, 2)), np.zeros(2), np.array([[1.0, -1.0]]), np.zeros(1)),
          "output for (0, 1) is 0, expected 1"),
         ((np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[1.0, -1.0]]), np.zeros(1)),
          "output for (1, 1) is 1, expected 0"),
         ((-np.ones((2, 2)), np.zeros(2), np.array([[1.0, 1.0]]), np.zeros(1)),
          "a hidden unit is zero at all four inputs"),
         ([(np.ones((2, 2)), [0.0, -1.0], [[1.0, -2.0]], [0.0]),
           (np.ones((2, 2)), [-1.0, 0.0], [[-2.0, 1.0]], [0.0])],
          "networks 1 and 2 are the same network"),
         ([(np.ones((2, 2)), [0.0, -1.0], [[1.0, -2.0]], [0.0]),
           (np.ones((2, 2)), [0.0, -1.0], [[1.0, -1.0]], [0.0])],
          "network 2: output for (1, 1) is 1, expected 0")],
        ((np.ones((2, 3)), np.zeros(2), np.ones((1, 2)), np.zeros(1)), "W1 must have shape")),
    "ex-05-width": (
        lambda H: (1 / 4) ** H + H * (3 / 4) * (1 / 4) ** (H - 1),
        lambda H: sum(math.comb(H, k) * 0.75**k * 0.25 ** (H - k) for k in (0, 1) if k <= H),
        [(lambda H: 0.25**H, "only the probability that all units are dead"),
         (lambda H: 7 / 16, "p_few(1) is")],
        (lambda H: None, "must be a number, got NoneType")),
    "ex-06-test-once": (
        (_best_of_20_simulated(seed=6), 0.5),
        [round(_best_of_20_simulated(seed=1), 2), 1 / 2],
        [((0.5, 0.5), "accuracy of a typical guesser"),
         ((0.6, 0.5), "more than 0.005 from the exact value"),
         ((0.56, 0.56), "true accuracy 0.56 is not right")],
        ((0.56,), "must be a tuple of 2")),
    "ex-07-nielsen-momentum": (
        lambda mu, lr, lam: np.array([[1 - lr * lam, -lr * mu], [lam, mu]]),
        lambda mu, lr, lam: np.array([[1.0, -lr], [0.0, 1.0]]) @ np.array([[1.0, 0.0], [lam, mu]]),
        [(lambda mu, lr, lam: np.array([[1.0, -lr], [lam, mu]]), "substitute v'"),
         (lambda mu, lr, lam: np.array([[lam, mu], [1 - lr * lam, -lr * mu]]),
          "put w' in the first row")],
        (lambda mu, lr, lam: np.eye(3), "must have shape (2, 2)")),
    "ex-07-nndl-7-2": (
        lambda g, lr, b1, b2: -lr * ((1 - b1) * g) / np.sqrt((1 - b2) * g**2),
        lambda g, lr, b1, b2: -lr * (1 - b1) / math.sqrt(1 - b2) * np.sign(g),
        [(lambda g, lr, b1, b2: -lr * np.sign(g), "that is the step with the corrections"),
         (lambda g, lr, b1, b2: lr * ((1 - b1) * g) / np.sqrt((1 - b2) * g**2), "give w_1 - w_0")],
        (lambda g, lr, b1, b2: g[:2], "must have shape (4,)")),
    "ex-07-newton-saddle": (
        _abs_newton_step,
        lambda g, H: -np.linalg.solve(
            np.linalg.eigh(H)[1] @ np.diag(np.abs(np.linalg.eigh(H)[0])) @ np.linalg.eigh(H)[1].T,
            g),
        [(lambda g, H: -np.linalg.solve(H, g), "that is Newton's step"),
         (lambda g, H: -_abs_newton_step(g, H), "should go downhill")],
        (lambda g, H: np.linalg.inv(H), "must have shape")),
    "ex-08-early-stopping-l2": (
        (lambda h, eta, tau: 1 - (1 - eta * h) ** tau, lambda eta, tau: 1 / (eta * tau)),
        (lambda h, eta, tau: 1 - math.exp(tau * math.log(abs(1 - eta * h))) *
         (1 if (1 - eta * h) >= 0 or tau % 2 == 0 else -1),
         lambda eta, tau: 1.05 / (eta * tau)),
        [((lambda h, eta, tau: 1 - math.exp(-eta * h * tau), lambda eta, tau: 1 / (eta * tau)),
          "steps of gradient descent reach"),
         ((lambda h, eta, tau: 1 - (1 - eta * h) ** tau, lambda eta, tau: eta * tau),
          "α must fall as τ grows")],
        ((lambda h, eta, tau: 1.0, 3.0), "alpha must be a function, got float")),
    "ex-09-nielsen-std": (
        lambda k: math.sqrt(k / 1000 + 1),
        lambda k: np.sqrt(1 + k * 0.001),
        [(lambda k: k / 1000 + 1, "that is the variance"),
         (lambda k: math.sqrt(k / 1000), "the bias is a random variable too")],
        (lambda k: float("nan"), "NaN")),
    "ex-09-xavier-sigmoid": (
        lambda n_in, n_out: 16 * 2 / (n_in + n_out),
        lambda n_in, n_out: (4 * math.sqrt(2 / (n_in + n_out))) ** 2,
        [(lambda n_in, n_out: 2 / (n_in + n_out), "Xavier's variance for tanh"),
         (lambda n_in, n_out: 8 / (n_in + n_out), "enters squared")],
        (lambda n_in, n_out: (n_in, n_out), "must be one number")),
}


def test_every_check_is_in_the_table() -> None:
    assert set(TABLE) == set(CHECKS)


@pytest.mark.parametrize("label", sorted(TABLE))
def test_book_answer_passes(label: str) -> None:
    result = check(label, TABLE[label][0])
    assert result.passed, str(result)


@pytest.mark.parametrize("label", sorted(TABLE))
def test_another_correct_answer_passes(label: str) -> None:
    result = check(label, TABLE[label][1])
    assert result.passed, str(result)


WRONG = [(label, i) for label in sorted(TABLE) for i in range(len(TABLE[label][2]))]


def test_at_least_two_wrong_answers_each() -> None:
    assert all(len(TABLE[label][2]) >= 2 for label in TABLE)


@pytest.mark.parametrize(("label", "i"), WRONG)
def test_wrong_answer_fails_with_its_message(label: str, i: int) -> None:
    answer, fragment = TABLE[label][2][i]
    result = check(label, answer)
    assert result.status == "incorrect", str(result)
    assert fragment in str(result)
    assert str(result).startswith(f"{label}: not yet — ")
    assert result.hint and "\nHint: " in str(result)


@pytest.mark.parametrize("label", sorted(TABLE))
def test_malformed_answer_gets_a_clear_message(label: str) -> None:
    answer, fragment = TABLE[label][3]
    result = check(label, answer)
    assert result.status == "invalid", str(result)
    assert fragment in result.message
    assert str(result).startswith(f"{label}: cannot check this answer — ")


@pytest.mark.parametrize("label", sorted(TABLE))
def test_the_stub_is_not_attempted(label: str) -> None:
    result = check(label, ...)
    assert str(result) == f"{label}: not attempted yet — replace `...` with {CHECKS[label].expects}"
    assert not result


@pytest.mark.parametrize("label", sorted(TABLE))
def test_a_function_stub_is_not_attempted(label: str) -> None:
    """The book's answer with every function replaced by one raising NotImplementedError."""
    answer = TABLE[label][0]

    def stubbed(value):
        if callable(value):
            return _not_implemented
        if isinstance(value, dict):
            return {k: stubbed(v) for k, v in value.items()}
        if isinstance(value, tuple) and any(callable(v) for v in value):
            return tuple(stubbed(v) for v in value)
        return ...

    result = check(label, stubbed(answer))
    assert result.status == "not attempted", str(result)


def test_stub_cell_runs_and_is_not_attempted() -> None:
    """Each registered your-turn cell is valid Python whose check says "not attempted"."""
    for label, entry in CHECKS.items():
        namespace: dict[str, object] = {"np": np, "check": check}
        *body, last = entry.cell.rstrip().splitlines()
        exec("\n".join(body), namespace)  # noqa: S102 - our own stub text
        result = eval(last, namespace)  # noqa: S307
        assert result.status == "not attempted", (label, str(result))


def test_result_text_is_stable() -> None:
    bad = check("ex-05-nndl-4-2", (np.ones((2, 2)), np.zeros(2), np.array([[1.0, -1.0]]), 0.0))
    assert repr(bad) == str(bad)
    assert repr(bad) == repr(check("ex-05-nndl-4-2", (np.ones((2, 2)), np.zeros(2),
                                                      np.array([[1.0, -1.0]]), 0.0)))
    assert isinstance(bad, Result) and not bad.passed


def test_unknown_label_names_near_matches() -> None:
    with pytest.raises(ValueError, match=re.escape("did you mean 'ex-05-nndl-4-2'")):
        check("ex-05-nndl-4-3", 1)
    with pytest.raises(ValueError, match="no check for exercise label 'zzz'"):
        check("zzz", 1)
    with pytest.raises(TypeError, match="label must be an exercise label"):
        check(5, 1)


def test_a_tensor_that_requires_grad_is_named() -> None:
    torch = pytest.importorskip("torch")
    result = check("ex-04-nielsen-sigmoid-sum", torch.tensor([1.0, 2.0], requires_grad=True))
    assert result.status == "invalid"
    assert "requires grad: pass tensor.detach().numpy()" in result.message
    assert check("ex-04-nielsen-sigmoid-sum", torch.tensor([1.0, 2.0])).passed


def test_xor_weights_as_nested_lists_are_one_network() -> None:
    assert check("ex-05-nndl-4-2", [[[1, 1], [1, 1]], [0, -1], [[1, -2]], [0]]).passed


def test_code_errors_in_the_answer_are_reported_not_raised() -> None:
    result = check("ex-04-nielsen-sigmoid-derivative", lambda z: 1 / 0)
    assert result.status == "invalid"
    assert "calling d_sigmoid raised ZeroDivisionError" in result.message


@pytest.mark.parametrize("bad", [None, "0.5", np.array([np.nan, 1.0]), True, {"a": 1}])
def test_wrong_types_are_invalid_everywhere(bad: object) -> None:
    for label in CHECKS:
        result = check(label, bad)
        assert result.status == "invalid", (label, str(result))


def test_coverage_lists_checks_and_quizzes() -> None:
    found = coverage()
    assert all("check" in found[label] for label in CHECKS)
    quizzed = {q.exercise for qs in QUIZZES.values() for q in qs if q.exercise}
    assert quizzed <= set(found)
    assert all("quiz" in found[label] for label in quizzed)


# ---------------------------------------------------------------- quizzes

CHAPTER_LABELS = {m.group(1) for path in (ROOT / "chapters").glob("*.py")
                  for m in re.finditer(r":label: (ex-\S+)", path.read_text())}


def test_every_chapter_has_a_quiz_of_two_to_four_questions() -> None:
    chapters = sorted(p.stem[:2] for p in (ROOT / "chapters").glob("[0-9][0-9]_*.py"))
    assert sorted(QUIZZES) == chapters
    assert all(2 <= len(QUIZZES[c]) <= 4 for c in QUIZZES)


def test_quiz_questions_name_exercises_of_their_chapter() -> None:
    for chapter, questions in QUIZZES.items():
        for q in questions:
            assert q.exercise in CHAPTER_LABELS, q.exercise
            assert q.exercise.startswith(f"ex-{chapter}-"), q.exercise


def test_every_exercise_has_a_check_or_aquiz() -> None:
    assert set(coverage()) <= CHAPTER_LABELS
    missing = sorted(CHAPTER_LABELS - set(coverage()))
    assert not missing, f"exercises with neither a check nor a quiz: {missing}"


@pytest.mark.parametrize("chapter", sorted(QUIZZES))
def test_quiz_html_is_self_contained(chapter: str) -> None:
    page = quiz(chapter)._repr_html_()
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/|\bsrc=|\bhref=|@import|url\(",
                         page, re.I)
    assert page == quiz(chapter)._repr_html_()  # deterministic: nbval compares stored outputs
    n_options = sum(len(q.options) for q in QUIZZES[chapter])
    assert page.count('<button type="button" class="nndl-quiz-option"') == n_options
    n_numeric = sum(q.numeric for q in QUIZZES[chapter])
    assert page.count('class="nndl-quiz-submit"') == n_numeric
    assert page.count('role="status" aria-live="polite"') == len(QUIZZES[chapter])


def test_quiz_script_is_valid_javascript(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    page = quiz("07")._repr_html_()
    script = re.search(r"<script>(.*)</script>", page, re.S).group(1)
    (tmp_path / "quiz.js").write_text(script)
    run = subprocess.run([node, "--check", str(tmp_path / "quiz.js")], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stderr


def test_correct_options_are_not_always_shown_first() -> None:
    shown_at = []
    for chapter, questions in QUIZZES.items():
        page = quiz(chapter)._repr_html_()
        for q in (q for q in questions if q.options):
            # the book's questions are bilingual: the English prompt is in its own span
            block = page.split(f'<span lang="en">{html.escape(q.prompt)}</span>', 1)[1]
            block = block.split("</div>", 1)[0]
            indices = re.findall(r'data-index="(\d+)"', block)
            assert sorted(map(int, indices)) == list(range(len(q.options)))
            shown_at.append(indices.index(str(q.answer)))
    assert len(set(shown_at)) >= 3
    assert max(shown_at.count(p) for p in set(shown_at)) < 0.6 * len(shown_at)


def test_quiz_escapes_text_and_stores_answers() -> None:
    page = quiz([Question("Is <b> bold?", options=("yes & no", "no"), answer=1,
                          explanation="It is a tag."),
                 {"prompt": "2 + 2?", "answer": 4, "tolerance": 0.5,
                  "explanation": "Four."}], title="T")._repr_html_()
    assert "Is &lt;b&gt; bold?" in page and "yes &amp; no" in page
    assert 'data-answer="1"' in page and 'data-answer="4"' in page
    assert 'data-tolerance="0.5"' in page
    assert "<b>" not in page


def test_quiz_text_repr_lists_the_prompts() -> None:
    text = repr(quiz("05"))
    assert text.splitlines()[0] == ("Self-test (4 questions; answer them in the notebook or on "
                                    "the website)")
    assert text.splitlines()[1] == f"1. {QUIZZES['05'][0].prompt}"


@pytest.mark.parametrize(("fields", "error", "fragment"), [
    ({"prompt": "", "answer": 0, "options": ("a", "b"), "explanation": "x"}, ValueError,
     "prompt must be a non-empty string"),
    ({"prompt": "q", "answer": 0, "options": ("a", "b"), "explanation": " "}, ValueError,
     "explanation must be a non-empty string"),
    ({"prompt": "q", "answer": 2, "options": ("a", "b"), "explanation": "x"}, ValueError,
     "answer must be the index of the correct option, 0 to 1, got 2"),
    ({"prompt": "q", "answer": 0, "options": ("a",), "explanation": "x"}, ValueError,
     "at least two choices"),
    ({"prompt": "q", "answer": 0, "options": ("a", "a"), "explanation": "x"}, ValueError,
     "options must be distinct"),
    ({"prompt": "q", "answer": 0, "options": "ab", "explanation": "x"}, TypeError,
     "options must be a tuple of strings, got str"),
    ({"prompt": "q", "answer": float("nan"), "explanation": "x"}, ValueError,
     "must be a finite number"),
    ({"prompt": "q", "answer": 1.0, "tolerance": -1, "explanation": "x"}, ValueError,
     "tolerance must be a number >= 0"),
    ({"prompt": "q", "answer": 1.0, "explanation": "x", "exercise": "4-2"}, ValueError,
     "exercise must be a label"),
])
def test_question_validation(fields: dict, error: type, fragment: str) -> None:
    with pytest.raises(error, match=re.escape(fragment)):
        Question(**fields)


def test_quiz_input_validation() -> None:
    with pytest.raises(KeyError, match="no quiz for chapter '11'"):
        quiz("11")
    with pytest.raises(ValueError, match="at least one question"):
        quiz([])
    with pytest.raises(TypeError, match="question 1 must be a Question or a dict, got int"):
        quiz([3])
    with pytest.raises(TypeError, match="question 1: .*unexpected keyword"):
        quiz([{"prompt": "q", "answer": 1, "explanation": "x", "colour": "red"}])


# ---------------------------------------------------------------- the file of questions

GOOD = """\
[[05]]
prompt = "2 + 2?"
answer = 4
tolerance = 0.5
exercise = "ex-05-sum"
explanation = "Four."

[[05]]
prompt = "Which is even?"
options = ["3", "4"]
answer = 1
exercise = "ex-05-even"
explanation = "4 = 2 · 2."
"""


def test_the_questions_file_reads_into_questions(tmp_path: Path) -> None:
    path = tmp_path / "q.toml"
    path.write_text(GOOD, encoding="utf-8")
    got = load_quizzes(path)
    assert list(got) == ["05"]
    numeric, choice = got["05"]
    assert (numeric.answer, numeric.tolerance, numeric.options) == (4, 0.5, ())
    assert type(numeric.answer) is int  # the stored page writes the answer as it is typed
    assert (choice.options, choice.answer, choice.tolerance) == (("3", "4"), 1, 0.0)


def test_the_book_questions_are_read_from_the_package_file() -> None:
    assert load_quizzes() == QUIZZES


@pytest.mark.parametrize(("change", "error", "fragment"), [
    (("[[05]]", "[[five]]", 1), ValueError, "'five' is not a chapter number such as '05'"),
    (("answer = 1\n", "", 1), ValueError, "chapter 05, question 2: no answer"),
    (("prompt = \"2 + 2?\"\n", "", 1), ValueError, "chapter 05, question 1: no prompt"),
    (("tolerance", "tolerence", 1), ValueError,
     "question 1: unknown field(s) tolerence; a question has prompt, answer"),
    (("ex-05-even", "ex-06-even", 1), ValueError,
     "question 2: exercise must be a label of chapter 05 (ex-05-…), got 'ex-06-even'"),
    (("answer = 1\n", "answer = 2\n", 1), ValueError,
     "chapter 05, question 2: answer must be the index of the correct option, 0 to 1, got 2"),
    (('options = ["3", "4"]', 'options = "34"', 1), TypeError,
     "question 2: options must be a tuple of strings, got str"),
    (("answer = 4", "answer = 4 4", 1), ValueError, "q.toml is not valid TOML"),
])
def test_a_malformed_questions_file_is_refused(tmp_path: Path, change: tuple, error: type,
                                              fragment: str) -> None:
    old, new, count = change
    assert old in GOOD
    path = tmp_path / "q.toml"
    path.write_text(GOOD.replace(old, new, count), encoding="utf-8")
    with pytest.raises(error, match=re.escape(fragment)):
        load_quizzes(path)


def test_a_chapter_must_hold_question_tables(tmp_path: Path) -> None:
    path = tmp_path / "q.toml"
    path.write_text('05 = ["What?"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"chapter 05 must be one or more \[\[05\]\] tables"):
        load_quizzes(path)


# ---------------------------------------------------------------- quizzes in Chinese
_BILINGUAL = dict(prompt="Which?", options=("left", "right"), answer=1, explanation="Because.",
                  prompt_zh="哪一个？", options_zh=("左", "右"), explanation_zh="因为。")


def test_a_chinese_version_must_be_whole() -> None:
    with pytest.raises(ValueError, match="explanation_zh"):
        Question(**{**_BILINGUAL, "explanation_zh": ""})
    with pytest.raises(ValueError, match="options_zh must translate each of the 2"):
        Question(**{**_BILINGUAL, "options_zh": ("左",)})
    with pytest.raises(ValueError, match="options_zh must be distinct"):
        Question(**{**_BILINGUAL, "options_zh": ("左", "左")})
    with pytest.raises(TypeError, match="options_zh must be a tuple"):
        Question(**{**_BILINGUAL, "options_zh": "左右"})


def test_a_bilingual_quiz_carries_both_languages() -> None:
    page = quiz([_BILINGUAL, {**_BILINGUAL, "prompt": "Which one?"}])._repr_html_()
    assert 'data-zh="1"' in page
    assert '<span lang="en">left</span><span lang="zh-CN">左</span>' in page
    assert '<span lang="zh-CN">自测</span>' in page
    assert 'data-explain-zh="因为。"' in page


def test_a_quiz_with_one_english_only_question_stays_english() -> None:
    english = {k: v for k, v in _BILINGUAL.items() if not k.endswith("_zh")}
    page = quiz([_BILINGUAL, english])._repr_html_()
    assert 'lang="zh-CN"' not in page and 'data-zh' not in page
    assert ">left</button>" in page


def test_a_function_check_describes_its_functions_once() -> None:
    """The stub, the your-turn line and the "not attempted" message come from one description."""
    from nndl_book.exercises._core import describe_functions

    assert describe_functions((("f(x)", "the value"),)) == "a function f(x) returning the value"
    assert (describe_functions((("f(x)", "F"), ("g(x, y)", "G")))
            == "two functions, f(x) returning F, and g(x, y) returning G")
    entry = CHECKS["ex-03-nndl-4-4"]
    assert entry.expects == ("two functions, d_swish(z, beta) returning the derivative of "
                             "z * sigmoid(beta * z), and d_gelu(z) returning the derivative of "
                             "z * Phi(z)")
    assert entry.stub == (
        "def my_d_swish(z, beta):\n"
        "    raise NotImplementedError  # edit: return the derivative of z * sigmoid(beta * z)\n"
        "def my_d_gelu(z):\n"
        "    raise NotImplementedError  # edit: return the derivative of z * Phi(z)\n"
        "answer = (my_d_swish, my_d_gelu)")


def test_a_quiz_title_in_chinese_is_a_title_or_nothing() -> None:
    with pytest.raises(TypeError, match="title_zh must be a string, got int"):
        quiz("05", title_zh=5)
    with pytest.raises(ValueError, match="title_zh must be a title or empty"):
        quiz("05", title_zh="  ")
