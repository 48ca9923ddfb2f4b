"""Checks for chapter 7, optimizers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nndl_book.exercises._core import (
    Wrong,
    as_array,
    call,
    fmt,
    function_check,
)


@function_check("ex-07-nielsen-momentum",
                ("momentum_matrix(mu, lr, curvature)",
                 "the 2×2 matrix A with (w', v') = A (w, v) for one momentum step"))
def momentum(fn: Callable[..., object]) -> str:
    rng = np.random.default_rng(707)
    for mu, lr, lam in [(0.9, 0.02, 1.0), (0.5, 0.1, 3.0), (-0.5, 0.05, 2.0), (1.1, 0.02, 10.0)]:
        A = as_array(f"momentum_matrix({fmt(mu)}, {fmt(lr)}, {fmt(lam)})",
                     call("momentum_matrix", fn, mu, lr, lam), (2, 2))
        for _ in range(3):
            w, v = rng.normal(size=2)
            v_new = mu * v + lam * w            # the gradient of f = λw²/2 is λw
            w_new = w - lr * v_new
            got = A @ np.array([w, v])
            if not np.allclose(got, [w_new, v_new], rtol=1e-9, atol=1e-12):
                hint = ("A acts on the column (w, v): put w' in the first row."
                        if np.allclose(A[::-1] @ np.array([w, v]), [w_new, v_new]) else
                        "w' uses the new velocity v', so substitute v' = μv + λw into "
                        "w' = w - α v' before reading off the coefficients.")
                raise Wrong(f"with μ = {fmt(mu)}, α = {fmt(lr)}, λ = {fmt(lam)}, A (w, v) for "
                            f"(w, v) = ({w:.3f}, {v:.3f}) is ({got[0]:.3f}, {got[1]:.3f}); one "
                            f"momentum step gives ({w_new:.3f}, {v_new:.3f})", hint)
    return "A reproduces one momentum step for four settings (its determinant is μ)"


@function_check("ex-07-nndl-7-2",
                ("first_step(g, lr, beta1, beta2)",
                 "Adam's first change w_1 - w_0, without the bias corrections"))
def adam_first_step(fn: Callable[..., object]) -> str:
    rng = np.random.default_rng(708)
    for lr, b1, b2 in [(0.001, 0.9, 0.999), (0.01, 0.8, 0.99), (0.1, 0.5, 0.9)]:
        g = rng.choice([-1.0, 1.0], size=4) * rng.uniform(0.1, 5.0, size=4)
        got = as_array("first_step(g, ...)", call("first_step", fn, g.copy(), lr, b1, b2), (4,))
        m1, s1 = (1 - b1) * g, (1 - b2) * g**2
        want = -lr * m1 / np.sqrt(s1)
        if not np.allclose(got, want, rtol=1e-4, atol=0.0):
            if np.allclose(got, -want, rtol=1e-4):
                hint = "the step goes against the gradient: give w_1 - w_0."
            elif np.allclose(got, -lr * np.sign(g), rtol=1e-4):
                hint = "that is the step with the corrections; without them M_1 and G_1 are " \
                       "the first averages from zero."
            else:
                hint = "start from M_0 = G_0 = 0, take one update of each average, and divide."
            raise Wrong(f"with α = {fmt(lr)}, β1 = {fmt(b1)}, β2 = {fmt(b2)} your step for "
                        f"g = {fmt(float(g[0]))} is {fmt(float(got[0]))}, not Adam's", hint)
    return "your first step matches uncorrected Adam for three settings of α, β1, β2"


def _abs_newton(g: np.ndarray, H: np.ndarray) -> np.ndarray:
    eigenvalues, V = np.linalg.eigh(H)
    return -V @ ((V.T @ g) / np.abs(eigenvalues))


@function_check("ex-07-newton-saddle",
                ("saddle_free_step(g, H)", "the change of w, -|H|⁻¹ g with |H| = V |Λ| Vᵀ"))
def newton_saddle(fn: Callable[..., object]) -> str:
    rng = np.random.default_rng(709)
    cases = [(np.array([2.0, -2.0]), np.diag([2.0, -2.0]))]
    for n in (2, 3, 3):
        Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
        lam = rng.uniform(0.5, 3.0, size=n) * np.resize([1.0, -1.0], n)
        cases.append((rng.normal(size=n), Q @ np.diag(lam) @ Q.T))
    for g, H in cases:
        n = len(g)
        got = as_array("saddle_free_step(g, H)", call("saddle_free_step", fn, g.copy(), H.copy()),
                       (n,))
        want = _abs_newton(g, H)
        if not np.allclose(got, want, rtol=1e-8, atol=1e-10):
            newton = -np.linalg.solve(H, g)
            if np.allclose(got, newton):
                hint = "that is Newton's step: along negative curvature it goes uphill."
            elif np.allclose(got, -want):
                hint = "the step should go downhill: its dot product with g is negative."
            else:
                hint = "diagonalise H = V Λ Vᵀ (np.linalg.eigh), divide Vᵀg by |Λ|, map back."
            raise Wrong(f"for a {n}×{n} Hessian with eigenvalues "
                        f"{fmt(np.round(np.linalg.eigvalsh(H), 3))} your step differs from "
                        f"-|H|⁻¹ g by up to {fmt(float(np.max(np.abs(got - want))))}", hint)
    return "your step is -|H|⁻¹ g on the saddle and on three random indefinite Hessians"
