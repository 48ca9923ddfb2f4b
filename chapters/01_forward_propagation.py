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
         "myst-nb", "nndl_book @ git+https://github.com/nndl-book/nndl-book@v0.1.0"],
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
# - push a whole batch through a network with matrix products only;
# - explain why a stack of linear layers is still one linear map, and why that makes
#   activation functions necessary.

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
# function; chapter 5 shows the classic consequence, that a linear network cannot compute XOR.
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
#
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
#
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
#
# ```{solution-start} ex-01-nndl-4-5
# :class: dropdown
# ```
#
# The first hidden layer has $(M_0 + 1)\,N/L$ parameters, each of the other $L-1$ hidden layers
# $(N/L + 1)\,N/L$, and the output $N/L + 1$. Adding up (the $(L-1)N/L$ and $N/L$ bias terms
# sum to $N$):
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
# ## Summary
#
# - A neuron computes $a = f(\mathbf w^\top\mathbf x + b)$; a layer does it for many neurons at
#   once with one matrix, $\mathbf z = W\mathbf x + \mathbf b$.
# - A batch is a matrix too; forward propagation of a batch is a chain of matrix products and
#   element-wise functions.
# - Without nonlinear activations, any number of layers collapses into one linear map.
# - Our numpy code, the `nndl_book` engine and `torch.nn.Linear` agree to rounding error.
#
# ## References
#
# ```{footbibliography}
# ```
