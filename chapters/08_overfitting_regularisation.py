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
# (ch-regularisation)=
# # 8. Overfitting and regularisation
#
# A network with four thousand weights can fit thirty training points perfectly, noise and all,
# and then classify new points worse than a network a hundred times smaller. That is
# *overfitting*: the training error keeps falling while the error on data the network has not
# seen stops falling and turns up. This chapter makes it visible on a small problem, then tries
# the standard remedies one by one: the $\ell_2$ penalty (weight decay), the $\ell_1$ penalty,
# early stopping, dropout, batch normalisation, data augmentation and simply a smaller network.
# Each is written by hand in a few lines of numpy, checked against PyTorch, and measured on the
# same task with the same seeds, so that at the end they can be compared in one table. The
# chapter follows NNDL {footcite}`qiu2020nndl` §7.7 (network regularisation, with batch
# normalisation from §7.5) and Nielsen {footcite}`nielsen2015nndl` ch. 3.
#
# **Learning goals.** After this chapter you can
#
# - recognise overfitting in training curves (the dev loss turns up while the training loss
#   keeps falling) and in decision boundaries;
# - add an $\ell_2$ or $\ell_1$ penalty to a loss and say what it does to each gradient step,
#   and explain why an $\ell_2$ penalty and weight decay are the same thing for plain SGD but not
#   for Adam;
# - write early stopping, inverted dropout and batch normalisation yourself and match torch;
# - compare regularisers fairly: same data, same seeds, one table;
# - explain why the biases are left out of the penalty (NNDL exercise 4-7).

# %%
import numpy as np
import torch
from matplotlib.figure import Figure
from myst_nb import glue
from torch import nn
from torch.nn import functional as F

from nndl_book.data import make_moons
from nndl_book.engine import Activation, History, Linear
from nndl_book.maths.activations import sigmoid
from nndl_book.maths.losses import binary_cross_entropy_with_logits as bce
from nndl_book.maths.losses import d_binary_cross_entropy_with_logits as d_bce
from nndl_book.plots import PALETTE, plot_decision_boundary, plot_history, plot_weight_histograms
from nndl_book.training import build_mlp



def same(ours, theirs, tol=1e-10):
    """Whether two arrays (numpy or torch) agree to within `tol` everywhere."""
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    return bool(np.max(np.abs(np.asarray(ours) - theirs)) < tol)


# %% [markdown]
# ## The task: thirty noisy moons
#
# The data are the two moons of earlier chapters with a lot of noise (standard deviation 0.3 on
# each coordinate), so that the classes overlap and no boundary can be right everywhere. The
# network trains on only **30 points**. A separate draw of **300 points** from the same
# distribution is the *development set* (NNDL's validation set): we never train on it, we only
# measure on it. In the comparison at the end, seeds 0, 1 and 2 each draw a fresh training
# set and fresh initial weights, while the dev set stays the same; the single runs and figures
# before it all use seed 1.

# %%
N_TRAIN, NOISE = 30, 0.3
X_dev, y_dev = make_moons(300, noise=NOISE, rng=1000)


def moons(seed):
    """The training set of one seed: 30 noisy two-moons points."""
    return make_moons(N_TRAIN, noise=NOISE, rng=seed)


SEED = 1  # the training set shown in the figures
X_train, y_train = moons(SEED)
print("train:", X_train.shape, "points per class", np.bincount(y_train))
print("dev:  ", X_dev.shape, "points per class", np.bincount(y_dev))

# %% [markdown]
# ## A network and a training loop with switches
#
# The network is built from the layers of the book's numpy engine, `Linear` and `Activation`,
# each with `forward`, `backward` (which stores the parameter gradients), `params` and `grads`.
# Two regularisers of this chapter are layers too, `Dropout` and `BatchNorm`; they are written
# further down with the same four methods. Both behave differently while training and while
# evaluating, so they carry a `training` flag, which `forward` sets (torch does the same with
# `model.train()` and `model.eval()`).

# %%
def make_net(sizes, seed, *, p_drop=0.0, batch_norm=False):
    """Linear -> [BatchNorm] -> ReLU -> [Dropout] for each hidden layer, then a Linear output.

    He-uniform weights and zero biases, drawn from a generator seeded with `seed`; the dropout
    masks come from the same generator.
    """
    rng = np.random.default_rng(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1]):
        layers.append(Linear(n_in, n_out, init="he_uniform", rng=rng))
        if batch_norm:
            layers.append(BatchNorm(n_out))  # written below
        layers.append(Activation("relu"))
        if p_drop > 0:
            layers.append(Dropout(p_drop, rng))  # written below
    layers.append(Linear(sizes[-2], sizes[-1], init="he_uniform", rng=rng))
    return layers


def forward(layers, X, training=False):
    """The network's logits, shape (n,)."""
    a = X
    for layer in layers:
        if hasattr(layer, "training"):  # dropout and batch norm
            layer.training = training
        a = layer.forward(a)
    return a[:, 0]


def backward(layers, dz):
    """Back-propagate dL/dz, shape (n,); each layer keeps its parameter gradients."""
    g = dz[:, None]
    for layer in reversed(layers):
        g = layer.backward(g)


def accuracy(layers, X, y):
    return float(np.mean((forward(layers, X) > 0) == y))


# %% [markdown]
# The training loop is full-batch gradient descent with momentum on the cross-entropy loss.
# Its keyword arguments switch on the regularisers of the coming sections; each is one or two
# lines inside the loop:
#
# - `l2` and `l1` add the gradient of a penalty on the weight matrices to `dW` (the
#   {ref}`ℓ2 <ch08-l2>` and {ref}`ℓ1 <ch08-l1>` sections),
# - `augment` replaces the inputs by perturbed copies every epoch ({ref}`augmentation <ch08-augmentation>`),
# - `patience` stops when the dev loss has not improved for that many epochs and goes back to
#   the best weights ({ref}`early stopping <ch08-early-stopping>`).

# %%
def fit(layers, X, y, *, epochs=200, lr=0.1, momentum=0.9, l2=0.0, l1=0.0,
        augment=None, dev=None, patience=None, seed=0):
    """Train in place; return a History (loss and accuracy per epoch).

    l2        penalty (l2 / 2) * sum of ||W||^2 over the weight matrices (not the biases)
    l1        penalty l1 * sum of |w|, through its subgradient l1 * sign(w)
    augment   augment(X, rng) gives the inputs of each epoch (the labels stay)
    dev       (X_dev, y_dev), evaluated after every epoch
    patience  early stopping on the dev loss, then back to the best epoch's weights
    """
    rng = np.random.default_rng(seed)
    params = [p for layer in layers for p in layer.params().values()]
    velocity = [np.zeros_like(p) for p in params]
    history, best = History(), None
    for epoch in range(1, epochs + 1):
        X_in = X if augment is None else augment(X, rng)
        z = forward(layers, X_in, training=True)
        backward(layers, d_bce(z, y))
        for layer in layers:
            if isinstance(layer, Linear):  # the penalties' (sub)gradients
                layer.dW += l2 * layer.W + l1 * np.sign(layer.W)
        grads = [g for layer in layers for g in layer.grads().values()]
        for p, v, g in zip(params, velocity, grads):
            v *= momentum
            v += g
            p -= lr * v
        dev_loss = dev_acc = None
        if dev is not None:
            z_dev = forward(layers, dev[0])
            dev_loss, dev_acc = bce(z_dev, dev[1]), float(np.mean((z_dev > 0) == dev[1]))
        history.record(bce(z, y), float(np.mean((z > 0) == y)), dev_loss, dev_acc)
        if patience is not None:
            if history.best_epoch == epoch:
                best = [p.copy() for p in params]
            elif epoch - history.best_epoch >= patience:
                break
    if patience is not None:
        for p, p_best in zip(params, best):
            p[...] = p_best
    return history


# %% [markdown]
# The `History` is the one of the numpy engine: it records the training loss and accuracy of
# each epoch (measured on the forward pass that produced the gradient) and the dev loss and
# accuracy after the step, and it remembers the epoch with the lowest dev loss.
#
# Before trusting the loop, check its gradient against torch autograd. `build_mlp` from
# `nndl_book.training` builds the same 2-64-64-1 ReLU network in torch; we copy our weights
# into it:

# %%
def to_torch(layers, sizes, **options):
    """The same network built by build_mlp, with our parameters copied in (same order)."""
    net = build_mlp(sizes, "relu", **options)
    ours = [p for layer in layers for p in layer.params().values()]
    with torch.no_grad():
        for mine, theirs in zip(ours, net.parameters(), strict=True):
            theirs.copy_(torch.from_numpy(mine))
    return net


BIG = [2, 64, 64, 1]
Xt, yt = torch.from_numpy(X_train), torch.from_numpy(y_train).double()

net = make_net(BIG, seed=SEED)
z = forward(net, X_train)
backward(net, d_bce(z, y_train))
tnet = to_torch(net, BIG)
loss_t = F.binary_cross_entropy_with_logits(tnet(Xt)[:, 0], yt)
loss_t.backward()
ours = [g for layer in net for g in layer.grads().values()]
print(f"loss: ours {bce(z, y_train):.6f}, torch {loss_t.item():.6f}")
print("all 6 gradients agree with autograd:",
      all(same(g, p.grad) for g, p in zip(ours, tnet.parameters())))
print("parameters:", sum(p.size for layer in net for p in layer.params().values()))

# %% [markdown]
# (ch08-overfitting)=
# ## Overfitting made visible
#
# Train this 2-64-64-1 network, with its 4417 parameters, on the 30 points for 400 epochs and
# measure the dev set after every epoch:

# %%
big = make_net(BIG, seed=SEED)
hist_big = fit(big, X_train, y_train, epochs=400, dev=(X_dev, y_dev))
best = hist_big.best_epoch
print(f"lowest dev loss {hist_big.dev_loss[best - 1]:.3f} at epoch {best} "
      f"(train loss {hist_big.train_loss[best - 1]:.3f}, dev accuracy {hist_big.dev_metric[best - 1]:.3f})")
print(f"after 400 epochs: train loss {hist_big.train_loss[-1]:.4f}, dev loss {hist_big.dev_loss[-1]:.3f}")
print(f"                  train accuracy {accuracy(big, X_train, y_train):.3f}, "
      f"dev accuracy {accuracy(big, X_dev, y_dev):.3f}")
glue("best_epoch", f"{best}", display=False)
glue("best_dev_loss", f"{hist_big.dev_loss[best - 1]:.3f}", display=False)
glue("final_dev_loss", f"{hist_big.dev_loss[-1]:.3f}", display=False)
glue("final_train_loss", f"{hist_big.train_loss[-1]:.4f}", display=False)

# %%
plot_history(hist_big, title="2-64-64-1 on 30 points: training and dev curves")

# %% [markdown]
# This is the picture of overfitting. The training loss falls all the way to
# {glue:text}`final_train_loss`; the dev loss falls with it only until epoch
# {glue:text}`best_epoch` (dotted line), where it reaches {glue:text}`best_dev_loss`, and then
# climbs to {glue:text}`final_dev_loss`. From then on, fitting the 30 training points better
# makes the predictions for new points worse: the network is learning the noise of this
# particular sample. The dev *accuracy* suffers less than the dev *loss*: most
# dev points stay on the right side, but the network becomes confidently wrong on the ones it
# misclassifies, and cross-entropy punishes confidence.
#
# The decision boundary shows what the network has learned. Next to it, a network with a
# single hidden layer of 8 units, trained the same way:

# %%
small = make_net([2, 8, 1], seed=SEED)
fit(small, X_train, y_train, epochs=400)
print("parameters: 2-64-64-1", sum(p.size for layer in big for p in layer.params().values()),
      "| 2-8-1", sum(p.size for layer in small for p in layer.params().values()))

fig = Figure(figsize=(9.6, 3.8), layout="constrained")
for ax, model, name in zip(fig.subplots(1, 2), [big, small], ["2-64-64-1", "2-8-1"]):
    plot_decision_boundary(lambda P, m=model: sigmoid(forward(m, P)), X_train, y_train, ax=ax,
                           title=f"{name}: train {accuracy(model, X_train, y_train):.3f}, "
                                 f"dev {accuracy(model, X_dev, y_dev):.3f}")
    ax.scatter(*X_dev.T, s=4, c=[PALETTE[k] for k in y_dev], alpha=0.35, zorder=2)
fig

# %% [markdown]
# The big network (left) reaches up in a thin spike to capture the one vermillion training point
# among the blue ones at the top, and cuts a blue bay into the vermillion region for a few blue
# points near $(1, 0)$. The small dots are the dev points: they do not follow these detours, and
# the colours show how sure the network is of itself right up to its boundary. The small
# network (right) cannot afford such detours. Its boundary is a wedge of a few straight pieces
# (each ReLU unit contributes one kink), it leaves some training points on the wrong side, its
# transitions are wide and pale, and it does better on the dev set.
#
# The regularisation methods aim at the left picture and try to turn it into something like the
# right one *without* giving up the big network, which is easier to train and more flexible
# where the data do call for detail. They usually pay for it with a higher training error.
#
# (ch08-l2)=
# ## $\ell_2$ regularisation and weight decay
#
# The oldest remedy adds the squared size of the weights to the loss:
#
# $$ \tilde J(\theta) = J(\theta) + \frac{\lambda}{2} \sum_{l} \big\|W^{(l)}\big\|_F^2 ,
#    \qquad \frac{\partial \tilde J}{\partial W^{(l)}} = \frac{\partial J}{\partial W^{(l)}} + \lambda W^{(l)}, $$
#
# where $J$ is the mean loss over the training set and $\|W\|_F^2$ the sum of the squares of all
# entries. The biases are left out ({ref}`ex-08-nndl-4-7` explains why). Why should
# small weights help? Nielsen's answer: a network with small weights changes its output little
# when the input changes a little, so it cannot bend around single noisy points; it has to
# explain the data with broad patterns. Large weights let a few units switch sharply at exactly
# the place one training point needs.
#
# One step of gradient descent on $\tilde J$ is
#
# $$ W \leftarrow W - \eta\big(\nabla_W J + \lambda W\big) = (1 - \eta\lambda)\, W - \eta \nabla_W J : $$
#
# first shrink every weight by the factor $1 - \eta\lambda$, then take the usual step. That is
# *weight decay*.
#
# ```{admonition} Weight decay in NNDL's and Nielsen's notation
# :class: dropdown
# NNDL §7.7.2 writes weight decay as $\theta_t \leftarrow (1-\beta)\theta_{t-1} - \alpha g_t$, with
# $\beta = \eta\lambda$ in our notation. Nielsen writes the penalty as
# $\frac{\lambda}{2n}\sum w^2$, so his $\lambda$ is $n$ times ours.
# ```
#
# There are thus three ways to implement it: put the penalty into
# the loss and let autograd differentiate it; add $\lambda W$ to the gradient (what our `fit`
# does, and what `torch.optim.SGD(weight_decay=λ)` does); or shrink the weights directly,
# *decoupled* from the gradient. For plain SGD all three must give the same weights. Twenty
# steps each, from the same start:

# %%
lam, lr, steps = 0.01, 0.1, 20

ours_l2 = make_net(BIG, seed=SEED)
fit(ours_l2, X_train, y_train, epochs=steps, lr=lr, momentum=0.0, l2=lam)
ours_params = [p for layer in ours_l2 for p in layer.params().values()]


def torch_l2(mode):
    """Twenty plain-SGD steps in torch with the l2 penalty implemented three ways."""
    tnet = to_torch(make_net(BIG, seed=SEED), BIG)
    weights = [m.weight for m in tnet if isinstance(m, nn.Linear)]
    biases = [m.bias for m in tnet if isinstance(m, nn.Linear)]
    decay = lam if mode == "weight_decay" else 0.0
    opt = torch.optim.SGD([{"params": weights, "weight_decay": decay}, {"params": biases}], lr=lr)
    for _ in range(steps):
        loss = F.binary_cross_entropy_with_logits(tnet(Xt)[:, 0], yt)
        if mode == "penalty in the loss":
            loss = loss + lam / 2 * sum((W**2).sum() for W in weights)
        opt.zero_grad()
        loss.backward()
        if mode == "decoupled decay":
            with torch.no_grad():
                for W in weights:
                    W.mul_(1 - lr * lam)  # shrink, then the plain gradient step
        opt.step()
    return list(tnet.parameters())


for mode in ["penalty in the loss", "weight_decay", "decoupled decay"]:
    agree = all(same(a, b) for a, b in zip(ours_params, torch_l2(mode)))
    print(f"torch, {mode:20s} equals our fit(l2=λ): {agree}")

# %% [markdown]
# All three agree with our loop. (Note the parameter groups: `weight_decay` in a torch optimizer
# applies to *every* parameter it is given, biases included, unless the biases are put in a
# group of their own as here.) The equality is special to plain SGD. With momentum or Adam the
# penalty's gradient $\lambda W$ passes through the optimizer's running averages, while decoupled
# decay bypasses them, and the two part ways; {ref}`ex-08-nndl-7-9` measures by how
# much, and explains why Adam with decoupled decay (AdamW) exists
# {footcite}`loshchilov2019adamw`.
#
# What does $\lambda$ do? Train the big network (200 epochs, as every run from here on unless it
# says otherwise)
# with four values and look at the size of the weights,
# $\|W\| = \big(\sum_l \|W^{(l)}\|_F^2\big)^{1/2}$, and at the two accuracies:

# %%
def weight_norm(layers):
    return float(np.sqrt(sum((layer.W**2).sum() for layer in layers if isinstance(layer, Linear))))


l2_nets = {}
print("   λ     ‖W‖   train acc  dev acc")
for lam_i in [0.0, 0.01, 0.03, 0.1]:
    net = l2_nets[lam_i] = make_net(BIG, seed=SEED)
    fit(net, X_train, y_train, l2=lam_i)
    print(f"{lam_i:5.2f} {weight_norm(net):7.2f} {accuracy(net, X_train, y_train):9.3f} "
          f"{accuracy(net, X_dev, y_dev):8.3f}")

# %% [markdown]
# The penalty does what it says: the larger $\lambda$, the smaller the weights, and the
# training accuracy drops from perfect as the network loses the ability to bend around every
# point. The dev accuracy first rises and then, once $\lambda$ is too large and the network
# *underfits*, falls again. $\lambda$ is a hyperparameter to be chosen on the dev set; the
# {ref}`explorer <ch08-explore>` below shows the boundaries.
#
# (ch08-l1)=
# ## $\ell_1$ regularisation and sparsity
#
# Replace the squares by absolute values:
#
# $$ \tilde J(\theta) = J(\theta) + \lambda \sum_l \sum_{i,j} \big|w^{(l)}_{ij}\big| . $$
#
# $|w|$ has no derivative at 0, but a *subgradient*, $\operatorname{sign}(w)$ (any value in
# $[-1, 1]$ would do at $w = 0$; the usual choice, and torch's, is 0). Gradient descent becomes
#
# $$ w \leftarrow w - \eta\lambda\,\operatorname{sign}(w) - \eta\,\frac{\partial J}{\partial w} . $$
#
# The $\ell_2$ step shrinks a weight in proportion to its size, so it barely touches small
# weights; the $\ell_1$ step moves every weight towards zero by the same amount $\eta\lambda$,
# so weights that the loss does not defend end up at zero. Nielsen puts it this way: $\ell_1$
# concentrates the weights in a few important connections. Our `fit` adds `l1 * np.sign(W)`
# to the gradient; autograd on the penalty gives the same:

# %%
W_test = np.array([[0.5, -0.2, 0.0], [0.0, 1.5, -3.0]])
W_t = torch.from_numpy(W_test).requires_grad_()
(0.01 * W_t.abs().sum()).backward()
print("autograd of 0.01·Σ|w|:\n", W_t.grad.numpy())
print("0.01·sign(W) equals it:", same(0.01 * np.sign(W_test), W_t.grad))

# %% [markdown]
# Now the sparsity. Train the big network with $\ell_1$ penalties of three strengths, and count
# the weights of its 64×64 hidden-to-hidden matrix that are practically zero, $|w| < 0.01$
# (they start spread evenly over $\pm\sqrt{6/64}$), next to the networks with no penalty and
# with $\ell_2$ from above:

# %%
def hidden_matrix(layers):
    """The 64x64 hidden-to-hidden weight matrix."""
    return [layer.W for layer in layers if isinstance(layer, Linear)][1]


print(f"initial weights: uniform on ±{np.sqrt(6 / 64):.2f}")
sparsity_nets = {"no penalty": l2_nets[0.0], "ℓ2, λ = 0.01": l2_nets[0.01]}
for lam_i in [0.001, 0.003, 0.01]:
    net = sparsity_nets[f"ℓ1, λ = {lam_i:g}"] = make_net(BIG, seed=SEED)
    fit(net, X_train, y_train, l1=lam_i)

print(f"{'':15s} |w| < 0.01  train acc  dev acc")
for i, (name, net) in enumerate(sparsity_nets.items()):
    zero = np.mean(np.abs(hidden_matrix(net)) < 0.01)
    glue(f"zero_{i}", f"{100 * zero:.1f}%", display=False)
    print(f"{name:15s} {zero:10.3f} {accuracy(net, X_train, y_train):10.3f} "
          f"{accuracy(net, X_dev, y_dev):8.3f}")

# %%
fig = plot_weight_histograms({name: hidden_matrix(sparsity_nets[name])
                              for name in ["no penalty", "ℓ2, λ = 0.01", "ℓ1, λ = 0.003"]},
                             bins=60, title="hidden-to-hidden weights after training")
fig.axes[0].set_yscale("log")  # the spike at zero would hide everything else
fig

# %% [markdown]
# Without a penalty {glue:text}`zero_0` of the weights are that small. $\ell_2$ with
# $\lambda = 0.01$ shrinks all of them, so more fall under the threshold
# ({glue:text}`zero_1`), but its distribution stays a smooth bump. $\ell_1$ is different in
# kind: with a tenth of that strength {glue:text}`zero_2` of the weights are zero, with
# $\lambda = 0.003$ {glue:text}`zero_3` and with $\lambda = 0.01$ {glue:text}`zero_4`. The
# histogram (log scale) shows a spike at zero with a few weights of ordinary size left standing:
# the network has kept only the connections it needs. Sparsity is useful when one wants to find out which
# inputs or connections matter, or to prune a network; as a regulariser for generalisation
# $\ell_1$ and $\ell_2$ behave much alike here.
#
# ```{admonition} Why "practically zero", and how to get exact zeros
# :class: dropdown
# With subgradient steps a weight that should be zero keeps jumping back and forth across
# zero in steps of $\eta\lambda$, so "practically zero" is the right test. The *proximal*
# update $w \leftarrow \operatorname{sign}(w)\max(|w| - \eta\lambda, 0)$, applied after the
# gradient step of $J$, sets such weights exactly to zero.
# ```
#
# (ch08-early-stopping)=
# ## Early stopping
#
# The training curves above suggest the cheapest regulariser of all: stop training when the dev
# loss stops falling, and keep the weights of the best epoch. Since the dev loss is noisy, one
# waits a number of epochs (the *patience*) for a new best before stopping. Our `fit` does that
# with `patience`:

# %%
early = make_net(BIG, seed=SEED)
hist_early = fit(early, X_train, y_train, epochs=400, dev=(X_dev, y_dev), patience=50)
print(f"stopped after epoch {hist_early.epochs}, restored epoch {hist_early.best_epoch}")
print(f"train accuracy {accuracy(early, X_train, y_train):.3f}, "
      f"dev accuracy {accuracy(early, X_dev, y_dev):.3f}")

# %% [markdown]
# It saves most of the training time and needs no change to the loss. But the dev set now
# takes part in training (it chooses the epoch), so its accuracy is slightly optimistic
# ({ref}`ex-06-best-vs-last`), and early stopping ties how well the loss is optimised to how
# much the model is regularised. For a quadratic loss, stopping after $\tau$ steps of size
# $\eta$ acts much like an $\ell_2$ penalty with $\lambda \approx 1/(\eta\tau)$: exercise
# {ref}`ex-08-early-stopping-l2` shows it.
#
# (ch08-dropout)=
# ## Dropout
#
# Dropout {footcite}`srivastava2014dropout` switches off each hidden unit at random, with
# probability $p$, in every training step: a different thinned network is trained at each step,
# and no unit can rely on a particular other unit being present. At test time all units are on.
# For the next layer to see inputs of the same size in both cases, the surviving units are
# scaled by $1/(1-p)$ during training (*inverted* dropout, what torch does):
#
# $$ \tilde{\mathbf h} = \frac{\mathbf m \odot \mathbf h}{1-p},\quad m_i \sim \text{Bernoulli}(1-p)
#    \quad\text{(training)}, \qquad \tilde{\mathbf h} = \mathbf h \quad\text{(evaluation)}, $$
#
# so that $\mathbb E[\tilde{\mathbf h}] = \mathbf h$. NNDL §7.7.4 writes the original form with a
# *keep* probability, no scaling in training and the activations multiplied by the keep
# probability at test time; {ref}`ex-08-dropout-scaling` compares the two. Backward,
# the gradient flows only through the units that were kept, with the same factor:
# $\partial L/\partial \mathbf h = \mathbf m \odot (\partial L/\partial \tilde{\mathbf h})/(1-p)$.
# The layer in numpy:

# %%
class Dropout:
    """Inverted dropout: while training, zero each unit with probability p, scale the rest by 1/(1-p)."""

    def __init__(self, p, rng):
        self.p, self.rng, self.training, self.mask = p, rng, True, None

    def forward(self, h):
        if not self.training:
            self.mask = None
            return h
        self.mask = (self.rng.random(h.shape) >= self.p) / (1 - self.p)
        return h * self.mask

    def backward(self, g):
        return g if self.mask is None else g * self.mask

    def params(self):
        return {}

    def grads(self):
        return {}


# %% [markdown]
# Now compare with `torch.nn.Dropout`. It draws its masks from torch's own generator, so only
# the statistics of the two masks can agree. Given torch's mask, our backward must equal
# autograd exactly, and in evaluation mode both layers must be the identity:

# %%
p = 0.5
h = np.random.default_rng(1).uniform(0.5, 1.5, size=(2000, 64))
ours_drop = Dropout(p, np.random.default_rng(0))
torch_drop = nn.Dropout(p)
torch.manual_seed(0)
h_t = torch.from_numpy(h).requires_grad_()
out_t = torch_drop(h_t)  # a new module is in training mode
out_o = ours_drop.forward(h)
for name, out in [("ours ", out_o), ("torch", out_t.detach().numpy())]:
    kept = out != 0
    print(f"{name}: fraction dropped {1 - kept.mean():.2f}, kept units scaled by "
          f"{np.unique(np.round(out[kept] / h[kept], 12))}, mean output / mean input "
          f"{out.mean() / h.mean():.2f}")

g = np.random.default_rng(2).normal(size=h.shape)
out_t.backward(torch.from_numpy(g))
ours_drop.mask = (out_t.detach().numpy() != 0) / (1 - p)  # borrow torch's mask
print("backward with torch's mask equals autograd:", same(ours_drop.backward(g), h_t.grad))
torch_drop.eval()
ours_drop.training = False
print("evaluation mode is the identity: torch", torch.equal(torch_drop(torch.from_numpy(h)),
      torch.from_numpy(h)), "| ours", np.array_equal(ours_drop.forward(h), h))

# %% [markdown]
# In the {ref}`table <ch08-table>` dropout is applied after both hidden layers of the big
# network.
#
# ```{admonition} Why dropout regularises: two views
# :class: dropdown
# Srivastava et al. give two. A network with $M$ droppable units contains $2^M$ thinned
# sub-networks that share weights; dropout trains a different one at each step, and the full
# network at test time approximately averages them, an ensemble at the cost of one network.
# And a unit cannot *co-adapt*, fixing the mistakes of a particular other unit, because that
# unit may be absent; each has to be useful on its own.
# ```
#
# (ch08-batchnorm)=
# ## Batch normalisation
#
# Batch normalisation {footcite}`ioffe2015batchnorm` (NNDL §7.5.1) standardises each unit's net
# input over the mini-batch $\mathcal B$ and then lets the network choose a scale and a shift:
#
# $$ \hat z = \frac{z - \mu_{\mathcal B}}{\sqrt{\sigma^2_{\mathcal B} + \epsilon}}, \qquad
#    y = \gamma \hat z + \beta , $$
#
# with $\mu_{\mathcal B}$ and $\sigma^2_{\mathcal B}$ the mean and (biased) variance of $z$ over
# the batch. At test time there is no batch, so running averages collected during training
# take their place (torch: $\hat\mu \leftarrow 0.9\,\hat\mu + 0.1\,\mu_{\mathcal B}$, and the
# same for the *unbiased* variance). Backward, every $z_k$ of the batch influences every
# output through $\mu$ and $\sigma$; with $g_k = \partial L/\partial y_k$ and bars for means over
# the batch, the chain rule gives
#
# $$ \frac{\partial L}{\partial z_k} = \frac{\gamma}{\sqrt{\sigma^2_{\mathcal B} + \epsilon}}
#    \Big( g_k - \overline{g} - \hat z_k\, \overline{g\,\hat z} \Big), \qquad
#    \frac{\partial L}{\partial \gamma} = \sum_k g_k \hat z_k, \qquad
#    \frac{\partial L}{\partial \beta} = \sum_k g_k . $$

# %%
class BatchNorm:
    """Batch normalisation of each unit over the batch, with a learned scale and shift."""

    def __init__(self, n, momentum=0.1, eps=1e-5):
        self.gamma, self.beta = np.ones(n), np.zeros(n)
        self.running_mean, self.running_var = np.zeros(n), np.ones(n)
        self.momentum, self.eps, self.training = momentum, eps, True

    def forward(self, z):
        if self.training:
            mean, var = z.mean(axis=0), z.var(axis=0)
            unbiased = var * len(z) / (len(z) - 1)
            self.running_mean += self.momentum * (mean - self.running_mean)
            self.running_var += self.momentum * (unbiased - self.running_var)
        else:
            mean, var = self.running_mean, self.running_var
        self.inv_std = 1 / np.sqrt(var + self.eps)
        self.z_hat = (z - mean) * self.inv_std
        return self.gamma * self.z_hat + self.beta

    def backward(self, g):
        self.d_gamma = (g * self.z_hat).sum(axis=0)
        self.d_beta = g.sum(axis=0)
        gg = g * self.gamma
        return self.inv_std * (gg - gg.mean(axis=0) - self.z_hat * (gg * self.z_hat).mean(axis=0))

    def params(self):
        return {"gamma": self.gamma, "beta": self.beta}

    def grads(self):
        return {"gamma": self.d_gamma, "beta": self.d_beta}


# %% [markdown]
# In the network, batch norm sits between a `Linear` layer and its ReLU, as in the original
# paper and in `build_mlp`. (The linear layer's bias is then redundant, since $\beta$ does its
# job; we keep it for simplicity.) Checked against `torch.nn.BatchNorm1d`, with a random scale
# and shift, in training mode (output, the three gradients, the running statistics) and then
# in evaluation mode:

# %%
rng_bn = np.random.default_rng(3)
Z, G = rng_bn.normal(2.0, 3.0, size=(16, 5)), rng_bn.normal(size=(16, 5))
ours_bn = BatchNorm(5)
ours_bn.gamma[:], ours_bn.beta[:] = rng_bn.uniform(0.5, 2.0, 5), rng_bn.normal(size=5)
torch_bn = nn.BatchNorm1d(5)
with torch.no_grad():
    torch_bn.weight.copy_(torch.from_numpy(ours_bn.gamma))
    torch_bn.bias.copy_(torch.from_numpy(ours_bn.beta))

Z_t = torch.from_numpy(Z).requires_grad_()
out_t = torch_bn(Z_t)
out_t.backward(torch.from_numpy(G))
out_o = ours_bn.forward(Z)
dZ = ours_bn.backward(G)
checks = {
    "output": (out_o, out_t), "dL/dz": (dZ, Z_t.grad),
    "dL/dγ": (ours_bn.d_gamma, torch_bn.weight.grad), "dL/dβ": (ours_bn.d_beta, torch_bn.bias.grad),
    "running mean": (ours_bn.running_mean, torch_bn.running_mean),
    "running var": (ours_bn.running_var, torch_bn.running_var),
}
for name, (a, b) in checks.items():
    print(f"{name:13s} agrees with torch: {same(a, b)}")
ours_bn.training = False
torch_bn.eval()
Z_new = rng_bn.normal(size=(4, 5))
print(f"{'evaluation':13s} agrees with torch: {same(ours_bn.forward(Z_new), torch_bn(torch.from_numpy(Z_new)))}")

# %% [markdown]
# And the whole big network with batch norm, against `build_mlp(..., batch_norm=True)`, which
# puts the layers in the same order: the logits and all 10 parameter gradients of one
# training-mode step.

# %%
bn_net = make_net(BIG, seed=SEED, batch_norm=True)
z = forward(bn_net, X_train, training=True)
backward(bn_net, d_bce(z, y_train))
t_bn = to_torch(bn_net, BIG, batch_norm=True)  # a new torch module is in training mode
z_t = t_bn(Xt)[:, 0]
F.binary_cross_entropy_with_logits(z_t, yt).backward()
ours = [g for layer in bn_net for g in layer.grads().values()]
print("logits agree:", same(z, z_t), "| gradients agree:",
      all(same(g, p.grad) for g, p in zip(ours, t_bn.parameters(), strict=True)), f"({len(ours)})")

# %% [markdown]
# Batch normalisation was invented to make training faster and less sensitive to the
# initialisation, and that is still its main use. Its regularising effect is a side effect:
# each example's output depends, through $\mu_{\mathcal B}$ and $\sigma_{\mathcal B}$, on which
# other examples share its mini-batch, and that randomness is a kind of noise injected into
# training. Here we train on the full batch, every step sees the same 30 points, and that
# noise is absent. The {ref}`table <ch08-table>` will show what is left.
#
# (ch08-augmentation)=
# ## Data augmentation
#
# More data is the best regulariser; when there is no more, one can make some. Data
# augmentation (NNDL §7.7.5) trains on transformed copies of the examples, transformations that
# we know do not change the label: small rotations, shifts, flips and noise for images. For the
# two moons, take a fresh perturbation of the training set in every epoch: Gaussian jitter
# ($\sigma = 0.1$) on each point, and a rotation of the whole picture by an angle of up to
# ±15° about the middle of the two moons.

# %%
CENTRE = np.array([0.5, 0.25])  # the middle of the two moons


def jitter_rotate(X, rng, sigma=0.1, degrees=15.0):
    """Rotate all points about CENTRE by one random angle, then jitter each one."""
    theta = np.deg2rad(rng.uniform(-degrees, degrees))
    R = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    return CENTRE + (X - CENTRE) @ R.T + sigma * rng.standard_normal(X.shape)


# %%
rng_aug = np.random.default_rng(0)
fig = Figure(figsize=(5.2, 3.6), layout="constrained")
ax = fig.add_subplot()
for _ in range(8):
    X_aug = jitter_rotate(X_train, rng_aug)
    ax.scatter(*X_aug.T, s=10, c=[PALETTE[k] for k in y_train], alpha=0.25, linewidths=0)
for k, marker in [(0, "o"), (1, "s")]:
    ax.scatter(*X_train[y_train == k].T, s=28, color=PALETTE[k], marker=marker,
               edgecolors="white", linewidths=0.6, label=f"class {k}")
ax.set(xlabel="$x_1$", ylabel="$x_2$", title="30 training points and 8 augmented copies")
ax.legend(fontsize=8.5)
fig

# %% [markdown]
# The faint clouds are what the network sees over eight epochs. It can no longer fit the exact
# position of a single point, because that point moves every epoch; what stays fixed is the
# rough shape of the two classes. How far to jitter is prior knowledge about the problem, and
# too much would blur the classes into each other.
#
# ## A smaller network
#
# Finally the bluntest remedy, fewer parameters: the 2-8-1 network from the beginning, with
#
# $$ (2 + 1)\cdot 8 + (8 + 1)\cdot 1 = 33 $$
#
# parameters instead of 4417. It has too few units to spend on detours around single points.
# The price is that
# one has to know how small is small enough, and that small networks are harder to train on
# hard problems.
#
# (ch08-table)=
# ## All regularisers on the same task
#
# Now the comparison. Each method trains for 200 epochs (full batch, momentum 0.9, learning rate
# 0.1) on the training set of seed 0, 1 and 2, starting from the initial weights of that seed,
# and is measured on the same dev set. The table reports the means over the three seeds of the
# training accuracy, the dev accuracy and the *gap* between them.

# %%
SEEDS = (0, 1, 2)
METHODS = {
    "none (2-64-64-1)": {},
    "ℓ2, λ = 0.01": {"l2": 0.01},
    "ℓ1, λ = 0.003": {"l1": 0.003},
    "early stopping, patience 30": {"patience": 30},
    "dropout, p = 0.5": {"p_drop": 0.5},
    "batch norm": {"batch_norm": True},
    "augmentation": {"augment": jitter_rotate},
    "smaller net (2-8-1)": {"sizes": [2, 8, 1]},
}


def run(seed, sizes=BIG, p_drop=0.0, batch_norm=False, **options):
    """Train one network on the training set of `seed`; return it and its two accuracies."""
    X, y = moons(seed)
    net = make_net(sizes, seed, p_drop=p_drop, batch_norm=batch_norm)
    if "patience" in options:
        options["dev"] = (X_dev, y_dev)
    fit(net, X, y, seed=seed, **options)
    return net, accuracy(net, X, y), accuracy(net, X_dev, y_dev)


results, shown_nets = {}, {}
for name, options in METHODS.items():
    runs = [run(seed, **options) for seed in SEEDS]
    shown_nets[name] = runs[SEEDS.index(SEED)][0]
    results[name] = np.array([[train, dev] for _, train, dev in runs])

print(f"{'method':28s} train acc  dev acc    gap   dev acc per seed")
for name, r in results.items():
    train_acc, dev_acc = r.mean(axis=0)
    print(f"{name:28s} {train_acc:9.3f} {dev_acc:8.3f} {train_acc - dev_acc:6.3f}   "
          + " ".join(f"{d:.3f}" for d in r[:, 1]))

# %%
mean_dev = {name: r[:, 1].mean() for name, r in results.items()}
mean_gap = {name: r[:, 0].mean() - r[:, 1].mean() for name, r in results.items()}
top = max(mean_dev.values())
leaders = [name for name, d in mean_dev.items() if d > top - 0.01]
print(f"within 0.01 of the best mean dev accuracy ({top:.3f}): {'; '.join(leaders)}")
print(f"without regularisation: {mean_dev['none (2-64-64-1)']:.3f}")
glue("base_gap", f"{mean_gap['none (2-64-64-1)']:.3f}", display=False)
glue("base_dev", f"{mean_dev['none (2-64-64-1)']:.3f}", display=False)
glue("best_dev", f"{top:.3f}", display=False)
glue("n_leaders", f"{len(leaders)}", display=False)
glue("bn_gap", f"{mean_gap['batch norm']:.3f}", display=False)
glue("early_gap", f"{mean_gap['early stopping, patience 30']:.3f}", display=False)

fig = Figure(figsize=(12.0, 5.6), layout="constrained")
for ax, (name, model) in zip(fig.subplots(2, 4).ravel(), shown_nets.items()):
    plot_decision_boundary(lambda P, m=model: sigmoid(forward(m, P)), X_train, y_train,
                           ax=ax, resolution=80, title=name)
    ax.get_legend().remove()
    ax.set(xlabel="", ylabel="", xticks=[], yticks=[])
fig.suptitle(f"Decision boundaries on the training set of seed {SEED}")
fig

# %% [markdown]
# Without regularisation the big network fits its training sets perfectly or nearly so, and
# its dev accuracy trails by a gap of {glue:text}`base_gap` on average. Every regulariser except
# batch normalisation narrows the gap, by lowering the training accuracy (which is the point:
# the network stops fitting the noise) and raising the mean dev accuracy from
# {glue:text}`base_dev` to as much as {glue:text}`best_dev`, with {glue:text}`n_leaders`
# methods within 0.01 of the best (printed above). Early stopping shows the smallest gap,
# {glue:text}`early_gap`, partly because the dev set itself chose its stopping epoch. Batch
# normalisation with a full batch does not narrow the gap at all ({glue:text}`bn_gap`), as
# expected: its regularisation comes from mini-batch noise, and there is none here. The
# boundaries of seed 1 show the same: sharp detours without regularisation and with batch
# norm, a smaller bay around one training point with augmentation, broad shapes for the rest.
#
# Keep the scale of this experiment in mind: three seeds, one strength per method, chosen by
# hand. Differences of one or two hundredths between methods are within the spread over
# seeds (the last columns), so the table ranks "helps a lot", "helps" and "does not help",
# not the methods among each other. In practice they are combined: weight decay, dropout and
# augmentation together, with early stopping on top, and the strengths tuned on the dev set.
#
# (ch08-explore)=
# ## Explore: penalty strength and dropout rate
#
# Each frame trains the big network on the training set of the figures (seed 1) for 200 epochs
# with the chosen $\ell_2$ strength $\lambda$ and dropout rate $p$, and draws its decision
# boundary. Watch the detours around single points disappear as either control goes up, and
# the boundary grow too simple (train and dev accuracy both falling) when $\lambda$ is large,
# whatever $p$.

# %%
from nndl_book.widgets import Control, Explorer


def regularised_boundary(l2, p_drop):
    net = make_net(BIG, seed=SEED, p_drop=p_drop)
    fit(net, X_train, y_train, l2=l2)
    train_acc, dev_acc = accuracy(net, X_train, y_train), accuracy(net, X_dev, y_dev)
    fig = Figure(figsize=(4.8, 3.6))
    ax = fig.add_axes((0.06, 0.07, 0.9, 0.85))  # fixed margins: no layout pass per frame
    plot_decision_boundary(lambda P: sigmoid(forward(net, P)), X_train, y_train, ax=ax,
                           resolution=90, title=f"λ = {l2:g}, dropout p = {p_drop:g}")
    ax.scatter(*X_dev.T, s=2, c=[PALETTE[k] for k in y_dev], alpha=0.3, zorder=2)
    ax.set(xticks=[], yticks=[])
    numbers = {"train acc": f"{train_acc:.3f}", "dev acc": f"{dev_acc:.3f}",
               "gap": f"{train_acc - dev_acc:.3f}"}
    return fig, numbers


Explorer(
    regularised_boundary,
    [
        Control("l2", [0.0, 0.003, 0.01, 0.03], label="ℓ2 strength λ",
                live_values=[0.0, 0.001, 0.003, 0.01, 0.03, 0.1]),
        Control("p_drop", [0.0, 0.25, 0.5], label="dropout rate p",
                live_values=[0.0, 0.1, 0.25, 0.5, 0.75]),
    ],
    defaults={"l2": 0.0, "p_drop": 0.0},
    title="ℓ2 penalty and dropout on 30 noisy moons",
)

# %% [markdown]
# ## Exercises
#
# ```{exercise} NNDL 4-7
# :label: ex-08-nndl-4-7
# Why is the bias $\mathbf b$ not regularised in the structural risk of a neural network, which
# penalises only the weights? Argue it, then show it on data whose mean lies far from the
# origin: compare the fit, the weights and the decision boundary with the penalty on the
# weights only and on weights and biases.
# ```
#
# ```{solution-start} ex-08-nndl-4-7
# :class: dropdown
# ```
#
# A regulariser should limit how *complicated* the function is: how steeply and how often it can
# change. In a unit $f(\mathbf w^\top\mathbf x + b)$ the weights set how steeply the unit
# switches and in which direction; the bias only says *where* it switches, and an output bias
# only moves the whole function up or down. Moving a function does not change its slopes, so a
# penalty on $b$ buys no smoothness. What it does buy is a preference for units that switch
# near the origin and outputs near zero there, and that depends on where the origin happens to
# be, which is an accident of how the data were recorded. (There are also few biases, one per
# unit against one per connection, so leaving them free adds little room to overfit.)
#
# With the weights alone penalised, moving the data changes nothing: if $(\mathbf w, b)$ is best
# for data $\mathbf x$, then $(\mathbf w, b - \mathbf w^\top\mathbf m)$ is best for
# $\mathbf x + \mathbf m$, with the same penalty. With the bias penalised too, a boundary at
# distance $m$ from the origin needs $|b| \approx m\,\|\mathbf w\|$, and the penalty
# $\frac\lambda2(\|\mathbf w\|^2 + b^2)$ becomes about $(1 + m^2)$ times stronger. The smallest
# network shows it exactly: one logistic neuron $\sigma(wx + b)$ on 1-D data, class 0 around
# $-1$ and class 1 around $+1$, once as they are and once moved by $m = 5$, with
# $\lambda = 0.03$. The loss is convex in $(w, b)$, so a few Newton steps find the exact
# minimiser, with no dependence on initialisation or learning rate:

# %%
def two_blobs(n, rng):
    """1-D data: class 0 around -1, class 1 around +1 (standard deviation 0.8)."""
    y = np.repeat([0, 1], n // 2)
    return 2.0 * y - 1.0 + 0.8 * rng.normal(size=n), y


def fit_neuron(x, y, lam, penalise_bias, steps=25):
    """Exact minimiser of mean cross-entropy + (lam/2)(w² [+ b²]), by Newton's method."""
    A = np.column_stack([x, np.ones_like(x)])
    P = np.diag([1.0, 1.0 if penalise_bias else 0.0])
    theta = np.zeros(2)
    for _ in range(steps):
        p = sigmoid(A @ theta)
        grad = A.T @ (p - y) / len(y) + lam * P @ theta
        hess = (A * (p * (1 - p))[:, None]).T @ A / len(y) + lam * P
        theta -= np.linalg.solve(hess, grad)
    return theta


rng_b = np.random.default_rng(4)
x_b, y_b = two_blobs(40, rng_b)
x_b_dev, y_b_dev = two_blobs(2000, rng_b)
LAM_B, SHIFT = 0.03, 5.0

neurons = {}
print(f"{'data':8s} {'penalty on':10s} {'w':>6s} {'b':>7s} {'boundary':>8s} {'dev acc':>7s} {'dev loss':>8s}")
for data, m in [("centred", 0.0), ("moved", SHIFT)]:
    for label in ["w", "w and b"]:
        w_n, b_n = neurons[data, label] = fit_neuron(x_b + m, y_b, LAM_B, label == "w and b")
        z_dev = w_n * (x_b_dev + m) + b_n
        print(f"{data:8s} {label:10s} {w_n:6.3f} {b_n:7.3f} {-b_n / w_n:8.3f} "
              f"{np.mean((z_dev > 0) == y_b_dev):7.3f} {bce(z_dev, y_b_dev):8.3f}")
        tag = f"bias_{data}_{'wb' if label == 'w and b' else 'w'}"
        glue(f"{tag}_acc", f"{np.mean((z_dev > 0) == y_b_dev):.3f}", display=False)
        glue(f"{tag}_loss", f"{bce(z_dev, y_b_dev):.3f}", display=False)

# %%
fig = Figure(figsize=(6.4, 3.4), layout="constrained")
ax = fig.add_subplot()
xs = np.linspace(SHIFT - 3.5, SHIFT + 3.5, 300)
jitter = 0.03 * np.random.default_rng(0).normal(size=len(x_b))
ax.scatter(x_b + SHIFT, y_b + jitter, s=14, c=[PALETTE[k] for k in y_b], zorder=3)
for (label, color) in [("w", PALETTE[2]), ("w and b", PALETTE[4])]:
    w_n, b_n = neurons["moved", label]
    ax.plot(xs, sigmoid(w_n * xs + b_n), color=color, lw=2, label=f"penalty on {label}")
    ax.axvline(-b_n / w_n, color=color, ls="--", lw=1)
ax.set(xlabel="$x$ (data moved by 5)", ylabel=r"$\sigma(wx + b)$",
       title=f"One neuron, λ = {LAM_B:g}, on data far from the origin")
ax.legend(fontsize=8.5, loc="center right")
fig

# %% [markdown]
# With the weight alone penalised, the moved data get exactly the same $w$ and the same dev
# loss as the centred data, and the boundary (dashed) moves with the data; the bias absorbs the
# move for free. With the bias penalised as well, almost nothing changes for centred data,
# where the best bias is near zero anyway; but for the moved data the neuron has to pay for
# its bias, so it shrinks $w$ to a fraction of its value (a much softer, less confident
# sigmoid) and lets the boundary slide towards the origin; its dev accuracy and dev loss both
# get worse. The penalty on $b$ did not make the model simpler in any meaningful sense; it
# made the strength of the regularisation depend on the distance between the data and an
# arbitrary origin.
#
# In a network every hidden unit is such a neuron, and its inputs, the activations of the layer
# below, are usually *not* centred (ReLU and sigmoid outputs are never negative), so the
# situation is the rule rather than the exception. A wide network can partly build offsets out
# of other units instead of biases, which softens the damage; but it still buys nothing. That
# is why the structural risk penalises only the weights. Torch's `weight_decay` does not know
# the difference: it decays every parameter it is given, so the biases (and batch norm's
# $\gamma$ and $\beta$) have to go into a parameter group of their own, as in the
# {ref}`ℓ2 section <ch08-l2>`.
#
# ```{solution-end}
# ```
#
# ```{exercise} Why scale by 1/(1−p) while training?
# :label: ex-08-dropout-scaling
# The original dropout keeps each unit with probability $1-p$ in training *without* scaling,
# and multiplies the activations by $1-p$ at test time. Inverted dropout scales by $1/(1-p)$ in
# training and leaves the test network alone. (a) Show that both give the next layer inputs of
# the same expected size in training and at test. (b) What goes wrong if the scaling is
# forgotten at both times? Check on the big network with $p = 0.5$.
# ```
#
# ```{solution-start} ex-08-dropout-scaling
# :class: dropdown
# ```
#
# (a) With $m_i \sim \text{Bernoulli}(1-p)$, $\mathbb E[m_i h_i] = (1-p)h_i$. Original dropout
# therefore feeds the next layer $(1-p)\mathbf h$ on average in training, and the test-time
# factor $1-p$ reproduces exactly that. Inverted dropout feeds $\mathbb E[m_i h_i/(1-p)] = h_i$
# in training and $\mathbf h$ at test. Both match the expected input of training at test time;
# the inverted form does it inside the training code, so the network that is saved and
# deployed needs no special treatment, and changing $p$ does not require changing the
# inference code. (For a *linear* next layer the test output is then exactly the average over
# all masks; after nonlinearities it is an approximation, the "weight scaling inference rule"
# of Goodfellow et al. {footcite}`goodfellow2016deep` §7.12.)
#
# (b) Train without scaling and test without the factor, and the next layer sees inputs about
# $1/(1-p)$ times larger at test than it was trained on. Three networks with $p = 0.5$:

# %%
class PlainDropout(Dropout):
    """The original dropout: no scaling in training; at test, optionally multiply by 1 - p."""

    scale_at_test = True

    def forward(self, h):
        if not self.training:
            return h * (1 - self.p) if self.scale_at_test else h
        self.mask = (self.rng.random(h.shape) >= self.p).astype(float)
        return h * self.mask


def dropout_net(kind):
    net = make_net(BIG, seed=SEED, p_drop=0.5)
    if kind != "inverted":
        net = [PlainDropout(0.5, layer.rng) if isinstance(layer, Dropout) else layer
               for layer in net]
    fit(net, X_train, y_train)
    for layer in net:
        if isinstance(layer, PlainDropout):
            layer.scale_at_test = kind == "original, test ×(1−p)"
    return net


size = {}
for kind in ["inverted", "original, test ×(1−p)", "original, no test scaling"]:
    net = dropout_net(kind)
    z_dev = forward(net, X_dev)
    size[kind] = np.mean(np.abs(z_dev))
    print(f"{kind:27s} dev loss {bce(z_dev, y_dev):.3f}, dev accuracy "
          f"{accuracy(net, X_dev, y_dev):.3f}, mean |logit| {size[kind]:.2f}")
ratio = size["original, no test scaling"] / size["original, test ×(1−p)"]
print(f"logits without / with the test-time factor: {ratio:.2f} times")
glue("dropout_ratio", f"{ratio:.1f}", display=False)

# %% [markdown]
# The first two are the same method written two ways. They are not the same network (the
# scaling changes the size of the gradient steps), but they do about equally well. Without the
# test-time factor the logits come out {glue:text}`dropout_ratio` times larger than with it,
# close to $(1/(1-p))^2 = 4$ because both hidden layers pass on inflated activations (the
# biases, which are not inflated, keep it from being exactly 4). The network becomes
# overconfident: the dev loss suffers far more than the dev accuracy, since a scaled logit
# mostly keeps its sign.
#
# ```{solution-end}
# ```
#
# ```{exercise} When early stopping acts like ℓ2
# :label: ex-08-early-stopping-l2
# Take a linear model with the quadratic loss $J(\mathbf w) = \frac{1}{2n}\|X\mathbf w - \mathbf y\|^2$,
# started at $\mathbf w = 0$ and trained by gradient descent with step $\eta$. Compare the weights
# after $\tau$ steps with the minimiser of $J + \frac{\alpha}{2}\|\mathbf w\|^2$. For which
# $\alpha$ are they close?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (two functions, factor(h, eta, tau) returning w_i(τ) / w_i*
# along an eigenvalue h, and alpha(eta, tau) returning the ℓ2 strength that matches τ steps), then
# run it.

# %%
from nndl_book.exercises import check, quiz

def my_factor(h, eta, tau):
    raise NotImplementedError  # edit: return w_i(τ) / w_i* along an eigenvalue h
def my_alpha(eta, tau):
    raise NotImplementedError  # edit: return the ℓ2 strength that matches τ steps
answer = (my_factor, my_alpha)
check("ex-08-early-stopping-l2", answer)


# %% [markdown]
# ```{solution-start} ex-08-early-stopping-l2
# :class: dropdown
# ```
#
# Write $H = X^\top X/n = Q\Lambda Q^\top$ and let $\mathbf w^*$ be the unregularised minimiser.
# In the eigenbasis the coordinates decouple. Gradient descent from zero gives, along
# eigenvalue $h_i$,
#
# $$ w_i(\tau) = \big[1 - (1 - \eta h_i)^\tau\big]\, w_i^* , $$
#
# and the $\ell_2$ (ridge) solution is
#
# $$ w_i(\alpha) = \frac{h_i}{h_i + \alpha}\, w_i^* = \Big[1 - \frac{\alpha}{h_i + \alpha}\Big] w_i^* . $$
#
# Both shrink the directions of small curvature $h_i$ the most: gradient descent has not yet
# walked far along them, ridge makes them cheap to give up. To compare the two factors, write
# $(1 - \eta h_i)^\tau \approx e^{-\eta h_i \tau}$ (for $\eta h_i \ll 1$) and choose
#
# $$ \alpha = \frac{1}{\eta\tau}, \qquad\text{so that, with } u_i = \eta h_i \tau: \qquad
#    \text{early stopping } 1 - e^{-u_i}, \qquad \text{ridge } \frac{u_i}{1 + u_i} . $$
#
# Both factors are $\approx u_i$ when $u_i \ll 1$ (a direction barely learned, or heavily
# shrunk) and $\approx 1$ when $u_i \gg 1$ (fully learned, barely shrunk); they differ only in
# between. So the number of steps plays the role of an inverse penalty strength,
# $\alpha \approx 1/(\eta\tau)$ (Goodfellow et al. {footcite}`goodfellow2016deep` §7.8).
# Checked on a two-weight problem with one steep and one flat direction, where both paths have
# closed forms in the eigenbasis:

# %%
rng_es = np.random.default_rng(5)
X_es = rng_es.normal(size=(100, 2)) * np.array([1.0, 0.25])
y_es = X_es @ np.array([1.0, 2.0]) + 0.2 * rng_es.normal(size=100)
H, b_es = X_es.T @ X_es / len(X_es), X_es.T @ y_es / len(X_es)
w_star = np.linalg.solve(H, b_es)
h, Q = np.linalg.eigh(H)
c = Q.T @ w_star  # w* in the eigenbasis
eta = 0.5


def early_stopped(tau):
    """Gradient descent from w = 0 after tau steps."""
    return Q @ ((1 - (1 - eta * h) ** tau) * c)


def ridge(alpha):
    """Minimiser of J + (alpha/2)||w||^2."""
    return Q @ (h / (h + alpha) * c)


w = np.zeros(2)
for _ in range(20):
    w = w - eta * (H @ w - b_es)
print("eigenvalues of H:", h, "| w* =", w_star)
print("closed form equals 20 explicit steps:", same(w, early_stopped(20)))
print("  τ   α = 1/(ητ)   early stopping     ridge")
for tau in [2, 5, 20, 50, 200]:
    print(f"{tau:4d} {1 / (eta * tau):9.3f}    {early_stopped(tau)}   {ridge(1 / (eta * tau))}")

taus = np.arange(1, 401)
gd_path = np.array([early_stopped(t) for t in taus])
ridge_path = np.array([ridge(1 / (eta * t)) for t in taus])
u = np.linspace(0, 20, 2001)
factor_gap = (1 - np.exp(-u)) - u / (1 + u)
path_gap = np.max(np.linalg.norm(gd_path - ridge_path, axis=1)) / np.linalg.norm(w_star)
print(f"largest gap between the factors: {factor_gap.max():.3f} (at u = {u[factor_gap.argmax()]:.1f})")
print(f"largest distance between the paths at equal τ: {path_gap:.3f} of ‖w*‖")
glue("es_factor_gap", f"{factor_gap.max():.2f}", display=False)
glue("es_path_gap", f"{100 * path_gap:.0f}", display=False)

# %%
w1, w2 = np.meshgrid(np.linspace(-0.2, 1.3, 120), np.linspace(-0.3, 2.4, 120))
W_grid = np.stack([w1, w2], axis=-1)
J_grid = 0.5 * np.einsum("...i,ij,...j->...", W_grid, H, W_grid) - W_grid @ b_es
fig = Figure(figsize=(5.6, 4.2), layout="constrained")
ax = fig.add_subplot()
ax.contour(w1, w2, J_grid, levels=14, colors="0.8", linewidths=0.8, linestyles="solid")
ax.plot(*np.vstack([np.zeros(2), gd_path]).T, color=PALETTE[0], lw=2,
        label="early stopping after τ steps")
ax.plot(*np.vstack([np.zeros(2), ridge_path]).T, color=PALETTE[1], lw=1.6, ls="--",
        label="ridge, α = 1/(ητ)")
for tau in [2, 5, 20, 50]:
    pair = np.array([early_stopped(tau), ridge(1 / (eta * tau))])
    ax.plot(*pair.T, color="0.45", lw=0.8)
    ax.plot(*pair.T, "o", color="0.3", ms=3.5)
    ax.annotate(f"τ = {tau}", pair[0], textcoords="offset points", xytext=(5, -3), fontsize=8)
ax.plot(*w_star, "k*", ms=11, label="$\\mathbf{w}^*$ (no penalty)")
ax.set(xlabel="$w_1$ (steep direction)", ylabel="$w_2$ (flat direction)",
       title="Early stopping and the ℓ2 path")
ax.legend(fontsize=8.5, loc="upper left")
fig

# %% [markdown]
# Both paths leave the origin along the steep direction $w_1$ and turn towards the flat
# direction $w_2$ only later, so stopping early and penalising strongly both leave $w_2$, the
# direction the data determine least, shrunk towards zero. Matched by $\alpha = 1/(\eta\tau)$
# (the grey segments), early stopping is ahead and makes the turn more sharply. The factors
# say why: $1 - e^{-u} \ge u/(1+u)$ for every $u \ge 0$, and the exact factor
# $1 - (1-\eta h_i)^\tau$ is larger still, since $(1-\eta h_i)^\tau \le e^{-\eta h_i\tau}$
# when $\eta h_i \le 1$, as here.
# The idealised factors differ by at most {glue:text}`es_factor_gap`; in this example the
# matched points are at most {glue:text}`es_path_gap`% of $\|\mathbf w^*\|$ apart. The
# correspondence is therefore qualitative (exact only in the limits $u_i \ll 1$ and
# $u_i \gg 1$, and derived for a quadratic loss): for a network it is a useful picture of why
# the number of steps acts as an inverse penalty strength, not a theorem.
#
# ```{solution-end}
# ```
#
# ```{exercise} NNDL 7-9
# :label: ex-08-nndl-7-9
# Prove that for standard stochastic gradient descent weight decay and $\ell_2$ regularisation
# have the same effect, and analyse whether this still holds for momentum and for Adam.
# ```
#
# ```{solution-start} ex-08-nndl-7-9
# :class: dropdown
# ```
#
# For SGD, the {ref}`ℓ2 section <ch08-l2>` showed it: $W - \eta(g + \lambda W) = (1-\eta\lambda)W - \eta g$,
# which is weight decay with $\beta = \eta\lambda$, and the three implementations agreed.
#
# *Momentum.* With the penalty, the term $\lambda W$ enters the velocity,
# $\mathbf v \leftarrow \mu\mathbf v + g + \lambda W$, $W \leftarrow W - \eta\mathbf v$, so
# each step applies all the past decay terms again, with weights $\mu^k$; when $W$ changes
# slowly the decay per step approaches $\eta\lambda/(1-\mu)$. Decoupled decay,
# $W \leftarrow (1 - \eta\lambda)W - \eta\mathbf v$ with $\mathbf v \leftarrow \mu\mathbf v + g$,
# applies it once. Not the same, but close to a rescaling of $\lambda$.
#
# *Adam.* The penalty's gradient $\lambda W$ is divided, like the rest of the gradient, by
# $\sqrt{\hat s}$, the running size of the gradient. A weight with large gradients is then
# decayed *less* than a weight with small gradients, which is not what the penalty was meant to
# do, and no rescaling of $\lambda$ fixes it. AdamW {footcite}`loshchilov2019adamw` decouples
# the decay: $W \leftarrow W - \eta\lambda W - \eta\,\text{Adam step}(g)$. In torch,
# `SGD(weight_decay=λ)` and `Adam(weight_decay=λ)` add $\lambda W$ to the gradient (the penalty),
# `AdamW` decays directly. Twenty steps of each pair from the same start:

# %%
def twenty_steps(make_opt, decoupled=False, lam=0.01, lr=0.01):
    tnet = to_torch(make_net(BIG, seed=SEED), BIG)
    weights = [m.weight for m in tnet if isinstance(m, nn.Linear)]
    biases = [m.bias for m in tnet if isinstance(m, nn.Linear)]
    opt = make_opt([{"params": weights, "weight_decay": 0.0 if decoupled else lam},
                    {"params": biases, "weight_decay": 0.0}], lr)
    for _ in range(20):
        loss = F.binary_cross_entropy_with_logits(tnet(Xt)[:, 0], yt)
        opt.zero_grad()
        loss.backward()
        if decoupled:
            with torch.no_grad():
                for W in weights:
                    W.mul_(1 - lr * lam)
        opt.step()
    return torch.cat([p.detach().flatten() for p in tnet.parameters()]).numpy()


pairs = {
    "SGD": lambda g, lr: torch.optim.SGD(g, lr=lr),
    "SGD, momentum 0.9": lambda g, lr: torch.optim.SGD(g, lr=lr, momentum=0.9),
    "Adam": lambda g, lr: torch.optim.Adam(g, lr=lr),
}
for name, make_opt in pairs.items():
    gap = np.max(np.abs(twenty_steps(make_opt) - twenty_steps(make_opt, decoupled=True)))
    shown = f"{gap:.1e}" if gap > 1e-12 else "below 1e-12"
    print(f"{name:18s} largest |ℓ2 penalty − decoupled decay| after 20 steps: {shown}")

by_hand = twenty_steps(pairs["Adam"], decoupled=True)
adamw = twenty_steps(lambda g, lr: torch.optim.AdamW(g, lr=lr))
print("torch AdamW equals Adam with decoupled decay by hand:", same(adamw, by_hand))

# %% [markdown]
# Plain SGD: identical. Momentum: a difference, because the decay is accumulated in the
# velocity. Adam: a much larger difference, and `AdamW` is exactly the decoupled version.
#
# ```{solution-end}
# ```
#
# ## What the sources get wrong
#
# Two numbers the sources' claims need that the chapter has not printed yet: how many weights
# the $\ell_2$ and $\ell_1$ penalties of the {ref}`sparsity section <ch08-l1>` set *exactly* to
# zero, and what `torch.nn.Dropout` drops, for a batch of four examples of eight units:

# %%
for name, key in [("ℓ2, λ = 0.01", "l2"), ("ℓ1, λ = 0.003", "l1")]:
    W = hidden_matrix(sparsity_nets[name])
    print(f"{name:14s}: weights exactly 0: {int(np.sum(W == 0))} of {W.size}, "
          f"|w| < 0.01: {np.mean(np.abs(W) < 0.01):.1%}, smallest |w| {np.abs(W).min():.1e}")
    glue(f"{key}_exact_zeros", int(np.sum(W == 0)), display=False)
    glue(f"{key}_small", f"{np.mean(np.abs(W) < 0.01):.1%}", display=False)

torch.manual_seed(0)
layer, drop = nn.Linear(8, 8), nn.Dropout(0.5)
weights_before = layer.weight.detach().clone()
h_drop = drop(torch.sigmoid(layer(torch.randn(4, 8))))
print("parameters of nn.Dropout:", len(list(drop.parameters())),
      "| layer weights unchanged:", torch.equal(layer.weight, weights_before))
print("dropped units (0) per example:")
print((h_drop != 0).int().numpy())

# %% [markdown]
# ```{admonition} What the sources get wrong
# - **"The penalty sets some weights to zero."** A blog overview of network basics lists
#   adding a regularisation term to the loss, "making some weights 0", among the cures for
#   overfitting. That describes $\ell_1$, not the usual $\ell_2$ penalty (weight decay): the
#   $\ell_2$ step shrinks each weight in proportion to its size, so a weight approaches zero
#   ever more slowly and never reaches it. Printed above: {glue:text}`l2_exact_zeros` of the
#   4096 hidden-to-hidden weights of the $\ell_2$ network are exactly 0 and
#   {glue:text}`l2_small` are below 0.01, against {glue:text}`l1_small` for $\ell_1$, whose
#   subgradient steps make weights practically, though not exactly, zero
#   ({ref}`ℓ1 section <ch08-l1>`).
# - **"Dropout drops weights."** The same overview describes dropout as randomly switching off
#   some *weights*. It switches off *units*: the mask multiplies the activations, one entry per
#   example and unit, and a new mask is drawn for every example (printed: each row of the
#   batch has its own dropped units, and `nn.Dropout` has no parameters and leaves the weights
#   alone). Dropping weights is a different method, DropConnect.
# - **Batch normalisation as a cure for overfitting.** The same overview lists adding batch
#   normalisation layers among the ways to "reduce the feature dimension" against overfitting.
#   Batch normalisation changes no dimension, and it regularises only through the noise of
#   mini-batch statistics: in the {ref}`table <ch08-table>`, trained on the full batch, it
#   leaves the train–dev gap at {glue:text}`bn_gap`, against {glue:text}`base_gap` without any
#   regulariser.
# - **"Penalising the bias has no effect."** A blog answer to NNDL 4-7 argues that the bias
#   drops out when the output is differentiated with respect to the input, so penalising it
#   "has no effect" on overfitting. The conclusion (leave the bias out) is right; the reason is
#   not: penalising the bias does have an effect, and it is a harmful one. In
#   {ref}`ex-08-nndl-4-7`, for data moved away from the origin, penalising $b$ as well lowers
#   the dev accuracy from {glue:text}`bias_moved_w_acc` to {glue:text}`bias_moved_wb_acc` and
#   raises the dev loss from {glue:text}`bias_moved_w_loss` to {glue:text}`bias_moved_wb_loss`.
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("08")


# %% [markdown]
# ## Summary
#
# - Overfitting shows as a dev loss that turns up while the training loss keeps falling, and
#   as a decision boundary that bends around single training points. The gap between training
#   and dev accuracy measures it.
# - The $\ell_2$ penalty $\frac\lambda2\sum\|W\|_F^2$ adds $\lambda W$ to the gradient: each
#   step shrinks the weights by $1-\eta\lambda$. For plain SGD that *is* weight decay; with
#   momentum and Adam the penalty and decoupled decay (AdamW) differ.
# - The $\ell_1$ penalty pushes every weight towards zero by the same amount per step and
#   leaves many weights at (practically) zero: sparsity.
# - Early stopping keeps the weights of the epoch with the lowest dev loss; for quadratic losses
#   it acts roughly like $\ell_2$ with $\lambda \approx 1/(\eta\tau)$.
# - Inverted dropout zeroes units with probability $p$ and scales the rest by $1/(1-p)$ while
#   training, so the test network is used as it is.
# - Batch normalisation standardises each unit over the mini-batch; it regularises only through
#   mini-batch noise, so with a full batch it does not.
# - Data augmentation and a smaller network attack overfitting from the data side and from the
#   model side. On thirty noisy moons, with three seeds, every method but full-batch batch norm
#   narrowed the train–dev gap.
# - Biases are not penalised: they shift the function, which costs no complexity.
#
# ## References
#
# ```{footbibliography}
# ```
