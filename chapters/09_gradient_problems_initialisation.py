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
# (ch-initialisation)=
# # 9. Gradient problems and initialisation
#
# A deep network learns only if two signals get through it: the input forward, layer by layer,
# to the loss, and the error backward, layer by layer, to every weight. Each layer multiplies
# both by something, so over many layers they shrink or grow geometrically. When the error
# shrinks, the first layers hardly learn (*vanishing gradients*); when it grows, steps become
# enormous and training blows up (*exploding gradients*). Where the weights start decides which
# way it goes. This chapter measures all of it: why all-zero weights fail, what Gaussian and
# uniform initialisation do, how Xavier and He initialisation follow from one variance
# argument, vanishing and exploding gradients with the cures for each (gradient clipping, leaky
# units, batch normalisation, residual connections), and whether a larger learning rate helps.
# It follows NNDL {footcite}`qiu2020nndl` §4.6 and §7.3 and the weight-initialisation section
# of Nielsen {footcite}`nielsen2015nndl` ch. 3, with the papers of Glorot and Bengio
# {footcite}`glorot2010understanding` and He et al. {footcite}`he2015delving`.
#
# **Learning goals.** After this chapter you can
#
# - explain, with the δ recursion of back-propagation, why gradients vanish or explode
#   geometrically with depth;
# - say why all-zero weights fail, and recompute Nielsen's saturated-neuron numbers;
# - derive Xavier and He initialisation from $\operatorname{Var}(z) = n_\text{in}
#   \operatorname{Var}(w)\operatorname{Var}(x)$ and write both initialisers yourself;
# - read per-layer activation statistics and gradient norms and name what is wrong;
# - write gradient clipping by norm and match `torch.nn.utils.clip_grad_norm_`;
# - compare the remedies (activation, initialisation, batch normalisation, residual
#   connections) on the same deep network.

# %%
import math

import numpy as np
import torch
from matplotlib.figure import Figure
from myst_nb import glue
from torch import nn

from nndl_book.data import make_moons
from nndl_book.plots import (
    plot_activation_stats,
    plot_curves,
    plot_grad_norms,
    plot_weight_histograms,
)
from nndl_book.training import Runner, activation_stats, build_mlp, grad_norms


X_moons, y_moons = make_moons(200, noise=0.15, rng=0)
X_t, y_t = torch.tensor(X_moons), torch.tensor(y_moons, dtype=torch.float64)
bce = nn.BCEWithLogitsLoss()


def one_step_grad_norms(model):
    """Per-layer weight-gradient norms after one backward pass on the two moons."""
    model.zero_grad()
    bce(model(X_t).squeeze(1), y_t).backward()
    return np.array(list(grad_norms(model).values()))

# %% [markdown]
# (sec-depth-product)=
# ## Why depth multiplies
#
# Back-propagation (NNDL §4.4, {ref}`ch-backprop`) computes the error term of layer $l$
# from the one above it,
#
# $$ \boldsymbol\delta^{(l)} = f_l'\big(\mathbf z^{(l)}\big) \odot
#    \big(W^{(l+1)}\big)^{\top} \boldsymbol\delta^{(l+1)}, \qquad
#    \frac{\partial \mathcal L}{\partial W^{(l)}} = \boldsymbol\delta^{(l)} \big(\mathbf a^{(l-1)}\big)^{\top}. $$
#
# Here $\mathcal L$ is the loss and $L$ the number of layers. Unrolled from the top layer $L$
# down to layer $l$, the error term is a product of $L - l$ factors, each a weight matrix and a
# diagonal matrix of derivatives:
#
# $$ \boldsymbol\delta^{(l)} = \operatorname{diag}\!\big(f_l'(\mathbf z^{(l)})\big)\, W^{(l+1)\top}
#    \operatorname{diag}\!\big(f_{l+1}'(\mathbf z^{(l+1)})\big)\, W^{(l+2)\top} \cdots
#    W^{(L)\top}\, \boldsymbol\delta^{(L)} . $$
#
# If each factor shrinks a vector by a typical ratio $\rho$, the error reaching layer $l$ is
# about $\rho^{\,L-l}$ times the error at the top. The logistic function has
# $\sigma'(z) = \sigma(z)(1-\sigma(z)) \le 1/4$, so with weights of moderate size $\rho$ is well
# below 1 and the gradient *vanishes* towards the input; with large weights $\rho > 1$ and it
# *explodes*. The forward signal $\mathbf a^{(l)}$ passes through $l$ layers and can shrink or
# grow in the same way. Powers make small differences in $\rho$ dramatic:

# %%
for rho in [0.25, 0.9, 1.0, 1.1, 2.0]:
    print(f"rho = {rho:4.2f}: rho^10 = {rho**10:9.3g}, rho^50 = {rho**50:9.3g}")

# %% [markdown]
# To see the recursion at work, take ten hidden layers of 100 sigmoid units without biases,
# with weights drawn from $\mathcal N(0, 1/100)$ (variance one over the number of inputs of a
# unit, so that a weighted sum of 100 inputs of size 1 has size about 1; the section on Xavier
# initialisation below derives this scale), feed a batch of 200 standard-normal inputs, and
# back-propagate a fixed random error signal $\mathbf e_n$ from the top, that is the "loss"
# $\mathcal L = \frac1N\sum_n \mathbf e_n^\top \mathbf a_n^{(L)}$ over the $N$ inputs. (Glorot
# and Bengio {footcite}`glorot2010understanding` made this kind of layer-by-layer measurement
# on real networks at initialisation.) The loop below is the δ recursion, written out:

# %%
from nndl_book.maths.activations import d_sigmoid, sigmoid

depth, width, n = 10, 100, 200
rng = np.random.default_rng(0)
x = rng.standard_normal((n, width))
error = rng.standard_normal((n, width))
weights = [rng.normal(0.0, math.sqrt(2 / (width + width)), size=(width, width))
           for _ in range(depth)]

a, activations, net_inputs = x, [x], []
for W in weights:                       # forward: z = a W^T, a = sigmoid(z)
    z = a @ W.T
    a = sigmoid(z)
    net_inputs.append(z)
    activations.append(a)

g = error / n                           # dL/da of the top layer
ours = []
for l in range(depth, 0, -1):           # backward: the delta recursion
    delta = g * d_sigmoid(net_inputs[l - 1])
    ours.append(np.linalg.norm(delta.T @ activations[l - 1]))   # ||dL/dW^(l)||
    g = delta @ weights[l - 1]
ours = np.array(ours[::-1])
print("||dL/dW^(l)||, l = 1..10:", " ".join(f"{v:.1e}" for v in ours))
print("ratio layer by layer:   ", " ".join(f"{r:.2f}" for r in ours[:-1] / ours[1:]))
print(f"geometric mean of the ratios: {(ours[0] / ours[-1]) ** (1 / (depth - 1)):.2f}")

# %% [markdown]
# Each layer down multiplies the gradient by roughly the same ratio, close to $1/4$ (printed),
# as $\sigma' \le 1/4$ suggests, and the first layer's gradient is more than five orders of
# magnitude below the last one's. The package's `layer_statistics`, which drives the
# explorer at the end of this chapter, makes the same draws in the same order and gives the
# same norms up to rounding; so does torch autograd on the same weights:

# %%
from nndl_book.engine.probes import layer_statistics

stats = layer_statistics("Xavier", depth, "sigmoid", width=width, n_samples=n, seed=0)
W_t = [torch.tensor(W, requires_grad=True) for W in weights]
a_t = torch.tensor(x)
for W in W_t:
    a_t = torch.sigmoid(a_t @ W.T)
((torch.tensor(error) * a_t).sum() / n).backward()
torch_norms = np.array([W.grad.norm().item() for W in W_t])
# (differences at the level of float64 rounding, ~1e-16, depend on the machine: test a bound)
print("same norms to 12 digits: nndl_book", np.allclose(stats.grad_norms, ours, rtol=1e-12, atol=0),
      "| torch", np.allclose(torch_norms, ours, rtol=1e-12, atol=0))

# %% [markdown]
# ## Zero initialisation
#
# The simplest start, every weight and bias 0, does not work at all. With $\tanh$ or ReLU
# hidden units $f(0) = 0$, so all hidden activations are 0; the output weights then get the
# gradient $\boldsymbol\delta^{(2)}\mathbf a^{(1)\top} = 0$, and the hidden error terms
# $W^{(2)\top}\boldsymbol\delta^{(2)}$ are 0 because $W^{(2)} = 0$. Only the output bias can
# move. (More generally, units that start equal get equal gradients and stay equal; that
# argument has its home in {ref}`sec-symmetry-breaking`.) Here is the failure in torch: a 2-16-1 tanh network trained on the two moons from zeros and from
# Xavier weights, with the same optimizer and number of steps.

# %%
def train_moons(model, lr=1.0, epochs=200):
    runner = Runner(model, bce, torch.optim.SGD(model.parameters(), lr=lr))
    return runner.fit((X_moons, y_moons), epochs=epochs, progress=False)


for init in ["zeros", "xavier_uniform"]:
    model = build_mlp([2, 16, 1], "tanh", init=init, seed=0)
    history = train_moons(model)
    W1 = model[0].weight.detach().numpy()
    print(f"{init:14s}: training accuracy {history.train_metric[-1]:.3f}, "
          f"loss {history.train_loss[-1]:.4f}, "
          f"largest difference between hidden units' weights {np.abs(W1 - W1[0]).max():.3g}")
    if init == "zeros":
        glue("zero_acc", f"{history.train_metric[-1]:.1%}", display=False)
        zero_model = model

print("hidden weights after training from zero: all zero?",
      bool((zero_model[0].weight == 0).all()), "| output weights all zero?",
      bool((zero_model[2].weight == 0).all()), "| output bias below 1e-12?",
      abs(zero_model[2].bias.item()) < 1e-12)

# %% [markdown]
# From zeros the accuracy is {glue:text}`zero_acc`, chance on the balanced moons, and the
# sixteen hidden units are sixteen copies of one unit that computes nothing: every weight is
# still exactly 0. (With balanced classes even the output bias gets a zero gradient, up to
# rounding, because the mean of $\sigma(0) - y$ over the data is 0.)
#
# ## Gaussian and uniform initialisation
#
# The two usual random starts draw every weight independently, from a Gaussian
# $\mathcal N(0, \sigma^2)$ or from a uniform distribution $\mathcal U(-r, r)$. The uniform one
# has variance
#
# $$ \operatorname{Var}(w) = \frac{1}{2r}\int_{-r}^{r} w^2\,dw = \frac{r^2}{3}, $$
#
# so $r = \sqrt3\,\sigma$ gives the same variance. For what follows only the variance matters:
# the two distributions look different, but a weighted sum of many such weights is close to
# Gaussian either way.

# %%
from nndl_book.maths import init

sigma = 0.1
r = math.sqrt(3) * sigma
w_gauss = np.random.default_rng(1).normal(0.0, sigma, size=(256, 256))
w_unif = np.random.default_rng(2).uniform(-r, r, size=(256, 256))
print(f"target variance {sigma**2:.4f}: Gaussian {w_gauss.var():.4f}, uniform {w_unif.var():.4f}")
print("same arrays as nndl_book.maths.init:",
      np.array_equal(w_gauss, init.normal((256, 256), rng=1, std=sigma)),
      np.array_equal(w_unif, init.uniform((256, 256), rng=2, low=-r, high=r)))

fig = plot_weight_histograms({"Gaussian N(0, 0.1²)": w_gauss, "uniform U(−√3·0.1, √3·0.1)": w_unif},
                             title="Same variance, different shapes")
fig.axes[0].set_ylim(0, 5.6)  # room for the legend above the peak
fig

# %% [markdown]
# ### Nielsen's saturated neuron
#
# Nielsen {footcite}`nielsen2015nndl` (ch. 3) makes the danger concrete. A sigmoid neuron has
# 1000 inputs, of which 500 are 1 and the other 500 are 0, and weights and bias drawn from
# $\mathcal N(0, 1)$. Its net input $z = \sum_j w_j x_j + b$ is a sum of 500 weights and the
# bias: 501 independent standard normal variables, so $\operatorname{Var}(z) = 501$ and the
# standard deviation is $\sqrt{501}$, which Nielsen rounds to 22.4. Most of the time $|z|$ is
# then far beyond the few units where $\sigma$ bends, the neuron is saturated, and
# $\sigma'(z) \approx 0$ makes it learn very slowly. His improved initialisation draws the
# weights from $\mathcal N(0, 1/n_\text{in})$ with $n_\text{in} = 1000$ (the bias stays
# $\mathcal N(0, 1)$): then $\operatorname{Var}(z) = 500/1000 + 1 = 3/2$, standard deviation
# $\sqrt{3/2} \approx 1.22$. Both exactly and by drawing 4000 neurons:

# %%
n_in = 1000
x_nielsen = np.zeros(n_in)
x_nielsen[:500] = 1.0
rng = np.random.default_rng(3)
n_draws = 4000


def sampled_z(weight_std):
    w = rng.normal(0.0, weight_std, size=(n_draws, n_in))
    b = rng.normal(0.0, 1.0, size=n_draws)
    return w @ x_nielsen + b


z_old, z_new = sampled_z(1.0), sampled_z(1 / math.sqrt(n_in))
saturated = d_sigmoid(0.0) / 10  # sigma'(z) below a tenth of its largest value
for name, z, exact in [("N(0, 1) weights     ", z_old, math.sqrt(500 * 1.0 + 1)),
                       ("N(0, 1/n_in) weights", z_new, math.sqrt(500 / n_in + 1))]:
    print(f"{name}: std of z exact {exact:.4f}, sampled {z.std():.4f}; "
          f"saturated neurons {np.mean(d_sigmoid(z) < saturated):.1%}")
print(f"sampling error of a standard deviation from {n_draws} draws: about "
      f"{1 / math.sqrt(2 * n_draws):.1%} of it")
glue("nielsen_old", f"{math.sqrt(501):.4f}", display=False)
glue("nielsen_saturated", f"{np.mean(d_sigmoid(z_old) < saturated):.0%}", display=False)
glue("nielsen_new", f"{math.sqrt(1.5):.4f}", display=False)

# %% [markdown]
# The exact values are $\sqrt{501} =$ {glue:text}`nielsen_old` and $\sqrt{3/2} =$
# {glue:text}`nielsen_new`, so Nielsen's 22.4 and 1.22 are right (rounded). The samples agree
# with them up to sampling error: a standard deviation estimated from $N$ draws is
# off by about $1/\sqrt{2N}$ of itself (printed above). The histograms show the difference
# Nielsen draws: with $\mathcal N(0,1)$ weights, $z$ is spread over dozens of units and
# {glue:text}`nielsen_saturated` of the neurons sit on a flat tail of the sigmoid, where
# $\sigma'(z)$ is below a tenth of its peak (shaded: the region where it is not).

# %%
fig = plot_weight_histograms({"w ~ N(0, 1)": z_old, "w ~ N(0, 1/1000)": z_new}, bins=60,
                             title="Net input z of a neuron with 500 active inputs")
ax = fig.axes[0]
s_edge = (1 + math.sqrt(1 - 4 * saturated)) / 2  # sigma(z)(1 - sigma(z)) = saturated
edge = math.log(s_edge / (1 - s_edge))
ax.axvspan(-edge, edge, color="#009E73", alpha=0.12, lw=0, label="σ′(z) ≥ σ′(0)/10")
ax.set_xlabel("net input z")
ax.legend(fontsize=8.5, framealpha=0.85)
fig

# %% [markdown]
# ## Xavier and He initialisation
#
# ### Keeping the variance constant
#
# Nielsen's fix generalises. Take a layer $z_i = \sum_{j=1}^{n_\text{in}} w_{ij} a_j$ with
# weights independent of each other and of the inputs, zero mean and variance
# $\operatorname{Var}(w)$. Every term $w_{ij}a_j$ has mean 0 and variance
# $\operatorname{E}[w^2]\operatorname{E}[a^2] = \operatorname{Var}(w)\operatorname{E}[a^2]$, so
#
# $$ \operatorname{Var}(z_i) = n_\text{in}\operatorname{Var}(w)\operatorname{E}[a^2]
#    = n_\text{in}\operatorname{Var}(w)\operatorname{Var}(a) \quad \text{when } \operatorname{E}[a] = 0. $$
#
# **Forward.** The net inputs keep the variance of the layer below when
# $\operatorname{Var}(w) = 1/n_\text{in}$ (LeCun's and Nielsen's choice), for a linear unit or a
# $\tanh$ unit near 0, where $\tanh'(0) = 1$.
#
# **Backward.** The error terms $\delta_j^{(l-1)} = f'(z_j)\sum_i w_{ij}\delta_i^{(l)}$ are sums
# over the $n_\text{out}$ units above, so by the same argument they keep their variance when
# $\operatorname{Var}(w) = 1/n_\text{out}$.
#
# **Xavier** (Glorot and Bengio {footcite}`glorot2010understanding`, NNDL §7.3) cannot have
# both when $n_\text{in} \ne n_\text{out}$ and takes the compromise
#
# $$ \operatorname{Var}(w) = \frac{2}{n_\text{in} + n_\text{out}}: \qquad
#    w \sim \mathcal N\Big(0, \frac{2}{n_\text{in} + n_\text{out}}\Big) \quad\text{or}\quad
#    w \sim \mathcal U\Big(-\sqrt{\tfrac{6}{n_\text{in} + n_\text{out}}},
#    \sqrt{\tfrac{6}{n_\text{in} + n_\text{out}}}\Big). $$
#
# **He** (He et al. {footcite}`he2015delving`, NNDL §7.3) treats ReLU, whose outputs are not
# zero-mean. If $z$ is symmetric around 0, $\operatorname{ReLU}(z)^2$ is $z^2$ on half of the
# distribution and 0 on the other half, so $\operatorname{E}[\operatorname{ReLU}(z)^2] =
# \tfrac12\operatorname{E}[z^2] = \tfrac12\operatorname{Var}(z)$. Then
# $\operatorname{Var}(z^{(l)}) = n_\text{in}\operatorname{Var}(w)\cdot\tfrac12
# \operatorname{Var}(z^{(l-1)})$, and the variance is kept when
#
# $$ \operatorname{Var}(w) = \frac{2}{n_\text{in}}: \qquad
#    w \sim \mathcal N\Big(0, \frac{2}{n_\text{in}}\Big) \quad\text{or}\quad
#    w \sim \mathcal U\Big(-\sqrt{\tfrac{6}{n_\text{in}}}, \sqrt{\tfrac{6}{n_\text{in}}}\Big). $$
#
# **The logistic function.** Both arguments assumed a unit that passes small net inputs on
# unchanged, $f'(0) = 1$, as $\tanh$ does. The logistic function has $\sigma'(0) = 1/4$:
# near 0, $\sigma(z) \approx \tfrac12 + z/4$, so each sigmoid layer multiplies the varying
# part of the signal, forward, and the error, backward, by about $1/4$. Making up for it
# takes a variance 16 times larger, and NNDL §7.3 recommends, for the logistic function,
# Xavier's variance times 16 (standard deviation, or uniform bounds, times 4). The sigmoid
# networks of this chapter nevertheless use plain Xavier, torch's own choice for the sigmoid
# (`nn.init.calculate_gain("sigmoid")` is 1): it is the common setting, and it shows the
# vanishing gradient plainly. {ref}`ex-09-xavier-sigmoid` measures how much the
# factor 4 helps.
#
# First the half in He's argument, by sampling:

# %%
z = np.random.default_rng(4).normal(0.0, 2.0, size=1_000_000)
print(f"Var(z) = {z.var():.4f}, E[ReLU(z)^2] = {np.mean(np.maximum(z, 0) ** 2):.4f}, "
      f"ratio {np.mean(np.maximum(z, 0) ** 2) / z.var():.4f}")

# %% [markdown]
# The initialisers themselves take a few lines each. A weight matrix has shape
# $(n_\text{out}, n_\text{in})$, as in `torch.nn.Linear`:

# %%
def xavier_normal(shape, rng):
    n_out, n_in = shape
    return rng.normal(0.0, math.sqrt(2 / (n_in + n_out)), size=shape)


def xavier_uniform(shape, rng):
    n_out, n_in = shape
    bound = math.sqrt(6 / (n_in + n_out))
    return rng.uniform(-bound, bound, size=shape)


def he_normal(shape, rng):
    n_out, n_in = shape
    return rng.normal(0.0, math.sqrt(2 / n_in), size=shape)


def he_uniform(shape, rng):
    n_out, n_in = shape
    bound = math.sqrt(6 / n_in)
    return rng.uniform(-bound, bound, size=shape)


shape = n_out, n_in = (300, 500)
ours = {"xavier_normal": xavier_normal, "xavier_uniform": xavier_uniform,
        "he_normal": he_normal, "he_uniform": he_uniform}
targets = {"xavier_normal": 2 / (n_in + n_out), "xavier_uniform": 2 / (n_in + n_out),
           "he_normal": 2 / n_in, "he_uniform": 2 / n_in}
torch_init = {
    "xavier_normal": lambda w, g: nn.init.xavier_normal_(w, generator=g),
    "xavier_uniform": lambda w, g: nn.init.xavier_uniform_(w, generator=g),
    "he_normal": lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g),
    "he_uniform": lambda w, g: nn.init.kaiming_uniform_(w, nonlinearity="relu", generator=g),
}
for name, fn in ours.items():
    w = fn(shape, np.random.default_rng(5))
    same = np.array_equal(w, init.initialise(name, shape, rng=np.random.default_rng(5)))
    w_torch = torch_init[name](torch.empty(shape), torch.Generator().manual_seed(5))
    print(f"{name:14s}: target variance {targets[name]:.5f}, ours {w.var():.5f}, "
          f"torch {w_torch.var().item():.5f}, same array as nndl_book: {same}")

# %% [markdown]
# Our functions make exactly the arrays of `nndl_book.maths.init` (same formulas, same draws);
# torch draws different numbers from its own generator, with the same variance.
#
# ### Ten layers deep
#
# Now push 200 standard-normal inputs through ten hidden layers of 256 units and record the
# mean and standard deviation of each layer's activations with `activation_stats`. First
# $\tanh$, with three scales of weights: $\mathcal N(0, 1)$, $\mathcal N(0, 0.01^2)$ and Xavier.
# A fourth run multiplies Xavier's standard deviation by torch's *gain* for $\tanh$,
# `nn.init.calculate_gain("tanh")` $= 5/3$, which makes up for $\tanh'(z) < 1$ away from 0.

# %%
X_deep = torch.tensor(np.random.default_rng(6).standard_normal((200, 256)))


def deep_net(activation, scheme, width=256, depth=10, seed=0):
    """depth hidden layers of width units; scheme is a build_mlp initialiser name or a callable."""
    if isinstance(scheme, str):
        return build_mlp([width] * (depth + 1) + [1], activation, init=scheme, seed=seed)
    model = build_mlp([width] * (depth + 1) + [1], activation, init="zeros", seed=seed)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.Linear):
                scheme(layer.weight, gen)
    return model


def table(runs):
    print(f"{'':22s} std of a^(l) at l = 1, 5, 10 | layer 10: saturated   zero")
    for name, st in runs.items():
        sat = "" if st[-1]["saturated"] is None else f"{st[-1]['saturated']:.1%}"
        print(f"{name:22s} {st[0]['std']:9.3g} {st[4]['std']:9.3g} {st[9]['std']:9.3g} |"
              f"           {sat:>9s}   {st[-1]['zero']:.1%}")


tanh_runs = {
    "N(0, 1)": activation_stats(deep_net("tanh", "normal"), X_deep),
    "N(0, 0.01²)": activation_stats(
        deep_net("tanh", lambda w, g: nn.init.normal_(w, 0.0, 0.01, generator=g)), X_deep),
    "Xavier": activation_stats(deep_net("tanh", "xavier_normal"), X_deep),
    "Xavier, gain 5/3": activation_stats(deep_net("tanh", lambda w, g: nn.init.xavier_normal_(
        w, gain=nn.init.calculate_gain("tanh"), generator=g)), X_deep),
}
table(tanh_runs)
small = tanh_runs["N(0, 0.01²)"]
print(f"N(0, 0.01²): std multiplied by {(small[9]['std'] / small[0]['std']) ** (1 / 9):.3f} per "
      f"layer (0.01 * sqrt(256) = {0.01 * math.sqrt(256):.2f})")

# %% [markdown]
# For ReLU, compare $\mathcal N(0,1)$, Xavier and He in the same way:

# %%
relu_runs = {name: activation_stats(deep_net("relu", scheme), X_deep)
             for name, scheme in [("N(0, 1)", "normal"), ("Xavier", "xavier_normal"),
                                  ("He", "he_normal")]}
table(relu_runs)
big = relu_runs["N(0, 1)"]
print(f"N(0, 1) with ReLU: std multiplied by {(big[9]['std'] / big[0]['std']) ** (1 / 9):.2f} per "
      f"layer (sqrt(256 / 2) = {math.sqrt(128):.2f})")
per_layer = (relu_runs["Xavier"][9]["std"] / relu_runs["Xavier"][0]["std"]) ** (1 / 9)
print(f"Xavier with ReLU: std multiplied by {per_layer:.3f} per layer (1/sqrt(2) = {2**-0.5:.3f})")
print("He, fraction of zero outputs in layers 1..10:",
      " ".join(f"{st['zero']:.0%}" for st in relu_runs["He"]))

# %%
fig = Figure(figsize=(10.0, 3.8), layout="constrained")
left, right = fig.subplots(1, 2)
plot_activation_stats(tanh_runs, ax=left, title="tanh, ten layers of 256 units")
plot_activation_stats({name: st for name, st in relu_runs.items() if name != "N(0, 1)"},
                      ax=right, title="ReLU (N(0, 1) is off the scale)")
right.set_ylim(-0.5, 2.1)  # room for the legend above the bands
right.get_legend().set_loc("upper right")
fig

# %% [markdown]
# **tanh** (left panel). With $\mathcal N(0,1)$ weights a unit sums 256 inputs of size about
# 1, so $z$ has a standard deviation of order $\sqrt{256}$ and most outputs are pinned near
# $\pm 1$ (the saturated column counts outputs with $|\tanh(z)| \ge 0.95$): the band fills the
# whole range of $\tanh$ from the first layer on. With $\mathcal N(0, 0.01^2)$ each layer
# multiplies the standard deviation by about $0.01\sqrt{256}$ (printed), and after ten layers
# the signal is gone. Xavier keeps it alive but lets it decay slowly, because $\tanh$ flattens
# the larger inputs; the gain of $5/3$ holds it roughly constant with only a small fraction of
# saturated units.
#
# **ReLU** (right panel). $\mathcal N(0,1)$ weights multiply the standard deviation by about
# $\sqrt{256/2}$ per layer, so by layer 10 it is in the tens of billions. Xavier's variance
# $2/(n_\text{in}+n_\text{out}) = 1/256$ is half of what ReLU needs, and losing half of the
# variance per layer matches the measured factor of about $1/\sqrt2$ on the standard
# deviation; He's $2/n_\text{in}$ keeps the signal level. About half of all ReLU outputs are 0
# at every depth (the zero column, and the per-layer line printed for He): that is the half in
# He's derivation. The fraction is even the same for all three runs, because with the same
# seed the three networks' weights are the same draws times different constants, and scaling
# the weights does not change the sign of any $z$.
#
# ## Vanishing gradients
#
# The classic demonstration is a narrow, deep sigmoid network. Take five hidden layers of three
# units on the two moons, Xavier-initialised, do one forward and backward pass, and record each
# layer's gradient norm $\|\partial \mathcal L/\partial W^{(l)}\|$ with `grad_norms`. One
# network could be a lucky or unlucky draw, so we build twenty (seeds 0–19) and take the
# median per layer; then
# the same with ReLU units.

# %%
sizes = [2, 3, 3, 3, 3, 3, 1]
norms = {act: np.array([one_step_grad_norms(build_mlp(sizes, act, init="xavier_uniform", seed=s))
                        for s in range(20)])
         for act in ["sigmoid", "relu"]}
for act, rows in norms.items():
    median = np.median(rows, axis=0)
    print(f"{act:7s}: median ||dL/dW^(l)||, l = 1..6: " + " ".join(f"{v:.1e}" for v in median)
          + f" | first/last {median[0] / median[-1]:.1e}"
          + f" | networks with no gradient at all: {int(np.all(rows == 0, axis=1).sum())} of 20")
glue("vanish_ratio", f"{np.median(norms['sigmoid'], axis=0)[-1] / np.median(norms['sigmoid'], axis=0)[0]:.0f}",
     display=False)

fig = plot_grad_norms({act: np.median(rows, axis=0) for act, rows in norms.items()},
                      title="One backward pass, median over 20 networks")
fig

# %% [markdown]
# With sigmoid units the last layer's gradient is about {glue:text}`vanish_ratio` times the
# first layer's (bars on a log scale): each layer down loses a factor of a few, as
# $\sigma' \le 1/4$ predicts, so gradient descent moves the first layers far more slowly than
# the last. ReLU units pass the gradient unchanged where
# they are active ($\operatorname{ReLU}'(z) = 1$ for $z > 0$), and the norms stay level. But in
# networks this narrow some draws give a layer whose three units are all inactive on every
# input, and then no gradient flows at all (counted above): dead units, the subject of
# {ref}`sec-dead-relu`.
#
# (sec-09-learning-rate)=
# ### Does a larger learning rate help? (NNDL exercise 4-9)
#
# If the first layer's gradient is {glue:text}`vanish_ratio` times smaller than the last one's,
# why not make the learning rate that much larger? Because the learning rate multiplies
# *every* layer's step by the same number: the relative sizes of the steps, first layer to
# last, do not change, so a rate large enough for the first layers is far too large for the
# last ones. To check, train a wider sigmoid network (five hidden layers of ten units, Xavier,
# full-batch gradient descent, numpy engine) with learning rates from 0.1 to 100, and measure
# after each step the relative change of each layer's weights,
# $\|\Delta W^{(l)}\| / \|W^{(l)}\|$, and the fraction of saturated outputs of the top
# hidden layer (sigmoid below 0.025 or above 0.975) on the training points.

# %%
from nndl_book.engine import MLP, train


def top_saturation(model):
    """Fraction of the top hidden layer's outputs below 0.025 or above 0.975 on the moons."""
    top = X_moons
    for W, b in zip(model.weights[:-1], model.biases[:-1]):  # forward to the top hidden layer
        top = sigmoid(top @ W.T + b)
    return np.mean(np.abs(top - 0.5) >= 0.475)


lrs = [0.1, 1.0, 10.0, 100.0]
curves, step_ratios, saturation = {}, {}, {}
for lr in lrs:
    model = MLP([2, 10, 10, 10, 10, 10, 1], "sigmoid", init="xavier_uniform", rng=0)
    before = [W.copy() for W in model.weights]
    ratios, sat = [], [top_saturation(model)]

    def record(epoch, history, model=model, before=before, ratios=ratios, sat=sat):
        ratios.append([np.linalg.norm(W - B) / np.linalg.norm(B)
                       for W, B in zip(model.weights, before)])
        before[:] = [W.copy() for W in model.weights]
        sat.append(top_saturation(model))

    history = train(model, X_moons, y_moons, lr=lr, epochs=200, callback=record)
    name = f"lr = {lr:g}"
    curves[name], step_ratios[name] = np.array(history.train_loss), np.array(ratios)
    saturation[name] = np.array(sat)  # before the first step, then after each step
    losses = curves[name]
    print(f"{name:9s}: loss {losses[0]:.4f} -> {losses[-1]:.4f}, accuracy "
          f"{history.train_metric[-1]:.3f}, loss went up on {np.sum(np.diff(losses) > 0):3d} of "
          f"{len(losses) - 1} steps")
first_step = {name: r[0] for name, r in step_ratios.items()}

# %% [markdown]
# Per layer, the relative change $\|\Delta W^{(l)}\| / \|W^{(l)}\|$ at the first step and its
# median and largest value over the 200 steps, for the first layer and the last (layer 6), and
# the top hidden layer's saturation before training, after steps 1 and 5, and at the end:

# %%
print(f"{'':9s}  {'first step':^25s}  {'per step: median (largest)':^36s}  top layer saturated")
print(f"{'':9s}  {'layer 1':>7s}  {'layer 6':>7s}  {'1 / 6':>7s}  {'layer 1':^17s}  {'layer 6':^17s}"
      f"  start step 1 step 5 end")
for name, r in step_ratios.items():
    s = saturation[name]
    print(f"{name:9s}  {r[0, 0]:7.1e}  {r[0, -1]:7.1e}  {r[0, 0] / r[0, -1]:7.1e}  "
          f"{np.median(r[:, 0]):7.1e} ({r[:, 0].max():7.1e})  "
          f"{np.median(r[:, -1]):7.1e} ({r[:, -1].max():7.1e})  "
          f"{s[0]:5.0%} {s[1]:6.0%} {s[5]:6.0%} {s[-1]:4.0%}")
for name in ["lr = 10", "lr = 100"]:
    print(f"{name}: the largest relative change of layer 1 is at step "
          f"{step_ratios[name][:, 0].argmax() + 1}")
r_small = step_ratios["lr = 0.1"]
print("ratio layer 1 / layer 6 at the first step is the same for every rate:",
      bool(np.allclose([r[0, 0] / r[0, -1] for r in step_ratios.values()],
                       r_small[0, 0] / r_small[0, -1], rtol=1e-9)))
for name in ["lr = 1", "lr = 10", "lr = 100"]:
    r = step_ratios[name]
    glue(f"lr{name[5:]}_first6", f"{r[0, -1]:.2f}", display=False)
    glue(f"lr{name[5:]}_median6", f"{np.median(r[:, -1]):.1%}", display=False)
    glue(f"lr{name[5:]}_median1", f"{np.median(r[:, 0]):.1e}", display=False)
    glue(f"lr{name[5:]}_max1", f"{r[:, 0].max():.1e}", display=False)
    glue(f"lr{name[5:]}_sat1", f"{saturation[name][1]:.0%}", display=False)
    glue(f"lr{name[5:]}_sat5", f"{saturation[name][5]:.0%}", display=False)
glue("lr_ratio16", f"{r_small[0, 0] / r_small[0, -1]:.1e}", display=False)

# %%
fig = Figure(figsize=(10.0, 3.6), layout="constrained")
left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
plot_curves(curves, xlabel="step", ylabel="training loss", ax=left, logy=True,
            title="Loss under gradient descent")
for line in left.get_lines():
    if line.get_label() == "lr = 100":
        line.set_linewidth(0.6)  # it oscillates from step to step: a thin line keeps the rest visible
left.set_ylim(0.5, 150)  # room for the legend above the curves
left.legend(loc="upper right", ncols=2, fontsize=8.5, framealpha=0.85)
plot_grad_norms(first_step, ax=right, title="First step: ‖ΔW⁽ˡ⁾‖ / ‖W⁽ˡ⁾‖")
right.set_ylabel("relative change of the weights")
fig

# %% [markdown]
# At the first step (right panel, and the table) the relative change of layer 1 is
# {glue:text}`lr_ratio16` times that of layer 6 for every learning rate: the bars have the same
# shape, shifted up by a factor of 10 each time, because the learning rate cannot change the
# ratio. With rates 0.1 and 1 the loss (left panel) only creeps down to $\ln 2$, the loss of
# predicting probability 1/2 for every point. With 10 and 100 the last layer's weights change
# at the first step by {glue:text}`lr10_first6` and {glue:text}`lr100_first6` times their size.
# That throws the top hidden layer into saturation within a few steps: none of its outputs is
# saturated after the first step, {glue:text}`lr10_sat5` (rate 10) and {glue:text}`lr100_sat5`
# (rate 100) after the fifth, and all of them at the end. Behind saturated units the gradient
# of the layers below is nearly zero, so the first layer ends up moving *less* than at rate 1:
# its median step is {glue:text}`lr10_median1` (rate 10) and {glue:text}`lr100_median1` (rate
# 100) of its size, against {glue:text}`lr1_median1` at rate 1; its largest steps,
# {glue:text}`lr10_max1` and {glue:text}`lr100_max1`, came in the upheaval of the first steps
# (printed).
# With rate 10 the loss then sits on a plateau above its start; with 100 it goes up at every
# other step to the end (printed). A larger learning rate does not cure vanishing gradients; it trades them for unstable top
# layers. What does help changes the factors in the product: the activation, the
# initialisation, normalisation or skip connections, the subject of the rest of this chapter
# (and, as {ref}`ex-09-nndl-4-9` shows, a per-parameter step size such as
# Adam's).
#
# ## Exploding gradients and gradient clipping
#
# Large weights turn the same product the other way. Take eight hidden layers of 32 units with
# two kinds of large weights: $\tanh$ units with $\mathcal N(0, 3^2)$ weights, and ReLU units
# with Nielsen's old $\mathcal N(0, 1)$.

# %%
explode_sizes = [2] + [32] * 8 + [1]
tanh_big = build_mlp(explode_sizes, "tanh", init="normal", seed=0)
with torch.no_grad():
    for layer in tanh_big:
        if isinstance(layer, nn.Linear):
            layer.weight.mul_(3.0)  # N(0, 1) * 3 = N(0, 3²)
relu_big = build_mlp(explode_sizes, "relu", init="normal", seed=0)
explode = {"tanh, N(0, 3²)": one_step_grad_norms(tanh_big),
           "ReLU, N(0, 1)": one_step_grad_norms(relu_big)}
for name, v in explode.items():
    print(f"{name:15s}: ||dL/dW^(l)||, l = 1..9: " + " ".join(f"{x:.1e}" for x in v))
saturation = [s["saturated"] for s in activation_stats(tanh_big, X_moons)]
print("tanh network, saturated outputs per hidden layer:", " ".join(f"{f:.0%}" for f in saturation))

# %% [markdown]
# (The left panel of the figure below shows these norms.) The $\tanh$ network's gradient grows
# towards the input, by a factor of a few per layer: most of its units are saturated (printed),
# but the few that are not carry the error through weights with standard deviation 3. The ReLU
# network's gradients are huge everywhere: its activations grow by a factor of about
# $\sqrt{32/2}$ per layer going up, its error terms by the same factor going down, and their
# products, the weight gradients, are all of order $10^4$. One gradient step with such a
# gradient throws the weights far away.
#
# **Gradient clipping** bounds the step. If the gradient $\mathbf g$ (all parameters'
# gradients as one long vector) has norm above a threshold $c$, rescale it to norm $c$:
#
# $$ \mathbf g \leftarrow \begin{cases} \mathbf g, & \|\mathbf g\| \le c,\\[2pt]
#    \dfrac{c}{\|\mathbf g\|}\,\mathbf g, & \|\mathbf g\| > c. \end{cases} $$
#
# The direction is kept; only the length is capped. By hand, then against torch's
# `clip_grad_norm_` on a copy of the same gradients:

# %%
def clip_grad_norm(parameters, max_norm):
    """Scale the gradients in place so that their joint L2 norm is at most max_norm."""
    grads = [p.grad for p in parameters if p.grad is not None]
    total = torch.sqrt(sum((g**2).sum() for g in grads))
    if total > max_norm:
        for g in grads:
            g.mul_(max_norm / total)
    return total


relu_copy = build_mlp(explode_sizes, "relu", init="normal", seed=0)
one_step_grad_norms(relu_copy)  # fills .grad with the same gradients as relu_big has
norm_ours = clip_grad_norm(list(relu_big.parameters()), 1.0)
norm_torch = nn.utils.clip_grad_norm_(relu_copy.parameters(), 1.0)
clipped = torch.sqrt(sum((p.grad**2).sum() for p in relu_big.parameters()))
largest = max((p.grad - q.grad).abs().max().item()
              for p, q in zip(relu_big.parameters(), relu_copy.parameters()))
print(f"norm before clipping: ours {norm_ours.item():.6g}, torch {norm_torch.item():.6g}")
print(f"norm after clipping: {clipped.item():.6f}; largest difference from torch {largest:.1e}")

# %% [markdown]
# The tiny difference is torch's: it divides by $\|\mathbf g\| + 10^{-6}$ to stay safe when the
# norm is 0. Now train the ReLU network with $\mathcal N(0,1)$ weights for 100 steps of plain
# gradient descent (learning rate 0.01), once as it is and once with the gradient clipped to
# norm 1 before every step.

# %%
def train_clipped(max_norm, steps=100, lr=0.01):
    model = build_mlp(explode_sizes, "relu", init="normal", seed=0)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = bce(model(X_t).squeeze(1), y_t)
        if not torch.isfinite(loss):
            break
        losses.append(loss.item())
        loss.backward()
        if max_norm is not None:
            clip_grad_norm(list(model.parameters()), max_norm)
        optimizer.step()
    with torch.no_grad():
        out = model(X_t).squeeze(1)
    acc = ((out > 0) == (y_t > 0.5)).double().mean().item() if torch.isfinite(out).all() else math.nan
    return np.array(losses), acc


clip_curves = {}  # loss per step
for name, c in [("no clipping", None), ("clipped at norm 1", 1.0)]:
    losses, acc = train_clipped(c)
    clip_curves[name] = losses
    print(f"{name:17s}: {len(losses):3d} finite steps, loss {losses[0]:.4g} -> {losses[-1]:.4g}, "
          f"final training accuracy {acc:.3f}")
    if c is not None:
        glue("clip_acc", f"{acc:.1%}", display=False)
glue("diverge_steps", f"{len(clip_curves['no clipping'])}", display=False)

fig = Figure(figsize=(10.0, 3.6), layout="constrained")
left, right = fig.subplots(1, 2, width_ratios=[1.3, 1])
plot_grad_norms(explode, ax=left, title="Gradient norms at initialisation")
plot_curves(clip_curves, xlabel="step", ylabel="training loss", logy=True, ax=right,
            title="ReLU, N(0, 1): training")
fig

# %% [markdown]
# Without clipping the loss is no longer a finite number after {glue:text}`diverge_steps`
# steps: each step multiplies the weights' size and the next gradient is larger still. With
# clipping, every step has length at most $0.01 \times 1$, the loss falls steadily and the
# training accuracy reaches {glue:text}`clip_acc`. Clipping does not fix the badly scaled
# network (the loss is still large, because the outputs are); it only keeps one bad gradient
# from wrecking training. It is standard in recurrent networks, where the same weight matrix is
# multiplied in at every time step.
#
# ## Leaky units in a deep stack
#
# A ReLU unit whose net input is negative on every input is *dead*: it outputs 0 and passes
# no gradient. {ref}`sec-dead-relu` shows how units die and how Leaky ReLU,
# $f(z) = \max(z, \alpha z)$, keeps a gradient flowing through them, scaled by its slope
# $\alpha$. What depth adds is the product of {ref}`sec-depth-product`: each layer of inactive
# leaky units multiplies the error by $\alpha$ on its way down. To measure it, take six hidden
# layers of 16 units with He weights and set every hidden bias to −8, so that every unit sits
# on its negative side, and vary $\alpha$:

# %%
def with_bias(model, value):
    with torch.no_grad():
        for layer in list(model)[:-1]:  # every Linear but the output layer
            if isinstance(layer, nn.Linear):
                layer.bias.fill_(value)
    return model


alphas = [0.01, 0.03, 0.1, 0.3, 1.0]
slope_norms = []
for alpha in alphas:
    model = with_bias(build_mlp([2] + [16] * 6 + [1], "relu", init="he_normal", seed=0), -8.0)
    for i, layer in enumerate(model):
        if isinstance(layer, nn.ReLU):
            model[i] = nn.LeakyReLU(alpha)
    slope_norms.append(one_step_grad_norms(model))
slope_norms = np.array(slope_norms)
print("  alpha   ||dL/dW^(1)||   ||dL/dW^(7)||")
for alpha, row in zip(alphas, slope_norms):
    print(f"  {alpha:5.2f}   {row[0]:13.3e}   {row[-1]:13.3e}")
fitted = np.polyfit(np.log10(alphas[:4]), np.log10(slope_norms[:4, 0]), 1)[0]
print(f"slope of log ||dL/dW^(1)|| against log alpha (alpha <= 0.3): {fitted:.2f}")

# %%
fig = Figure(figsize=(5.4, 3.6), layout="constrained")
ax = fig.add_subplot()
plot_curves({"layer 1": (alphas, slope_norms[:, 0]), "layer 7 (output)": (alphas, slope_norms[:, -1])},
            xlabel="Leaky ReLU slope α", ylabel="‖∂L/∂W⁽ˡ⁾‖", logy=True, ax=ax,
            title="Six hidden layers, biases −8")
ax.set_xscale("log")
fig

# %% [markdown]
# On a log–log scale the first layer's gradient is a straight line of slope about
# 6 (the fitted slope is printed): with every unit on its negative side, each of the six
# hidden layers multiplies the error by $\alpha$ on the way down, so the gradient goes like
# $\alpha^6$. With $\alpha = 0.01$ the first layer is technically alive, but its gradient is
# negligible; only a slope as large as 0.3 keeps it within a few orders of magnitude of the
# output layer's (the table), and $\alpha = 1$ makes the network linear. The real cure is not
# to start dead: biases at 0 and He weights leave about
# half the units active on any input.
#
# ## Remedies compared
#
# | problem | remedy | why it works |
# | --- | --- | --- |
# | saturating units ($\sigma' \le 1/4$) | ReLU-family activations | $f' = 1$ on the active side |
# | wrong scale of the signal | Xavier / He initialisation | each layer keeps the variance |
# | the scale drifts in training | batch normalisation {footcite}`ioffe2015batchnorm` | each layer's net inputs are re-standardised on every batch |
# | long products of factors | residual connections {footcite}`he2016resnet` | $\mathbf a^{(l)} = \mathbf a^{(l-1)} + f(\cdot)$ adds an identity path: $\partial\mathbf a^{(l)}/\partial\mathbf a^{(l-1)} = I + \dots$ |
# | exploding steps | gradient clipping | caps the step length |
#
# A residual layer adds its input to its output, $\mathbf a^{(l)} = \mathbf a^{(l-1)} +
# f(W^{(l)}\mathbf a^{(l-1)} + \mathbf b^{(l)})$, so the error reaches the layer below through
# the identity as well as through $W^{(l)}$ and $f'$: each factor of the product becomes
# $I + W^{(l)\top}\operatorname{diag}(f')$ instead of the small
# $W^{(l)\top}\operatorname{diag}(f')$ alone, so the product no longer shrinks
# geometrically. A residual MLP in a few lines:

# %%
class ResidualMLP(nn.Module):
    """Input layer, then depth - 1 residual layers a = a + f(W a + b), then a linear output."""

    def __init__(self, n_in, width, depth, n_out, activation=nn.Sigmoid, seed=0):
        super().__init__()
        self.first = nn.Sequential(nn.Linear(n_in, width), activation())
        self.blocks = nn.ModuleList(nn.Sequential(nn.Linear(width, width), activation())
                                    for _ in range(depth - 1))
        self.out = nn.Linear(width, n_out)
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for layer in self.modules():
                if isinstance(layer, nn.Linear):
                    nn.init.xavier_uniform_(layer.weight, generator=gen)
                    nn.init.zeros_(layer.bias)

    def forward(self, x):
        a = self.first(x)
        for block in self.blocks:
            a = a + block(a)
        return self.out(a)

# %% [markdown]
# Now four networks of the same shape, 20 hidden layers of 32 units (21 weight matrices), one
# backward pass each on the two moons: the plain sigmoid stack with Xavier weights, the same
# with ReLU units and He weights, the same sigmoid stack with batch normalisation before every
# activation, and the residual sigmoid stack.

# %%
deep_sizes = [2] + [32] * 20 + [1]
remedies = {
    "plain sigmoid": build_mlp(deep_sizes, "sigmoid", init="xavier_uniform", seed=0),
    "ReLU + He": build_mlp(deep_sizes, "relu", init="he_uniform", seed=0),
    "sigmoid + batch norm": build_mlp(deep_sizes, "sigmoid", init="xavier_uniform",
                                      batch_norm=True, seed=0),
    "residual sigmoid": ResidualMLP(2, 32, 20, 1),
}
remedy_norms = {name: one_step_grad_norms(model) for name, model in remedies.items()}
print(f"{'':21s} ||dL/dW^(1)||  ||dL/dW^(11)||  ||dL/dW^(21)||   first/last")
for name, v in remedy_norms.items():
    print(f"{name:21s} {v[0]:13.2e}  {v[10]:14.2e}  {v[20]:13.2e}   {v[0] / v[20]:10.1e}")
plain = remedy_norms["plain sigmoid"]
glue("plain_ratio", f"{plain[0] / plain[20]:.0e}", display=False)
relu_he, bn_norms = remedy_norms["ReLU + He"], remedy_norms["sigmoid + batch norm"]
glue("relu_he_inverse", f"{relu_he[20] / relu_he[0]:.0f}", display=False)
glue("bn_ratio", f"{bn_norms[0] / bn_norms[20]:.0f}", display=False)
relu_inner = relu_he[1:]
print(f"ReLU + He: last / first {relu_he[20] / relu_he[0]:.1f}, layers 2..21: largest / smallest "
      f"{relu_inner.max() / relu_inner.min():.1f}; "
      f"sigmoid + batch norm: first / last {bn_norms[0] / bn_norms[20]:.1f}")
glue("relu_he_inner", f"{relu_inner.max() / relu_inner.min():.1f}", display=False)
inner = remedy_norms["residual sigmoid"][1:20]
print(f"residual sigmoid, layers 2..20: largest / smallest {inner.max() / inner.min():.1f}")
glue("res_spread", f"{inner.max() / inner.min():.1f}", display=False)

# %%
fig = plot_grad_norms(remedy_norms, title="Twenty hidden layers: gradient norm per layer")
fig

# %% [markdown]
# In the plain sigmoid stack the first layer's gradient is about {glue:text}`plain_ratio`
# times the last one's (the ratio column): for all practical purposes the first half of the
# network is frozen. Each remedy removes the geometric decay (in the figure, only the plain
# stack's line falls steeply towards layer 1). With ReLU and He weights the gradient still
# shrinks towards the input, but only by a factor of {glue:text}`relu_he_inverse` from the last
# layer to the first, and most of that at the input layer, which reads the two raw coordinates:
# layers 2 to 21 differ by at most a factor of {glue:text}`relu_he_inner` (printed). Batch normalisation standardises every layer's net inputs, so each
# sigmoid works near its steepest point; the norms no longer decay but *grow* towards the
# input, the first layer's to {glue:text}`bn_ratio` times the last one's. Neither is the level
# line of the ideal, but both ratios are tens, where the plain stack's is
# {glue:text}`plain_ratio`. In the residual stack
# the gradients of the residual layers (2 to 20) differ by at most a factor of
# {glue:text}`res_spread`;
# the input layer's is smaller, and the output layer's larger because the sigmoid's positive
# outputs pile up along the identity path, so the output layer reads large inputs. Residual
# connections let He et al. {footcite}`he2016resnet` train networks of more than a hundred
# layers.
#
# ## Explore: initialisation, activation and depth
#
# The explorer runs the experiment of *Why depth multiplies* for any scheme and activation:
# 200 standard-normal inputs through a stack of square layers (20 of width 100 on this page;
# with a live kernel the depth and width can change too), a random error signal sent back from
# the top. The left panel shows each layer's activations (mean ± one standard deviation), the
# right one, on a log scale, their standard deviation and the gradient norm of each layer's
# weights; the dashed line marks 1. Try: sigmoid with Xavier (the gradient vanishes although the
# signal is fine); tanh with $\mathcal N(0,1)$ (saturated, and the gradient grows towards the
# input); ReLU with $\mathcal N(0, 0.01^2)$, $\mathcal N(0,1)$, Xavier and He (the signal
# shrinks, explodes, fades, holds). With ReLU the gradient line is level for every scheme, only
# at very different heights: a ReLU layer without biases satisfies $f(cz) = cf(z)$ for
# $c > 0$, so scaling all weights by $c$ scales $\mathbf a^{(l)}$ by $c^{l}$,
# $\boldsymbol\delta^{(l)}$ by $c^{L-l}$ and every layer's gradient by the same $c^{L-1}$.
# For ReLU the damage of a bad scale is in the size of the gradient, not in its shape across
# layers.

# %%
from nndl_book.widgets.initialisation import initialisation_explorer

initialisation_explorer()

# %% [markdown]
# ## Exercises
#
# ```{exercise} NNDL 4-8: a constant start
# :label: ex-09-nndl-4-8
# Zero is not the only bad start. Initialise every weight of a 2-16-1 $\tanh$ network to the
# same constant 0.5 and every bias to 0, train it on the two moons as in *Zero
# initialisation*, and compare its hidden units. Then add Gaussian noise of standard deviation
# $10^{-3}$, and $10^{-2}$, to the constant weights and train again. Explain the results.
# ```
#
# ```{solution-start} ex-09-nndl-4-8
# :class: dropdown
# ```
#
# With every weight 0.5, all hidden units compute $\tanh(0.5x_1 + 0.5x_2)$; every output
# weight is the same, so the δ recursion gives every hidden unit the same error term and the
# same gradient, and equal units stay equal for ever ({ref}`sec-symmetry-breaking`; here up to
# rounding error, since torch may sum the same numbers in a different order for different
# units). Unlike zero, the
# constant start does learn, because the units are not inactive, but the sixteen units are
# one unit and the network is no better than a 2-1-1 network. Noise makes the gradients differ
# and lets gradient descent pull the units apart, but near the symmetric start the
# differences grow slowly: with noise $10^{-3}$ the units have drifted apart only a little
# after 200 steps and the accuracy is still that of the symmetric network; with $10^{-2}$ they
# have become different features and the accuracy is higher.

# %%
def constant_start(noise, seed=0):
    model = build_mlp([2, 16, 1], "tanh", init="zeros", seed=seed)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.Linear):
                layer.weight.fill_(0.5)
                layer.weight.add_(noise * torch.randn(layer.weight.shape, generator=gen))
    return model


for noise in [0.0, 1e-3, 1e-2]:
    model = constant_start(noise)
    history = train_moons(model)
    W1 = model[0].weight.detach().numpy()
    spread = np.abs(W1 - W1[0]).max()
    shown = "below 1e-12 (rounding)" if spread < 1e-12 else f"{spread:.3g}"
    print(f"noise {noise:5g}: accuracy {history.train_metric[-1]:.3f}, largest difference "
          f"between hidden units' weights {shown}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} NNDL 4-9
# :label: ex-09-nndl-4-9
# Can increasing the learning rate alleviate the vanishing gradient problem? Answer with the
# experiment of {ref}`sec-09-learning-rate`, then show that giving each parameter its own step
# size does help: train the same sigmoid network (five hidden layers of ten units) with Adam
# (learning rate 0.01, 200 steps) and compare the relative changes of the first and last
# layers' weights.
# ```
#
# ```{solution-start} ex-09-nndl-4-9
# :class: dropdown
# ```
#
# No. Plain gradient descent moves every layer by
# $\eta\,\partial \mathcal L/\partial W^{(l)}$, so the learning rate $\eta$ scales all layers'
# steps alike and the ratio between the first and last layers' steps stays what the vanishing
# gradient made it. In the experiment, rates 0.1 and 1 leave the first layers frozen and the
# loss near $\ln 2$; with rates 10 and 100 the last layers' first steps are so large that the
# top hidden layer saturates within five steps, the first layer's median step falls to
# {glue:text}`lr10_median1` and {glue:text}`lr100_median1` of its size, and the loss ends above
# its start. Adam divides each parameter's step by a running estimate of the size
# of its own gradient, so every layer moves at a similar relative rate whatever its gradient's
# scale:

# %%
model = MLP([2, 10, 10, 10, 10, 10, 1], "sigmoid", init="xavier_uniform", rng=0)
start = [W.copy() for W in model.weights]
history = train(model, X_moons, y_moons, optimizer="adam", lr=0.01, epochs=200)
moved = [np.linalg.norm(W - S) / np.linalg.norm(S) for W, S in zip(model.weights, start)]
print(f"Adam: loss {history.train_loss[0]:.4f} -> {history.train_loss[-1]:.4f}, "
      f"accuracy {history.train_metric[-1]:.3f}")
print("relative change of W^(l) over 200 steps, l = 1..6:", " ".join(f"{m:.2f}" for m in moved))

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Nielsen ch. 3: the standard deviation of z
# :label: ex-09-nielsen-std
# Verify that the standard deviation of $z = \sum_j w_j x_j + b$ in Nielsen's example (1000
# inputs, 500 of them 1, weights $\mathcal N(0, 1/1000)$, bias $\mathcal N(0,1)$) is
# $\sqrt{3/2}$. How does it change when $k$ of the 1000 inputs are 1, and what is it for $k$ = 0
# and $k$ = 1000?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function std_z(k) returning the standard deviation of z = Σ
# w_j x_j + b when k of the 1000 inputs are 1), then run it.

# %%
from nndl_book.exercises import check, quiz

def my_std_z(k):
    raise NotImplementedError  # edit: return the standard deviation of z = Σ w_j x_j + b when k of the 1000 inputs are 1

check("ex-09-nielsen-std", my_std_z)


# %% [markdown]
# ```{solution-start} ex-09-nielsen-std
# :class: dropdown
# ```
#
# The terms $w_jx_j$ with $x_j = 0$ vanish, so $z$ is the sum of $k$ independent
# $\mathcal N(0, 1/1000)$ weights and one $\mathcal N(0,1)$ bias. Variances of independent
# variables add: $\operatorname{Var}(z) = k/1000 + 1$, which is $3/2$ for $k = 500$, so the
# standard deviation is $\sqrt{3/2}$. It grows from 1 ($k = 0$: only the bias) to $\sqrt2$
# ($k = 1000$). Exactly, and by sampling 4000 neurons for each $k$:

# %%
from fractions import Fraction

rng = np.random.default_rng(7)
for k in [0, 250, 500, 1000]:
    variance = Fraction(k, 1000) + 1
    w = rng.normal(0.0, 1 / math.sqrt(1000), size=(4000, k))
    z_k = w.sum(axis=1) + rng.normal(0.0, 1.0, size=4000)
    print(f"k = {k:4d}: Var(z) = {str(variance):>4s}, std exact {math.sqrt(variance):.4f}, "
          f"sampled {z_k.std():.4f}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Xavier for the logistic function
# :label: ex-09-xavier-sigmoid
# Derive NNDL's factor 4 for the logistic function (the paragraph *The logistic function* in
# the Xavier section states it) from the variance argument, and check it: one backward pass
# through ten hidden sigmoid layers of 100 units (the setting of *Why depth multiplies*), with
# Xavier weights and with Xavier weights times 4.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function variance(n_in, n_out) returning the weight variance
# of Xavier's rule for logistic units), then run it.

# %%
def my_variance(n_in, n_out):
    raise NotImplementedError  # edit: return the weight variance of Xavier's rule for logistic units

check("ex-09-xavier-sigmoid", my_variance)


# %% [markdown]
# ```{solution-start} ex-09-xavier-sigmoid
# :class: dropdown
# ```
#
# Backward through a sigmoid layer, $\delta^{(l-1)}_j = \sigma'(z_j)\sum_i w_{ij}\delta^{(l)}_i$
# with $\sigma'(z_j) \approx 1/4$ for small $z_j$, so
# $\operatorname{Var}(\delta^{(l-1)}) \approx \tfrac1{16}\, n_\text{out}\operatorname{Var}(w)
# \operatorname{Var}(\delta^{(l)})$, and keeping it requires $\operatorname{Var}(w) =
# 16/n_\text{out}$. Forward, the varying part of $\sigma(z) \approx \tfrac12 + z/4$ is $z/4$,
# which gives $16/n_\text{in}$ in the same way; Xavier's compromise between the two is
# $16 \cdot 2/(n_\text{in} + n_\text{out})$: sixteen times Xavier's variance, four times its
# standard deviation. We reuse the chapter's own δ loop with the scale as a parameter:

# %%
def sigmoid_grad_norms(scale, depth=10, width=100, n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, width))
    error = rng.standard_normal((n, width))
    weights = [scale * rng.normal(0.0, math.sqrt(2 / (2 * width)), size=(width, width))
               for _ in range(depth)]
    a, activations, net_inputs = x, [x], []
    for W in weights:
        net_inputs.append(a @ W.T)
        a = sigmoid(net_inputs[-1])
        activations.append(a)
    g, result = error / n, []
    for l in range(depth, 0, -1):
        delta = g * d_sigmoid(net_inputs[l - 1])
        result.append(np.linalg.norm(delta.T @ activations[l - 1]))
        g = delta @ weights[l - 1]
    return np.array(result[::-1])


for scale in [1.0, 4.0]:
    v = sigmoid_grad_norms(scale)
    print(f"Xavier x {scale:g}: ||dL/dW^(1)|| / ||dL/dW^(10)|| = {v[0] / v[-1]:.2e}, "
          f"factor per layer {(v[0] / v[-1]) ** (1 / 9):.2f}")

# %% [markdown]
# The factor by which the gradient shrinks per layer moves much closer to 1, but not all the
# way: with weights four times larger, the net inputs are no longer small. The constant part
# $\tfrac12$ of the sigmoid's outputs alone gives $z = \sum_j w_j a_j$ the variance
# $n_\text{in}\operatorname{Var}(w)/4 = 100 \cdot \tfrac{16}{100} / 4 = 4$, a standard
# deviation of 2, and there
# $\sigma'(z)$ is well below $1/4$. The rule of thumb removes most of the decay, not all of it;
# in a deep sigmoid network the gradient still vanishes, only more slowly.

# %% [markdown]
# ```{solution-end}
# ```
#
# ## What the sources get wrong
#
# The NNDL practice chapter on optimisation problems demonstrates vanishing gradients and dead
# ReLUs with a five-layer model of three units per layer, an initialisation loop and a function
# that prints "the gradient of the layers". Here is its logic, run in torch (same layer sizes,
# same loop, same printout), on the two moons:

# %%
torch.manual_seed(0)
listing = nn.ModuleDict({f"fc{i}": nn.Linear(n_in, n_out) for i, (n_in, n_out)
                         in enumerate([(2, 3), (3, 3), (3, 3), (3, 3), (3, 1)], start=1)})
w_init = nn.init.normal_(torch.empty(10_000), mean=0.0, std=0.01)  # the listing's default argument
visited = [isinstance(param, nn.Linear) for _, param in listing.named_parameters()]
print(f"the initialisation loop visits {len(visited)} parameters, of which nn.Linear: "
      f"{sum(visited)}; the default w_init is a {type(w_init).__name__}, callable: "
      f"{callable(w_init)}")
print("fc1 biases, meant to be initialised to 1.0:", listing["fc1"].bias.detach().numpy())
a_listing = X_t
for i in range(1, 6):
    a_listing = torch.sigmoid(listing[f"fc{i}"](a_listing))
nn.functional.binary_cross_entropy(a_listing.squeeze(1), y_t).backward()
print("layer   printed as 'gradient': ||W||   the gradient ||dL/dW||")
for name, param in listing.named_parameters():
    if param.dim() == 2:
        print(f"{name:10s} {torch.norm(param).item():24.3f} {param.grad.norm().item():21.2e}")

# %% [markdown]
# Two more numbers: the input and the net input of Nielsen's neuron (with
# $\mathcal N(0, 1/n_\text{in})$ weights), and the forward signal of the ten-layer ReLU stack
# when its weights are small, $\mathcal N(0, 0.01^2)$:

# %%
print(f"Nielsen's neuron: input x mean {x_nielsen.mean():.3f}, std {x_nielsen.std():.3f}; "
      f"net input z mean {z_new.mean():.3f}, std {z_new.std():.3f}")
relu_small = activation_stats(
    deep_net("relu", lambda w, g: nn.init.normal_(w, 0.0, 0.01, generator=g)), X_deep)
print("ReLU, N(0, 0.01²): std of a^(l) at l = 1, 5, 10:",
      " ".join(f"{relu_small[l]['std']:.2e}" for l in (0, 4, 9)))
glue("relu_small_std10", f"{relu_small[9]['std']:.0e}", display=False)

# %% [markdown]
# ```{admonition} What the sources get wrong
# - **"A larger learning rate relieves vanishing gradients."** A blog answer to NNDL 4-9 says
#   yes: a larger rate makes the product of rate and small derivative larger and speeds up the
#   descent, up to the point where gradients explode. This chapter says no
#   ({ref}`sec-09-learning-rate`): the rate scales every layer's step alike, so at the first
#   step the first layer's relative change is {glue:text}`lr_ratio16` times the last layer's for
#   *every* rate (printed, the same to nine digits). The large rates change the last layer by
#   {glue:text}`lr10_first6` and {glue:text}`lr100_first6` times its size in the first step,
#   saturate the top hidden layer within five steps, and leave the first layer moving less
#   than at rate 1 and the loss above its start.
# - **A printout of the weights labelled as gradients.** The NNDL practice chapter's
#   `print_grads` prints `torch.norm(item)` of each weight matrix, not of `item.grad`. The
#   table above shows the two side by side: the printed numbers are the sizes of the weights,
#   not the gradients it draws conclusions about.
# - **An initialisation that is never applied.** The same chapter's model initialises its
#   layers in a loop over `named_parameters()` that tests `isinstance(m, nn.Linear)`: a
#   parameter is a tensor, never a layer, so the test is false for all ten parameters
#   (printed), and the default initialiser it would call is a tensor, not a function. Its
#   $\mathcal N(0, 0.01^2)$ weights, its biases of 1 and the biases of −8 of its dead-ReLU
#   experiment are never set (the `fc1` biases above are torch's defaults): its vanishing
#   gradient and dead-ReLU demonstrations run on torch's default initialisation.
# - **"Initialisation keeps $z$ distributed like the input."** A blog answer to Nielsen's
#   ch. 3 exercise on initialisation says the aim is for $z$ to keep the distribution of the
#   inputs $x$. In Nielsen's example it does not (printed: $x$ has mean 0.5 and standard
#   deviation 0.5, $z$ mean about 0 and standard deviation about 1.2), and need not: the aim
#   is a net input of order 1, where the sigmoid is not saturated.
# - **"Vanishing gradients come from depth and the sigmoid."** A blog overview of network
#   basics names too many layers and the sigmoid as the causes (large initial weights appear
#   only as a cause of *exploding* gradients), and lists other activations, batch
#   normalisation, pre-training and residual connections as remedies. The scale of the weights
#   is a cause of vanishing gradients too: with ReLU units and
#   $\mathcal N(0, 0.01^2)$ weights the signal of the ten-layer stack shrinks to a standard
#   deviation of {glue:text}`relu_small_std10` by layer 10 (printed), and every weight
#   gradient, $\boldsymbol\delta^{(l)}\mathbf a^{(l-1)\top}$, shrinks with it. Xavier and He
#   initialisation, missing from its list of remedies, are the cure for that.
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("09")


# %% [markdown]
# ## Summary
#
# - Back-propagation multiplies the error by one factor $\operatorname{diag}(f')W^\top$ per
#   layer, so gradients shrink or grow geometrically with depth: they *vanish* with saturating
#   activations or small weights and *explode* with large weights.
# - All-zero (or all-equal) weights keep the hidden units identical for ever; random
#   initialisation breaks the symmetry.
# - The scale of the random weights matters, not their distribution: Gaussian and uniform with
#   the same variance behave alike. Nielsen's neuron with $\mathcal N(0,1)$ weights has
#   $\operatorname{sd}(z) = \sqrt{501}$ and is saturated; $\mathcal N(0, 1/n_\text{in})$ gives
#   $\sqrt{3/2}$.
# - $\operatorname{Var}(z) = n_\text{in}\operatorname{Var}(w)\operatorname{Var}(x)$ gives
#   LeCun's $1/n_\text{in}$, Xavier's $2/(n_\text{in}+n_\text{out})$ for $\tanh$ (forward and
#   backward balanced) and He's $2/n_\text{in}$ for ReLU, which zeros half of its inputs.
# - A larger learning rate does not cure vanishing gradients (NNDL 4-9): it scales all
#   layers alike and destabilises the top ones. A per-parameter step size (Adam) does help.
# - Gradient clipping caps the step when a gradient explodes; Leaky ReLU keeps gradients
#   flowing through inactive units, scaled by $\alpha$ per layer; ReLU with He weights, batch
#   normalisation and residual connections keep the gradient from vanishing through twenty
#   layers.
#
# ## References
#
# ```{footbibliography}
# ```
