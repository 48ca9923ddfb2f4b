"""Checks for chapter 1, forward propagation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nndl_book.exercises._core import (
    Invalid,
    Wrong,
    as_array,
    as_dict,
    as_number,
    as_tuple,
    call,
    call_number,
    exercise_check,
    fmt,
    function_check,
)
from nndl_book.maths.activations import relu, sigmoid

SHAPE_NAMES = ("W1", "b1", "X", "Z1", "Z2")


def _shape(name: str, value: object) -> tuple[int, ...]:
    if not isinstance(value, (tuple, list)) or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        raise Invalid(f"the shape of {name} must be a tuple of integers such as (3, 4), "
                      f"got {value!r}")
    return tuple(int(v) for v in value)


@exercise_check("ex-01-shapes", "a dict of the five shapes, e.g. {'W1': (rows, columns), ...}",
                'answer = {"W1": ..., "b1": ..., "X": ..., "Z1": ..., "Z2": ...}'
                "  # edit: shapes as tuples")
def shapes(answer: object) -> str:
    as_dict(answer, SHAPE_NAMES, show=str)
    got = {k: _shape(k, answer[k]) for k in SHAPE_NAMES}
    D, H, K, N = 784, 100, 10, 64
    want = {"W1": [(H, D)], "b1": [(H,), (H, 1)], "X": [(D, N)], "Z1": [(H, N)], "Z2": [(K, N)]}
    hints = {"W1": "W maps the previous layer to this one: one row per neuron of this layer.",
             "b1": "one bias per neuron of the layer.",
             "X": "examples are stored as columns.",
             "Z1": "Z = W X + b: rows come from W, columns from X.",
             "Z2": "the output layer has one row per output neuron, one column per example."}
    for k in SHAPE_NAMES:
        if got[k] not in want[k]:
            raise Wrong(f"the shape of {k}, {got[k]}, is not right", hints[k])
    return "all five shapes are right (784 → 100 → 10, batches of 64 as columns)"


@function_check("ex-01-collapse",
                ("collapse(W1, b1, W2, b2)", "(W, b) of the one equivalent layer"))
def collapse(fn: Callable[..., object]) -> str:
    rng = np.random.default_rng(101)
    for n_in, n_hidden, n_out in [(2, 3, 1), (4, 5, 3), (3, 2, 2)]:
        W1, b1 = rng.normal(size=(n_hidden, n_in)), rng.normal(size=n_hidden)
        W2, b2 = rng.normal(size=(n_out, n_hidden)), rng.normal(size=n_out)
        result = call("collapse", fn, W1.copy(), b1.copy(), W2.copy(), b2.copy())
        W, b = as_tuple("collapse(...)", result, 2, "(W, b)")
        W = as_array("W", W, (n_out, n_in))
        b = as_array("b", b, (n_out,), squeeze=True)
        x = rng.normal(size=(n_in, 7))
        two = W2 @ (W1 @ x + b1[:, None]) + b2[:, None]
        one = W @ x + b[:, None]
        gap = float(np.max(np.abs(two - one)))
        if gap > 1e-8 * (1 + np.max(np.abs(two))):
            both_w = np.allclose(W @ x, W2 @ W1 @ x)
            hint = ("W is right; expand W2 (W1 x + b1) + b2 and collect the terms without x."
                    if both_w else "expand W2 (W1 x + b1) + b2 and collect the terms with x.")
            raise Wrong(f"for a {n_in}-{n_hidden}-{n_out} network your layer differs from the "
                        f"two layers by up to {fmt(gap)}", hint)
    return "W x + b equals the two-layer network on random weights of three sizes"


@function_check("ex-01-nndl-4-5",
                ("n_parameters(m0, n_hidden, n_layers)",
                 "the number of weights and biases of the whole network"))
def parameter_count(fn: Callable[..., object]) -> str:
    for m0, n, layers in [(10, 120, 1), (10, 120, 2), (10, 120, 3), (10, 120, 12), (3, 12, 4),
                          (784, 60, 5), (1, 6, 6)]:
        width = n // layers
        sizes = [m0] + [width] * layers + [1]
        want = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
        got = call_number("n_parameters", fn, m0, n, layers)
        if abs(got - want) > 1e-6 * want:
            only_weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
            hint = ("count the biases too: one per neuron of every layer after the input."
                    if abs(got - only_weights) < 0.5 else
                    "count layer by layer: (inputs + 1) × neurons for each of the L + 1 layers.")
            raise Wrong(f"n_parameters({m0}, {n}, {layers}) is {fmt(got)}, counting layer by "
                        f"layer gives {want}", hint)
    return "the count is right for seven networks, from 1 to 12 hidden layers"


# The chapter's worked 2→3→2→1 network (section "Forward propagation in numpy").
WORKED_W = (np.array([[0.2, -0.5], [0.7, 0.1], [-0.3, 0.4]]),
            np.array([[0.5, -0.2, 0.3], [-0.6, 0.8, 0.1]]),
            np.array([[1.0, -0.7]]))
WORKED_B = (np.array([0.1, -0.1, 0.05]), np.array([0.2, -0.3]), np.array([0.05]))
BY_HAND = 5e-4  # four decimals, as a hand computation gives them


def _relu_pass(x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    zs, acts, a = [], [], x
    for layer, (W, b) in enumerate(zip(WORKED_W, WORKED_B), start=1):
        z = W @ a + b
        a = z if layer == len(WORKED_W) else relu(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


@exercise_check("ex-01-relu-by-hand",
                "(a1, a2, y): the 3 and 2 hidden ReLU activations and the output for x = (1, 1)",
                "answer = (..., ..., ...)"
                "  # edit: a1 (3 numbers), a2 (2 numbers), output y, for x = (1, 1)")
def relu_by_hand(answer: object) -> str:
    a1, a2, y = as_tuple("the answer", answer, 3, "(a1, a2, y)")
    got = [as_array("a1", a1, (3,), squeeze=True), as_array("a2", a2, (2,), squeeze=True),
           as_number("y", y)]
    zs, want = _relu_pass(np.array([1.0, 1.0]))
    for layer, name in ((1, "a1"), (2, "a2")):
        mine, right, z = got[layer - 1], want[layer - 1], zs[layer - 1]
        if np.max(np.abs(mine - right)) <= BY_HAND:
            continue
        j = int(np.argmax(np.abs(mine - right)))
        if layer == 1 and np.allclose(mine, sigmoid(z), atol=BY_HAND):
            hint = "these are sigmoid outputs: a ReLU unit outputs max(0, z)."
        elif np.allclose(mine, z, atol=BY_HAND):
            hint = "a ReLU unit outputs 0 when its net input is negative."
        elif layer == 2:
            hint = "layer 2 takes layer 1's ReLU activations (with zeros) as its input."
        else:
            hint = "z = W x + b with the worked weights and biases, then max(0, z)."
        raise Wrong(f"{name} is not right at unit {j + 1} (you have {fmt(float(mine[j]))})", hint)
    if abs(got[2] - float(want[2][0])) > BY_HAND:
        hint = ("the output unit is linear: no ReLU on the last layer." if got[2] == 0 else
                "y = W3 a2 + b3 with your (right) a2.")
        raise Wrong(f"the output y = {fmt(got[2])} is not right", hint)
    off = [j + 1 for j in range(3) if zs[0][j] <= 0]
    return (f"a1, a2 and y agree to four decimals; unit{'s' if len(off) > 1 else ''} "
            f"{', '.join(map(str, off))} of layer 1 {'are' if len(off) > 1 else 'is'} off")
