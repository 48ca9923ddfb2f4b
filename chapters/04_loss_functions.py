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
# (ch-losses)=
# # 4. Loss functions
#
# Training a network means making one number smaller: the *loss*, which measures how far the
# network's outputs are from the targets. The choice of that number matters twice. It says what
# "good" means, and its gradient is the only signal gradient descent ever receives. This chapter
# writes the common losses in numpy (squared and absolute error, binary cross-entropy, softmax
# with the negative log-likelihood), checks each against `nndl_book` and PyTorch, and then
# reproduces Nielsen's experiment in which a sigmoid neuron trained with the quadratic cost learns
# *slowly* precisely when it is badly wrong, and shows why the cross-entropy does not. It follows
# NNDL {footcite}`qiu2020nndl` §2.2.2, §3.2–3.3 and §4.3, and chapter 3 of Nielsen's book
# {footcite}`nielsen2015nndl`.
#
# **Learning goals.** After this chapter you can
#
# - write mean squared error, mean absolute error, binary cross-entropy and softmax
#   cross-entropy with their gradients, and pick the output unit and loss for regression,
#   binary, multi-class and multi-label tasks;
# - explain the learning slowdown of a saturated sigmoid neuron under the quadratic cost, and
#   derive why the cross-entropy removes the $\sigma'(z)$ factor from the gradient;
# - compute softmax without overflow, write its Jacobian $\operatorname{diag}(\mathbf a) -
#   \mathbf a \mathbf a^\top$, and show that softmax followed by the log-likelihood has the
#   gradient $\mathbf a - \mathbf y$ with respect to the logits.

# %%
import math

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from myst_nb import glue

from nndl_book.maths import losses
from nndl_book.maths.activations import d_sigmoid, sigmoid
from nndl_book.plots import PALETTE, plot_curves

rng = np.random.default_rng(2026)

# %% [markdown]
# ## What a loss function is
#
# A loss $L(y, \hat y)$ compares one target $y$ with one prediction $\hat y$. The *cost* (NNDL's
# *empirical risk*) averages it over the $N$ training examples, $C = \frac1N \sum_{n} L(y_n, \hat y_n)$;
# Nielsen writes $C$ for both. A usable loss is never negative, is smallest when the prediction
# equals the target, and is differentiable (almost everywhere), because training only ever sees
# $\partial C/\partial \theta$. The second half of this chapter is a story about the *gradient*
# of a loss mattering more than its values.
#
# ## Regression: squared and absolute error
#
# For real-valued targets the two classic losses are the mean squared error and the mean
# absolute error,
#
# $$ \mathrm{MSE} = \frac1N \sum_{i=1}^N (\hat y_i - y_i)^2, \qquad
#    \mathrm{MAE} = \frac1N \sum_{i=1}^N |\hat y_i - y_i|, $$
#
# with gradients
#
# $$ \frac{\partial\,\mathrm{MSE}}{\partial \hat y_i} = \frac{2(\hat y_i - y_i)}{N}, \qquad
#    \frac{\partial\,\mathrm{MAE}}{\partial \hat y_i} = \frac{\operatorname{sign}(\hat y_i - y_i)}{N}. $$
#
# Nielsen's *quadratic cost* is $C = \frac{1}{2n}\sum_x \lVert \mathbf y(x) - \mathbf a \rVert^2$.
# For a network with one output it is half the MSE; the $\frac12$ is there only to cancel the 2
# of the derivative.

# %%
y_true = np.array([1.0, 2.0, 3.0, 4.0])
y_pred = np.array([1.5, 1.5, 3.0, 6.0])

err = y_pred - y_true
mse_ours = np.mean(err**2)
mae_ours = np.mean(np.abs(err))
grad_mse_ours = 2 * err / err.size
grad_mae_ours = np.sign(err) / err.size
print(f"MSE = {mse_ours:.4f}   MAE = {mae_ours:.4f}")
print("dMSE/dy_hat =", grad_mse_ours)
print("dMAE/dy_hat =", grad_mae_ours)

# %% [markdown]
# The same numbers from `nndl_book.maths.losses` and from PyTorch, whose gradients come from
# autograd rather than from our formulas:

# %%
p = torch.tensor(y_pred, requires_grad=True)
t = torch.tensor(y_true)
F.mse_loss(p, t).backward()
grad_mse_torch = p.grad.numpy().copy()
p.grad = None
F.l1_loss(p, t).backward()
grad_mae_torch = p.grad.numpy().copy()

print(f"nndl_book: MSE = {losses.mse(y_pred, y_true):.4f}   MAE = {losses.mae(y_pred, y_true):.4f}")
print(f"torch:     MSE = {F.mse_loss(p, t).item():.4f}   MAE = {F.l1_loss(p, t).item():.4f}")
print("gradients agree with nndl_book and torch autograd:",
      np.allclose(grad_mse_ours, losses.d_mse(y_pred, y_true))
      and np.allclose(grad_mae_ours, losses.d_mae(y_pred, y_true))
      and np.allclose(grad_mse_ours, grad_mse_torch)
      and np.allclose(grad_mae_ours, grad_mae_torch))

# %% [markdown]
# The squared error's gradient grows with the error, the absolute error's does not. That is the
# whole difference in one line, and it shows when the data hold an outlier. Predict *one*
# constant $c$ for a handful of targets: the squared error is minimised by their mean, the
# absolute error by their median. A grid search finds both:

# %%
targets = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
grid = np.linspace(0.0, 100.0, 10001)
mse_of_c = ((grid[:, None] - targets) ** 2).mean(axis=1)
mae_of_c = np.abs(grid[:, None] - targets).mean(axis=1)
print(f"best constant under MSE: {grid[mse_of_c.argmin()]:.2f}   (mean   {targets.mean():.2f})")
print(f"best constant under MAE: {grid[mae_of_c.argmin()]:.2f}   (median {np.median(targets):.2f})")

# %% [markdown]
# One wild target drags the squared-error fit far from the other four; the absolute error
# ignores how far away the outlier is. Squared error is still the default for regression: it is
# smooth at zero, and it is the negative log-likelihood of Gaussian noise, just as the
# cross-entropy below is the negative log-likelihood of a coin flip.
#
# ## Binary classification: the cross-entropy
#
# For a target $y \in \{0, 1\}$ a classifier outputs $a = \sigma(z) \in (0, 1)$, read as the
# probability that $y = 1$. The probability it gives to the observed label is $a^y (1-a)^{1-y}$,
# and the negative log of that is the **binary cross-entropy**
#
# $$ L(y, a) = -\big[\, y \ln a + (1 - y) \ln(1 - a) \,\big]. $$
#
# Averaged over examples this is Nielsen's cross-entropy cost (his equation 57). For $y = 1$ it is
# $-\ln a$, for $y = 0$ it is $-\ln(1-a)$. Compare it with the squared error as the network
# grows confidently wrong about an example whose label is 1:

# %%
def bce(a, y):
    """Binary cross-entropy of probability a for target y (elementwise)."""
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


print("   a    cross-entropy  squared error")
for a in [0.99, 0.9, 0.5, 0.1, 0.01, 0.0001]:
    print(f"{a:7.4f}   {bce(a, 1.0):9.4f}      {(1 - a) ** 2:9.4f}")
glue("bce_a01", float(bce(0.1, 1.0)), display=False)
glue("bce_a00001", float(bce(0.0001, 1.0)), display=False)

# %% [markdown]
# The squared error of a probability can never exceed 1, however wrong the prediction; the
# cross-entropy grows without bound, like $-\ln a$, as the network puts less and less
# probability on the truth. Checked on a batch against `nndl_book` and `torch`:

# %%
a_batch = np.array([0.9, 0.2, 0.6, 0.05])
y_batch = np.array([1.0, 0.0, 1.0, 1.0])
print(f"ours      {bce(a_batch, y_batch).mean():.6f}")
print(f"nndl_book {losses.binary_cross_entropy(a_batch, y_batch):.6f}")
print(f"torch     {F.binary_cross_entropy(torch.tensor(a_batch), torch.tensor(y_batch)).item():.6f}")

# %% [markdown]
# ### Why libraries want logits
#
# In floating point, $\sigma(z)$ rounds to exactly 1 once $z$ is a few dozen (the first line
# below finds where), and then $\ln(1 - a) = \ln 0$. Written in terms of the logit $z$ instead, the loss simplifies to
# $\max(z, 0) - zy + \ln(1 + e^{-|z|})$, which never takes the log of 0. For a confidently wrong
# logit $z = 40$ with label 0 (the true loss is just above 40):

# %%
z_scan = np.arange(30.0, 40.0, 0.01)
print(f"1/(1 + exp(-z)) == 1.0 in float64 from z = {z_scan[1 / (1 + np.exp(-z_scan)) == 1.0][0]:.2f}")

z_big, y0 = 40.0, 0.0
a_big = 1 / (1 + np.exp(-z_big))
with np.errstate(divide="ignore"):
    naive = bce(a_big, y0)
print(f"naive formula on sigma(z):           {naive}")
print(f"nndl_book on probabilities (clamped): {losses.binary_cross_entropy([a_big], [y0]):.4f}")
print(f"torch BCE on probabilities (clamped): "
      f"{F.binary_cross_entropy(torch.tensor([a_big]), torch.tensor([y0])).item():.4f}")
print(f"nndl_book on logits:                  {losses.binary_cross_entropy_with_logits([z_big], [y0]):.4f}")
print(f"torch BCEWithLogits:                  "
      f"{F.binary_cross_entropy_with_logits(torch.tensor([z_big]), torch.tensor([y0])).item():.4f}")

# %% [markdown]
# On probabilities the best a library can do is clamp the logarithm (PyTorch clamps it at
# $-100$); on logits it gets the right answer. That is why `torch.nn.BCEWithLogitsLoss` and
# `torch.nn.CrossEntropyLoss` take scores, not probabilities.
#
# ## Multi-class classification: softmax
#
# For $K$ classes the output layer produces $K$ scores $z_1, \dots, z_K$ (the *logits*), and the
# softmax turns them into a probability distribution:
#
# $$ a_j = \operatorname{softmax}(\mathbf z)_j = \frac{e^{z_j}}{\sum_{k=1}^K e^{z_k}} . $$
#
# Every $a_j$ is positive, because the exponential is, and they sum to 1, because the
# denominator is the sum of the numerators.

# %%
def softmax_naive(z):
    e = np.exp(z)
    return e / e.sum()


z = np.array([1.0, 2.0, 0.5, -1.0])
a = softmax_naive(z)
print("softmax(z) =", a)
print(f"sum = {a.sum():.4f}, smallest entry = {a.min():.4f} > 0")

# %% [markdown]
# ### Adding a constant changes nothing
#
# Because $e^{z_j + c} = e^{c} e^{z_j}$ and the factor $e^c$ cancels between numerator and
# denominator, $\operatorname{softmax}(\mathbf z + c\mathbf 1) = \operatorname{softmax}(\mathbf z)$
# for every constant $c$. Only the *differences* between logits matter.

# %%
for c in [-5.0, 3.0, 100.0]:
    print(f"c = {c:6.1f}: softmax(z + c) =", softmax_naive(z + c))

# %% [markdown]
# ### Computing it without overflow
#
# That invariance is what makes softmax safe to compute. `np.exp(1000)` overflows to `inf`, and
# `inf / inf` is `nan`. Subtracting the largest logit first makes every exponent $\le 0$, so no
# exponential exceeds 1, and the result is unchanged. (The `errstate` block only silences
# numpy's overflow warning so that the `nan` can be shown.)

# %%
def softmax(z):
    """Softmax of a vector, with the maximum subtracted first (no overflow)."""
    e = np.exp(z - np.max(z))
    return e / e.sum()


z_large = np.array([1000.0, 999.0, 998.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("naive:      ", softmax_naive(z_large))
print("stable:     ", softmax(z_large))
print("nndl_book:  ", losses.softmax(z_large))
print("torch:      ", torch.softmax(torch.tensor(z_large), dim=0).numpy())

# %% [markdown]
# The same trick protects the logarithm that the loss will need: $\ln \operatorname{softmax}(\mathbf z)_j
# = z_j - m - \ln \sum_k e^{z_k - m}$ with $m = \max_k z_k$ (the *log-sum-exp* trick). Taking the
# log of a softmax that has underflowed to 0 gives $-\infty$; the log-softmax stays finite:

# %%
z_far = np.array([0.0, -800.0])
with np.errstate(divide="ignore"):
    print("log(softmax(z)):", np.log(softmax(z_far)))
print("log_softmax(z): ", losses.log_softmax(z_far))

# %% [markdown]
# ### The Jacobian of softmax
#
# Differentiate $a_i = e^{z_i}/S$ with $S = \sum_k e^{z_k}$ by the quotient rule. For $j = i$,
# $\partial a_i/\partial z_i = (e^{z_i} S - e^{z_i} e^{z_i})/S^2 = a_i - a_i^2$; for $j \ne i$,
# $\partial a_i/\partial z_j = -e^{z_i} e^{z_j}/S^2 = -a_i a_j$. Together
#
# $$ \frac{\partial a_i}{\partial z_j} = a_i(\delta_{ij} - a_j), \qquad
#    J = \operatorname{diag}(\mathbf a) - \mathbf a \mathbf a^\top . $$
#
# Written in numpy, and checked against `torch.autograd.functional.jacobian` and `nndl_book`:

# %%
J_ours = np.diag(a) - np.outer(a, a)
J_torch = torch.autograd.functional.jacobian(
    lambda v: torch.softmax(v, dim=0), torch.tensor(z)
).numpy()
print("J =\n", J_ours)
print("agrees with torch autograd:", np.allclose(J_ours, J_torch, atol=1e-14))
print("agrees with nndl_book:     ", np.allclose(J_ours, losses.softmax_jacobian(a), atol=1e-14))
print("every row sums to 0:", np.allclose(J_ours.sum(axis=1), 0.0, atol=1e-15))

# %% [markdown]
# Two things can be read off $J$ at once. Each row sums to 0, because the outputs always sum
# to 1, so they cannot all move the same way. And $J$ is symmetric. What the *signs* of its
# entries say, and why every output of a softmax layer depends on every net input, are
# exercises ({ref}`ex-04-nielsen-monotonicity`, {ref}`ex-04-nielsen-sigmoid-sum`).
#
# ### Temperature: where the name comes from
#
# Multiply the logits by a constant $c > 0$ before the softmax, $a_j = e^{c z_j}/\sum_k e^{c z_k}$
# (Nielsen's equation 83). It is still a probability distribution, for the same two reasons as
# before. As $c$ grows, the largest logit wins ever more clearly: with $z_m$ the unique largest
# logit, $a_j = 1/\sum_k e^{c(z_k - z_j)}$ and every exponent with $z_k > z_j$ sends $a_j$ to 0,
# while for $j = m$ every exponent is negative and $a_m \to 1$. The limit is the one-hot vector of
# the argmax, a "hard" maximum, which makes $c = 1$ a *soft* max. As $c \to 0$ all outputs tend to
# $1/K$. (`nndl_book`'s `softmax` calls $T = 1/c$ the *temperature*.)

# %%
z_t = np.array([1.0, 2.0, 3.0, 2.5])
print("      c    a_1     a_2     a_3     a_4")
for c in [0.01, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0]:
    print(f"{c:7.2f}  " + "  ".join(f"{v:.4f}" for v in softmax(c * z_t)))
print("same as nndl_book with temperature T = 1/c:",
      all(np.allclose(softmax(c * z_t), losses.softmax(z_t, temperature=1 / c))
          for c in [0.01, 0.5, 2.0, 100.0]))

# %% [markdown]
# ## The log-likelihood cost
#
# With softmax outputs, Nielsen's *log-likelihood cost* for an example of class $y$ is
#
# $$ C = -\ln a_y . $$
#
# It is small when the network gives the correct class a probability near 1 and large when it
# does not. Write the label as a one-hot vector $\mathbf y$ ($y_j = 1$ for the correct class, 0
# elsewhere) and it becomes the *cross-entropy* between the target distribution and the output,
# $C = -\sum_j y_j \ln a_j$, which is how NNDL writes it (§3.3). The two are the same number,
# because only one term of the sum is non-zero. For a batch of three examples, computed five ways:

# %%
Z = np.array([[2.0, 1.0, 0.1, -1.0],
              [0.5, 2.5, 0.3, 0.0],
              [-1.0, 0.0, 1.0, 3.0]])
labels = np.array([0, 2, 3])
Y = losses.one_hot(labels, 4)

A = np.array([softmax(row) for row in Z])
nll_ours = -np.log(A[np.arange(3), labels]).mean()   # -ln a_y
ce_ours = -(Y * np.log(A)).sum(axis=1).mean()         # -sum_j y_j ln a_j
print(f"log-likelihood -ln a_y:             {nll_ours:.6f}")
print(f"cross-entropy -sum y_j ln a_j:      {ce_ours:.6f}")
print(f"nndl_book cross_entropy(Z, labels): {losses.cross_entropy(Z, labels):.6f}")
print(f"nndl_book nll_loss(log_softmax(Z)): {losses.nll_loss(losses.log_softmax(Z), labels):.6f}")
print(f"torch F.cross_entropy:              "
      f"{F.cross_entropy(torch.tensor(Z), torch.tensor(labels)).item():.6f}")

# %% [markdown]
# ### Its gradient: prediction minus target
#
# First the derivative of a log-output. Since $\ln a_i = z_i - \ln S$ with
# $S = \sum_k e^{z_k}$, and $\partial \ln S/\partial z_j = e^{z_j}/S = a_j$,
#
# $$ \frac{\partial \ln a_i}{\partial z_j} = \delta_{ij} - a_j $$
#
# (the Jacobian above divided by $a_i$). Then, by the chain rule and $\sum_i y_i = 1$:
#
# $$ \frac{\partial C}{\partial z_j} = -\sum_i y_i \frac{\partial \ln a_i}{\partial z_j}
#    = -\sum_i y_i(\delta_{ij} - a_j) = a_j \sum_i y_i - y_j = a_j - y_j . $$
#
# The error signal at the logits is simply "prediction minus target", with no saturating factor
# in it. Checked with autograd on the batch (torch averages over the three examples, hence the
# $1/3$):

# %%
Zt = torch.tensor(Z, requires_grad=True)
F.cross_entropy(Zt, torch.tensor(labels)).backward()
grad_ours = (A - Y) / len(labels)
print("(A - Y)/N =\n", grad_ours)
print("agrees with torch autograd:", np.allclose(grad_ours, Zt.grad.numpy(), atol=1e-14))
print("agrees with nndl_book:     ", np.allclose(grad_ours, losses.d_cross_entropy(Z, labels)))

# %% [markdown]
# ## Choosing the output unit and the loss
#
# The output layer and the loss come as a pair, chosen by what the target is:
#
# | task | target | output layer | loss | PyTorch |
# | --- | --- | --- | --- | --- |
# | regression | real numbers | linear (identity) | squared error (absolute error if outliers matter) | `nn.MSELoss`, `nn.L1Loss` |
# | binary classification | $y \in \{0, 1\}$ | one sigmoid unit | binary cross-entropy | `nn.BCEWithLogitsLoss` on the logit |
# | multi-class (exactly one of $K$) | a class label | $K$ softmax units | log-likelihood = cross-entropy | `nn.CrossEntropyLoss` on the logits |
# | multi-label (any subset of $K$) | $\mathbf y \in \{0, 1\}^K$ | $K$ sigmoid units | sum of $K$ binary cross-entropies | `nn.BCEWithLogitsLoss` on the logits |
#
# The last row is Nielsen's many-output cross-entropy (his equation 63). Each pair is the
# negative log-likelihood of a probability model (Gaussian, Bernoulli, categorical, independent
# Bernoullis), and each gives the same error signal at the net input of the output layer,
# $\partial L/\partial \mathbf z = \hat{\mathbf y} - \mathbf y$ (for the squared error with the
# factor $\frac12$). For the softmax pair that was derived above; for the other two it is an
# exercise ({ref}`ex-04-nielsen-output-error`).
#
# Mixing the pairs up goes wrong in instructive ways. Sigmoid outputs are not a distribution
# over classes ({ref}`ex-04-nielsen-sigmoid-sum`). Softmax outputs *are* a distribution, which
# is wrong for multi-label targets: if two labels are both present, the softmax cannot give
# both a probability near 1.
#
# ## The learning slowdown
#
# Nielsen's chapter 3 opens with an experiment on the smallest possible network: one sigmoid
# neuron with one input. It is trained to map the input $x = 1$ to the target $y = 0$ by
# gradient descent on that single example, so one epoch is one step, with learning rate
# $\eta = 0.15$ for 300 epochs. He starts it twice: from $w = 0.6, b = 0.9$, and from
# $w = b = 2$, where the neuron is badly wrong.
#
# ### The two gradients
#
# With $z = wx + b$ and $a = \sigma(z)$, the chain rule gives for any cost that depends on $a$
#
# $$ \frac{\partial C}{\partial w} = \frac{\partial C}{\partial a}\, \sigma'(z)\, x, \qquad
#    \frac{\partial C}{\partial b} = \frac{\partial C}{\partial a}\, \sigma'(z). $$
#
# For the **quadratic cost** $C = \frac12 (y - a)^2$ we have $\partial C/\partial a = a - y$, so
#
# $$ \frac{\partial C}{\partial w} = x\,(a - y)\,\sigma'(z), \qquad
#    \frac{\partial C}{\partial b} = (a - y)\,\sigma'(z). $$
#
# For the **cross-entropy** $C = -[y \ln a + (1-y)\ln(1-a)]$ we have
# $\partial C/\partial a = -\frac{y}{a} + \frac{1-y}{1-a} = \frac{a - y}{a(1-a)}$, and since
# $\sigma'(z) = \sigma(z)(1 - \sigma(z)) = a(1-a)$ the denominator cancels the $\sigma'(z)$:
#
# $$ \frac{\partial C}{\partial w} = x\,(a - y), \qquad \frac{\partial C}{\partial b} = a - y. $$
#
# The factor $\sigma'(z)$ is at most $\frac14$ and is tiny when $|z|$ is large, that is, when the
# neuron is *saturated*. Under the quadratic cost a neuron saturated at the wrong end gets almost
# no gradient; under the cross-entropy its gradient is just its error. Here are both gradients
# at Nielsen's two starting points, from the formulas and from torch autograd:

# %%
def grads(w, b, cost, x=1.0, y=0.0):
    """(dC/dw, dC/db) of one sigmoid neuron, from the formulas above."""
    a = sigmoid(w * x + b)
    delta = (a - y) * a * (1 - a) if cost == "quadratic" else (a - y)  # dC/dz
    return delta * x, delta


def grads_torch(w, b, cost, x=1.0, y=0.0):
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True)
    a = torch.sigmoid(wt * x + bt)
    C = 0.5 * (y - a) ** 2 if cost == "quadratic" else -(y * a.log() + (1 - y) * (1 - a).log())
    C.backward()
    return wt.grad.item(), bt.grad.item()


starts = [(0.6, 0.9), (2.0, 2.0)]
print(" start (w, b)  output a   cost           dC/dw (formula)  dC/dw (torch)")
for w0, b0 in starts:
    for cost in ["quadratic", "cross-entropy"]:
        gw, gb = grads(w0, b0, cost)
        gw_t, gb_t = grads_torch(w0, b0, cost)
        assert np.isclose(gw, gw_t) and np.isclose(gb, gb_t)
        print(f"  ({w0}, {b0})     {sigmoid(w0 + b0):.4f}   {cost:13s}  {gw:.4f}           {gw_t:.4f}")

# %% [markdown]
# At $w = b = 2$ the neuron outputs almost 1 when it should output 0, yet its quadratic-cost
# gradient is smaller than at the milder start. The cross-entropy gradient is larger at the worse
# start, as it should be. The next figure shows this for every output $a$: the quadratic cost's
# $\partial C/\partial z = a \cdot a(1-a)$ rises, peaks, and falls back to 0 as $a \to 1$, while
# the cross-entropy's $\partial C/\partial z = a$ keeps growing with the error.

# %%
a_grid = np.linspace(0.0, 1.0, 401)
fig = Figure(figsize=(6.4, 3.6), layout="constrained")
ax = fig.add_subplot()
plot_curves(
    {"quadratic cost: $a \\cdot a(1-a)$": (a_grid, a_grid**2 * (1 - a_grid)),
     "cross-entropy: $a$": (a_grid, a_grid)},
    xlabel="output $a$ of the neuron (target $y = 0$)",
    ylabel="error signal $\\partial C / \\partial z$",
    title="How hard each cost pushes as the neuron gets more wrong",
    ax=ax,
)
for w0, b0 in starts:
    a0 = sigmoid(w0 + b0)
    ax.axvline(a0, color="#7f7f7f", lw=0.9, ls=":", zorder=0)
    ax.plot([a0, a0], [a0**2 * (1 - a0), a0], "o", color="#333333", ms=4)
    ax.text(a0 - 0.012, 0.42, f"start $w, b$ = {w0:g}, {b0:g}", rotation=90, ha="right",
            va="center", fontsize=8, color="#555555")
ax.set(xlim=(0, 1.02), ylim=(0, 1.04))
fig

# %%
a_fine_grid = np.linspace(0.0, 1.0, 30001)
speed_fine = a_fine_grid**2 * (1 - a_fine_grid)
print(f"quadratic cost pushes hardest at a = {a_fine_grid[speed_fine.argmax()]:.4f}, "
      f"where dC/dz = {speed_fine.max():.4f}")

# %% [markdown]
# The peak is at $a = 2/3$, where $\frac{d}{da}\,a^2(1-a) = 2a - 3a^2$ vanishes. Beyond it the
# quadratic cost pushes *less* the more wrong the neuron is.
#
# ### Reproducing the experiment
#
# The training loop is short: compute the output, the error signal $\delta =
# \partial C/\partial z$, and take a step on $w$ and $b$. The function records the output and
# the cost before every step and once after the last one, so each run has 301 values, for
# epochs 0 to 300.

# %%
def train_neuron(w, b, cost, eta=0.15, epochs=300, x=1.0, y=0.0):
    """Gradient descent on one sigmoid neuron; returns (outputs, costs), each of length epochs + 1."""
    outputs, costs = np.empty(epochs + 1), np.empty(epochs + 1)
    for epoch in range(epochs + 1):
        a = 1 / (1 + math.exp(-(w * x + b)))
        outputs[epoch] = a
        if cost == "quadratic":
            costs[epoch] = 0.5 * (y - a) ** 2
            delta = (a - y) * a * (1 - a)
        else:
            costs[epoch] = -(y * math.log(a) + (1 - y) * math.log(1 - a))
            delta = a - y
        w, b = w - eta * delta * x, b - eta * delta
    return outputs, costs


runs = {(w0, b0, cost): train_neuron(w0, b0, cost)
        for w0, b0 in starts for cost in ["quadratic", "cross-entropy"]}
print(" start (w, b)  cost            a at epoch 0    150      300")
for (w0, b0, cost), (out, _) in runs.items():
    print(f"  ({w0}, {b0})     {cost:13s}       {out[0]:.4f}   {out[150]:.4f}   {out[300]:.4f}")

# %% [markdown]
# The same 300 steps with PyTorch autograd doing the differentiation end at the same outputs. The four
# runs are independent, so one tensor of four weights and one of four biases train them all at
# once: the gradient of the *sum* of the four costs holds each run's own gradient in its entry.

# %%
def train_neurons_torch(settings, eta=0.15, epochs=300):
    """settings: list of (w, b, cost); returns the outputs after `epochs` SGD steps (x = 1, y = 0)."""
    w = torch.tensor([s[0] for s in settings], requires_grad=True)
    b = torch.tensor([s[1] for s in settings], requires_grad=True)
    quadratic = torch.tensor([s[2] == "quadratic" for s in settings])
    for _ in range(epochs):
        a = torch.sigmoid(w * 1.0 + b)
        C = torch.where(quadratic, 0.5 * a**2, -torch.log(1 - a))  # y = 0
        dw, db = torch.autograd.grad(C.sum(), [w, b])
        with torch.no_grad():
            w -= eta * dw
            b -= eta * db
    return torch.sigmoid(w + b).detach().numpy()


a_torch = train_neurons_torch(list(runs))
for (setting, (out, _)), a_t in zip(runs.items(), a_torch):
    w0, b0, cost = setting
    print(f"({w0}, {b0}) {cost:13s}: ours {out[-1]:.6f}   torch {a_t:.6f}")

# %% [markdown]
# The four runs side by side: output (top) and cost (bottom), quadratic cost on the left,
# cross-entropy on the right. Follow the vermillion curve, the badly wrong start: on the left it
# stays flat for a long stretch before it falls; on the right it falls at once.

# %%
fig = Figure(figsize=(9.0, 5.6), layout="constrained")
axes = fig.subplots(2, 2, sharex=True)
for col, cost in enumerate(["quadratic", "cross-entropy"]):
    outs = {f"start $w, b$ = {w0:g}, {b0:g}": runs[(w0, b0, cost)][0] for w0, b0 in starts}
    costs = {f"start $w, b$ = {w0:g}, {b0:g}": runs[(w0, b0, cost)][1] for w0, b0 in starts}
    plot_curves(outs, xlabel="", ylabel="output $a$", ax=axes[0, col], title=f"{cost} cost")
    plot_curves(costs, xlabel="epoch", ylabel="cost $C$", ax=axes[1, col])
    axes[1, col].get_legend().remove()  # same colours as the panel above
    axes[0, col].set_ylim(0, 1)
    axes[1, col].set_ylim(bottom=0)
fig.suptitle("One neuron learning $x = 1 \\mapsto y = 0$ with $\\eta = 0.15$", fontsize=12)
fig

# %%
out_q1, out_q2 = runs[(0.6, 0.9, "quadratic")][0], runs[(2.0, 2.0, "quadratic")][0]
out_c1, out_c2 = runs[(0.6, 0.9, "cross-entropy")][0], runs[(2.0, 2.0, "cross-entropy")][0]


def weight_path(w, b, eta=0.15, epochs=300):
    """The weight w after each epoch of the quadratic-cost run (x = 1, y = 0)."""
    ws = [w]
    for _ in range(epochs):
        a = 1 / (1 + math.exp(-(w + b)))
        delta = a * a * (1 - a)
        w, b = w - eta * delta, b - eta * delta
        ws.append(w)
    return np.array(ws)


ws = weight_path(2.0, 2.0)
print(f"quadratic, start (2, 2): w moves by {ws[150] - ws[0]:+.4f} in epochs 0-150 "
      f"and by {ws[300] - ws[150]:+.4f} in epochs 150-300")

# %% tags=["remove-cell"]
glue("a0_mild", f"{out_q1[0]:.2f}", display=False)
glue("a0_bad", f"{out_q2[0]:.2f}", display=False)
glue("a300_quad_mild", f"{out_q1[300]:.2f}", display=False)
glue("a150_quad_bad", f"{out_q2[150]:.2f}", display=False)
glue("a300_quad_bad", f"{out_q2[300]:.2f}", display=False)
glue("a300_ce_mild", f"{out_c1[300]:.3f}", display=False)
glue("a300_ce_bad", f"{out_c2[300]:.3f}", display=False)
glue("dw_first", f"{ws[0] - ws[150]:.2f}", display=False)
glue("dw_second", f"{ws[150] - ws[300]:.2f}", display=False)

# %% [markdown]
# **Nielsen's numbers reproduce.** He quotes initial outputs of 0.82 and 0.98; the runs start at
# {glue:text}`a0_mild` and {glue:text}`a0_bad`. He says the quadratic cost from $w = 0.6, b = 0.9$
# ends "about 0.09"; our run ends at {glue:text}`a300_quad_mild`. From $w = b = 2$ he says that
# "for the first 150 or so learning epochs, the weights and biases don't change much at all";
# here the weight falls by {glue:text}`dw_first` in the first 150 epochs and by
# {glue:text}`dw_second` in the next 150, and the output is still {glue:text}`a150_quad_bad` at
# epoch 150 before dropping to {glue:text}`a300_quad_bad` (the left column of the figure: a flat
# start, then a fall). With the cross-entropy and the same $\eta = 0.15$ the two starts end at
# {glue:text}`a300_ce_mild` and {glue:text}`a300_ce_bad`, and the badly wrong start shows no
# plateau at all: its cost falls fastest at the very beginning, when the error is largest.
#
# ### A note on Nielsen's learning rates
#
# Nielsen's cross-entropy animations do not use $\eta = 0.15$: he says he used $\eta = 0.005$,
# and that only how the speed of learning *changes* matters, not its absolute value. Rerun with
# the true gradient at that rate, the neuron is still far from 0 after 300 epochs (first row
# below), unlike in his animations. The reason is in the scripts behind them (`js/saturation3.js`
# and `js/saturation4.js` in the website source {footcite}`nielsen2015nnadlsite`): they step $w$
# and $b$ by $\eta\,\partial C/\partial a = \eta/(1-a)$, the derivative with respect to the
# *output*, instead of $\eta\,\partial C/\partial w = \eta\, a$. Replaying that update gives
# the fast learning the animations show (second row):

# %%
def train_neuron_step(w, b, step, eta, epochs=300):
    """Output after `epochs` updates w, b <- w, b - eta * step(a) (x = 1, y = 0)."""
    for _ in range(epochs):
        a = 1 / (1 + math.exp(-(w + b)))
        w, b = w - eta * step(a), b - eta * step(a)
    return 1 / (1 + math.exp(-(w + b)))


print("cross-entropy, eta = 0.005, output after 300 epochs:  start (0.6, 0.9)   start (2, 2)")
for name, step in [("true gradient     step = dC/dw = a", lambda a: a),
                   ("Nielsen's script  step = dC/da = 1/(1-a)", lambda a: 1 / (1 - a))]:
    finals = [train_neuron_step(w0, b0, step, eta=0.005) for w0, b0 in starts]
    print(f"{name:41s}             {finals[0]:.4f}             {finals[1]:.4f}")

# %% [markdown]
# Nielsen's conclusion stands: with the true gradients and the *same* learning rate, as in our
# figure, the cross-entropy removes the plateau. But "learning rate 0.005" means nothing without
# the exact update it multiplies.
#
# Nielsen also offers a rough rule for converting learning rates between the two costs: the
# quadratic gradient carries the extra factor $\sigma' = \sigma(1 - \sigma)$, whose average over
# $\sigma \in [0, 1]$ he gives as $\int_0^1 \sigma(1-\sigma)\, d\sigma = 1/6$. The integral is
# right:

# %%
s = np.linspace(0.0, 1.0, 100001)
f_s = s * (1 - s)
integral = np.sum((f_s[1:] + f_s[:-1]) / 2 * np.diff(s))  # trapezoidal rule
print(f"integral of s(1 - s) over [0, 1] = {integral:.6f};  1/6 = {1 / 6:.6f}")

# %% [markdown]
# ## Explore: one neuron, two costs
#
# Choose where the neuron starts and the learning rate; the picture shows the output (left) and
# the cost (right) over 300 epochs, under the quadratic cost (blue) and the cross-entropy
# (vermillion). The two costs are different functions, so compare the *shapes* of their curves,
# not their heights; the output panel is the like-for-like comparison. Since $x = 1$, $w$ and $b$
# receive the same update and only the starting net input $z_0 = w + b$ matters. Try $w = b = 3$:
# under the quadratic cost the neuron barely moves in 300 epochs, even with the larger learning
# rate, while under the cross-entropy it learns fastest at the start. A larger $\eta$ shortens
# the quadratic plateau but does not remove it. The outputs after 300 epochs at the explorer's
# two learning rates, from `train_neuron`:

# %%
for eta in (0.15, 0.5):
    for w0 in (2.0, 3.0):
        final = {cost: train_neuron(w0, w0, cost, eta=eta)[0][-1]
                 for cost in ("quadratic", "cross-entropy")}
        print(f"eta = {eta:4.2f}, start w = b = {w0:g}: a after 300 epochs "
              f"{final['quadratic']:.3f} (quadratic), {final['cross-entropy']:.3f} (cross-entropy)")

# %%
from matplotlib.ticker import NullLocator

from nndl_book.widgets import Control, Explorer


def neuron_race(w, b, eta):
    # fixed margins and plain-text labels: each precomputed frame renders in a fraction of a second
    fig = Figure(figsize=(7.6, 2.9))
    fig.subplots_adjust(left=0.075, right=0.985, bottom=0.16, top=0.88, wspace=0.26)
    ax_out, ax_cost = fig.subplots(1, 2)
    finals = {}
    for i, cost in enumerate(["quadratic", "cross-entropy"]):
        out, C = train_neuron(w, b, cost, eta=eta)
        ax_out.plot(out, color=PALETTE[i], lw=1.8, label=cost)
        ax_cost.plot(C, color=PALETTE[i], lw=1.8, label=cost)
        finals[f"a after 300 epochs, {cost}"] = f"{out[-1]:.3f}"
    ax_out.set(xlabel="epoch", ylabel="output a", xlim=(0, 300), ylim=(0, 1.03))
    ax_cost.set(xlabel="epoch", ylabel="cost C (log scale)", xlim=(0, 300), yscale="log",
                ylim=(1e-4, 10))
    ax_cost.set_yticks([1e-4, 1e-3, 1e-2, 1e-1, 1, 10],
                       labels=["0.0001", "0.001", "0.01", "0.1", "1", "10"])
    ax_cost.yaxis.set_minor_locator(NullLocator())
    ax_out.legend(fontsize=8, loc="upper right")
    for ax_i in (ax_out, ax_cost):
        ax_i.grid(True, color="#d0d0d0", lw=0.6)
        for side in ("top", "right"):
            ax_i.spines[side].set_visible(False)
    fig.suptitle(f"start w = {w:g}, b = {b:g}  (z = {w + b:g}),  learning rate η = {eta:g}",
                 fontsize=10.5)
    return fig, finals


Explorer(
    neuron_race,
    [
        Control("w", [0.6, 2.0, 3.0], label="starting weight w",
                live_values=[-1.0, 0.0, 0.6, 1.0, 2.0, 3.0, 4.0]),
        Control("b", [0.9, 2.0, 3.0], label="starting bias b",
                live_values=[-1.0, 0.0, 0.9, 1.0, 2.0, 3.0, 4.0]),
        Control("eta", [0.15, 0.5], label="learning rate η",
                live_values=[0.01, 0.05, 0.15, 0.5, 1.0, 2.0]),
    ],
    title="One sigmoid neuron learning x = 1 → y = 0",
    defaults={"w": 2.0, "b": 2.0, "eta": 0.15},
)

# %% [markdown]
# ## Exercises
#
# Nielsen's chapter 3 exercises and problems are unnumbered; they are named here by the section
# of his chapter they come from.
#
# ### Nielsen, ch. 3: the cross-entropy cost function
#
# ```{exercise} Nielsen ch. 3, cross-entropy: the derivative of the sigmoid
# :label: ex-04-nielsen-sigmoid-derivative
# Verify that $\sigma'(z) = \sigma(z)(1 - \sigma(z))$.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function d_sigmoid(z) returning σ'(z), written with σ(z)),
# then run it.

# %%
from nndl_book.exercises import check, quiz

def my_d_sigmoid(z):
    raise NotImplementedError  # edit: return σ'(z), written with σ(z)

check("ex-04-nielsen-sigmoid-derivative", my_d_sigmoid)


# %% [markdown]
# ```{solution-start} ex-04-nielsen-sigmoid-derivative
# :class: dropdown
# ```
#
# $\sigma(z) = (1 + e^{-z})^{-1}$, so $\sigma'(z) = e^{-z}(1+e^{-z})^{-2}
# = \frac{1}{1+e^{-z}} \cdot \frac{e^{-z}}{1+e^{-z}}$, and the second factor is
# $1 - \frac{1}{1+e^{-z}} = 1 - \sigma(z)$. Numerically, against `nndl_book`'s `d_sigmoid`
# and autograd:

# %%
z_chk = np.linspace(-8, 8, 33)
zt = torch.tensor(z_chk, requires_grad=True)
torch.sigmoid(zt).sum().backward()
print("sigma(1 - sigma) == d_sigmoid:", np.allclose(sigmoid(z_chk) * (1 - sigmoid(z_chk)), d_sigmoid(z_chk)))
print("sigma(1 - sigma) == autograd: ", np.allclose(sigmoid(z_chk) * (1 - sigmoid(z_chk)), zt.grad.numpy()))

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Nielsen ch. 3, cross-entropy: swapping y and a
# :label: ex-04-nielsen-swapped
# It is easy to confuse $-[y \ln a + (1-y)\ln(1-a)]$ with $-[a \ln y + (1-a)\ln(1-y)]$. What
# happens to the second expression when $y = 0$ or $1$? Does this problem afflict the first
# expression? Why or why not?
# ```
#
# ```{solution-start} ex-04-nielsen-swapped
# :class: dropdown
# ```
#
# In classification the target is $y = 0$ or $1$, and then the swapped form contains $\ln 0$:
# for $y = 0$ the term $a \ln y = a \cdot(-\infty)$, for $y = 1$ the term $(1-a)\ln(1-y)$. The
# cost is $+\infty$ for almost every output (and $0 \cdot \infty$, undefined, when $a$ equals
# the target exactly), so it has no useful value and no gradient. The correct form only takes
# logarithms of the *output* $a = \sigma(z)$, which lies strictly between 0 and 1 for every
# finite $z$, so it is always finite. (Only in floating point can $a$ round to 0 or 1, which is
# why the logits form above exists.)
#
# There is a second problem even for a soft target $0 < y < 1$: the swapped form is *linear* in
# $a$, with slope $\ln\frac{1-y}{y}$, so it pushes $a$ towards 0 or 1, never towards $a = y$
# (for $y = \frac12$ the slope is 0 and the cost ignores $a$ altogether).

# %%
def ce_right(a, y):
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


def ce_swapped(a, y):
    return -(a * np.log(y) + (1 - a) * np.log(1 - y))


a_vals = np.array([0.1, 0.5, 0.9])
with np.errstate(divide="ignore", invalid="ignore"):
    for y in [0.0, 1.0]:
        print(f"y = {y}: right form {ce_right(a_vals, y)}   swapped form {ce_swapped(a_vals, y)}")
a_fine = np.linspace(0.001, 0.999, 999)
for y in [0.3, 0.7]:
    print(f"y = {y}: right form is smallest at a = {a_fine[ce_right(a_fine, y).argmin()]:.3f}, "
          f"swapped form at a = {a_fine[ce_swapped(a_fine, y).argmin()]:.3f}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Nielsen ch. 3, cross-entropy: targets between 0 and 1
# :label: ex-04-nielsen-entropy
# Nielsen's argument that the cross-entropy is small when $\sigma(z) \approx y$ relied on
# $y \in \{0, 1\}$. Show that for $0 < y < 1$ the cross-entropy is still minimised at
# $\sigma(z) = y$, where it takes the value $-[y \ln y + (1-y)\ln(1-y)]$, the *binary entropy*.
# Is the cost then still "close to zero"?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function min_cost(y) returning the smallest cross-entropy
# -[y ln a + (1-y) ln(1-a)] over 0 < a < 1), then run it.

# %%
def my_min_cost(y):
    raise NotImplementedError  # edit: return the smallest cross-entropy -[y ln a + (1-y) ln(1-a)] over 0 < a < 1

check("ex-04-nielsen-entropy", my_min_cost)


# %% [markdown]
# ```{solution-start} ex-04-nielsen-entropy
# :class: dropdown
# ```
#
# $C(a) = -[y \ln a + (1-y)\ln(1-a)]$ has $C'(a) = \frac{a-y}{a(1-a)}$, negative for $a < y$ and
# positive for $a > y$, so the only minimum on $(0, 1)$ is $a = y$, with value
# $H(y) = -[y\ln y + (1-y)\ln(1-y)]$. Moreover $C(a) - H(y) = y\ln\frac{y}{a} +
# (1-y)\ln\frac{1-y}{1-a}$, the Kullback–Leibler divergence, which is $\ge 0$ and is 0 only at
# $a = y$. So the cross-entropy is never negative (Nielsen's $C > 0$ holds, because a sigmoid
# output never reaches exactly 0 or 1; for $y \in \{0, 1\}$ the cost only *tends* to 0 as
# $a \to y$). For a soft target, though, its minimum is the entropy $H(y) > 0$, not 0: "close to
# its minimum" is the right reading of "close to zero".

# %%
a_fine = np.linspace(0.0005, 0.9995, 1999)
print("   y    argmin_a C    min C     H(y)      C >= 0 on the grid")
for y in [0.0, 0.1, 0.3, 0.5, 0.9]:
    H = sum(-q * np.log(q) for q in (y, 1 - y) if q > 0)  # binary entropy, 0 ln 0 = 0
    C = ce_right(a_fine, y)
    print(f"{y:5.1f}   {a_fine[C.argmin()]:.4f}      {C.min():.4f}    {H:.4f}    {bool(np.all(C >= 0))}")

# %% [markdown]
# (For $y = 0$ the grid's smallest output gives the smallest cost; the infimum 0 is approached
# only as $a \to 0$.)
#
# ```{solution-end}
# ```
#
# ```{exercise} Nielsen ch. 3, cross-entropy problems: many-layer networks and linear outputs
# :label: ex-04-nielsen-output-error
# (a) For a network with a sigmoid output layer show that the quadratic cost gives
# $\partial C/\partial w^L_{jk} = a^{L-1}_k (a^L_j - y_j)\sigma'(z^L_j)$, while the cross-entropy
# (summed over outputs, Nielsen's equation 63) gives the output error $\boldsymbol\delta^L =
# \mathbf a^L - \mathbf y$ and so $\partial C/\partial w^L_{jk} = a^{L-1}_k (a^L_j - y_j)$.
# (b) Show that with *linear* output neurons, $\mathbf a^L = \mathbf z^L$, the quadratic cost
# also gives $\boldsymbol\delta^L = \mathbf a^L - \mathbf y$, so it has no slowdown there.
# (One training example; averaging over examples adds the $\frac1n\sum_x$.)
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a dict of three functions delta(z, y) = ∂C/∂z for the output
# layer), then run it.

# %%
answer = {"sigmoid + quadratic": ..., "sigmoid + cross-entropy": ...,
          "linear + quadratic": ...}  # edit: functions delta(z, y)
check("ex-04-nielsen-output-error", answer)


# %% [markdown]
# ```{solution-start} ex-04-nielsen-output-error
# :class: dropdown
# ```
#
# Since $z^L_j = \sum_k w^L_{jk} a^{L-1}_k + b^L_j$, $\partial C/\partial w^L_{jk} = \delta^L_j
# a^{L-1}_k$ with $\delta^L_j = \partial C/\partial z^L_j = \frac{\partial C}{\partial a^L_j}
# \sigma'(z^L_j)$, because $a^L_j$ depends only on $z^L_j$. (a) Quadratic:
# $\partial C/\partial a^L_j = a^L_j - y_j$, which gives the first formula. Cross-entropy:
# $\partial C/\partial a^L_j = \frac{a^L_j - y_j}{a^L_j(1 - a^L_j)}$, and $\sigma'(z^L_j) =
# a^L_j(1 - a^L_j)$ cancels it, leaving $\delta^L_j = a^L_j - y_j$. (b) With $a^L_j = z^L_j$ the
# "activation derivative" is 1, so $\delta^L_j = a^L_j - y_j$. A check with autograd on a
# 3→2 output layer:

# %%
torch.manual_seed(4)
a_prev = torch.rand(3)
y_t = torch.tensor([1.0, 0.0])
layer = torch.nn.Linear(3, 2)
for name, act, cost_fn in [
    ("sigmoid + quadratic    ", torch.sigmoid, lambda o: 0.5 * ((o - y_t) ** 2).sum()),
    ("sigmoid + cross-entropy", torch.sigmoid,
     lambda o: -(y_t * o.log() + (1 - y_t) * (1 - o).log()).sum()),
    ("linear  + quadratic    ", lambda v: v, lambda o: 0.5 * ((o - y_t) ** 2).sum()),
]:
    layer.zero_grad()
    zL = layer(a_prev)
    aL = act(zL)
    cost_fn(aL).backward()
    delta = (aL - y_t).detach()
    if name.startswith("sigmoid + quadratic"):
        delta = delta * torch.sigmoid(zL).detach() * (1 - torch.sigmoid(zL).detach())
    print(f"{name}: dC/dW == outer(delta, a_prev): "
          f"{torch.allclose(layer.weight.grad, torch.outer(delta, a_prev))}, "
          f"dC/db == delta: {torch.allclose(layer.bias.grad, delta)}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ### Nielsen, ch. 3: what does the cross-entropy mean?
#
# ```{exercise} Nielsen ch. 3, problem: the input factor in ∂C/∂wⱼ
# :label: ex-04-nielsen-xj
# The cross-entropy removes the $\sigma'(z)$ factor, but $\partial C/\partial w_j =
# \frac1n\sum_x x_j(\sigma(z) - y)$ still carries $x_j$, so a weight whose input is near zero
# learns slowly. Explain why no clever choice of cost function can remove the $x_j$ factor.
# ```
#
# ```{solution-start} ex-04-nielsen-xj
# :class: dropdown
# ```
#
# A cost is a function of the network's output, and the output depends on the weights only
# through the net input $z = \sum_j w_j x_j + b$. So whatever the cost, the chain rule gives
#
# $$ \frac{\partial C}{\partial w_j} = \frac{\partial C}{\partial z}\,\frac{\partial z}{\partial w_j}
#    = x_j\,\delta, \qquad \frac{\partial C}{\partial b} = \delta, \qquad \delta = \frac{\partial C}{\partial z}. $$
#
# The cost can shape $\delta$ (that is how the cross-entropy removed $\sigma'(z)$), but it cannot
# reach the factor $\partial z/\partial w_j = x_j$, which comes from the neuron, not from the
# cost. In particular $x_j = 0$ gives $\partial C/\partial w_j = 0$ for *every* cost: when the
# input is zero, the weight has no influence on the output, so no cost can say which way to
# move it. Removing $x_j$ needs a change of the neuron or of the data (for example centring the
# inputs), not of the cost. Autograd confirms that $\partial C/\partial w_j = x_j\,\partial C/\partial b$
# for three quite different costs:

# %%
x_in = torch.tensor([0.0, 0.01, 0.5, -2.0])
for name, cost_fn in [("quadratic    ", lambda a: 0.5 * a**2),
                      ("cross-entropy", lambda a: -torch.log(1 - a)),
                      ("exotic cosh  ", lambda a: torch.cosh(3 * a) + a**4)]:
    w_t = torch.tensor([0.3, -0.2, 0.8, 0.1], requires_grad=True)
    b_t = torch.tensor(0.5, requires_grad=True)
    cost_fn(torch.sigmoid(w_t @ x_in + b_t)).backward()
    print(f"{name}: dC/dw = {w_t.grad.numpy()},  x * dC/db = {(x_in * b_t.grad).numpy()}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ### Nielsen, ch. 3: softmax
#
# ```{exercise} Nielsen ch. 3, softmax: sigmoid outputs need not sum to 1
# :label: ex-04-nielsen-sigmoid-sum
# Construct an example showing that in a network with a sigmoid output layer the output
# activations $a^L_j$ do not always sum to 1.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (net inputs z (at least two) whose sigmoid outputs do not sum
# to 1), then run it.

# %%
answer = ...  # edit: a numpy array of net inputs z^L
check("ex-04-nielsen-sigmoid-sum", answer)


# %% [markdown]
# ```{solution-start} ex-04-nielsen-sigmoid-sum
# :class: dropdown
# ```
#
# Any output layer whose net inputs are all positive will do: each $\sigma(z_j) > \frac12$, so
# with two or more outputs the sum exceeds 1. With all net inputs negative and more than one
# output the sum can be below 1, and with $K$ outputs it can approach $K$:

# %%
for z_ex in [np.array([1.0, 2.0]), np.array([-3.0, -2.0, -4.0]), np.full(10, 5.0)]:
    print(f"z = {z_ex}: sigmoid outputs sum to {sigmoid(z_ex).sum():.4f}, softmax to {softmax(z_ex).sum():.4f}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Nielsen ch. 3, softmax: monotonicity and non-locality
# :label: ex-04-nielsen-monotonicity
# Show that $\partial a^L_j/\partial z^L_k$ is positive if $j = k$ and negative if $j \neq k$.
# Explain why, unlike in a sigmoid layer, each softmax output depends on all the weighted inputs.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function jacobian(a) returning the K×K matrix of ∂a_j/∂z_k,
# from the softmax output a), then run it.

# %%
def my_jacobian(a):
    raise NotImplementedError  # edit: return the K×K matrix of ∂a_j/∂z_k, from the softmax output a

check("ex-04-nielsen-monotonicity", my_jacobian)


# %% [markdown]
# ```{solution-start} ex-04-nielsen-monotonicity
# :class: dropdown
# ```
#
# From the Jacobian, $\partial a_j/\partial z_k = a_j(\delta_{jk} - a_k)$. Every softmax output
# lies strictly between 0 and 1 (for $K \ge 2$ finite logits), so the diagonal entries
# $a_j(1 - a_j)$ are positive and the off-diagonal entries $-a_j a_k$ are negative. The
# off-diagonal entries are also the answer to the second question: they are non-zero, so $a_j$
# changes when any $z_k$ changes. That happens because every $z_k$ appears in the normalising
# denominator $\sum_k e^{z_k}$ shared by all outputs. The signs, on 1000 random logit vectors:

# %%
ok = True
for _ in range(1000):
    J_r = losses.softmax_jacobian(softmax(rng.normal(scale=3.0, size=5)))
    ok &= bool(np.all(np.diag(J_r) > 0) and np.all(J_r[~np.eye(5, dtype=bool)] < 0))
print("diagonal > 0 and off-diagonal < 0 in every case:", ok)

# %% [markdown]
# In a sigmoid layer, by contrast, each output depends only on its own net input,
# $a_j = \sigma(z_j)$. Change one bias of a 3 → 4 output layer by $+1$ and compare the two
# layers:

# %%
W_out = rng.normal(size=(4, 3))
b_out = rng.normal(size=4)
h = np.array([0.2, -0.4, 0.7])  # activations of the layer below
b_new = b_out.copy()
b_new[1] += 1.0  # change only the bias of output 2
z_old, z_new = W_out @ h + b_out, W_out @ h + b_new
print("change of the sigmoid outputs:", sigmoid(z_new) - sigmoid(z_old))
print("change of the softmax outputs:", softmax(z_new) - softmax(z_old))
print(f"sum of the softmax changes: {(softmax(z_new) - softmax(z_old)).sum():.1e}")

# %% [markdown]
# The sigmoid layer changes one output; the softmax layer changes all four, and the changes sum
# to zero.

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Nielsen ch. 3, softmax problem: inverting the softmax layer
# :label: ex-04-nielsen-inverting
# Suppose the activations $a^L_j$ of a softmax output layer are known. Show that the weighted
# inputs have the form $z^L_j = \ln a^L_j + C$ for a constant $C$ independent of $j$.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function z_from_a(a) returning net inputs z with softmax(z)
# = a), then run it.

# %%
def my_z_from_a(a):
    raise NotImplementedError  # edit: return net inputs z with softmax(z) = a

check("ex-04-nielsen-inverting", my_z_from_a)


# %% [markdown]
# ```{solution-start} ex-04-nielsen-inverting
# :class: dropdown
# ```
#
# Taking logs of $a_j = e^{z_j}/S$ gives $\ln a_j = z_j - \ln S$, so $z_j = \ln a_j + C$ with
# $C = \ln S = \ln\sum_k e^{z_k}$, the same for every $j$. The constant cannot be recovered from
# $\mathbf a$, which is the invariance to adding a constant seen earlier.

# %%
z_inv = np.array([0.3, -1.2, 2.0, 0.7])
C_j = z_inv - np.log(softmax(z_inv))
print("z_j - ln a_j =", C_j, f"; ln sum_k e^z_k = {np.log(np.exp(z_inv).sum()):.4f}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Backpropagation through a softmax with temperature
# :label: ex-04-softmax-temperature
# Scale the logits before the softmax, $a_j = e^{c z_j}/\sum_k e^{c z_k}$ with $c > 0$, and use
# the log-likelihood cost $C = -\ln a_y$. Show that $\partial C/\partial z_j = c\,(a_j - y_j)$
# and that the Jacobian is $\partial a_i/\partial z_j = c\,a_i(\delta_{ij} - a_j)$. What
# happens to the Jacobian as $c \to 0$ and as $c \to \infty$? Check with autograd.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (two functions, grad(z, y, c) returning dC/dz of C = -ln
# softmax(c z)[y], and jacobian(z, c) returning the K×K matrix of ∂a_i/∂z_j, a = softmax(c z)), then
# run it.

# %%
def my_grad(z, y, c):
    raise NotImplementedError  # edit: return dC/dz of C = -ln softmax(c z)[y]
def my_jacobian(z, c):
    raise NotImplementedError  # edit: return the K×K matrix of ∂a_i/∂z_j, a = softmax(c z)
answer = (my_grad, my_jacobian)
check("ex-04-softmax-temperature", answer)


# %% [markdown]
# ```{solution-start} ex-04-softmax-temperature
# :class: dropdown
# ```
#
# With $u = c\,\mathbf z$ the layer is an ordinary softmax of $u$, so $\partial C/\partial u_j =
# a_j - y_j$ (derived in the section on the log-likelihood cost) and
# $\partial a_i/\partial u_j = a_i(\delta_{ij} - a_j)$; the chain rule through
# $\partial u_j/\partial z_j = c$ multiplies both by $c$. As $c \to 0$ the outputs tend to
# $1/K$ and the Jacobian vanishes like $c$. As $c \to \infty$ with a unique largest logit the
# outputs tend to a one-hot vector, for which $a_i(\delta_{ij} - a_j) = 0$ in every entry, and
# it tends to 0 exponentially fast, much faster than the factor $c$ grows: the hard maximum is
# flat almost everywhere. The Jacobian is largest in between:

# %%
z_c = torch.tensor([1.0, 2.0, 3.0, 2.5], requires_grad=True)
c_check, y_c = 2.5, 1
(-torch.log_softmax(c_check * z_c, dim=0)[y_c]).backward()
a_c = softmax(c_check * z_c.detach().numpy())
print("dC/dz == c (a - y):", np.allclose(z_c.grad.numpy(), c_check * (a_c - np.eye(4)[y_c])))
print("      c   largest |da_i/dz_j|   autograd agrees")
for c in [0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 20.0, 100.0]:
    a_t = softmax(c * z_c.detach().numpy())
    J_c = c * (np.diag(a_t) - np.outer(a_t, a_t))
    J_auto = torch.autograd.functional.jacobian(lambda v, c=c: torch.softmax(c * v, dim=0),
                                                z_c.detach()).numpy()
    print(f"{c:7.2f}   {np.abs(J_c).max():.3e}             {np.allclose(J_c, J_auto, atol=1e-15)}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ### NNDL
#
# ```{exercise} NNDL 3-5
# :label: ex-04-nndl-3-5
# In logistic regression, could we fit $\hat y = \sigma(\mathbf w^\top \mathbf x)$ to the labels
# by minimising the squared loss $(y - \hat y)^2$ instead of the cross-entropy?
# ```
#
# ```{solution-start} ex-04-nndl-3-5
# :class: dropdown
# ```
#
# It can be done but it is a poor choice, for two reasons. First, the gradient
# $2(\hat y - y)\,\sigma'(z)\,\mathbf x$ carries the factor $\sigma'(z)$, so a confidently wrong
# prediction learns slowly: the slowdown of this chapter. Second, the squared loss is not convex
# in $\mathbf w$, while the cross-entropy is: its second derivative along any direction
# $\mathbf v$ is $\sigma'(z)(\mathbf v^\top \mathbf x)^2 \ge 0$. For one example with $x = 1$,
# $y = 1$, as a function of the weight $w$, the squared loss has regions of negative curvature
# and flattens out towards a plateau as $w \to -\infty$, where gradient descent stalls:

# %%
w_line = np.linspace(-8, 8, 1601)
sq = (1 - sigmoid(w_line)) ** 2
ce = -np.log(sigmoid(w_line))
curv_sq = np.gradient(np.gradient(sq, w_line), w_line)
curv_ce = np.gradient(np.gradient(ce, w_line), w_line)
print(f"squared loss:  smallest curvature {curv_sq.min():+.4f} (negative: not convex); "
      f"slope at w = -8: {np.gradient(sq, w_line)[0]:+.6f}")
print(f"cross-entropy: smallest curvature {curv_ce.min():+.4f} (>= 0: convex);        "
      f"slope at w = -8: {np.gradient(ce, w_line)[0]:+.6f}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ## Checking the sources
#
# ```{admonition} What the sources get wrong
# :class: warning
#
# - **The cross-entropy "stays between 0 and 1"** (a blog answer to Nielsen's chapter 3
#   exercises, on the swapped-arguments exercise). It is unbounded above: the table in the
#   section on binary classification prints {glue:text}`bce_a01:.4f` for $a = 0.1$ and
#   {glue:text}`bce_a00001:.4f` for $a = 0.0001$ with target 1, and it grows like $-\ln a$.
#   That growth is exactly what makes a confident mistake expensive.
# - **Softmax with a scale $c$: "as $c \to \infty$ the rates of change become very large, and
#   $c = 1$ gives the smallest rate"** (the same blog answer). Both limits go the other way.
#   The Jacobian is $c\,(\operatorname{diag}\mathbf a - \mathbf a\mathbf a^\top)$; the table
#   in the solution of {ref}`ex-04-softmax-temperature` shows its largest entry vanishing as
#   $c \to 0$ *and* as $c \to \infty$ (the hard maximum is flat), with $c = 1$ in between,
#   not at a minimum. What $c \to \infty$ does is harden the outputs into a one-hot argmax, as
#   the temperature table of the softmax section prints.
# - **"No cost can remove $x_j$ from $\partial C/\partial w_j$ because all parameters would
#   then change at the same rate, which is undesirable"** (the same blog answer). Undesirable
#   or not, it is impossible: $z$ depends on $w_j$ only through $x_j w_j$, so
#   $\partial C/\partial w_j = x_j\,\partial C/\partial z$ for every cost. The solution of
#   {ref}`ex-04-nielsen-xj` prints $\partial C/\partial w = x\,\partial C/\partial b$ for
#   three unrelated costs, zero gradient for the weight whose input is 0 included.
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("04")


# %% [markdown]
# ## Summary
#
# - Squared error suits real-valued targets; its gradient grows with the error, so outliers pull
#   hard (the best constant is the mean). Absolute error is robust (the median) but has a
#   constant-size gradient.
# - The binary cross-entropy $-[y\ln a + (1-y)\ln(1-a)]$ and the softmax log-likelihood
#   $-\ln a_y$ are negative log-likelihoods of the labels. Compute them from logits, with the
#   maximum subtracted, never from rounded probabilities.
# - Softmax outputs are positive and sum to 1, are unchanged by adding a constant to the logits,
#   have the Jacobian $\operatorname{diag}(\mathbf a) - \mathbf a\mathbf a^\top$, couple all
#   outputs, and become a hard maximum as the logits are scaled up.
# - Each natural output/loss pair (identity + squared error, sigmoid + cross-entropy, softmax +
#   log-likelihood) gives the error signal $\partial C/\partial \mathbf z = \mathbf a - \mathbf y$.
#   The quadratic cost on a sigmoid output instead multiplies it by $\sigma'(z)$, which vanishes
#   when the neuron is saturated: a badly wrong neuron learns slowly. Nielsen's numbers for this
#   experiment reproduce; his cross-entropy animations step by $\partial C/\partial a$ rather than
#   the gradient.
# - No cost can remove the $x_j$ in $\partial C/\partial w_j = x_j\delta$: it comes from the
#   neuron, not from the cost.
#
# ## References
#
# ```{footbibliography}
# ```
