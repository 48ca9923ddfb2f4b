# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["remove-cell"]
# In Colab, install the release of the book's package this notebook was executed with (the tag
# follows nndl_book.__version__). Then set the kernel up as the book executes it: one torch
# thread, float64 tensors, numpy's print options, figures shown inline.
import subprocess
import sys

if "google.colab" in sys.modules:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q",
         "myst-nb", "nndl_book @ git+https://github.com/nndl-book/nndl-book@v0.2.0"],
        check=True,
    )
    from google.colab import output

    output.enable_custom_widget_manager()

from nndl_book.notebook import setup

setup()

# %% [markdown]
# (ch-optimizers)=
# # 7. Optimizers
#
# Training a network means minimising its loss $\mathcal L(\theta)$ over the parameters
# $\theta$, and every method in use does it the same way: start somewhere, look at the gradient,
# take a step, repeat. They differ in *which* gradient they look at (the whole training set or a
# few examples), *how far* they step (the learning rate, fixed or adapted per parameter) and
# *which way* (the gradient itself, a running average of gradients, or a direction corrected by
# curvature). This chapter writes each of these methods in a few lines of numpy, runs them on
# small problems where we can see every step, checks them against `nndl_book` and
# `torch.optim`, and races them. It follows NNDL {footcite}`qiu2020nndl` §7.2 and the momentum
# section of Nielsen {footcite}`nielsen2015nndl` ch. 3.
#
# **Learning goals.** After this chapter you can
#
# - explain the trade-off between batch, stochastic and mini-batch gradient descent, per update
#   and per example seen;
# - compute the largest stable learning rate of gradient descent from the Hessian,
#   $\alpha < 2/\lambda_{\max}$, and recognise a run just above it;
# - write momentum, Nesterov momentum, AdaGrad, RMSProp and Adam as update rules, and say what
#   momentum $\mu > 1$ and $\mu < 0$ do;
# - compare first-order methods with Newton's method and BFGS in steps and in cost per step;
# - tune a learning rate per optimizer and compare optimizers fairly over several seeds.

# %%

import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from myst_nb import glue

from nndl_book.data import make_moons
from nndl_book.engine import MLP, train
from nndl_book.engine.landscapes import (
    IllConditionedQuadratic,
    Rosenbrock,
    Saddle,
    bfgs,
    newton,
    run_optimizer,
    steps_to_converge,
)
from nndl_book.maths.activations import sigmoid
from nndl_book.plots import PALETTE, plot_curves, plot_trajectories


# %% [markdown]
# ## Batch, stochastic and mini-batch gradient descent
#
# The training loss is an average over the $N$ training examples,
#
# $$ \mathcal L(\theta) = \frac1N \sum_{n=1}^{N} \ell\big(y^{(n)}, f(\mathbf x^{(n)}; \theta)\big). $$
#
# *Batch* gradient descent computes the gradient of this average exactly and steps against it,
# $\theta_t = \theta_{t-1} - \alpha\, \nabla\mathcal L(\theta_{t-1})$, with learning rate
# $\alpha > 0$. Every step then costs a pass over all $N$ examples. *Mini-batch* gradient descent
# (NNDL §7.2.1) estimates the gradient from a random subset $\mathcal S_t$ of $K$ examples,
#
# $$ \mathbf g_t = \frac1K \sum_{n \in \mathcal S_t} \frac{\partial \ell\big(y^{(n)}, f(\mathbf x^{(n)}; \theta_{t-1})\big)}{\partial \theta},
#    \qquad \theta_t = \theta_{t-1} - \alpha\, \mathbf g_t , $$
#
# and *stochastic* gradient descent (SGD) is the case $K = 1$. The estimate is unbiased (its
# average over the random choice of $\mathcal S_t$ is the true gradient) but noisy, and its
# variance falls roughly like $1/K$. One pass over the data, an *epoch*, makes $N/K$ updates.
#
# To see the trade-off on a problem small enough to solve exactly, take logistic regression on
# 200 points of the two-moons data set: $\theta = \mathbf w \in \mathbb R^3$ (two weights and a
# bias), $p = \sigma(\mathbf w^\top \mathbf x)$, cross-entropy loss. Its gradient is
# $\frac1K \sum_n (p^{(n)} - y^{(n)})\, \mathbf x^{(n)}$:

# %%
X_moons, y_moons = make_moons(200, noise=0.2, rng=0)
Xb = np.column_stack([X_moons, np.ones(len(X_moons))])  # a constant 1 feature for the bias
N = len(y_moons)


def loss_and_grad(w, X, y):
    """Mean cross-entropy of logistic regression and its gradient."""
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z), X.T @ (sigmoid(z) - y) / len(y)


# %% [markdown]
# The loss is convex and, as these data are not linearly separable, it has a single minimum
# $\mathcal L^\ast$. Newton's method (introduced {ref}`below <sec-07-newton>`) finds it to
# machine precision in a few steps; we need it only as the finish line, to plot how far above the
# minimum each run is:

# %%
w_star = np.zeros(3)
for _ in range(8):
    p = sigmoid(Xb @ w_star)
    hessian = Xb.T @ (Xb * (p * (1 - p))[:, None]) / N
    w_star = w_star - np.linalg.solve(hessian, loss_and_grad(w_star, Xb, y_moons)[1])
L_star, g_star = loss_and_grad(w_star, Xb, y_moons)
print(f"L* = {L_star:.6f}; gradient norm there below 1e-12: {np.linalg.norm(g_star) < 1e-12}")

# %% [markdown]
# Now the mini-batch loop. Each epoch shuffles the examples and walks through them $K$ at a time;
# after every update we record the full training loss (only for the plot, it is not part of the
# algorithm):

# %%
def minibatch_gd(batch_size, lr, epochs, seed=0):
    rng = np.random.default_rng(seed)
    w = np.zeros(3)
    losses = [loss_and_grad(w, Xb, y_moons)[0]]
    for _ in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            w = w - lr * loss_and_grad(w, Xb[batch], y_moons[batch])[1]
            losses.append(loss_and_grad(w, Xb, y_moons)[0])
    return np.array(losses)


runs_k = {"SGD (K = 1)": (1, 20), "mini-batch (K = 10)": (10, 20), "batch (K = 200)": (200, 400)}
gaps = {name: minibatch_gd(K, lr=0.5, epochs=epochs) - L_star
        for name, (K, epochs) in runs_k.items()}
print(f"{'':20s} {'epochs':>6s} {'updates':>8s}   L - L* after 20 epochs   after 400 updates")
for name, (K, epochs) in runs_k.items():
    gap = gaps[name]
    print(f"{name:20s} {epochs:6d} {len(gap) - 1:8d}   {gap[20 * N // K]:21.2e}   {gap[400]:17.2e}")

# %% [markdown]
# All three use the same learning rate, $\alpha = 0.5$; batch gradient descent runs for 400
# epochs so that it makes as many updates as the mini-batch run. On the left, the excess loss
# $\mathcal L - \mathcal L^\ast$ against the number of updates; on the right, against the number
# of examples whose gradient was computed (the cost), over the first 20 epochs:

# %%
fig = Figure(figsize=(9.0, 3.4), layout="constrained")
ax_updates, ax_seen = fig.subplots(1, 2)
plot_curves({name: (np.arange(1, len(gap)), gap[1:]) for name, gap in gaps.items()},
            xlabel="updates", ylabel=r"$\mathcal{L} - \mathcal{L}^\ast$", logy=True,
            ax=ax_updates, title="per update")
ax_updates.set_xscale("log")
plot_curves({name: (np.arange(20 * N // K + 1) * K, gaps[name][:20 * N // K + 1])
             for name, (K, _) in runs_k.items()},
            xlabel="examples seen", ylabel=r"$\mathcal{L} - \mathcal{L}^\ast$", logy=True,
            ax=ax_seen, title="per example seen (20 epochs)")
fig

# %% [markdown]
# Per update (left), the mini-batch of 10 examples does as well as the full batch of 200: far from
# the minimum, the average gradient of 10 random examples already points almost where the full
# gradient does. SGD's one-example steps are as good at first, but near the minimum their noise
# takes over: the gradient of a single example does not vanish there, so with a constant
# learning rate SGD keeps jittering around it. Per example seen (right), the picture that
# matters for cost, each epoch gives batch gradient descent one update, the mini-batch run
# $N/K$ and SGD $N$, so after 20 epochs the batch run is far behind both (printed). The
# mini-batch gets most of the speed of SGD and little of its noise, at barely more cost per
# update on real hardware (one matrix product): this is why practice uses mini-batches, and
# why the learning rate is usually decreased during training. {ref}`ex-07-nndl-7-1` asks how
# the learning rate should change with $K$.
#
# ## The learning rate: too small, too large
#
# The simplest landscape on which to understand the learning rate is a quadratic bowl,
# $f(\mathbf w) = \frac12 \mathbf w^\top H \mathbf w$. Its gradient is $H\mathbf w$, so one
# gradient step is a linear map,
#
# $$ \mathbf w_t = \mathbf w_{t-1} - \alpha H \mathbf w_{t-1} = (I - \alpha H)\, \mathbf w_{t-1}. $$
#
# Along each eigenvector of $H$, with eigenvalue (curvature) $\lambda_i$, the coordinate is
# multiplied by $1 - \alpha\lambda_i$ at every step. It shrinks to zero only when
# $|1 - \alpha\lambda_i| < 1$, that is $0 < \alpha\lambda_i < 2$, and this must hold for the
# steepest direction too:
#
# $$ \text{gradient descent converges} \iff 0 < \alpha < \frac{2}{\lambda_{\max}} . $$
#
# The slowest direction, with $\lambda_{\min}$, shrinks by $|1 - \alpha\lambda_{\min}|$ per
# step. Balancing the slowest and the steepest direction gives the best constant rate,
# $\alpha^\ast = 2/(\lambda_{\min} + \lambda_{\max})$, with contraction
# $(\kappa - 1)/(\kappa + 1)$ per step, where $\kappa = \lambda_{\max}/\lambda_{\min}$ is the
# *condition number*. The `nndl_book` ill-conditioned quadratic is
# $f = \frac12 (w_1^2 + 20 w_2^2)$; its Hessian gives the numbers:

# %%
quad = IllConditionedQuadratic()  # f = (a w1² + b w2²) / 2 with a = 1, b = 20
H_quad = quad.hessian(quad.start)
lam = np.linalg.eigvalsh(H_quad)
lr_limit = 2 / lam.max()
lr_best = 2 / (lam.min() + lam.max())
kappa = lam.max() / lam.min()
print("Hessian eigenvalues:", lam)
print(f"stability limit 2/λ_max = {lr_limit:.4f}")
print(f"best rate 2/(λ_min + λ_max) = {lr_best:.4f}, contraction (κ-1)/(κ+1) = {(kappa - 1) / (kappa + 1):.4f} per step")
glue("lr_limit", float(lr_limit), display=False)
glue("lr_best", float(lr_best), display=False)

# %% [markdown]
# Every optimizer in this chapter is an *update rule*: given the current point, its gradient,
# some remembered state and the step number $t$, return the next point. One small driver runs
# any of them and records the path; the first rule is plain gradient descent:

# %%
def descend(update, grad, start, steps, **hyper):
    """Apply `update` `steps` times from `start`; return the path, shape (steps + 1, 2)."""
    w, state = np.array(start, dtype=float), {}
    path = [w]
    for t in range(1, steps + 1):
        w = update(w, grad(w), state, t, **hyper)
        path.append(w)
    return np.array(path)


def gradient_descent(w, g, state, t, lr):
    return w - lr * g


lr_runs = {"α = 0.02 (too small)": 0.02, "α = 0.095 (just below)": 0.095,
           "α = 0.105 (just above)": 0.105}
lr_paths = {name: descend(gradient_descent, quad.grad, quad.start, 60, lr=lr)
            for name, lr in lr_runs.items()}
for (name, path), lr in zip(lr_paths.items(), lr_runs.values()):
    factors = 1 - lr * lam
    print(f"{name:24s} factors 1 - αλ = {factors[0]:6.3f} (w1), {factors[1]:6.3f} (w2); "
          f"f after 60 steps = {quad.f(path[-1]):.3e}")

# %% [markdown]
# The printed factors $1 - \alpha\lambda_i$ tell the whole story. Just below the limit
# {glue:text}`lr_limit:.2f`, the factor of the steep coordinate $w_2$ is negative but less than 1
# in size: $w_2$ flips sign at every step and shrinks, while $w_1$ shrinks steadily; this rate is
# within a hair of the best one, {glue:text}`lr_best:.4f`. Just above the limit, the factor of
# $w_2$ is below $-1$: the zigzag grows at every step and the run diverges, even though $w_1$
# still converges. Far below the limit, every factor is positive and safe, but the one of $w_1$
# is so close to 1 that after 60 steps the run is still far from the minimum. The figure shows the
# three behaviours: on the left the zigzag across the valley, shrinking just below the limit and
# growing just above it, and the slow crawl at the small rate; on the right the loss, falling
# geometrically, rising geometrically, or levelling off.

# %%
fig = Figure(figsize=(9.5, 3.5), layout="constrained")
ax_path, ax_f = fig.subplots(1, 2, width_ratios=[1.25, 1])
plot_trajectories(quad, {name.split(" (")[0]: path[:25] for name, path in lr_paths.items()},
                  ax=ax_path, title="the first 25 steps")
plot_curves({name: quad.f(path) for name, path in lr_paths.items()}, xlabel="step",
            ylabel="$f(\\mathbf{w})$", logy=True, ax=ax_f, title="loss per step")
fig

# %% [markdown]
# ## Momentum
#
# On the ill-conditioned bowl, gradient descent wastes its steps: the gradient points mostly
# across the valley (the steep direction) and hardly along it. *Momentum* (NNDL §7.2.4) keeps a
# decaying sum of past gradients, a velocity $\mathbf v$, and steps along that instead:
#
# $$ \mathbf v_t = \mu\, \mathbf v_{t-1} + \mathbf g_t, \qquad
#    \theta_t = \theta_{t-1} - \alpha\, \mathbf v_t , \qquad \mathbf v_0 = \mathbf 0. $$
#
# Components of the gradient that keep their sign (along the valley) add up, those that flip
# sign from step to step (across it) cancel. With a constant gradient the velocity tends to
# $\mathbf g/(1-\mu)$, so along a steady slope momentum moves $1/(1-\mu)$ times faster than
# gradient descent with the same $\alpha$. Nielsen calls $1 - \mu$ the *friction*: $\mu = 0$ is
# plain gradient descent, $\mu$ close to 1 a ball rolling with little friction. The form above
# is the one `torch.optim.SGD(momentum=μ)` uses.
#
# ```{admonition} The same method in NNDL's and Nielsen's notation
# :class: dropdown
# NNDL writes momentum with the step $\Delta\theta_t = -\alpha\mathbf v_t$, as
# $\Delta\theta_t = \rho\,\Delta\theta_{t-1} - \alpha\,\mathbf g_t$, and Nielsen with a velocity
# that includes the learning rate, $v \to \mu v - \eta\nabla C$, $w \to w + v$. Substituting
# $\mathbf v \to -\mathbf v/\alpha$ turns either into the other; all three are one algorithm.
# ```

# %%
def momentum(w, g, state, t, lr, mu=0.9):
    v = state["v"] = mu * state.get("v", 0.0) + g
    return w - lr * v


mom_paths = {f"μ = {mu:g}": descend(momentum, quad.grad, quad.start, 100, lr=0.02, mu=mu)
             for mu in (0.0, 0.5, 0.9)}
for name, path in mom_paths.items():
    print(f"{name:8s} (α = 0.02): distance to the minimum after 100 steps = {np.linalg.norm(path[-1]):.2e}")

# %%
plot_trajectories(quad, {name: path[:60] for name, path in mom_paths.items()},
                  title="momentum on the quadratic, α = 0.02, first 60 steps")

# %% [markdown]
# With the same learning rate, $\mu = 0.9$ ends far closer to the minimum than gradient descent
# ($\mu = 0$, printout above); its path overshoots and swings back like a ball in a bowl.
# Momentum has made the slow direction fast; the price is that the fast direction now oscillates.
#
# ### Momentum outside $[0, 1)$
#
# Nielsen asks what goes wrong with $\mu > 1$ or $\mu < 0$. With $\mu > 1$ there is no friction
# but a push: the old velocity is *amplified* at every step, so it grows without bound even when
# the gradients are small, and the ball flies out of the bowl. With $\mu < 0$ the old velocity
# is *subtracted*: each step partly undoes the previous one, so long and short steps alternate
# (the ball stutters) and progress is slower than without momentum. `nndl_book`'s `Momentum`
# refuses such values unless asked with `allow_unstable=True`:

# %%
bad_mu = (-0.5, 0.0, 0.5, 0.9, 1.0, 1.1)
mu_paths = {mu: run_optimizer(quad, "momentum", steps=100, lr=0.02, momentum=mu,
                              allow_unstable=True) for mu in bad_mu}
for mu, path in mu_paths.items():
    dist = np.linalg.norm(path, axis=1)
    print(f"μ = {mu:4g}: distance to the minimum after 10, 50, 100 steps = "
          f"{dist[10]:9.3f} {dist[50]:9.3f} {dist[100]:9.3f}")

# %%
fig = Figure(figsize=(10.5, 3.4), layout="constrained")
ax_path, ax_dist, ax_step = fig.subplots(1, 3, width_ratios=[1.3, 1, 1])
plot_trajectories(quad, {f"μ = {mu:g}": mu_paths[mu][:40] for mu in (-0.5, 0.9, 1.1)},
                  ax=ax_path, title="40 steps, α = 0.02")
plot_curves({f"μ = {mu:g}": np.linalg.norm(path, axis=1) for mu, path in mu_paths.items()},
            xlabel="step", ylabel="distance to the minimum", logy=True, ax=ax_dist,
            title="μ ≥ 1 never settles")
plot_curves({f"μ = {mu:g}": np.linalg.norm(np.diff(mu_paths[mu][:16], axis=0), axis=1)
             for mu in (-0.5, 0.0)},
            xlabel="step", ylabel=r"step length $\|\Delta\mathbf{w}\|$", ax=ax_step,
            title="μ < 0 stutters")
fig

# %% [markdown]
# The printout and the figure agree with the story. At $\mu = 1$ nothing damps the motion and
# the distance to the minimum goes up and down forever; at $\mu = 1.1$ it grows, and after 100
# steps the point is far outside the window. At $\mu = -0.5$ the step lengths alternate long,
# short, long, and the run lags behind plain gradient descent. {ref}`ex-07-nielsen-momentum` asks for
# the reason in one line of linear algebra.
#
# ### Nesterov momentum
#
# Momentum takes the gradient at the current point although it is about to move by
# $-\alpha\mu\mathbf v_{t-1}$ anyway. *Nesterov's accelerated gradient* (NNDL §7.2.4), in the
# form Sutskever et al. {footcite}`sutskever2013momentum` use for neural networks, looks ahead
# first and takes the gradient there:
#
# $$ \mathbf v_t = \mu\,\mathbf v_{t-1} + \nabla\mathcal L(\theta_{t-1} - \alpha\mu\,\mathbf v_{t-1}),
#    \qquad \theta_t = \theta_{t-1} - \alpha\,\mathbf v_t . $$
#
# If the look-ahead point is already past the bottom of the valley, its gradient points back and
# brakes the step, which damps the oscillation of plain momentum. Libraries use an equivalent
# form that takes the gradient at the stored parameters (the dropdown derives it); both are
# written below, and the second reproduces the look-ahead points of the first:
#
# ```{admonition} The form of torch.optim.SGD(nesterov=True)
# :class: dropdown
# Store the look-ahead point $\phi_t = \theta_t - \alpha\mu\mathbf v_t$ instead of $\theta_t$,
# so that the gradient is taken at the stored parameters. Substituting gives
#
# $$ \mathbf v_t = \mu\,\mathbf v_{t-1} + \mathbf g_t, \qquad
#    \phi_t = \phi_{t-1} - \alpha\,(\mathbf g_t + \mu\,\mathbf v_t), \qquad \mathbf g_t = \nabla\mathcal L(\phi_{t-1}). $$
# ```

# %%
def nesterov(w, g, state, t, lr, mu=0.9):
    v = state["v"] = mu * state.get("v", 0.0) + g
    return w - lr * (g + mu * v)


def nesterov_lookahead_form(grad, start, steps, lr, mu=0.9):
    """The textbook form; returns the look-ahead points θ_t - αμ v_t."""
    theta, v = np.array(start, dtype=float), np.zeros(2)
    points = [theta.copy()]
    for _ in range(steps):
        v = mu * v + grad(theta - lr * mu * v)
        theta = theta - lr * v
        points.append(theta - lr * mu * v)
    return np.array(points)


nest_path = descend(nesterov, quad.grad, quad.start, 100, lr=0.02)
lookahead = nesterov_lookahead_form(quad.grad, quad.start, 100, lr=0.02)
print(f"largest difference between the two forms: {np.max(np.abs(nest_path - lookahead)):.1e}")
print(f"distance to the minimum after 100 steps (α = 0.02, μ = 0.9): "
      f"momentum {np.linalg.norm(mom_paths['μ = 0.9'][-1]):.2e}, "
      f"Nesterov {np.linalg.norm(nest_path[-1]):.2e}")

# %% [markdown]
# With the same α and μ, Nesterov ends closer to the minimum after 100 steps than plain momentum:
# its look-ahead brakes the overshoots.

# %% [markdown]
# ## Adaptive learning rates: AdaGrad, RMSProp, Adam
#
# Momentum changes the direction of the step. The next three methods change its *size*, per
# parameter: a parameter whose gradients have been large gets a small learning rate, one whose
# gradients have been small a large one. On the quadratic, that is exactly what the steep $w_2$
# and the shallow $w_1$ need.
#
# **AdaGrad** {footcite}`duchi2011adagrad` (NNDL §7.2.3) divides by the root of the sum of
# all squared gradients so far (element-wise, $\odot$):
#
# $$ G_t = G_{t-1} + \mathbf g_t \odot \mathbf g_t, \qquad
#    \theta_t = \theta_{t-1} - \frac{\alpha}{\sqrt{G_t} + \epsilon} \odot \mathbf g_t . $$
#
# **RMSProp** {footcite}`tieleman2012rmsprop` (NNDL §7.2.3) replaces the sum by an
# exponentially decaying average, so that old gradients are forgotten and the learning rate does
# not shrink forever:
#
# $$ G_t = \beta\, G_{t-1} + (1 - \beta)\, \mathbf g_t \odot \mathbf g_t, \qquad
#    \theta_t = \theta_{t-1} - \frac{\alpha}{\sqrt{G_t} + \epsilon} \odot \mathbf g_t . $$
#
# **Adam** {footcite}`kingma2015adam` (NNDL §7.2.4) combines momentum (an average $M_t$ of the
# gradients) with RMSProp (an average $G_t$ of their squares). Both averages start at zero and
# are therefore too small in the first steps; dividing by $1 - \beta^t$ corrects that
# ({ref}`ex-07-nndl-7-2`):
#
# $$ M_t = \beta_1 M_{t-1} + (1 - \beta_1)\,\mathbf g_t, \quad
#    G_t = \beta_2 G_{t-1} + (1 - \beta_2)\,\mathbf g_t \odot \mathbf g_t, \quad
#    \theta_t = \theta_{t-1} - \alpha\, \frac{\hat M_t}{\sqrt{\hat G_t} + \epsilon}, \quad
#    \hat M_t = \frac{M_t}{1 - \beta_1^t},\ \hat G_t = \frac{G_t}{1 - \beta_2^t} . $$
#
# The small $\epsilon$ only prevents a division by zero (NNDL puts it inside the square root,
# PyTorch and the code here outside; the two differ only while $G_t$ is of the order of
# $\epsilon$). The defaults are PyTorch's:

# %%
def adagrad(w, g, state, t, lr, eps=1e-10):
    G = state["G"] = state.get("G", 0.0) + g * g
    return w - lr * g / (np.sqrt(G) + eps)


def rmsprop(w, g, state, t, lr, beta=0.99, eps=1e-8):
    G = state["G"] = beta * state.get("G", 0.0) + (1 - beta) * g * g
    return w - lr * g / (np.sqrt(G) + eps)


def adam(w, g, state, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    M = state["M"] = beta1 * state.get("M", 0.0) + (1 - beta1) * g
    G = state["G"] = beta2 * state.get("G", 0.0) + (1 - beta2) * g * g
    M_hat, G_hat = M / (1 - beta1**t), G / (1 - beta2**t)
    return w - lr * M_hat / (np.sqrt(G_hat) + eps)


g0 = quad.grad(quad.start)
print("gradient at the start:", g0)
for rule in (gradient_descent, adagrad, adam):
    first_step = rule(quad.start, g0, {}, 1, lr=0.1) - quad.start
    print(f"first step of {rule.__name__:16s} (α = 0.1): {first_step}")

# %% [markdown]
# The first step shows the idea at its most extreme. The gradient at the start is much steeper
# in $w_2$ than in $w_1$, and so is gradient descent's step; AdaGrad's and Adam's first
# steps divide each component by its own magnitude and move *both* coordinates by $\alpha$.
# After that the accumulated $G_t$ sets the step. The effective learning rate of each coordinate,
# $\alpha/(\sqrt{G_t}+\epsilon)$, shows how AdaGrad and RMSProp differ on the Rosenbrock valley
# (where, from the start $(-1.5, 2)$, the gradient is large at first and small later):

# %%
rosen = Rosenbrock()


def effective_lr(rule, lr, steps=300, **hyper):
    """α/(√G_t + ε) of w1 along the run (the learning rate that AdaGrad or RMSProp applies)."""
    w, state, rates = rosen.start.copy(), {}, []
    for t in range(1, steps + 1):
        w = rule(w, rosen.grad(w), state, t, lr=lr, **hyper)
        rates.append(lr / (np.sqrt(state["G"][0]) + 1e-8))
    return np.array(rates)


rates = {"AdaGrad, α = 1": effective_lr(adagrad, 1.0), "RMSProp, α = 0.01": effective_lr(rmsprop, 0.01)}
plot_curves(rates, xlabel="step", ylabel=r"$\alpha / (\sqrt{G_t} + \epsilon)$ for $w_1$",
            logy=True, title="effective learning rate on Rosenbrock")

# %% [markdown]
# AdaGrad's effective rate can only fall: after the steep start it is frozen for the rest of the
# run, however small the gradients on the valley floor become (AdaGrad is at its best on
# problems with sparse gradients, where most coordinates rarely see a large gradient). RMSProp forgets the steep start (its memory is about
# $1/(1 - \beta)$ steps) and raises the rate again as the gradients shrink along the valley
# floor, lowering it when they grow.
#
# (sec-07-newton)=
# ## Newton's method and BFGS
#
# The methods so far use only the gradient. *Second-order* methods also use the curvature.
# Newton's method minimises the second-order Taylor model
# $f(\theta + \mathbf d) \approx f(\theta) + \nabla f^\top\mathbf d + \frac12\mathbf d^\top H\mathbf d$
# exactly, which gives the step $\mathbf d = -H^{-1}\nabla f$:
#
# $$ \theta_t = \theta_{t-1} - H(\theta_{t-1})^{-1}\, \nabla f(\theta_{t-1}). $$
#
# On a quadratic the model is exact, so Newton's method lands on the minimum in one step whatever
# the condition number. Near a minimum where the Hessian is positive definite it converges
# *quadratically* (the number of correct digits roughly doubles every step). But each step needs
# the Hessian, $n^2$ second derivatives for $n$ parameters, and a linear solve costing $O(n^3)$; for a network with a
# million parameters neither is affordable.
#
# *BFGS*, the best known quasi-Newton method, builds an approximation $B_t \approx H^{-1}$ from
# gradients alone, and steps along $-B\nabla f$ with a *line search* (start with the full step
# and halve it until $f$ has decreased enough, the Armijo condition). Each step costs one
# gradient, at least one function value (the table below counts them) and $O(n^2)$
# arithmetic.
#
# ```{admonition} The BFGS update
# :class: dropdown
# After a step $\mathbf s = \theta_t - \theta_{t-1}$ that changed the gradient by
# $\mathbf y = \nabla f(\theta_t) - \nabla f(\theta_{t-1})$, BFGS updates $B$ to the symmetric
# matrix closest to the old one (in a weighted norm) that satisfies the *secant condition*
# $B_t\mathbf y = \mathbf s$ (on a quadratic, $H^{-1}\mathbf y = \mathbf s$ exactly):
#
# $$ B_t = \big(I - \rho\,\mathbf s\mathbf y^\top\big)\, B_{t-1}\, \big(I - \rho\,\mathbf y\mathbf s^\top\big) + \rho\,\mathbf s\mathbf s^\top,
#    \qquad \rho = \frac{1}{\mathbf y^\top\mathbf s} . $$
# ```
#
# Both methods, in numpy:

# %%
def newton_path(land, start, steps=50, tol=1e-10):
    w = np.array(start, dtype=float)
    path = [w]
    for _ in range(steps):
        g = land.grad(w)
        if np.linalg.norm(g) < tol:
            break
        w = w - np.linalg.solve(land.hessian(w), g)
        path.append(w)
    return np.array(path)


def bfgs_update(B, s, y):
    rho, eye = 1.0 / (y @ s), np.eye(len(s))
    return (eye - rho * np.outer(s, y)) @ B @ (eye - rho * np.outer(y, s)) + rho * np.outer(s, s)


def bfgs_path(land, start, steps=100, tol=1e-10):
    """BFGS with a backtracking line search; returns the path and the number of f evaluations."""
    w, B = np.array(start, dtype=float), np.eye(2)
    f_w, g, f_evals = land.f(w), land.grad(w), 0
    path = [w]
    for k in range(1, steps + 1):
        if np.linalg.norm(g) < tol:
            break
        d = -B @ g
        if not g @ d < 0:  # not a descent direction: restart from steepest descent
            B, d = np.eye(2), -g
        step = 1.0
        for _ in range(60):  # halve until f(w + step d) <= f(w) + 1e-4 step g.d
            w_new = w + step * d
            f_new, f_evals = land.f(w_new), f_evals + 1
            if f_new <= f_w + 1e-4 * step * (g @ d):
                break
            step *= 0.5
        g_new = land.grad(w_new)
        s, y = w_new - w, g_new - g
        if s @ y > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):  # keep B positive definite
            if k == 1:
                B = (s @ y) / (y @ y) * np.eye(2)  # first guess of the scale of H⁻¹
            B = bfgs_update(B, s, y)
        w, f_w, g = w_new, f_new, g_new
        path.append(w)
    return np.array(path), f_evals


# %% [markdown]
# The secant condition holds after an update, and both functions retrace the paths of
# `nndl_book.engine.newton` and `nndl_book.engine.bfgs` on the three landscapes (the saddle
# $f = w_1^2 - w_2^2$ has no minimum; more on it below):

# %%
s_test, y_test = np.array([0.3, -0.1]), np.array([0.5, 0.2])
B_test = bfgs_update(np.eye(2), s_test, y_test)
print(f"secant condition, |B y - s| = {np.max(np.abs(B_test @ y_test - s_test)):.1e}")

landscapes = {"quadratic": quad, "rosenbrock": rosen, "saddle": Saddle()}
second_order = {}
for name, land in landscapes.items():
    n_path = newton_path(land, land.start)
    b_path, f_evals = bfgs_path(land, land.start)
    second_order[name] = (n_path, b_path, f_evals)
    d_newton = np.max(np.abs(n_path - newton(land)))
    d_bfgs = np.max(np.abs(b_path - bfgs(land)))
    print(f"{name:10s} largest difference from nndl_book: Newton {d_newton:.1e}, BFGS {d_bfgs:.1e}")

# %%
fig = Figure(figsize=(11.0, 3.3), layout="constrained")
for ax, (name, land) in zip(fig.subplots(1, 3), landscapes.items()):
    n_path, b_path, _ = second_order[name]
    gd_path = run_optimizer(land, "sgd", steps=100, lr={"rosenbrock": 0.001}.get(name, 0.05))
    bfgs_shown = ("BFGS", b_path) if land.minimum is not None else ("BFGS, 30 steps", b_path[:30])
    plot_trajectories(land, {"gradient descent, 100 steps": gd_path, bfgs_shown[0]: bfgs_shown[1],
                             "Newton": n_path}, ax=ax, title=name)
    if land.minimum is None:
        ax.annotate("Newton stops\nat the saddle", xy=(0.0, 0.0), xytext=(0.5, 0.9),
                    fontsize=9, arrowprops={"arrowstyle": "->", "color": PALETTE[2]})
fig

# %% [markdown]
# On the quadratic, Newton's method goes straight to the minimum in one step; BFGS needs a few
# steps to learn the curvature, then finishes. On Rosenbrock, Newton's second step overshoots
# far below the picture, but the next ones come back and it is at the minimum a few steps later
# (the table below counts them); BFGS follows the valley floor to the minimum, while 100 steps of
# gradient descent have barely moved along it from the start. On the saddle, Newton's method does
# something alarming: it jumps straight *to the saddle point* (its path is the short segment from
# the start to the origin), because the quadratic model there is exact and its only stationary
# point is the saddle. Newton's method looks for a point where the gradient vanishes, and cannot
# tell a minimum from a saddle ({ref}`ex-07-newton-saddle`). BFGS keeps $B$ positive definite,
# so it always steps downhill, and escapes along $w_2$.
#
# ## Steps and cost: one table
#
# Now every method on the three landscapes, each first-order method at the learning rate of the
# optimizer race below (`BASE_LR`; μ = 0.9): tuned for it on the quadratic and on Rosenbrock, set
# by hand on the saddle so that every path stays in the window. On the
# quadratic and on Rosenbrock we count the steps until the point is within $10^{-4}$ of the
# minimum (`steps_to_converge`); on the saddle, which has no minimum, the steps until the run
# has escaped, $|w_2| > 1$.

# %%
from nndl_book.engine.race import BASE_LR, LABELS, finish_step

MAX_STEPS = {"quadratic": 1000, "rosenbrock": 3000, "saddle": 300}


def outcome(land, path, max_steps):
    if land.minimum is None:
        k = finish_step(land, path)
    else:
        k = steps_to_converge(path, land, tol=1e-4)
    return f"> {max_steps}" if k is None else str(k)


rows, rosen_final = [], {}
for name in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"):
    extra = {"momentum": 0.9} if name in ("momentum", "nesterov") else {}
    paths = {lname: run_optimizer(land, name, steps=MAX_STEPS[lname], lr=BASE_LR[lname][name],
                                  **extra) for lname, land in landscapes.items()}
    rows.append((LABELS[name], "1 gradient",
                 *[outcome(land, paths[lname], MAX_STEPS[lname])
                   for lname, land in landscapes.items()]))
    rosen_final[LABELS[name]] = np.linalg.norm(paths["rosenbrock"][-1] - rosen.minimum)
newton_cells = [outcome(land, second_order[lname][0], 50) for lname, land in landscapes.items()]
newton_cells[2] = "to the saddle"  # it converges, but to the saddle point
rows.append(("Newton", "1 gradient, 1 Hessian, 1 solve", *newton_cells))
rows.append(("BFGS", "1 gradient, line search",
             *[outcome(land, second_order[lname][1], 100) for lname, land in landscapes.items()]))
print(f"{'method':17s} {'cost per step':31s} {'quadratic':>10s} {'rosenbrock':>11s} {'saddle':>14s}")
for row in rows:
    print(f"{row[0]:17s} {row[1]:31s} {row[2]:>10s} {row[3]:>11s} {row[4]:>14s}")
evals = [second_order[lname][2] / (len(second_order[lname][1]) - 1) for lname in landscapes]
print("BFGS line search, f evaluations per step: "
      + ", ".join(f"{lname} {e:.2f}" for lname, e in zip(landscapes, evals)))
print(f"Rosenbrock, distance to the minimum after {MAX_STEPS['rosenbrock']} steps:")
print("  " + ", ".join(f"{label} {dist:.1e}" for label, dist in rosen_final.items()))

# %% [markdown]
# Down the columns, the second-order methods need the fewest steps, and on the curved
# Rosenbrock valley far fewer than any first-order method. AdaGrad and RMSProp come close on
# the quadratic only because its steep and shallow directions are the coordinate axes, which
# a per-coordinate step size can correct. On Rosenbrock several first-order methods do not get
# within $10^{-4}$ in 3000 steps (the distances printed last). The table counts the *first*
# arrival: Adam gets there but does not stay, because its step is invariant to the scale of the
# gradient and does not die out as the gradient vanishes (its final distance).
#
# Across the rows, the second-order methods pay for their few steps. For two parameters that
# price is nothing; for $n$ parameters the Hessian has $n^2$ entries and Newton's solve costs
# $O(n^3)$. The measured time per step on Rosenbrock, from this machine (so it varies from run
# to run):

# %% tags=["nbval-ignore-output"]
# Timings vary from run to run and machine to machine, so nbval does not compare this output.
from nndl_book.notebook import time_per_call


def time_per_step(run, repeats=20):
    """Microseconds per step of `run()`, which returns the path it took."""
    return 1e6 * time_per_call(run, n_calls=repeats, repeats=1) / (len(run()) - 1)


timed = {LABELS[name]: time_per_step(lambda n=name: run_optimizer(rosen, n, steps=50, lr=1e-4))
         for name in ("sgd", "momentum", "adam")}
timed["Newton"] = time_per_step(lambda: newton_path(rosen, rosen.start))
timed["BFGS"] = time_per_step(lambda: bfgs_path(rosen, rosen.start)[0])
for name, micro in timed.items():
    print(f"{name:17s} {micro:6.1f} µs per step")

# %% [markdown]
# In two dimensions these times measure Python's overhead more than arithmetic. The difference
# that matters, $O(n)$ for a gradient step against $O(n^2)$ to $O(n^3)$ for curvature, only shows
# for large $n$: that is why networks are trained with first-order methods, with momentum and
# adaptive learning rates buying some of the benefit of curvature at $O(n)$ cost.
#
# ## Checked against `nndl_book` and `torch.optim`
#
# Each update rule above should match the corresponding `nndl_book.engine.optim` class and
# `torch.optim` optimizer with the same hyperparameters. Run all three for 50 steps on the
# Rosenbrock function from the same start, with torch computing its own gradients by autograd:

# %%
TORCH = {
    "sgd": (gradient_descent, {}, lambda p, lr: torch.optim.SGD(p, lr=lr)),
    "momentum": (momentum, {"momentum": 0.9},
                 lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9)),
    "nesterov": (nesterov, {"momentum": 0.9},
                 lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True)),
    "adagrad": (adagrad, {}, lambda p, lr: torch.optim.Adagrad(p, lr=lr)),
    "rmsprop": (rmsprop, {}, lambda p, lr: torch.optim.RMSprop(p, lr=lr)),
    "adam": (adam, {}, lambda p, lr: torch.optim.Adam(p, lr=lr)),
}


def torch_path(make_optimizer, lr, steps=50):
    p = torch.tensor(rosen.start, requires_grad=True)
    opt = make_optimizer([p], lr)
    path = [p.detach().numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        loss = (rosen.a - p[0]) ** 2 + rosen.b * (p[1] - p[0] ** 2) ** 2
        loss.backward()
        opt.step()
        path.append(p.detach().numpy().copy())
    return np.array(path)


print(f"{'optimizer':10s} {'lr':>7s} {'max |ours - nndl_book|':>23s} {'max |ours - torch|':>19s}")
for name, (rule, extra, make_torch) in TORCH.items():
    lr = BASE_LR["rosenbrock"][name]
    ours = descend(rule, rosen.grad, rosen.start, 50, lr=lr)
    package = run_optimizer(rosen, name, steps=50, lr=lr, **extra)
    theirs = torch_path(make_torch, lr)
    print(f"{name:10s} {lr:7g} {np.max(np.abs(ours - package)):23.1e} "
          f"{np.max(np.abs(ours - theirs)):19.1e}")

# %% [markdown]
# All six agree to rounding error. (Newton's method and BFGS were checked against `nndl_book`
# above; `torch.optim.LBFGS` is a limited-memory variant with a different line search, so its
# path is not expected to match step for step.)
#
# ## Optimizers on a real network
#
# Two-dimensional landscapes show *how* the methods move; a network shows whether it matters.
# The problem: the two-moons data (200 points, standardised), a 2-8-1 network with ReLU hidden
# units and He initialisation, the cross-entropy loss, mini-batches of 20, 20 epochs, trained by
# the numpy engine (`nndl_book.engine.train`, whose optimizers were just checked).
#
# A fair comparison gives each optimizer its own learning rate, so first a tiny grid search:
# three rates per optimizer, spaced by a factor of about 3. Each rate is scored by the training
# loss of the last three epochs, averaged over three seeds (each seed sets the initial weights
# and the order of the mini-batches; the data stay the same), and μ = 0.9 for both momentum
# methods:

# %%
X_net = (X_moons - X_moons.mean(axis=0)) / X_moons.std(axis=0)
LR_GRID = {"sgd": [1.0, 3.0, 10.0], "momentum": [0.1, 0.3, 1.0], "nesterov": [0.1, 0.3, 1.0],
           "adagrad": [0.3, 1.0, 3.0], "rmsprop": [0.03, 0.1, 0.3], "adam": [0.03, 0.1, 0.3]}
EPOCHS, SEEDS = 20, (0, 1, 2)


def train_moons(name, lr, seed):
    model = MLP([2, 8, 1], activation="relu", init="he_uniform", rng=seed)
    extra = {"momentum": 0.9} if name in ("momentum", "nesterov") else {}
    return train(model, X_net, y_moons, optimizer=name, lr=lr, epochs=EPOCHS, batch_size=20,
                 rng=seed, **extra)


def score(runs):
    """Mean over the seeds of the mean training loss of the last three epochs."""
    return np.mean([np.mean(h.train_loss[-3:]) if not h.diverged else np.inf for h in runs])


tuned, histories = {}, {}
for name, grid in LR_GRID.items():
    runs = {lr: [train_moons(name, lr, seed) for seed in SEEDS] for lr in grid}
    tuned[name] = min(grid, key=lambda lr: score(runs[lr]))
    histories[name] = runs[tuned[name]]
    scores = "  ".join(f"α = {lr:<4g} {score(r):.4f}" for lr, r in runs.items())
    print(f"{LABELS[name]:17s} {scores}   → α = {tuned[name]:g}")
print("every tuned rate inside its grid:", all(grid[0] < tuned[name] < grid[-1]
                                              for name, grid in LR_GRID.items()))

# %% [markdown]
# Every tuned rate lies inside its grid, not at an edge (an edge would mean that the grid should
# be extended). The final training loss of each seed at the tuned rate:

# %%
for name in LR_GRID:
    finals = np.array([h.train_loss[-1] for h in histories[name]])
    print(f"{LABELS[name]:17s} α = {tuned[name]:<4g} seeds 0, 1, 2: "
          + ", ".join(f"{x:.3f}" for x in finals) + f"   mean {finals.mean():.3f}")

# %%
fig = Figure(figsize=(7.0, 3.8), layout="constrained")
ax = fig.add_subplot()
epochs = np.arange(1, EPOCHS + 1)
for i, name in enumerate(LR_GRID):
    losses = np.array([h.train_loss for h in histories[name]])
    ax.fill_between(epochs, losses.min(axis=0), losses.max(axis=0), color=PALETTE[i], alpha=0.15,
                    lw=0)
    ax.plot(epochs, losses.mean(axis=0), color=PALETTE[i], lw=1.8,
            label=f"{LABELS[name]} (α = {tuned[name]:g})")
ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 5, 10]))
ax.set(yscale="log", xlabel="epoch", ylabel="training loss (mean over the epoch)",
       title=f"two moons, 2-8-1 ReLU: mean and range over {len(SEEDS)} seeds")
ax.grid(alpha=0.3)
ax.legend(fontsize=8.5, ncols=2)
fig

# %% [markdown]
# Each line is the mean over the seeds, the band their range. Read the figure with the printouts,
# and with some modesty: on a problem this small, with three seeds, the gaps between the best
# optimizers are smaller than the spread of a single optimizer across seeds. What holds up is
# that every optimizer trains this network once its learning rate is tuned; that momentum,
# Nesterov and Adam end lowest on average and AdaGrad, whose learning rate only shrinks, and
# plain gradient descent highest; and that the tuned rates differ widely between methods
# (compare gradient descent's with Adam's): a learning rate means nothing without its optimizer.
# A comparison at one shared learning rate, or at each library's default, would mostly measure
# how well that rate happens to suit each method.
#
# ## Explore: the optimizer race
#
# Six optimizers start from the same point on one of the three landscapes, each at its own
# learning rate there, times a common factor. (On the quadratic and on Rosenbrock that rate is
# tuned: the fastest of a small grid whose double still does not diverge. On the saddle it is set
# by hand so that every path can be followed in the window; the `nndl_book.engine.race` docstring
# has the details.) Each panel shows one optimizer's path, with gradient descent in grey
# for comparison, and says when it crossed the finish line: within 0.01 of the minimum, or, on the
# saddle, $|w_2| > 1$. Things to look for: the zigzag of gradient descent on the quadratic at factor
# 2 (its rate is then exactly $2/\lambda_{\max}$); how differently the methods travel along the
# Rosenbrock valley; how the adaptive methods, which rescale the tiny gradient across the saddle,
# escape it first at these rates (gradient descent at a larger rate would escape sooner too). With a live kernel you can also race a single optimizer against gradient descent
# and set the momentum μ, including the values above 1 and below 0 of the section on momentum.

# %%
from nndl_book.widgets.race import optimizer_race

optimizer_race()

# %% [markdown]
# ## Exercises
#
# ```{exercise} Momentum outside [0, 1) (Nielsen ch. 3)
# :label: ex-07-nielsen-momentum
# Nielsen asks: what would go wrong if we used $\mu > 1$ in the momentum technique, and what if
# $\mu < 0$? Answer for the quadratic $f = \frac12\lambda w^2$ (one direction of any bowl):
# write one momentum step as a linear map of the pair $(w, v)$ and look at its determinant.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function momentum_matrix(mu, lr, curvature) returning the
# 2×2 matrix A with (w', v') = A (w, v) for one momentum step), then run it.

# %%
from nndl_book.exercises import check, quiz

def my_momentum_matrix(mu, lr, curvature):
    raise NotImplementedError  # edit: return the 2×2 matrix A with (w', v') = A (w, v) for one momentum step

check("ex-07-nielsen-momentum", my_momentum_matrix)


# %% [markdown]
# ```{solution-start} ex-07-nielsen-momentum
# :class: dropdown
# ```
#
# With $g = \lambda w$, the step $v' = \mu v + \lambda w$, $w' = w - \alpha v'$ is
#
# $$ \begin{pmatrix} w' \\ v' \end{pmatrix} = A \begin{pmatrix} w \\ v \end{pmatrix}, \qquad
#    A = \begin{pmatrix} 1 - \alpha\lambda & -\alpha\mu \\ \lambda & \mu \end{pmatrix}, \qquad
#    \det A = \mu(1 - \alpha\lambda) + \alpha\lambda\mu = \mu . $$
#
# The determinant is the product of the two eigenvalues of $A$, so at least one of them has
# modulus $\ge \sqrt{|\mu|}$, **whatever the learning rate**. For $\mu > 1$ that eigenvalue
# exceeds 1 and $(w, v)$ grows geometrically: the "friction" $1 - \mu$ is negative, the
# velocity is amplified at every step and the iterates fly off. ($\mu = 1$, no friction, is the
# borderline: the ball oscillates forever.) For $\mu < 0$ the determinant is negative, so the
# eigenvalues are real with opposite signs: one mode changes sign at every step, which is the
# alternation of long and short steps seen above, and the velocity term now pushes against the
# last step, slowing the descent (the steady-state step $\alpha g/(1-\mu)$ is *smaller* than
# gradient descent's). For $\mu < -1$ that alternating mode diverges too. The spectral radius
# (largest eigenvalue modulus) of $A$ for the two curvatures of the quadratic, with α = 0.02,
# confirms it; the run converges exactly when it is below 1, and faster the smaller it is:

# %%
def spectral_radius(mu, lr, curvature):
    A = np.array([[1 - lr * curvature, -lr * mu], [curvature, mu]])
    return np.max(np.abs(np.linalg.eigvals(A)))


for mu in (-1.2, -0.5, 0.0, 0.5, 0.9, 1.0, 1.1):
    radius = max(spectral_radius(mu, 0.02, curvature) for curvature in lam)
    print(f"μ = {mu:5.2f}: spectral radius {radius:.4f}, √|μ| = {np.sqrt(abs(mu)):.4f}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} NNDL 7-1
# :label: ex-07-nndl-7-1
# In mini-batch gradient descent, analyse why the learning rate should be proportional to the
# batch size. Check the rule on the logistic regression of the first section: train for a fixed
# number of epochs with batch sizes 1, 4, 16 and 64, once with the same learning rate for all and
# once with $\alpha \propto K$.
# ```
#
# ```{solution-start} ex-07-nndl-7-1
# :class: dropdown
# ```
#
# Over one epoch, mini-batches of size $K$ make $N/K$ updates. While the parameters change
# little, $K$ consecutive SGD steps of size $\alpha$ add up to
# $-\alpha\sum_{n} \nabla\ell_n \approx -\alpha K \cdot \frac1K\sum_n\nabla\ell_n$, which is
# one mini-batch step with learning rate $K\alpha$. So to cover the same distance per epoch, a
# $K$ times larger batch needs a $K$ times larger learning rate. The larger batch also makes the
# larger step safe: the variance of the mini-batch gradient falls like $1/K$, so the noise
# in a step of size $K\alpha$ grows only like $K\alpha/\sqrt{K} = \sqrt K\alpha$. The rule holds
# while the approximation "the parameters change little" over $K$ steps does. The stability
# limit $2/\lambda_{\max}$ of the full-batch problem caps $K\alpha$ in any case, but the
# approximation can fail well before it, once an epoch holds only a few updates. (Some authors argue for
# $\alpha \propto \sqrt K$, which keeps the noise per step fixed instead of the distance per
# epoch; in practice the linear rule, with a warm-up, is the common one.)

# %%
print(f"{'K':>3s} {'updates per epoch':>18s} {'same α = 0.05':>15s} {'α = 0.05 K':>12s}"
      "   (L - L* after 5 epochs)")
for K in (1, 4, 16, 64):
    same = minibatch_gd(K, lr=0.05, epochs=5)[-1] - L_star
    scaled = minibatch_gd(K, lr=0.05 * K, epochs=5)[-1] - L_star
    print(f"{K:3d} {-(-N // K):18d} {same:15.4f} {scaled:12.4f}")

# %% [markdown]
# With the same learning rate, the loss after five epochs gets worse as the batch grows (fewer
# updates of the same size). With $\alpha \propto K$ the batch sizes up to 16 end up at the same
# loss; at $K = 64$ the rule starts to fail, as it must once a single large step is no longer
# close to the many small steps it replaces (an epoch is then only a handful of updates).
#
# ```{solution-end}
# ```
#
# ```{exercise} NNDL 7-2
# :label: ex-07-nndl-7-2
# In Adam, explain why the bias corrections $\hat M_t = M_t/(1-\beta_1^t)$ and
# $\hat G_t = G_t/(1-\beta_2^t)$ are reasonable. What would Adam's first step be without them?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function first_step(g, lr, beta1, beta2) returning Adam's
# first change w_1 - w_0, without the bias corrections), then run it.

# %%
def my_first_step(g, lr, beta1, beta2):
    raise NotImplementedError  # edit: return Adam's first change w_1 - w_0, without the bias corrections

check("ex-07-nndl-7-2", my_first_step)


# %% [markdown]
# ```{solution-start} ex-07-nndl-7-2
# :class: dropdown
# ```
#
# Unrolling $M_t = \beta_1 M_{t-1} + (1-\beta_1)\mathbf g_t$ from $M_0 = 0$ gives
# $M_t = (1-\beta_1)\sum_{i=1}^t \beta_1^{t-i}\mathbf g_i$, a weighted sum whose weights add up
# to $(1-\beta_1)\sum_{i=0}^{t-1}\beta_1^i = 1 - \beta_1^t$, not to 1. If the gradients have a
# stationary mean, $\mathbb E[M_t] = (1 - \beta_1^t)\,\mathbb E[\mathbf g]$: biased towards the
# zero it started from, strongly so while $t \ll 1/(1-\beta_1)$. Dividing by $1-\beta_1^t$ makes
# the weights sum to 1 and the estimate unbiased; as $t$ grows the correction tends to 1 and
# disappears. The same holds for $G_t$ with $\beta_2$, where it matters longer (for about
# $1/(1-\beta_2)$ steps instead of $1/(1-\beta_1)$). With a constant gradient the corrected
# averages are exact from the first step:

# %%
beta1, beta2, g_const = 0.9, 0.999, 3.0
print("constant gradient g = 3; the step is in units of α")
for t in (1, 2, 10, 20, 100, 1000, 5000):
    M_t = (1 - beta1**t) * g_const  # the closed form of the averages for g_i = g
    G_t = (1 - beta2**t) * g_const**2
    M_hat, G_hat = M_t / (1 - beta1**t), G_t / (1 - beta2**t)
    print(f"t = {t:4d}: M_t = {M_t:.4f}, M̂_t = {M_hat:.4f}, √G_t = {np.sqrt(G_t):.4f}, "
          f"√Ĝ_t = {np.sqrt(G_hat):.4f};  step without correction {M_t / np.sqrt(G_t):.3f}, "
          f"with {M_hat / np.sqrt(G_hat):.3f}")

# %% [markdown]
# Without the corrections the first step would be
# $\alpha\, M_1/\sqrt{G_1} = \alpha\,(1-\beta_1)\,g/(\sqrt{1-\beta_2}\,|g|)$, that is
# $(1-\beta_1)/\sqrt{1-\beta_2}$ times the intended $\alpha$ in each coordinate. Worse, $M_t$
# recovers within tens of steps while $G_t$ stays underestimated for thousands, so the
# uncorrected step first *grows* and then stays above $\alpha$ for thousands of steps (last
# columns above). With the corrections the step is exactly $\alpha$ from the first one on, as in
# Adam's first step on the quadratic:

# %%
g1 = quad.grad(quad.start)
M1, G1 = (1 - beta1) * g1, (1 - beta2) * g1**2
print("first step without correction / α:", -M1 / np.sqrt(G1))
print("first step with correction / α:    ", (adam(quad.start, g1, {}, 1, lr=1.0) - quad.start))

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Newton's method on a saddle
# :label: ex-07-newton-saddle
# Show that on $f = w_1^2 - w_2^2$ Newton's method reaches the saddle point $(0, 0)$ in one step
# from *any* start. Then change the method so that it moves away from saddles: replace the
# Hessian by $|H| = V|\Lambda|V^\top$ (its eigenvalues made positive), and run it from the
# saddle landscape's start.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function saddle_free_step(g, H) returning the change of w,
# -|H|⁻¹ g with |H| = V |Λ| Vᵀ), then run it.

# %%
def my_saddle_free_step(g, H):
    raise NotImplementedError  # edit: return the change of w, -|H|⁻¹ g with |H| = V |Λ| Vᵀ

check("ex-07-newton-saddle", my_saddle_free_step)


# %% [markdown]
# ```{solution-start} ex-07-newton-saddle
# :class: dropdown
# ```
#
# Here $\nabla f = (2w_1, -2w_2)$ and $H = \operatorname{diag}(2, -2)$, so
# $H^{-1}\nabla f = (w_1, w_2) = \mathbf w$ and the Newton step $\mathbf w - H^{-1}\nabla f$ is
# $\mathbf 0$, for every $\mathbf w$. Newton's method solves $\nabla f = 0$, and along $w_2$,
# where the curvature is negative, dividing by it turns the step *uphill*. With $|H|$ the step is
# $-|H|^{-1}\nabla f$: it is a descent direction (since $|H|$ is positive definite), it is
# still scaled by the curvature, and along negative curvature it goes downhill. (This is the
# idea of the *saddle-free Newton* method.)

# %%
saddle = landscapes["saddle"]


def saddle_free_newton_path(land, start, steps=6):
    w = np.array(start, dtype=float)
    path = [w]
    for _ in range(steps):
        eigenvalues, V = np.linalg.eigh(land.hessian(w))
        w = w - V @ ((V.T @ land.grad(w)) / np.abs(eigenvalues))
        path.append(w)
    return np.array(path)


print("Newton:           ", newton_path(saddle, saddle.start)[:3].tolist())
print("saddle-free Newton:", saddle_free_newton_path(saddle, saddle.start)[:4].tolist())

# %% [markdown]
# Newton's method stops at the origin after one step. The saddle-free version sends $w_1$ to 0
# (the positive-curvature direction, solved in one step as before) and doubles $w_2$ at every
# step (since $w_2 - (-2w_2)/|{-2}| = 2w_2$), away from the saddle along the direction in which
# $f$ decreases.
#
# ```{solution-end}
# ```
#
# ## What the sources get wrong
#
# A blog overview of network basics describes AdaGrad as dividing the step by "the sum of the
# parameter's gradients". Taken literally, with the signed sum $S_t = \mathbf g_1 + \dots +
# \mathbf g_t$ in place of AdaGrad's $\sqrt{G_t}$, on the quadratic at AdaGrad's tuned rate,
# counting the steps that go uphill (along $+\mathbf g$ in some coordinate). Then, for a blog
# answer's claim about negative momentum, $\mu = -0.5$ on the same quadratic: a long run from
# the usual start, and a run that starts at the minimum with zero velocity:

# %%
def adagrad_signed_sum(w, g, state, t, lr, eps=1e-10):
    """The step divided by the running sum of the gradients (not of their squares)."""
    S = state["S"] = state.get("S", 0.0) + g
    return w - lr * g / (S + eps)


lr_ada = BASE_LR["quadratic"]["adagrad"]
for rule in (adagrad, adagrad_signed_sum):
    path = descend(rule, quad.grad, quad.start, 100, lr=lr_ada)
    grads = np.array([quad.grad(w) for w in path[:-1]])
    uphill = int(np.sum(np.any(np.diff(path, axis=0) * grads > 0, axis=1)))
    print(f"{rule.__name__:18s} (α = {lr_ada:g}): f after 100 steps {quad.f(path[-1]):.3e}, "
          f"steps uphill {uphill} of 100, largest |w| on the way {np.abs(path).max():.3g}")
    glue(f"{rule.__name__}_uphill", uphill, display=False)
    glue(f"{rule.__name__}_f100", f"{quad.f(path[-1]):.1e}", display=False)
radius = max(spectral_radius(-0.5, 0.02, curvature) for curvature in lam)
long_run = run_optimizer(quad, "momentum", steps=1000, lr=0.02, momentum=-0.5, allow_unstable=True)
at_minimum = descend(momentum, quad.grad, np.zeros(2), 100, lr=0.02, mu=-0.5)
distances = np.linalg.norm(long_run, axis=1)
print(f"momentum μ = -0.5, α = 0.02: spectral radius {radius:.4f}; distance to the minimum "
      f"after 100, 500, 1000 steps: {distances[100]:.1e}, {distances[500]:.1e}, "
      f"{distances[1000]:.1e}")
print(f"started at the minimum with zero velocity: largest |w| over 100 steps "
      f"{np.abs(at_minimum).max():.1f}")
glue("mu_neg_radius", f"{radius:.4f}", display=False)
for (name, (K, _)), key in zip(runs_k.items(), ["sgd20", "minibatch20", "batch20"]):
    glue(key, f"{gaps[name][20 * N // K]:.1e}", display=False)  # L - L* after 20 epochs
glue("mu_neg_dist", f"{distances[1000]:.0e}", display=False)

# %% [markdown]
# ```{admonition} What the sources get wrong
# - **"With $\mu < 0$ the weights can never stay at the optimum."** A blog answer to Nielsen's
#   ch. 3 momentum exercise argues that with negative momentum, once the gradient is about
#   zero at the optimum, the weights start to move back and never settle there. The optimum
#   with zero velocity is a fixed point of the update for every $\mu$ ($\mathbf g = 0$ and
#   $\mathbf v = 0$ give $\mathbf v = 0$ again), and for $-1 < \mu < 0$ the iteration converges
#   to it as long as the learning rate is small enough, $\alpha\lambda_{\max} < 2(1 + \mu)$ (a
#   tighter limit than gradient descent's $\alpha\lambda_{\max} < 2$; the trace of the momentum
#   step is $1 + \mu - \alpha\lambda$ and its determinant $\mu$): for $\mu = -0.5$ and
#   $\alpha = 0.02$ the spectral radius of the momentum step on the quadratic is
#   {glue:text}`mu_neg_radius`, below 1, the run is {glue:text}`mu_neg_dist` from the minimum
#   after 1000 steps, and a run started at the minimum never leaves it (printed). What is true is the rest of the answer: negative
#   momentum makes progress slower than plain gradient descent
#   ({ref}`ex-07-nielsen-momentum`), and $\mu < -1$ diverges.
# - **AdaGrad "divides by the sum of the gradients".** A blog overview of network basics
#   describes AdaGrad's denominator so. It is the square root of the sum of the *squared*
#   gradients, which only grows. A signed sum shrinks when the gradient changes sign and can
#   cross zero, and the step then goes the wrong way or explodes: on the quadratic,
#   {glue:text}`adagrad_signed_sum_uphill` of 100 steps went uphill, against
#   {glue:text}`adagrad_uphill` for AdaGrad (printed above).
# - **"SGD was improved to batch gradient descent."** The same overview says that because one
#   example's gradient is noisy, SGD was later improved to batch gradient descent. The
#   improvement runs the other way: batch gradient descent is the original method, and per
#   example seen it is by far the slowest. After 20 epochs on the logistic regression of the
#   first section, its excess loss $\mathcal L - \mathcal L^\ast$ is {glue:text}`batch20`,
#   against {glue:text}`sgd20` for SGD and {glue:text}`minibatch20` for mini-batches of 10
#   (the first printout of the chapter). The remedy for SGD's noise is the mini-batch, and a
#   decreasing learning rate.
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("07")


# %% [markdown]
# ## Summary
#
# - Mini-batch gradient descent estimates the gradient from $K$ examples. Per update, larger
#   batches progress more; per example seen, smaller ones do, until their noise stalls them; in
#   practice mini-batches of tens to hundreds combine both.
# - On a quadratic, gradient descent converges if and only if $\alpha < 2/\lambda_{\max}$, and
#   its speed is limited by the condition number $\lambda_{\max}/\lambda_{\min}$.
# - Momentum, $\mathbf v \leftarrow \mu\mathbf v + \mathbf g$, $\theta \leftarrow \theta - \alpha\mathbf v$,
#   accumulates consistent gradient components and damps oscillating ones. Useful values of
#   $\mu$ lie in $[0, 1)$: the momentum step's determinant is $\mu$, so $\mu > 1$ diverges,
#   and $\mu < 0$ makes the steps alternate and the descent slower than without momentum, and
#   narrows the stable learning rates to $\alpha\lambda_{\max} < 2(1 + \mu)$ ($\mu < -1$
#   diverges). Nesterov takes the gradient at the look-ahead point.
# - AdaGrad, RMSProp and Adam scale each parameter's step by its recent gradient magnitude;
#   Adam adds momentum and bias corrections for the zero start of its averages.
# - Newton's method and BFGS need far fewer steps, but Newton's costs $O(n^2)$ memory and
#   $O(n^3)$ time per step and is attracted by saddle points; networks are trained with
#   first-order methods.
# - Our update rules agree with `nndl_book` and `torch.optim` to rounding error; optimizers must
#   be compared with tuned learning rates and over several seeds.
#
# ## References
#
# ```{footbibliography}
# ```
