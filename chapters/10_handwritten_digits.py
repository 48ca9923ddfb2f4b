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
# (ch-digits)=
# # 10. Handwritten digits, end to end
#
# Every network so far has classified points in the plane. This chapter trains on real
# images: 1,797 handwritten digits of 8×8 pixels, ten classes. It is where the book comes
# together: the softmax output and cross-entropy of {ref}`ch-losses`, the ReLU of
# {ref}`ch-activations`, Adam from {ref}`ch-optimizers`, early stopping from
# {ref}`ch-regularisation`, the `Runner` of {ref}`ch-runner`. It adds what NNDL
# {footcite}`qiu2020nndl` chapter 7 and Nielsen {footcite}`nielsen2015nndl` chapter 3 say a
# practitioner needs and the toy problems could not show: sanity checks before training, input
# preprocessing (NNDL §7.4), learning-rate schedules and warm-up (NNDL §7.2.3), hyperparameter
# search (NNDL §7.6), learning curves, and a look at what the trained network gets wrong. At
# the end you can draw a digit on this page and watch the network classify it.
#
# **Learning goals.** After this chapter you can
#
# - split a real data set once, standardise it with statistics of the training part only, and
#   train a softmax regression and a multilayer perceptron on it with early stopping;
# - check a network before training it: the loss at initialisation, overfitting a tiny batch,
#   the size of the updates relative to the weights;
# - explain how preprocessing changes the condition number of the input covariance and with it
#   the speed of gradient descent;
# - use step decay, cosine and warm-up schedules and a learning-rate range test;
# - search hyperparameters at random on a log scale rather than on a grid, and say why;
# - read bias and variance off learning curves, and read a confusion matrix.

# %%
import json
import math

import numpy as np
import torch
from IPython.display import HTML
from matplotlib.figure import Figure
from myst_nb import glue
from torch import nn

from nndl_book import data
from nndl_book.maths.losses import cross_entropy, softmax
from nndl_book.plots import PALETTE, plot_history
from nndl_book.training import Runner, build_mlp
from nndl_book.training.schedules import Constant, Cosine, StepDecay, WarmupDecay, schedule_hook


# %% [markdown]
# ## The digits
#
# scikit-learn ships a copy of the UCI *Optical Recognition of Handwritten Digits* data
# {footcite}`alpaydin1998digits`: 43 people wrote digits on forms, each was scanned as a 32×32
# black-and-white bitmap, and the bitmap was cut into 4×4 blocks. A pixel of the 8×8 image
# counts the black pixels of its block, so it is an integer from 0 to 16. `data.load_digits`
# returns them as float arrays, one image per row; nothing is downloaded.
#
# The same code runs on MNIST (70,000 images of 28×28 pixels) by changing one line:
# `data.load_mnist()` downloads the four files once into a cache folder, checks their
# checksums and returns arrays of the same form (pixels scaled to [0, 1]). The published page
# uses the digits, which need no network and keep the chapter fast.

# %%
X, y = data.load_digits()
# X, y = data.load_mnist()  # MNIST: 70,000 images of 28x28, ~11 MB downloaded once; the
# chapter then runs for many minutes, and the drawing pad (made for 8x8 images) is left out
D = X.shape[1]  # pixels per image: 64 for the digits, 784 for MNIST
side = math.isqrt(D)  # 8 or 28
print(f"X: {X.shape}, pixel values {X.min():.0f} to {X.max():.0f}; y: {y.shape}")
print("images per digit:", np.bincount(y))

# %%
def show_images(images, titles, ncols=10, width=9.0, cmap="gray_r"):
    """A grid of images with a title each."""
    nrows = math.ceil(len(images) / ncols)
    fig = Figure(figsize=(width, width / ncols * nrows * 1.25), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    for ax in axes:
        ax.set_axis_off()
    for ax, image, title in zip(axes, images, titles):
        ax.imshow(image, cmap=cmap, interpolation="nearest")
        ax.set_title(title, fontsize=9)
    return fig


first = [np.flatnonzero(y == k)[:2] for k in range(10)]
order = np.concatenate([[f[0] for f in first], [f[1] for f in first]])
show_images(X[order].reshape(-1, side, side), [str(k) for k in y[order]])

# %% [markdown]
# Two of each digit, as the network sees them: 64 numbers. At this resolution a digit is a
# coarse blob, and two writers' versions of the same digit can differ more than two different
# digits do (compare the two 9s: the second is closer to a 5 than to the first).
#
# **One split, fixed by a seed.** As in {ref}`ch-runner`, 60 % of the images train the
# weights, 20 % (the *dev* set) choose everything else (epochs, learning rates, widths), and
# 20 % are the test set, looked at to report the final models.

# %%
split = data.train_dev_test_split(X, y, fractions=(0.6, 0.2, 0.2), rng=0)
(X_train, y_train), (X_dev, y_dev), (X_test, y_test) = split
for name, (X_part, y_part) in zip(split._fields, split):
    print(f"{name:5s}: {len(X_part):4d} images, per digit {np.bincount(y_part, minlength=10)}")

# %% [markdown]
# **Standardisation from the training part only.** Each pixel is shifted and scaled to mean 0
# and standard deviation 1, with the mean and standard deviation of the *training* images. The
# dev and test images are transformed with the same numbers: computing their own statistics, or
# statistics of all the data, would let the held-out images shape the input the model sees.
# Pixels that are constant in the training images (always blank at the border) are only
# centred.

# %%
mean = X_train.mean(axis=0)
std = X_train.std(axis=0)
scale = np.where(std < 1e-8, 1.0, std)
Z_train, Z_dev, Z_test = ((X_part - mean) / scale for X_part in (X_train, X_dev, X_test))
print("pixels constant in the training images:", np.flatnonzero(std < 1e-8))

standardiser = data.Standardiser().fit(X_train)  # the package's version
for ours, part in ((Z_train, X_train), (Z_dev, X_dev), (Z_test, X_test)):
    assert np.allclose(ours, standardiser.transform(part), rtol=0, atol=1e-12)
print(f"train mean of standardised pixels: {np.abs(Z_train.mean(axis=0)).max():.1e} at most")
print(f"dev   mean of standardised pixels: {np.abs(Z_dev.mean(axis=0)).max():.2f} at most")

# %% [markdown]
# The training pixels have mean 0 to rounding error; the dev pixels do not quite, which is
# what a fair evaluation looks like: new images are not standardised to perfection.
#
# ## Sanity checks before training
#
# Training a network takes long enough that it pays to check a few things first. The CS231n
# notes {footcite}`karpathy2016cs231n` call this babysitting the learning process. The network
# is a 64-64-10 perceptron with ReLU hidden units; its ten outputs are *logits*
# $z_1, \dots, z_{10}$, turned into probabilities by the softmax and scored by the
# cross-entropy (NNDL §3.3):
#
# $$ p_k = \frac{e^{z_k}}{\sum_{j} e^{z_j}}, \qquad \mathcal L = -\frac1N \sum_{n=1}^N \ln p_{y_n}. $$
#
# ### The loss at initialisation
#
# With small random weights the logits are close to each other, every $p_k$ is close to 1/10,
# and the loss is close to $\ln 10$. A loss far from it at step 0 means a bug in the loss, the
# labels or the initialisation. We compute it with the softmax and cross-entropy written out,
# then with the package and with torch:

# %%
H = 64  # hidden units
net0 = build_mlp([D, H, 10], "relu", seed=0)
with torch.no_grad():
    logits0 = net0(torch.as_tensor(Z_train)).numpy()
p0 = np.exp(logits0 - logits0.max(axis=1, keepdims=True))
p0 /= p0.sum(axis=1, keepdims=True)
losses0 = -np.log(p0[np.arange(len(y_train)), y_train])  # one loss per image
loss0 = losses0.mean()
print(f"loss at initialisation: {loss0:.4f}, ln 10 = {math.log(10):.4f}, "
      f"difference {loss0 - math.log(10):+.4f}")
print(f"package: {cross_entropy(logits0, y_train):.4f}, torch: "
      f"{nn.functional.cross_entropy(torch.as_tensor(logits0), torch.as_tensor(y_train)):.4f}")
assert np.allclose(p0, softmax(logits0, axis=1))

# %% [markdown]
# The three computations agree, and the loss is close to $\ln 10$ but above it by more than
# rounding. Is that a bug? Expand the loss of one image to second order in its logits: with
# $\bar z$ the mean and $s^2$ the variance of its ten logits,
#
# $$ -\ln p_y = \ln \sum_k e^{z_k} - z_y \approx \ln 10 + \tfrac12 s^2 + (\bar z - z_y). $$
#
# The first correction is never negative: unequal logits always cost more than equal ones.
# The second has no preferred sign, since a random network does not favour the right digit
# over the others, but for one network it need not vanish either: images of the same digit
# look alike, so they get similar logits, and the average of $\bar z - z_y$ over the training
# set is one random number per initialisation. So the check is over initialisations: twenty
# networks, seeds 0 to 19, each on the whole training set.

# %%
ln10 = math.log(10)
excess, half_var, rest = [], [], []
for seed in range(20):
    with torch.no_grad():
        z = build_mlp([D, H, 10], "relu", seed=seed)(torch.as_tensor(Z_train)).numpy()
    loss = cross_entropy(z, y_train)
    excess.append(loss - ln10)
    half_var.append(0.5 * z.var(axis=1).mean())
    rest.append(loss - ln10 - half_var[-1])  # the mean of (z_bar - z_y), plus higher orders
rest_mean, rest_se = np.mean(rest), np.std(rest, ddof=1) / math.sqrt(len(rest))
print(f"over 20 initialisations: loss - ln 10 = {np.mean(excess):.4f} on average "
      f"(from {min(excess):+.4f} to {max(excess):+.4f})")
print(f"half the variance of the logits: {np.mean(half_var):.4f} on average")
print(f"what is left: {rest_mean:+.4f} ± {rest_se:.4f} (standard error), "
      f"{rest_mean / rest_se:+.1f} standard errors from 0")
glue("excess0", float(np.mean(excess)), display=False)
glue("halfvar0", float(np.mean(half_var)), display=False)
glue("rest_z", float(abs(rest_mean / rest_se)), display=False)

# %% [markdown]
# On average over initialisations the loss exceeds $\ln 10$ by {glue:text}`excess0:.4f`,
# of which the spread of the logits accounts for {glue:text}`halfvar0:.4f`, and what is left
# is {glue:text}`rest_z:.1f` standard errors from zero: the loss at initialisation is
# $\ln 10$ plus the spread term, within sampling error. A loss far from $\ln 10$ would
# mean a network that starts with confident answers (initial weights too large, a loss
# applied to probabilities instead of logits) or labels leaking into the inputs.
#
# ### Overfit a tiny batch
#
# The 64-64-10 network has {glue:text}`n_params_mlp` parameters (printed below), so it must be
# able to memorise 20 images. If it cannot drive the loss on them to nearly zero (no
# regularisation, enough steps), something is broken: a wrong loss, a learning rate far off,
# gradients that do not reach the weights.

# %%
tiny = (Z_train[:20], y_train[:20])
net_tiny = build_mlp([D, H, 10], "relu", seed=0)
tiny_runner = Runner(net_tiny, nn.CrossEntropyLoss(), torch.optim.Adam(net_tiny.parameters(), lr=0.01))
h_tiny = tiny_runner.fit(tiny, epochs=60, progress=False)
n_params_mlp = sum(p.numel() for p in net_tiny.parameters())
print(f"parameters of the {D}-{H}-10 network: {n_params_mlp}")
glue("n_params_mlp", f"{n_params_mlp:,}", display=False)
for step in (1, 5, 10, 30, 60):
    print(f"step {step:3d}: loss {h_tiny.train_loss[step - 1]:.2e}, "
          f"accuracy {h_tiny.train_metric[step - 1]:.2f}")

# %% [markdown]
# The loss on the 20 images falls by several orders of magnitude and every one of them is
# classified correctly: the plumbing works.
#
# ### Update-to-weight ratio
#
# How large is a step compared with the weights it changes? For each layer the ratio
# $\lVert \Delta W \rVert / \lVert W \rVert$ of one update to the weights says whether the
# learning rate is in a sensible range: CS231n's rule of thumb is about $10^{-3}$; much
# smaller and the network learns slowly, much larger and it forgets what it learnt. A `Runner`
# hook sees the weights after every step, so it can measure the ratio over the first epoch
# of mini-batches of 64, here for Adam at three learning rates:

# %%
def ratio_hook(net: nn.Module, sink: dict[str, list[float]]):
    """A Runner hook recording ||W_after - W_before|| / ||W_before|| for every weight matrix."""
    weights = {name: p for name, p in net.named_parameters() if name.endswith("weight")}
    before = {name: w.detach().clone() for name, w in weights.items()}

    def hook(runner, epoch, step):
        for name, w in weights.items():
            sink.setdefault(name, []).append(
                ((w.detach() - before[name]).norm() / before[name].norm()).item())
            before[name] = w.detach().clone()

    return hook


for lr in (1e-4, 1e-3, 1e-2):
    net_r = build_mlp([D, H, 10], "relu", seed=0)
    ratios: dict[str, list[float]] = {}
    Runner(net_r, nn.CrossEntropyLoss(), torch.optim.Adam(net_r.parameters(), lr=lr),
           hooks=[ratio_hook(net_r, ratios)]).fit(
        (Z_train, y_train), epochs=1, batch_size=64, seed=0, progress=False)
    print(f"Adam, lr {lr:.0e}: " + ", ".join(
        f"layer {name.split('.')[0]} {np.mean(r):.1e}" for name, r in ratios.items()),
        f"(mean over {len(next(iter(ratios.values())))} steps)")

# %% [markdown]
# The ratio grows roughly in proportion to the learning rate (a little less from $10^{-3}$ to
# $10^{-2}$): Adam's steps have a size of about the
# learning rate for every weight, whatever the size of the gradient. By the rule of thumb,
# $10^{-4}$ would be the learning rate to choose. It is only a rule of thumb: with Adam at
# $10^{-3}$ the updates are about 1 % of the weights, and the next section trains with it
# without trouble; what the ratio does catch is a rate that is off by orders of magnitude, or
# one layer that learns much faster or slower than the others (not the case here: both
# layers have nearly the same ratio).
#
# ## Softmax regression and a multilayer perceptron
#
# Two models, both trained by the `Runner` with mini-batches of 64, Adam and early stopping:
# training stops when the dev loss has not improved for 10 epochs, and the weights of the
# best epoch are restored.
#
# - **Softmax regression** (NNDL §3.3): one linear layer, $\mathbf z = W\mathbf x + \mathbf b$,
#   64 × 10 weights and 10 biases. Its decision boundaries are hyperplanes.
# - **A 64-64-10 ReLU network**: one hidden layer, {glue:text}`n_params_mlp` parameters.

# %%
def train(net: nn.Module, *, lr: float = 1e-3, epochs: int = 200, patience: int = 10,
          train_set=None, dev_set=None) -> Runner:
    """Adam, mini-batches of 64, early stopping on the dev set; restores the best epoch."""
    runner = Runner(net, nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=lr))
    runner.fit(train_set or (Z_train, y_train), dev_set or (Z_dev, y_dev), epochs=epochs,
               batch_size=64, seed=0, early_stopping=patience, progress=False)
    runner.restore_best()
    return runner


softmax_net = nn.Linear(D, 10)
nn.init.zeros_(softmax_net.weight)  # the loss is convex in W: start at zero
nn.init.zeros_(softmax_net.bias)
softmax_runner = train(softmax_net, lr=1e-2)
mlp = build_mlp([D, H, 10], "relu", seed=0)
mlp_runner = train(mlp)

results = {}
for name, runner in (("softmax regression", softmax_runner), ("64-64-10 MLP", mlp_runner)):
    h = runner.history
    _, dev_acc = runner.evaluate((Z_dev, y_dev))
    _, test_acc = runner.evaluate((Z_test, y_test))
    results[name] = test_acc
    key = "best_epoch_mlp" if "MLP" in name else "best_epoch_softmax"
    glue(key, int(h.best_epoch), display=False)
    print(f"{name:18s}: best epoch {h.best_epoch:3d} of {h.epochs:3d}, "
          f"dev accuracy {dev_acc:.4f}, test accuracy {test_acc:.4f}")
glue("mlp_test", float(results["64-64-10 MLP"]), display=False)
glue("softmax_test", float(results["softmax regression"]), display=False)
errors_count = {name: round((1 - acc) * len(y_test)) for name, acc in results.items()}
print("misclassified test images:", errors_count)
glue("errors_mlp", int(errors_count["64-64-10 MLP"]), display=False)
glue("errors_softmax", int(errors_count["softmax regression"]), display=False)

# %%
plot_history(mlp_runner.history, title="64-64-10 ReLU network, Adam lr 1e-3, batches of 64")

# %% [markdown]
# The MLP classifies {glue:text}`mlp_test:.1%` of the test digits correctly, softmax
# regression {glue:text}`softmax_test:.1%` ({glue:text}`errors_mlp` and
# {glue:text}`errors_softmax` wrong images of the 360). Linear boundaries already do well on
# these images; the hidden layer removes a few more errors. The curves show the usual picture:
# the training loss keeps falling while the dev loss levels off, so the network goes on
# fitting the training images more closely without getting better on new ones. Early
# stopping ended the run 10 epochs after the best epoch ({glue:text}`best_epoch_mlp`)
# and restored its weights.
#
# ## Preprocessing: raw, standardised, whitened
#
# NNDL §7.4 explains why inputs on different scales slow gradient descent: the loss surface
# of a linear model has the curvature of the input's second-moment matrix, so its contours
# are long thin ellipses when the input's covariance has very different eigenvalues, and a
# learning rate small enough for the steepest direction crawls along the flattest
# {footcite}`lecun1998efficient`. The **condition number** of the covariance,
# $\kappa = \lambda_{\max} / \lambda_{\min}$, measures how thin. Three versions of the inputs:
#
# - **raw** pixels 0 to 16;
# - **standardised**: every pixel to mean 0 and variance 1 (above);
# - **PCA-whitened**: rotate to the eigenvectors $U$ of the training covariance
#   $C = U \Lambda U^\top$ and divide by the square roots of the eigenvalues,
#   $\tilde{\mathbf x} = \Lambda^{-1/2} U^\top (\mathbf x - \boldsymbol\mu)$, so that the
#   covariance becomes the identity. Directions with zero variance (the constant pixels, and
#   combinations of pixels that never vary) are dropped.

# %%
C = np.cov(X_train, rowvar=False)
eigvals, U = np.linalg.eigh(C)
keep = eigvals > 1e-10 * eigvals.max()  # drop directions with no variance
whiten = U[:, keep] / np.sqrt(eigvals[keep])
W_train, W_dev, W_test = ((X_part - mean) @ whiten for X_part in (X_train, X_dev, X_test))
inputs = {"raw": (X_train, X_dev, X_test), "standardised": (Z_train, Z_dev, Z_test),
          "whitened": (W_train, W_dev, W_test)}


def condition_number(A: np.ndarray) -> float:
    """lambda_max / lambda_min of the covariance of A, over directions that vary."""
    ev = np.linalg.eigvalsh(np.cov(A, rowvar=False))
    ev = ev[ev > 1e-10 * ev.max()]
    return ev.max() / ev.min()


print(f"directions kept by the whitening: {keep.sum()} of {len(keep)}")
kappa = {name: condition_number(A) for name, (A, _, _) in inputs.items()}
for name, k in kappa.items():
    print(f"{name:12s}: condition number of the covariance {k:10.1f}")
glue("kappa_ratio", float(kappa["raw"] / kappa["standardised"]), display=False)

# %% [markdown]
# Standardising divides the condition number by {glue:text}`kappa_ratio:.0f`, whitening makes it 1 by
# construction. What does that do to training? Softmax regression by full-batch gradient
# descent, written out in numpy: with $P$ the $N\times 10$ matrix of probabilities and $Y$
# the one-hot labels, the gradient of the mean cross-entropy is
# $\nabla_W \mathcal L = X^\top (P - Y)/N$ and $\nabla_{\mathbf b} \mathcal L = \mathbf 1^\top (P - Y)/N$
# (NNDL §3.3). First a check against autograd:

# %%
def softmax_gd(A: np.ndarray, lr: float, steps: int = 100) -> np.ndarray:
    """Training loss after 0, 1, ..., `steps` - 1 gradient-descent steps, from zero weights."""
    N, d = A.shape
    Y = np.eye(10)[y_train]
    W, b = np.zeros((d, 10)), np.zeros(10)
    losses = np.empty(steps)
    for i in range(steps):
        logits = A @ W + b
        logits -= logits.max(axis=1, keepdims=True)
        P = np.exp(logits)
        P /= P.sum(axis=1, keepdims=True)
        losses[i] = -np.mean(np.log(P[np.arange(N), y_train] + 1e-300))
        G = (P - Y) / N
        W -= lr * (A.T @ G)
        b -= lr * G.sum(axis=0)
    return losses


W_check = torch.zeros(D, 10, requires_grad=True)
nn.functional.cross_entropy(torch.as_tensor(Z_train) @ W_check, torch.as_tensor(y_train)).backward()
G0 = (np.full((len(y_train), 10), 0.1) - np.eye(10)[y_train]) / len(y_train)
print(f"gradient at W = 0, largest difference from autograd: "
      f"{np.abs(Z_train.T @ G0 - W_check.grad.numpy()).max():.1e}")

# %% [markdown]
# Each version of the input gets the learning rate of the grid below that reaches a training
# loss of 0.25 in the fewest steps, among the rates whose loss never climbs above where it
# started, $\ln 10$ (a larger rate can overshoot, climb far above the start and still reach the
# target after the detour; that is not the speed we want to compare). The raw pixels need a
# very different rate from the others:

# %%
lr_grid = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]
TARGET = 0.25
curves, chosen, reach = {}, {}, {}
with np.errstate(over="ignore", invalid="ignore"):
    for name, (A_train, _, _) in inputs.items():
        runs = {lr: softmax_gd(A_train, lr) for lr in lr_grid}
        steps_to = {lr: int(np.argmax(c < TARGET)) if np.any(c < TARGET) else math.inf
                    for lr, c in runs.items()}  # c[k] is the loss after k steps
        steady = [lr for lr, c in runs.items() if np.all(c <= c[0])]  # never above ln 10
        lr_best = min(steady, key=lambda lr: (steps_to[lr], runs[lr][-1]))
        curves[name], chosen[name], reach[name] = runs[lr_best], lr_best, steps_to[lr_best]
        print(f"{name:12s}: best lr {lr_best:5.2f}, steps to loss < {TARGET}: "
              f"{reach[name]:3d}, loss after {len(runs[lr_best])} steps {runs[lr_best][-1]:.4f}")
for name, n in reach.items():
    glue(f"reach_{name}", int(n), display=False)
glue("lr_ratio", f"{chosen['standardised'] / chosen['raw']:.0f}", display=False)

# %%
fig = Figure(figsize=(6.5, 3.6), layout="constrained")
ax = fig.subplots()
for i, (name, curve) in enumerate(curves.items()):
    ax.plot(np.arange(len(curve)), curve, color=PALETTE[i],
            label=f"{name} (lr {chosen[name]:g})")
ax.axhline(TARGET, color="0.5", lw=0.8, ls=":")
ax.set_yscale("log")
ax.set_xlabel("gradient-descent steps taken")
ax.set_ylabel("training loss")
ax.set_title("Softmax regression, full-batch gradient descent")
ax.legend()
ax.grid(alpha=0.3)
fig

# %% [markdown]
# The steps needed follow the condition numbers: {glue:text}`reach_raw` on raw pixels,
# {glue:text}`reach_standardised` standardised, {glue:text}`reach_whitened` whitened. On raw
# pixels the learning rate must be {glue:text}`lr_ratio` times smaller than on standardised ones
# (the largest eigenvalue of the raw covariance is large, and a step must stay small in the
# direction of steepest curvature), and at that rate the directions of small variance crawl.
# Standardised and whitened inputs tolerate large steps in every direction. The rest of the
# chapter uses
# standardised inputs, which are simple and nearly as fast: whitening needs a 64×64 matrix
# fitted to the training data, and it blows up the directions of tiny variance, mostly noise,
# to the same size as the main strokes.
#
# ## Learning-rate schedules
#
# A constant learning rate is a compromise: large enough to make progress early, small enough
# not to bounce around the minimum late. NNDL §7.2.3 lists the usual ways to lower it during
# training, and the package has them in `nndl_book.training.schedules`. With $t$ the number
# of steps taken, $T$ the total and $\eta_0$ the initial rate:
#
# | schedule | $\eta_t$ |
# | --- | --- |
# | constant | $\eta_0$ |
# | step decay | $\eta_0\,\gamma^{\lfloor t/s \rfloor}$ (multiply by $\gamma$ every $s$ steps) |
# | cosine {footcite}`loshchilov2017sgdr` | $\tfrac12\eta_0\,\big(1 + \cos(\pi t / T)\big)$ |
# | linear warm-up, then linear decay {footcite}`goyal2017accurate` | $\eta_0\,\big(0.01 + 0.99\,\tfrac{t}{w}\big)$ for $t < w$, then $\eta_0\,\tfrac{T - t}{T - w}$ |
#
# Warm-up starts with small steps while the first gradients, computed at random weights, are
# large and unreliable (and while Adam's moment estimates are still built from few steps).
# Written out in numpy, then checked against the package and against PyTorch's schedulers:

# %%
EPOCHS, BATCHES = 20, math.ceil(len(Z_train) / 64)
T = EPOCHS * BATCHES  # optimizer steps in a run
ETA0, WARM = 0.05, 2 * BATCHES
t = np.arange(T + 1)
written = {
    "constant": np.full(T + 1, ETA0),
    "step decay": ETA0 * 0.1 ** np.floor(t / (T // 3)),
    "cosine": 0.5 * ETA0 * (1 + np.cos(np.pi * t / T)),
    "warm-up + linear decay": np.where(t < WARM, ETA0 * (0.01 + 0.99 * t / WARM),
                                       ETA0 * (T - t) / (T - WARM)),
}
schedules = {
    "constant": Constant(ETA0),
    "step decay": StepDecay(ETA0, step_size=T // 3, gamma=0.1),
    "cosine": Cosine(ETA0, total=T),
    "warm-up + linear decay": WarmupDecay(ETA0, warmup=WARM, total=T),
}


def torch_schedule(make, n=T + 1):
    """Learning rates of a torch scheduler after 0, 1, ..., n - 1 steps."""
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=ETA0)
    sched, rates = make(opt), []
    for _ in range(n):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(rates)


lr_sched = torch.optim.lr_scheduler
from_torch = {
    "step decay": torch_schedule(lambda o: lr_sched.StepLR(o, step_size=T // 3, gamma=0.1)),
    "cosine": torch_schedule(lambda o: lr_sched.CosineAnnealingLR(o, T_max=T)),
    "warm-up + linear decay": torch_schedule(lambda o: lr_sched.SequentialLR(o, [
        lr_sched.LinearLR(o, start_factor=0.01, total_iters=WARM),
        lr_sched.LinearLR(o, start_factor=1.0, end_factor=0.0, total_iters=T - WARM)],
        milestones=[WARM])),
}
for name, rates in written.items():
    gap_package = np.abs(rates - schedules[name](t)).max()
    gap_torch = np.abs(rates - from_torch[name]).max() if name in from_torch else 0.0
    print(f"{name:23s}: largest difference from the package {gap_package:.1e}, "
          f"from torch {gap_torch:.1e}")

# %%
fig = Figure(figsize=(6.5, 3.2), layout="constrained")
ax = fig.subplots()
for i, (name, rates) in enumerate(written.items()):
    ax.plot(t / BATCHES, rates, color=PALETTE[i], label=name, lw=2)
ax.set_xlabel("epoch")
ax.set_ylabel("learning rate")
ax.set_title(f"Four schedules over {EPOCHS} epochs ({T} steps)")
ax.legend()
ax.grid(alpha=0.3)
fig

# %% [markdown]
# In a `Runner` a schedule is a hook: `schedule_hook(schedule)` sets the learning rate after
# every step. The four schedules train the same MLP from the same start with SGD and momentum
# 0.9 (Adam would hide part of the difference) for 20 epochs, without early stopping:

# %%
sched_hist = {}
for name, schedule in schedules.items():
    net_s = build_mlp([D, H, 10], "relu", seed=0)
    opt = torch.optim.SGD(net_s.parameters(), lr=schedule(0), momentum=0.9)
    r = Runner(net_s, nn.CrossEntropyLoss(), opt, hooks=[schedule_hook(schedule)])
    sched_hist[name] = r.fit((Z_train, y_train), (Z_dev, y_dev), epochs=EPOCHS, batch_size=64,
                             seed=0, progress=False)
    h = sched_hist[name]
    print(f"{name:23s}: final train loss {h.train_loss[-1]:.4f}, dev loss {h.dev_loss[-1]:.4f}, "
          f"dev accuracy {h.dev_metric[-1]:.4f}; lowest dev loss {min(h.dev_loss):.4f}")

# %%
fig = Figure(figsize=(9.0, 3.4), layout="constrained")
ax_train, ax_dev = fig.subplots(1, 2, sharex=True)
for i, (name, h) in enumerate(sched_hist.items()):
    epochs = np.arange(1, h.epochs + 1)
    ax_train.plot(epochs, h.train_loss, color=PALETTE[i], label=name)
    ax_dev.plot(epochs, h.dev_loss, color=PALETTE[i], label=name)
for ax, what in ((ax_train, "training loss"), (ax_dev, "dev loss")):
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(what)
    ax.grid(alpha=0.3)
ax_train.legend(fontsize=8.5)
fig.suptitle("The same MLP, SGD with momentum 0.9, four schedules")
fig

# %% [markdown]
# With this budget of 20 epochs the constant rate ends with the lowest training loss *and*
# the lowest dev loss. The three decaying schedules spend much of the run at smaller rates,
# so they make less progress on the training loss, and the benefit a decay is known for
# (settling into a minimum instead of bouncing around it at the end) does not show: the dev
# loss here is limited by how well the network generalises, not by noise in the last steps.
# The dev accuracies differ by at most two images of 359. A schedule is a hyperparameter like
# any other, chosen on the dev set for a given budget; it pays off in long runs with noisy
# gradients (large data sets, small batches), which the next exercise and a run on MNIST let
# you test.
#
# ### The learning-rate range test
#
# Where should $\eta_0$ come from? Smith's *range test* {footcite}`smith2017cyclical` costs
# one short run: start with a tiny learning rate, multiply it by a constant factor after every
# mini-batch, and record the loss. While the rate is too small the loss does not move; then it
# falls, faster and faster; then the steps become too large and it shoots up. A good $\eta_0$
# lies where the loss falls fastest, somewhat below the point where it turns. The test needs
# the loss of every mini-batch, so it is a bare loop:

# %%
def range_test(lr_min=1e-4, lr_max=10.0, steps=120, seed=0):
    """Loss of each mini-batch while the learning rate grows geometrically."""
    net = build_mlp([D, H, 10], "relu", seed=seed)
    opt = torch.optim.SGD(net.parameters(), lr=lr_min, momentum=0.9)
    gen = torch.Generator().manual_seed(seed)
    Xt, yt = torch.as_tensor(Z_train), torch.as_tensor(y_train)
    lrs = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    losses = []
    batches = iter(())
    for lr in lrs:
        idx = next(batches, None)
        if idx is None:  # a new shuffled epoch
            batches = iter(torch.randperm(len(Xt), generator=gen).split(64))
            idx = next(batches)
        opt.param_groups[0]["lr"] = float(lr)
        loss = nn.functional.cross_entropy(net(Xt[idx]), yt[idx])
        if not math.isfinite(loss.item()) or loss.item() > 4 * math.log(10):
            break  # diverged: stop the test
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return lrs[:len(losses)], np.array(losses)


lrs, rt_loss = range_test()
smooth = np.convolve(rt_loss, np.ones(9) / 9, mode="valid")  # moving average of 9 batches
lr_mid = lrs[4:-4]
steepest = lr_mid[np.argmin(np.gradient(smooth, np.log(lr_mid)))]
lowest = lr_mid[np.argmin(smooth)]
print(f"tested {len(rt_loss)} mini-batches, learning rates {lrs[0]:.0e} to {lrs[-1]:.2f}")
print(f"loss falls fastest at lr {steepest:.3f}; smoothed loss lowest at lr {lowest:.3f}")
glue("rt_steepest", float(steepest), display=False)
glue("rt_lowest", float(lowest), display=False)

# %%
fig = Figure(figsize=(6.5, 3.4), layout="constrained")
ax = fig.subplots()
ax.plot(lrs, rt_loss, color=PALETTE[0], alpha=0.35, label="loss of each mini-batch")
ax.plot(lr_mid, smooth, color=PALETTE[0], lw=2, label="moving average of 9")
ax.axvline(steepest, color=PALETTE[1], ls="--", label=f"steepest descent, lr {steepest:.3f}")
ax.axvline(ETA0, color=PALETTE[2], ls=":", label=f"$\\eta_0$ of the schedules, {ETA0}")
ax.set_xscale("log")
ax.set_xlabel("learning rate")
ax.set_ylabel("training loss")
ax.set_title("Learning-rate range test (SGD, momentum 0.9)")
ax.legend(fontsize=8.5)
ax.grid(alpha=0.3)
fig

# %% [markdown]
# The loss falls fastest at a learning rate of about {glue:text}`rt_steepest:.3f` and the
# smoothed loss is lowest near {glue:text}`rt_lowest:.2f`; after that the steps are too large
# and the test stops when the loss passes $4 \ln 10$, four times the loss at initialisation.
# The $\eta_0 = 0.05$ used for the schedules above sits at the steepest point, a common choice
# for a constant or initial rate. Smith himself reads the test differently, for his cyclical
# schedules: the rate where the loss starts to fall and the rate where it stops falling are
# the lower and upper bounds between which the rate oscillates. The point of lowest loss is
# an upper limit, too large to keep for a whole run.
#
# ## Hyperparameter search: grid or random?
#
# Two hyperparameters of the MLP: the learning rate $\eta$ of Adam and the weight decay
# $\lambda$ (the $\ell_2$ penalty of {ref}`ch-regularisation`). Both matter on a *logarithmic*
# scale: $10^{-3}$ and $2\cdot10^{-3}$ differ as much as $10^{-2}$ and $2\cdot 10^{-2}$. So
# both searches work on $\log_{10}\eta \in [-4, -1]$ and $\log_{10}\lambda \in [-6, -2]$,
# with the same budget of 9 training runs of 10 epochs each, scored by the lowest dev loss:
#
# - **grid search**: 3 values of each, every combination;
# - **random search** {footcite}`bergstra2012random`: 9 points drawn uniformly in the
#   log-rectangle.
#
# Bergstra and Bengio's argument: when one hyperparameter matters much more than the other
# (which is common, and not known in advance), the grid spends its budget on only 3 distinct
# values of the important one, while random search tries 9.

# %%
def search_run(log_lr: float, log_wd: float, epochs: int = 10) -> tuple[float, float]:
    """Dev loss and accuracy of the best epoch of a short run."""
    net = build_mlp([D, H, 10], "relu", seed=0)
    opt = torch.optim.Adam(net.parameters(), lr=10**log_lr, weight_decay=10**log_wd)
    h = Runner(net, nn.CrossEntropyLoss(), opt).fit(
        (Z_train, y_train), (Z_dev, y_dev), epochs=epochs, batch_size=64, seed=0, progress=False)
    return h.dev_loss[h.best_epoch - 1], h.dev_metric[h.best_epoch - 1]


grid = [(a, b) for a in np.linspace(-4, -1, 3) for b in np.linspace(-6, -2, 3)]
rng = np.random.default_rng(10)
random_points = list(zip(rng.uniform(-4, -1, 9), rng.uniform(-6, -2, 9)))
search = {"grid": [(a, b, *search_run(a, b)) for a, b in grid],
          "random": [(a, b, *search_run(a, b)) for a, b in random_points]}
for name, runs in search.items():
    a, b, loss, acc = min(runs, key=lambda run: run[2])
    print(f"{name:6s} search: {len({round(r[0], 6) for r in runs})} distinct learning rates; "
          f"lowest dev loss {loss:.4f} (dev accuracy {acc:.4f}) at lr {10**a:.2e}, "
          f"weight decay {10**b:.1e}")
rates = sorted({run[0] for run in search["grid"]})
wd_spread = {a: max(r[2] for r in search["grid"] if r[0] == a)
             / min(r[2] for r in search["grid"] if r[0] == a) for a in rates}
print("grid, dev loss over the three weight decays, largest / smallest: "
      + ", ".join(f"{s:.2f} at lr {10**a:.1e}" for a, s in wd_spread.items()))
decays = sorted({run[1] for run in search["grid"]})
lr_spread = min(max(r[2] for r in search["grid"] if r[1] == b)
                / min(r[2] for r in search["grid"] if r[1] == b) for b in decays)
print(f"grid, dev loss over the three learning rates, largest / smallest: at least {lr_spread:.1f}")
glue("wd_spread_top", f"{wd_spread[rates[-1]]:.1f}", display=False)
glue("wd_spread_rest", f"{max(wd_spread[a] for a in rates[:-1]):.2f}", display=False)
glue("lr_spread", f"{lr_spread:.1f}", display=False)
best_search = min(search["grid"] + search["random"], key=lambda run: run[2])
glue("best_lr", float(10 ** best_search[0]), display=False)
glue("best_wd", float(10 ** best_search[1]), display=False)
glue("best_acc", float(best_search[3]), display=False)

# %%
fig = Figure(figsize=(9.0, 3.6), layout="constrained")
ax_plane, ax_lr = fig.subplots(1, 2)
for i, (name, runs) in enumerate(search.items()):
    a, b, loss, acc = np.array(runs).T
    ax_plane.scatter(a, b, s=30 + 600 * (acc - 0.85).clip(0), color=PALETTE[i],
                     marker="os"[i], alpha=0.7, label=name)
    ax_lr.scatter(a, loss, color=PALETTE[i], marker="os"[i], label=name)
ax_plane.set_xlabel(r"$\log_{10}$ learning rate")
ax_plane.set_ylabel(r"$\log_{10}$ weight decay")
ax_plane.set_title("The 18 runs (larger = higher dev accuracy)")
ax_lr.set_xlabel(r"$\log_{10}$ learning rate")
ax_lr.set_ylabel("lowest dev loss in 10 epochs")
ax_lr.set_yscale("log")
ax_lr.set_title("Dev loss against the learning rate")
for ax in (ax_plane, ax_lr):
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8.5)
fig

# %% [markdown]
# The two searches found configurations of the same dev accuracy, but random search found
# the lower dev loss, at a learning rate the grid never tried (the grid's three learning rates
# are $10^{-4}$, $10^{-2.5}$ and $10^{-1}$). The right-hand panel shows why: the dev loss
# depends mostly on the learning rate. At each weight decay of the grid, its three learning
# rates change the dev loss by a factor of at least {glue:text}`lr_spread`; at each learning
# rate, the three weight decays change it by a factor of at most
# {glue:text}`wd_spread_rest`, except at the largest rate, where they change it by a factor of
# {glue:text}`wd_spread_top` (printed). So the grid's nine runs measure mostly three points of
# the curve that matters. The best configuration of the 18 runs
# has learning rate {glue:text}`best_lr:.2e` and weight decay {glue:text}`best_wd:.1e`
# (dev accuracy {glue:text}`best_acc:.4f`). Two cautions: each run is one seed of 10 epochs,
# so nearby configurations differ by noise as much as by quality; and the best of 18 dev
# scores is optimistic for the reason of {ref}`ex-06-test-once`, which is why the test set
# plays no part in the search.
#
# ## Learning curves: more data or a bigger network?
#
# Two curves tell whether a model is limited by its data or by its capacity (NNDL §2.4 on bias
# and variance). The first varies the number of training images, the second the width of the
# hidden layer; each point is a network trained with early stopping on the full dev set. The
# test error is shown because these curves are for understanding, not for choosing a model
# (nothing is selected by them).

# %%
def errors(width: int, n: int) -> tuple[float, float]:
    """Training and test error of a 64-width-10 network trained on the first n images."""
    part = (Z_train[:n], y_train[:n])
    r = train(build_mlp([D, width, 10], "relu", seed=0), lr=3e-3, train_set=part, epochs=40,
              patience=4)
    return 1 - r.evaluate(part)[1], 1 - r.evaluate((Z_test, y_test))[1]


sizes = [50, 100, 200, 400, len(Z_train)]
widths = [2, 4, 8, 16, 32, H, 128]
full = errors(H, len(Z_train))  # shared by both curves
by_size = [errors(H, n) for n in sizes[:-1]] + [full]
by_width = [full if w == H else errors(w, len(Z_train)) for w in widths]
for n, (e_train, e_test) in zip(sizes, by_size):
    print(f"{n:5d} training images: train error {e_train:.3f}, test error {e_test:.3f}")
for w, (e_train, e_test) in zip(widths, by_width):
    print(f"{w:5d} hidden units:    train error {e_train:.3f}, test error {e_test:.3f}")

# %%
fig = Figure(figsize=(9.0, 3.4), layout="constrained")
ax_n, ax_w = fig.subplots(1, 2, sharey=True)
for ax, xs, errs, label in ((ax_n, sizes, by_size, "training images"),
                            (ax_w, widths, by_width, "hidden units")):
    errs = np.array(errs)
    ax.plot(xs, errs[:, 0], "o-", color=PALETTE[0], label="training error")
    ax.plot(xs, errs[:, 1], "s-", color=PALETTE[1], label="test error")
    ax.set_xscale("log", base=2)
    ax.set_xlabel(label)
    ax.grid(alpha=0.3)
ax_n.set_ylabel("error rate")
ax_n.set_title(f"64-{H}-10 network, more data")
ax_w.set_title(f"all {len(Z_train)} training images, wider networks")
ax_n.legend()
fig

# %% [markdown]
# **More data** (left): the network fits every training image at every size (training error
# 0), and the test error falls steadily with the number of training images, still falling
# at the full training set. A gap between training and test error that shrinks with more data
# is *variance*: more images would help. **More capacity** (right): with 2 or 4 hidden units
# the training error itself is high, which is *bias*: the network is too small to fit the
# data. From about 16 units on the training error is 0 and the test error stays within a few
# images (1/360 each) of the same level: a wider network does not help. So on the digits the
# data, not the network, limits the accuracy.
#
# ## What the network learned
#
# Back to the 64-64-10 network trained above. Which digits does it confuse? The confusion
# matrix counts, for each true digit (row), how often each digit was predicted (column), on
# the test set:

# %%
with torch.no_grad():
    test_logits = mlp(torch.as_tensor(Z_test)).numpy()
pred = test_logits.argmax(axis=1)
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (y_test, pred), 1)
print(f"test errors: {np.sum(pred != y_test)} of {len(y_test)}; per true digit:",
      confusion.sum(axis=1) - np.diag(confusion))
off = confusion - np.diag(np.diag(confusion))
i_max, j_max = np.unravel_index(off.argmax(), off.shape)
print(f"most frequent confusion: {i_max} taken for {j_max}, {off[i_max, j_max]} times")

fig = Figure(figsize=(4.6, 4.2), layout="constrained")
ax = fig.subplots()
ax.imshow(confusion, cmap="Blues", norm="log" if confusion.min() > 0 else None)
for i in range(10):
    for j in range(10):
        if confusion[i, j]:
            ax.text(j, i, confusion[i, j], ha="center", va="center", fontsize=8,
                    color="white" if i == j else "black")
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel("predicted digit")
ax.set_ylabel("true digit")
ax.set_title("Confusion matrix (test set)")
fig

# %% [markdown]
# Every test image the network gets wrong, with the true digit, the predicted digit and the
# probability the network gave its prediction:

# %%
wrong = np.flatnonzero(pred != y_test)
test_probs = softmax(test_logits, axis=1)
show_images(X_test[wrong].reshape(-1, side, side),
            [f"{y_test[i]}→{pred[i]} ({test_probs[i, pred[i]]:.2f})" for i in wrong],
            ncols=min(len(wrong), 8), width=min(len(wrong), 8) * 1.1)

# %% [markdown]
# How confident is the network when it is right, and when it is wrong? If it refused to answer
# below a confidence of 0.9:

# %%
confidence = test_probs.max(axis=1)
unsure = confidence < 0.9
print(f"answers below 0.9: {np.sum(unsure & (pred != y_test))} of the {len(wrong)} wrong ones, "
      f"{np.sum(unsure & (pred == y_test))} of the {np.sum(pred == y_test)} right ones")

# %% [markdown]
# Most of the misclassified images are ambiguous at 8×8 even for a reader: a 4 with its top
# nearly closed looks like a 7 or a 9, a 9 with a short tail like a 5. The probabilities in
# brackets show that the network is mostly unsure when it is wrong; the count above says how
# many errors a rule that refuses to answer below 0.9 would catch, and how many right answers
# it would refuse.
#
# Each hidden unit computes $\mathrm{relu}(\mathbf w_j^\top \mathbf x + b_j)$, so its weight
# vector $\mathbf w_j$ is itself an 8×8 image: the pattern of (standardised) pixels that
# excites the unit most. Red pixels push the unit up, blue ones down:

# %%
W1 = mlp[0].weight.detach().numpy()  # (64 hidden units, 64 pixels)
limit = np.abs(W1).max()
mosaic = np.full((8 * (side + 1) - 1, 8 * (side + 1) - 1), np.nan)  # 8x8 tiles, 1-pixel gaps
for j, w in enumerate(W1):
    r, c = divmod(j, 8)
    mosaic[r * (side + 1):r * (side + 1) + side, c * (side + 1):c * (side + 1) + side] = \
        w.reshape(side, side)
fig = Figure(figsize=(5.6, 5.4), layout="constrained")
ax = fig.subplots()
image = ax.imshow(mosaic, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
ax.set_xticks((side + 1) * np.arange(8) + side / 2 - 0.5, range(8))
ax.set_yticks((side + 1) * np.arange(8) + side / 2 - 0.5, range(0, 64, 8))
ax.tick_params(length=0, labelsize=8)
ax.set_title("First-layer weights, unit = row + column", fontsize=10)
fig.colorbar(image, ax=ax, shrink=0.7, label="weight")
fig

# %% [markdown]
# Few of the 64 patterns look like strokes or digits. With standardised inputs every pixel
# has the same scale, so a unit mixes positive and negative weights all over the image, and
# many units respond to combinations that matter only together with the other units. At 8×8
# a stroke is two or three pixels wide, so even a stroke detector is a coarse blob; on MNIST
# (one line to switch, above) the patterns have room to look like pieces of strokes.
#
# ## Draw a digit
#
# The pad below runs the trained network in your browser, with no kernel and no network
# connection. Draw a digit with the mouse or a finger, large and centred; when you lift the
# pen the page turns the drawing into an 8×8 image the way the digits were made (crop to the
# ink, scale into a 32×32 black-and-white bitmap, count the black pixels of each 4×4 block),
# standardises it with the training statistics, and computes
#
# $$ \mathbf h = \mathrm{relu}(W^{(1)}\mathbf x + \mathbf b^{(1)}), \qquad
#    \mathbf p = \mathrm{softmax}(W^{(2)}\mathbf h + \mathbf b^{(2)}). $$
#
# It shows the ten probabilities and the 64 hidden activations. The chapter exports the
# trained weights as JSON into the page; first the same forward pass in numpy, checked
# against the torch network on the test set:

# %%
def export(net: nn.Sequential) -> dict:
    """Training statistics and the weights of a Linear-ReLU-Linear network, as lists."""
    layers = [m for m in net if isinstance(m, nn.Linear)]
    return {"mean": mean.tolist(), "scale": scale.tolist(),
            "layers": [{"W": m.weight.detach().numpy().tolist(),
                        "b": m.bias.detach().numpy().tolist()} for m in layers]}


def forward_numpy(weights: dict, pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hidden activations and probabilities for raw pixels (0 to 16), shape (n, 64)."""
    a = (pixels - np.array(weights["mean"])) / np.array(weights["scale"])
    (W1_, b1_), (W2_, b2_) = ((np.array(lay["W"]), np.array(lay["b"]))
                              for lay in weights["layers"])
    hidden = np.maximum(a @ W1_.T + b1_, 0)
    return hidden, softmax(hidden @ W2_.T + b2_, axis=1)


weights = export(mlp)
_, p_numpy = forward_numpy(weights, X_test)
print(f"largest difference from the torch network: {np.abs(p_numpy - test_probs).max():.1e}")
payload = json.dumps(weights, separators=(",", ":"))
print(f"exported weights: {len(payload) / 1024:.0f} KB of JSON")

# %% tags=["remove-input"]
pad = HTML(
    '<link rel="stylesheet" href="../../_static/nndl-drawing-pad.css">'
    '<div class="nndl-drawing-pad" data-weights="nndl-digits-weights">'
    "<p>The drawing pad needs the book's website (it loads <code>nndl-drawing-pad.js</code> "
    "from the site's static files).</p></div>"
    f'<script type="application/json" id="nndl-digits-weights">{payload}</script>'
    '<script src="../../_static/nndl-drawing-pad.js"></script>'
) if side == 8 else HTML("<p>The drawing pad is made for the 8×8 digits.</p>")
pad

# %% [markdown]
# Things to try: draw a 1 with and without the flag and base; a 7 with a crossbar; a 9 and a
# 4 that nearly close at the top. The network has only seen digits written on forms by 43
# people, scanned and cropped the same way, so digits drawn thin, small or off-centre tell you
# more about the distance between your drawing and those forms than about the network.
#
# ## Exercises
#
# ```{exercise} Nielsen ch. 3, problem: a learning-rate schedule driven by the dev set
# :label: ex-10-nielsen-halving
# Nielsen suggests a schedule that needs no step count fixed in advance: train with a constant
# learning rate until the dev accuracy shows *no improvement in $n$ epochs*, then halve the
# learning rate, and stop when it has fallen to 1/128 of its initial value. Implement it with
# the `Runner` (its `early_stopping` patience and `restore_best` do most of the work) for the
# 64-64-10 network, SGD with momentum 0.9, initial rate 0.05, and $n = 3$ (Nielsen uses 10;
# the digits are a small data set). The `Runner` watches the dev *loss* rather than the
# accuracy: why is that the better signal here? Compare the result with the fixed schedules
# above.
# ```
#
# ```{solution-start} ex-10-nielsen-halving
# :class: dropdown
# ```
#
# Each stage trains until the dev loss has not improved for 3 epochs, goes back to the best
# weights of the stage and halves the learning rate; the optimizer keeps its momentum buffer.
# The dev loss is the better signal on 359 images: the accuracy moves in steps of 1/359 and
# often stays flat for several epochs while the model is still improving, which would halve
# the rate too early.

# %%
net_h = build_mlp([D, H, 10], "relu", seed=0)
opt_h = torch.optim.SGD(net_h.parameters(), lr=0.05, momentum=0.9)
runner_h = Runner(net_h, nn.CrossEntropyLoss(), opt_h)
lr_now, total_epochs = 0.05, 0
while lr_now >= 0.05 / 128:
    h = runner_h.fit((Z_train, y_train), (Z_dev, y_dev), epochs=40, batch_size=64,
                     seed=total_epochs, early_stopping=3, progress=False)
    runner_h.restore_best()
    total_epochs += h.epochs
    print(f"lr {lr_now:.5f}: {h.epochs:2d} epochs, best dev loss {min(h.dev_loss):.4f}")
    lr_now /= 2
    for group in opt_h.param_groups:
        group["lr"] = lr_now
dev_loss_h, dev_acc_h = runner_h.evaluate((Z_dev, y_dev))
print(f"after {total_epochs} epochs: dev loss {dev_loss_h:.4f}, dev accuracy {dev_acc_h:.4f}")

# %% [markdown]
# The first stage is the constant-rate run of the schedules section, stopped when the dev
# loss no longer improved. Every later stage stopped after a few epochs without beating the
# first stage's dev loss: once the dev loss is limited by overfitting, smaller steps do not
# help, and the final dev loss is about that of the constant rate. The schedule's merit is
# that its length is decided by the data instead of fixed in advance, which matters when you
# do not know how many epochs a problem needs; its costs are the patience spent at every
# stage and the risk that noise in the dev loss ends a stage early.
#
# ```{solution-end}
# ```
#
# ```{exercise} Nielsen ch. 3: why not learn the hyperparameters by gradient descent?
# :label: ex-10-nielsen-gd-hyper
# It is tempting to use gradient descent to find good values of the regularisation parameter
# $\lambda$ and of the learning rate $\eta$. What is the obstacle in each case?
# ```
#
# ```{solution-start} ex-10-nielsen-gd-hyper
# :class: dropdown
# ```
#
# **$\lambda$.** The regularised training loss is
# $\mathcal L_{\text{train}}(\mathbf w) + \tfrac\lambda2\lVert\mathbf w\rVert^2$, whose
# derivative in $\lambda$ is $\tfrac12\lVert\mathbf w\rVert^2 \ge 0$: descending the
# training objective always drives $\lambda$ to zero, because the penalty only ever costs
# training loss. What $\lambda$ should minimise is the *dev* loss of the weights that
# training produces, a function of $\lambda$ only through the whole training run. Its gradient
# means differentiating through every step of training (or through the optimality condition of
# the trained weights): possible in principle, expensive, and noisy with mini-batches and early
# stopping.
#
# **$\eta$.** The same nesting, worse: the learning rate does not appear in the loss at all,
# only in the trajectory. The final loss as a function of $\eta$ is far from smooth: it jumps
# where the number of epochs before early stopping changes, and beyond the stability limit
# (the range test above) training diverges. Small changes of $\eta$ also change which minimum
# training ends in. A derivative of such a function says little about where to go, which is
# why $\eta$ is searched on a log scale, or found by a range test, rather than descended.
#
# ```{solution-end}
# ```
#
# ```{exercise} Standardising with the wrong statistics
# :label: ex-10-leak
# (NNDL §7.4 on preprocessing.) Standardise the inputs with the mean and standard deviation of *all* 1,797 images instead of
# the training part, train softmax regression as above, and compare the test accuracy with
# the one reported in this chapter. Does the difference show that the leak matters? Why is
# it a mistake whatever the number says?
# ```
#
# ```{solution-start} ex-10-leak
# :class: dropdown
# ```

# %%
leaky = data.Standardiser().fit(X)  # statistics of all images, test images included
net_l = nn.Linear(D, 10)
nn.init.zeros_(net_l.weight)
nn.init.zeros_(net_l.bias)
r_leak = train(net_l, lr=1e-2, train_set=(leaky.transform(X_train), y_train),
               dev_set=(leaky.transform(X_dev), y_dev))
_, dev_leak = r_leak.evaluate((leaky.transform(X_dev), y_dev))
_, test_leak = r_leak.evaluate((leaky.transform(X_test), y_test))
print(f"leaky statistics: dev accuracy {dev_leak:.4f}, test accuracy {test_leak:.4f}")
print(f"training statistics (above): test accuracy {results['softmax regression']:.4f}")
print(f"largest change of a pixel's mean: {np.abs(leaky.mean - mean).max():.3f}, "
      f"of a standard deviation: {np.abs(leaky.scale - scale).max():.3f}")
fitted_standardise = 2 * D  # a mean and a standard deviation per pixel
fitted_whiten = D + D * (D + 1) // 2  # a mean per pixel and the symmetric covariance matrix
print(f"numbers fitted to the data: standardisation {fitted_standardise}, "
      f"whitening {fitted_whiten}")
glue("fitted_standardise", fitted_standardise, display=False)
glue("fitted_whiten", f"{fitted_whiten:,}", display=False)

# %% [markdown]
# With 1,797 images the statistics of all data and of the training part differ a little (third
# line), and the accuracies are hardly affected (here the test accuracy comes out the same):
# a difference of a few test images would say nothing either way.
# The mistake is one of principle:
# the test set is meant to stand for images nobody has seen, and a model whose preprocessing
# was fitted with them has seen a summary of them. With few test images, or a preprocessing
# step fitted with more numbers (whitening needs {glue:text}`fitted_whiten`, standardisation
# {glue:text}`fitted_standardise`; last line), the leak grows, and nothing in the reported
# score warns about it.
#
# ```{solution-end}
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
from nndl_book.exercises import quiz
quiz("10")


# %% [markdown]
# ## Summary
#
# - Real data need the same discipline as toy data, applied more carefully: one seeded split,
#   preprocessing fitted on the training part only, every choice made on the dev set, the
#   test set measured at the end. On the digits a 64-64-10 ReLU network reaches
#   {glue:text}`mlp_test:.1%` test accuracy, softmax regression {glue:text}`softmax_test:.1%`.
# - Check before training: the initial loss is $\ln 10$ plus half the variance of the initial
#   logits; the network memorises a tiny batch; the update-to-weight ratio tells whether the
#   learning rate is off by orders of magnitude.
# - Preprocessing changes the condition number of the input covariance, and with it the speed
#   of gradient descent: {glue:text}`reach_raw` steps on raw pixels,
#   {glue:text}`reach_standardised` standardised and {glue:text}`reach_whitened` whitened,
#   each at the fastest learning rate of a grid whose loss never climbs above its start, to the
#   same training loss.
# - Schedules (step, cosine, warm-up then decay) are functions of the step count; the package
#   has them, equal to PyTorch's, and applies them through a `Runner` hook. Whether one helps
#   depends on the budget; a range test finds the initial rate in one short run.
# - Search hyperparameters at random on a log scale: with the same budget it tries more values
#   of the hyperparameter that matters. Learning curves say whether more data or more capacity
#   would help; the confusion matrix and the misclassified images say where the errors are.
#
# ## References
#
# ```{footbibliography}
# ```
