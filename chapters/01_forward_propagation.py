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
# (ch-forward)=
# # 1. Forward propagation
#
# A feedforward network computes its output by passing the input through a chain of simple
# steps: a weighted sum, then a nonlinearity, layer after layer. This chapter writes that chain
# in numpy, first for one neuron, then for a layer, then for a whole batch of inputs at once,
# and checks every result against PyTorch. It follows NNDL {footcite}`qiu2020nndl` §4.1–4.2.
#
# **Learning goals.** After this chapter you can
#
# - compute the output of a neuron, $a = f(\mathbf w^\top \mathbf x + b)$, by hand and in code;
# - write a layer as one matrix product, $\mathbf z^{(l)} = W^{(l)} \mathbf a^{(l-1)} + \mathbf b^{(l)}$,
#   and say the shape of every array in it;
# - work the forward pass of a small network by hand, neuron by neuron, and draw it;
# - push a whole batch through a network with matrix products only, give the shape of every
#   array on the way, and recognise a bias broadcast along the wrong axis;
# - count what a forward pass costs;
# - explain why a stack of linear layers is still one linear map, and why that makes
#   activation functions necessary;
# - build a bump, and from bumps any continuous function, out of sigmoid units: the idea of the
#   universal approximation theorem.

# %%
import numpy as np
import torch

from nndl_book.engine import MLP
from nndl_book.maths.activations import sigmoid

rng = np.random.default_rng(2026)

# %% [markdown]
# ## The neuron
#
# A neuron receives inputs $\mathbf x = (x_1, \dots, x_D)$, weighs them with
# $\mathbf w = (w_1, \dots, w_D)$, adds a bias $b$ and passes the result, the *net input*
#
# $$ z = \sum_{d=1}^{D} w_d x_d + b = \mathbf w^\top \mathbf x + b, $$
#
# through an activation function $f$ to give its *activation* $a = f(z)$. With the logistic
# function $\sigma(z) = 1/(1+e^{-z})$ the neuron outputs a number between 0 and 1.

# %%
x = np.array([0.5, -1.0, 2.0])
w = np.array([0.8, 0.2, -0.4])
b = 0.1

z = w @ x + b
a = 1 / (1 + np.exp(-z))
print(f"z = w.x + b = {z:.4f}")
print(f"a = sigmoid(z) = {a:.4f}")

# %% [markdown]
# The logistic function is also in the package, `nndl_book.maths.activations.sigmoid`, written
# so that it does not overflow for large $|z|$; it agrees with the line above:

# %%
print(f"nndl_book sigmoid(z) = {sigmoid(z):.4f}, difference {abs(sigmoid(z) - a):.1e}")

# %% [markdown]
# ## A layer in matrix form
#
# A layer is $M$ neurons reading the same input. Stack their weight vectors as the rows of a
# matrix $W \in \mathbb R^{M \times D}$ and their biases in $\mathbf b \in \mathbb R^{M}$; then all
# net inputs come out of one matrix product:
#
# $$ \mathbf z = W \mathbf x + \mathbf b, \qquad \mathbf a = f(\mathbf z) \quad\text{(element-wise)}. $$
#
# Row $m$ of $W$ holds the weights *into* neuron $m$. This is also how `torch.nn.Linear` stores its
# weight: shape `(out_features, in_features)`.

# %%
W = rng.normal(size=(4, 3))  # 4 neurons, 3 inputs
b_layer = rng.normal(size=4)
z_layer = W @ x + b_layer
a_layer = sigmoid(z_layer)
print("W shape", W.shape, "| x shape", x.shape, "| z shape", z_layer.shape)
print("a =", a_layer)

# %% [markdown]
# Each entry of $\mathbf z$ is exactly the single-neuron formula applied with one row of $W$:

# %%
one_by_one = np.array([W[m] @ x + b_layer[m] for m in range(4)])
print("largest difference, loop vs matrix:", np.max(np.abs(one_by_one - z_layer)))

# %% [markdown]
# ## A batch as a matrix
#
# To process $N$ examples at once, NNDL puts them side by side as the *columns* of
# $X \in \mathbb R^{D \times N}$. The same product then works for all of them:
#
# $$ Z = W X + \mathbf b \mathbf 1_N^\top, \qquad Z \in \mathbb R^{M \times N}. $$
#
# Column $n$ of $Z$ is the net input for example $n$. (PyTorch and `nndl_book` put examples in
# *rows* instead, $Z^\top = X^\top W^\top + \mathbf b^\top$; it is the same computation transposed.)

# %%
X = rng.normal(size=(3, 5))  # D = 3 features, N = 5 examples as columns
Z = W @ X + b_layer[:, None]
print("Z shape", Z.shape)
print("column 0 of Z equals W x_0 + b:", np.allclose(Z[:, 0], W @ X[:, 0] + b_layer))
print("rows convention gives Z transposed:", np.allclose(X.T @ W.T + b_layer, Z.T))

# %% [markdown]
# ## The 2→3→2→1 network
#
# Now chain layers. Take a network with two inputs, hidden layers of three and two neurons and
# one output, and for the moment **no biases and no activation functions**:
#
# $$ Z^{(1)} = W^{(1)} X, \qquad Z^{(2)} = W^{(2)} Z^{(1)}, \qquad \hat{\mathbf y} = W^{(3)} Z^{(2)}, $$
#
# with $W^{(1)} \in \mathbb R^{3\times 2}$, $W^{(2)} \in \mathbb R^{2\times 3}$ and
# $W^{(3)} \in \mathbb R^{1\times 2}$. The figure shows the network; every arrow is one weight.

# %%
from nndl_book.plots import plot_network

sizes = [2, 3, 2, 1]
W1 = np.array([[0.2, -0.5], [0.7, 0.1], [-0.3, 0.4]])
W2 = np.array([[0.5, -0.2, 0.3], [-0.6, 0.8, 0.1]])
W3 = np.array([[1.0, -0.7]])
fig = plot_network(sizes, weights=[W1, W2, W3], title="The 2→3→2→1 network (no biases)")
fig

# %% [markdown]
# Forward propagation in numpy, for a batch of four inputs (as columns):

# %%
X = np.array([[0.0, 1.0, 0.0, 1.0],
              [0.0, 0.0, 1.0, 1.0]])
Z1 = W1 @ X
Z2 = W2 @ Z1
y_hat = W3 @ Z2
print("Z1 =\n", Z1)
print("Z2 =\n", Z2)
print("y  =", y_hat)

# %% [markdown]
# ### Checked against PyTorch
#
# `torch.nn.Linear(in, out, bias=False)` computes $\mathbf x W^\top$ for each row $\mathbf x$.
# Copy the same weights into three such layers and feed the batch as rows, $X^\top$:

# %%
net = torch.nn.Sequential(
    torch.nn.Linear(2, 3, bias=False),
    torch.nn.Linear(3, 2, bias=False),
    torch.nn.Linear(2, 1, bias=False),
)
with torch.no_grad():
    for layer, weight in zip(net, [W1, W2, W3]):
        layer.weight.copy_(torch.from_numpy(weight))
    y_torch = net(torch.from_numpy(X.T)).numpy().T
print("torch y =", y_torch)
print("largest difference numpy vs torch:", f"{np.max(np.abs(y_torch - y_hat)):.1e}")

# %% [markdown]
# ### A stack of linear layers is one linear layer
#
# Because matrix products associate, $\hat{\mathbf y} = W^{(3)} (W^{(2)} (W^{(1)} X)) = (W^{(3)} W^{(2)} W^{(1)}) X$.
# The three layers collapse into a single $1\times 2$ matrix:

# %%
W_collapsed = W3 @ W2 @ W1
print("W3 W2 W1 =", W_collapsed)
print("same outputs:", np.allclose(W_collapsed @ X, y_hat))

# %% [markdown]
# However many linear layers we stack, the network can only draw a straight decision line
# through the input plane. That is why every hidden layer applies a nonlinear activation
# function; {ref}`ch-xor` shows the classic consequence, that a linear network cannot compute XOR.
#
# ## Forward propagation in general
#
# With biases and activations, layer $l$ of an $L$-layer network computes
#
# $$ \mathbf z^{(l)} = W^{(l)} \mathbf a^{(l-1)} + \mathbf b^{(l)}, \qquad
#    \mathbf a^{(l)} = f_l\big(\mathbf z^{(l)}\big), \qquad \mathbf a^{(0)} = \mathbf x, $$
#
# and the network's output is $\mathbf a^{(L)}$. Written as a loop over layers:

# %%
def forward(x_rows, weights, biases, f=sigmoid):
    """Forward propagation with rows as examples; identity activation on the output layer."""
    a = x_rows
    for l, (W_l, b_l) in enumerate(zip(weights, biases), start=1):
        z = a @ W_l.T + b_l
        a = z if l == len(weights) else f(z)
    return a


biases = [np.array([0.1, -0.1, 0.05]), np.array([0.2, -0.3]), np.array([0.05])]
y_ours = forward(X.T, [W1, W2, W3], biases)
print("our forward:", y_ours.ravel())

# %% [markdown]
# The package's numpy engine builds the same network from the same arrays, and torch with
# `nn.Linear` layers and `nn.Sigmoid` gives the same numbers:

# %%
mlp = MLP.from_weights([W1, W2, W3], biases, activation="sigmoid")
y_engine = mlp.forward(X.T)

net_b = torch.nn.Sequential(
    torch.nn.Linear(2, 3), torch.nn.Sigmoid(),
    torch.nn.Linear(3, 2), torch.nn.Sigmoid(),
    torch.nn.Linear(2, 1),
)
with torch.no_grad():
    for layer, weight, bias in zip(net_b[::2], [W1, W2, W3], biases):
        layer.weight.copy_(torch.from_numpy(weight))
        layer.bias.copy_(torch.from_numpy(bias))
    y_torch_b = net_b(torch.from_numpy(X.T)).numpy()
print("nndl_book engine:", y_engine.ravel())
print("torch:           ", y_torch_b.ravel())
print("largest difference:", f"{max(np.max(np.abs(y_engine - y_ours)), np.max(np.abs(y_torch_b - y_ours))):.1e}")

# %% [markdown]
# ## The 2→3→2→1 network, worked by hand
#
# Every number the forward pass produces can be written down. Take the network with the
# biases above, sigmoid hidden units and a linear output, and one input, $\mathbf x = (1, 0)$,
# the second column of the batch. Neuron $j$ of layer $l$ computes
# $z^{(l)}_j = \sum_k w^{(l)}_{jk} a^{(l-1)}_k + b^{(l)}_j$ and then
# $a^{(l)}_j = \sigma(z^{(l)}_j)$ (for the output, $a = z$). Each line below is one neuron, with
# its sum written out:

# %%
weights_ex, names = [W1, W2, W3], ["hidden 1", "hidden 2", "output"]
a_prev = X[:, 1]                      # the input x = (1, 0)
zs_by_hand, as_by_hand = [], []
for l, (W_l, b_l, name) in enumerate(zip(weights_ex, biases, names), start=1):
    z_l = np.empty(len(b_l))
    for j in range(len(b_l)):
        terms = " + ".join(f"({W_l[j, k]:g})({a_prev[k]:.4f})" for k in range(len(a_prev)))
        z_l[j] = sum(W_l[j, k] * a_prev[k] for k in range(len(a_prev))) + b_l[j]
        print(f"{name:9s} z{j + 1} = {terms} + ({b_l[j]:g}) = {z_l[j]:.4f}")
    a_l = z_l if l == len(weights_ex) else sigmoid(z_l)
    if l < len(weights_ex):
        print(f"{'':9s} a  = sigmoid(z) = {np.array2string(a_l, precision=4)}")
    zs_by_hand.append(z_l)
    as_by_hand.append(a_l)
    a_prev = a_l
print(f"output y = {as_by_hand[-1][0]:.6f}; our forward for this column gave {y_ours[1, 0]:.6f}")

# %% [markdown]
# The hand computation ends where the loop `forward` ended for this column. The figure puts the
# same computation on the network: every edge is a weight (blue positive, vermillion negative,
# thicker when larger), and every neuron shows its net input $z$ and its activation $a$.

# %%
from matplotlib.figure import Figure

node_text = [[f"x{k + 1}\n{v:g}" for k, v in enumerate(X[:, 1])]]
for z_l, a_l in zip(zs_by_hand, as_by_hand):
    node_text.append([f"z {z:.3f}\na {a:.3f}" for z, a in zip(z_l, a_l)])
fig = Figure(figsize=(7.2, 4.2), layout="constrained")
plot_network(sizes, ax=fig.add_subplot(), weights=[W1, W2, W3], node_labels=node_text,
             weight_labels=True, layer_names=["input", "hidden 1 (σ)", "hidden 2 (σ)",
                                              "output (linear)"],
             title="One forward pass of the 2→3→2→1 network, input (1, 0)")
fig

# %% [markdown]
# Two things to notice. Each hidden activation lies between 0 and 1 whatever its net input,
# while the linear output can take any value. And the pass keeps every $z$ and every $a$: the
# backward pass of {ref}`ch-backprop` needs all of them, which is why a framework's memory use
# grows with the depth and the batch size during training.
#
# ## Batch shapes
#
# For a batch the same pass runs on matrices. With the examples as the columns of $X$, every
# array has one row per neuron and one column per example, except the weights, which have one
# row per neuron of the layer and one column per neuron of the layer below. Recording the
# shapes of a forward pass of the 2→3→2→1 network on $N = 4$ examples, in both conventions:

# %%
def forward_columns(X_cols, weights, biases, f=sigmoid):
    """Forward pass with examples as columns; returns every intermediate array by name."""
    arrays, a_l = {"X": X_cols}, X_cols
    for l, (W_l, b_l) in enumerate(zip(weights, biases), start=1):
        z_l = W_l @ a_l + b_l[:, None]           # b as a column, repeated for every example
        a_l = z_l if l == len(weights) else f(z_l)
        arrays.update({f"W{l}": W_l, f"b{l}[:, None]": b_l[:, None], f"Z{l}": z_l,
                       f"A{l}": a_l})
    return arrays


cols = forward_columns(X, [W1, W2, W3], biases)
print(f"{'array':12s}{'columns (NNDL)':>16s}{'rows: transposed':>18s}")
for name, arr in cols.items():
    rows_shape = arr.T.shape
    print(f"{name:12s}{str(arr.shape):>16s}{str(rows_shape):>18s}")
print("output of forward_columns == our rows forward, transposed:",
      np.allclose(cols["A3"], y_ours.T))

# %% [markdown]
# In the rows convention every array is the transpose of its column version, and the weights
# enter the product as $W^\top$; `torch.nn.Linear` still *stores* $W$, with shape (out, in),
# and transposes it when it multiplies. The rule behind the table: a product $W^{(l)} A^{(l-1)}$ needs the inner sizes to match,
# $(M_l \times M_{l-1})(M_{l-1} \times N)$, and its result has the outer ones. The bias is one
# number per neuron; adding it to every example is *broadcasting*: numpy repeats the column
# $\mathbf b$ across the $N$ columns. The figure shows the first layer of the batch this way,
# with the numbers in every cell:

# %%
from matplotlib.patches import Rectangle

from nndl_book.plots import PALETTE


def draw_matrix(ax, M, x0, title, colour):
    """Draw matrix M as a grid of cells with its entries, left edge at x0; return right edge."""
    rows, columns = M.shape
    for i in range(rows):
        for j in range(columns):
            ax.add_patch(Rectangle((x0 + j, -i - 1), 1, 1, fc=colour, ec="white", lw=1.5))
            ax.text(x0 + j + 0.5, -i - 0.5, f"{M[i, j]:.2f}", ha="center", va="center",
                    fontsize=8)
    ax.text(x0 + columns / 2, 0.35, f"{title}\n{rows}×{columns}", ha="center", va="bottom",
            fontsize=9)
    return x0 + columns


fig = Figure(figsize=(8.4, 2.7), layout="constrained")
ax = fig.add_subplot()
x_pos, left_edge = 0.0, {}
pieces = [(W1, "W⁽¹⁾", "#dbe9f6", "×"), (X, "X", "#e6f2ec", "+"),
          (biases[0][:, None], "b⁽¹⁾", "#fbe3d6", "="), (cols["Z1"], "Z⁽¹⁾", "#eeeeee", "")]
for M, title, colour, sign in pieces:
    left_edge[title] = x_pos
    x_pos = draw_matrix(ax, M, x_pos, title, colour)
    if sign:
        ax.text(x_pos + 0.45, -1.5, sign, ha="center", va="center", fontsize=14)
        x_pos += 0.9
ax.annotate("added to\nevery column", xy=(left_edge["b⁽¹⁾"] + 0.5, -3.1),
            xytext=(left_edge["b⁽¹⁾"] + 0.5, -3.9), ha="center", va="top", fontsize=8,
            color=PALETTE[1], arrowprops={"arrowstyle": "-|>", "color": PALETTE[1]})
ax.set_xlim(-0.3, x_pos + 0.3)
ax.set_ylim(-4.9, 1.4)
ax.set_aspect("equal")
ax.axis("off")
fig

# %% [markdown]
# Broadcasting is also a trap. If the bias is left as a flat vector of shape $(M,)$ instead of
# a column, numpy aligns it with the *last* axis, the examples. With $N \ne M$ and $N > 1$ the
# shapes clash and numpy raises an error, which is the lucky case. With $N = M$ the sum goes
# through and adds $b_j$ to *example* $j$ instead of to neuron $j$; with $N = 1$, one example
# stored as a column, it goes through too and broadcasts into an $M \times M$ matrix:

# %%
X3 = X[:, :3]                                     # N = 3 examples, as many as layer 1 has neurons
right = W1 @ X3 + biases[0][:, None]
silent = W1 @ X3 + biases[0]                      # shape (3,) broadcast along the wrong axis
print("N = 3, bias as a column:\n", right)
print("N = 3, bias as a flat vector (no error):\n", silent)
try:
    W1 @ X + biases[0]                            # N = 4: the shapes clash
except ValueError as error:
    print("N = 4, bias as a flat vector:", error)
one = W1 @ X[:, :1] + biases[0]                   # N = 1: (3, 1) + (3,) broadcasts to (3, 3)
print("N = 1, bias as a flat vector: shape", one.shape, "instead of", right[:, :1].shape)

# %% [markdown]
# The rows convention of PyTorch and `nndl_book`, $Z = XW^\top + \mathbf b$, does not have this
# trap: there the flat bias lines up with the last axis, which *is* the neurons.
#
# ## What a forward pass costs
#
# Layer $l$ computes $M_l \cdot M_{l-1}$ products and as many additions per example, so a
# forward pass of a batch costs about $N \sum_l M_l M_{l-1}$ multiply-adds, the same as the
# number of weights times the batch size. The activations add only $N \sum_l M_l$ function
# evaluations. For the network of this section and for the 784→100→10 network of the first
# exercise, with a batch of 64:

# %%
def forward_cost(layer_sizes, n_examples):
    """Weights, biases and multiply-adds of one forward pass of a batch."""
    pairs = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    n_weights = sum(m_in * m_out for m_in, m_out in pairs)
    n_biases = sum(layer_sizes[1:])
    return n_weights, n_biases, n_examples * n_weights


for layer_sizes in ([2, 3, 2, 1], [784, 100, 10]):
    n_w, n_b, madds = forward_cost(layer_sizes, 64)
    print(f"{'→'.join(map(str, layer_sizes)):12s} weights {n_w:6d}, biases {n_b:4d}, "
          f"multiply-adds for 64 examples {madds:9,d}")

# %% [markdown]
# ## What the nonlinearity buys: building a bump
#
# A linear network can only compute a linear function; one hidden layer of sigmoid units can
# approximate *any* continuous function on a bounded interval, as closely as we like, given
# enough units. This is the universal approximation theorem (NNDL §4.3.1). Its idea fits in a
# few lines of forward propagation. A sigmoid unit with a large weight, $\sigma(w(x - s))$, is
# almost a step from 0 to 1 at $x = s$. Two such units with opposite output weights make a
# *bump*: $\sigma(w(x - s_1)) - \sigma(w(x - s_2))$ is close to 1 between $s_1$ and $s_2$ and
# close to 0 elsewhere, and the larger $w$, the sharper its edges.

# %%
from nndl_book.plots import plot_curves

x_line = np.linspace(0.0, 1.0, 401)
bumps = {f"w = {w_b:g}": (x_line, sigmoid(w_b * (x_line - 0.4)) - sigmoid(w_b * (x_line - 0.6)))
         for w_b in (10, 40, 200)}
plot_curves(bumps, xlabel="input $x$", ylabel="output",
            title=r"$\sigma(w(x - 0.4)) - \sigma(w(x - 0.6))$: two hidden units make a bump")

# %% [markdown]
# Now cut $[0, 1]$ into $K$ pieces, build a bump on each, and give the bump on piece $k$ the
# height of the target function at its midpoint. That is a 1→$2K$→1 network: hidden unit pairs
# with weights $w$ and biases $-w s$, output weights $\pm f(m_k)$. Its weight matrices are
# written down directly, and the forward pass is the engine's, as for any other network:

# %%
def bump_network(f, n_bumps, steepness):
    """A 1 -> 2K -> 1 sigmoid network whose output is a staircase of K bumps of heights f."""
    edges = np.linspace(0.0, 1.0, n_bumps + 1)
    heights = f((edges[:-1] + edges[1:]) / 2)
    steps_at = edges.copy()
    steps_at[0], steps_at[-1] = -1.0, 2.0          # outer steps well outside [0, 1]
    starts = np.repeat(steps_at[:-1], 2)
    starts[1::2] = steps_at[1:]                    # each pair: step up at s_k, down at s_k+1
    W_in = np.full((2 * n_bumps, 1), float(steepness))
    b_in = -steepness * starts
    W_out = np.empty((1, 2 * n_bumps))
    W_out[0, 0::2], W_out[0, 1::2] = heights, -heights
    return MLP.from_weights([W_in, W_out], [b_in, np.zeros(1)], activation="sigmoid")


def target(t):
    return np.sin(2 * np.pi * t) + 0.5 * t


approximations = {"target $\\sin 2\\pi x + x/2$": (x_line, target(x_line))}
for n_bumps, steepness in [(5, 100.0), (20, 400.0), (80, 1600.0)]:
    net_k = bump_network(target, n_bumps, steepness)
    out_k = net_k.forward(x_line[:, None]).ravel()
    error_k = np.abs(out_k - target(x_line)).max()
    print(f"K = {n_bumps:2d} bumps ({2 * n_bumps:3d} hidden units), w = {steepness:6g}: "
          f"largest error on [0, 1] {error_k:.3f}, error x K = {error_k * n_bumps:.2f}")
    approximations[f"{2 * n_bumps} hidden units"] = (x_line, out_k)
plot_curves(approximations, xlabel="input $x$", ylabel="output",
            title="One hidden layer of sigmoid units, weights set by hand")

# %% [markdown]
# (The outermost steps sit outside $[0, 1]$, so that the staircase does not drop to half height
# at the ends.) The error falls as the bumps get narrower and steeper, in proportion to the
# width $1/K$ of a piece: the product error × $K$ printed on each line stays about the same.
# The error comes from the flat steps: within a piece the staircase stays level while the
# target keeps changing. The theorem guarantees that such weights *exist*; it says nothing about how many
# units are needed in general or whether gradient descent will find them. Finding weights is the
# subject of the next chapters; {ref}`ch-xor` shows how hard it can be even for four points.

# %% [markdown]
# ## Explore: what one neuron computes
#
# A neuron with two inputs, $a = f(w\,(x_1 \cos\theta + x_2 \sin\theta) + b)$, is a ramp across
# the input plane: the weight vector sets its direction and steepness, the bias shifts it. Move
# the controls to see how the weight's size $w$, the bias $b$ and the activation function shape
# the picture. The dashed line is where $z = 0$.

# %%
from matplotlib.figure import Figure

from nndl_book.maths.activations import get_activation
from nndl_book.widgets import Control, Explorer

grid_x = np.linspace(-3, 3, 121)
G1, G2 = np.meshgrid(grid_x, grid_x)
theta = np.deg2rad(30)


def neuron_picture(activation, weight, bias):
    z = weight * (G1 * np.cos(theta) + G2 * np.sin(theta)) + bias
    a = get_activation(activation)(z)
    fig = Figure(figsize=(4.6, 3.4))
    ax = fig.add_axes((0.13, 0.14, 0.62, 0.76))
    cax = fig.add_axes((0.8, 0.14, 0.04, 0.76))
    image = ax.imshow(a, extent=(-3, 3, -3, 3), origin="lower", cmap="viridis", aspect="auto")
    ax.contour(G1, G2, z, levels=[0.0], colors="white", linestyles="--")
    fig.colorbar(image, cax=cax, label="activation $a$")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=f"{activation}: $w$ = {weight}, $b$ = {bias}")
    return fig, {"a at origin": float(get_activation(activation)(np.array(bias)))}


Explorer(
    neuron_picture,
    [
        Control("activation", ["sigmoid", "tanh", "relu"]),
        Control("weight", [0.5, 1.0, 3.0], label="weight size w",
                live_values=[0.25, 0.5, 1.0, 2.0, 3.0, 5.0]),
        Control("bias", [-2.0, 0.0, 2.0], label="bias b",
                live_values=[-2.0, -1.0, 0.0, 1.0, 2.0]),
    ],
    title="One neuron over the input plane",
)

# %% [markdown]
# ## Exercises
#
# ```{exercise} Shapes
# :label: ex-01-shapes
# A network has layer sizes 784 → 100 → 10 and processes batches of 64 images, stored as
# columns. Give the shape of $W^{(1)}$, $\mathbf b^{(1)}$, $X$, $Z^{(1)}$ and $Z^{(2)}$.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a dict of the five shapes, e.g. {'W1': (rows, columns), ...}),
# then run it.

# %%
from nndl_book.exercises import check, quiz
answer = {"W1": ..., "b1": ..., "X": ..., "Z1": ..., "Z2": ...}  # edit: shapes as tuples
check("ex-01-shapes", answer)


# %% [markdown]
# ```{solution-start} ex-01-shapes
# :class: dropdown
# ```
#
# $W^{(l)}$ has one row per neuron of layer $l$ and one column per neuron of layer $l-1$; a batch
# has one column per example. Checked by running the shapes through numpy:

# %%
D, H, K, N = 784, 100, 10, 64
W1_s, b1_s, W2_s = np.zeros((H, D)), np.zeros(H), np.zeros((K, H))
X_s = np.zeros((D, N))
Z1_s = W1_s @ X_s + b1_s[:, None]
Z2_s = W2_s @ Z1_s
print("W1", W1_s.shape, "b1", b1_s.shape, "X", X_s.shape, "Z1", Z1_s.shape, "Z2", Z2_s.shape)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} Collapse
# :label: ex-01-collapse
# Show that a two-layer network whose hidden activation is the identity, with biases,
# $\hat y = W^{(2)}(W^{(1)}\mathbf x + \mathbf b^{(1)}) + \mathbf b^{(2)}$, is a single linear
# layer $W\mathbf x + \mathbf b$. Give $W$ and $\mathbf b$ and check numerically.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function collapse(W1, b1, W2, b2) returning (W, b) of the
# one equivalent layer), then run it.

# %%
def my_collapse(W1, b1, W2, b2):
    raise NotImplementedError  # edit: return (W, b) of the one equivalent layer

check("ex-01-collapse", my_collapse)


# %% [markdown]
# ```{solution-start} ex-01-collapse
# :class: dropdown
# ```
#
# Expanding, $\hat y = W^{(2)}W^{(1)}\mathbf x + (W^{(2)}\mathbf b^{(1)} + \mathbf b^{(2)})$, so
# $W = W^{(2)}W^{(1)}$ and $\mathbf b = W^{(2)}\mathbf b^{(1)} + \mathbf b^{(2)}$.

# %%
A1, c1 = rng.normal(size=(3, 2)), rng.normal(size=3)
A2, c2 = rng.normal(size=(1, 3)), rng.normal(size=1)
x_test = rng.normal(size=(2, 7))
two_layers = A2 @ (A1 @ x_test + c1[:, None]) + c2[:, None]
one_layer = (A2 @ A1) @ x_test + (A2 @ c1 + c2)[:, None]
print("largest difference:", f"{np.max(np.abs(two_layers - one_layer)):.1e}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} NNDL 4-5
# :label: ex-01-nndl-4-5
# A network has input size $M_0$, one output neuron and $N$ hidden neurons split evenly over
# $L$ hidden layers ($N/L$ each), fully connected with biases. How does its number of parameters
# depend on $L$?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function n_parameters(m0, n_hidden, n_layers) returning the
# number of weights and biases of the whole network), then run it.

# %%
def my_n_parameters(m0, n_hidden, n_layers):
    raise NotImplementedError  # edit: return the number of weights and biases of the whole network

check("ex-01-nndl-4-5", my_n_parameters)


# %% [markdown]
# ```{solution-start} ex-01-nndl-4-5
# :class: dropdown
# ```
#
# The first hidden layer has $(M_0 + 1)\,N/L$ parameters, each of the other $L-1$ hidden layers
# $(N/L + 1)\,N/L$, and the output $N/L + 1$. Adding up (the $(L-1)N/L$ biases of layers 2 to
# $L$ and the $N/L$ output weights sum to $N$):
#
# $$ P(L) = \frac{(M_0+1)N}{L} + \frac{(L-1)N^2}{L^2} + N + 1 . $$
#
# The first term falls with $L$. The second, from the hidden-to-hidden weights, is zero for
# $L = 1$, and $(L-1)/L^2$ is largest at $L = 2$ (its derivative is $(2-L)/L^3$). So when
# $N \gg M_0$ the count jumps from one to two hidden layers and then falls roughly like $N^2/L$.
# Counting layer by layer with $M_0 = 10$ and $N = 120$ confirms the formula:

# %%
def n_parameters(m0, n_hidden, n_layers):
    width = n_hidden // n_layers
    sizes_l = [m0] + [width] * n_layers + [1]
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes_l[:-1], sizes_l[1:]))


def p_formula(m0, n_hidden, n_layers):
    return (m0 + 1) * n_hidden / n_layers + (n_layers - 1) * n_hidden**2 / n_layers**2 + n_hidden + 1


layer_counts = [1, 2, 3, 4, 5, 6, 8, 10, 12]
for L in layer_counts:
    print(f"L = {L:2d}: counted {n_parameters(10, 120, L):5d}, formula {p_formula(10, 120, L):7.1f}")
print("most parameters at L =", max(layer_counts, key=lambda L: n_parameters(10, 120, L)))

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} The worked network with ReLU units
# :label: ex-01-relu-by-hand
# Replace the sigmoid hidden units of the worked 2→3→2→1 network by ReLU units, keeping its
# weights and biases, and compute by hand the net inputs, activations and output for the input
# $\mathbf x = (1, 1)$. Which hidden units are switched off? Then check your numbers with numpy
# and with the engine's `MLP(..., activation="relu")`.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below ((a1, a2, y): the 3 and 2 hidden ReLU activations and the
# output for x = (1, 1)), then run it.

# %%
answer = (..., ..., ...)  # edit: a1 (3 numbers), a2 (2 numbers), output y, for x = (1, 1)
check("ex-01-relu-by-hand", answer)


# %% [markdown]
# ```{solution-start} ex-01-relu-by-hand
# :class: dropdown
# ```
#
# Layer 1: $z_1 = 0.2 - 0.5 + 0.1$, $z_2 = 0.7 + 0.1 - 0.1$, $z_3 = -0.3 + 0.4 + 0.05$; a ReLU
# unit passes a positive $z$ unchanged and outputs 0 otherwise. The code does the same sums and
# reports which units are off:

# %%
from nndl_book.maths.activations import relu

a_relu = np.array([1.0, 1.0])
for l, (W_l, b_l) in enumerate(zip([W1, W2, W3], biases), start=1):
    z_relu = W_l @ a_relu + b_l
    a_relu = z_relu if l == 3 else relu(z_relu)
    off = [j + 1 for j in range(len(z_relu)) if l < 3 and z_relu[j] <= 0]
    print(f"layer {l}: z = {np.array2string(z_relu, precision=4)}, "
          f"a = {np.array2string(a_relu, precision=4)}, units off: {off or 'none'}")
relu_mlp = MLP.from_weights([W1, W2, W3], biases, activation="relu")
print(f"engine: {relu_mlp.forward(np.array([[1.0, 1.0]]))[0, 0]:.4f}")

# %% [markdown]
# ```{solution-end}
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("01")


# %% [markdown]
# ## Summary
#
# - A neuron computes $a = f(\mathbf w^\top\mathbf x + b)$; a layer does it for many neurons at
#   once with one matrix, $\mathbf z = W\mathbf x + \mathbf b$.
# - Worked by hand on the 2→3→2→1 network, each neuron is a weighted sum plus a bias followed
#   by its activation; the pass keeps every $z$ and $a$ for the backward pass.
# - A batch is a matrix too; forward propagation of a batch is a chain of matrix products and
#   element-wise functions. With examples as columns, $W^{(l)}$ is $M_l\times M_{l-1}$ and
#   $Z^{(l)}, A^{(l)}$ are $M_l \times N$; the bias must be a column, or it broadcasts along the
#   examples. A pass costs about $N$ times the number of weights in multiply-adds.
# - Without nonlinear activations, any number of layers collapses into one linear map. With
#   them, one hidden layer of sigmoid units can approximate any continuous function on an
#   interval: pairs of steep units make bumps, and bumps make a staircase.
# - Our numpy code, the `nndl_book` engine and `torch.nn.Linear` agree to rounding error.
#
# ## References
#
# ```{footbibliography}
# ```
