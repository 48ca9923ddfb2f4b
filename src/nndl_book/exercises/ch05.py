"""Checks for chapter 5, XOR with ReLU units."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nndl_book.exercises._core import (
    Wrong,
    as_array,
    as_tuple,
    call_number,
    exercise_check,
    fmt,
    function_check,
)

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])
XOR_TOL = 1e-3


@exercise_check("ex-05-nndl-4-2",
                "your weights (W1, b1, W2, b2) of shapes (2, 2), (2,), (1, 2), (1,)",
                "answer = (..., ..., ..., ...)  # edit: W1 (2×2), b1 (2,), W2 (1×2), b2 (1,)")
def xor_networks(answer: object) -> str:
    """One network (W1, b1, W2, b2), or a list of networks that must all differ."""
    several = isinstance(answer, list) and len(answer) >= 2 and all(
        isinstance(net, (tuple, list)) and len(net) == 4 for net in answer)
    if not several:
        return _xor_network("the answer", answer)[0]
    units = [_xor_network(f"network {i}", net)[1] for i, net in enumerate(answer, start=1)]
    for i in range(len(units)):
        for j in range(i):
            if units[i].shape == units[j].shape and np.allclose(units[i], units[j]):
                raise Wrong(f"networks {j + 1} and {i + 1} are the same network (at most the "
                            "hidden units are swapped)",
                            "look for another way to build XOR of two bits from two ReLU units.")
    return f"all {len(units)} networks compute XOR on all four inputs, and they differ"


def _xor_network(name: str, answer: object) -> tuple[str, np.ndarray]:
    """Check one network; return the message and its hidden units in a canonical order."""
    W1, b1, W2, b2 = as_tuple(name, answer, 4, "(W1, b1, W2, b2)")
    W1 = as_array("W1", W1, (2, 2))
    b1 = as_array("b1", b1, (2,), squeeze=True)
    W2 = as_array("W2", W2, (1, 2), squeeze=True)
    b2 = as_array("b2", b2, (1,), squeeze=True)
    hidden = np.maximum(XOR_X @ W1.T + b1, 0.0)
    out = (hidden @ W2.T + b2).ravel()
    for x, got, want in zip(XOR_X, out, XOR_Y):
        if abs(got - want) > XOR_TOL:
            dead = np.all(hidden == 0, axis=0)
            hint = ("a hidden unit is zero at all four inputs: it cannot help."
                    if dead.any() else
                    "(0, 1) and (1, 0) must come out 1 and (0, 0), (1, 1) must come out 0; "
                    "one unit can detect 'at least one', the other 'both'.")
            where = "" if name == "the answer" else f"{name}: "
            raise Wrong(f"{where}output for ({fmt(x[0])}, {fmt(x[1])}) is {fmt(float(got))}, "
                        f"expected {fmt(want)}", hint)
    units = np.column_stack([W1, b1, W2.reshape(-1), np.full(2, b2[0])])
    units = units[np.lexsort(units.T[::-1])]
    return f"the network computes XOR on all four inputs (to {XOR_TOL})", units


@function_check("ex-05-width",
                ("p_few(H)",
                 "the probability that at most one of H ReLU units is alive at the start"))
def width(fn: Callable[..., object]) -> str:
    for H in (2, 1, 3, 4, 8, 10):
        # each unit is dead with probability 1/4 (both weights negative), independently
        want = sum(math.comb(H, k) * 0.75**k * 0.25 ** (H - k) for k in range(min(H, 1) + 1))
        got = call_number("p_few", fn, H)
        if abs(got - want) > 1e-9:
            hint = ("that is only the probability that all units are dead; add 'exactly one "
                    "alive'." if abs(got - 0.25**H) < 1e-12 else
                    "a unit with zero bias on inputs in {0, 1} is dead when both weights are "
                    "negative; count the ways at most one of H independent units is alive.")
            raise Wrong(f"p_few({H}) is {fmt(got)}, which is not the probability", hint)
    return "your probability is right for H = 1, 2, 3, 4, 8 and 10"
