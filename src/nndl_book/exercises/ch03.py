"""Checks for chapter 3, activation functions."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nndl_book.exercises._core import (
    Wrong,
    as_array,
    as_dict,
    as_number,
    as_tuple,
    elementwise,
    exercise_check,
    finite_difference,
    fmt,
    function_check,
    worst,
)
from nndl_book.maths.activations import gelu, leaky_relu, relu, sigmoid, swish

GRID = np.linspace(-6.0, 6.0, 97)


@function_check("ex-03-nndl-4-4",
                ("d_swish(z, beta)", "the derivative of z * sigmoid(beta * z)"),
                ("d_gelu(z)", "the derivative of z * Phi(z)"))
def swish_gelu(d_swish_fn: Callable[..., object], d_gelu_fn: Callable[..., object]) -> str:
    for beta in (0.5, 1.0, 2.0):
        got = elementwise("d_swish", d_swish_fn, GRID, beta)
        want = finite_difference(lambda t, beta=beta: swish(t, beta), GRID)
        worst(f"d_swish(z, beta={fmt(beta)})", got, want, GRID, 1e-6,
              "product rule on z · σ(βz), and the chain rule gives σ(βz)'s derivative a factor β.")
    got = elementwise("d_gelu", d_gelu_fn, GRID)
    worst("d_gelu(z)", got, finite_difference(gelu, GRID), GRID, 1e-6,
          "product rule on z · Φ(z); the derivative of the normal CDF Φ is the normal density.")
    return "both derivatives agree with central differences on [-6, 6] (swish for β = 0.5, 1, 2)"


def _best_constants() -> tuple[float, float, float, float]:
    """The minimax constants and their errors, by golden-section search on [-8, 8]."""
    grid = np.linspace(-8.0, 8.0, 16_001)
    cdf = 0.5 * (1.0 + np.vectorize(math.erf)(grid / math.sqrt(2.0)))
    g = gelu(grid)

    def gate(c: float) -> float:
        return float(np.max(np.abs(cdf - sigmoid(c * grid))))

    def whole(c: float) -> float:
        return float(np.max(np.abs(g - grid * sigmoid(c * grid))))

    best = []
    for err in (gate, whole):
        a, b, r = 1.5, 1.9, (math.sqrt(5) - 1) / 2
        for _ in range(50):
            c, d = b - r * (b - a), a + r * (b - a)
            a, b = (a, d) if err(c) < err(d) else (c, b)
        best += [(a + b) / 2, err((a + b) / 2)]
    return best[0], best[1], best[2], best[3]


_BEST: list[tuple[float, float, float, float]] = []

C_TOL = 0.01


@exercise_check("ex-03-gelu-constant", "your two constants (c for Φ, c for GELU)",
                "answer = (..., ...)"
                "  # edit: best c for σ(cz) ≈ Φ(z), best c for z σ(cz) ≈ GELU(z)")
def gelu_constant(answer: object) -> str:
    c_gate, c_gelu = as_tuple("the answer", answer, 2, "(c for Φ, c for GELU)")
    c_gate, c_gelu = as_number("c for Φ", c_gate), as_number("c for GELU", c_gelu)
    if not _BEST:
        _BEST.append(_best_constants())
    best_gate, _, best_gelu, _ = _BEST[0]
    for name, c, best in (("c for Φ", c_gate, best_gate), ("c for GELU", c_gelu, best_gelu)):
        if abs(c - best) > C_TOL:
            swapped = abs(c_gate - best_gelu) <= C_TOL and abs(c_gelu - best_gate) <= C_TOL
            raise Wrong(f"{name} = {fmt(c)} is more than {C_TOL} from the constant with the "
                        "smallest largest error on [-8, 8]",
                        "the two constants are in the wrong order." if swapped else
                        "measure the largest absolute difference on a fine grid over [-8, 8] "
                        "and minimise it over c, e.g. by golden-section search on [1.5, 1.9].")
    return f"both constants are within {C_TOL} of the minimax ones"


PIECE_TARGETS = {"ReLU": relu, "leaky ReLU": lambda t: leaky_relu(t, 0.1), "|z|": np.abs}


@exercise_check("ex-03-maxout",
                "a dict of pieces `{'ReLU': (w, b), 'leaky ReLU': (w, b), '|z|': (w, b)}`, "
                "each w and b of length 2",
                'answer = {"ReLU": (..., ...), "leaky ReLU": (..., ...), "|z|": (..., ...)}'
                "  # edit: (slopes w, intercepts b)")
def maxout(answer: object) -> str:
    as_dict(answer, PIECE_TARGETS)
    for name, target in PIECE_TARGETS.items():
        w, b = as_tuple(f"answer[{name!r}]", answer[name], 2, "(w, b)")
        w, b = as_array(f"w of {name}", w, (2,)), as_array(f"b of {name}", b, (2,))
        got = np.max(np.outer(GRID, w) + b, axis=1)
        worst(f"maxout with your {name} pieces", got, target(GRID), GRID, 1e-9,
              f"{name} is the larger of two lines through the origin: which two?",
              reference=f"{name} is")
    return "all three maxout units compute their targets on [-6, 6]"
