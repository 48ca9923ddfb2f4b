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
# (ch-xor)=
# # 5. XOR with two ReLU units
#
# XOR, "exclusive or", outputs 1 when exactly one of its two binary inputs is 1. It is the
# smallest classification problem that no straight line can solve, and so the classic proof
# that networks need hidden layers with nonlinear activations {footcite}`minsky1969perceptrons`.
# This chapter proves that a linear network cannot compute XOR, builds by hand a network with
# two ReLU hidden units that does (NNDL {footcite}`qiu2020nndl` exercise 4-2; the same network is
# the worked example of {footcite}`goodfellow2016deep` §6.1), and then asks gradient descent to
# find such a network itself. It often does not: we count, over a hundred random starts, how
# often training succeeds and classify every failure by its cause. Exercise 4-1 of NNDL, on why
# inputs that are always positive slow learning down, is answered by experiment at the end.
#
# **Learning goals.** After this chapter you can
#
# - prove with four inequalities that no linear threshold unit computes XOR, and show it
#   numerically;
# - write down a 2-2-1 ReLU network that computes XOR and explain it as a change of
#   representation: the hidden layer moves the four points so that a line separates them;
# - train many small networks at once by writing back-propagation over a stack of runs;
# - recognise the two ways a tiny ReLU network gets stuck, dead units and points that no hidden
#   unit sees, and say what Leaky ReLU, zero-centred inputs and extra units do about them.

# %%
import numpy as np
import torch
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from myst_nb import glue

from nndl_book.data import make_xor
from nndl_book.engine import MLP, train
from nndl_book.plots import PALETTE, plot_decision_boundary


# %% [markdown]
# ## The XOR problem
#
# The data set is the whole truth table: four points in the plane and their labels.
# `nndl_book.data.make_xor` returns them in the usual order.

# %%
X, y = make_xor()
Y = y.astype(float)
for (x1, x2), label in zip(X, y):
    print(f"x = ({x1:.0f}, {x2:.0f})  ->  XOR = {label}")

# %% [markdown]
# Class 1, the points $(0,1)$ and $(1,0)$, sits on one diagonal of the unit square, class 0 on
# the other. A single straight line would have to cross between the two diagonals, and it cannot.
# The next section makes this precise.
#
# ## A linear network cannot compute XOR
#
# ### Linear layers collapse into one
#
# Chapter {ref}`ch-forward` showed that a stack of linear layers computes a single linear map:
# $W^{(3)}(W^{(2)}(W^{(1)}\mathbf x + \mathbf b^{(1)}) + \mathbf b^{(2)}) + \mathbf b^{(3)}
# = W\mathbf x + \mathbf b$. So a network whose activations are all the identity, however deep,
# classifies with one line $\mathbf w^\top\mathbf x + b = 0$. A quick reminder with a random
# 2-3-3-1 network of the numpy engine:

# %%
deep_linear = MLP([2, 3, 3, 1], activation="identity", rng=0)
(W1, W2, W3), (b1, b2, b3) = deep_linear.weights, deep_linear.biases
b1, b2, b3 = b1 + 0.1, b2 - 0.2, b3 + 0.3  # give the biases non-zero values
deep_linear = MLP.from_weights([W1, W2, W3], [b1, b2, b3], activation="identity")
w_one = W3 @ W2 @ W1
b_one = W3 @ (W2 @ b1 + b2) + b3
print("one linear map: w =", w_one.ravel(), " b =", b_one)
print("same outputs on the four points:", np.allclose(deep_linear.forward(X), X @ w_one.T + b_one))

# %% [markdown]
# ### No line separates XOR: four inequalities
#
# Take a linear threshold unit, $\hat y = 1$ if $w_1x_1 + w_2x_2 + b > 0$ and $\hat y = 0$
# otherwise. Getting all four points right means
#
# $$
# \begin{aligned}
# (0,0)\mapsto 0:&\quad b \le 0, &\qquad (0,1)\mapsto 1:&\quad w_2 + b > 0,\\
# (1,1)\mapsto 0:&\quad w_1 + w_2 + b \le 0, &\qquad (1,0)\mapsto 1:&\quad w_1 + b > 0.
# \end{aligned}
# $$
#
# Adding the two right-hand inequalities, those of class 1, gives $w_1 + w_2 + 2b > 0$, that
# is $w_1 + w_2 + b > -b \ge 0$ by the inequality of $(0,0)$, which contradicts the inequality
# of $(1,1)$. So no
# $(w_1, w_2, b)$ satisfies all four: at most three of the four points can be right. The argument
# does not care how $w$ and $b$ were found, so it covers every linear network and every
# training method.
#
# ### Numerically: the best line gets three points right
#
# Draw a hundred thousand random lines and count, for each, how many of the four points land on
# the correct side:

# %%
lines = np.random.default_rng(0).normal(size=(100_000, 3))  # columns w1, w2, b
scores = X @ lines[:, :2].T + lines[:, 2]  # (4 points, 100 000 lines)
n_right = ((scores > 0) == (y[:, None] == 1)).sum(axis=0)
for k in range(5):
    print(f"{k} of 4 points right: {np.count_nonzero(n_right == k):6d} lines")

# %% [markdown]
# Not one of the hundred thousand lines gets all four points right; the best get three. The
# other classic linear answer is the least-squares fit of
# $\hat y = \mathbf w^\top\mathbf x + b$ to the labels, which {footcite}`goodfellow2016deep` §6.1
# says is $\mathbf w = \mathbf 0$, $b = \tfrac12$. Recomputed:

# %%
design = np.column_stack([X, np.ones(4)])
coef = np.linalg.lstsq(design, Y, rcond=None)[0]
w_ls, b_ls = np.round(coef[:2], 6) + 0.0, round(coef[2], 6) + 0.0  # + 0.0 turns -0.0 into 0.0
print(f"least squares: w = ({w_ls[0]:.3f}, {w_ls[1]:.3f}), b = {b_ls:.3f}")
print("fitted outputs:", np.round(design @ coef, 6) + 0.0)

# %% [markdown]
# The book is right: the best linear fit ignores the input and predicts $\tfrac12$ everywhere,
# which is no classifier at all. A linear *network* trained by gradient descent with the
# cross-entropy loss ends in the same place. Here is the engine's 2-2-1 network with identity
# activations trained for 2000 epochs; its loss goes to $\log 2$, the loss of answering
# "probability ½" for every point:

# %%
linear_net = MLP([2, 2, 1], activation="identity", rng=0)
history = train(linear_net, X, y, loss="binary_cross_entropy_with_logits", lr=0.5, epochs=2000)
print(f"final loss {history.train_loss[-1]:.4f}   (log 2 = {np.log(2):.4f})")
print(f"largest |output logit| on the four points: {np.abs(linear_net.forward(X)).max():.4f}")

# %% [markdown]
# ## Two ReLU units are enough
#
# Put one hidden layer of two ReLU units in front of the output:
#
# $$ h_1 = \mathrm{ReLU}(x_1 + x_2), \qquad h_2 = \mathrm{ReLU}(x_1 + x_2 - 1), \qquad
#    \hat y = h_1 - 2h_2 . $$
#
# In matrix form $W^{(1)} = \begin{pmatrix}1&1\\1&1\end{pmatrix}$,
# $\mathbf b^{(1)} = (0, -1)^\top$, $\mathbf w^{(2)} = (1, -2)^\top$, $b^{(2)} = 0$. Both units
# look at the same sum $s = x_1 + x_2$, which counts the ones in the input; $h_1$ switches on at
# $s = 0$, $h_2$ at $s = 1$. For $0 \le s \le 1$ the output is $s$; past $s = 1$ the second unit
# subtracts twice the excess, so the output turns round and comes back down. The network
# computes a tent over $s$, and evaluated on the four inputs, step by step:

# %%
W1_xor = np.array([[1.0, 1.0], [1.0, 1.0]])
b1_xor = np.array([0.0, -1.0])
w2_xor = np.array([1.0, -2.0])
b2_xor = 0.0

Z1 = X @ W1_xor.T + b1_xor  # one row per input, one column per hidden unit
H = np.maximum(Z1, 0.0)
y_hat = H @ w2_xor + b2_xor
print(" x1  x2 |   z1   h1 |   z2   h2 |    y | XOR")
for x, z, h, out, label in zip(X, Z1, H, y_hat, y):
    print(f"{x[0]:3.0f} {x[1]:3.0f} | {z[0]:4.0f} {h[0]:4.0f} | {z[1]:4.0f} {h[1]:4.0f} "
          f"| {out:4.0f} | {label:3d}")

# %% [markdown]
# The outputs are exactly the XOR values, so the network is right at any threshold between 0
# and 1; we classify with $\hat y > \tfrac12$. The package's engine and PyTorch, given the same
# weights, compute the same outputs:

# %%
xor_mlp = MLP.from_weights([W1_xor, w2_xor[None, :]], [b1_xor, np.array([b2_xor])],
                           activation="relu")
torch_net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
with torch.no_grad():
    torch_net[0].weight.copy_(torch.from_numpy(W1_xor))
    torch_net[0].bias.copy_(torch.from_numpy(b1_xor))
    torch_net[2].weight.copy_(torch.from_numpy(w2_xor[None, :]))
    torch_net[2].bias.fill_(b2_xor)
    y_torch = torch_net(torch.from_numpy(X)).numpy().ravel()
print("ours:            ", y_hat)
print("nndl_book engine:", xor_mlp.forward(X).ravel())
print("torch:           ", y_torch)

# %% [markdown]
# ### The hidden layer moves the points
#
# Why does this work when no line can? Look at the four points through the hidden layer's
# eyes, at $(h_1, h_2)$ instead of $(x_1, x_2)$. The right panel of the figure shows them:
# $(0,1)$ and $(1,0)$ land on the *same* hidden point $(1, 0)$, while $(1,1)$ is lifted to
# $(2, 1)$. In hidden space one line, $h_1 - 2h_2 = \tfrac12$, separates the classes. The grey
# bent line is where the *whole* input plane lands: both units see only $s = x_1 + x_2$, so the
# hidden layer folds the plane onto a curve, and the output line cuts that curve twice. Pulled
# back to the input plane (left panel), the two cuts become two parallel boundaries, and class 1
# is the band between them. The dashed lines are where each hidden unit switches on.

# %%
CLASS_COLOURS = (PALETTE[0], PALETTE[1])  # class 0 blue, class 1 vermillion, as in nndl_book.plots
MARKERS = ("o", "s")


def light(colour, amount=0.75):
    """``colour`` mixed with white (``amount`` 1 gives white)."""
    rgb = np.array(to_rgb(colour))
    return tuple(rgb + (1 - rgb) * amount)


def relu_net(points, b_h2, v_h2):
    """Hidden activations (m, 2) and output (m,) of the network with h2's bias and weight set."""
    h = np.maximum(points @ W1_xor.T + np.array([0.0, b_h2]), 0.0)
    return h, h @ np.array([1.0, v_h2])


def xor_picture(b_h2=-1.0, v_h2=-2.0, frame=False):
    """Input space (left) and hidden space (right) of h1 = ReLU(x1+x2), h2 = ReLU(x1+x2+b_h2),
    y = h1 + v_h2 * h2, class 1 where y > 1/2. Returns the figure and the accuracy.

    ``frame=True`` gives the smaller, fixed layout of the explorer's frames (quicker to render).
    """
    H4, out4 = relu_net(X, b_h2, v_h2)
    accuracy = float(np.mean((out4 > 0.5) == (y == 1)))
    if frame:
        fig = Figure(figsize=(7.6, 3.3))
        fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.92, wspace=0.2)
    else:
        fig = Figure(figsize=(8.4, 3.6), layout="constrained")
    ax_in, ax_h = fig.subplots(1, 2)
    fill = [light(c) for c in CLASS_COLOURS]

    g = np.linspace(-0.5, 1.5, 201)
    G1, G2 = np.meshgrid(g, g)
    out_grid = relu_net(np.column_stack([G1.ravel(), G2.ravel()]), b_h2, v_h2)[1].reshape(G1.shape)
    ax_in.contourf(G1, G2, out_grid > 0.5, levels=[-0.5, 0.5, 1.5], colors=fill)
    if out_grid.min() < 0.5 < out_grid.max():
        ax_in.contour(G1, G2, out_grid, levels=[0.5], colors="black", linewidths=1.5)
    for offset, name in [(0.0, "$z_1 = 0$"), (b_h2, "$z_2 = 0$")]:
        s0 = -offset  # unit switches on where x1 + x2 = -offset
        ax_in.plot([s0 + 0.5, s0 - 1.5], [-0.5, 1.5], ls="--", color="0.4", lw=1)
        ax_in.annotate(name, (min(s0 + 0.45, 1.45), max(-0.45, s0 - 1.45)), fontsize=8,
                       color="0.3", ha="right")
    ax_in.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", ylabel="$x_2$",
              title="input space", aspect="equal")

    s = np.linspace(-1.0, 3.0, 400)  # the plane maps onto this curve: it depends on x1 + x2 only
    curve = np.maximum(np.column_stack([s, s + b_h2]), 0.0)
    top = max(1.9, H4[:, 1].max() + 0.4)  # room above the highest hidden point
    hg1, hg2 = np.meshgrid(np.linspace(-0.3, 2.6, 160), np.linspace(-0.3, top, 160))
    out_h = hg1 + v_h2 * hg2
    ax_h.contourf(hg1, hg2, out_h > 0.5, levels=[-0.5, 0.5, 1.5], colors=fill)
    if out_h.min() < 0.5 < out_h.max():
        ax_h.contour(hg1, hg2, out_h, levels=[0.5], colors="black", linewidths=1.5)
    ax_h.plot(curve[:, 0], curve[:, 1], color="0.45", lw=2, alpha=0.7, zorder=1)
    names = {}
    for x, hpt in zip(X, H4):
        names.setdefault(tuple(np.round(hpt, 6)), []).append(f"({x[0]:.0f},{x[1]:.0f})")
    for (h1, h2), text in names.items():
        ax_h.annotate(", ".join(text), (h1, h2), xytext=(6, 6), textcoords="offset points",
                      fontsize=8)
    ax_h.set(xlim=(-0.3, 2.6), ylim=(-0.3, top), xlabel="$h_1$", ylabel="$h_2$",
             title="hidden space", aspect="equal")

    for k in (0, 1):
        for ax, pts in [(ax_in, X[y == k]), (ax_h, H4[y == k])]:
            ax.scatter(pts[:, 0], pts[:, 1], s=70, color=CLASS_COLOURS[k], marker=MARKERS[k],
                       edgecolors="white", linewidths=1, zorder=3, label=f"class {k}")
    ax_in.legend(loc="upper right", fontsize=8, framealpha=0.9)
    return fig, accuracy


fig_design, _ = xor_picture()
fig_design

# %% [markdown]
# This is the whole trick of hidden layers in miniature: the first layer computes a new
# representation in which the problem *is* linearly separable, and the output unit is again just
# a line. The hidden units must be nonlinear for the trick to work, because a linear hidden layer
# could only move the four points by an affine map, which keeps the two diagonals crossing.
#
# ## Training a 2-2-1 ReLU network
#
# The weights above were designed. Can gradient descent find such weights on its own, from a
# random start? To see how often it does we train the 2-2-1 ReLU network from many random
# initialisations, for several learning rates, losses and initialisers. That is thousands of
# training runs, each on the same four points, so we write the training loop once for a whole
# stack of runs.
#
# ### Back-propagation for a stack of runs
#
# For one run with $H$ hidden units, input $\mathbf x_n$ and label $y_n$ ($n = 1,\dots,4$), the
# forward pass is
#
# $$ \mathbf z_n = W^{(1)}\mathbf x_n + \mathbf b^{(1)}, \qquad \mathbf h_n = f(\mathbf z_n),
#    \qquad \hat y_n = \mathbf w^{(2)\top}\mathbf h_n + b^{(2)}, $$
#
# with $f$ the ReLU, and the loss is the mean over the four points of the binary cross-entropy
# of the logit $\hat y_n$, or of the squared error $(\hat y_n - y_n)^2$. Back-propagation
# (NNDL §4.4) starts from the error of the output,
#
# $$ \delta_n = \frac{\partial L}{\partial \hat y_n} = \tfrac14\big(\sigma(\hat y_n) - y_n\big)
#    \quad\text{(cross-entropy)}, \qquad \delta_n = \tfrac14 \cdot 2(\hat y_n - y_n)
#    \quad\text{(MSE)}, $$
#
# passes it back through the output weights and the ReLU,
# $\boldsymbol\delta^{(1)}_n = f'(\mathbf z_n) \odot \mathbf w^{(2)}\,\delta_n$, and sums over
# the points:
#
# $$ \frac{\partial L}{\partial \mathbf w^{(2)}} = \sum_n \delta_n \mathbf h_n, \quad
#    \frac{\partial L}{\partial b^{(2)}} = \sum_n \delta_n, \quad
#    \frac{\partial L}{\partial W^{(1)}} = \sum_n \boldsymbol\delta^{(1)}_n \mathbf x_n^\top, \quad
#    \frac{\partial L}{\partial \mathbf b^{(1)}} = \sum_n \boldsymbol\delta^{(1)}_n . $$
#
# To train $S$ runs at once, every parameter gets a leading axis of length $S$: `W1` has shape
# `(S, H, 2)`, `b1` `(S, H)`, `w2` `(S, H)`, `b2` `(S,)`. The activations are stored as
# `(S, H, 4)`, one column per point as in NNDL. The code is the formulas above with the sums
# over points written as `.sum(axis=2)`. It uses only element-wise arithmetic, no matrix
# products, so the results do not depend on the order in which a linear-algebra library adds
# up its terms. The initial weights come from the engine's `MLP`, seed by seed, so that run `s`
# starts exactly where `MLP([2, H, 1], "relu", init=..., rng=s)` starts, with zero biases.

# %%
def init_runs(seeds, init="xavier_uniform", hidden=2):
    """Initial parameters of one 2-H-1 network per seed, stacked along a leading run axis."""
    nets = [MLP([2, hidden, 1], "relu", init=init, rng=s) for s in seeds]
    return {"W1": np.stack([m.weights[0] for m in nets]),
            "b1": np.stack([m.biases[0] for m in nets]),
            "w2": np.stack([m.weights[1][0] for m in nets]),
            "b2": np.stack([m.biases[1][0] for m in nets])}


def forward_runs(p, X, alpha=0.0):
    """Pre-activations Z1 and activations A1, shape (S, H, N), and outputs, shape (S, N).

    ``alpha`` is the slope for z <= 0: 0 for ReLU, e.g. 0.1 for Leaky ReLU, 1 for a linear net.
    """
    W1 = p["W1"]
    Z1 = W1[:, :, :1] * X[:, 0] + W1[:, :, 1:] * X[:, 1] + p["b1"][:, :, None]  # w1 x1 + w2 x2 + b
    A1 = np.where(Z1 > 0, Z1, alpha * Z1)
    out = (p["w2"][:, :, None] * A1).sum(axis=1) + p["b2"][:, None]
    return Z1, A1, out


def gradients_runs(p, X, Y, loss="bce", alpha=0.0):
    """Gradients of the mean loss over the N points for every run, same shapes as ``p``."""
    Z1, A1, out = forward_runs(p, X, alpha)
    if loss == "bce":  # binary cross-entropy of the logit `out`
        delta = (1.0 / (1.0 + np.exp(-out)) - Y) / len(X)
    else:  # mean squared error
        delta = 2.0 * (out - Y) / len(X)
    delta1 = np.where(Z1 > 0, 1.0, alpha) * p["w2"][:, :, None] * delta[:, None, :]
    dW1 = [(delta1 * X[:, d]).sum(axis=2) for d in range(2)]  # sum over the points
    return {"W1": np.stack(dW1, axis=2),
            "b1": delta1.sum(axis=2),
            "w2": (A1 * delta[:, None, :]).sum(axis=2),
            "b2": delta.sum(axis=1)}


def train_runs(p, X, Y, lr, epochs, loss="bce", alpha=0.0):
    """Full-batch gradient descent for every run; ``lr`` a number or one per run."""
    p = {k: v.copy() for k, v in p.items()}
    lr = np.broadcast_to(np.asarray(lr, dtype=float), p["b2"].shape)
    lrs = {k: lr.reshape(lr.shape + (1,) * (v.ndim - 1)) for k, v in p.items()}
    with np.errstate(all="ignore"):  # a diverging run may overflow; it is counted, not fatal
        for _ in range(epochs):
            grads = gradients_runs(p, X, Y, loss, alpha)
            for k in p:
                p[k] -= lrs[k] * grads[k]
    return p


def accuracy_runs(p, X, Y, loss="bce", alpha=0.0):
    """Fraction of the N points each run classifies correctly, shape (S,)."""
    out = forward_runs(p, X, alpha)[2]
    threshold = 0.0 if loss == "bce" else 0.5  # logit > 0, or output > 1/2 for MSE
    return ((out > threshold) == (Y > 0.5)).mean(axis=1)


# %% [markdown]
# ### Checked against nndl_book and torch
#
# Run `s` of the stack must follow exactly the trajectory of the engine's `train` from the same
# seed. We train seeds 0 to 4 both ways for 300 epochs and compare every parameter; then we
# compare our gradients at the end with torch autograd on the same five networks.

# %%
check_seeds = range(5)
ours = train_runs(init_runs(check_seeds), X, Y, lr=0.5, epochs=300)
largest = 0.0
for i, s in enumerate(check_seeds):
    net = MLP([2, 2, 1], "relu", init="xavier_uniform", rng=s)
    train(net, X, y, loss="binary_cross_entropy_with_logits", lr=0.5, epochs=300)
    engine = [net.weights[0], net.biases[0], net.weights[1][0], net.biases[1]]
    largest = max(largest, *(np.abs(e - ours[k][i]).max() for e, k in zip(engine, ours)))
print("engine train and train_runs agree to 1e-12:", largest < 1e-12)

grads = gradients_runs(ours, X, Y, loss="bce")
largest = 0.0
for i in range(len(check_seeds)):
    params = {k: torch.tensor(v[i], requires_grad=True) for k, v in ours.items()}
    z = torch.from_numpy(X) @ params["W1"].T + params["b1"]
    logit = torch.relu(z) @ params["w2"] + params["b2"]
    torch.nn.functional.binary_cross_entropy_with_logits(logit, torch.from_numpy(Y)).backward()
    largest = max(largest, *(np.abs(params[k].grad.numpy() - grads[k][i]).max() for k in params))
print("gradients agree with torch autograd to 1e-12:", largest < 1e-12)

# %% [markdown]
# ### How often does training succeed?
#
# Now the experiment: seeds 0 to 99, three initialisers (Xavier uniform
# {footcite}`glorot2010understanding`, He uniform {footcite}`he2015delving` and the standard
# normal; {ref}`ch-initialisation` explains them), two losses, three learning rates, 1000
# epochs of full-batch gradient descent each. A run *succeeds* if it classifies all four points
# correctly at the end. All runs of one loss (three initialisers × three learning rates × 100
# seeds) go into a single stack.

# %%
SEEDS = range(100)
INITS = ["xavier_uniform", "he_uniform", "normal"]
LRS = [0.1, 0.5, 1.0]
EPOCHS = 1000

start = {}  # initial parameters, 900 runs: init (outer) x learning rate x seed (inner)
for init in INITS:
    one = init_runs(SEEDS, init)
    for k, v in one.items():
        start.setdefault(k, []).extend([v] * len(LRS))
start = {k: np.concatenate(v) for k, v in start.items()}
lr_of_run = np.tile(np.repeat(LRS, len(SEEDS)), len(INITS))

trained = {loss: train_runs(start, X, Y, lr_of_run, EPOCHS, loss) for loss in ("bce", "mse")}
success = {loss: (accuracy_runs(p, X, Y, loss) == 1).reshape(len(INITS), len(LRS), len(SEEDS))
           for loss, p in trained.items()}

print(f"runs that classify all four points after {EPOCHS} epochs (out of {len(SEEDS)} seeds)")
print(f"{'initialiser':15s} {'loss':4s}" + "".join(f"  lr={lr:<4}" for lr in LRS))
for i, init in enumerate(INITS):
    for loss, name in [("bce", "BCE"), ("mse", "MSE")]:
        print(f"{init:15s} {name:4s}" + "".join(f"  {n:7d}" for n in success[loss][i].sum(axis=1)))

# %% tags=["remove-cell"]
glue("rate_default", f"{success['bce'][0, 1].mean():.0%}", display=False)
glue("rate_best", f"{max(s.mean(axis=2).max() for s in success.values()):.0%}", display=False)
glue("rate_mse_big", f"{success['mse'][:, 2].mean():.0%}", display=False)
glue("rate_mse_small", f"{success['mse'][0, 0].mean():.0%}", display=False)

# %% [markdown]
# Two results stand out. First, the 2-2-1 ReLU network is *hard* to train on XOR: with the
# cross-entropy loss and Xavier initialisation only {glue:text}`rate_default` of the seeds
# succeed, and no setting in the table does better than {glue:text}`rate_best`. Second, for the
# cross-entropy loss the learning rate and the scale of the initial weights hardly matter; the
# columns are almost equal, and Xavier and He, which draw the same random signs at different
# scales, give almost the same row. Whatever decides success is mostly settled by the *signs* of
# the initial weights, not by the step size. The squared error behaves differently: with Xavier
# initialisation and $\eta = 0.1$ it succeeds in {glue:text}`rate_mse_small` of the runs, a
# little more than the cross-entropy, but the rate falls as the learning rate grows, and with
# $\eta = 1$ it is {glue:text}`rate_mse_big` for every initialiser. Why?
#
# ### Why runs fail
#
# The backward pass says it. If a hidden unit has $z_j \le 0$ on all four points, then
# $f'(z_j) = 0$ for all of them, so every gradient of its incoming weights and bias is zero, and
# so is the gradient of its output weight (its activation is 0). Such a **dead unit**
# ({ref}`sec-dead-relu`) never
# changes again, and the network that is left has one hidden unit. One ReLU unit cannot compute
# XOR: $\hat y = v\,\mathrm{ReLU}(\mathbf w^\top\mathbf x + c) + b$ is a monotone function of one
# linear score $\mathbf w^\top\mathbf x$, so the set where $\hat y > 0$ is again a half-plane.
#
# A unit can also be alive and still useless for some points. If one point of each class has
# every hidden unit switched off, both points get the output $b^{(2)}$ alone and nothing in the
# network can tell them apart: gradient descent sets $b^{(2)}$ to a compromise, the gradients
# from these points to the hidden weights are zero, and the loss stops on a plateau. We call this
# a **blind pair**. Finally, if both units are on at all four points, the network is linear on
# the data; like the linear network above, it can then do no better than the constant logit 0
# (loss $\log 2$), and that point is stationary. The function
# below puts every run into the first of these classes that applies:

# %%
CAUSES = ["success", "dead at start", "died in training", "blind pair", "linear", "other"]


def causes_of(p_start, p_end, loss="bce", alpha=0.0, inputs=X):
    """The cause of each run's result, one of CAUSES (``alpha=0``: ReLU)."""
    Z1_start = forward_runs(p_start, inputs, alpha)[0]
    Z1 = forward_runs(p_end, inputs, alpha)[0]
    off = Z1 <= 0                                   # (S, H, 4): unit off at a point
    dead_now = off.all(axis=2).any(axis=1)          # some unit off at all four points
    dead_start = (Z1_start <= 0).all(axis=2).any(axis=1)
    unseen = off.all(axis=1)                        # (S, 4): no unit on at the point
    blind = unseen[:, Y == 1].any(axis=1) & unseen[:, Y == 0].any(axis=1)
    one_side = (off.all(axis=2) | (~off).all(axis=2)).all(axis=1)  # no unit bends the data
    ok = accuracy_runs(p_end, inputs, Y, loss, alpha) == 1
    relu = alpha == 0.0
    return np.select(
        [ok, relu & dead_now & dead_start, relu & dead_now, blind, one_side],
        CAUSES[:5], default="other")


def take(p, runs):
    """The runs ``runs`` (a slice or index array) of a stack of parameters."""
    return {k: v[runs] for k, v in p.items()}


def cause_table(rows):
    """Print one line of counts per (label, causes) pair."""
    header = {"dead at start": "dead start", "died in training": "died"}
    print(f"{'setting':24s}" + "".join(f"{header.get(c, c):>11s}" for c in CAUSES))
    for label, causes in rows:
        print(f"{label:24s}" + "".join(f"{np.count_nonzero(causes == c):11d}" for c in CAUSES))


n = len(SEEDS)
causes = {loss: causes_of(start, p, loss) for loss, p in trained.items()}
rows = [(f"ReLU, {name}, lr {lr}", causes[loss][j * n:(j + 1) * n])  # the Xavier runs
        for loss, name in [("bce", "BCE"), ("mse", "MSE")] for j, lr in enumerate(LRS)]
print("result of each run, Xavier-uniform initialisation, seeds 0-99")
cause_table(rows)

# %%
def dead_at_start(init):
    """How many of the seeds start with a unit that is off at all four points."""
    Z1 = forward_runs(init_runs(SEEDS, init), X)[0]
    return np.count_nonzero((Z1 <= 0).all(axis=2).any(axis=1))


print(f"probability that at least one of two units is dead at the start: {1 - 0.75**2:.4f}")
for init in INITS:
    print(f"{init:15s} seeds 0-99 with a dead unit at the start: {dead_at_start(init)}")
glue("p_dead", f"{1 - 0.75**2:.4f}", display=False)
glue("n_dead_xavier", f"{dead_at_start('xavier_uniform')}", display=False)
glue("n_dead_normal", f"{dead_at_start('normal')}", display=False)

# %% [markdown]
# The single run in the column "other" ($\eta = 0.1$) has not settled when the 1000 epochs end.
# Trained for 2000 more, it becomes:

# %%
other = np.flatnonzero(causes["bce"] == "other")
longer = train_runs(take(trained["bce"], other), X, Y, lr_of_run[other], 2000)
for i, cause in zip(other, causes_of(take(start, other), longer)):
    print(f"run {i} (seed {i % len(SEEDS)}) after 3000 epochs: {cause}")

# %% [markdown]
# Every failure has a cause, and the biggest one is there before training begins. The engine
# starts the biases at zero, so at the start unit $j$ computes $z_j = w_{j1}x_1 + w_{j2}x_2$:
# $0$, $w_{j2}$, $w_{j1}$ and $w_{j1} + w_{j2}$ on the four points. If both weights are negative
# the unit is dead from the first step. With weights drawn symmetrically about zero that has
# probability $\tfrac14$ for each unit, and probability $1 - (\tfrac34)^2 =$
# {glue:text}`p_dead` that at least one of the two units is dead. The Xavier seeds have
# {glue:text}`n_dead_xavier` such runs out of 100, and so do the He seeds, which draw the same
# signs; the normal initialiser draws other signs and has {glue:text}`n_dead_normal`, which is
# why its row is worse. No learning rate can rescue these runs, which is why the columns of the
# first table are so alike. Units also die *during* training, when a large step pushes a unit
# off at all four points. With the cross-entropy the column "died" hardly moves with the
# learning rate; with the squared error it grows quickly, because its error signal
# $2(\hat y - y)$ grows without bound, while the cross-entropy's $\sigma(\hat y) - y$ stays
# between $-1$ and $1$. (Chapter 3 of
# {footcite}`nielsen2015nndl` compares the two losses for a sigmoid output, where the squared
# error's gradient carries an extra factor $\sigma'(z)$ and learning slows down; here the output
# is a raw logit, and the difference shows in the size of the steps instead.) The remaining
# failures are blind pairs and linear networks: plateaus where the gradient (nearly) vanishes
# although the loss is far from its minimum.
#
# Here is the decision function of a success next to a dead-unit failure and a blind pair, for
# the cross-entropy runs with $\eta = 0.5$ (the colour is the output logit; the black line is
# where it crosses zero):

# %%
runs_05 = take(trained["bce"], slice(n, 2 * n))  # Xavier, BCE, lr 0.5
causes_05 = causes["bce"][n:2 * n]
examples = [(c, int(np.flatnonzero(causes_05 == c)[0]))
            for c in ("success", "dead at start", "blind pair")]


def run_as_mlp(p, i):
    """Run ``i`` of a stack as an engine MLP, to draw its decision function."""
    return MLP.from_weights([p["W1"][i], p["w2"][i][None, :]], [p["b1"][i], p["b2"][i:i + 1]],
                            activation="relu")


fig_runs = Figure(figsize=(10.5, 3.4), layout="constrained")
for ax, (cause, seed) in zip(fig_runs.subplots(1, 3), examples):
    net = run_as_mlp(runs_05, seed)
    plot_decision_boundary(net.forward, X, y, probability=False, resolution=120, ax=ax,
                           title=f"seed {seed}: {cause}")
    for k in (0, 1):  # the four points, larger than plot_decision_boundary draws them
        ax.scatter(*X[y == k].T, s=70, color=CLASS_COLOURS[k], marker=MARKERS[k],
                   edgecolors="white", linewidths=1, zorder=4)
    ax.set_aspect("equal")
fig_runs

# %%
print("at the points (0,0), (0,1), (1,0), (1,1): unit on (1) or off (0), and output logit")
for cause, seed in examples:
    Z1_run, _, out_run = forward_runs(take(runs_05, [seed]), X)
    pattern = ["".join("1" if on else "0" for on in row) for row in Z1_run[0] > 0]
    print(f"seed {seed:2d} ({cause:13s}): h1 {pattern[0]}, h2 {pattern[1]}, logits "
          + ", ".join(f"{round(v, 2) + 0.0:6.2f}" for v in out_run[0])  # + 0.0: no "-0.00"
          + f";  b2 = {round(runs_05['b2'][seed], 2) + 0.0:.2f}")

# %% [markdown]
# The on/off patterns printed under the figure explain the pictures. In the success the two
# units switch on at different sets of points, so the network has two kinks where it needs them
# and draws two boundaries, like the designed network (here they run parallel to the diagonal
# through $(0,0)$ and $(1,1)$ and enclose class 0). In the dead-unit failure one pattern is
# `0000`: a single ReLU is left to separate the four points, its boundary near them is one line,
# and three points are right (one logit has the wrong sign). (The dead unit is off at the four
# points, not everywhere: far from the data it may switch on and bend the boundary.)
# In the blind pair, $(0,0)$ and $(1,0)$ are off for both units, so both get the same logit,
# $b^{(2)}$, close to 0: they sit on the boundary, and one of them must be wrong.
#
# ### Leaky ReLU on the same seeds
#
# Leaky ReLU {footcite}`maas2013leaky`, $f(z) = z$ for $z > 0$ and $\alpha z$ otherwise, never
# has a zero derivative, so no unit can die: a unit that is off at every point still receives
# the gradient, multiplied by $\alpha$. `train_runs` takes the slope as `alpha`. Same seeds,
# same initial weights, cross-entropy and $\eta = 0.5$; the failure classes are the same, except
# that "dead" no longer applies:

# %%
start_x = init_runs(SEEDS)
leaky_001 = train_runs(start_x, X, Y, 0.5, EPOCHS, alpha=0.01)
leaky_001_long = train_runs(leaky_001, X, Y, 0.5, 2000, alpha=0.01)  # 2000 epochs more
leaky_01 = train_runs(start_x, X, Y, 0.5, EPOCHS, alpha=0.1)
rows = [("ReLU, 1000 epochs", causes_05),
        ("leaky 0.01, 1000 epochs", causes_of(start_x, leaky_001, alpha=0.01)),
        ("leaky 0.01, 3000 epochs", causes_of(start_x, leaky_001_long, alpha=0.01)),
        ("leaky 0.1, 1000 epochs", causes_of(start_x, leaky_01, alpha=0.1))]
cause_table(rows)
dead = np.isin(causes_05, ["dead at start", "died in training"])
stuck = np.isin(causes_05, ["blind pair", "linear"])
print("\nsuccesses among the runs that failed with ReLU because")
print(f"{'':24s}{f'a unit died ({dead.sum()})':>20s}{f'blind or linear ({stuck.sum()})':>24s}")
for label, c in rows[1:]:
    print(f"{label:24s}{np.sum(c[dead] == 'success'):20d}{np.sum(c[stuck] == 'success'):24d}")
leaky = {label: np.mean(c == "success") for label, c in rows}
glue("rate_leaky01", f"{leaky['leaky 0.1, 1000 epochs']:.0%}", display=False)
glue("rate_leaky001", f"{leaky['leaky 0.01, 1000 epochs']:.0%}", display=False)
glue("rate_leaky001_long", f"{leaky['leaky 0.01, 3000 epochs']:.0%}", display=False)

# %% [markdown]
# With $\alpha = 0.1$ the success rate rises to {glue:text}`rate_leaky01`, and the second
# table shows where the gain comes from: most runs that had a dead unit now revive it and
# succeed. With $\alpha = 0.01$ the gradient that revives a unit is ten times weaker, so the rate
# is {glue:text}`rate_leaky001` after 1000 epochs and still climbing, to
# {glue:text}`rate_leaky001_long` after 3000. None of the ReLU runs that were blind pairs or
# linear is rescued: those are plateaus, and a small slope does not lift the network off them
# (on a linear network, where every unit is on at every point, the slope plays no role at all).
# (For Leaky ReLU a point in the "blind pair" column is not strictly blind: it still sees the
# units through the slope $\alpha$, only weakly, which is why at $\alpha = 0.01$ some of these
# runs escape between epoch 1000 and epoch 3000.) A wider hidden layer helps more still
# ({ref}`ex-05-width`).
#
# ## Explore: moving the second hidden unit
#
# The explorer rebuilds the two pictures of the hand-designed network while you change two of
# its weights: the bias $b_2$ of the second hidden unit (designed: $-1$) and its output weight
# $v_2$ (designed: $-2$), so that $h_2 = \mathrm{ReLU}(x_1 + x_2 + b_2)$ and
# $\hat y = h_1 + v_2 h_2$, classified at $\hat y > \tfrac12$. Watch the hidden point of $(1,1)$
# move, and the output line $h_1 + v_2 h_2 = \tfrac12$ turn about the point $(\tfrac12, 0)$ of
# hidden space (the output has no bias, so the line always passes through it). Some settings to
# try:
#
# - $v_2 = 0$ switches the second unit off, as if it were dead: one boundary line, three points
#   right.
# - $b_2 = 0$ makes the two units identical; the bent curve becomes a straight line through the
#   origin and no $v_2$ separates the classes.
# - $b_2 = -0.5$ switches $h_2$ on already at $(0,1)$ and $(1,0)$. Class 1 then needs
#   $1 + 0.5\,v_2 > \tfrac12$, that is $v_2 > -1$, while $(1,1)$ needs
#   $2 + 1.5\,v_2 \le \tfrac12$, that is $v_2 \le -1$: no $v_2$ works.
# - $b_2 = -1.5$ switches $h_2$ on late, only at $(1,1)$, where $h_2 = \tfrac12$, so it must
#   pull down hard: $(1,1)$ needs $2 + 0.5\,v_2 \le \tfrac12$, that is $v_2 \le -3$.

# %%
from nndl_book.widgets import Control, Explorer


def explore_hidden(b_h2, v_h2):
    fig, acc = xor_picture(b_h2, v_h2, frame=True)
    out4 = relu_net(X, b_h2, v_h2)[1]
    return fig, {"accuracy": f"{acc:.0%}",
                 "outputs at (0,0), (0,1), (1,0), (1,1)": ", ".join(f"{v:.2f}" for v in out4)}


explorer = Explorer(
    explore_hidden,
    [
        Control("b_h2", [-1.5, -1.0, -0.5, 0.0], label="bias of h₂, b₂",
                live_values=[-2.0, -1.75, -1.5, -1.25, -1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5]),
        Control("v_h2", [-4.0, -2.5, -2.0, 0.0], label="output weight of h₂, v₂",
                live_values=[-4.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0]),
    ],
    title="The hidden layer of the XOR network",
    defaults={"b_h2": -1.0, "v_h2": -2.0},
)
explorer

# %% [markdown]
# ## Exercises
#
# ```{exercise} NNDL 4-2
# :label: ex-05-nndl-4-2
# Design a feedforward network with two inputs, one hidden layer of two ReLU units and one
# output unit that computes XOR, and check it on all four inputs. Then find a second, different
# set of weights that also works.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (your weights (W1, b1, W2, b2) of shapes (2, 2), (2,), (1, 2),
# (1,)), then run it.

# %%
from nndl_book.exercises import check, quiz
answer = (..., ..., ..., ...)  # edit: W1 (2×2), b1 (2,), W2 (1×2), b2 (1,)
check("ex-05-nndl-4-2", answer)


# %% [markdown]
# ```{solution-start} ex-05-nndl-4-2
# :class: dropdown
# ```
#
# The network of this chapter is one answer: $h_1 = \mathrm{ReLU}(x_1 + x_2)$,
# $h_2 = \mathrm{ReLU}(x_1 + x_2 - 1)$, $\hat y = h_1 - 2h_2$, checked in the table above. A
# different idea: XOR of two bits is $|x_1 - x_2|$, and
# $|t| = \mathrm{ReLU}(t) + \mathrm{ReLU}(-t)$. So $h_1 = \mathrm{ReLU}(x_1 - x_2)$,
# $h_2 = \mathrm{ReLU}(x_2 - x_1)$, $\hat y = h_1 + h_2$, all biases zero. Each hidden unit now
# detects one of the two class-1 corners. Checked with the engine:

# %%
abs_net = MLP.from_weights([np.array([[1.0, -1.0], [-1.0, 1.0]]), np.array([[1.0, 1.0]])],
                           [np.zeros(2), np.zeros(1)], activation="relu")
print("outputs:", abs_net.forward(X).ravel(), " XOR:", y)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} NNDL 4-1
# :label: ex-05-nndl-4-1
# For a neuron $\sigma(\mathbf w^\top\mathbf x + b)$ trained by gradient descent, explain why
# learning is slower when the inputs $\mathbf x$ are always positive than when they are
# zero-centred. Check your explanation by experiment.
# ```
#
# ```{solution-start} ex-05-nndl-4-1
# :class: dropdown
# ```
#
# **The sign argument.** For one example the gradient of the loss with respect to $\mathbf w$ is
# $\partial L/\partial \mathbf w = \delta\,\mathbf x$, with $\delta = \partial L/\partial z$ one
# number (for the cross-entropy, $\delta = \sigma(z) - y$). If every $x_d > 0$, every component
# of this gradient has the sign of $\delta$, so each single-example update moves *all* weights
# up together or *all* down together. When the best weights need some up and some down, say
# $\mathbf w^* = (2, -2)$ from $\mathbf w = \mathbf 0$, stochastic gradient descent can only get
# there by zig-zagging. The bias is the weight of the constant input 1, which is also positive.
#
# **The curvature argument.** For a full batch the same thing shows in the Hessian of the loss,
# $\frac1N\sum_n \sigma'(z_n)\,\mathbf x_n\mathbf x_n^\top$: a non-zero mean of $\mathbf x$ adds
# a large eigenvalue along the mean direction. The largest stable learning rate is about
# $2/\lambda_{\max}$, while progress along the flattest direction goes with $\lambda_{\min}$, so
# the number of steps grows with the condition number $\lambda_{\max}/\lambda_{\min}$
# {footcite}`lecun1998efficient`.
#
# **The experiment.** A neuron without bias (so that all its parameters fit in one picture)
# learns soft targets $y_n = \sigma(\mathbf w^{*\top}\mathbf x_n)$, $\mathbf w^* = (2,-2)$, from
# 100 inputs drawn uniformly from a unit square that is centred ($[-\frac12,\frac12]^2$),
# positive ($[0,1]^2$) or shifted further ($[1,2]^2$). The loss is the cross-entropy, which is
# minimised exactly at $\mathbf w^*$. For 20 data seeds and learning rates $0.5, 1, 2, \dots,
# 128$ we count full-batch epochs until $\lVert\mathbf w - \mathbf w^*\rVert < 0.01$, keep the
# best learning rate per seed, and also print the fraction of single-example gradients whose two
# components have the same sign (at $\mathbf w = \mathbf 0$) and the condition number of the
# Hessian at $\mathbf w^*$ (medians over the seeds).

# %%
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


w_star = np.array([2.0, -2.0])
lr_grid = 2.0 ** np.arange(-1, 8)
squares = {"centred [-1/2, 1/2]^2": -0.5, "positive [0, 1]^2": 0.0, "shifted [1, 2]^2": 1.0}
inputs = {name: np.stack([np.random.default_rng(seed).random((100, 2)) + shift
                          for seed in range(20)]) for name, shift in squares.items()}

print(f"{'inputs':23s} {'same-sign':>9s} {'cond(H)':>8s} {'epochs (median, best lr)':>25s}")
for name, Xs in inputs.items():  # Xs: (20 seeds, 100 points, 2)
    ys = sigmoid(Xs @ w_star)
    same_sign = np.mean(Xs[..., 0] * Xs[..., 1] > 0)  # (0.5 - y) x has the signs of x
    curv = ys * (1 - ys)
    hess = np.einsum("sn,sni,snj->sij", curv, Xs, Xs) / Xs.shape[1]
    eig = np.linalg.eigvalsh(hess)
    w = np.zeros((len(Xs), len(lr_grid), 2))  # (seed, learning rate, weight)
    reached = np.full(w.shape[:2], np.inf)
    with np.errstate(all="ignore"):
        for epoch in range(1, 1001):
            err = sigmoid((w[:, :, None, :] * Xs[:, None]).sum(axis=3)) - ys[:, None]
            w -= lr_grid[:, None] * (err[..., None] * Xs[:, None]).mean(axis=2)
            close = np.linalg.norm(w - w_star, axis=2) < 0.01
            reached[close & np.isinf(reached)] = epoch
            if np.isfinite(reached).any(axis=1).all():  # every seed has its best epoch count
                break
    print(f"{name:23s} {same_sign:9.0%} {np.median(eig[:, 1] / eig[:, 0]):8.1f} "
          f"{np.median(reached.min(axis=1)):25.1f}")

# %% [markdown]
# Every single-example gradient of the positive inputs has components of one sign (against
# about half for centred inputs), the condition number grows with the shift, and the best
# achievable number of epochs grows with it. The picture shows the zig-zag directly: stochastic
# gradient descent, one example per step with learning rate 2, from $\mathbf w = \mathbf 0$
# towards $\mathbf w^*$ (the cross), with the loss as contours. With centred inputs the path
# heads almost straight for $\mathbf w^*$; with positive inputs each step points into the first
# or the third quadrant, so the path zig-zags towards it, every step going up-right or down-left.

# %%
fig_zig = Figure(figsize=(8.4, 3.6), layout="constrained")
wg1, wg2 = np.meshgrid(np.linspace(-1, 3.5, 120), np.linspace(-3.5, 1, 120))
for ax, name in zip(fig_zig.subplots(1, 2), list(inputs)[:2]):
    Xd = inputs[name][0]
    yd = sigmoid(Xd @ w_star)
    z = wg1[..., None] * Xd[:, 0] + wg2[..., None] * Xd[:, 1]
    ce = -(yd * np.log(sigmoid(z)) + (1 - yd) * np.log(sigmoid(-z))).mean(axis=2)
    ax.contour(wg1, wg2, ce - ce.min(), levels=np.geomspace(0.002, 0.6, 10), colors="0.6",
               linewidths=0.8)
    w_path = [np.zeros(2)]
    for i in np.random.default_rng(1).integers(0, len(Xd), size=150):
        w_path.append(w_path[-1] - 2.0 * (sigmoid(w_path[-1] @ Xd[i]) - yd[i]) * Xd[i])
    w_path = np.array(w_path)
    ax.plot(w_path[:, 0], w_path[:, 1], "-", color=PALETTE[0], lw=1, marker=".", ms=3)
    ax.plot(*w_star, "X", color=PALETTE[1], ms=10)
    ax.set(xlabel="$w_1$", ylabel="$w_2$", title=f"inputs {name.split()[0]}: 150 SGD steps",
           aspect="equal", xlim=(-1, 3.5), ylim=(-3.5, 1))
fig_zig

# %% [markdown]
# The same effect shows up in the XOR network of this chapter, with an extra twist for ReLU
# units. With inputs in $\{0, 1\}$ and zero initial biases, a unit whose two weights are negative
# is off at all four points and dead from the start. With the zero-centred coding
# $\{-1, 1\}$ the points come in pairs $\mathbf x, -\mathbf x$, so every unit with non-zero
# weights is on at some of them: no unit can start dead. Same seeds, Xavier, cross-entropy,
# $\eta = 0.5$:

# %%
X_pm = 2.0 * X - 1.0
p_pm = train_runs(start_x, X_pm, Y, 0.5, EPOCHS)
cause_table([("inputs {0, 1}", causes_05),
             ("inputs {-1, 1}", causes_of(start_x, p_pm, inputs=X_pm))])

# %% [markdown]
# Centring removes the dead starts and raises the success rate, but every run that still fails
# is now a blind pair: centring fixes the start, not the plateaus.
#
# ```{solution-end}
# ```
#
# ```{exercise} How wide must the hidden layer be?
# :label: ex-05-width
# Train 2-$H$-1 ReLU networks on XOR with $H = 2, 3, 4, 8$ hidden units (seeds 0–99, Xavier,
# cross-entropy, $\eta = 0.5$, 1000 epochs). How does the success rate change, and why? Work out
# the probability that at most one unit is alive at the start, and compare it with the seeds.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function p_few(H) returning the probability that at most one
# of H ReLU units is alive at the start), then run it.

# %%
def my_p_few(H):
    raise NotImplementedError  # edit: return the probability that at most one of H ReLU units is alive at the start

check("ex-05-width", my_p_few)


# %% [markdown]
# ```{solution-start} ex-05-width
# :class: dropdown
# ```
#
# With more units it is less likely that too few are alive, and more likely that some pair of
# units splits the corners the right way. `train_runs` works for any $H$:

# %%
for hidden in (2, 3, 4, 8):
    p0 = init_runs(SEEDS, hidden=hidden)
    ok = accuracy_runs(train_runs(p0, X, Y, 0.5, EPOCHS), X, Y) == 1
    alive = (forward_runs(p0, X)[0] > 0).any(axis=2).sum(axis=1)
    p_few = (1 / 4) ** hidden + hidden * (3 / 4) * (1 / 4) ** (hidden - 1)
    print(f"H = {hidden}: success {np.count_nonzero(ok):3d} of 100;"
          f" runs with at most one live unit at the start {np.count_nonzero(alive <= 1):3d}"
          f" (expected {100 * p_few:5.1f})")

# %% [markdown]
# The probability that at most one of $H$ units is alive is
# $(\tfrac14)^H + H\cdot\tfrac34(\tfrac14)^{H-1}$, printed as "expected": it falls from
# $\tfrac{7}{16}$ for $H = 2$ to almost nothing for $H = 8$, and the seeds follow it. The success
# rate climbs as it falls, and a handful of extra units is the cheapest cure for the failures
# of this chapter.
#
# ```{solution-end}
# ```
#
# ```{exercise} One hidden unit is not enough
# :label: ex-05-one-unit
# Show that a 2-1-1 network $\hat y = v\,\mathrm{ReLU}(\mathbf w^\top\mathbf x + c) + b$ cannot
# compute XOR for any weights, and check it numerically on random weights.
# ```
#
# ```{solution-start} ex-05-one-unit
# :class: dropdown
# ```
#
# $\mathrm{ReLU}$ is non-decreasing, so $\hat y$ is a monotone function of the single score
# $t = \mathbf w^\top\mathbf x$: non-decreasing if $v \ge 0$, non-increasing if $v < 0$. The set
# $\{\hat y > \tfrac12\}$ is therefore $\{t > t_0\}$, $\{t \ge t_0\}$, $\{t < t_0\}$ or
# $\{t \le t_0\}$ for some threshold $t_0$ (or empty, or everything): an open or closed
# half-plane. By the four inequalities (the argument works just as well with $>$ and $\le$
# exchanged) no half-plane classifies XOR.
# Numerically, with a hundred thousand random weight sets:

# %%
params = np.random.default_rng(3).normal(size=(100_000, 5))  # w1, w2, c, v, b
t = X @ params[:, :2].T + params[:, 2]
out = params[:, 3] * np.maximum(t, 0.0) + params[:, 4]
n_right = ((out > 0.5) == (y[:, None] == 1)).sum(axis=0)
print("most points right with one ReLU unit:", n_right.max(), "of 4")

# %% [markdown]
# ```{solution-end}
# ```
#
# ## Checking the sources
#
# A blog answer to NNDL 4-2 solves the exercise by training: a 2-2-1 ReLU network in PyTorch
# with the default initialisation of `nn.Linear`, the mean squared error, plain SGD with
# learning rate 0.01 and 10000 full-batch epochs, without a seed, and one printed run whose
# rounded outputs are 0, 1, 1, 0. Comments in its listing add that the cross-entropy loss
# "gives a dimension error". The stack trainer of this chapter runs the same recipe from the
# initial weights that `nn.Linear` draws for seeds 0 to 99; one seed is first checked against
# torch's own SGD:

# %%
def torch_default_runs(seeds):
    """The initial parameters nn.Linear(2, 2) and nn.Linear(2, 1) draw, one run per seed."""
    runs = []
    for s in seeds:
        torch.manual_seed(s)
        fc1, fc2 = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)
        runs.append({"W1": fc1.weight.detach().numpy().copy(),
                     "b1": fc1.bias.detach().numpy().copy(),
                     "w2": fc2.weight.detach().numpy()[0].copy(),
                     "b2": fc2.bias.detach().numpy()[0].copy()})
    return {k: np.stack([r[k] for r in runs]) for k in runs[0]}


blog_start = torch_default_runs(range(100))

torch.manual_seed(0)  # seed 0 in torch itself, 200 steps of SGD on the MSE
model_blog = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
sgd = torch.optim.SGD(model_blog.parameters(), lr=0.01)
for _ in range(200):
    sgd.zero_grad()
    torch.nn.functional.mse_loss(model_blog(torch.from_numpy(X)),
                                 torch.from_numpy(Y[:, None])).backward()
    sgd.step()
ours_200 = train_runs({k: v[:1] for k, v in blog_start.items()}, X, Y, 0.01, 200, "mse")
print("seed 0 after 200 steps, largest difference from torch SGD:",
      f"{np.abs(ours_200['W1'][0] - model_blog[0].weight.detach().numpy()).max():.1e}")

blog_end = train_runs(blog_start, X, Y, 0.01, 10000, "mse")
rounded_right = (np.round(forward_runs(blog_end, X)[2]) == Y).all(axis=1)
print(f"MSE, lr 0.01, 10000 epochs: rounded outputs equal XOR in {rounded_right.sum()} of 100 "
      f"seeds")
print(f"seed-by-seed, seeds 0-19: {''.join('x' if ok else '.' for ok in rounded_right[:20])}"
      "  (x = solved)")
print("BCEWithLogitsLoss on outputs of shape (4, 1):",
      f"{torch.nn.BCEWithLogitsLoss()(model_blog(torch.from_numpy(X)), torch.from_numpy(Y[:, None])).item():.4f}")
glue("blog_rate", int(rounded_right.sum()), display=False)

# %% [markdown]
# ```{admonition} What the sources get wrong
# :class: warning
#
# - **Training solves XOR with two ReLU units** (a blog answer to NNDL 4-2, shown by one
#   unseeded run). It is a lucky run, not the rule: the same recipe, from the initial weights
#   `nn.Linear` draws for seeds 0 to 99, solves XOR in {glue:text}`blog_rate` of 100 seeds (the
#   output above). The section on how often training succeeds explains the failures: dead units
#   and blind pairs ({ref}`sec-dead-relu`). The designed weights of this chapter, which are also
#   a course homework's answer to the exercise ($h_1 = \mathrm{ReLU}(x_1 + x_2)$,
#   $h_2 = \mathrm{ReLU}(x_1 + x_2 - 1)$, $\hat y = h_1 - 2h_2$), are right and need no luck.
# - **"The cross-entropy loss gives a dimension error"** (the same listing). That is the
#   multi-class `nn.CrossEntropyLoss`, which wants one logit per class and integer labels. For
#   one output unit the binary cross-entropy on the logit is the right loss; it runs on outputs
#   of shape (4, 1) (last line above), and the success table of this chapter trains with it
#   next to the MSE.
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("05")


# %% [markdown]
# ## Summary
#
# - A linear threshold unit gets at most three of the four XOR points right (four inequalities),
#   and a stack of linear layers is one linear unit, so linear networks cannot compute XOR.
# - Two ReLU units suffice: $h_1 = \mathrm{ReLU}(x_1+x_2)$, $h_2 = \mathrm{ReLU}(x_1+x_2-1)$,
#   $\hat y = h_1 - 2h_2$. The hidden layer folds the plane so that a line separates the classes.
# - Gradient descent finds such weights in only a minority of random starts. Every failure has a
#   cause: a dead unit (off at all four points, so its gradients are zero forever, often from
#   the very start), a blind pair (two points of opposite class that no unit sees) or a network
#   that is linear on the data.
# - Leaky ReLU revives dead units, zero-centred inputs prevent dead starts, and extra hidden
#   units make success routine. Positive inputs make all weights of a neuron move together,
#   which slows gradient descent (NNDL exercise 4-1).
#
# ## References
#
# ```{footbibliography}
# ```
