"""Two-dimensional test functions for pictures of optimizer trajectories (NNDL §7.2).

A ``Landscape`` gives the value ``f`` (vectorised, for contour grids), the gradient, the Hessian,
the minimum, a plotting window and a default starting point. ``run_optimizer`` runs one of the
``optim`` optimizers on the single point; ``newton`` and ``bfgs`` are the second-order methods
for comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nndl_book import _validate as v
from nndl_book.engine.optim import make_optimizer


class Landscape:
    """A smooth function of a point ``p = (x, y)``.

    Attributes
    ----------
    name : str
    minimum : numpy.ndarray of shape (2,), or None
        The global minimiser (``None`` when the function is unbounded below).
    xlim, ylim : (float, float)
        Plotting window.
    start : numpy.ndarray of shape (2,)
        Default starting point for the optimizers.
    """

    name = "landscape"
    minimum: np.ndarray | None = None
    xlim: tuple[float, float] = (-2.0, 2.0)
    ylim: tuple[float, float] = (-2.0, 2.0)
    start: np.ndarray = np.zeros(2)

    def f(self, p: object) -> float | np.ndarray:
        """Function value at ``p`` of shape (2,) (a float) or (..., 2) (an array of shape (...))."""
        arr = v.as_array("p", p, finite=False)
        if arr.ndim == 0 or arr.shape[-1] != 2:
            raise ValueError(f"p must have shape (2,) or (..., 2), got {arr.shape}")
        out = self._f(arr[..., 0], arr[..., 1])
        return float(out) if arr.ndim == 1 else out

    def grad(self, p: object) -> np.ndarray:
        """Gradient at ``p``, shape (2,)."""
        return self._grad(_point("p", p))

    def hessian(self, p: object) -> np.ndarray:
        """Hessian at ``p``, shape (2, 2)."""
        return self._hessian(_point("p", p))

    def _f(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _grad(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _hessian(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class IllConditionedQuadratic(Landscape):
    """``f(x, y) = ½(a x² + b y²)``: an elongated bowl with condition number ``b / a``.

    Gradient descent is stable for ``lr < 2 / max(a, b)``; Newton's method converges in one step.
    """

    name = "quadratic"
    xlim = (-5.0, 5.0)
    ylim = (-2.5, 2.5)

    def __init__(self, a: float = 1.0, b: float = 20.0) -> None:
        self.a = v.check_positive("a", a)
        self.b = v.check_positive("b", b)
        self.minimum = np.zeros(2)
        self.start = np.array([-4.0, 1.5])

    def _f(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return 0.5 * (self.a * x**2 + self.b * y**2)

    def _grad(self, p: np.ndarray) -> np.ndarray:
        return np.array([self.a * p[0], self.b * p[1]])

    def _hessian(self, p: np.ndarray) -> np.ndarray:
        return np.array([[self.a, 0.0], [0.0, self.b]])

    def __repr__(self) -> str:
        return f"IllConditionedQuadratic(a={self.a!r}, b={self.b!r})"


class Rosenbrock(Landscape):
    """Rosenbrock's banana ``f(x, y) = (a − x)² + b (y − x²)²``, minimum at ``(a, a²)``."""

    name = "rosenbrock"
    xlim = (-2.0, 2.0)
    ylim = (-1.0, 3.0)

    def __init__(self, a: float = 1.0, b: float = 100.0) -> None:
        self.a = v.check_number("a", a)
        self.b = v.check_positive("b", b)
        self.minimum = np.array([self.a, self.a**2])
        self.start = np.array([-1.5, 2.0])

    def _f(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (self.a - x) ** 2 + self.b * (y - x**2) ** 2

    def _grad(self, p: np.ndarray) -> np.ndarray:
        x, y = p
        r = y - x * x
        return np.array([-2.0 * (self.a - x) - 4.0 * self.b * x * r, 2.0 * self.b * r])

    def _hessian(self, p: np.ndarray) -> np.ndarray:
        x, y = p
        dxy = -4.0 * self.b * x
        return np.array([[2.0 - 4.0 * self.b * (y - 3.0 * x * x), dxy], [dxy, 2.0 * self.b]])

    def __repr__(self) -> str:
        return f"Rosenbrock(a={self.a!r}, b={self.b!r})"


class Saddle(Landscape):
    """``f(x, y) = x² − y²``: a saddle point at the origin, unbounded below (no minimum)."""

    name = "saddle"
    xlim = (-2.0, 2.0)
    ylim = (-2.0, 2.0)

    def __init__(self) -> None:
        self.minimum = None
        self.start = np.array([-1.5, 1e-3])

    def _f(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return x**2 - y**2

    def _grad(self, p: np.ndarray) -> np.ndarray:
        return np.array([2.0 * p[0], -2.0 * p[1]])

    def _hessian(self, p: np.ndarray) -> np.ndarray:
        return np.array([[2.0, 0.0], [0.0, -2.0]])


LANDSCAPES: dict[str, type[Landscape]] = {
    "quadratic": IllConditionedQuadratic,
    "rosenbrock": Rosenbrock,
    "saddle": Saddle,
}


def get_landscape(name: str, **params: float) -> Landscape:
    """The landscape ``name`` (``"quadratic"``, ``"rosenbrock"``, ``"saddle"``) with ``params``."""
    return v.lookup("landscape", name, LANDSCAPES)(**params)


# -- helpers ---------------------------------------------------------------------------------
def _point(name: str, p: object) -> np.ndarray:
    arr = v.as_array(name, p, ndim=1)
    v.check_shape(name, arr, (2,))
    return arr


def _setup(landscape: Landscape | str, start: object) -> tuple[Landscape, np.ndarray]:
    if isinstance(landscape, str):
        landscape = get_landscape(landscape)
    elif not isinstance(landscape, Landscape):
        raise TypeError(
            f"landscape must be a Landscape or one of {sorted(LANDSCAPES)}, "
            f"got {type(landscape).__name__}"
        )
    p = landscape.start.copy() if start is None else _point("start", start).copy()
    return landscape, p


def _finish(
    trajectory: list[np.ndarray], info: dict[str, Any], return_info: bool
) -> np.ndarray | tuple[np.ndarray, dict[str, Any]]:
    traj = np.array(trajectory)
    info["steps"] = len(traj) - 1
    return (traj, info) if return_info else traj


# -- first-order optimizers ------------------------------------------------------------------
def run_optimizer(
    landscape: Landscape | str,
    name: str,
    start: object = None,
    steps: int = 100,
    *,
    return_info: bool = False,
    **hyper: object,
) -> np.ndarray | tuple[np.ndarray, dict[str, Any]]:
    """Run the optimizer ``name`` from ``optim.OPTIMIZERS`` on a landscape.

    Parameters
    ----------
    landscape : Landscape or str
    name : str
        Optimizer name, e.g. ``"sgd"``, ``"momentum"``, ``"adam"``.
    start : array_like of shape (2,), optional
        Starting point (default ``landscape.start``).
    steps : int, default 100
    return_info : bool, default False
        Also return a dict with ``"diverged_at"`` (the 1-based step whose point was NaN or
        infinite, else ``None``) and ``"steps"`` (steps taken).
    **hyper
        Optimizer hyperparameters, e.g. ``lr=0.05, momentum=0.9``.

    Returns
    -------
    trajectory : numpy.ndarray of shape (steps + 1, 2)
        The start and every iterate. On divergence it stops at the last finite point (shorter).
    info : dict, only with ``return_info=True``
    """
    landscape, p = _setup(landscape, start)
    steps = v.check_int("steps", steps, minimum=0)
    opt = make_optimizer(name, [p], **hyper)
    trajectory = [p.copy()]
    info: dict[str, Any] = {"diverged_at": None}
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            opt._step([landscape._grad(p)])
            if not np.all(np.isfinite(p)):
                info["diverged_at"] = k
                break
            trajectory.append(p.copy())
    return _finish(trajectory, info, return_info)


# -- second-order methods --------------------------------------------------------------------
# ``step(landscape, p, g, k)`` proposes the k-th iterate from the point ``p`` with gradient ``g``:
# it returns ``(p_new, g_new, finite)``, or None when no step is possible (a singular Hessian).
Step = Callable[[Landscape, np.ndarray, np.ndarray, int], "tuple | None"]


def _second_order(
    landscape: Landscape | str,
    start: object,
    steps: int,
    tol: float,
    return_info: bool,
    make_step: Callable[[], Step],
) -> np.ndarray | tuple[np.ndarray, dict[str, Any]]:
    """The loop shared by :func:`newton` and :func:`bfgs`.

    Stops when ``‖∇f‖ < tol`` (converged), after ``steps`` steps, when no step is possible,
    or at the first non-finite iterate (``diverged_at``). ``make_step()`` returns a fresh
    step function, which may keep state between its calls (BFGS's inverse Hessian).
    """
    landscape, p = _setup(landscape, start)
    steps = v.check_int("steps", steps, minimum=0)
    tol = v.check_positive("tol", tol)
    step = make_step()
    trajectory = [p.copy()]
    info: dict[str, Any] = {"converged": False, "diverged_at": None}
    with np.errstate(over="ignore", invalid="ignore"):
        g = landscape._grad(p)
        for k in range(1, steps + 2):
            if np.linalg.norm(g) < tol:
                info["converged"] = True
                break
            if k > steps:
                break
            proposal = step(landscape, p, g, k)
            if proposal is None:
                break
            p, g, finite = proposal
            if not finite:
                info["diverged_at"] = k
                break
            trajectory.append(p.copy())
    return _finish(trajectory, info, return_info)


def _second_order_doc(steps: int) -> str:
    """The Parameters and Returns sections of :func:`newton` and :func:`bfgs`."""
    return f"""\
Parameters
----------
landscape : Landscape or str
start : array_like of shape (2,), optional
steps : int, default {steps}
    Maximum number of steps.
tol : float, default 1e-10
    Stop when ``‖∇f‖ < tol``.
return_info : bool, default False
    Also return ``{{"converged": bool, "diverged_at": int or None, "steps": int}}``.

Returns
-------
trajectory : numpy.ndarray of shape (k + 1, 2)
    The start and the iterates up to convergence (or ``steps``, or a singular Hessian)."""


def _newton_step() -> Step:
    def step(landscape: Landscape, p: np.ndarray, g: np.ndarray, k: int) -> tuple | None:
        try:
            p_new = p - np.linalg.solve(landscape._hessian(p), g)
        except np.linalg.LinAlgError:
            return None
        finite = bool(np.all(np.isfinite(p_new)))
        return p_new, landscape._grad(p_new) if finite else g, finite

    return step


@v.fill_doc(parameters=_second_order_doc(steps=50))
def newton(
    landscape: Landscape | str,
    start: object = None,
    steps: int = 50,
    tol: float = 1e-10,
    *,
    return_info: bool = False,
) -> np.ndarray | tuple[np.ndarray, dict[str, Any]]:
    """Newton's method ``p ← p − H(p)⁻¹ ∇f(p)`` until ``‖∇f‖ < tol``.

    Newton's method jumps to the stationary point of the local quadratic model: the minimum of
    a convex quadratic in one step, but just as readily the saddle of ``Saddle``.

    {parameters}
    """
    return _second_order(landscape, start, steps, tol, return_info, _newton_step)


def _bfgs_step() -> Step:
    eye = np.eye(2)
    H = eye.copy()  # the estimate of the inverse Hessian

    def step(landscape: Landscape, p: np.ndarray, g: np.ndarray, k: int) -> tuple:
        nonlocal H
        fp = float(landscape._f(p[0], p[1]))
        d = -H @ g
        slope = g @ d
        if not slope < 0:  # not a descent direction: restart from steepest descent
            H, d = eye.copy(), -g
            slope = g @ d
        t = 1.0
        for _ in range(60):  # Armijo: sufficient decrease f(p + t d) ≤ f(p) + c t gᵀd
            p_new = p + t * d
            f_new = float(landscape._f(p_new[0], p_new[1]))
            if f_new <= fp + 1e-4 * t * slope:
                break
            t *= 0.5
        if not np.all(np.isfinite(p_new)) or not np.isfinite(f_new):
            return p_new, g, False
        g_new = landscape._grad(p_new)
        s, y = p_new - p, g_new - g
        sy = s @ y
        if sy > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):
            if k == 1:
                H = (sy / (y @ y)) * eye
            rho = 1.0 / sy
            H = (eye - rho * np.outer(s, y)) @ H @ (eye - rho * np.outer(y, s))
            H += rho * np.outer(s, s)
        return p_new, g_new, True

    return step


@v.fill_doc(parameters=_second_order_doc(steps=100))
def bfgs(
    landscape: Landscape | str,
    start: object = None,
    steps: int = 100,
    tol: float = 1e-10,
    *,
    return_info: bool = False,
) -> np.ndarray | tuple[np.ndarray, dict[str, Any]]:
    """BFGS quasi-Newton method with a backtracking (Armijo) line search.

    Keeps an estimate ``H`` of the inverse Hessian, starting from the identity (rescaled by
    ``sᵀy / yᵀy`` after the first step), and updates it with
    ``H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ``, ``ρ = 1 / yᵀs``, skipping the update when
    ``yᵀs`` is not positive.

    {parameters}
    """
    return _second_order(landscape, start, steps, tol, return_info, _bfgs_step)


def steps_to_converge(
    trajectory: object, landscape: Landscape | str, tol: float = 1e-6
) -> int | None:
    """First step ``k`` with ``‖trajectory[k] − minimum‖ < tol``; ``None`` if never (or no minimum).

    Parameters
    ----------
    trajectory : array_like of shape (k + 1, 2)
    landscape : Landscape or str
    tol : float, default 1e-6
    """
    traj = v.as_array("trajectory", trajectory, ndim=2, finite=False)
    v.check_shape("trajectory", traj, (None, 2))
    landscape, _ = _setup(landscape, None)
    tol = v.check_positive("tol", tol)
    if landscape.minimum is None:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        close = np.linalg.norm(traj - landscape.minimum, axis=1) < tol
    return int(np.argmax(close)) if close.any() else None
