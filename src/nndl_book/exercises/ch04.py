"""Checks for chapter 4, loss functions."""

from __future__ import annotations

import numpy as np

from nndl_book.exercises._core import (
    Invalid,
    Wrong,
    as_array,
    as_function,
    as_tuple,
    call,
    call_number,
    elementwise,
    exercise_check,
    finite_difference,
    fmt,
    type_name,
    worst,
)
from nndl_book.maths.activations import sigmoid
from nndl_book.maths.losses import softmax

GRID = np.linspace(-8.0, 8.0, 65)


@exercise_check("ex-04-nielsen-sigmoid-derivative", "a function d_sigmoid(z)",
                "def my_d_sigmoid(z):\n"
                "    raise NotImplementedError  # edit: σ'(z) written with σ(z)")
def sigmoid_derivative(answer: object) -> str:
    fn = as_function("the answer", answer)
    got = elementwise("d_sigmoid", fn, GRID)
    worst("d_sigmoid(z)", got, finite_difference(sigmoid, GRID), GRID, 1e-7,
          "differentiate (1 + e^(-z))^(-1) with the chain rule, then write e^(-z)/(1 + e^(-z)) "
          "with σ(z).")
    return "your σ' agrees with central differences on [-8, 8]"


def _cross_entropy(a: np.ndarray, y: float) -> np.ndarray:
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


@exercise_check("ex-04-nielsen-entropy",
                "a function min_cost(y): the smallest cross-entropy over outputs a, for 0 < y < 1",
                "def my_min_cost(y):\n"
                "    raise NotImplementedError  # edit: min over a of -[y ln a + (1-y) ln(1-a)]")
def entropy(answer: object) -> str:
    fn = as_function("the answer", answer)
    a = np.linspace(1e-4, 1 - 1e-4, 99_999)
    for y in (0.5, 0.02, 0.1, 0.3, 0.7, 0.9, 0.98):
        want = float(np.min(_cross_entropy(a, y)))
        got = call_number("min_cost", fn, y)
        if abs(got - want) > 1e-6:
            hint = ("the minimum of the cross-entropy is not 0 for a soft target." if got == 0
                    else "C'(a) = (a - y)/(a(1 - a)): where is it zero, and what is C there?")
            raise Wrong(f"min_cost({fmt(y)}) is {fmt(got)}, the smallest cross-entropy on a "
                        f"fine grid of a is {want:.4f}", hint)
    return "your minimum matches the smallest cross-entropy for seven targets between 0 and 1"


OUTPUT_CASES = {
    "sigmoid + quadratic": (sigmoid, lambda a, y: 0.5 * (a - y) ** 2),
    "sigmoid + cross-entropy": (sigmoid, lambda a, y: -(y * np.log(a) + (1 - y) * np.log(1 - a))),
    "linear + quadratic": (lambda z: z, lambda a, y: 0.5 * (a - y) ** 2),
}


@exercise_check("ex-04-nielsen-output-error",
                "a dict of three functions delta(z, y) = ∂C/∂z for the output layer",
                'answer = {"sigmoid + quadratic": ..., "sigmoid + cross-entropy": ...,\n'
                '          "linear + quadratic": ...}  # edit: functions delta(z, y)')
def output_error(answer: object) -> str:
    if not isinstance(answer, dict):
        raise Invalid(f"the answer must be a dict with keys {', '.join(map(repr, OUTPUT_CASES))}"
                      f", got {type_name(answer)}")
    missing = [k for k in OUTPUT_CASES if k not in answer]
    if missing:
        raise Invalid(f"the answer has no entry for {', '.join(map(repr, missing))}")
    rng = np.random.default_rng(404)
    z = rng.normal(scale=2.0, size=6)
    y = np.array([0.0, 1.0, 1.0, 0.0, 0.3, 0.8])
    for name, (act, cost) in OUTPUT_CASES.items():
        fn = as_function(f"answer[{name!r}]", answer[name])
        got = as_array(f"{name}: delta(z, y)", call(name, fn, z.copy(), y.copy()), z.shape)
        want = finite_difference(lambda t, act=act, cost=cost: cost(act(t), y), z)
        worst(f"{name}: δ", got, want, z, 1e-6,
              "δ = ∂C/∂a · ∂a/∂z; for the sigmoid write ∂a/∂z with a.",
              reference="∂C/∂z by central differences is")
    return "all three output errors agree with central differences"


@exercise_check("ex-04-nielsen-sigmoid-sum",
                "net inputs z (at least two) whose sigmoid outputs do not sum to 1",
                "answer = ...  # edit: a numpy array of net inputs z^L")
def sigmoid_sum(answer: object) -> str:
    z = as_array("z", answer)
    if z.ndim != 1 or z.size < 2:
        raise Invalid(f"z must be a vector of at least two net inputs, got shape {z.shape}")
    total = float(np.sum(sigmoid(z)))
    if abs(total - 1.0) < 0.01:
        raise Wrong(f"the sigmoid outputs sum to {total:.4f}, which is 1 (to 0.01)",
                    "σ(z) + σ(-z) = 1: choose net inputs that are not paired like that.")
    return f"the {z.size} sigmoid outputs sum to {total:.4f}, not 1"


def _softmax_jacobian_by_differences(z: np.ndarray) -> np.ndarray:
    h = 1e-6
    cols = [(softmax(z + h * e) - softmax(z - h * e)) / (2 * h) for e in np.eye(len(z))]
    return np.stack(cols, axis=1)  # (j, k): ∂a_j / ∂z_k


@exercise_check("ex-04-nielsen-monotonicity",
                "a function jacobian(a) giving ∂a_j/∂z_k from the softmax output a",
                "def my_jacobian(a):\n"
                "    raise NotImplementedError"
                "  # edit: K×K matrix of ∂a_j/∂z_k, from a = softmax(z)")
def monotonicity(answer: object) -> str:
    fn = as_function("the answer", answer)
    rng = np.random.default_rng(405)
    for k in (2, 3, 5):
        z = rng.normal(scale=2.0, size=k)
        a = softmax(z)
        got = as_array(f"jacobian(a) for {k} classes", call("jacobian", fn, a.copy()), (k, k))
        want = _softmax_jacobian_by_differences(z)
        gap = float(np.max(np.abs(got - want)))
        if gap > 1e-6:
            diag_ok = np.allclose(np.diag(got), np.diag(want), atol=1e-6)
            raise Wrong(f"for {k} classes your Jacobian differs from central differences by up "
                        f"to {fmt(gap)}" + (" off the diagonal" if diag_ok else ""),
                        "differentiate e^(z_j) / Σ e^(z_k) by the quotient rule, for j = k and "
                        "for j ≠ k, and write the result with the a's.")
    return "your Jacobian agrees with central differences for 2, 3 and 5 classes"


@exercise_check("ex-04-nielsen-inverting",
                "a function z_from_a(a) giving net inputs whose softmax is a",
                "def my_z_from_a(a):\n"
                "    raise NotImplementedError  # edit: net inputs z with softmax(z) = a")
def inverting(answer: object) -> str:
    fn = as_function("the answer", answer)
    rng = np.random.default_rng(406)
    for k in (2, 4, 6):
        a = softmax(rng.normal(scale=1.5, size=k))
        z = as_array(f"z_from_a(a) for {k} classes", call("z_from_a", fn, a.copy()), (k,))
        back = softmax(z)
        gap = float(np.max(np.abs(back - a)))
        if gap > 1e-9:
            raise Wrong(f"softmax(z_from_a(a)) differs from a by up to {fmt(gap)} "
                        f"({k} classes)", "take logarithms of a_j = e^(z_j) / Σ_k e^(z_k).")
    return "softmax(z_from_a(a)) gives back a for 2, 4 and 6 classes"


def _temperature_cost(z: np.ndarray, y: int, c: float) -> float:
    return float(-np.log(softmax(c * z)[y]))


@exercise_check("ex-04-softmax-temperature",
                "two functions (grad(z, y, c), jacobian(z, c)) for a = softmax(c z)",
                "def my_grad(z, y, c):\n"
                "    raise NotImplementedError  # edit: dC/dz of C = -ln softmax(c z)[y]\n"
                "def my_jacobian(z, c):\n"
                "    raise NotImplementedError  # edit: K×K matrix of ∂a_i/∂z_j, a = softmax(c z)\n"
                "answer = (my_grad, my_jacobian)")
def softmax_temperature(answer: object) -> str:
    grad, jac = as_tuple("the answer", answer, 2, "(grad, jacobian)")
    grad, jac = as_function("grad", grad), as_function("jacobian", jac)
    rng = np.random.default_rng(407)
    h = 1e-6
    for k, c in ((4, 2.5), (3, 0.3), (5, 1.0)):
        z, y = rng.normal(size=k), int(rng.integers(k))
        eye = np.eye(k)
        got = as_array(f"grad(z, {y}, {fmt(c)}) for {k} classes",
                       call("grad", grad, z.copy(), y, c), (k,), squeeze=True)
        want = np.array([(_temperature_cost(z + h * e, y, c) - _temperature_cost(z - h * e, y, c))
                         / (2 * h) for e in eye])
        gap = float(np.max(np.abs(got - want)))
        if gap > 1e-6:
            no_c = np.allclose(got * c, want, atol=1e-6) or np.allclose(got, want / c, atol=1e-6)
            hint = ("with u = c z, ∂u_j/∂z_j = c: the chain rule multiplies ∂C/∂u by c."
                    if no_c else "for c = 1 this is the softmax layer's a - y, with y one-hot.")
            raise Wrong(f"grad for {k} classes at c = {fmt(c)} differs from central differences "
                        f"by up to {fmt(gap)}", hint)
        got_j = as_array(f"jacobian(z, {fmt(c)}) for {k} classes",
                         call("jacobian", jac, z.copy(), c), (k, k))
        want_j = np.stack([(softmax(c * (z + h * e)) - softmax(c * (z - h * e))) / (2 * h)
                           for e in eye], axis=1)  # (i, j): ∂a_i/∂z_j
        gap = float(np.max(np.abs(got_j - want_j)))
        if gap > 1e-6:
            no_c = np.allclose(got_j * c, want_j, atol=1e-6)
            hint = ("you have the Jacobian of softmax(u) in u: the chain rule through u = c z "
                    "adds a factor." if no_c else
                    "differentiate e^(c z_i) / Σ e^(c z_k) by the quotient rule, for i = j and "
                    "for i ≠ j.")
            raise Wrong(f"jacobian for {k} classes at c = {fmt(c)} differs from central "
                        f"differences by up to {fmt(gap)}", hint)
    return "grad and jacobian agree with central differences for c = 2.5, 0.3 and 1"
