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
# (ch-backprop)=
# # 2. Backpropagation
#
# Training a network means nudging every weight against the gradient of the loss. A network
# has thousands or millions of weights, and the loss depends on each of them through a long
# chain of layers. *Backpropagation* computes all these partial derivatives at once, for about
# the cost of one more pass through the network: it runs the forward pass, then walks the
# chain backwards, applying the chain rule once per layer and reusing every intermediate
# result. This chapter derives the algorithm, works one example through completely by hand,
# writes it for a whole batch in numpy and checks it against finite differences, a symbolic
# derivative and PyTorch's autograd. It follows NNDL {footcite}`qiu2020nndl` §4.4–4.5; the
# algorithm was made famous by Rumelhart, Hinton and Williams {footcite}`rumelhart1986learning`.
#
# **Learning goals.** After this chapter you can
#
# - compute gradients on a computational graph with the chain rule, node by node;
# - write the backward pass of a layer in matrix form, $\partial L/\partial W^{(l)} =
#   \delta^{(l)} (\mathbf a^{(l-1)})^\top$ and
#   $\delta^{(l)} = f_l'(\mathbf z^{(l)}) \odot (W^{(l+1)})^\top \delta^{(l+1)}$, for one example
#   and for a batch;
# - carry out a forward and backward pass of a small network by hand, and check a published
#   answer against your own;
# - compare numerical, symbolic and automatic differentiation, and check a gradient by finite
#   differences;
# - explain why a network must not start with all weights equal (NNDL exercise 4-8).

# %%
import numpy as np
import torch
from matplotlib.figure import Figure
from myst_nb import glue

from nndl_book.maths.activations import d_sigmoid, sigmoid
from nndl_book.plots import PALETTE

BLUE, VERMILLION = PALETTE[0], PALETTE[1]

# %% [markdown]
# ## The chain rule on a computational graph
#
# Any computation can be drawn as a graph: each node applies one simple operation to the
# values on its incoming edges. Take one sigmoid neuron with a squared error,
#
# $$ u = w x, \qquad z = u + b, \qquad a = \sigma(z), \qquad L = (a - y)^2 . $$
#
# The **forward pass** evaluates the nodes from left to right. The **backward pass** then
# computes, for every node $v$, the derivative $\partial L / \partial v$, from right to left. At
# the end it is $\partial L/\partial L = 1$; one step back, the chain rule says that the
# derivative at a node is the derivative at its successor times the *local* derivative of the
# edge between them:
#
# $$ \frac{\partial L}{\partial z} = \frac{\partial L}{\partial a}\,\frac{\partial a}{\partial z}
#    = 2(a-y)\cdot\sigma'(z), \qquad
#    \frac{\partial L}{\partial w} = \frac{\partial L}{\partial u}\,\frac{\partial u}{\partial w}
#    = \frac{\partial L}{\partial z}\cdot 1 \cdot x . $$
#
# Each local derivative involves only the values at the two ends of one edge, which the forward
# pass has already computed. In code, one line per node:

# %%
x, w, b, y = 2.0, 0.5, -0.3, 1.0

u = w * x                     # forward, left to right
z = u + b
a = sigmoid(z)
L = (a - y) ** 2

dL_da = 2 * (a - y)           # backward, right to left
dL_dz = dL_da * a * (1 - a)   # sigma'(z) = sigma(z) (1 - sigma(z))
dL_du = dL_dz * 1.0
dL_db = dL_dz * 1.0
dL_dw = dL_du * x
dL_dx = dL_du * w
print(f"forward:  u = {u:.4f}, z = {z:.4f}, a = {a:.4f}, L = {L:.4f}")
print(f"backward: dL/da = {dL_da:.4f}, dL/dz = {dL_dz:.4f}, dL/dw = {dL_dw:.4f}, "
      f"dL/db = {dL_db:.4f}, dL/dx = {dL_dx:.4f}")

# %% [markdown]
# The figure shows both passes on the graph: the value of each node above it, its gradient
# $\partial L/\partial v$ below it, and on each edge the local derivative. Every gradient is
# the gradient to its right times the number on the edge between them.

# %% tags=["hide-input"]
from matplotlib.patches import Circle


def draw_graph():
    """The computational graph of one neuron, with both passes written on it."""
    nodes = {  # name: (position, symbol inside, value, gradient)
        "x": ((0.0, 1.35), "$x$", x, dL_dx),
        "w": ((0.0, -0.15), "$w$", w, dL_dw),
        "u": ((1.6, 0.6), r"$\times$", u, dL_du),
        "b": ((1.6, -0.9), "$b$", b, dL_db),
        "z": ((3.2, 0.6), "$+$", z, dL_dz),
        "a": ((4.8, 0.6), r"$\sigma$", a, dL_da),
        "y": ((4.8, -0.9), "$y$", y, None),
        "L": ((6.4, 0.6), r"$(\cdot)^2$", L, 1.0),
    }
    edges = [("x", "u", w), ("w", "u", x), ("u", "z", 1.0), ("b", "z", 1.0),
             ("z", "a", a * (1 - a)), ("a", "L", 2 * (a - y)), ("y", "L", -2 * (a - y))]
    fig = Figure(figsize=(7.6, 3.5))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    for src, dst, local in edges:
        (x0, y0), (x1_, y1_) = nodes[src][0], nodes[dst][0]
        ax.annotate("", xy=(x1_, y1_), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.2,
                                "shrinkA": 16, "shrinkB": 16})
        ax.text((x0 + x1_) / 2, (y0 + y1_) / 2, f"{local:.3f}", fontsize=8, color="#555555",
                style="italic", ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "#f2f2f2", "ec": "none"})
    for name, ((px, py), symbol, value, grad) in nodes.items():
        leaf = name in "xwby"
        ax.add_patch(Circle((px, py), 0.27, facecolor="#e6f2ec" if leaf else "white",
                            edgecolor="black", lw=1.1, zorder=2))
        ax.text(px, py, symbol, ha="center", va="center", fontsize=11, zorder=3)
        ax.text(px, py + 0.35, f"{name} = {value:.3f}", ha="center", va="bottom", fontsize=9)
        if grad is not None:
            ax.text(px, py - 0.35, f"∂L/∂{name} = {grad:.3f}", ha="center", va="top",
                    fontsize=8.5, color=VERMILLION)
    ax.text(3.2, 2.2, "values (black) go forward, left to right;  gradients (vermillion) go "
            "backward;  grey: local derivative of each edge", ha="center", fontsize=8.5)
    ax.set_xlim(-0.5, 7.0)
    ax.set_ylim(-1.55, 2.35)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


draw_graph()

# %% [markdown]
# PyTorch's autograd does exactly this: during the forward pass it records the graph, and
# `backward()` walks it in reverse. It returns the same three gradients:

# %%
tw, tb, tx = (torch.tensor(v, requires_grad=True) for v in (w, b, x))
tL = (torch.sigmoid(tw * tx + tb) - y) ** 2
tL.backward()
print(f"autograd: dL/dw = {tw.grad.item():.4f}, dL/db = {tb.grad.item():.4f}, "
      f"dL/dx = {tx.grad.item():.4f}")

# %% [markdown]
# One more rule is needed for networks. When a value feeds several nodes (a hidden neuron
# feeds every neuron of the next layer), it influences $L$ along several paths, and the
# multivariable chain rule **adds** the contributions of the paths:
#
# $$ \frac{\partial L}{\partial h} = \sum_{k} \frac{\partial L}{\partial z_k}\,
#    \frac{\partial z_k}{\partial h} \qquad\text{(summed over all nodes } z_k
#    \text{ that read } h\text{)}. $$
#
# That sum is where the matrix transpose in the next section comes from.
#
# ## The backward pass of a layer in matrix form
#
# Layer $l$ of a feedforward network computes, as in {ref}`ch-forward`,
#
# $$ \mathbf z^{(l)} = W^{(l)} \mathbf a^{(l-1)} + \mathbf b^{(l)}, \qquad
#    \mathbf a^{(l)} = f_l\big(\mathbf z^{(l)}\big), \qquad \mathbf a^{(0)} = \mathbf x, $$
#
# with $W^{(l)} \in \mathbb R^{M_l \times M_{l-1}}$. NNDL calls the gradient of the loss with
# respect to a layer's net input its **error term**,
#
# $$ \delta^{(l)} = \frac{\partial L}{\partial \mathbf z^{(l)}} \in \mathbb R^{M_l}. $$
#
# Everything follows from $\delta^{(l)}$.
#
# **Weights and biases.** Weight $w^{(l)}_{ij}$ appears only in $z^{(l)}_i =
# \sum_j w^{(l)}_{ij} a^{(l-1)}_j + b^{(l)}_i$, with local derivative $a^{(l-1)}_j$. So
# $\partial L/\partial w^{(l)}_{ij} = \delta^{(l)}_i a^{(l-1)}_j$: the error at the end of the
# edge times the activation at its start. For the whole matrix that is an outer product,
#
# $$ \frac{\partial L}{\partial W^{(l)}} = \delta^{(l)} \big(\mathbf a^{(l-1)}\big)^{\top},
#    \qquad \frac{\partial L}{\partial \mathbf b^{(l)}} = \delta^{(l)} . $$
#
# **The δ recursion.** Activation $a^{(l)}_j$ feeds every $z^{(l+1)}_k$ with weight
# $w^{(l+1)}_{kj}$, so the path sum gives $\partial L/\partial a^{(l)}_j =
# \sum_k w^{(l+1)}_{kj}\,\delta^{(l+1)}_k$, which is the $j$-th entry of
# $(W^{(l+1)})^\top\delta^{(l+1)}$. One more local derivative, $\partial a^{(l)}_j/\partial
# z^{(l)}_j = f_l'(z^{(l)}_j)$, gives
#
# $$ \delta^{(l)} = f_l'\big(\mathbf z^{(l)}\big) \odot \Big( \big(W^{(l+1)}\big)^{\top}
#    \delta^{(l+1)} \Big), \qquad
#    \delta^{(L)} = f_L'\big(\mathbf z^{(L)}\big) \odot \frac{\partial L}{\partial \mathbf a^{(L)}} , $$
#
# where $\odot$ is the element-wise product. The error flows backwards through the *transposed*
# weights, the same weights the signal used on its way forward. These four formulas (output
# error, δ recursion, weight and bias gradients) are what Nielsen {footcite}`nielsen2015nndl`
# (ch. 2) calls the four fundamental equations of backpropagation.
#
# **A batch.** With $N$ examples as the columns of $X$ (NNDL's convention, as in
# {ref}`ch-forward`), $Z^{(l)}, A^{(l)} \in \mathbb R^{M_l \times N}$. The loss of a batch is
# the sum (or mean) of the examples' losses, so the gradients are sums over the examples, and
# the sum of outer products $\sum_n \delta^{(l,n)} (\mathbf a^{(l-1,n)})^\top$ is one matrix
# product:
#
# $$ \Delta^{(l)} = f_l'\big(Z^{(l)}\big) \odot \big(W^{(l+1)}\big)^{\top} \Delta^{(l+1)},
#    \qquad
#    \frac{\partial L}{\partial W^{(l)}} = \Delta^{(l)} \big(A^{(l-1)}\big)^{\top}, \qquad
#    \frac{\partial L}{\partial \mathbf b^{(l)}} = \Delta^{(l)} \mathbf 1_N , $$
#
# with $\Delta^{(l)} \in \mathbb R^{M_l\times N}$ holding one error column per example. (For a
# mean loss the factor $1/N$ is already in $\partial L/\partial A^{(L)}$.) The shapes check out:
# $(M_l \times N)(N \times M_{l-1}) = M_l \times M_{l-1}$, the shape of $W^{(l)}$.
#
# The whole algorithm, for a batch:
#
# 1. forward pass: compute and keep every $Z^{(l)}$ and $A^{(l)}$;
# 2. at the output: $\Delta^{(L)} = f_L'(Z^{(L)}) \odot \partial L/\partial A^{(L)}$;
# 3. for $l = L, \dots, 1$: read off $\partial L/\partial W^{(l)}$ and
#    $\partial L/\partial \mathbf b^{(l)}$, then pass the error one layer back to get
#    $\Delta^{(l-1)}$.
#
# In numpy, with the same activation $f$ in every layer:

# %%
def forward(X, weights, biases, f=sigmoid):
    """Forward pass; examples are the columns of X. Returns Z = [Z1..ZL] and A = [X, A1..AL]."""
    Z, A = [], [X]
    for W, b in zip(weights, biases):
        Z.append(W @ A[-1] + b[:, None])
        A.append(f(Z[-1]))
    return Z, A


def backward(dL_dA, Z, A, weights, df=d_sigmoid):
    """Backward pass from dL/dA of the output layer. Returns the lists dL/dW and dL/db."""
    n_layers = len(weights)
    grads_W, grads_b = [None] * n_layers, [None] * n_layers
    delta = df(Z[-1]) * dL_dA                        # error term of the output layer
    for l in reversed(range(n_layers)):              # l = L-1, ..., 0 (Python indices)
        grads_W[l] = delta @ A[l].T                  # Delta^(l) (A^(l-1))^T
        grads_b[l] = delta.sum(axis=1)               # Delta^(l) 1_N
        if l > 0:
            delta = df(Z[l - 1]) * (weights[l].T @ delta)   # the delta recursion
    return grads_W, grads_b

# %% [markdown]
# Two short functions, and they work for any depth and any batch size. Before trusting them, we run
# them on an example small enough to do by hand.
#
# ## A worked example, done completely
#
# The network has two inputs, two hidden and two output neurons, all with the logistic
# activation $\sigma$. The weights into $h_1$ are $w_1, w_2$ and into $h_2$ are $w_3, w_4$; the
# weights leaving $h_1$ are $w_5$ (to $o_1$) and $w_6$ (to $o_2$), those leaving $h_2$ are
# $w_7$ (to $o_1$) and $w_8$ (to $o_2$). Each layer shares one bias. The error is the plain sum of
# squares, **without** a factor $\tfrac12$,
#
# $$ e = (o_1 - y_1)^2 + (o_2 - y_2)^2 , $$
#
# and one step of gradient descent uses the learning rate $\eta$:

# %%
x1, x2 = 0.05, 0.10
w1, w2, w3, w4 = 0.15, 0.20, 0.25, 0.30   # into h1: w1, w2; into h2: w3, w4
w5, w6, w7, w8 = 0.30, 0.50, 0.45, 0.55   # from h1: w5 (to o1), w6 (to o2); from h2: w7, w8
b1, b2 = 0.35, 0.60                       # hidden bias, output bias
y1, y2 = 0.12, 0.95                       # targets
lr = 0.1                                  # learning rate eta

# %% [markdown]
# ### Forward pass
#
# Net input, then activation, neuron by neuron:

# %%
net_h1 = w1 * x1 + w2 * x2 + b1
net_h2 = w3 * x1 + w4 * x2 + b1
h1, h2 = sigmoid(net_h1), sigmoid(net_h2)

net_o1 = w5 * h1 + w7 * h2 + b2
net_o2 = w6 * h1 + w8 * h2 + b2
o1, o2 = sigmoid(net_o1), sigmoid(net_o2)

e = (o1 - y1) ** 2 + (o2 - y2) ** 2
print(f"net_h1 = {net_h1:.6f}   h1 = {h1:.6f}")
print(f"net_h2 = {net_h2:.6f}   h2 = {h2:.6f}")
print(f"net_o1 = {net_o1:.6f}   o1 = {o1:.6f}")
print(f"net_o2 = {net_o2:.6f}   o2 = {o2:.6f}")
print(f"e = ({o1:.6f} - {y1})^2 + ({o2:.6f} - {y2})^2 = {e:.6f}")
glue("e_worked", float(e), display=False)

# %% [markdown]
# The figure shows the network after the forward pass: each weight on its edge (drawn thicker
# for a larger weight) and each neuron's value inside it.

# %%
from nndl_book.plots import plot_network

W1_mat = np.array([[w1, w2], [w3, w4]])   # rows: the neurons h1, h2
W2_mat = np.array([[w5, w7], [w6, w8]])   # rows: the neurons o1, o2
fig = Figure(figsize=(5.2, 3.2), layout="constrained")
plot_network(
    [2, 2, 2],
    ax=fig.add_subplot(),
    weights=[W1_mat, W2_mat],
    weight_labels=True,
    node_labels=[[f"x₁\n{x1:.2f}", f"x₂\n{x2:.2f}"],
                 [f"h₁\n{h1:.4f}", f"h₂\n{h2:.4f}"],
                 [f"o₁\n{o1:.4f}", f"o₂\n{o2:.4f}"]],
    layer_names=["input", "hidden", "output"],
    title=f"The 2-2-2 network after the forward pass (e = {e:.4f})",
)
fig

# %% [markdown]
# ### Backward pass
#
# At each output neuron, $\partial e/\partial o_k = 2(o_k - y_k)$ (the 2 is there because there
# is no $\tfrac12$), and $\sigma'(\text{net}) = o_k(1-o_k)$. Their product is the error term
# $\delta_{o_k} = \partial e/\partial \text{net}_{o_k}$. A weight's gradient is the error at the
# end of its edge times the activation at its start; the error of a hidden neuron collects the
# errors of both output neurons through the two weights leaving it:

# %%
delta_o1 = 2 * (o1 - y1) * o1 * (1 - o1)          # de/dnet_o1
delta_o2 = 2 * (o2 - y2) * o2 * (1 - o2)          # de/dnet_o2

de_dw5, de_dw6 = delta_o1 * h1, delta_o2 * h1     # the weights leaving h1
de_dw7, de_dw8 = delta_o1 * h2, delta_o2 * h2     # the weights leaving h2
de_db2 = delta_o1 + delta_o2                      # shared bias: both paths add

delta_h1 = (delta_o1 * w5 + delta_o2 * w6) * h1 * (1 - h1)   # two paths out of h1
delta_h2 = (delta_o1 * w7 + delta_o2 * w8) * h2 * (1 - h2)
de_dw1, de_dw2 = delta_h1 * x1, delta_h1 * x2
de_dw3, de_dw4 = delta_h2 * x1, delta_h2 * x2
de_db1 = delta_h1 + delta_h2

w5_new, w6_new = w5 - lr * de_dw5, w6 - lr * de_dw6
print(f"delta_o1 = 2({o1:.6f} - {y1}) * {o1:.6f}(1 - {o1:.6f}) = {delta_o1:.6f}")
print(f"delta_o2 = 2({o2:.6f} - {y2}) * {o2:.6f}(1 - {o2:.6f}) = {delta_o2:.6f}")
print(f"delta_h1 = {delta_h1:.6f}   delta_h2 = {delta_h2:.6f}")
print(f"de/dw5 = delta_o1 * h1 = {delta_o1:.6f} * {h1:.6f} = {de_dw5:.6f}")
print(f"de/dw6 = delta_o2 * h1 = {delta_o2:.6f} * {h1:.6f} = {de_dw6:.6f}")
print(f"w5 <- {w5} - {lr} * {de_dw5:.6f} = {w5_new:.6f}")
print(f"w6 <- {w6} - {lr} * {de_dw6:.6f} = {w6_new:.6f}")
glue("w5_new", float(w5_new), display=False)
glue("w6_new", float(w6_new), display=False)
glue("de_dw5", float(de_dw5), display=False)
glue("de_dw6", float(de_dw6), display=False)

# %% [markdown]
# The output $o_1$ is far above its target, so $\delta_{o_1} > 0$ and $w_5$ decreases, to
# {glue:text}`w5_new:.6f`; $o_2$ is below its target, so $\delta_{o_2} < 0$ and $w_6$
# increases, to {glue:text}`w6_new:.6f`.
#
# ### The same numbers from autograd
#
# Now let PyTorch do the backward pass. Every parameter becomes a tensor that records
# gradients, and `retain_grad()` keeps the gradients of the net inputs, which are the error
# terms $\delta$:

# %%
params = dict(w1=w1, w2=w2, w3=w3, w4=w4, w5=w5, w6=w6, w7=w7, w8=w8, b1=b1, b2=b2)
P = {name: torch.tensor(value, requires_grad=True) for name, value in params.items()}

t_net_h1 = P["w1"] * x1 + P["w2"] * x2 + P["b1"]
t_net_h2 = P["w3"] * x1 + P["w4"] * x2 + P["b1"]
t_h1, t_h2 = torch.sigmoid(t_net_h1), torch.sigmoid(t_net_h2)
t_net_o1 = P["w5"] * t_h1 + P["w7"] * t_h2 + P["b2"]
t_net_o2 = P["w6"] * t_h1 + P["w8"] * t_h2 + P["b2"]
t_o1, t_o2 = torch.sigmoid(t_net_o1), torch.sigmoid(t_net_o2)
t_e = (t_o1 - y1) ** 2 + (t_o2 - y2) ** 2
for node in (t_net_h1, t_net_h2, t_net_o1, t_net_o2):
    node.retain_grad()
t_e.backward()

table = [
    ("net_h1", net_h1, t_net_h1.item()), ("net_h2", net_h2, t_net_h2.item()),
    ("h1", h1, t_h1.item()), ("h2", h2, t_h2.item()),
    ("net_o1", net_o1, t_net_o1.item()), ("net_o2", net_o2, t_net_o2.item()),
    ("o1", o1, t_o1.item()), ("o2", o2, t_o2.item()),
    ("e", e, t_e.item()),
    ("delta_o1", delta_o1, t_net_o1.grad.item()), ("delta_o2", delta_o2, t_net_o2.grad.item()),
    ("delta_h1", delta_h1, t_net_h1.grad.item()), ("delta_h2", delta_h2, t_net_h2.grad.item()),
    ("de/dw5", de_dw5, P["w5"].grad.item()), ("de/dw6", de_dw6, P["w6"].grad.item()),
    ("w5 updated", w5_new, w5 - lr * P["w5"].grad.item()),
    ("w6 updated", w6_new, w6 - lr * P["w6"].grad.item()),
]
print(f"{'quantity':<12}{'by hand':>12}{'autograd':>12}{'|difference|':>14}")
for name, mine, auto in table:
    print(f"{name:<12}{mine:12.6f}{auto:12.6f}{abs(mine - auto):14.1e}")

# %% [markdown]
# Every entry agrees to rounding error. The forward rows agree because both sides evaluate the
# same formulas; the backward rows are the real check, because autograd never saw our
# derivation.
#
# ### The same numbers from the matrix form
#
# Written with matrices, the example is one call of the general `forward` and `backward` above:
# the input is a single column, $\partial e/\partial A^{(2)} = 2(A^{(2)} - Y)$, and every
# weight gradient comes out at once, laid out like its weight matrix.

# %%
X_ex = np.array([[x1], [x2]])
Y_ex = np.array([[y1], [y2]])
weights_ex = [W1_mat, W2_mat]
biases_ex = [np.array([b1, b1]), np.array([b2, b2])]

Z_ex, A_ex = forward(X_ex, weights_ex, biases_ex)
gW_ex, gb_ex = backward(2 * (A_ex[-1] - Y_ex), Z_ex, A_ex, weights_ex)
with np.printoptions(precision=6):
    print("de/dW1 =\n", gW_ex[0])
    print("de/dW2 =\n", gW_ex[1])
    print("by hand, [[w1, w2], [w3, w4]] and [[w5, w7], [w6, w8]]:")
    print(np.array([[de_dw1, de_dw2], [de_dw3, de_dw4]]))
    print(np.array([[de_dw5, de_dw7], [de_dw6, de_dw8]]))
print(f"shared biases: de/db1 = {gb_ex[0].sum():.6f} (by hand {de_db1:.6f}), "
      f"de/db2 = {gb_ex[1].sum():.6f} (by hand {de_db2:.6f})")

# %% [markdown]
# The shared bias of a layer gets the sum of the bias gradients of its neurons, since it reaches
# the loss through each of them. The package's numpy engine, `nndl_book.engine.MLP`, stores
# the batch as rows ($Z = X W^\top$, see {ref}`ch-forward`) and its `backward` takes
# $\partial e/\partial(\text{output})$; it returns the same matrices:

# %%
from nndl_book.engine import MLP

mlp_ex = MLP.from_weights(weights_ex, biases_ex, activation="sigmoid",
                          output_activation="sigmoid")
out_ex = mlp_ex.forward(X_ex.T)
mlp_ex.backward(2 * (out_ex - Y_ex.T))
gW_pkg = mlp_ex.gradients()[0::2]   # [dW1, db1, dW2, db2] -> [dW1, dW2]
print("largest difference from nndl_book:",
      f"{max(np.max(np.abs(g - h)) for g, h in zip(gW_ex, gW_pkg)):.1e}")

# %% [markdown]
# One step of gradient descent on all ten parameters lowers the error:

# %%
weights_new = [W - lr * g for W, g in zip(weights_ex, gW_ex)]
biases_new = [np.full(2, b_ - lr * g.sum()) for b_, g in zip((b1, b2), gb_ex)]
e_after = float(np.sum((forward(X_ex, weights_new, biases_new)[1][-1] - Y_ex) ** 2))
print(f"e before the step: {e:.6f}   after: {e_after:.6f}")

# %% [markdown]
# ### Where the published e = 0.3532 comes from
#
# A published solution of this example (a course homework) gives the initial error as
# $e = 0.3532$, while all our computations give $e =$ {glue:text}`e_worked:.4f`. Before
# looking for the slip, compare every other number of that solution with ours. It prints four
# decimals (six for the two gradients); the table rounds our values the same way:

# %%
published = [  # (quantity, value in the published solution, our value)
    ("h1", 0.5932, h1), ("h2", 0.5969, h2), ("net_o1", 1.0466, net_o1), ("o1", 0.7401, o1),
    ("net_o2", 1.2249, net_o2), ("o2", 0.7729, o2),
    ("de/do1 = 2(o1 - y1)", 1.2402, 2 * (o1 - y1)), ("de/do2 = 2(o2 - y2)", -0.3542, 2 * (o2 - y2)),
    ("o1 (1 - o1)", 0.1924, o1 * (1 - o1)), ("o2 (1 - o2)", 0.1755, o2 * (1 - o2)),
    ("de/dw5", 0.141525, de_dw5), ("de/dw6", -0.036875, de_dw6),
    ("w5 updated", 0.2858, w5_new), ("w6 updated", 0.5037, w6_new),
    ("e", 0.3532, e),
]
print(f"{'quantity':<22}{'published':>11}{'ours, rounded':>15}{'off by (last digit)':>21}")
off_by = {}
for name, theirs, ours_value in published:
    digits = 6 if name.startswith("de/dw") else 4
    off_by[name] = round(abs(round(ours_value, digits) - theirs) * 10**digits)
    print(f"{name:<22}{theirs:11.{digits}f}{ours_value:15.{digits}f}{off_by[name]:21d}")
print("largest difference apart from e:",
      max(units for name, units in off_by.items() if name != "e"), "unit(s) of the last digit")
glue("h1_exact", float(h1), display=False)

# %% [markdown]
# Every number except $e$ agrees with ours to within the one unit of the last digit printed
# above; such one-unit differences come from the published solution's four decimals: it
# carries its intermediate values rounded, and once truncates: $h_1$ is
# {glue:text}`h1_exact:.6f`, which rounds to {glue:text}`h1_exact:.4f`, but is published as
# 0.5932. The published $e$ is off by far more. Its two squared terms, from the published
# four-decimal outputs, are printed first below; their *difference*, the last line, is the
# published number: the second term was subtracted instead of added, as if the square of the
# negative difference $0.7729 - 0.95$ had kept its minus sign.

# %%
print(f"(0.7401 - 0.12)**2 = {(0.7401 - 0.12) ** 2:.4f}   (0.7729 - 0.95)**2 = {(0.7729 - 0.95) ** 2:.4f}")
print(f"(0.7401 - 0.12)**2 - (0.7729 - 0.95)**2 = {(0.7401 - 0.12) ** 2 - (0.7729 - 0.95) ** 2:.4f}")

# %% [markdown]
# So the slip is a sign in the final sum, and nothing else. The rest of the published solution
# is right: the value of $e$ is never used again, because the gradients need only
# $\partial e/\partial o_k = 2(o_k - y_k)$, so the slip does not spread, and the published
# gradients and updated weights are correct.
#
# ## Numerical, symbolic and automatic differentiation
#
# Backpropagation is not the only way to get a derivative. NNDL §4.5 compares three.
#
# ### Numerical: finite differences
#
# The derivative is a limit of difference quotients, so for a small $\epsilon$,
#
# $$ \frac{\partial e}{\partial w} \approx \frac{e(w+\epsilon) - e(w)}{\epsilon}
#    \quad\text{(forward)}, \qquad
#    \frac{\partial e}{\partial w} \approx \frac{e(w+\epsilon) - e(w-\epsilon)}{2\epsilon}
#    \quad\text{(central)} . $$
#
# By Taylor's theorem the forward difference is off by about $\tfrac{\epsilon}{2}|e''|$ and the
# central one by about $\tfrac{\epsilon^2}{6}|e'''|$: the *truncation error* falls as
# $\epsilon$ shrinks. But $e(w\pm\epsilon)$ are stored with a relative error of about
# $u = 2^{-53} \approx 1.1\times 10^{-16}$, and dividing their difference by $\epsilon$ blows
# this *round-off error* up to about $u|e|/\epsilon$. Too large an $\epsilon$ and truncation
# dominates; too small and round-off does. Here is $\partial e/\partial w_5$ of the worked
# example, against the exact value from backpropagation:

# %%
def e_of_w5(w):
    """The error e of the worked example as a function of w5 alone."""
    h = sigmoid(W1_mat @ np.array([x1, x2]) + b1)
    o = sigmoid(np.array([[w, w7], [w6, w8]]) @ h + b2)
    return float(np.sum((o - np.array([y1, y2])) ** 2))


eps_grid = 10.0 ** -np.arange(1, 15)
forward_diff = np.array([(e_of_w5(w5 + h) - e_of_w5(w5)) / h for h in eps_grid])
central_diff = np.array([(e_of_w5(w5 + h) - e_of_w5(w5 - h)) / (2 * h) for h in eps_grid])
err_forward = np.abs(forward_diff - de_dw5)
err_central = np.abs(central_diff - de_dw5)
print(f"exact de/dw5 = {de_dw5:.12f}")
print(f"{'epsilon':>8}{'forward':>17}{'error':>10}{'central':>17}{'error':>10}")
for h, fd, ef, cd, ec in zip(eps_grid, forward_diff, err_forward, central_diff, err_central):
    print(f"{h:8.0e}{fd:17.12f}{ef:10.1e}{cd:17.12f}{ec:10.1e}")
best_f, best_c = eps_grid[np.argmin(err_forward)], eps_grid[np.argmin(err_central)]
print(f"best epsilon: forward {best_f:.0e} (error {err_forward.min():.1e}), "
      f"central {best_c:.0e} (error {err_central.min():.1e})")
glue("best_eps_forward", float(best_f), display=False)
glue("best_eps_central", float(best_c), display=False)

# %%
fig = Figure(figsize=(8.0, 3.6), layout="constrained")
ax = fig.add_subplot()
floor = 1e-17  # an error of exactly 0 cannot be drawn on a log scale
ax.loglog(eps_grid, np.maximum(err_forward, floor), "o-", color=BLUE, label="forward difference")
ax.loglog(eps_grid, np.maximum(err_central, floor), "s-", color=VERMILLION,
          label="central difference")
# guide lines: the two truncation slopes through the error at epsilon = 1e-3, and the
# round-off estimate u |e| / epsilon with u = 2^-53, all drawn a factor 10 below the data
c_fwd, c_cen = err_forward[2] / 1e-3, err_central[2] / 1e-3**2
wide, narrow = np.array([1e-8, 1e-1]), np.array([1e-5, 1e-1])
ax.loglog(wide, 0.1 * c_fwd * wide, ":", color=BLUE, lw=1.3, label=r"slope $\epsilon$ (truncation)")
ax.loglog(narrow, 0.1 * c_cen * narrow**2, ":", color=VERMILLION, lw=1.3,
          label=r"slope $\epsilon^2$ (truncation)")
tiny = np.array([1e-14, 1e-6])
ax.loglog(tiny, 0.1 * 2.0**-53 * e / tiny, ":", color="#555555", lw=1.3,
          label=r"slope $1/\epsilon$ (round-off)")
ax.set(xlabel=r"step $\epsilon$", ylabel=r"|error| of $\partial e/\partial w_5$",
       title="Finite differences: truncation against round-off")
ax.invert_xaxis()
ax.grid(True, which="major", color="#d0d0d0", lw=0.6)
fig.legend(fontsize=8.5, loc="outside right center")
for side in ("top", "right"):
    ax.spines[side].set_visible(False)
fig

# %% [markdown]
# Read the plot from left to right, as $\epsilon$ shrinks. Both errors first fall along their
# truncation slopes, then turn round and grow again as round-off takes over. The best step is
# about {glue:text}`best_eps_forward:.0e` for the forward difference and
# {glue:text}`best_eps_central:.0e` for the central one, where the two errors balance (the
# balance point scales like $\sqrt{u}$ for the forward and like $\sqrt[3]{u}$ for the central
# difference), and even there the result keeps only part of the sixteen digits. Two more
# drawbacks: one partial derivative costs one or two extra forward passes, so the gradient of
# $P$ parameters costs about $P$ or $2P$ passes; and the answer is never exact.
#
# ### Symbolic: differentiate the formula
#
# A computer algebra system differentiates the formula itself and returns an exact expression.
# Here sympy writes $e$ as one formula in the ten parameters and differentiates it. To keep the
# output readable, $\sigma$ is declared as a function whose derivative is $\sigma(1-\sigma)$:

# %%
import sympy as sp


class sig(sp.Function):
    """The logistic function for sympy, with sigma' = sigma (1 - sigma)."""

    def fdiff(self, argindex=1):
        return sig(self.args[0]) * (1 - sig(self.args[0]))


s_x1, s_x2, s_y1, s_y2 = sp.symbols("x1 x2 y1 y2")
s_w = sp.symbols("w1:9")
s_b1, s_b2 = sp.symbols("b1 b2")
s_h1 = sig(s_w[0] * s_x1 + s_w[1] * s_x2 + s_b1)
s_h2 = sig(s_w[2] * s_x1 + s_w[3] * s_x2 + s_b1)
s_o1 = sig(s_w[4] * s_h1 + s_w[6] * s_h2 + s_b2)
s_o2 = sig(s_w[5] * s_h1 + s_w[7] * s_h2 + s_b2)
s_e = (s_o1 - s_y1) ** 2 + (s_o2 - s_y2) ** 2

s_de_dw5 = sp.diff(s_e, s_w[4])
s_de_dw1 = sp.diff(s_e, s_w[0])
print("de/dw5 =", s_de_dw5)

# %% [markdown]
# That is $2(o_1 - y_1)\,o_1(1-o_1)\,h_1$ with every intermediate value written out in full,
# our $\delta_{o_1} h_1$. Evaluated at the example's numbers, the symbolic derivatives agree
# with backpropagation. But look at the size of the expressions, counted in arithmetic
# operations:

# %%
numbers = {s_x1: x1, s_x2: x2, s_y1: y1, s_y2: y2, s_b1: b1, s_b2: b2,
           **dict(zip(s_w, [w1, w2, w3, w4, w5, w6, w7, w8]))}
to_number = sp.lambdify(list(numbers), [s_e, s_de_dw5, s_de_dw1],
                        modules=[{"sig": sigmoid}, "numpy"])
sym_e, sym_dw5, sym_dw1 = to_number(*numbers.values())
print(f"e:      {sym_e:.6f} (backprop {e:.6f})")
print(f"de/dw5: {sym_dw5:.6f} (backprop {de_dw5:.6f})")
print(f"de/dw1: {sym_dw1:.6f} (backprop {de_dw1:.6f})")
print("operations: e", sp.count_ops(s_e), "| de/dw5", sp.count_ops(s_de_dw5),
      "| de/dw1", sp.count_ops(s_de_dw1))

# %% [markdown]
# The derivative with respect to a first-layer weight is several times longer than $e$ itself,
# because the chain rule copies the shared pieces ($o_1$, $o_2$, $h_1$) into every term.
# This *expression swell* grows with depth, and evaluating the expression as it stands
# recomputes every copy. Backpropagation is the same chain rule, but it computes each shared
# piece (each $\delta$) once, as a number, and reuses it.
#
# ### Automatic differentiation
#
# Automatic differentiation is that idea made general: the program is broken into elementary
# operations whose derivatives are known, and the chain rule is applied to *numbers* along the
# computational graph. It comes in two modes. **Forward mode** pushes a direction $\mathbf v$ in
# the *input* space through the graph together with the values, and returns the
# Jacobian-vector product $J\mathbf v$: one column of the Jacobian per pass. **Reverse mode**
# runs the graph once forward, then pulls a direction $\mathbf u$ in the *output* space back
# through it, and returns the vector-Jacobian product $\mathbf u^\top J$: one row of the
# Jacobian per backward pass. In PyTorch, forward mode is `torch.func.jvp`; reverse mode is
# `torch.autograd.grad` with a vector `grad_outputs`, which is what `backward()` runs (the
# functional `torch.func.vjp` computes the same product, but its first call loads parts of
# PyTorch's compiler and is noticeably slower than the later ones). Take a function from 40 inputs to 3 outputs, count how often it
# is evaluated, and build its whole Jacobian each way:

# %%
from torch.func import jvp

rng_ad = np.random.default_rng(3)
A_ad = torch.from_numpy(rng_ad.normal(size=(3, 40)))
v_ad = torch.from_numpy(rng_ad.normal(size=40))
passes = {"f": 0}


def f_ad(v):
    """A function from R^40 to R^3 (one tanh layer) that counts its own evaluations."""
    passes["f"] += 1
    return torch.tanh(A_ad @ v)


n_in, n_out = 40, 3
passes["f"] = 0
columns = [jvp(f_ad, (v_ad,), (torch.eye(n_in)[k],))[1] for k in range(n_in)]
J_forward, forward_passes = torch.stack(columns, dim=1), passes["f"]

passes["f"] = 0
v_leaf = v_ad.clone().requires_grad_()
out_ad = f_ad(v_leaf)                             # one forward pass, recording the graph
rows = [torch.autograd.grad(out_ad, v_leaf, torch.eye(n_out)[i], retain_graph=True)[0]
        for i in range(n_out)]                    # one backward pass per output direction
J_reverse, reverse_passes = torch.stack(rows), passes["f"]

J_exact = torch.autograd.functional.jacobian(lambda v: torch.tanh(A_ad @ v), v_ad)
print(f"forward mode: {forward_passes} jvp passes, one per input, give the "
      f"{tuple(J_forward.shape)} Jacobian column by column")
print(f"reverse mode: {reverse_passes} forward pass + {len(rows)} backward passes, one per output, "
      f"give it row by row")
print(f"largest difference from the Jacobian: forward {(J_forward - J_exact).abs().max():.1e}, "
      f"reverse {(J_reverse - J_exact).abs().max():.1e}")

# %% [markdown]
# Both modes give the exact Jacobian. The cost is what differs: forward mode needed one pass
# per input, reverse mode one forward pass and then one backward pass per output. A loss is a
# single number and a network has many parameters, so for training reverse mode wins by a
# factor of about the number of parameters: the gradient of a scalar is one backward pass with
# $\mathbf u = 1$. Reverse-mode automatic differentiation of a network *is* backpropagation. It
# is exact up to floating-point rounding and costs a small constant multiple of the forward
# pass. PyTorch's `backward()`, used above, is reverse mode.
#
# ## A network to check: 2-5-1 on the two moons
#
# The worked example has a single training example. From here on we use a network that looks
# more like a real one: 2 inputs, 5 sigmoid hidden units and 1 sigmoid output, on 200 points of
# the two-moons data, with the binary cross-entropy loss averaged over the batch. Its weights are
# random, drawn by the Xavier-uniform initialiser of {ref}`ch-initialisation`. For a sigmoid output with
# cross-entropy, $\partial L/\partial a = \frac{1}{N}\frac{a-y}{a(1-a)}$ and the $a(1-a)$
# cancels against $\sigma'$, so $\Delta^{(L)} = (A^{(L)} - Y)/N$.

# %%
from nndl_book.data import make_moons
from nndl_book.engine import numerical_gradient, relative_error
from nndl_book.maths.init import xavier_uniform

X_moons, y_moons = make_moons(200, noise=0.2, rng=0)
Xc, Yc = X_moons.T, y_moons[None, :].astype(float)   # examples as columns
rng = np.random.default_rng(2)
weights_m = [xavier_uniform((5, 2), rng), xavier_uniform((1, 5), rng)]
biases_m = [rng.normal(0, 0.1, 5), rng.normal(0, 0.1, 1)]


def bce(weights, biases):
    p = forward(Xc, weights, biases)[1][-1]
    return -np.mean(Yc * np.log(p) + (1 - Yc) * np.log(1 - p))


def bce_gradients(weights, biases, backward_fn=backward):
    Z, A = forward(Xc, weights, biases)
    p, n = A[-1], Xc.shape[1]
    return backward_fn((p - Yc) / (p * (1 - p)) / n, Z, A, weights)

# %% [markdown]
# The same 2-5-1 network in PyTorch, built from the same arrays. Autograd should give the same
# gradients as our two functions, up to rounding:

# %%
net = torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.Sigmoid(),
                          torch.nn.Linear(5, 1), torch.nn.Sigmoid())
with torch.no_grad():
    for layer, W, b_ in zip(net[::2], weights_m, biases_m):
        layer.weight.copy_(torch.from_numpy(W))
        layer.bias.copy_(torch.from_numpy(b_))
X_t = torch.from_numpy(X_moons)
y_t = torch.from_numpy(y_moons[:, None].astype(float))


def torch_gradients():
    net.zero_grad()
    torch.nn.functional.binary_cross_entropy(net(X_t), y_t).backward()
    return [p.grad.numpy() for p in net.parameters()]


ours = bce_gradients(weights_m, biases_m)
ours = [ours[0][0], ours[1][0], ours[0][1], ours[1][1]]   # W1, b1, W2, b2
theirs = torch_gradients()
rel_autograd = max(relative_error(a, t) for a, t in zip(ours, theirs))
print(f"loss: ours {bce(weights_m, biases_m):.6f}, torch "
      f"{torch.nn.functional.binary_cross_entropy(net(X_t), y_t).item():.6f}")
print(f"max relative difference of the gradients, ours vs autograd: {rel_autograd:.1e}")
glue("rel_autograd", float(rel_autograd), display=False)

# %% [markdown]
# The gradients are the same to within a few units of the last digit. Which of the two is
# faster, and why the answer depends on the size of the network, is measured in
# {ref}`sec-timing-autograd`.
#
# ## Gradient checking
#
# Finite differences are too slow and too inexact to train with, but they are the perfect
# *test* for a backward pass, because they need nothing but the forward pass. Take a network,
# compute its gradient by backpropagation and by central differences, and compare them with a
# relative error scaled by the size of the gradient. `nndl_book.engine.numerical_gradient`
# computes the central differences (perturbing a parameter array in place and restoring it),
# and `relative_error` compares. We check our `backward` on the 2-5-1 network of the previous
# section:

# %%
def check_backward(backward_fn):
    gW, gb = bce_gradients(weights_m, biases_m, backward_fn)
    for name, param, grad in zip(["W1", "b1", "W2", "b2"],
                                 [weights_m[0], biases_m[0], weights_m[1], biases_m[1]],
                                 [gW[0], gb[0], gW[1], gb[1]]):
        numeric = numerical_gradient(lambda _: bce(weights_m, biases_m), param)
        print(f"  {name}: relative error {relative_error(grad, numeric):.1e}")


print("our backward:")
check_backward(backward)

# %% [markdown]
# All four relative errors are below $10^{-7}$, a common rule of thumb for a correct backward
# pass. They are not zero because the central differences (here with $\epsilon = 10^{-6}$)
# carry their own truncation and round-off error, as the section on finite differences showed. A check is
# only worth something if it catches mistakes, so here is a classic one: a backward pass that
# forgets the factor $f'(\mathbf z)$ in the δ recursion.

# %%
def backward_forgets_f_prime(dL_dA, Z, A, weights, df=d_sigmoid):
    """A buggy backward pass: the hidden error terms lack the factor f'(z)."""
    grads_W, grads_b = [None] * len(weights), [None] * len(weights)
    delta = df(Z[-1]) * dL_dA
    for l in reversed(range(len(weights))):
        grads_W[l], grads_b[l] = delta @ A[l].T, delta.sum(axis=1)
        if l > 0:
            delta = weights[l].T @ delta          # bug: no df(Z[l - 1]) *
    return grads_W, grads_b


print("buggy backward:")
check_backward(backward_forgets_f_prime)

# %% [markdown]
# The output layer is still right (its error term has the factor), while the hidden layer's
# gradients are off by a relative error of order one: the check points at the layer with the
# bug. The package runs the same check on its own engine with `check_gradients`:

# %%
from nndl_book.engine import check_gradients

mlp_m = MLP.from_weights(weights_m, biases_m, activation="sigmoid", output_activation="sigmoid")
for name, err in check_gradients(mlp_m, "binary_cross_entropy", X_moons, y_moons).items():
    print(f"  {name}: relative error {err:.1e}")

# %% [markdown]
# ## Explore: a forward and backward pass
#
# The explorer runs the worked example forward and backward. Each node shows its value (black)
# and its error term (vermillion): $\partial e/\partial\,\text{net}$ for the hidden and output
# neurons, $\partial e/\partial x$ for the inputs. Each edge is drawn as thick as its weight's
# gradient is large, vermillion when the gradient is positive (gradient descent will decrease
# the weight) and blue when it is negative; the bars on the right give the eight weight
# gradients. Things to try:
#
# - set $x_1 = 0$: the gradients of $w_1$ and $w_3$, the weights leaving $x_1$, vanish, because a
#   weight's gradient is the error at its end times the activation at its start;
# - set the target $y_1$ to 0.74, about what $o_1$ already is: $\delta_{o_1}$ nearly vanishes,
#   and so do the gradients of $w_5$ and $w_7$;
# - compare the bars of the hidden weights with those of the output weights: the hidden ones
#   are far smaller, because every step back through a sigmoid multiplies the error by
#   $\sigma'(z) \le \tfrac14$, and here the inputs that multiply the hidden errors are small.
#
# With a live kernel (Binder, Colab) the weight $w_5$ can be changed too.

# %% tags=["hide-input"]
from nndl_book.widgets import Control, Explorer


def worked_example(x_1, w_5, y_1):
    """Forward and backward pass of the 2-2-2 example with x1, w5 and y1 changed."""
    x_vec, t_vec = np.array([x_1, x2]), np.array([y_1, y2])
    W_2 = np.array([[w_5, w7], [w6, w8]])
    h = sigmoid(W1_mat @ x_vec + b1)
    o = sigmoid(W_2 @ h + b2)
    d_out = 2 * (o - t_vec) * o * (1 - o)
    d_hid = h * (1 - h) * (W_2.T @ d_out)
    return dict(x=x_vec, h=h, o=o, t=t_vec, e=float(np.sum((o - t_vec) ** 2)),
                d_in=W1_mat.T @ d_hid, d_hid=d_hid, d_out=d_out,
                gW1=np.outer(d_hid, x_vec), gW2=np.outer(d_out, h))


EDGES = [  # name, layer, (to, from) index in the weight matrix
    ("w₁", 0, (0, 0)), ("w₂", 0, (0, 1)), ("w₃", 0, (1, 0)), ("w₄", 0, (1, 1)),
    ("w₅", 1, (0, 0)), ("w₆", 1, (1, 0)), ("w₇", 1, (0, 1)), ("w₈", 1, (1, 1)),
]
GRAD_LIMIT = 0.3


def draw_passes(x_1, w_5, y_1):
    r = worked_example(x_1, w_5, y_1)
    fig = Figure(figsize=(7.4, 3.1))
    ax = fig.add_axes((0.0, 0.0, 0.58, 0.9))
    bars = fig.add_axes((0.65, 0.14, 0.22, 0.72))
    grads = [r["gW1"] if layer == 0 else r["gW2"] for _, layer, _ in EDGES]
    grads = [g[idx] for g, (_, _, idx) in zip(grads, EDGES)]
    for (_, layer, (j, i)), g in zip(EDGES, grads):
        ax.plot([layer, layer + 1], [1 - i, 1 - j], color=VERMILLION if g > 0 else BLUE,
                lw=0.6 + 7 * min(abs(g) / GRAD_LIMIT, 1), alpha=0.55, zorder=1,
                solid_capstyle="round")
    layers = [("x", r["x"], r["d_in"]), ("h", r["h"], r["d_hid"]), ("o", r["o"], r["d_out"])]
    for col, (name, values, errors) in enumerate(layers):
        for i in range(2):
            face = "white" if name == "h" else "#e6f2ec"
            ax.add_patch(Circle((col, 1 - i), 0.28, fc=face, ec="black", lw=1.1, zorder=2))
            ax.text(col, 1 - i + 0.09, f"{values[i]:.3f}", ha="center", va="center",
                    fontsize=9.5, zorder=3)
            ax.text(col, 1 - i - 0.1, f"{errors[i]:+.4f}", ha="center", va="center",
                    fontsize=8.5, color=VERMILLION, zorder=3)
            ax.text(col - 0.3, 1 - i + 0.27, f"{name}{'₁₂'[i]}", ha="right", fontsize=10)
    for i in range(2):
        ax.text(2.36, 1 - i, f"target\n{r['t'][i]:.2f}", va="center", fontsize=8.5)
    ax.set_xlim(-0.45, 2.85)
    ax.set_ylim(-0.42, 1.42)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"e = {r['e']:.4f}", fontsize=10)
    bars.barh(range(8), np.clip(grads, -GRAD_LIMIT, GRAD_LIMIT),
              color=[VERMILLION if g > 0 else BLUE for g in grads])
    bars.set_yticks(range(8), [name for name, _, _ in EDGES])
    bars.invert_yaxis()
    bars.set_xlim(-GRAD_LIMIT, GRAD_LIMIT)
    bars.axvline(0, color="black", lw=0.8)
    bars.set_title("∂e/∂w", fontsize=10)
    bars.tick_params(labelsize=8.5)
    for k, g in enumerate(grads):
        bars.text(1.04 * GRAD_LIMIT, k, f"{g:+.4f}", va="center", fontsize=8, clip_on=False)
    for side in ("top", "right"):
        bars.spines[side].set_visible(False)
    return fig, {"e": f"{r['e']:.4f}", "∂e/∂w₁": f"{grads[0]:.5f}",
                 "∂e/∂w₅": f"{grads[4]:.4f}"}


Explorer(
    draw_passes,
    [
        Control("x_1", [-1.0, 0.0, 0.05, 1.0], label="input x₁",
                live_values=[-2.0, -1.0, -0.5, 0.0, 0.05, 0.5, 1.0, 2.0]),
        Control("y_1", [0.12, 0.5, 0.74, 1.0], label="target y₁",
                live_values=[0.0, 0.12, 0.25, 0.5, 0.74, 0.9, 1.0]),
        Control("w_5", [0.3], label="weight w₅",
                live_values=[-1.0, -0.5, 0.0, 0.3, 0.5, 1.0, 2.0]),
    ],
    title="Forward values and backward error terms of the 2-2-2 network",
    defaults={"x_1": 0.05, "y_1": 0.12, "w_5": 0.3},
    dpi=90,
)

# %% [markdown]
# ## Exercises
#
# (sec-symmetry-breaking)=
# ### Symmetry breaking (NNDL 4-8)
#
# ```{exercise} NNDL 4-8
# :label: ex-02-nndl-4-8
# Why must the parameters of a feedforward network not all be initialised to 0 (or to any
# other common value)? Train a small network from $W = 0$, $\mathbf b = 0$ and look at its
# hidden units; then train it from random weights.
# ```
#
# ```{solution-start} ex-02-nndl-4-8
# :class: dropdown
# ```
#
# If all the weights and biases into the hidden layer are equal, every hidden unit computes
# the same function of the input, so they all have the same activation $a_i$. If also each
# output unit $k$ has equal weights $w_{ki}$ from all hidden units, the δ recursion gives every
# hidden unit the same error term $\delta^{(1)}_i = f'(z_i)\sum_k w_{ki}\delta^{(2)}_k$, and
# hence the same gradient row $\delta^{(1)}_i \mathbf x^\top$ and bias gradient. The output
# weights get the gradients $\delta^{(2)}_k a_i$, again equal for all $i$. Equal parameters
# get equal updates and stay equal: by induction, the hidden units remain copies of each other
# for the whole of training, and a layer of five units can do no more than a layer of one.
# Zero is the most common case of a common value.
#
# The demonstration trains the 2-5-1 sigmoid network on the two moons by full-batch gradient
# descent. The training step below writes every matrix product as element-wise products and
# row sums, so that each hidden unit is computed by exactly the same floating-point operations
# (why that matters is explained after the experiment).

# %%
def train_step(W1, b1_, W2, b2_, lr, X, Y):
    """One gradient-descent step on the mean cross-entropy; updates the arrays in place."""
    Z1 = (W1[:, :, None] * X[None]).sum(axis=1) + b1_[:, None]      # = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = (W2[:, :, None] * A1[None]).sum(axis=1) + b2_[:, None]     # = W2 @ A1 + b2
    P2 = sigmoid(Z2)
    D2 = (P2 - Y) / X.shape[1]                                       # output error terms
    D1 = d_sigmoid(Z1) * (W2.T * D2)                                 # the delta recursion
    W2 -= lr * (D2[:, None, :] * A1[None]).sum(axis=2)               # D2 @ A1.T
    b2_ -= lr * D2.sum(axis=1)
    W1 -= lr * (D1[:, None, :] * X[None]).sum(axis=2)                # D1 @ X.T
    b1_ -= lr * D1.sum(axis=1)
    return D2


def train_moons(W1, b1_, W2, b2_, steps=2000, lr=2.0, X=None, Y=None):
    """Train in place on (X, Y), by default the two moons; return the loss and accuracy."""
    X, Y = (Xc, Yc) if X is None else (X, Y)
    for _ in range(steps):
        train_step(W1, b1_, W2, b2_, lr, X, Y)
    p = forward(X, [W1, W2], [b1_, b2_])[1][-1]
    loss = -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    return loss, np.mean((p > 0.5) == Y)


zero_net = [np.zeros((5, 2)), np.zeros(5), np.zeros((1, 5)), np.zeros(1)]
loss_zero, acc_zero = train_moons(*zero_net)
W1_zero = zero_net[0]
print("hidden weight rows after 2000 steps from zero:\n", W1_zero)
print("largest difference between hidden rows:", np.abs(W1_zero - W1_zero[0]).max(),
      "| between hidden biases:", np.abs(zero_net[1] - zero_net[1][0]).max(),
      "| between output weights:", np.abs(zero_net[2] - zero_net[2][0, 0]).max())
print(f"loss {loss_zero:.4f}, training accuracy {acc_zero:.3f}")

# %% [markdown]
# The five rows are identical to the last bit: the network has effectively one hidden unit,
# and its decision boundary is a straight line (the output is a monotone function of one
# linear combination of the inputs).
#
# These data have the same number of points in each class, and that makes the zero start
# special. There every output is $\sigma(0) = \frac12$, so the output error terms
# $(\frac12 - y_n)/N$ sum to zero over the batch; the output weights, whose gradient is that
# sum times the common hidden activation $\frac12$, get no gradient, and the hidden layer gets
# none because $W^{(2)} = 0$. The zero start is a *stationary point* of the loss. The first step
# shows it, up to round-off:

# %%
first_step = [np.zeros((5, 2)), np.zeros(5), np.zeros((1, 5)), np.zeros(1)]
D2_first = train_step(*first_step, 2.0, Xc, Yc)
print("class sizes:", np.bincount(y_moons), "| sum of the output error terms:",
      f"{D2_first.sum():.1e}")
print("largest parameter change in the first step:",
      f"{max(np.abs(param).max() for param in first_step):.1e}")

# %% [markdown]
# What moved the network above off that point is the round-off in the sum, of the order of
# $10^{-18}$: the stationary point is unstable, and the learning rate 2 amplified that
# perturbation step after step until the single effective unit learned a line. On data with
# unequal classes the output bias gets a real gradient at once, and the zero start learns the
# same kind of line without help from round-off (the sources box at the end of the chapter runs
# it). Either way the units stay copies. From random weights (here standard normal) the units
# differ from the start and become different features:

# %%
rng_init = np.random.default_rng(0)
random_net = [rng_init.normal(size=(5, 2)), np.zeros(5), rng_init.normal(size=(1, 5)),
              np.zeros(1)]
loss_random, acc_random = train_moons(*random_net)
print("hidden weight rows after 2000 steps from random weights:\n", random_net[0])
print(f"loss {loss_random:.4f}, training accuracy {acc_random:.3f}")

# %% [markdown]
# The two decision boundaries side by side: a straight line from the zero start, a curve that
# follows the moons from the random one.

# %%
from nndl_book.plots import plot_decision_boundary


def predictor(W1, b1_, W2, b2_):
    return lambda grid: forward(grid.T, [W1, W2], [b1_, b2_])[1][-1].ravel()


fig = Figure(figsize=(9.0, 3.6), layout="constrained")
left, right = fig.subplots(1, 2)
plot_decision_boundary(predictor(*zero_net), X_moons, y_moons, ax=left,
                       title=f"from zero: accuracy {acc_zero:.3f}")
plot_decision_boundary(predictor(*random_net), X_moons, y_moons, ax=right,
                       title=f"from random weights: accuracy {acc_random:.3f}")
fig

# %% [markdown]
# With $\tanh$ or ReLU hidden units, zero is even worse: $f(0) = 0$, so the hidden activations
# are zero, the output weights get the gradient $\delta^{(2)}(\mathbf a^{(1)})^\top = 0$, and
# the hidden error terms $(W^{(2)})^\top\delta^{(2)}$ are zero because $W^{(2)} = 0$. Only the
# output bias learns. One backward pass with the chapter's `backward` shows it:

# %%
from nndl_book.maths.activations import d_tanh, tanh

zeros_W, zeros_b = [np.zeros((5, 2)), np.zeros((1, 5))], [np.zeros(5), np.zeros(1)]
Z_t, A_t = forward(Xc, zeros_W, zeros_b, f=tanh)
gW_t, gb_t = backward(A_t[-1] - Yc, Z_t, A_t, zeros_W, df=d_tanh)
print("nonzero entries: dW1", np.count_nonzero(gW_t[0]), "| db1", np.count_nonzero(gb_t[0]),
      "| dW2", np.count_nonzero(gW_t[1]), "| db2", np.count_nonzero(gb_t[1]))

# %% [markdown]
# **Why the training step avoided `@`.** The symmetry argument holds in exact arithmetic. A
# BLAS matrix product, which numpy's `@` calls, may sum different rows of the result in
# different orders (blocked and vectorised kernels), so identical rows can come out differing in
# the last bit. Gradient descent can then amplify such a difference step after step until the
# units separate. Training the same network from zero with the
# chapter's `forward` and `backward`, which use `@`:

# %% tags=["nbval-ignore-output"]
# The round-off that breaks the symmetry depends on the BLAS library and the CPU, so this
# output varies between machines; nbval does not compare it.
blas_W, blas_b = [np.zeros((5, 2)), np.zeros((1, 5))], [np.zeros(5), np.zeros(1)]
first_split = None
for step in range(1, 2001):
    Z_s, A_s = forward(Xc, blas_W, blas_b)
    gW_s, gb_s = backward((A_s[-1] - Yc) / (A_s[-1] * (1 - A_s[-1])) / Xc.shape[1],
                          Z_s, A_s, blas_W)
    for param, grad in zip(blas_W + blas_b, gW_s + gb_s):
        param -= 2.0 * grad
    if first_split is None and np.any(blas_W[0] != blas_W[0][0]):
        first_split = step
spread = np.abs(blas_W[0] - blas_W[0][0]).max()
p_blas = forward(Xc, blas_W, blas_b)[1][-1]
acc_blas = np.mean((p_blas > 0.5) == Yc)
print(f"first step with unequal hidden rows: {first_split}; "
      f"largest row difference after 2000 steps: {spread:.2e}")
print(f"after 2000 steps: loss {bce(blas_W, blas_b):.4f}, training accuracy {acc_blas:.3f} "
      f"(exact symmetry: {acc_zero:.3f}, random start: {acc_random:.3f})")
glue("blas_first_split", first_split if first_split is not None else 0, display=False)
glue("blas_accuracy", float(acc_blas), display=False)
glue("blas_spread", float(spread), display=False)

# %% [markdown]
# On the machine that built this page the rows first differed at step
# {glue:text}`blas_first_split`, and after 2000 steps they differ by
# {glue:text}`blas_spread:.2f`. The second line sets the training accuracy of this run,
# {glue:text}`blas_accuracy:.3f`, beside the exactly symmetric network's and the random start's.
# Whether, when and how far such a split happens, and what it is worth, depends on the BLAS
# library and the CPU, and nothing in the training controls it.
# Random initialisation breaks the symmetry deliberately, at step 0, by a margin of the size of
# the weights.
#
# ```{solution-end}
# ```
#
# ```{exercise} The δ recursion for tanh
# :label: ex-02-tanh-delta
# Write the δ recursion for a network whose hidden layers use $\tanh$. Show that, as for the
# sigmoid, $f'(\mathbf z^{(l)})$ can be computed from the activation $\mathbf a^{(l)}$ alone.
# Check your formula on a 2-3-3-1 $\tanh$ network against autograd.
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a function delta_below(a, W_next, delta_next) returning δ of a
# tanh layer, computed from its activation a only), then run it.

# %%
from nndl_book.exercises import check, quiz

def my_delta_below(a, W_next, delta_next):
    raise NotImplementedError  # edit: return δ of a tanh layer, computed from its activation a only

check("ex-02-tanh-delta", my_delta_below)


# %% [markdown]
# ```{solution-start} ex-02-tanh-delta
# :class: dropdown
# ```
#
# Since $\tanh'(z) = 1 - \tanh^2(z)$, the factor is $f'(\mathbf z^{(l)}) = 1 - \mathbf a^{(l)}
# \odot \mathbf a^{(l)}$, so
#
# $$ \delta^{(l)} = \big(1 - \mathbf a^{(l)} \odot \mathbf a^{(l)}\big) \odot
#    \big(W^{(l+1)}\big)^\top \delta^{(l+1)} . $$
#
# No second evaluation of $\tanh$ is needed: the forward pass has stored $\mathbf a^{(l)}$. Here
# every layer, the output included, uses $\tanh$, and the loss is the summed squared error.

# %%
rng_t = np.random.default_rng(5)
sizes_t = [2, 3, 3, 1]
W_t = [rng_t.normal(size=(m, n)) for n, m in zip(sizes_t[:-1], sizes_t[1:])]
b_t = [rng_t.normal(size=m) for m in sizes_t[1:]]
X_tanh, Y_tanh = rng_t.normal(size=(2, 4)), rng_t.normal(size=(1, 4))

Z_tanh, A_tanh = forward(X_tanh, W_t, b_t, f=tanh)
delta = (1 - A_tanh[-1] ** 2) * 2 * (A_tanh[-1] - Y_tanh)
grads_tanh = []
for l in reversed(range(3)):
    grads_tanh.insert(0, delta @ A_tanh[l].T)
    if l > 0:
        delta = (1 - A_tanh[l] ** 2) * (W_t[l].T @ delta)      # f'(z) from the activation

W_torch = [torch.tensor(W, requires_grad=True) for W in W_t]
a_torch = torch.from_numpy(X_tanh)
for W, b_ in zip(W_torch, b_t):
    a_torch = torch.tanh(W @ a_torch + torch.from_numpy(b_)[:, None])
((a_torch - torch.from_numpy(Y_tanh)) ** 2).sum().backward()
for l, (mine, W) in enumerate(zip(grads_tanh, W_torch), start=1):
    rel = relative_error(mine, W.grad.numpy())
    # the last bits depend on the CPU's summation order, so print a bound, not the value
    print(f"dL/dW{l}: relative difference to autograd {'< 1e-14' if rel < 1e-14 else f'{rel:.1e}'}")

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise} The backward pass of a layer, for a batch, by hand
# :label: ex-02-batch-backward
# A linear layer $Z = WX + \mathbf b\mathbf 1^\top$ has
#
# $$ W = \begin{pmatrix} 1 & 2 \\ 0 & -1 \end{pmatrix}, \qquad
#    X = \begin{pmatrix} 1 & 0 & 2 \\ -1 & 1 & 0 \end{pmatrix}, $$
#
# a batch of three examples as columns. The layers above it have sent back
#
# $$ G = \frac{\partial L}{\partial Z} = \begin{pmatrix} 1 & 0 & -1 \\ 2 & 1 & 0 \end{pmatrix}. $$
#
# Compute $\partial L/\partial W$, $\partial L/\partial \mathbf b$ and $\partial L/\partial X$ by
# hand. Why is $\partial L/\partial\mathbf b$ a sum over the batch, and why does the bias value
# not matter?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (your three gradients (dW, db, dX) as arrays), then run it.

# %%
answer = (..., ..., ...)  # edit: dL/dW, dL/db, dL/dX as numpy arrays
check("ex-02-batch-backward", answer)


# %% [markdown]
# ```{solution-start} ex-02-batch-backward
# :class: dropdown
# ```
#
# Entry $(i, j)$ of $\partial L/\partial W$ sums, over the examples, the error of neuron $i$
# times input $j$: $\partial L/\partial W = G X^\top$. The bias is added to every column, so its
# gradient adds the errors of all examples: $\partial L/\partial \mathbf b = G\mathbf 1$. The
# gradient for the layer below is $\partial L/\partial X = W^\top G$. None of the three involves
# $\mathbf b$: $Z$ depends on $\mathbf b$ only through a sum, whose derivative is 1 whatever
# the value. For example, $(G X^\top)_{11} = 1\cdot 1 + 0\cdot 0 + (-1)\cdot 2$. All of it in
# numpy, and checked by autograd (any value of $\mathbf b$ gives the same gradients):

# %%
W_ex3 = np.array([[1.0, 2.0], [0.0, -1.0]])
X_ex3 = np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.0]])
G_ex3 = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
print("dL/dW = G X^T =\n", G_ex3 @ X_ex3.T)
print("dL/db = G 1   =", G_ex3.sum(axis=1))
print("dL/dX = W^T G =\n", W_ex3.T @ G_ex3)

tW = torch.tensor(W_ex3, requires_grad=True)
tX = torch.tensor(X_ex3, requires_grad=True)
tb3 = torch.tensor([0.5, -2.0], requires_grad=True)
(tW @ tX + tb3[:, None]).backward(torch.from_numpy(G_ex3))
print("autograd agrees:", np.allclose(tW.grad, G_ex3 @ X_ex3.T),
      np.allclose(tb3.grad, G_ex3.sum(axis=1)), np.allclose(tX.grad, W_ex3.T @ G_ex3))

# %% [markdown]
# ```{solution-end}
# ```
#
# ## Checking the sources
#
# Students often meet this chapter's material first in blog answers and course notes. Two more
# of their claims can be checked with the code of this chapter. A blog overview of network basics
# derives the backward pass of a 2-3-2-1 network without biases or activations,
# $y = W^{(3)}W^{(2)}W^{(1)}\mathbf x$ and $L = \frac12(y - t)^2$, and writes the gradient of the
# first layer as the transpose of the row vector $W^{(3)}W^{(2)}$ times the input (a
# broadcasting product that amounts to the outer product $(W^{(3)}W^{(2)})^\top\mathbf x^\top$),
# but in that matrix its third entry is spelled $w^3_{11}w^2_{21} + w^3_{21}w^2_{32}$ instead of
# $w^3_{11}w^2_{31} + w^3_{21}w^2_{32}$ (the entry-by-entry derivatives before it have it right), and its matrix equation sets $\partial L/\partial W^{(1)}$
# equal to $\partial y/\partial W^{(1)}$, without the factor $\partial L/\partial y$ (its
# summary line writes $\partial L/\partial W^{(1)}$ where that factor belongs). Autograd decides (in the blog's notation $w^l_{jk}$ runs from unit $j$
# to unit $k$, which is entry $(k, j)$ of our $W^{(l)}$):

# %%
rng_src = np.random.default_rng(11)
W1_src, W2_src, W3_src = (rng_src.normal(size=s) for s in [(3, 2), (2, 3), (1, 2)])
x_src, t_src = rng_src.normal(size=(2, 1)), 0.5
tW1 = torch.tensor(W1_src, requires_grad=True)
y_src = torch.from_numpy(W3_src) @ torch.from_numpy(W2_src) @ tW1 @ torch.from_numpy(x_src)
(0.5 * (y_src - t_src) ** 2).sum().backward()
dL_dy = y_src.item() - t_src

row = W3_src @ W2_src                                    # entry k: sum_m w3_m1 w2_km (blog)
row_typo = row.copy()
row_typo[0, 2] = W3_src[0, 0] * W2_src[0, 1] + W3_src[0, 1] * W2_src[1, 2]   # w2_21 for w2_31
candidates = {
    "dL/dy (W3 W2)^T x^T (correct)": dL_dy * row.T @ x_src.T,
    "with the misspelt third entry": dL_dy * row_typo.T @ x_src.T,
    "without the factor dL/dy": row.T @ x_src.T,
}
for name, grad in candidates.items():
    wrong_rows = np.flatnonzero(np.abs(grad - tW1.grad.numpy()).max(axis=1) > 1e-12) + 1
    print(f"{name:<32} largest difference from autograd "
          f"{np.abs(grad - tW1.grad.numpy()).max():.1e}, wrong rows: {list(wrong_rows)}")

# %% [markdown]
# The NNDL practice chapter trains the 2-5-1 network of NNDL 4-8 from all-zero parameters and
# reports an accuracy of about 50%, concluding that the model learned nothing. Its listing,
# though, runs only 5 epochs (full-batch steps) at learning rate 0.2. The chapter's
# `train_moons` at that learning rate: from zero and from the random start of NNDL 4-8, for 5
# steps; and from zero for 2000 steps, on our balanced data and on a subset with 100 points of
# class 0 and 80 of class 1:

# %%
def start(random):
    if not random:
        return [np.zeros((5, 2)), np.zeros(5), np.zeros((1, 5)), np.zeros(1)]
    r = np.random.default_rng(0)
    return [r.normal(size=(5, 2)), np.zeros(5), r.normal(size=(1, 5)), np.zeros(1)]


unequal = np.r_[np.flatnonzero(y_moons == 0), np.flatnonzero(y_moons == 1)[:80]]
runs = [("zero start,   balanced 100/100", False, 5, Xc, Yc),
        ("random start, balanced 100/100", True, 5, Xc, Yc),
        ("zero start,   balanced 100/100", False, 2000, Xc, Yc),
        ("zero start,   unequal  100/80 ", False, 2000, Xc[:, unequal], Yc[:, unequal])]
for name, random, steps, X_run, Y_run in runs:
    loss_src, acc_src = train_moons(*start(random), steps=steps, lr=0.2, X=X_run, Y=Y_run)
    print(f"{name}, {steps:4d} steps: loss {loss_src:.4f}, training accuracy {acc_src:.3f}")

# %% [markdown]
# ```{admonition} What the sources get wrong
# :class: warning
#
# - **"e = 0.3532"** (a course homework, the worked example above). The correct error is
#   $e =$ {glue:text}`e_worked:.4f`. Every other number of that solution is right (the
#   comparison table differs from it by at most one unit of the last digit, apart from $e$);
#   the slip is a sign: $(0.7401 - 0.12)^2 - (0.7729 - 0.95)^2$ prints 0.3532.
# - **The gradient of the first layer** of a linear 2-3-2-1 network (a blog overview of network
#   basics). In its matrix form the third entry has $w^2_{21}$ where $w^2_{31}$ belongs, and
#   the matrix equation drops the factor $\partial L/\partial y$. In the output above only the correct formula matches
#   autograd; the misspelt entry makes row 3 wrong and the missing factor every row.
# - **Zero initialisation "gives about 50% accuracy, the model learns nothing"** (the NNDL
#   practice chapter). Its listing trains for 5 steps, and after 5 steps at its learning rate
#   the random start scores the same 0.500 as the zero start (first two lines of the output
#   above): the number says nothing about initialisation. What a zero start really does is make
#   the hidden units copies of each other ({ref}`sec-symmetry-breaking`). On exactly balanced
#   classes it is also a stationary point, an unstable one that only round-off moves off (as
#   learning rate 2 did above): at this learning rate it is still at 0.500 after 2000 steps
#   (third line). With unequal classes the gradient itself moves it off, and it learns a
#   straight boundary (last line).
# - **"Automatic differentiation beats hand-written gradients in time and in results"** (the
#   same practice chapter). The results are the same numbers: in the two-moons check above,
#   ours and autograd's gradients differ by a relative {glue:text}`rel_autograd:.1e`, which is
#   rounding. Which is faster depends on the size of the network: see
#   {ref}`sec-timing-autograd`.
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("02")


# %% [markdown]
# ## Summary
#
# - The chain rule on a computational graph: the gradient at a node is the gradient at its
#   successor times the local derivative of the edge, summed over all successors.
# - For a layer, with the error term $\delta^{(l)} = \partial L/\partial\mathbf z^{(l)}$:
#   $\partial L/\partial W^{(l)} = \delta^{(l)}(\mathbf a^{(l-1)})^\top$,
#   $\partial L/\partial \mathbf b^{(l)} = \delta^{(l)}$ and
#   $\delta^{(l)} = f_l'(\mathbf z^{(l)})\odot(W^{(l+1)})^\top\delta^{(l+1)}$. For a batch the
#   vectors become matrices with one column per example, and the gradients sum over them.
# - In the worked 2-2-2 example the error is $e =$ {glue:text}`e_worked:.4f`, with
#   $\partial e/\partial w_5 =$ {glue:text}`de_dw5:.6f` and $\partial e/\partial w_6 =$
#   {glue:text}`de_dw6:.6f`; our code, the matrix form, `nndl_book` and PyTorch agree. A
#   published solution agrees with every number except $e = 0.3532$, which subtracts the second
#   squared error instead of adding it.
# - Finite differences are simple but inexact and cost a forward pass per parameter; symbolic
#   differentiation is exact but its expressions swell; reverse-mode automatic differentiation
#   (backpropagation) is exact and costs about one extra pass. Finite differences remain the
#   standard *check* of a backward pass.
# - Equal initial weights make the hidden units identical forever in exact arithmetic (NNDL
#   exercise 4-8); round-off in a matrix product can pull them apart, at a step nothing in
#   the training controls. Random initialisation breaks the symmetry deliberately.
#
# ## References
#
# ```{footbibliography}
# ```
