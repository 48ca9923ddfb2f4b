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
# (ch-runner)=
# # 6. Training with autograd: a Runner on two moons
#
# The earlier chapters computed gradients by hand. From here on PyTorch's autograd computes them,
# and the interesting work moves to everything *around* the gradient: splitting the data,
# running the epochs, watching a development set, keeping the best weights, saving them,
# predicting, and finally measuring the result once on data nobody looked at. This chapter
# writes that bookkeeping twice: first as a bare loop, then as the `Runner` of
# the `nndl_book` package, which the later chapters use. The task is to classify the two
# moons with a 2-5-1 sigmoid network; the theory is that of NNDL {footcite}`qiu2020nndl`
# chapter 4 (feedforward networks, back-propagation, automatic differentiation), and the
# data-splitting discipline that of Nielsen's chapter 3 {footcite}`nielsen2015nndl`.
#
# **Learning goals.** After this chapter you can
#
# - split a data set into training, development and test parts and say what each is for;
# - write a network as an `nn.Module` and train it with the loop *forward, loss, backward,
#   step*, evaluating on the development set after every epoch;
# - use a `Runner` to train, keep the best model, save and load it, and predict;
# - compare two architectures honestly, over several seeds, and say what the comparison shows
#   and what it does not;
# - check that autograd's gradients equal the ones back-propagation gives by hand.

# %%
import tempfile
from pathlib import Path

import numpy as np
import torch
from matplotlib.figure import Figure
from myst_nb import glue
from torch import nn

from nndl_book import data
from nndl_book.plots import PALETTE, plot_decision_boundary, plot_history
from nndl_book.training import Runner, accuracy, build_mlp


# %% [markdown]
# ## Two moons, split three ways
#
# The two-moons data are two interleaving half circles with Gaussian noise: no straight line
# separates them, a small network with one hidden layer can follow the curve between them. We
# draw 1000 points and cut them at random into three parts of 60 %, 20 % and 20 %:
#
# - the **training set** is what the gradient sees: the weights are fitted to it;
# - the **development set** (also *validation set*) is what *we* look at while training: it
#   decides when to stop, which epoch's weights to keep, which architecture or learning rate
#   to choose;
# - the **test set** is kept aside until every decision has been made, and measured once, to
#   estimate how the final model does on new data.
#
# Nielsen {footcite}`nielsen2015nndl` (chapter 3) calls the development set *validation data*
# and explains why the test set cannot play its part: every choice made by looking at a data
# set fits the model a little to that set, so its score stops being an honest estimate.

# %%
X, y = data.make_moons(1000, noise=0.25, rng=0)
split = data.train_dev_test_split(X, y, fractions=(0.6, 0.2, 0.2), rng=0)
for name, (X_part, y_part) in zip(split._fields, split):
    print(f"{name:5s}: {len(X_part):4d} points, fraction in class 1 = {y_part.mean():.3f}")

# As float64 tensors; the 0/1 labels become floats, as nn.BCEWithLogitsLoss expects.
train, dev, test = (data.to_tensors(X_part, y_part, dtype=torch.float64)
                    for X_part, y_part in split)

# %% [markdown]
# The three parts look alike, as they should: each is a random sample of the same two moons,
# and their fractions of class 1 differ only by chance.

# %%
fig = Figure(figsize=(9.0, 3.0), layout="constrained")
axes = fig.subplots(1, 3, sharex=True, sharey=True)
for ax, name, (X_part, y_part) in zip(axes, split._fields, split):
    for k, marker in ((0, "o"), (1, "s")):
        pts = X_part[y_part == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=12, marker=marker, color=PALETTE[k],
                   edgecolors="white", linewidths=0.4, label=f"class {k}")
    ax.set_title(f"{name} ({len(X_part)} points)", fontsize=11)
    ax.set_xlabel("$x_1$")
axes[0].set_ylabel("$x_2$")
axes[0].legend(fontsize=8.5, loc="lower left")
fig

# %% [markdown]
# ## The model: a 2-5-1 network as an `nn.Module`
#
# The network has two inputs, five sigmoid hidden units and one output. For an input
# $\mathbf x \in \mathbb R^2$ it computes
#
# $$ \mathbf a^{(1)} = \sigma\big(W^{(1)}\mathbf x + \mathbf b^{(1)}\big), \qquad
#    z^{(2)} = \mathbf w^{(2)\top}\mathbf a^{(1)} + b^{(2)}, \qquad
#    \hat y = \sigma\big(z^{(2)}\big) = P(y = 1 \mid \mathbf x), $$
#
# with $W^{(1)} \in \mathbb R^{5\times 2}$, $\mathbf b^{(1)} \in \mathbb R^5$,
# $\mathbf w^{(2)} \in \mathbb R^5$ and $b^{(2)} \in \mathbb R$. The loss of a batch of $N$
# points is the cross-entropy (NNDL §3.2)
#
# $$ \mathcal L = -\frac1N \sum_{n=1}^{N} \Big[ y_n \log \hat y_n + (1-y_n)\log(1-\hat y_n) \Big]. $$
#
# In PyTorch a network is a subclass of `nn.Module`: the constructor creates the layers (their
# weights become *parameters* that autograd tracks) and `forward` says how they are applied.
# Our `forward` stops at the *logit* $z^{(2)}$ and leaves the last sigmoid to the loss:
# `nn.BCEWithLogitsLoss` computes $\sigma$ and the cross-entropy together, in a form that does
# not overflow when $|z^{(2)}|$ is large.

# %%
class TwoLayerNet(nn.Module):
    """2 inputs -> 5 sigmoid units -> 1 logit."""

    def __init__(self, n_in: int = 2, n_hidden: int = 5) -> None:
        super().__init__()
        self.hidden = nn.Linear(n_in, n_hidden)  # W1: (5, 2), b1: (5,)
        self.out = nn.Linear(n_hidden, 1)  # w2: (1, 5), b2: (1,)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.sigmoid(self.hidden(x)))  # logits, shape (N, 1)


torch.manual_seed(0)
model = TwoLayerNet()
for name, p in model.named_parameters():
    print(f"{name:13s} shape {tuple(p.shape)}")
print("parameters in all:", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# The package builds the same kind of network from a list of layer sizes,
# `nndl_book.training.build_mlp`. It returns an `nn.Sequential` (layers applied in order) and
# draws the initial weights from its own seeded generator, so `seed=0` always gives the same
# network, whatever else the program has drawn from torch's global generator:

# %%
net0 = build_mlp([2, 5, 1], "sigmoid", seed=0)
print(net0)

# %% [markdown]
# Copy `net0`'s weights into our module (the parameter names differ, the shapes do not) and the
# two compute the same function:

# %%
def as_two_layer_net(sequential: nn.Sequential) -> TwoLayerNet:
    """A TwoLayerNet holding the weights of a build_mlp([2, 5, 1], ...) network."""
    state = sequential.state_dict()
    net = TwoLayerNet()
    net.load_state_dict({"hidden.weight": state["0.weight"], "hidden.bias": state["0.bias"],
                         "out.weight": state["2.weight"], "out.bias": state["2.bias"]})
    return net


model = as_two_layer_net(net0)
with torch.no_grad():
    difference = (model(train[0]) - net0(train[0])).abs().max().item()
print(f"largest difference between the two networks' outputs: {difference:.1e}")

# %% [markdown]
# ## A bare training loop
#
# Training repeats four steps. **Forward**: compute the logits of the training points.
# **Loss**: compare them with the labels. **Backward**: `loss.backward()` runs
# back-propagation through the graph autograd recorded during the forward pass and stores
# $\partial\mathcal L/\partial\theta$ in `p.grad` for every parameter $\theta$. **Step**: the
# optimizer moves the parameters using those gradients. Here every epoch is one step on the
# whole training set (full-batch training), and the optimizer is Adam
# {footcite}`kingma2015adam` (NNDL §7.2.4; {ref}`ch-optimizers` compares it with plain gradient
# descent, `torch.optim.SGD`).
#
# After each step we **evaluate on the development set**: in `eval` mode and inside
# `torch.no_grad()`, since nothing computed there is differentiated. (`model.train()` and
# `model.eval()` change nothing for this network; they matter for layers such as dropout, so
# the habit is worth having.)

# %%
EPOCHS, LR = 200, 0.1
X_train, y_train = train
X_dev, y_dev = dev

model = as_two_layer_net(build_mlp([2, 5, 1], "sigmoid", seed=0))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=LR)
bare_train_loss, bare_dev_loss = [], []
for epoch in range(1, EPOCHS + 1):
    model.train()
    logits = model(X_train).squeeze(1)  # forward: shape (600,)
    loss = loss_fn(logits, y_train)  # loss: a scalar tensor
    optimizer.zero_grad()  # clear the gradients of the previous step
    loss.backward()  # backward: p.grad = dL/dp for every parameter
    optimizer.step()  # step: update the parameters
    model.eval()
    with torch.no_grad():  # evaluate on the development set
        dev_logits = model(X_dev).squeeze(1)
        dev_loss = loss_fn(dev_logits, y_dev).item()
    bare_train_loss.append(loss.item())
    bare_dev_loss.append(dev_loss)
    if epoch % 40 == 0:
        print(f"epoch {epoch:3d}  train loss {loss.item():.4f}  dev loss {dev_loss:.4f}  "
              f"dev accuracy {accuracy(dev_logits, y_dev):.3f}")

# %% [markdown]
# Both losses fall, slowly between epochs 40 and 120 and faster after, and the development
# accuracy of the last epoch is the highest printed. (The train loss printed at epoch $t$ is
# the one computed in the forward pass of that epoch, *before* its step; the dev loss is
# measured after the step.)
#
# The loop works, but everything beyond the four steps is still missing: no record of the
# accuracies, no memory of the best epoch, no way to stop early, to save the model or to use
# it afterwards. Each of these is a few lines, and each is easy to get subtly wrong when
# rewritten for every experiment. So we write them once.
#
# ## The `Runner`
#
# A `Runner` holds a model, a loss function, an optimizer and a metric, and does the
# bookkeeping: the idea of d2l's `Trainer` {footcite}`zhang2023d2l`, and of the `Runner`
# classes of NNDL's practice companion. Its methods are
#
# | call | what it does |
# | --- | --- |
# | `fit(train, dev, epochs=...)` | the loop above, plus: record train and dev loss and metric per epoch in a `History`; keep a copy of the weights of the epoch with the lowest dev loss; stop on a NaN or infinite loss; optionally stop early (`early_stopping=patience`) and use mini-batches (`batch_size`) |
# | `restore_best()` | load the kept weights into the model; returns the best epoch |
# | `evaluate(data)` | loss and metric on a data set, in eval mode, without gradients |
# | `predict(X)` | the network's output (logits here) for new inputs |
# | `save(path)`, `load(path)` | write and read model, optimizer and history; `load` refuses a checkpoint of another architecture |
#
# Trained from the same initial weights (`build_mlp(..., seed=0)` again) with the same
# optimizer, the `Runner` runs exactly the loop above. This once we let it show its progress
# bar; elsewhere `progress=False` keeps the page quiet.

# %%
net = build_mlp([2, 5, 1], "sigmoid", seed=0)
runner = Runner(net, nn.BCEWithLogitsLoss(), torch.optim.Adam(net.parameters(), lr=LR))
history = runner.fit(train, dev, epochs=EPOCHS, progress=True)

# %%
print("largest difference from the bare loop, train loss:",
      f"{np.max(np.abs(np.subtract(history.train_loss, bare_train_loss))):.1e}")
print("                                      dev loss:  ",
      f"{np.max(np.abs(np.subtract(history.dev_loss, bare_dev_loss))):.1e}")
print(f"epochs {history.epochs}, best epoch (lowest dev loss) {history.best_epoch}")
print(f"last epoch: train accuracy {history.train_metric[-1]:.3f}, "
      f"dev accuracy {history.dev_metric[-1]:.3f}")

# %% [markdown]
# The same numbers, to the last bit. The `History` holds one entry per epoch for each curve,
# and `nndl_book.plots.plot_history` draws them, with the best epoch marked:

# %%
plot_history(history, title="2-5-1 sigmoid network, Adam, full batch")

# %% [markdown]
# Both losses fall together and the dev loss is still falling at the last epoch, so the best
# epoch is the last one: a 21-parameter network does not overfit 600 points in a few hundred
# steps. {ref}`ex-06-best-vs-last` trains a network that does overfit, where keeping
# the best epoch matters.
#
# The long plateau in the middle deserves a closer look. Where does it sit? Compare
# with the best *straight* boundary, a logistic regression (one `nn.Linear(2, 1)`) trained the
# same way until it has converged:

# %%
linear = nn.Linear(2, 1)  # zero start: the cross-entropy of logistic regression is convex
nn.init.zeros_(linear.weight)
nn.init.zeros_(linear.bias)
linear_runner = Runner(linear, nn.BCEWithLogitsLoss(), torch.optim.Adam(linear.parameters(), lr=LR))
h_linear = linear_runner.fit(train, dev, epochs=300, progress=False)
print(f"logistic regression after 300 epochs: train loss {h_linear.train_loss[-1]:.4f}, "
      f"dev loss {h_linear.dev_loss[-1]:.4f}")
print(f"2-5-1 network at epoch 80:            train loss {history.train_loss[79]:.4f}, "
      f"dev loss {history.dev_loss[79]:.4f}")

# %% [markdown]
# On the plateau the network does no better than a straight boundary: after a quick first drop
# its losses at epoch 80 are nearly those of the converged logistic regression. Only when the
# hidden units find how to bend the boundary around the moons does the loss fall again.
#
# ### Keep the best, save, load, predict
#
# `restore_best()` loads the weights of the best epoch (here the last one anyway). `save`
# writes a checkpoint; a second `Runner` around a *differently* initialised network of the
# same shape then `load`s it and predicts exactly what the first one predicts. The file goes to
# a temporary folder that is deleted afterwards.

# %%
best_epoch = runner.restore_best()
X_test, y_test = test
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "two_moons_2-5-1.pt"
    runner.save(path)
    other = build_mlp([2, 5, 1], "sigmoid", seed=123)
    loaded = Runner(other, nn.BCEWithLogitsLoss(), torch.optim.Adam(other.parameters(), lr=LR))
    before = loaded.predict(X_test)
    loaded.load(path)
    after = loaded.predict(X_test)
    deeper = build_mlp([2, 5, 3, 1], "sigmoid", seed=0)
    try:  # a checkpoint of one architecture does not fit another
        Runner(deeper, nn.BCEWithLogitsLoss(), torch.optim.Adam(deeper.parameters())).load(path)
    except ValueError as err:
        refusal = str(err).replace(str(path), path.name)

original = runner.predict(X_test)
print(f"restored epoch {best_epoch}")
print(f"before loading: largest output difference {(before - original).abs().max().item():.3f}")
print(f"after loading:  largest output difference {(after - original).abs().max().item():.1e}, "
      f"identical: {torch.equal(after, original)}")
print(f"loaded history: {loaded.history.epochs} epochs, best epoch {loaded.history.best_epoch}")
print("loading into a 2-5-3-1 network:", refusal)

# %% [markdown]
# `predict` returns logits; the sigmoid turns them into probabilities of class 1, and class 1
# is predicted where the probability exceeds one half, that is where the logit is positive.
# The first five test points:

# %%
logits = runner.predict(X_test[:5]).squeeze(1)
probabilities = torch.sigmoid(logits)
for x, p, label in zip(X_test[:5].numpy(), probabilities.numpy(), y_test[:5].numpy()):
    print(f"x = ({x[0]:6.3f}, {x[1]:6.3f})   P(class 1) = {p:.3f}   "
          f"predicted {int(p > 0.5)}   true {int(label)}")

# %% [markdown]
# Over the whole plane the network's probability of class 1 looks like this, with the decision
# boundary $P = 0.5$ in black and the training points on top. The boundary is no longer a
# straight line: it bends into an S between the two moons, and the points it gets wrong lie
# where the noisy moons overlap.

# %%
def probability_of_class_1(points: np.ndarray) -> np.ndarray:
    return torch.sigmoid(runner.predict(points)).numpy().ravel()


plot_decision_boundary(probability_of_class_1, *split.train,
                       title=f"2-5-1 network after {best_epoch} epochs")

# %% [markdown]
# ### The test score, once
#
# Every decision is made: architecture, optimizer, learning rate, number of epochs, which
# weights to keep. Only now do we measure the test set:

# %%
test_loss, test_accuracy = runner.evaluate(test)
dev_loss_best, dev_accuracy_best = runner.evaluate(dev)
print(f"best model: dev accuracy {dev_accuracy_best:.3f}, test accuracy {test_accuracy:.3f}, "
      f"test loss {test_loss:.4f}")
glue("test_accuracy", test_accuracy, display=False)
glue("dev_accuracy_best", dev_accuracy_best, display=False)

# %% [markdown]
# The 2-5-1 network classifies {glue:text}`test_accuracy:.3f` of the 200 test points correctly
# (dev: {glue:text}`dev_accuracy_best:.3f`). That is this model's estimate of its accuracy on
# new points from the same distribution, with the uncertainty of a 200-point sample, which we
# quantify in the next section.
#
# (sec-06-architectures)=
# ## One hidden layer or two?
#
# Would a second hidden layer of three units, a 2-5-3-1 network, do better? One run of each
# cannot tell: the result of one run depends on its random initial weights, and two runs can
# differ by more than the architectures do. So we train each architecture from eight
# initialisations (seeds 0 to 7), with the same optimizer, learning rate and number of epochs,
# keep each run's best-on-dev weights, and report the mean and the standard deviation over
# the seeds. The data and the split stay fixed. We print the test accuracies too, to show how
# they scatter; in a real project the comparison would be decided on the development set alone,
# and the test set would score only the winner.

# %%
SEEDS = range(8)
ARCHITECTURES = {"2-5-1": [2, 5, 1], "2-5-3-1": [2, 5, 3, 1]}


def train_and_score(sizes: list[int], seed: int) -> tuple[list[float], np.ndarray]:
    """Train from build_mlp(sizes, seed=seed).

    Returns [best epoch, dev accuracy, test accuracy] and a boolean array saying which test
    points the kept model classifies correctly.
    """
    net = build_mlp(sizes, "sigmoid", seed=seed)
    runner = Runner(net, nn.BCEWithLogitsLoss(), torch.optim.Adam(net.parameters(), lr=LR))
    runner.fit(train, dev, epochs=EPOCHS, progress=False)
    best = runner.restore_best()
    right = ((runner.predict(X_test).squeeze(1) > 0) == (y_test > 0.5)).numpy()
    return [best, runner.evaluate(dev)[1], runner.evaluate(test)[1]], right


runs = {name: [train_and_score(sizes, seed) for seed in SEEDS]
        for name, sizes in ARCHITECTURES.items()}
scores = {name: np.array([numbers for numbers, _ in r]) for name, r in runs.items()}
correct = {name: np.array([right for _, right in r]) for name, r in runs.items()}  # (seeds, points)
assert all(np.allclose(correct[name].mean(axis=1), scores[name][:, 2]) for name in scores)
print("seed            " + "  ".join(f"{s:5d}" for s in SEEDS))
for name, table in scores.items():
    print(f"{name:7s} best  " + "  ".join(f"{int(e):5d}" for e in table[:, 0]))
    print(f"{name:7s} dev   " + "  ".join(f"{a:.3f}" for a in table[:, 1]))
    print(f"{name:7s} test  " + "  ".join(f"{a:.3f}" for a in table[:, 2]))
print()
for name, table in scores.items():
    dev_acc, test_acc = table[:, 1], table[:, 2]
    print(f"{name:7s} dev accuracy {dev_acc.mean():.3f} ± {dev_acc.std(ddof=1):.3f}   "
          f"test accuracy {test_acc.mean():.3f} ± {test_acc.std(ddof=1):.3f}   "
          f"(mean ± std over {len(SEEDS)} seeds)")

# %% [markdown]
# What do these numbers show, and what not? Two more numbers help to read them: how many 2-5-1
# runs are at least as good on the test set as the *worst* 2-5-3-1 run, and how precisely 200
# test points can measure an accuracy at all. An accuracy $p$ measured on $n$ independent
# points has the binomial standard error $\sqrt{p(1-p)/n}$.

# %%
test_251, test_2531 = scores["2-5-1"][:, 2], scores["2-5-3-1"][:, 2]
n_as_good = int(np.sum(test_251 >= test_2531.min()))
n_test = len(X_test)
standard_error = np.sqrt(test_2531.mean() * (1 - test_2531.mean()) / n_test)
gap = test_2531.mean() - test_251.mean()
print(f"2-5-1 runs at least as good as the worst 2-5-3-1 run: {n_as_good} of {len(SEEDS)}")
print(f"2-5-1 test accuracies range from {test_251.min():.3f} to {test_251.max():.3f}; "
      f"2-5-3-1 from {test_2531.min():.3f} to {test_2531.max():.3f}")
print(f"difference of the mean test accuracies: {gap:.3f}")
print(f"one test point is {1 / n_test:.3f} of the accuracy; the standard error of an accuracy "
      f"near {test_2531.mean():.3f} on {n_test} points is {standard_error:.3f}")
for name, value in [("mean_251", test_251.mean()), ("std_251", test_251.std(ddof=1)),
                    ("mean_2531", test_2531.mean()), ("std_2531", test_2531.std(ddof=1)),
                    ("min_251", test_251.min()), ("max_251", test_251.max()),
                    ("gap", gap), ("standard_error", standard_error)]:
    glue(name, float(value), display=False)
glue("n_as_good", n_as_good, display=False)

# %% [markdown]
# That standard error belongs to *one* accuracy. The difference of two accuracies measured on
# the *same* 200 points is less noisy than two independent measurements would be: a point
# that is easy for one network is usually easy for the other, and such points cancel in the
# difference. A **paired bootstrap** measures the uncertainty of the difference directly. Each
# of its 10 000 rounds draws 200 test points with replacement, the *same* points for both
# architectures, and eight seeds with replacement for each architecture, and recomputes the
# difference of the mean accuracies over the drawn seeds and points. (Drawing $n$ items with
# replacement is the same as giving each item a weight, the number of times it was drawn,
# from a multinomial distribution; the code draws the weights, so each round is two small
# matrix products.) The spread of the 10 000
# differences is the uncertainty that comes from both sources, the test sample and the seeds.
# For contrast, the same bootstrap with the test points drawn independently for the two
# architectures, as if they had been scored on different test sets:

# %%
def bootstrap_gaps(paired: bool, rounds: int = 10_000, seed: int = 11) -> np.ndarray:
    """Bootstrap the difference of mean test accuracies, 2-5-3-1 minus 2-5-1."""
    rng = np.random.default_rng(seed)
    a, b = correct["2-5-3-1"].astype(float), correct["2-5-1"].astype(float)  # (seeds, points)

    def weights(n: int) -> np.ndarray:  # how often each of n items is drawn, divided by n
        return rng.multinomial(n, np.full(n, 1 / n), size=rounds) / n

    seeds_a, seeds_b, points_a = weights(len(SEEDS)), weights(len(SEEDS)), weights(n_test)
    points_b = points_a if paired else weights(n_test)
    return ((seeds_a @ a) * points_a).sum(axis=1) - ((seeds_b @ b) * points_b).sum(axis=1)


print(f"difference of the mean test accuracies, 2-5-3-1 minus 2-5-1: {gap:.4f}")
widths = {}
for paired in (True, False):
    gaps = bootstrap_gaps(paired)
    low, high = np.percentile(gaps, [2.5, 97.5])
    widths[paired] = high - low
    label = "paired (same points)   " if paired else "unpaired (for contrast)"
    print(f"{label}: standard error {gaps.std():.4f}, 95 % interval [{low:+.4f}, {high:+.4f}], "
          f"rounds with a difference <= 0: {np.mean(gaps <= 0):.1%}")
    if paired:
        glue("paired_se", float(gaps.std()), display=False)
        glue("paired_low", float(low), display=False)
        glue("paired_high", float(high), display=False)
        glue("paired_nonpositive", f"{np.mean(gaps <= 0):.1%}", display=False)
per_seed = test_2531 - test_251
glue("unpaired_factor", f"{widths[False] / widths[True]:.1f}", display=False)
print("per seed, 2-5-3-1 minus 2-5-1:", " ".join(f"{d:+.3f}" for d in per_seed))
print(f"seeds on which a single run of each would call 2-5-1 at least as good: "
      f"{int(np.sum(per_seed <= 0))} of {len(SEEDS)}")
glue("n_single_run_reversed", int(np.sum(per_seed <= 0)), display=False)

# %% [markdown]
# **What the numbers show.** Within this training budget (200 full-batch Adam steps at learning
# rate 0.1), the 2-5-3-1 network is the more *reliable* one: its mean test accuracy is
# {glue:text}`mean_2531:.3f` against {glue:text}`mean_251:.3f`, and all eight of its runs end
# at nearly the same value (standard deviation {glue:text}`std_2531:.3f`), while the 2-5-1
# runs spread from {glue:text}`min_251:.3f` to {glue:text}`max_251:.3f` (standard deviation
# {glue:text}`std_251:.3f`). The difference is in the bad runs: {glue:text}`n_as_good` of the
# eight 2-5-1 runs are as good as the worst 2-5-3-1 run, and the others look like slow
# learners rather than poor ones: like every 2-5-1 run, their best epoch (row `best`) is the
# last, so their dev loss was still falling when the 200 epochs ran out.
#
# **What they do not show.** They do not show that two hidden layers classify the moons better.
# The best 2-5-1 runs are as good as the 2-5-3-1 runs, and the difference of the means,
# {glue:text}`gap:.3f`, is not clearly different from zero: the paired bootstrap gives it a
# standard error of {glue:text}`paired_se:.3f` and a 95 % interval from
# {glue:text}`paired_low:+.3f` to {glue:text}`paired_high:+.3f`, which contains 0
# ({glue:text}`paired_nonpositive` of the rounds gave a difference of zero or less). Pairing
# is what makes the interval this narrow: the same accuracies treated as measured on two
# different test sets give an interval {glue:text}`unpaired_factor` times as wide (the
# unpaired line). Nor do the numbers say anything beyond these settings: with more epochs or another learning
# rate the slow 2-5-1 runs may catch up, and one data split is one sample of data. A fair
# verdict would tune each architecture's learning rate and epochs on the development set,
# repeat over splits, and only then look at the test set, once.

# %% [markdown]
# (sec-timing-autograd)=
# ## Hand-written gradients against autograd
#
# `loss.backward()` is back-propagation (NNDL §4.4, {ref}`ch-backprop`) done by the library.
# For the 2-5-1 network it is short enough to write out. Put the $N$ inputs as rows of
# $X \in \mathbb R^{N\times 2}$ and the hidden activations as rows of
# $A^{(1)} \in \mathbb R^{N\times 5}$. With the logits $z^{(2)}_n$ and
# $\hat y_n = \sigma(z^{(2)}_n)$, the derivative of the mean cross-entropy with respect to the
# logit $z^{(2)}_n$ is simply $(\hat y_n - y_n)/N$ ({ref}`ch-losses`). Collect these error
# terms of the output layer in a column $\boldsymbol\delta^{(2)} \in \mathbb R^{N\times 1}$
# and propagate back:
#
# $$ \boldsymbol\delta^{(2)} = \frac{\hat{\mathbf y} - \mathbf y}{N}, \qquad
#    \frac{\partial\mathcal L}{\partial \mathbf w^{(2)\top}} = \boldsymbol\delta^{(2)\top} A^{(1)}, \qquad
#    \frac{\partial\mathcal L}{\partial b^{(2)}} = \sum_n \delta^{(2)}_n, $$
#
# $$ \Delta^{(1)} = \big(\boldsymbol\delta^{(2)}\,\mathbf w^{(2)\top}\big) \odot A^{(1)} \odot \big(1 - A^{(1)}\big), \qquad
#    \frac{\partial\mathcal L}{\partial W^{(1)}} = \Delta^{(1)\top} X, \qquad
#    \frac{\partial\mathcal L}{\partial \mathbf b^{(1)}} = \sum_n \Delta^{(1)}_{n,:}, $$
#
# where $A^{(1)} \odot (1 - A^{(1)})$ is the sigmoid's derivative
# $\sigma'(z) = \sigma(z)\big(1-\sigma(z)\big)$ at the hidden units' net inputs, and
# $\Delta^{(1)} \in \mathbb R^{N\times 5}$ holds their error terms. In torch, without autograd
# (everything under `no_grad`):

# %%
def manual_gradients(net: TwoLayerNet, X: torch.Tensor, y: torch.Tensor) -> dict:
    """Back-propagation for TwoLayerNet with the mean binary cross-entropy on logits."""
    W1, b1 = net.hidden.weight, net.hidden.bias  # (5, 2), (5,)
    W2, b2 = net.out.weight, net.out.bias  # (1, 5), (1,)
    with torch.no_grad():
        A1 = torch.sigmoid(X @ W1.T + b1)  # (N, 5)
        z2 = A1 @ W2.T + b2  # (N, 1)
        delta2 = (torch.sigmoid(z2) - y[:, None]) / len(X)  # dL/dz2, (N, 1)
        delta1 = (delta2 @ W2) * A1 * (1 - A1)  # dL/dz1, (N, 5)
        return {"hidden.weight": delta1.T @ X, "hidden.bias": delta1.sum(0),
                "out.weight": delta2.T @ A1, "out.bias": delta2.sum(0)}


def autograd_gradients(net: TwoLayerNet, X: torch.Tensor, y: torch.Tensor) -> dict:
    net.zero_grad()
    nn.functional.binary_cross_entropy_with_logits(net(X).squeeze(1), y).backward()
    return {name: p.grad for name, p in net.named_parameters()}


net_check = as_two_layer_net(build_mlp([2, 5, 1], "sigmoid", seed=0))
ours = manual_gradients(net_check, X_train, y_train)
theirs = autograd_gradients(net_check, X_train, y_train)
for name in ours:
    diff = (ours[name] - theirs[name]).abs().max().item()
    # the last bits depend on the CPU's summation order, so print a bound, not the value
    print(f"{name:13s} shape {tuple(ours[name].shape)!s:7s}  largest |hand-written - autograd| "
          f"{'< 1e-15' if diff < 1e-15 else f'= {diff:.1e}'}")

# %% [markdown]
# The gradients agree to rounding error in float64. Which of the two is faster?

# %% tags=["nbval-ignore-output"]
# Timings differ from run to run and machine to machine, so nbval does not compare this output.
from nndl_book.notebook import time_per_call

t_manual = time_per_call(manual_gradients, net_check, X_train, y_train)
t_autograd = time_per_call(autograd_gradients, net_check, X_train, y_train)
print(f"hand-written backprop: {1e6 * t_manual:6.1f} µs per call")
print(f"autograd:              {1e6 * t_autograd:6.1f} µs per call")
print(f"ratio autograd / hand-written: {t_autograd / t_manual:.1f}")

# %% [markdown]
# For a network this small the arithmetic is trivial and both timings measure overhead: the
# hand-written version calls a handful of torch functions, while autograd also records every
# operation of the forward pass in a graph, walks it backwards and accumulates into `.grad`.
# On the machine that built this page the hand-written gradient was faster by the ratio
# printed above. The advantage belongs to the tiny size and the fixed architecture: for large
# layers both spend their time in the same matrix products, and autograd differentiates *any*
# network without a line of derivative code, which is why the rest of the book uses it.
#
# ## Explore: the two-moons trainer
#
# The explorer trains a network on a smaller sample of the same moons (200 points: 120 for
# training, 40 for development) with the book's numpy engine and plain full-batch gradient
# descent, so that it can retrain on every change. The left panel shows the probability of
# class 1 and the decision boundary, with training points filled and development points
# hollow; the right panel the two loss curves and the epoch with the lowest dev loss. Things
# to try:
#
# - **learning rate** 0.1, 1, 10 (with the default tanh): too small a step and 300 epochs
#   leave a nearly straight boundary; a large one bends it quickly;
# - **learning rate** 1000 with **relu** and 5 hidden units: the two layers' weights feed each
#   other's gradients and grow geometrically until the loss overflows; the panels say at which
#   epoch the run diverged. The sigmoid and tanh networks survive the same step size with a
#   wildly jumping loss: their hidden outputs are bounded, so the output weights can only grow
#   by bounded steps;
# - **hidden units** 2 against 5: with two units the boundary has too few pieces to follow the
#   moons;
# - with a running kernel, more units, more layers, other activations, more epochs, and
#   another **initialisation seed**: the same settings do not always give the same boundary.

# %%
from nndl_book.widgets.two_moons import two_moons_trainer

two_moons_trainer()

# %% [markdown]
# ## Exercises
#
# ```{exercise} Why keep the best model, not the last?
# :label: ex-06-best-vs-last
# Train a network that can overfit: 30 training points only (the first 30 of `train`), a
# 2-32-32-1 ReLU network (`build_mlp([2, 32, 32, 1], "relu", seed=0)`), Adam with learning
# rate 0.02, 300 full-batch epochs, evaluated on the full development set. Compare the dev loss
# and accuracy of the last epoch's weights with those of the best epoch. Why does the `Runner`
# keep the best-on-dev weights rather than the last ones, and why is the dev accuracy of the
# kept model still not a fair estimate of its accuracy on new data?
# ```
#
# ```{solution-start} ex-06-best-vs-last
# :class: dropdown
# ```
#
# The network can fit 30 points perfectly, noise included, and it does: the training loss goes
# to nearly zero while the dev loss, after a short fall, climbs.

# %%
few = (X_train[:30], y_train[:30])
big = build_mlp([2, 32, 32, 1], "relu", seed=0)
overfit = Runner(big, nn.BCEWithLogitsLoss(), torch.optim.Adam(big.parameters(), lr=0.02))
h_overfit = overfit.fit(few, dev, epochs=300, progress=False)
last_loss, last_acc = overfit.evaluate(dev)
kept = overfit.restore_best()
best_loss, best_acc = overfit.evaluate(dev)
print(f"last epoch ({h_overfit.epochs}): train loss {h_overfit.train_loss[-1]:.4f}, "
      f"dev loss {last_loss:.4f}, dev accuracy {last_acc:.3f}")
print(f"best epoch ({kept}):   train loss {h_overfit.train_loss[kept - 1]:.4f}, "
      f"dev loss {best_loss:.4f}, dev accuracy {best_acc:.3f}")
top = int(np.argmax(h_overfit.dev_metric))
print(f"highest dev accuracy: {h_overfit.dev_metric[top]:.3f} at epoch {top + 1}")

# %%
plot_history(h_overfit, title="2-32-32-1 ReLU network on 30 training points")

# %% [markdown]
# After the best epoch every further step fits the training points more closely and the
# development points worse: the last weights are worse on new data than the best ones, so the
# `Runner` keeps a copy of the best (this is early stopping after the fact: NNDL §7.7.3 and
# {ref}`ch08-early-stopping`). But the best epoch was *chosen* by looking at the dev loss, so the
# dev score of the kept model is the best of many: it is optimistically biased, a little for
# one choice among 300 epochs, more for every further choice made on the same set. Hence the
# test set.
#
# Note also that the epoch with the lowest dev *loss* is not the epoch with the highest dev
# *accuracy* (last printed line). The `Runner` watches the loss: it changes smoothly and counts
# how confident the wrong answers are, while the accuracy of 200 points moves in steps of
# 1/200 and is noisier. Watching the accuracy instead would be a choice made on the dev set
# like any other.
#
# ```{solution-end}
# ```
#
# ```{exercise} Patience
# :label: ex-06-patience
# With `early_stopping=p` the `Runner` stops once the dev loss has not improved for `p`
# epochs. Train the network of the previous exercise again, now with mini-batches of 5 points
# (`batch_size=5`, learning rate 0.005), which make the dev loss noisy, with patience 3, 10
# and 30. Where does each run stop, which epoch does it restore, and how good is the restored
# model? What does a small patience risk, and what does a large one cost?
# ```
#
# ```{solution-start} ex-06-patience
# :class: dropdown
# ```

# %%
for patience in (3, 10, 30):
    big = build_mlp([2, 32, 32, 1], "relu", seed=0)
    r = Runner(big, nn.BCEWithLogitsLoss(), torch.optim.Adam(big.parameters(), lr=0.005))
    h = r.fit(few, dev, epochs=300, batch_size=5, seed=0, early_stopping=patience,
              progress=False)
    kept = r.restore_best()
    loss_p, acc_p = r.evaluate(dev)
    print(f"patience {patience:2d}: stopped after epoch {h.epochs:3d}, restored epoch {kept:3d}, "
          f"dev loss {loss_p:.4f}, dev accuracy {acc_p:.3f}")

# %% [markdown]
# Compare the three printed lines. With patience 3 the run stopped at a small rise of the
# noisy dev loss and restored an early epoch, worse on the development set than the epoch
# the longer runs found. Patience 10 and 30 restored the same, better epoch; the larger
# patience only cost the extra epochs it waited. A small patience risks stopping on noise, a
# plateau or a bump; a large one costs training time (and nothing else, since the `Runner`
# restores the best weights anyway). With mini-batches or a small dev set, where the dev loss
# is noisy, choose the patience generously.
#
# ```{solution-end}
# ```
#
# ```{exercise} Look at the test set once
# :label: ex-06-test-once
# What is the test set for? Suppose you trained 20 models, measured each on the test set and
# reported the best test accuracy. Simulate it with 20 "models" that guess at random (each
# label a coin flip) on a test set of 200 points: what is the best of the 20 test accuracies,
# on average over many repetitions, and what is the true accuracy of every one of them?
# ```


# %% [markdown]
# **Your turn.** Edit the cell below (a pair: the best test accuracy on average, the true accuracy
# of every guesser), then run it.

# %%
from nndl_book.exercises import check, quiz
answer = (..., ...)  # edit: mean best-of-20 test accuracy, true accuracy
check("ex-06-test-once", answer)


# %% [markdown]
# ```{solution-start} ex-06-test-once
# :class: dropdown
# ```
#
# The test set estimates how the final model will do on new data. The estimate is unbiased
# only if the test set had no say in any decision: once we pick among models by their test
# scores, the test set has become a second development set, and the winner's score measures
# partly the model and partly its luck on those particular 200 points. Random guessers show
# the size of that luck:

# %%
rng = np.random.default_rng(6)
n_models, n_points, n_repeats = 20, 200, 2000
labels = rng.integers(0, 2, size=(n_repeats, 1, n_points))
guesses = rng.integers(0, 2, size=(n_repeats, n_models, n_points))
test_accuracies = (guesses == labels).mean(axis=2)  # (repeats, models)
print(f"true accuracy of every guesser: 0.500; mean measured test accuracy "
      f"{test_accuracies.mean():.3f}")
print(f"best of {n_models} test accuracies, averaged over {n_repeats} repetitions: "
      f"{test_accuracies.max(axis=1).mean():.3f}")

# %% [markdown]
# Every guesser is right half the time, yet the best of twenty looks clearly better than
# chance on the test set. Selecting by test score turns noise into an apparent result. So all
# choices are made on the development set, and the test set is used once, at the end, for the
# one model we report. If the test score then disappoints, the honest remedy is new test data,
# not another round of tuning on the old one.
#
# ```{solution-end}
# ```
#
# ## What the sources get wrong
#
# The practice chapter of NNDL's companion course trains the same kind of two-moons classifier
# with a `Runner` of its own. Two things in it do not hold up when run. The first is in its
# `Runner` loop: it switches the model to training mode once, before the loop over the epochs,
# while its `evaluate` switches to evaluation mode after every epoch and never back. The
# listing's loop, reduced to its mode switches, around the 2-5-1 network with a dropout layer
# added after the hidden units, next to the book's `Runner` (a forward hook records the
# dropout layer's `training` flag at every forward pass: training step, then dev evaluation):

# %%
def with_dropout(seed: int = 0) -> nn.Sequential:
    """The 2-5-1 network of build_mlp with dropout (p = 0.5) after the hidden units."""
    net = build_mlp([2, 5, 1], "sigmoid", seed=seed)
    return nn.Sequential(net[0], net[1], nn.Dropout(0.5), net[2])


def dropout_modes(net: nn.Sequential) -> list[bool]:
    """A list that fills with the dropout layer's training flag at every forward pass."""
    log: list[bool] = []
    net[2].register_forward_hook(lambda module, inputs, output: log.append(module.training))
    return log


torch.manual_seed(0)
listing_net = with_dropout()
listing_log = dropout_modes(listing_net)
listing_opt = torch.optim.SGD(listing_net.parameters(), lr=0.2)
listing_net.train()  # the listing: once, before the epoch loop
for _epoch in range(3):
    loss = loss_fn(listing_net(X_train).squeeze(1), y_train)
    loss.backward()
    listing_opt.step()
    listing_opt.zero_grad()
    listing_net.eval()  # the listing's evaluate(): eval mode, and nothing switches back
    with torch.no_grad():
        listing_net(X_dev)

book_net = with_dropout()
book_log = dropout_modes(book_net)
Runner(book_net, nn.BCEWithLogitsLoss(), torch.optim.SGD(book_net.parameters(), lr=0.2)).fit(
    train, dev, epochs=3, progress=False)
print("dropout active at each forward pass (epoch 1 train, epoch 1 dev, epoch 2 train, ...)")
print("  the listing's loop:", listing_log)
print("  nndl_book's Runner:", book_log)

# %% [markdown]
# ```{admonition} What the sources get wrong
# - **Training in evaluation mode.** The `Runner` of the NNDL practice chapter on automatic
#   differentiation calls `model.train()` once, before its epoch loop, and its `evaluate`
#   calls `model.eval()` after every epoch. From the second epoch on, the model therefore
#   trains in evaluation mode: dropout is switched off and batch normalisation uses its
#   running statistics. For that chapter's dropout-free networks nothing changes, which is why
#   it goes unnoticed; with dropout the printout above shows the flag `False` at every
#   training step after the first. The `Runner` of this book switches back to training mode
#   after each evaluation (`True` at every training step).
# - **One run of each architecture.** The same practice chapter adds a hidden layer of three
#   units and, from one run of each network, concludes that the deeper one is clearly better.
#   One run is one draw of the initial weights: on {glue:text}`n_single_run_reversed` of the
#   eight seeds of {ref}`the comparison above <sec-06-architectures>`, a single run of each
#   would have ranked the one-hidden-layer network at least as good. Over all eight seeds,
#   paired on the same test points, the deeper network is ahead by {glue:text}`gap:.3f` on
#   average, with a 95 % interval from {glue:text}`paired_low:+.3f` to
#   {glue:text}`paired_high:+.3f` that contains zero; what holds up is that it is the more
#   reliable of the two within 200 Adam steps, not that it classifies better.
# - **"Autograd is better in time and in result."** The same chapter's closing question claims
#   that automatic differentiation beats hand-written gradients on both counts. In result they
#   are the same computation: {ref}`the check above <sec-timing-autograd>` prints differences
#   at the level of float64 rounding. In time, for a network this small the hand-written
#   gradient was the faster one on the machine that built this page (the printed ratio);
#   autograd's advantage is that it needs no derivative code, not speed.
# ```


# %% [markdown]
# ## Self-test
#
# Click an answer: the page says whether it is right. It works on the website too, with no kernel.

# %%
quiz("06")


# %% [markdown]
# ## Summary
#
# - Three data sets, three jobs: the training set fits the weights, the development set
#   chooses (epochs, architecture, hyperparameters, which weights to keep), the test set
#   estimates the final model's accuracy and is measured once.
# - A training loop is forward, loss, `zero_grad`, `backward`, `step`, then an evaluation on the
#   development set in eval mode under `no_grad`.
# - The `Runner` is that loop with the bookkeeping done once: history, best weights, early
#   stopping, divergence check, save and load, predict. On the same initial weights it gives
#   the same numbers as the bare loop.
# - The 2-5-1 sigmoid network reaches a test accuracy of {glue:text}`test_accuracy:.3f` on the
#   two moons. Comparing architectures needs several seeds and, since both are scored on the
#   same test points, a paired comparison: here the paired bootstrap's 95 % interval for the
#   difference of the mean test accuracies contains zero.
# - Autograd's gradients equal hand-written back-propagation to rounding error.
#
# ## References
#
# ```{footbibliography}
# ```
