"""Checks for chapter 8, overfitting and regularisation."""

from __future__ import annotations

from collections.abc import Callable

from nndl_book.exercises._core import (
    Wrong,
    call_number,
    fmt,
    function_check,
)

ALPHA_TOL = 0.1  # relative


@function_check("ex-08-early-stopping-l2",
                ("factor(h, eta, tau)", "w_i(τ) / w_i* along an eigenvalue h"),
                ("alpha(eta, tau)", "the ℓ2 strength that matches τ steps"))
def early_stopping_l2(factor: Callable[..., object], alpha: Callable[..., object]) -> str:
    for h, eta, tau in [(1.0, 0.5, 3), (0.0625, 0.5, 20), (2.0, 0.1, 7), (0.3, 1.0, 1)]:
        # gradient descent on J = h (w - 1)² / 2 from w = 0: its minimiser is w* = 1
        w = 0.0
        for _ in range(tau):
            w -= eta * h * (w - 1.0)
        got = call_number("factor", factor, h, eta, tau)
        if abs(got - w) > 1e-9:
            raise Wrong(f"factor({fmt(h)}, {fmt(eta)}, {tau}) is {fmt(got)}, but {tau} steps of "
                        f"gradient descent reach {w:.4f} of w*",
                        "write one step along the eigenvector as w_i ← w_i - ηh(w_i - w_i*) and "
                        "look at w_i - w_i*.")
    for eta, tau in [(0.5, 2), (0.5, 20), (0.1, 50), (1.0, 200)]:
        got = call_number("alpha", alpha, eta, tau)
        want = 1.0 / (eta * tau)
        if abs(got - want) > ALPHA_TOL * want:
            hint = ("α must fall as τ grows: more steps, weaker penalty."
                    if abs(got - eta * tau) < 1e-9 * eta * tau else
                    "match 1 - e^(-ηhτ) with h/(h + α) where both are small, ηhτ ≪ 1.")
            raise Wrong(f"alpha({fmt(eta)}, {tau}) = {fmt(got)} does not match {tau} steps of "
                        f"size {fmt(eta)} (to {ALPHA_TOL:.0%})", hint)
    return "the factor matches gradient descent exactly, and α is the matching ℓ2 strength"
