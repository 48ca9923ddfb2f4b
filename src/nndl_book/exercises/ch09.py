"""Checks for chapter 9, gradient problems and initialisation."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nndl_book.exercises._core import (
    Wrong,
    call_number,
    finite_difference,
    fmt,
    function_check,
)
from nndl_book.maths.activations import sigmoid


@function_check("ex-09-nielsen-std",
                ("std_z(k)",
                 "the standard deviation of z = Σ w_j x_j + b when k of the 1000 inputs are 1"))
def nielsen_std(fn: Callable[..., object]) -> str:
    for k in (500, 0, 1000, 250, 37):
        variance = k / 1000 + 1.0  # k weights of variance 1/1000 and a bias of variance 1
        got = call_number("std_z", fn, k)
        if abs(got - math.sqrt(variance)) > 1e-9:
            if abs(got - variance) < 1e-9:
                hint = "that is the variance; the question asks for the standard deviation."
            elif abs(got - math.sqrt(k / 1000)) < 1e-9:
                hint = "the bias is a random variable too."
            else:
                hint = "inputs equal to 0 contribute nothing; variances of independent terms add."
            raise Wrong(f"std_z({k}) is {fmt(got)}, which is not the standard deviation of z",
                        hint)
    return "your standard deviation is right for k = 0, 37, 250, 500 and 1000"


@function_check("ex-09-xavier-sigmoid",
                ("variance(n_in, n_out)",
                 "the weight variance of Xavier's rule for logistic units"))
def xavier_sigmoid(fn: Callable[..., object]) -> str:
    slope = float(finite_difference(sigmoid, np.array(0.0), h=1e-6))
    for n_in, n_out in [(100, 100), (784, 100), (10, 1), (3, 50)]:
        # forwards n_in Var(w) slope² = 1, backwards n_out Var(w) slope² = 1: Xavier's
        # compromise between the two
        want = 2.0 / ((n_in + n_out) * slope**2)
        got = call_number("variance", fn, n_in, n_out)
        if abs(got - want) > 1e-6 * want:
            xavier = 2.0 / (n_in + n_out)
            if abs(got - xavier) < 1e-9 * xavier:
                hint = "that is Xavier's variance for tanh; the logistic function's slope at 0 " \
                       "is smaller, so the weights must make up for it."
            elif abs(got - 4 * xavier) < 1e-9 * xavier:
                hint = "the slope enters squared, in the variance."
            else:
                hint = "keep n Var(w) σ'(0)² = 1 forwards (n = n_in) and backwards (n = n_out), " \
                       "and compromise as Xavier does."
            raise Wrong(f"variance({n_in}, {n_out}) is {fmt(got)}, not the variance that keeps "
                        "signals the same size through logistic layers", hint)
    return "your variance keeps the signal size through logistic layers near 0, for four shapes"
