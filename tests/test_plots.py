"""Tests of nndl_book.plots: what each figure draws, input checks, PNG rendering."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt  # only to check that no figure lands in pyplot's registry
import numpy as np
import pytest
from matplotlib.colors import LogNorm, to_hex
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.text import Text

from nndl_book import plots
from nndl_book.engine.history import History

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    """Every test must leave pyplot's figure registry empty."""
    assert plt.get_fignums() == []
    yield
    assert plt.get_fignums() == [], "a plot function registered a figure with pyplot"


def make_history(epochs: int = 12, *, dev: bool = True, diverge: bool = False):
    h = History()
    for e in range(epochs):
        loss = 1.0 / (e + 1)
        h.record(loss, 0.5 + e / 40, loss * 1.1 if dev else None, 0.5 + e / 50 if dev else None)
    if diverge:  # a NaN loss in the epoch after the last one
        h.record(float("nan"))
    return h


def moons(n: int = 40):
    rng = np.random.default_rng(0)
    t = rng.uniform(0, np.pi, n)
    X = np.r_[np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)]]
    y = np.r_[np.zeros(n), np.ones(n)]
    return X, y


def prob_below_line(Z):
    return 1 / (1 + np.exp(5 * (Z[:, 1] - 0.25)))


def all_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def data_lines(ax):
    """Lines a reader sees in the legend (labels not starting with an underscore)."""
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]


def rosenbrock():
    return SimpleNamespace(
        f=lambda p: (1 - p[..., 0]) ** 2 + 100 * (p[..., 1] - p[..., 0] ** 2) ** 2,
        xlim=(-2.0, 2.0),
        ylim=(-1.0, 3.0),
        minimum=np.array([1.0, 1.0]),
        name="Rosenbrock",
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# --------------------------------------------------------------------------- module


def test_importing_plots_does_not_import_pyplot():
    code = (
        "import sys; import nndl_book.plots; "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
    )


def test_palette_is_okabe_ito_and_used_for_classes():
    assert len(plots.PALETTE) == 8
    assert {c.upper() for c in plots.PALETTE} >= {"#0072B2", "#D55E00", "#009E73"}
    X, y = moons()
    fig = plots.plot_decision_boundary(prob_below_line, X, y)
    points = [c for c in fig.axes[0].collections if c.get_label().startswith("class")]
    assert [to_hex(c.get_facecolor()[0]) for c in points] == [
        plots.PALETTE[0].lower(),
        plots.PALETTE[1].lower(),
    ]


def test_given_ax_is_drawn_into_and_its_figure_returned():
    fig = Figure()
    ax = fig.add_subplot()
    X, y = moons()
    calls = [
        lambda: plots.plot_history(make_history(), ax=ax),
        lambda: plots.plot_decision_boundary(prob_below_line, X, y, ax=ax),
        lambda: plots.plot_activations({"tanh": np.tanh}, ax=ax),
        lambda: plots.plot_grad_norms({"a": [1.0, 0.1]}, ax=ax),
        lambda: plots.plot_trajectories(rosenbrock(), {"gd": [[0, 0], [0.5, 0.2]]}, ax=ax),
        lambda: plots.plot_weight_histograms({"w": np.arange(10.0)}, ax=ax),
        lambda: plots.plot_activation_stats([{"mean": 0, "std": 1, "fraction_zero": 0}], ax=ax),
        lambda: plots.plot_curves({"c": [3, 2, 1]}, xlabel="epoch", ylabel="cost", ax=ax),
    ]
    for call in calls:
        ax.clear()
        assert call() is fig
        assert fig.axes == [ax]  # no extra panel or colour bar added to a given ax
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plots.plot_curves({"c": [1, 2]}, xlabel="x", ylabel="y", ax=fig)


# --------------------------------------------------------------------------- history


def test_history_two_panels_with_labels_and_best_epoch():
    h = make_history(12)
    fig = plots.plot_history(h, title="run")
    assert isinstance(fig, Figure)
    loss_ax, metric_ax = fig.axes
    assert loss_ax.get_xlabel() == "epoch" and loss_ax.get_ylabel() == "loss"
    assert metric_ax.get_ylabel() == "accuracy"
    assert fig.get_suptitle() == "run"
    assert (loss_ax.get_title(), metric_ax.get_title()) == ("loss", "accuracy")
    one = plots.plot_history(h, metric=False, title="run")
    assert one.get_suptitle() == "" and one.axes[0].get_title() == "run"
    for ax in (loss_ax, metric_ax):
        labels = [ln.get_label() for ln in data_lines(ax)]
        assert labels == ["train", "dev", f"best epoch ({h.best_epoch})"]
        best = data_lines(ax)[2]
        assert best.get_linestyle() == ":"
        assert list(best.get_xdata()) == [h.best_epoch, h.best_epoch]
    np.testing.assert_allclose(data_lines(loss_ax)[0].get_ydata(), h.train_loss)
    np.testing.assert_allclose(data_lines(loss_ax)[0].get_xdata(), np.arange(1, 13))
    assert loss_ax.get_yscale() == "linear"  # 1 .. 1/12 is about one decade


def test_history_log_scale_when_loss_spans_more_than_two_decades():
    h = History()
    for loss in np.geomspace(10.0, 0.01, 20):
        h.record(loss)
    fig = plots.plot_history(h)
    assert len(fig.axes) == 1  # no metric recorded, so no metric panel
    assert fig.axes[0].get_yscale() == "log"


def test_history_diverged_note_in_red():
    h = make_history(6, dev=False, diverge=True)
    assert h.diverged_at == 7
    fig = plots.plot_history(h, metric=False)
    assert len(fig.axes) == 1
    notes = [t for t in fig.findobj(Text) if t.get_text() == "diverged at epoch 7"]
    assert notes, all_texts(fig)
    assert to_hex(notes[0].get_color()) == "#d55e00"
    assert [ln.get_label() for ln in data_lines(fig.axes[0])][0] == "train"


def test_history_accepts_duck_typed_object_and_checks_it():
    h = SimpleNamespace(
        train_loss=[0.5, 0.4],
        dev_loss=[],
        train_metric=[],
        dev_metric=[],
        metric_name="accuracy",
        diverged_at=None,
        best_epoch=2,
    )
    fig = plots.plot_history(h)
    assert len(data_lines(fig.axes[0])) == 2  # train and best epoch
    with pytest.raises(TypeError, match="history must have .* lacks dev_loss"):
        plots.plot_history(SimpleNamespace(train_loss=[1.0]))
    h.train_loss = []
    with pytest.raises(ValueError, match="history has no epochs"):
        plots.plot_history(h)


# --------------------------------------------------------------------------- boundary


def test_decision_boundary_probability():
    X, y = moons()
    seen = []

    def predict(Z):
        seen.append(Z.shape)
        return prob_below_line(Z)[:, None]  # (m, 1) is accepted

    fig = plots.plot_decision_boundary(predict, X, y, resolution=60, title="moons")
    assert seen == [(3600, 2)]  # one call on the whole grid
    ax, cbar_ax = fig.axes  # the colour bar is the second Axes
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    filled, boundary = contours
    assert filled.filled and not boundary.filled
    assert list(boundary.levels) == [0.5]
    assert filled.levels[0] == 0.0 and filled.levels[-1] == 1.0
    assert [c.get_label() for c in ax.collections if c.get_label().startswith("class")] == [
        "class 0",
        "class 1",
    ]
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_title() == "moons"
    assert "P(y=1" in cbar_ax.get_ylabel()
    lo, hi = ax.get_xlim()
    assert lo == pytest.approx(X[:, 0].min() - 0.5) and hi == pytest.approx(X[:, 0].max() + 0.5)


def test_decision_boundary_logits_and_multiclass_labels():
    X, y = moons()
    fig = plots.plot_decision_boundary(
        lambda Z: 5 * (0.25 - Z[:, 1]), X, y, probability=False, resolution=40
    )
    boundary = [c for c in fig.axes[0].collections if isinstance(c, ContourSet)][1]
    assert list(boundary.levels) == [0.0]

    rng = np.random.default_rng(1)
    centres = np.array([[0.0, 0.0], [3.0, 0.0], [1.5, 3.0]])
    X3 = np.concatenate([c + rng.normal(0, 0.4, (15, 2)) for c in centres])
    y3 = np.repeat([0, 1, 2], 15)

    def nearest(Z):
        return np.argmin(((Z[:, None, :] - centres) ** 2).sum(-1), axis=1)

    fig = plots.plot_decision_boundary(nearest, X3, y3, probability=False, resolution=40)
    assert len(fig.axes) == 1  # class regions: no colour bar
    ax = fig.axes[0]
    points = [c for c in ax.collections if c.get_label().startswith("class")]
    assert len(points) == 3
    borders = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
    assert list(borders[0].levels) == [0.5, 1.5]
    # perceptron labels -1 / +1 for y and for the sign outputs of predict
    signed = plots.plot_decision_boundary(
        lambda Z: np.sign(0.25 - Z[:, 1]), X, 2 * y - 1, probability=False, resolution=40
    )
    ax = signed.axes[0]
    assert [c.get_label() for c in ax.collections if c.get_label().startswith("class")] == [
        "class -1",
        "class +1",
    ]
    assert [list(c.levels) for c in ax.collections if isinstance(c, ContourSet)][1] == [0.5]
    # scores of shape (m, K) are read through their argmax
    onehot = plots.plot_decision_boundary(lambda Z: np.eye(3)[nearest(Z)], X3, y3, resolution=40)
    assert len([c for c in onehot.axes[0].collections if c.get_label().startswith("class")]) == 3


def test_decision_boundary_input_errors():
    X, y = moons()
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        plots.plot_decision_boundary(prob_below_line, np.ones((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="X and y must have the same length, got 80 and 79"):
        plots.plot_decision_boundary(prob_below_line, X, y[:-1])
    with pytest.raises(ValueError, match="predict must return shape"):
        plots.plot_decision_boundary(lambda Z: Z[:10, 0], X, y)
    with pytest.raises(ValueError, match="outside \\[0, 1\\]: pass probability=False"):
        plots.plot_decision_boundary(lambda Z: 3 * Z[:, 0], X, y)
    with pytest.raises(TypeError, match="predict must return a numpy array of numbers"):
        plots.plot_decision_boundary(lambda Z: "no", X, y)
    with pytest.raises(TypeError, match="predict must be a callable"):
        plots.plot_decision_boundary("model", X, y)
    with pytest.raises(ValueError, match="y must hold integer class labels 0, 1, ... .* 0.5"):
        plots.plot_decision_boundary(prob_below_line, X, y + 0.5)
    with pytest.raises(ValueError, match="y has 3 classes"):
        plots.plot_decision_boundary(prob_below_line, X, np.arange(80) % 3)
    with pytest.raises(ValueError, match="resolution must be an integer >= 2"):
        plots.plot_decision_boundary(prob_below_line, X, y, resolution=1)


# --------------------------------------------------------------------------- activations


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_activations_functions_and_derivatives():
    fig = plots.plot_activations(
        {
            "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
            "ReLU": lambda z: np.maximum(z, 0.0),
        }
    )
    f_ax, df_ax = fig.axes
    assert [ln.get_label() for ln in data_lines(f_ax)] == ["sigmoid", "ReLU"]
    assert [ln.get_label() for ln in data_lines(df_ax)] == ["sigmoid", "ReLU (numerical)"]
    x = data_lines(f_ax)[0].get_xdata()
    np.testing.assert_allclose(x, np.linspace(-5, 5, 401))
    np.testing.assert_allclose(data_lines(df_ax)[0].get_ydata().max(), 0.25)
    relu_slope = data_lines(df_ax)[1].get_ydata()
    np.testing.assert_allclose(relu_slope[x > 0.1], 1.0)
    np.testing.assert_allclose(relu_slope[x < -0.1], 0.0)
    assert df_ax.get_ylabel() == "$f'(z)$"

    only = plots.plot_activations({"tanh": np.tanh}, x=np.linspace(-2, 2, 11), derivative=False)
    assert len(only.axes) == 1
    assert len(data_lines(only.axes[0])[0].get_xdata()) == 11


def test_activations_input_errors():
    with pytest.raises(ValueError, match="functions must not be empty"):
        plots.plot_activations({})
    with pytest.raises(TypeError, match=r"functions\['bad'\] must be a callable f or a pair"):
        plots.plot_activations({"bad": 3})
    with pytest.raises(ValueError, match=r"functions\['sum'\] f must return an array of the shape"):
        plots.plot_activations({"sum": lambda z: np.ones(3)})
    with pytest.raises(TypeError, match="functions must be a dict"):
        plots.plot_activations([np.tanh])


# --------------------------------------------------------------------------- grad norms


def test_grad_norms_series_log_scale_and_zero_markers():
    fig = plots.plot_grad_norms(
        {"sigmoid": [1e-8, 1e-5, 1e-2, 0.3], "ReLU": [0.2, 0.0, 0.4, 0.5]}, title="norms"
    )
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert len(ax.patches) == 7  # eight norms, one of them zero
    tops = sorted(p.get_y() + p.get_height() for p in ax.patches)
    np.testing.assert_allclose(tops, sorted([1e-8, 1e-5, 1e-2, 0.3, 0.2, 0.4, 0.5]))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["sigmoid", "ReLU", "0 (no gradient)"]
    zero = [ln for ln in ax.get_lines() if ln.get_marker() == "v"]
    assert len(zero) == 1 and zero[0].get_ydata()[0] < 1e-8
    assert ax.get_xlabel() == "layer $l$" and ax.get_title() == "norms"


def test_grad_norms_single_series_and_linear_and_many_layers():
    fig = plots.plot_grad_norms({"W1": 0.01, "W2": 0.2, "W3": 0.3}, log=False)
    ax = fig.axes[0]
    assert ax.get_yscale() == "linear"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["W1", "W2", "W3"]
    assert len(ax.patches) == 3
    many = plots.plot_grad_norms({"deep": 0.5 ** np.arange(20)})
    assert len(many.axes[0].patches) == 0  # lines, not bars, for 20 layers
    assert len(data_lines(many.axes[0])) == 1
    all_zero = plots.plot_grad_norms({"dead": [0.0, 0.0]})
    assert all_zero.axes[0].get_yscale() == "linear"  # nothing positive to put on a log axis


def test_grad_norms_input_errors():
    with pytest.raises(ValueError, match="must be non-negative"):
        plots.plot_grad_norms({"a": [0.1, -0.2]})
    with pytest.raises(ValueError, match="all numbers .* or all 1-D"):
        plots.plot_grad_norms({"a": 0.1, "b": [0.1, 0.2]})
    with pytest.raises(ValueError, match="norms must not be empty"):
        plots.plot_grad_norms({})


# --------------------------------------------------------------------------- trajectories


def test_trajectories_log_levels_star_and_start_markers():
    paths = {
        "GD": np.c_[np.linspace(-1.5, 0.5, 30), np.linspace(2.5, 0.3, 30)],
        "momentum": np.c_[np.linspace(-1.5, 1.0, 30), np.linspace(2.5, 1.0, 30)],
    }
    fig = plots.plot_trajectories(rosenbrock(), paths, levels=12)
    ax = fig.axes[0]
    assert ax.get_title() == "Rosenbrock"
    filled = [c for c in ax.collections if isinstance(c, ContourSet) and c.filled][0]
    assert isinstance(filled.norm, LogNorm)
    ratios = filled.levels[1:] / filled.levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # log-spaced
    assert len(filled.levels) == 12
    star = [ln for ln in ax.get_lines() if ln.get_marker() == "*"]
    assert len(star) == 1 and list(star[0].get_xydata()[0]) == [1.0, 1.0]
    starts = [ln for ln in ax.get_lines() if ln.get_marker() == "o" and len(ln.get_xdata()) == 1]
    assert len(starts) == 2
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["GD", "momentum", "minimum", "start"]
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 3.0)


def test_trajectories_linear_levels_and_diverged_path():
    saddle = SimpleNamespace(
        f=lambda p: p[..., 0] ** 2 - p[..., 1] ** 2,
        xlim=(-1, 1),
        ylim=(-1, 1),
        minimum=None,
        name="saddle",
    )
    path = np.array([[0.1, 0.1], [0.2, 0.5], [0.1, 3.0], [np.nan, np.inf], [0.0, 0.0]])
    fig = plots.plot_trajectories(saddle, {"SGD": path}, levels=9, title="a saddle")
    ax = fig.axes[0]
    assert ax.get_title() == "a saddle"
    filled = [c for c in ax.collections if isinstance(c, ContourSet) and c.filled][0]
    np.testing.assert_allclose(np.diff(filled.levels), np.diff(filled.levels)[0])  # linear
    line = data_lines(ax)[0]
    assert line.get_label() == "SGD (diverged)"
    assert len(line.get_xdata()) == 3  # cut at the first non-finite row
    assert not [ln for ln in ax.get_lines() if ln.get_marker() == "*"]


def test_trajectories_input_errors():
    land = rosenbrock()
    with pytest.raises(ValueError, match=r"trajectories\['GD'\] must have shape \(steps, 2\)"):
        plots.plot_trajectories(land, {"GD": np.zeros((5, 3))})
    with pytest.raises(ValueError, match=r"trajectories\['GD'\] must have 2 dimension"):
        plots.plot_trajectories(land, {"GD": np.zeros(4)})
    with pytest.raises(ValueError, match="trajectories must not be empty"):
        plots.plot_trajectories(land, {})
    with pytest.raises(TypeError, match="landscape must have attributes .* lacks minimum"):
        plots.plot_trajectories(
            SimpleNamespace(f=land.f, xlim=(0, 1), ylim=(0, 1), name="x"), {"GD": [[0, 0]]}
        )
    bad = SimpleNamespace(**{**vars(land), "f": lambda p: p.sum()})
    with pytest.raises(ValueError, match=r"landscape.f must map an array of shape \(..., 2\)"):
        plots.plot_trajectories(bad, {"GD": [[0, 0]]})
    flipped = SimpleNamespace(**{**vars(land), "xlim": (2, -2)})
    with pytest.raises(ValueError, match="landscape.xlim must be a pair"):
        plots.plot_trajectories(flipped, {"GD": [[0, 0]]})


# --------------------------------------------------------------------------- weights, stats


def test_weight_histograms_density_and_std_in_legend():
    rng = np.random.default_rng(0)
    w = {"normal": rng.normal(0, 1, 2000), "small": rng.normal(0, 0.1, (40, 50)), "zero": [0.0] * 9}
    fig = plots.plot_weight_histograms(w, bins=20, title="init")
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == f"normal (std = {np.std(w['normal']):.3g})"
    assert legend[1].startswith("small (std = 0.0")
    assert legend[2] == "zero (std = 0), all equal"
    heights = [
        p for p in ax.patches if p.get_label() == f"normal (std = {np.std(w['normal']):.3g})"
    ]
    assert len(heights) == 1  # outline of the first histogram
    # density: each histogram integrates to one
    counts, edges = np.histogram(w["normal"], bins=20, density=True)
    assert np.sum(counts * np.diff(edges)) == pytest.approx(1.0)
    assert ax.get_ylabel() == "density"
    with pytest.raises(ValueError, match=r"weights\['w'\] must not be empty"):
        plots.plot_weight_histograms({"w": []})
    with pytest.raises(ValueError, match=r"weights\['w'\] must contain only finite"):
        plots.plot_weight_histograms({"w": [1.0, np.nan]})


def test_activation_stats_band_and_fraction_zero():
    stats = [{"mean": 0.1 * i, "std": 0.5**i, "fraction_zero": 0.1 * i} for i in range(5)]
    fig = plots.plot_activation_stats(stats, title="tanh, Xavier")
    mean_ax, zero_ax = fig.axes
    assert fig.get_suptitle() == "tanh, Xavier"
    assert (mean_ax.get_title(), zero_ax.get_title()) == ("mean ± std",
                                                          "fraction of zero activations")
    bands = mean_ax.collections
    assert len(bands) == 1
    verts = bands[0].get_paths()[0].vertices
    upper = [0.1 * i + 0.5**i for i in range(5)]
    lower = [0.1 * i - 0.5**i for i in range(5)]
    assert verts[:, 1].max() == pytest.approx(max(upper))  # mean + std of layer 1
    assert verts[:, 1].min() == pytest.approx(min(lower))
    means = [ln for ln in mean_ax.get_lines() if ln.get_marker() == "o"][0]
    np.testing.assert_allclose(means.get_ydata(), [0.0, 0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(means.get_xdata(), [1, 2, 3, 4, 5])
    frac = [ln for ln in zero_ax.get_lines() if ln.get_marker() == "o"][0]
    np.testing.assert_allclose(frac.get_ydata(), [0.0, 0.1, 0.2, 0.3, 0.4])
    assert mean_ax.get_xlabel() == "layer $l$"

    two = plots.plot_activation_stats(
        {"naive": [{"mean": 0, "std": 1}], "He": [{"mean": 0, "std": 2}, {"mean": 0, "std": 2}]}
    )
    assert len(two.axes) == 1  # no fraction_zero given
    legend = [t.get_text() for t in two.axes[0].get_legend().get_texts()]
    assert legend == ["naive: mean ± std", "He: mean ± std"]


def test_activation_stats_input_errors():
    with pytest.raises(ValueError, match=r"stats\[1\] lacks the key 'std'"):
        plots.plot_activation_stats([{"mean": 0, "std": 1}, {"mean": 0}])
    with pytest.raises(ValueError, match=r"stats\[0\]\['std'\] must be non-negative"):
        plots.plot_activation_stats([{"mean": 0, "std": -1}])
    with pytest.raises(ValueError, match="stats must not be empty"):
        plots.plot_activation_stats([])
    with pytest.raises(ValueError, match=r"fraction_zero'\] must be in \[0, 1\]"):
        plots.plot_activation_stats([{"mean": 0, "std": 1, "fraction_zero": 2}])


# --------------------------------------------------------------------------- curves


def test_curves_lines_labels_and_log():
    epochs = np.arange(50)
    fig = plots.plot_curves(
        {"quadratic": np.exp(-epochs / 30), "cross-entropy": (epochs + 1, np.exp(-epochs / 5))},
        xlabel="epoch",
        ylabel="cost $C$",
        title="learning slowdown",
        logy=True,
    )
    ax = fig.axes[0]
    lines = data_lines(ax)
    assert [ln.get_label() for ln in lines] == ["quadratic", "cross-entropy"]
    assert lines[0].get_xdata()[0] == 0 and lines[1].get_xdata()[0] == 1
    assert ax.get_yscale() == "log"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "epoch",
        "cost $C$",
        "learning slowdown",
    )
    assert lines[0].get_color() != lines[1].get_color()
    with pytest.raises(ValueError, match=r"logy=True needs positive values, but curves\['a'\]"):
        plots.plot_curves({"a": [1.0, 0.0]}, xlabel="x", ylabel="y", logy=True)
    with pytest.raises(ValueError, match=r"curves\['a'\] x and y must have the same length"):
        plots.plot_curves({"a": ([1, 2, 3], [1, 2])}, xlabel="x", ylabel="y")
    with pytest.raises(ValueError, match=r"curves\['a'\] must have 1 dimension"):
        plots.plot_curves({"a": np.ones((2, 2))}, xlabel="x", ylabel="y")


# --------------------------------------------------------------------------- PNG


def test_figure_to_png_is_a_deterministic_png():
    X, y = moons()

    def build():
        return plots.plot_decision_boundary(prob_below_line, X, y, resolution=50)

    fig = build()
    first = plots.figure_to_png(fig)
    assert first.startswith(PNG_SIGNATURE)
    assert png_size(first) == (400, 280)  # 5 x 3.5 in at 80 dpi
    assert plots.figure_to_png(fig) == first  # same figure twice
    assert plots.figure_to_png(fig) == first
    assert plots.figure_to_png(build()) == first  # a fresh, identical figure
    assert b"Matplotlib" not in first and b"Software" not in first
    assert fig.get_layout_engine() is not None  # the layout engine is restored
    # the image is not blank: decompressed pixel data has many distinct bytes
    idat = first.index(b"IDAT")
    raw = zlib.decompressobj().decompress(first[idat + 4 :])
    assert len(set(raw)) > 50


def test_figure_to_png_multi_panel_and_errors():
    fig = plots.plot_history(make_history(8, diverge=True))
    data = plots.figure_to_png(fig, dpi=40)
    assert png_size(data) == (360, 140)
    assert plots.figure_to_png(fig, dpi=40) == data
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        plots.figure_to_png(fig.axes[0])
    with pytest.raises(ValueError, match="dpi must be a positive"):
        plots.figure_to_png(fig, dpi=0)


def test_figure_to_png_palette_frames_are_smaller_and_still_png() -> None:
    import io

    import PIL.Image

    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = fig.add_subplot()
    grid = np.linspace(-2, 2, 60)
    ax.contourf(grid, grid, np.add.outer(grid**2, grid), levels=40)
    full = plots.figure_to_png(fig)
    small = plots.figure_to_png(fig, colours=64)
    assert small.startswith(b"\x89PNG") and len(small) < len(full) / 2
    image = PIL.Image.open(io.BytesIO(small))
    assert image.mode == "P" and image.size == (320, 240)
    assert plots.figure_to_png(fig, colours=64) == small
    quick = PIL.Image.open(io.BytesIO(plots.figure_to_png(fig, exact=False)))
    assert quick.size == (320, 240)
    with pytest.raises(ValueError, match="colours must be an integer from 2 to 256"):
        plots.figure_to_png(fig, colours=300)


def test_plot_network_draws_every_neuron_and_weight() -> None:
    from matplotlib.patches import Circle

    W = [np.ones((3, 2)), -np.ones((2, 3)), np.array([[0.5, -2.0]])]
    fig = plots.plot_network([2, 3, 2, 1], weights=W, weight_labels=True, title="net")
    ax = fig.axes[0]
    assert sum(isinstance(p, Circle) for p in ax.patches) == 8
    assert len(ax.lines) == 2 * 3 + 3 * 2 + 2 * 1
    widths = sorted(line.get_linewidth() for line in ax.lines[-2:])
    assert widths[1] > widths[0]  # |w| = 2 is drawn thicker than |w| = 0.5
    assert {t.get_text() for t in ax.texts} >= {"input", "hidden 1", "hidden 2", "output", "-2"}
    with pytest.raises(ValueError, match=r"weights\[1\] must have shape \(2, 3\)"):
        plots.plot_network([2, 3, 2, 1], weights=[W[0], np.ones((3, 2)), W[2]])
    with pytest.raises(ValueError, match="sizes must list at least 2 layer widths"):
        plots.plot_network([3])


def test_show_figures_inline_registers_a_png_formatter() -> None:
    from IPython.core.interactiveshell import InteractiveShell

    plots.show_figures_inline()  # no IPython running here: nothing to do, no error
    shell = InteractiveShell.instance()
    try:
        plots.show_figures_inline(dpi=50)
        fig = Figure(figsize=(2, 1))
        fig.add_subplot().plot([0, 1], [1, 0])
        data, _ = shell.display_formatter.format(fig)
        assert data["image/png"].startswith(PNG_SIGNATURE)
    finally:
        InteractiveShell.clear_instance()


def test_cached_background_is_painted_once_per_resolution_and_shown_under_the_figure() -> None:
    import io

    import PIL.Image
    from matplotlib.patches import Rectangle

    from nndl_book.plots.render import CachedBackground

    calls = []

    def paint(fig: Figure) -> None:
        calls.append(fig.dpi)
        fig.add_artist(Rectangle((0, 0), 0.5, 1, transform=fig.transFigure, color="#D55E00"))

    def frame(dpi: float) -> PIL.Image.Image:
        fig = Figure(figsize=(2, 1))
        fig.add_artist(CachedBackground(("test background", id(calls)), paint, (2, 1)))
        fig.add_axes((0.6, 0.1, 0.3, 0.8)).plot([0, 1], [0, 1])
        return PIL.Image.open(io.BytesIO(plots.figure_to_png(fig, dpi=dpi, exact=False)))

    first, second = frame(80), frame(80)
    assert calls == [80]  # the second figure reused the pixels
    assert first.convert("RGB").getpixel((10, 40)) == (0xD5, 0x5E, 0x00)  # painted half
    assert first.convert("RGB").getpixel((150, 5)) == (255, 255, 255)
    assert first.tobytes() == second.tobytes()
    frame(100)
    assert calls == [80, 100]
