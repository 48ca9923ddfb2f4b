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
# (ch-activations)=
# # 3. Activation functions
#
# Without a nonlinearity a stack of layers is a single linear map (chapter 1). The activation
# function is the nonlinearity, and the choice matters twice: it decides what a neuron can
# compute, and, through its derivative, how well the gradient travels back through the network
# during training. This chapter writes the classic activation functions and their derivatives in
# numpy, derives every derivative, checks it against PyTorch's autograd, and measures what the
# textbooks say about them: saturation, vanishing gradients, dead units, zero-centred outputs,
# cost. It follows NNDL {footcite}`qiu2020nndl` §4.1 and Nielsen {footcite}`nielsen2015nndl`
# ch. 3, and works NNDL's exercises 4-3 and 4-4.
#
# **Learning goals.** After this chapter you can
#
# - write the logistic, tanh, hard logistic and hard tanh, ReLU, leaky ReLU, PReLU, ELU,
#   softplus, swish and GELU functions and their derivatives, and derive each derivative;
# - explain saturation, and compute how fast a gradient shrinks through a chain of logistic units;
# - build a unit that dies for good after one large update, and say what prevents it;
# - read off a table which functions are zero-centred, which saturate and which have dead zones.

# %%
import math

import numpy as np
import torch
import torch.nn.functional as F
from myst_nb import glue

import nndl_book.maths.activations as lib
from nndl_book.plots import plot_activations, plot_curves



def order(difference):
    """A rounding-size difference as a power of ten above it (the last bits vary by machine)."""
    return "0" if difference == 0 else f"< 1e{math.floor(math.log10(difference)) + 1}"


# %% [markdown]
# ## What an activation function has to do
#
# A neuron computes $a = f(z)$ from its net input $z = \mathbf w^\top\mathbf x + b$. (NNDL writes
# the argument of $f$ as $x$; we write $z$, as in chapter 1.) Back-propagation sends the error of
# layer $l+1$ back to layer $l$ through
#
# $$ \boldsymbol\delta^{(l)} = f'\big(\mathbf z^{(l)}\big) \odot
#    \big(W^{(l+1)}\big)^{\top} \boldsymbol\delta^{(l+1)}, $$
#
# so **every gradient that reaches a weight has been multiplied by $f'$ once per layer on the
# way**. NNDL asks three things of $f$, and the third is about exactly this factor:
#
# 1. continuous and differentiable, except perhaps at a few points, so that gradient descent
#    applies;
# 2. the function and its derivative cheap to compute, because they run on every unit of every
#    layer for every example;
# 3. the derivative's values in a suitable range: not too small (the gradient dies away) and not
#    too large (it explodes).
#
# The functions below come in three families: the S-shaped *sigmoid* functions, the *ReLU*
# family, which is linear (or, for softplus, nearly so) for positive inputs, and the smooth,
# slightly non-monotonic *swish* and *GELU*.
#
# ## The sigmoid family
#
# ### The logistic function
#
# $$ \sigma(z) = \frac{1}{1 + e^{-z}} \in (0, 1). $$
#
# Its derivative follows from the chain rule,
#
# $$ \sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2}
#    = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}} = \sigma(z)\,\big(1 - \sigma(z)\big), $$
#
# because $e^{-z}/(1+e^{-z}) = 1 - \sigma(z)$. A neuron that has stored its output
# $a = \sigma(z)$ gets its derivative almost for free: $a(1-a)$. The product $a(1-a)$ of two
# numbers that add up to 1 is largest when both are $\tfrac12$, so $\sigma'(z) \le \tfrac14$, with
# equality at $z = 0$.
#
# ### The hyperbolic tangent
#
# $$ \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\sigma(2z) - 1 \in (-1, 1). $$
#
# The quotient rule gives
#
# $$ \tanh'(z) = \frac{(e^{z} + e^{-z})^2 - (e^{z} - e^{-z})^2}{(e^{z} + e^{-z})^2}
#    = 1 - \tanh^2(z) = (1 + a)(1 - a), \qquad a = \tanh(z), $$
#
# again a function of the output alone, now at most 1 (at $z = 0$). tanh is a logistic function
# stretched to $(-1, 1)$: its outputs are **zero-centred**, while the logistic's are always
# positive. NNDL points out that positive outputs shift the net input of the next layer (a *bias
# shift*) and slow gradient descent down; chapter 5 works NNDL's exercise 4-1, which shows why.
#
# In code, straight from the formulas:

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def d_sigmoid(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return np.tanh(z)


def d_tanh(z):
    a = np.tanh(z)
    return (1 + a) * (1 - a)


# %% [markdown]
# (`np.exp(-z)` overflows, with a warning, once $-z$ exceeds the logarithm of the largest
# float64, printed on the first line below; `nndl_book.maths.activations.sigmoid` rearranges the
# formula so that it never does. The grid below stays far from that.) Evaluate on a grid from
# −6 to 6 in steps of 0.01 that contains 0, ±1 and ±2 exactly:

# %%
z = np.arange(-600, 601) / 100
print(f"np.exp(-z) overflows for z < -{np.log(np.finfo(np.float64).max):.2f}")
print(f"sigma'(0) = {d_sigmoid(0.0):.4f}; largest sigma' on the grid {d_sigmoid(z).max():.4f}"
      f" at z = {z[np.argmax(d_sigmoid(z))]:.2f}")
print(f"tanh'(0)  = {d_tanh(0.0):.4f}; largest tanh' on the grid  {d_tanh(z).max():.4f}")
print("tanh(z) vs 2 sigma(2z) - 1, largest difference:",
      order(np.max(np.abs(tanh(z) - (2 * sigmoid(2 * z) - 1)))))

# %% [markdown]
# ### Hard logistic and hard tanh
#
# Exponentials are comparatively expensive. NNDL replaces each function by its first-order
# Taylor expansion at 0, clipped to the function's range. With $\sigma(0) = \tfrac12$ and
# $\sigma'(0) = \tfrac14$, and $\tanh(0) = 0$, $\tanh'(0) = 1$:
#
# $$ \text{hard-logistic}(z) = \max\big(\min(0.25z + 0.5,\ 1),\ 0\big), \qquad
#    \text{hard-tanh}(z) = \max\big(\min(z,\ 1),\ -1\big). $$
#
# Their derivatives are piecewise constant: $\tfrac14$ on $(-2, 2)$ and 1 on $(-1, 1)$, and
# **exactly 0 outside**. At the corners the derivative does not exist; like PyTorch's
# `hardtanh`, we use 0 there.

# %%
def hard_sigmoid(z):
    return np.clip(0.25 * z + 0.5, 0.0, 1.0)


def d_hard_sigmoid(z):
    return np.where((z > -2) & (z < 2), 0.25, 0.0)


def hard_tanh(z):
    return np.clip(z, -1.0, 1.0)


def d_hard_tanh(z):
    return np.where((z > -1) & (z < 1), 1.0, 0.0)


print(f"Taylor coefficients at 0: sigma(0) = {sigmoid(0.0):.2f}, sigma'(0) = {d_sigmoid(0.0):.2f}")
for name, gap in (("sigma - hard logistic", np.abs(sigmoid(z) - hard_sigmoid(z))),
                  ("tanh - hard tanh", np.abs(tanh(z) - hard_tanh(z)))):
    print(f"largest |{name}| on the grid: {gap.max():.4f} at |z| = {abs(z[np.argmax(gap)]):.2f}")

# %% [markdown]
# The largest gaps sit at the corners, where the clipped line reaches the limit that the curve
# only approaches. The four functions and their derivatives (`nndl_book.plots.plot_activations`):

# %%
plot_activations({
    "logistic σ": (sigmoid, d_sigmoid),
    "tanh": (tanh, d_tanh),
    "hard logistic": (hard_sigmoid, d_hard_sigmoid),
    "hard tanh": (hard_tanh, d_hard_tanh),
})

# %% [markdown]
# All four **saturate**: for large $|z|$ the output hardly changes and the derivative goes to 0
# on both sides; the hard versions reach exactly 0 at $|z| = 2$ and $|z| = 1$.
#
# ## Saturation and the vanishing gradient
#
# Chain $L$ single units, $a_l = f(w\,a_{l-1} + b)$. By the chain rule the derivative of the last
# output with respect to the first input is a product with one factor per unit,
#
# $$ \frac{\partial a_L}{\partial a_0} = \prod_{l=1}^{L} w\, f'(z_l), \qquad z_l = w\,a_{l-1} + b. $$
#
# With the logistic function and $w = 1$ every factor is at most $\tfrac14$, so the product is at
# most $4^{-L}$, however the biases are chosen. tanh's factors can come close to 1, but only while
# the units stay near $z = 0$: larger weights push them into saturation. Compute the product for
# ten units, starting from $a_0 = 0.5$ with $b = 0$:

# %%
def chain(f, df, w, a0=0.5, b=0.0, depth=10):
    """Outputs a_1..a_depth of a chain of single units and the derivatives d a_l / d a_0."""
    a, grad, grads = a0, 1.0, []
    for _ in range(depth):
        z_l = w * a + b
        a = f(z_l)
        grad = grad * w * df(z_l)
        grads.append(grad)
    return a, np.array(grads)


chains = {"logistic, w = 1": (sigmoid, d_sigmoid, 1.0),
          "tanh, w = 1": (tanh, d_tanh, 1.0),
          "tanh, w = 4": (tanh, d_tanh, 4.0)}
depths = np.arange(1, 11)
products = {name: chain(f, df, w)[1] for name, (f, df, w) in chains.items()}
for name, grads in products.items():
    print(f"{name:16s} d a_10 / d a_0 = {grads[-1]:.3e};"
          f" factor of unit 10: {grads[-1] / grads[-2]:.4f}")
print(f"bound 4^-10 = {4.0**-10:.3e}")
glue("chain_logistic", float(products["logistic, w = 1"][-1]), display=False)
glue("chain_tanh_w4", float(products["tanh, w = 4"][-1]), display=False)
glue("bound_4_10", 4.0**-10, display=False)

# %% [markdown]
# PyTorch's autograd, differentiating through the same ten units, agrees:

# %%
torch_f = {"logistic, w = 1": torch.sigmoid, "tanh, w = 1": torch.tanh, "tanh, w = 4": torch.tanh}
for name, (*_, w) in chains.items():
    a0 = torch.tensor(0.5, requires_grad=True)
    a = a0
    for _ in range(10):
        a = torch_f[name](w * a)
    a.backward()
    print(f"{name:16s} autograd {a0.grad.item():.3e}, relative difference "
          f"{order(abs(a0.grad.item() / products[name][-1] - 1))}")

# %% [markdown]
# The last number on each line is the factor $w f'(z_{10})$ that the tenth unit contributes. On
# a log scale (below) a constant factor per unit is a straight line: the logistic units and the
# tanh units with $w = 4$ settle at a fixed point, so every further unit multiplies by the same
# factor and the gradient falls geometrically. The tanh units with $w = 1$ drift slowly towards $z = 0$,
# where $\tanh' \approx 1$, so their factor creeps towards 1 and that curve flattens.

# %%
fig = plot_curves({name: (depths, grads) for name, grads in products.items()},
                  xlabel="number of units $L$", ylabel=r"$|\partial a_L / \partial a_0|$",
                  title="the gradient through a chain of units", logy=True)
ax = fig.axes[0]
ax.plot(depths, 4.0 ** -depths, ls="--", color="0.35", lw=1.4, label="bound $4^{-L}$")
ax.legend(fontsize=8.5, loc="lower left")
fig

# %% [markdown]
# After ten logistic units the derivative is {glue:text}`chain_logistic:.2e`, below the bound
# $4^{-10}$ = {glue:text}`bound_4_10:.2e`. Ten tanh units with $w = 1$ lose much less, but with
# $w = 4$ they saturate at once and the derivative drops to {glue:text}`chain_tanh_w4:.2e`. A
# network's gradient is a sum of many such products, one for each path, with weights of both
# signs, so it does not fall exactly like this, but the factor $f'$ per layer is the same: this is
# the **vanishing gradient problem** of deep sigmoid networks, which the ReLU family helps to
# avoid. The argument for whole layers, where weight matrices enter the product too, is in
# {ref}`sec-depth-product`.
#
# ## The ReLU family
#
# ### ReLU
#
# $$ \operatorname{ReLU}(z) = \max(0, z), \qquad
#    \operatorname{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z < 0 \end{cases} $$
#
# (at $z = 0$ we use 0, as PyTorch does). The derivative is exactly 1 for every active unit, so a
# path of active ReLU units passes the gradient on unchanged: no saturation on the right. It costs
# a comparison, and it is *sparse*: a unit with $z \le 0$ outputs exactly 0. In a random layer
# about half the units are active:

# %%
def relu(z):
    return np.maximum(z, 0.0)


def d_relu(z):
    return np.where(z > 0, 1.0, 0.0)


rng = np.random.default_rng(3)
inputs = rng.normal(size=(1000, 50))
weights = rng.normal(scale=math.sqrt(1 / 50), size=(100, 50))
z_layer = inputs @ weights.T
print(f"fraction of (example, unit) pairs with ReLU active: {np.mean(z_layer > 0):.3f}")

# %% [markdown]
# (sec-dead-relu)=
# ### Dead units
#
# The price is the flat left half. A unit whose net input is negative for *every* training
# example gets no gradient at all ($\partial L/\partial w = \delta\, x$ with $\delta = 0$), so
# gradient descent can never bring it back: it is **dead**. NNDL calls this the *dying ReLU
# problem*; {ref}`ex-03-nndl-4-3` builds one. The variants below keep a gradient for
# $z < 0$.
#
# ### Leaky ReLU and PReLU
#
# $$ \operatorname{LeakyReLU}(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}, \qquad
#    \operatorname{LeakyReLU}'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases} $$
#
# with a small fixed slope, typically $\alpha = 0.01$ {footcite}`maas2013leaky` (NNDL writes
# $\gamma$). **PReLU** {footcite}`he2015delving` is the same function with $\alpha$ learned, one
# per unit or channel, so it also needs $\partial f / \partial \alpha = z$ for $z \le 0$ and 0
# otherwise.
#
# ### ELU
#
# $$ \operatorname{ELU}(z) = \begin{cases} z & z > 0 \\ \alpha\,(e^{z} - 1) & z \le 0 \end{cases}, \qquad
#    \operatorname{ELU}'(z) = \begin{cases} 1 & z > 0 \\ \alpha e^{z} = \operatorname{ELU}(z) + \alpha & z \le 0 \end{cases} $$
#
# {footcite}`clevert2016elu`. The negative side saturates smoothly at $-\alpha$, which pulls the
# mean output towards 0; with $\alpha = 1$ the function is also differentiable at 0.
#
# ### Softplus
#
# $$ \operatorname{softplus}(z) = \log(1 + e^{z}), \qquad
#    \operatorname{softplus}'(z) = \frac{e^{z}}{1 + e^{z}} = \sigma(z). $$
#
# A smooth ReLU whose derivative is the logistic function. It has ReLU's one-sided shape but no
# exact zeros, so no sparsity.

# %%
def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z)


def d_leaky_relu(z, alpha=0.01):
    return np.where(z > 0, 1.0, alpha)


def d_prelu_alpha(z, alpha=0.25):
    """PReLU is leaky_relu with a learned alpha; this is its derivative with respect to alpha."""
    return np.where(z > 0, 0.0, z)


def elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def d_elu(z, alpha=1.0):
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def softplus(z):
    return np.log1p(np.exp(z))


def d_softplus(z):
    return sigmoid(z)


# %% [markdown]
# `np.where` evaluates both branches, so ELU takes the exponential of `min(z, 0)` to keep the
# unused branch from overflowing for large positive $z$. Two identities from the formulas above,
# checked on the grid:

# %%
neg = z[z <= 0]
print("ELU'(z) = ELU(z) + alpha for z <= 0, largest difference:",
      order(np.max(np.abs(d_elu(neg) - (elu(neg) + 1.0)))))
print("softplus(z) - softplus(-z) = z, largest difference:     ",
      order(np.max(np.abs(softplus(z) - softplus(-z) - z))))

# %%
plot_activations({
    "ReLU": (relu, d_relu),
    "leaky ReLU, α = 0.1": (lambda t: leaky_relu(t, 0.1), lambda t: d_leaky_relu(t, 0.1)),
    "ELU, α = 1": (elu, d_elu),
    "softplus": (softplus, d_softplus),
})

# %% [markdown]
# (Leaky ReLU is drawn with $\alpha = 0.1$ so that its slope is visible; with the usual 0.01 it
# is hard to tell from ReLU by eye, but its derivative is never 0.)
#
# ## Swish and GELU
#
# ### Swish
#
# $$ \operatorname{swish}_\beta(z) = z\,\sigma(\beta z) $$
#
# {footcite}`ramachandran2017swish` multiplies the input by a soft gate $\sigma(\beta z)$ between 0
# and 1. With $\beta = 0$ the gate is always $\tfrac12$ and swish is the line $z/2$; as
# $\beta \to \infty$ the gate becomes a step and swish becomes ReLU, so $\beta$ moves the function
# between the two. The product rule and $\sigma' = \sigma(1-\sigma)$ give (exercise
# {ref}`ex-03-nndl-4-4`)
#
# $$ \operatorname{swish}_\beta'(z) = \sigma(\beta z) + \beta z\,\sigma(\beta z)\big(1 - \sigma(\beta z)\big). $$
#
# ### GELU
#
# $$ \operatorname{GELU}(z) = z\,\Phi(z), \qquad \Phi(z) = P(X \le z),\ X \sim \mathcal N(0, 1), $$
#
# {footcite}`hendrycks2016gelu` gates the input with the standard normal CDF
# $\Phi(z) = \tfrac12\big(1 + \operatorname{erf}(z/\sqrt2)\big)$. Since $\Phi' = \phi$, the normal
# density $\phi(z) = e^{-z^2/2}/\sqrt{2\pi}$,
#
# $$ \operatorname{GELU}'(z) = \Phi(z) + z\,\phi(z). $$
#
# numpy has no `erf`, so the code takes Python's `math.erf` element by element:

# %%
def swish(z, beta=1.0):
    return z * sigmoid(beta * z)


def d_swish(z, beta=1.0):
    s = sigmoid(beta * z)
    return s + beta * z * s * (1 - s)


erf = np.vectorize(math.erf, otypes=[float])


def normal_cdf(z):
    return 0.5 * (1 + erf(z / math.sqrt(2)))


def normal_pdf(z):
    return np.exp(-z**2 / 2) / math.sqrt(2 * math.pi)


def gelu(z):
    return z * normal_cdf(z)


def d_gelu(z):
    return normal_cdf(z) + z * normal_pdf(z)


# %% [markdown]
# Swish for several $\beta$ (the derivative of the line $\beta = 0$ is the constant $\tfrac12$):

# %%
plot_activations({f"β = {beta:g}": (lambda t, beta=beta: swish(t, beta),
                                    lambda t, beta=beta: d_swish(t, beta))
                  for beta in (0.0, 0.5, 1.0, 2.0, 10.0)})

# %% [markdown]
# How close is swish to ReLU for large $\beta$? Since $1 - \sigma(u) = \sigma(-u)$, the gap is
# the same on both sides, $\operatorname{swish}_\beta(z) - \operatorname{ReLU}(z)
# = -|z|\,\sigma(-\beta|z|)$; substituting $u = \beta|z|$ shows that its largest size shrinks
# like $1/\beta$. (A grid 100 times finer than `z` catches the bottom of the dip for large
# $\beta$.)

# %%
fine = np.linspace(-6, 6, 120_001)
for beta in (1.0, 10.0, 100.0):
    gap = np.max(np.abs(swish(fine, beta) - relu(fine)))
    print(f"beta = {beta:5.0f}: largest |swish - ReLU| = {gap:.5f}, times beta = {beta * gap:.4f}")

# %% [markdown]
# The GELU paper gives two approximations, $\tfrac12 z\big(1 + \tanh(\sqrt{2/\pi}\,(z + 0.044715
# z^3))\big)$ (PyTorch's `approximate="tanh"`) and $z\,\sigma(1.702 z)$, a swish with
# $\beta = 1.702$. Recomputing their accuracy:

# %%
def gelu_tanh(z):
    return 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3)))


exact = gelu(z)
print(f"largest |GELU - tanh form|     = {np.max(np.abs(exact - gelu_tanh(z))):.1e}")
print(f"largest |GELU - z sigma(1.702z)| = {np.max(np.abs(exact - swish(z, 1.702))):.1e}")

# %% [markdown]
# The tanh form is much the closer of the two, which is why PyTorch offers it as the fast
# alternative; the logistic form is coarser, but shows that GELU is, in effect, a swish.
#
# ### Smooth, and with a dip
#
# Unlike ReLU, swish and GELU are smooth everywhere and **not monotonic**: slightly below 0 they
# dip negative before returning to 0 as $z \to -\infty$. The bottom of the dip is where the
# derivative vanishes; bisection on the sign of $f'$ finds it:

# %%
def bisect(g, lo, hi, steps=60):
    """A root of g in [lo, hi], where g(lo) and g(hi) have opposite signs."""
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if np.sign(g(mid)) == np.sign(g(lo)) else (lo, mid)
    return 0.5 * (lo + hi)


z_gelu = bisect(d_gelu, -2.0, -0.1)
z_swish = bisect(d_swish, -2.0, -0.1)
print(f"GELU  minimum at z = {z_gelu:.4f}, value {float(gelu(z_gelu)):.4f}")
print(f"swish minimum at z = {z_swish:.4f}, value {float(swish(z_swish)):.4f}")
print(f"nndl_book's stored minima: GELU {lib.ACTIVATIONS['gelu'].output_range[0]:.4f},"
      f" swish {lib.ACTIVATIONS['swish'].output_range[0]:.4f}")
glue("gelu_zmin", z_gelu, display=False)
glue("gelu_min", float(gelu(z_gelu)), display=False)
print(f"largest GELU' on the grid: {d_gelu(z).max():.4f} at z = {z[np.argmax(d_gelu(z))]:.2f}")
glue("gelu_dmax", float(d_gelu(z).max()), display=False)

# %%
plot_activations({"ReLU": (relu, d_relu), "GELU": (gelu, d_gelu), "swish, β = 1": (swish, d_swish)})

# %% [markdown]
# GELU follows ReLU closely away from 0 but rounds the corner: its minimum,
# {glue:text}`gelu_min:.4f` at $z$ = {glue:text}`gelu_zmin:.4f`, is where the derivative crosses
# 0, and the derivative rises above 1, to {glue:text}`gelu_dmax:.2f`, before settling there.
# Small negative inputs still receive a gradient, large negative ones are gated off smoothly.
# GELU is the activation of BERT and GPT-style transformers; swish (with $\beta = 1$, also called
# SiLU) of many convolutional networks.
#
# ## Checking every derivative
#
# Each derivative above was derived by hand. Check all of them on the grid, against the
# package's implementations (`nndl_book.maths.activations`) and against the derivative PyTorch's
# autograd computes from torch's own version of each function. The grid contains the kinks
# $z = 0, \pm1, \pm2$; at those our conventions match PyTorch's. Swish is checked with
# $\beta = 1.5$, so that $\beta$ is exercised; PReLU's derivative with respect to $\alpha$ is
# checked against torch's `prelu` weight gradient, which is summed over the inputs.

# %%
def torch_derivative(torch_fn, points):
    t = torch.tensor(points, requires_grad=True)
    torch_fn(t).sum().backward()  # elementwise f: the gradient of the sum is f' at each point
    return t.grad.numpy()


checks = {  # name: (ours, our derivative, torch function, nndl_book name, parameters)
    "sigmoid": (sigmoid, d_sigmoid, torch.sigmoid, "sigmoid", {}),
    "tanh": (tanh, d_tanh, torch.tanh, "tanh", {}),
    "hard logistic": (hard_sigmoid, d_hard_sigmoid,
                      lambda t: F.hardtanh(0.25 * t + 0.5, 0.0, 1.0), "hard_sigmoid", {}),
    "hard tanh": (hard_tanh, d_hard_tanh, F.hardtanh, "hard_tanh", {}),
    "ReLU": (relu, d_relu, F.relu, "relu", {}),
    "leaky ReLU": (leaky_relu, d_leaky_relu, F.leaky_relu, "leaky_relu", {"alpha": 0.01}),
    "PReLU": (lambda t: leaky_relu(t, 0.25), lambda t: d_leaky_relu(t, 0.25),
              lambda t: F.prelu(t, torch.tensor([0.25])), "prelu", {"alpha": 0.25}),
    "ELU": (elu, d_elu, F.elu, "elu", {"alpha": 1.0}),
    "softplus": (softplus, d_softplus, F.softplus, "softplus", {}),
    "swish β=1.5": (lambda t: swish(t, 1.5), lambda t: d_swish(t, 1.5),
                    lambda t: t * torch.sigmoid(1.5 * t), "swish", {"beta": 1.5}),
    "GELU": (gelu, d_gelu, F.gelu, "gelu", {}),
}
print(f"{'function':14s}{'f vs nndl_book':>16s}{'df vs nndl_book':>17s}{'df vs autograd':>16s}")
for name, (f, df, torch_fn, lib_name, params) in checks.items():
    act = lib.get_activation(lib_name)
    errors = (np.max(np.abs(f(z) - act(z, **params))),
              np.max(np.abs(df(z) - act.derivative(z, **params))),
              np.max(np.abs(df(z) - torch_derivative(torch_fn, z))))
    print(f"{name:14s}" + "".join(f"{order(e):>16s}" for e in errors))

alpha = torch.tensor([0.25], requires_grad=True)
F.prelu(torch.tensor(z), alpha).sum().backward()
print("PReLU df/dalpha summed over the grid, ours vs autograd:",
      order(abs(d_prelu_alpha(z).sum() - alpha.grad.item())))

# %% [markdown]
# Every row agrees to rounding error.
#
# ## Properties at a glance
#
# The table measures, rather than asserts, the properties discussed so far: the range (its
# infimum and supremum, taken from the package's `output_range` and checked on a wide grid), the
# mean output when $z \sim \mathcal N(0, 1)$ (0 for a zero-centred function), the derivative far
# out on each side (0 there means the function saturates on that side), and whether the
# derivative is *exactly* 0 on a whole half-line, the dead zone in which a unit receives no
# gradient.

# %%
family = {
    "sigmoid": (sigmoid, d_sigmoid), "tanh": (tanh, d_tanh),
    "hard_sigmoid": (hard_sigmoid, d_hard_sigmoid), "hard_tanh": (hard_tanh, d_hard_tanh),
    "relu": (relu, d_relu), "leaky_relu": (leaky_relu, d_leaky_relu), "elu": (elu, d_elu),
    "softplus": (softplus, d_softplus), "swish": (swish, d_swish), "gelu": (gelu, d_gelu),
}
z_normal = np.random.default_rng(0).normal(size=100_000)
wide = np.linspace(-30, 30, 6001)


def show(v, fmt=".3g"):
    """A number with a minus sign and ∞; a mean that rounds to zero shows as 0."""
    text = "-∞" if v == -math.inf else "∞" if v == math.inf else format(v, fmt)
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")
    return text.replace("-", "−") if v < 0 else text


print(f"{'function':13s}{'inf, sup':>17s}{'mean f(z)':>11s}{'df(-20)':>10s}{'df(20)':>9s}"
      f"{'saturates':>11s}{'dead zone':>11s}")
for name, (f, df) in family.items():
    lo, hi = lib.ACTIVATIONS[name].output_range
    assert lo <= f(wide).min() and f(wide).max() <= hi  # the stated range holds on the grid
    left, right = df(np.array(-20.0)), df(np.array(20.0))
    saturates = {(True, True): "both", (True, False): "left", (False, True): "right",
                 (False, False): "no"}[(abs(left) < 1e-6, abs(right) < 1e-6)]
    dead = np.all(df(np.linspace(-30, -5, 26)) == 0) or np.all(df(np.linspace(5, 30, 26)) == 0)
    print(f"{name:13s}{'(' + show(lo) + ', ' + show(hi) + ')':>17s}"
          f"{show(np.mean(f(z_normal)), '.3f'):>11s}"
          f"{show(left, '.1e'):>10s}{show(right, '.1e'):>9s}{saturates:>11s}"
          f"{'yes' if dead else 'no':>11s}")

# %% [markdown]
# The sigmoid family saturates on both sides; the ReLU family at most on the left. Only tanh and
# hard tanh have a mean output that rounds to 0; ELU's is smaller than ReLU's, because its
# negative outputs partly balance the positive ones, which is what NNDL means by *approximately*
# zero-centred. Dead zones, where the derivative is exactly 0, belong to ReLU and to the hard
# functions. (Swish and GELU have a tiny negative derivative far to the left: they are not
# monotonic.)
#
# Finally the cost. The cell times each of our numpy functions and the corresponding PyTorch
# function on an array of $2\times10^5$ numbers (one thread, best of fifteen runs; our slow numpy
# GELU on a tenth of it) and prints nanoseconds per element and the ratio to ReLU.

# %% tags=["nbval-ignore-output"]
# Timings vary from run to run and machine to machine, so nbval does not compare this output.
torch_fns = {"sigmoid": torch.sigmoid, "tanh": torch.tanh,
             "hard_sigmoid": lambda t: F.hardtanh_(t.mul(0.25).add_(0.5), 0.0, 1.0),
             "hard_tanh": F.hardtanh, "relu": F.relu, "leaky_relu": F.leaky_relu, "elu": F.elu,
             "softplus": F.softplus, "swish": F.silu, "gelu": F.gelu}
big = np.random.default_rng(1).normal(size=200_000)
big_t = torch.from_numpy(big)


from nndl_book.notebook import time_per_call


def ns_per_element(fn, x, repeats=15):
    """Nanoseconds per element of one call `fn(x)`, the best of `repeats` calls."""
    return 1e9 * time_per_call(fn, x, n_calls=1, repeats=repeats) / len(x)


costs = {name: (ns_per_element(family[name][0], big if name != "gelu" else big[:20_000]),
                ns_per_element(torch_fns[name], big_t))
         for name in family}
base_np, base_t = costs["relu"]
print(f"{'function':13s}{'numpy ns/elt':>13s}{'× ReLU':>8s}{'torch ns/elt':>14s}{'× ReLU':>8s}")
for name, (c_np, c_t) in costs.items():
    print(f"{name:13s}{c_np:13.2f}{c_np / base_np:8.1f}{c_t:14.2f}{c_t / base_t:8.1f}")

# %% [markdown]
# Read the ratio columns rather than the absolute times, which depend on the machine. The torch
# column measures compiled kernels: there the piecewise-linear functions (ReLU, leaky ReLU, hard
# tanh) are the cheapest, and the functions built on `exp`, `tanh` or `erf` cost more, some of
# them several times as much. (Our torch hard logistic makes one new array and passes over it
# twice in place, scaling and shifting, then clipping, so it costs more than hard tanh.) The
# numpy column also measures our one-line implementations:
# `np.where` computes both branches and allocates temporary arrays, and our GELU is far behind
# only because numpy has no `erf`, so `np.vectorize` calls Python once per element. In a network
# the activation runs once per unit, while the matrix product before it performs one
# multiply-add per incoming weight, so the activation is usually a small part of the cost; the
# choice is made on how the network trains.
#
# ## Explore: activation functions and dead units
#
# The explorer draws an activation function (left) and its derivative (right) over the net
# inputs of a random layer of 100 units: each unit reads 20 standard-normal inputs through
# weights from $\mathcal N(0, 1/20)$, plus a common bias $b$, so its net inputs are spread around
# $b$ with standard deviation about 1 (grey histogram of all units on 500 inputs). A unit is
# counted **dead** when its derivative is exactly 0 on all 500 inputs. The counts the explorer
# shows, for a few of its settings:

# %%
from nndl_book.engine.probes import dead_units
from nndl_book.widgets.activations import activation_explorer

for name in ("relu", "hard_tanh", "leaky_relu", "elu", "sigmoid"):
    print(f"{name:11s} dead units at bias -4, -3, -2, 0:",
          "  ".join(f"{dead_units(name, bias=b):4.0%}" for b in (-4.0, -3.0, -2.0, 0.0)))

# %% [markdown]
# Move the bias down with ReLU selected and watch the grey histogram slide into the shaded
# region where $f' = 0$; then switch to leaky ReLU or ELU, which have no such region, and to the
# logistic function, which has none either but whose derivative over the histogram is small: it
# saturates instead of dying. Hard tanh dies too: its derivative is 0 for $z \le -1$, so at a
# negative bias $b$ it has as many dead units as ReLU at $b + 1$ (compare the printed rows). With
# a running kernel the α of leaky ReLU, PReLU and ELU and the β of swish can be changed as well.

# %%
activation_explorer()

# %% [markdown]
# ## Exercises
#
# ```{exercise} NNDL 4-3
# :label: ex-03-nndl-4-3
# Give an example of the dying ReLU problem, and propose ways to avoid it.
# ```
#
# ```{solution-start} ex-03-nndl-4-3
# :class: dropdown
# ```
#
# Take one ReLU unit $a = \operatorname{ReLU}(\mathbf w^\top\mathbf x + b)$ fitted by gradient
# descent to 40 points, with the squared loss
# $L = \frac{1}{2N}\sum_n (a_n - y_n)^2$. Its gradients are
#
# $$ \frac{\partial L}{\partial \mathbf w} = \frac1N \sum_n (a_n - y_n)\,\mathbf 1[z_n > 0]\,\mathbf x_n,
#    \qquad \frac{\partial L}{\partial b} = \frac1N \sum_n (a_n - y_n)\,\mathbf 1[z_n > 0]. $$
#
# If $z_n \le 0$ for every example, every term has the factor 0: both gradients are **exactly**
# zero, the update leaves $\mathbf w$ and $b$ where they are, and the unit stays dead for the rest
# of training. The targets come from a "teacher" ReLU unit, and the student starts with most of
# its outputs too large:

# %%
rng_dead = np.random.default_rng(4)
X_dead = rng_dead.uniform(-1, 1, size=(40, 2))
y_dead = relu(X_dead @ np.array([1.0, -0.5]) + 0.3)  # the teacher unit


def unit_gradients(w, b, f, df):
    """Gradients of the squared loss of the unit f(X w + b), the loss, and the net inputs."""
    z_n = X_dead @ w + b
    r = f(z_n) - y_dead
    dz = r * df(z_n)
    return X_dead.T @ dz / len(z_n), dz.mean(), 0.5 * np.mean(r**2), z_n


w0, b0 = np.array([0.5, 0.5]), 1.0
gw, gb, loss, z_n = unit_gradients(w0, b0, relu, d_relu)
print(f"start: b = {b0:.3f}, active on {np.mean(z_n > 0):.0%} of the data, loss {loss:.4f},"
      f" dL/db = {gb:.4f}")
print(f"outputs above their target: {np.sum(relu(z_n) > y_dead)} of {len(y_dead)}")

# %% [markdown]
# Now one large update: a single step with learning rate 5, as a spike in the learning rate or
# one batch with an unusually large error would produce. Then continue with an ordinary learning
# rate of 0.5:

# %%
w, b = w0 - 5.0 * gw, b0 - 5.0 * gb
print(f"after the large step: w = {w}, b = {b:.3f}")
for step in range(1, 6):
    gw, gb, loss, z_n = unit_gradients(w, b, relu, d_relu)
    print(f"step {step}: largest z = {z_n.max():+.3f}, dL/dw = {gw}, dL/db = {gb}, loss {loss:.4f}")
    w, b = w - 0.5 * gw, b - 0.5 * gb

# %% [markdown]
# The largest net input over the whole data set is negative, both gradients are exactly 0 and
# the loss is frozen. Autograd confirms that no gradient reaches the parameters:

# %%
w_t = torch.tensor(w, requires_grad=True)
b_t = torch.tensor(b, requires_grad=True)
out = torch.relu(torch.from_numpy(X_dead) @ w_t + b_t)
(0.5 * ((out - torch.from_numpy(y_dead)) ** 2).mean()).backward()
print("autograd: dL/dw =", w_t.grad.numpy(), " dL/db =", b_t.grad.item())

# %% [markdown]
# Two ways out, each tried on the same data and start: (1) keep a gradient on the negative side,
# with leaky ReLU ($\alpha = 0.01$) or ELU, and take the same large first step; (2) keep ReLU but
# use the ordinary learning rate from the first step on. Each run has 300 steps.

# %%
def train_unit(f, df, first_lr, lr=0.5, steps=300):
    """Full-batch gradient descent on the unit; the first step uses first_lr."""
    w, b, active, losses = w0.copy(), b0, [], []
    for step in range(steps):
        gw, gb, loss, z_n = unit_gradients(w, b, f, df)
        active.append(np.mean(z_n > 0))
        losses.append(loss)
        step_lr = first_lr if step == 0 else lr
        w, b = w - step_lr * gw, b - step_lr * gb
    return np.array(active), np.array(losses)


runs = {"ReLU, large first step": (relu, d_relu, 5.0),
        "leaky ReLU, large first step": (leaky_relu, d_leaky_relu, 5.0),
        "ELU, large first step": (elu, d_elu, 5.0),
        "ReLU, lr 0.5 throughout": (relu, d_relu, 0.5)}
results = {name: train_unit(f, df, first_lr) for name, (f, df, first_lr) in runs.items()}
print(f"{'run':30s}{'least active':>13s}{'revived after':>16s}{'final active':>13s}{'final loss':>11s}")
for name, (active, losses) in results.items():
    dead_steps = np.flatnonzero(active == 0)
    revived = "never died" if dead_steps.size == 0 else (
        "never" if active[-1] == 0 else str(dead_steps[-1] + 1))
    print(f"{name:30s}{active.min():13.0%}{revived:>16s}{active[-1]:13.0%}{losses[-1]:11.5f}")

# %%
plot_curves({name: active for name, (active, _) in results.items()}, xlabel="step",
            ylabel="fraction of the data with $z > 0$", title="is the unit alive?")

# %% [markdown]
# The ReLU unit never recovers. Leaky ReLU and ELU units are pushed just as far, but their
# negative side still has a slope ($\alpha$, and $\alpha e^{z}$), so the gradient pulls the bias
# back up and the unit comes back to life, ELU faster because its slope near $z = 0$ is larger.
# With the ordinary learning rate the ReLU unit is never pushed out of the data at all. Other
# remedies follow the same two ideas: smaller or adaptive learning rates, gradient clipping,
# initialising biases slightly positive, and normalising net inputs so that they stay centred.
#
# ```{solution-end}
# ```
#
# ```{exercise} NNDL 4-4
# :label: ex-03-nndl-4-4
# Compute the derivatives of the swish function $z\,\sigma(\beta z)$ and of the GELU function
# $z\,\Phi(z)$, and check them numerically.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (two functions, d_swish(z, beta) returning the derivative of
# z * sigmoid(beta * z), and d_gelu(z) returning the derivative of z * Phi(z)), then run it.

# %%
from nndl_book.exercises import check, quiz

def my_d_swish(z, beta):
    raise NotImplementedError  # edit: return the derivative of z * sigmoid(beta * z)
def my_d_gelu(z):
    raise NotImplementedError  # edit: return the derivative of z * Phi(z)
answer = (my_d_swish, my_d_gelu)
check("ex-03-nndl-4-4", answer)


# %% [markdown]
# ```{solution-start} ex-03-nndl-4-4
# :class: dropdown
# ```
#
# **Swish.** By the product rule and the chain rule, with $s = \sigma(\beta z)$ and
# $\frac{d}{dz}\sigma(\beta z) = \beta\,\sigma'(\beta z) = \beta s(1 - s)$:
#
# $$ \frac{d}{dz}\, z\,\sigma(\beta z) = s + z \cdot \beta s(1 - s)
#    = \sigma(\beta z) + \beta z\,\sigma(\beta z)\big(1 - \sigma(\beta z)\big). $$
#
# Writing $f = z s$ for the output, the same expression is $\beta f + s(1 - \beta f)$, so, like
# the logistic function, swish gets its derivative from quantities the forward pass already has.
#
# **GELU.** $\Phi$ is the integral of the density $\phi$, so $\Phi' = \phi$ and
#
# $$ \frac{d}{dz}\, z\,\Phi(z) = \Phi(z) + z\,\phi(z), \qquad \phi(z) = \frac{e^{-z^2/2}}{\sqrt{2\pi}}. $$
#
# The checks below compare both formulas, and the output form of swish's derivative, with
# central differences $\big(f(z+h) - f(z-h)\big)/2h$, whose own error is of order $h^2$:

# %%
def central_difference(f, points, h=1e-5):
    return (f(points + h) - f(points - h)) / (2 * h)


points = np.linspace(-5, 5, 101)
for beta in (0.5, 1.0, 2.0):
    numeric = central_difference(lambda t, beta=beta: swish(t, beta), points)
    out = swish(points, beta)
    output_form = beta * out + sigmoid(beta * points) * (1 - beta * out)
    print(f"swish, beta = {beta}: formula vs central difference {order(np.max(np.abs(d_swish(points, beta) - numeric)))},"
          f" output form vs formula {order(np.max(np.abs(output_form - d_swish(points, beta))))}")
print("GELU: formula vs central difference",
      order(np.max(np.abs(d_gelu(points) - central_difference(gelu, points)))))

# %% [markdown]
# Both derivatives agree with the numerical ones to the accuracy of the central difference, and
# with autograd to rounding error (the table in "Checking every derivative").
#
# ```{solution-end}
# ```
#
# ```{exercise} Nielsen ch. 3, other neuron models: tanh is a rescaled sigmoid
# :label: ex-03-nielsen-tanh
# Prove that $\sigma(z) = \tfrac12\big(1 + \tanh(z/2)\big)$, and conclude that a network of tanh
# units computes the same functions as a network of logistic units with rescaled weights and biases
# (up to a rescaling of the outputs).
# ```
#
# ```{solution-start} ex-03-nielsen-tanh
# :class: dropdown
# ```
#
# Multiply the numerator and denominator of $\tanh(z/2)$ by $e^{-z/2}$:
#
# $$ \tanh(z/2) = \frac{e^{z/2} - e^{-z/2}}{e^{z/2} + e^{-z/2}} = \frac{1 - e^{-z}}{1 + e^{-z}},
#    \qquad 1 + \tanh(z/2) = \frac{2}{1 + e^{-z}} = 2\sigma(z). $$
#
# Equivalently $\tanh(z) = 2\sigma(2z) - 1$. A tanh unit with weights $\mathbf w$ and bias $b$ is
# therefore a logistic unit with weights $2\mathbf w$ and bias $2b$ whose output is mapped by
# $a \mapsto 2a - 1$. In a hidden layer that affine map is absorbed by the next layer, whose net
# input $W(2\mathbf a - \mathbf 1) + \mathbf b = (2W)\mathbf a + (\mathbf b - W\mathbf 1)$ comes
# from a layer with weights $2W$ and bias $\mathbf b - W\mathbf 1$; only at the output does it
# remain, as the change from range $(0, 1)$ to $(-1, 1)$. Checked on the grid:

# %%
print("sigma(z) vs (1 + tanh(z/2)) / 2, largest difference:",
      order(np.max(np.abs(sigmoid(z) - 0.5 * (1 + tanh(z / 2))))))

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Where does 1.702 come from?
# :label: ex-03-gelu-constant
# The GELU paper approximates $z\,\Phi(z)$ by $z\,\sigma(1.702 z)$. Find the constant $c$ for
# which $\sigma(cz)$ is closest to $\Phi(z)$ in the largest absolute difference, and the constant
# for which $z\,\sigma(cz)$ is closest to $\operatorname{GELU}(z)$. Is 1.702 the best choice for
# GELU?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (your two constants (c for Φ, c for GELU)), then run it.

# %%
answer = (..., ...)  # edit: best c for σ(cz) ≈ Φ(z), best c for z σ(cz) ≈ GELU(z)
check("ex-03-gelu-constant", answer)


# %% [markdown]
# ```{solution-start} ex-03-gelu-constant
# :class: dropdown
# ```
#
# Both errors, as functions of $c$, fall and then rise, so a golden-section search finds each
# minimum: it shrinks a bracket $[a, b]$ around the minimum by the factor
# $(\sqrt5 - 1)/2$ per step. The errors are measured on a fine grid over $[-8, 8]$, beyond which
# both differences are negligible.

# %%
def golden_section(g, a, b, steps=60):
    """The minimiser of a unimodal function g on [a, b]."""
    r = (math.sqrt(5) - 1) / 2
    for _ in range(steps):
        c, d = b - r * (b - a), a + r * (b - a)
        a, b = (a, d) if g(c) < g(d) else (c, b)
    return (a + b) / 2


grid8 = np.linspace(-8, 8, 16_001)
cdf8, gelu8 = normal_cdf(grid8), gelu(grid8)


def gate_error(c):
    return np.max(np.abs(cdf8 - sigmoid(c * grid8)))


def gelu_error(c):
    return np.max(np.abs(gelu8 - grid8 * sigmoid(c * grid8)))


for name, error in (("Phi(z) vs sigma(cz)", gate_error), ("GELU vs z sigma(cz)", gelu_error)):
    best = golden_section(error, 1.5, 1.9)
    print(f"{name}: best c = {best:.4f}, largest error {error(best):.4f};"
          f" with c = 1.702 {error(1.702):.4f}")

# %% [markdown]
# 1.702 is the classic constant for approximating the normal CDF by a logistic one, and the
# first line recovers it. Multiplying by $z$ weights the error by $|z|$, which moves the best
# constant: for GELU itself it is larger, with a clearly smaller largest error (second line). The
# approximation is good either way; the point is that a constant quoted in a paper is optimal for
# the question it was chosen for, which may not be yours.
#
# ```{solution-end}
# ```
#
# ```{exercise} Maxout
# :label: ex-03-maxout
# NNDL §4.1.5 describes the maxout unit, $a = \max_k\,(\mathbf w_k^\top\mathbf x + b_k)$, the
# largest of $K$ linear functions of the whole input. With one input and $K = 2$, choose the
# pieces so that the unit computes ReLU, leaky ReLU with $\alpha = 0.1$, and $|z|$. Which
# parameters receive a gradient?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a dict of pieces `{'ReLU': (w, b), 'leaky ReLU': (w, b),
# '|z|': (w, b)}`, each w and b of length 2), then run it.

# %%
answer = {"ReLU": (..., ...), "leaky ReLU": (..., ...), "|z|": (..., ...)}  # edit: (slopes w, intercepts b)
check("ex-03-maxout", answer)


# %% [markdown]
# ```{solution-start} ex-03-maxout
# :class: dropdown
# ```
#
# $\operatorname{ReLU}(z) = \max(z, 0)$: pieces $(w, b) = (1, 0)$ and $(0, 0)$.
# $\operatorname{LeakyReLU}(z) = \max(z, 0.1z)$ (for $\alpha < 1$): pieces $(1, 0)$ and $(0.1, 0)$.
# $|z| = \max(z, -z)$: pieces $(1, 0)$ and $(-1, 0)$. So maxout contains ReLU, leaky ReLU and
# PReLU as special cases, and learns which one, or which other convex piecewise-linear function
# of at most $K$ pieces, it needs; smooth functions such as ELU or softplus it can only
# approximate, with more pieces. Since $\partial a/\partial z_k$ is 1 for the largest piece and
# 0 for the others, only the winning piece's weights and bias receive a gradient for a given
# input:

# %%
def maxout(x, W, b):
    """Maxout of a scalar input x (shape (n,)) with pieces W, b (shape (K,)): shape (n,)."""
    return np.max(np.outer(x, W) + b, axis=1)


pieces = {"ReLU": ([1.0, 0.0], relu), "leaky ReLU": ([1.0, 0.1], lambda t: leaky_relu(t, 0.1)),
          "|z|": ([1.0, -1.0], np.abs)}
for name, (W_k, target) in pieces.items():
    print(f"maxout with slopes {W_k} vs {name}: largest difference",
          order(np.max(np.abs(maxout(z, np.array(W_k), np.zeros(2)) - target(z)))))

W_t = torch.tensor([1.0, -1.0], requires_grad=True)
b_t = torch.zeros(2, requires_grad=True)
torch.max(W_t * 2.0 + b_t).backward()  # |z| at z = 2: the first piece wins
print("gradient of |z| at z = 2: dW =", W_t.grad.numpy(), " db =", b_t.grad.numpy())

# %% [markdown]
# ```{solution-end}
# ```
#
# ## Checking the sources
#
# Three claims about activation functions from the sources, checked with this chapter's code.
# First, where the logistic function's derivative is "close to 0", and how the same question
# looks for tanh:

# %%
for z_s in [0.0, 3.0, 5.0, 7.0]:
    print(f"z = {z_s:3.0f}: sigma'(z) = {d_sigmoid(z_s):.4f} ({d_sigmoid(z_s) / 0.25:6.1%} of its "
          f"maximum)   tanh'(z) = {d_tanh(z_s):.4f} ({d_tanh(z_s):6.1%} of its maximum)")
z_scan = np.linspace(0, 20, 200001)
print(f"sigma' falls below 1% of its maximum only from |z| = "
      f"{z_scan[np.argmax(d_sigmoid(z_scan) < 0.01 * 0.25)]:.2f}, tanh' from |z| = "
      f"{z_scan[np.argmax(d_tanh(z_scan) < 0.01)]:.2f}")

# %% [markdown]
# Second, whether ReLU's derivatives, which are only 0 or 1, keep a product of many factors
# from shrinking or growing. The chain of single units from the section on saturation, now with
# ReLU units that are all active, weights $w = 0.5$ and $w = 2$:

# %%
for w_s in (0.5, 2.0):
    _, relu_grads = chain(relu, d_relu, w_s)
    print(f"ReLU chain, w = {w_s}: d a_10 / d a_0 = {relu_grads[-1]:.3e}")

# %% [markdown]
# Third, a listing in the NNDL practice chapter that demonstrates the dying ReLU problem. Its
# five-layer model initialises its layers in a loop over `named_parameters()`, applying a
# normal initialiser to the weights and a bias of $-8$ only to items that are `nn.Linear`
# layers, and its logging function prints `torch.norm` of each weight matrix as "the gradient
# of the layer". The same loop, written for a model of the same shape:

# %%
torch.manual_seed(0)
sizes_5 = [2, 3, 3, 3, 3, 1]
model_5 = torch.nn.ModuleDict({f"fc{i + 1}": torch.nn.Linear(n_in, n_out) for i, (n_in, n_out)
                               in enumerate(zip(sizes_5[:-1], sizes_5[1:]))})
matched = [name for name, item in model_5.named_parameters()
           if isinstance(item, torch.nn.Linear)]
print("items of named_parameters() that are nn.Linear layers:", len(matched),
      "of", len(list(model_5.named_parameters())))
print("bias of fc1 after that 'initialisation':", model_5["fc1"].bias.detach().numpy())
try:
    torch.zeros(3)(torch.zeros(3))  # the listing passes a tensor where an initialiser is called
except TypeError as error:
    print("calling a tensor as an initialiser:", error)


def run_5(model, x):
    """One forward and backward pass of the five-layer ReLU model; returns the norms."""
    model.zero_grad()
    h = x
    for i in range(1, 6):
        h = model[f"fc{i}"](h)
        h = torch.relu(h) if i < 5 else torch.sigmoid(h)
    F.binary_cross_entropy(h, (x[:, :1] > 0).double()).backward()
    return [(model[f"fc{i}"].weight.norm().item(), model[f"fc{i}"].weight.grad.norm().item())
            for i in range(1, 6)]


x_5 = torch.from_numpy(np.random.default_rng(1).normal(size=(100, 2)))
with torch.no_grad():  # the initialisation the text describes, applied to every layer
    for layer in model_5.values():
        layer.weight.normal_(0.0, 0.01)
        layer.bias.fill_(-8.0)
print("layer   |W| (what the listing prints)   |dL/dW| (the gradient)")
for i, (w_norm, g_norm) in enumerate(run_5(model_5, x_5), start=1):
    print(f"fc{i}     {w_norm:.4f}                          {g_norm:.1e}")

# %% [markdown]
# ```{admonition} What the sources get wrong
# :class: warning
#
# - **"When the input is above 3 or below $-3$ the sigmoid's gradient is very close to 0"** (a
#   blog overview of network basics). The first output above shows $\sigma'(3)$ is still
#   about a fifth of its maximum; the logistic function's derivative falls below 1% of its
#   maximum only beyond the $|z|$ printed on the last line. The statement fits tanh, whose
#   derivative drops below 1% of its maximum at about $|z| = 3$ (same line).
# - **"The product of ReLU gradients cannot converge to 0"** (a blog answer to NNDL 4-3). The
#   factors $f'(z)$ are 0 or 1, but each step back also multiplies by a weight: the second
#   output shows ten active ReLU units shrinking the derivative by $0.5^{10}$ with $w = 0.5$ and
#   growing it by $2^{10}$ with $w = 2$. ReLU removes the saturation factor, not the weights'
#   factor ({ref}`sec-depth-product`).
# - **The practice chapter's dead-ReLU experiment** (the NNDL practice chapter). Its
#   initialisation loop never initialises anything: `named_parameters()` yields tensors, never
#   `nn.Linear` layers, so no item matches (first line of the third output) and the biases keep
#   PyTorch's default values instead of $-8$; had an item matched, calling the tensor it passes
#   as an initialiser would have raised the `TypeError` shown. And its logging prints weight
#   norms, not gradients: with the initialisation it describes actually applied, every hidden
#   ReLU unit is dead, and the table shows the gradients of all five weight matrices to be
#   exactly 0 (those of `fc5` because the activations they multiply are all 0), while the norms
#   the listing prints are not.
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("03")


# %% [markdown]
# ## Summary
#
# - An activation's derivative multiplies every gradient that passes back through it, so its
#   range matters as much as its shape.
# - Logistic: $\sigma' = \sigma(1-\sigma) \le \tfrac14$; tanh: $\tanh' = (1+a)(1-a) \le 1$,
#   zero-centred. Both saturate on both sides; through a chain of $L$ logistic units with unit
#   weights the gradient is at most $4^{-L}$. The hard versions are their clipped Taylor
#   expansions, with derivatives exactly 0 outside a window.
# - ReLU passes the gradient unchanged where it is active and is cheap and sparse, but a unit
#   whose net input is negative on all the data receives exactly zero gradient and stays dead.
#   Leaky ReLU, PReLU (learned slope) and ELU keep a gradient on the negative side; softplus is
#   a smooth ReLU with derivative $\sigma$.
# - Swish $z\sigma(\beta z)$ moves between $z/2$ and ReLU with $\beta$; GELU $z\Phi(z)$ is close
#   to swish with $\beta = 1.702$. Both are smooth and dip slightly below 0; their derivatives are
#   $\sigma(\beta z) + \beta z\sigma(\beta z)(1-\sigma(\beta z))$ and $\Phi(z) + z\phi(z)$.
# - Maxout, the largest of several linear pieces, contains ReLU, leaky ReLU and PReLU as special
#   cases.
# - Every derivative in the chapter agrees with `nndl_book` and with torch autograd to rounding
#   error.
#
# ## References
#
# ```{footbibliography}
# ```
