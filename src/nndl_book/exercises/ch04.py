"""Checks for chapter 4, loss functions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nndl_book.exercises._core import (
    Invalid,
    Wrong,
    as_array,
    as_dict,
    as_function,
    call,
    call_number,
    elementwise,
    exercise_check,
    finite_difference,
    fmt,
    function_check,
    jacobian_by_differences,
    worst,
)
from nndl_book.maths.activations import sigmoid
from nndl_book.maths.losses import softmax

GRID = np.linspace(-8.0, 8.0, 65)


@function_check("ex-04-nielsen-sigmoid-derivative", ("d_sigmoid(z)", "σ'(z), written with σ(z)"))
def sigmoid_derivative(fn: Callable[..., object]) -> str:
    got = elementwise("d_sigmoid", fn, GRID)
    worst("d_sigmoid(z)", got, finite_difference(sigmoid, GRID), GRID, 1e-7,
          "differentiate (1 + e^(-z))^(-1) with the chain rule, then write e^(-z)/(1 + e^(-z)) "
          "with σ(z).")
    return "your σ' agrees with central differences on [-8, 8]"


def _cross_entropy(a: np.ndarray, y: float) -> np.ndarray:
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


@function_check("ex-04-nielsen-entropy",
                ("min_cost(y)",
                 "the smallest cross-entropy -[y ln a + (1-y) ln(1-a)] over 0 < a < 1"))
def entropy(fn: Callable[..., object]) -> str:
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
    as_dict(answer, OUTPUT_CASES)
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


@function_check("ex-04-nielsen-monotonicity",
                ("jacobian(a)", "the K×K matrix of ∂a_j/∂z_k, from the softmax output a"))
def monotonicity(fn: Callable[..., object]) -> str:
    rng = np.random.default_rng(405)
    for k in (2, 3, 5):
        z = rng.normal(scale=2.0, size=k)
        a = softmax(z)
        got = as_array(f"jacobian(a) for {k} classes", call("jacobian", fn, a.copy()), (k, k))
        want = jacobian_by_differences(softmax, z)  # (j, k): ∂a_j / ∂z_k
        gap = float(np.max(np.abs(got - want)))
        if gap > 1e-6:
            diag_ok = np.allclose(np.diag(got), np.diag(want), atol=1e-6)
            raise Wrong(f"for {k} classes your Jacobian differs from central differences by up "
                        f"to {fmt(gap)}" + (" off the diagonal" if diag_ok else ""),
                        "differentiate e^(z_j) / Σ e^(z_k) by the quotient rule, for j = k and "
                        "for j ≠ k, and write the result with the a's.")
    return "your Jacobian agrees with central differences for 2, 3 and 5 classes"


@function_check("ex-04-nielsen-inverting", ("z_from_a(a)", "net inputs z with softmax(z) = a"))
def inverting(fn: Callable[..., object]) -> str:
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


@function_check("ex-04-softmax-temperature",
                ("grad(z, y, c)", "dC/dz of C = -ln softmax(c z)[y]"),
                ("jacobian(z, c)", "the K×K matrix of ∂a_i/∂z_j, a = softmax(c z)"))
def softmax_temperature(grad: Callable[..., object], jac: Callable[..., object]) -> str:
    rng = np.random.default_rng(407)
    for k, c in ((4, 2.5), (3, 0.3), (5, 1.0)):
        z, y = rng.normal(size=k), int(rng.integers(k))
        got = as_array(f"grad(z, {y}, {fmt(c)}) for {k} classes",
                       call("grad", grad, z.copy(), y, c), (k,), squeeze=True)
        want = jacobian_by_differences(lambda t, y=y, c=c: _temperature_cost(t, y, c), z)
        gap = float(np.max(np.abs(got - want)))
        if gap > 1e-6:
            no_c = np.allclose(got * c, want, atol=1e-6) or np.allclose(got, want / c, atol=1e-6)
            hint = ("with u = c z, ∂u_j/∂z_j = c: the chain rule multiplies ∂C/∂u by c."
                    if no_c else "for c = 1 this is the softmax layer's a - y, with y one-hot.")
            raise Wrong(f"grad for {k} classes at c = {fmt(c)} differs from central differences "
                        f"by up to {fmt(gap)}", hint)
        got_j = as_array(f"jacobian(z, {fmt(c)}) for {k} classes",
                         call("jacobian", jac, z.copy(), c), (k, k))
        want_j = jacobian_by_differences(lambda t, c=c: softmax(c * t), z)  # (i, j): ∂a_i/∂z_j
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
