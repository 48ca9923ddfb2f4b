"""2-D landscapes: derivatives against torch autograd, first- and second-order optimizers."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nndl_book.engine import (
    LANDSCAPES,
    IllConditionedQuadratic,
    Rosenbrock,
    Saddle,
    bfgs,
    get_landscape,
    newton,
    run_optimizer,
    steps_to_converge,
)

SETTINGS = settings(max_examples=25, deadline=None)
coords = st.floats(-2.0, 2.0)
LANDSCAPE_INSTANCES = [IllConditionedQuadratic(2.0, 30.0), Rosenbrock(0.5, 50.0), Saddle()]


@SETTINGS
@given(x=coords, y=coords, index=st.integers(0, len(LANDSCAPE_INSTANCES) - 1))
def test_grad_and_hessian_match_torch(x, y, index):
    land = LANDSCAPE_INSTANCES[index]
    p = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
    value = land._f(p[0], p[1])
    (grad,) = torch.autograd.grad(value, p)
    hess = torch.autograd.functional.hessian(lambda q: land._f(q[0], q[1]), p.detach())
    assert land.f([x, y]) == pytest.approx(value.item(), rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(land.grad([x, y]), grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(land.hessian([x, y]), hess.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
def test_f_is_vectorised_for_contour_grids(name):
    land = get_landscape(name)
    xs, ys = np.meshgrid(np.linspace(*land.xlim, 7), np.linspace(*land.ylim, 5))
    grid = np.stack([xs, ys], axis=-1)
    values = land.f(grid)
    assert values.shape == (5, 7)
    assert values[2, 3] == land.f(grid[2, 3])
    assert isinstance(land.f(land.start), float)
    assert land.start.shape == (2,) and land.name == name
    if land.minimum is not None:
        np.testing.assert_allclose(land.grad(land.minimum), 0.0, atol=1e-12)


def test_newton_converges_on_the_quadratic_in_one_step():
    traj, info = newton("quadratic", return_info=True)
    assert traj.shape == (2, 2) and info["converged"]
    np.testing.assert_allclose(traj[-1], 0.0, atol=1e-14)
    assert steps_to_converge(traj, "quadratic") == 1


def test_newton_jumps_to_the_saddle_point():
    traj = newton(Saddle(), start=[1.0, 0.5])
    np.testing.assert_allclose(traj[-1], [0.0, 0.0], atol=1e-14)
    assert len(traj) == 2


def test_bfgs_and_newton_reach_rosenbrocks_minimum():
    traj, info = bfgs("rosenbrock", return_info=True)
    assert info["converged"] and info["steps"] < 100
    np.testing.assert_allclose(traj[-1], [1.0, 1.0], atol=1e-8)
    k = steps_to_converge(traj, "rosenbrock")
    assert k is not None and np.linalg.norm(traj[k] - 1.0) < 1e-6
    f = Rosenbrock().f(traj)
    assert np.all(np.diff(f) <= 0)  # Armijo line search: f never increases
    traj = newton("rosenbrock", start=[-1.2, 1.0])
    np.testing.assert_allclose(traj[-1], [1.0, 1.0], atol=1e-10)


def test_run_optimizer_trajectory():
    land = IllConditionedQuadratic()
    traj = run_optimizer(land, "sgd", steps=200, lr=0.09)
    assert traj.shape == (201, 2)
    np.testing.assert_array_equal(traj[0], land.start)
    assert np.linalg.norm(traj[-1]) < 1e-6
    # the same trajectory by hand: p ← p − lr ∇f(p)
    p = land.start.copy()
    for _ in range(3):
        p = p - 0.09 * land.grad(p)
    np.testing.assert_allclose(traj[3], p, rtol=1e-14)
    # momentum: torch SGD(momentum=0.9) on the same function
    tp = torch.tensor(land.start, requires_grad=True)
    opt = torch.optim.SGD([tp], lr=0.02, momentum=0.9)
    for _ in range(30):
        opt.zero_grad()
        (0.5 * (land.a * tp[0] ** 2 + land.b * tp[1] ** 2)).backward()
        opt.step()
    traj = run_optimizer(land, "momentum", steps=30, lr=0.02, momentum=0.9)
    np.testing.assert_allclose(traj[-1], tp.detach().numpy(), rtol=1e-10)


def test_run_optimizer_stops_at_divergence():
    traj, info = run_optimizer("quadratic", "sgd", steps=5000, lr=0.5, return_info=True)
    k = info["diverged_at"]
    assert k is not None and len(traj) == k == info["steps"] + 1
    assert np.all(np.isfinite(traj))
    _, info = run_optimizer("quadratic", "sgd", steps=50, lr=0.05, return_info=True)
    assert info == {"diverged_at": None, "steps": 50}


def test_unstable_momentum_on_a_landscape_needs_allow_unstable():
    with pytest.raises(ValueError, match="allow_unstable=True"):
        run_optimizer("quadratic", "momentum", lr=0.01, momentum=1.05)
    traj = run_optimizer(
        "quadratic", "momentum", lr=0.01, momentum=1.05, allow_unstable=True, steps=300
    )
    assert np.linalg.norm(traj[-1]) > np.linalg.norm(traj[0])


def test_steps_to_converge():
    traj = np.array([[3.0, 0.0], [1e-3, 0.0], [1e-7, 0.0], [0.0, 0.0]])
    assert steps_to_converge(traj, "quadratic") == 2
    assert steps_to_converge(traj, "quadratic", tol=1e-2) == 1
    assert steps_to_converge(traj[:2], "quadratic") is None
    assert steps_to_converge(traj, "saddle") is None  # no minimum


BAD = {
    "unknown landscape": (ValueError, "unknown landscape 'himmelblau'",
                          lambda: get_landscape("himmelblau")),
    "landscape type": (TypeError, "landscape must be a Landscape", lambda: newton(3)),
    "start shape": (ValueError, r"start must have shape \(2\), got \(3,\)",
                    lambda: run_optimizer("saddle", "sgd", start=[0, 0, 0], lr=0.1)),
    "start NaN": (ValueError, "start must contain only finite",
                  lambda: bfgs("rosenbrock", start=[np.nan, 0.0])),
    "p shape": (ValueError, r"p must have shape \(2,\) or \(\.\.\., 2\)",
                lambda: Rosenbrock().f(np.zeros((4, 3)))),
    "grad shape": (ValueError, r"p must have shape \(2\)", lambda: Saddle().grad([1.0])),
    "quadratic b": (ValueError, "b must be a positive", lambda: IllConditionedQuadratic(b=-1)),
    "steps": (ValueError, "steps must be an integer >= 0",
              lambda: run_optimizer("saddle", "sgd", steps=-1, lr=0.1)),
    "tol": (ValueError, "tol must be a positive", lambda: newton("saddle", tol=0)),
    "optimizer": (ValueError, "unknown optimizer", lambda: run_optimizer("saddle", "sgdd")),
    "trajectory": (ValueError, r"trajectory must have shape \(\*, 2\)",
                   lambda: steps_to_converge(np.zeros((3, 3)), "quadratic")),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_the_argument(case):
    error, message, call = BAD[case]
    with pytest.raises(error, match=message):
        call()
