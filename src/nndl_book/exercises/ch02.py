"""Checks for chapter 2, backpropagation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nndl_book.exercises._core import (
    Wrong,
    as_array,
    as_tuple,
    call,
    exercise_check,
    finite_difference,
    fmt,
    function_check,
)


@function_check("ex-02-tanh-delta",
                ("delta_below(a, W_next, delta_next)",
                 "δ of a tanh layer, computed from its activation a only"))
def tanh_delta(fn: Callable[..., object]) -> str:
    rng = np.random.default_rng(202)
    for n_here, n_next, batch in [(3, 1, 4), (3, 3, 4), (5, 2, 1)]:
        z = rng.normal(scale=1.5, size=(n_here, batch))
        a = np.tanh(z)
        W_next = rng.normal(size=(n_next, n_here))
        delta_next = rng.normal(size=(n_next, batch))
        got = as_array("delta_below(a, W_next, delta_next)",
                       call("delta_below", fn, a.copy(), W_next.copy(), delta_next.copy()),
                       (n_here, batch))
        # the chain rule through z: tanh'(z) by central differences, not by a formula
        want = finite_difference(np.tanh, z, h=1e-6) * (W_next.T @ delta_next)
        gap = float(np.max(np.abs(got - want)))
        if gap > 1e-6 * (1 + np.max(np.abs(want))):
            if np.allclose(got, W_next.T @ delta_next):
                hint = "the error passes through the activation too: multiply by f'(z)."
            elif np.allclose(got, (1 - a) * (W_next.T @ delta_next)):
                hint = "tanh'(z) is 1 minus the square of tanh(z)."
            else:
                hint = ("δ below = f'(z) ⊙ (W_nextᵀ δ_next), with f'(z) written in terms of "
                        "a = tanh(z).")
            raise Wrong(f"for a layer of {n_here} units below {n_next} your δ differs from the "
                        f"chain rule by up to {fmt(gap)}", hint)
    return "your δ agrees with the chain rule for three layer sizes, from a = tanh(z) alone"


W_EX = np.array([[1.0, 2.0], [0.0, -1.0]])
X_EX = np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.0]])
G_EX = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])


def _grads_by_differences() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dL/dW, dL/db, dL/dX of L = sum(G * Z), Z = W X + b, by central differences."""
    b = np.array([0.5, -2.0])

    def loss(W: np.ndarray, b: np.ndarray, X: np.ndarray) -> float:
        return float(np.sum(G_EX * (W @ X + b[:, None])))

    out = []
    for k, arr in enumerate((W_EX, b, X_EX)):
        grad = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            args = [W_EX.copy(), b.copy(), X_EX.copy()]
            args[k][idx] += 0.5
            up = loss(*args)
            args[k][idx] -= 1.0
            grad[idx] = up - loss(*args)
        out.append(grad)
    return out[0], out[1], out[2]


@exercise_check("ex-02-batch-backward", "your three gradients (dW, db, dX) as arrays",
                "answer = (..., ..., ...)  # edit: dL/dW, dL/db, dL/dX as numpy arrays")
def batch_backward(answer: object) -> str:
    dW, db, dX = as_tuple("the answer", answer, 3, "(dW, db, dX)")
    dW = as_array("dW", dW, (2, 2))
    db = as_array("db", db, (2,), squeeze=True)
    dX = as_array("dX", dX, (2, 3))
    want_W, want_b, want_X = _grads_by_differences()
    hints = {"dW": "entry (i, j) sums, over the three examples, neuron i's error times input j.",
             "db": "the bias is added to every column: its gradient adds up the errors of all "
                   "examples.",
             "dX": "each input feeds every neuron of the layer: weight the errors by W's column."}
    for name, got, want in (("dW", dW, want_W), ("db", db, want_b), ("dX", dX, want_X)):
        bad = np.argwhere(np.abs(got - want) > 1e-6).tolist()
        if bad:
            where = ", ".join(str(tuple(i)) if len(i) > 1 else str(i[0]) for i in bad[:3])
            if got.shape == want.shape == (2, 2) and np.allclose(got, want.T):
                raise Wrong(f"{name} is transposed", "dL/dW has the shape of W: (neurons, inputs).")
            more = " and more" if len(bad) > 3 else ""
            raise Wrong(f"{name} is wrong at {where}{more}", hints[name])
    return "dW, db and dX are all right (and none depends on b)"
