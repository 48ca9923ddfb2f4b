"""The initialisation explorer: statistics checked by hand and by torch, frames, budget, redraw."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from widget_frames import PNG, frames_of

from nndl_book.engine.probes import INIT_SCHEMES, LayerStatistics, layer_statistics
from nndl_book.maths.init import initialise
from nndl_book.plots import figure_to_png
from nndl_book.widgets.explorer import DEFAULT_BUDGET_BYTES, Explorer
from nndl_book.widgets.initialisation import draw_initialisation, initialisation_explorer


@pytest.fixture(scope="module")
def frames_explorer() -> Explorer:
    return initialisation_explorer(mode="frames")


# ------------------------------------------------------------------------------ statistics


def test_xavier_tanh_keeps_the_signal_while_tiny_weights_collapse_it() -> None:
    xavier = layer_statistics("Xavier", 10, "tanh")
    tiny = layer_statistics("N(0, 0.01²)", 10, "tanh")
    assert xavier.std.shape == tiny.std.shape == (10,)
    assert np.all((xavier.std > 0.2) & (xavier.std < 1.0))
    # each layer multiplies the std by about 0.01 * sqrt(100) = 0.1
    assert np.all(np.diff(np.log10(tiny.std)) == pytest.approx(-1.0, abs=0.1))
    assert tiny.std[-1] < 1e-9
    assert np.all(np.abs(tiny.mean) < 1e-3)


def test_he_keeps_relu_activations_and_xavier_halves_their_variance_per_layer() -> None:
    he = layer_statistics("He", 10, "relu")
    xavier = layer_statistics("Xavier", 10, "relu")
    assert 0.4 < he.std[-1] / he.std[0] < 2.5
    per_layer = (xavier.std[-1] / xavier.std[0]) ** (1 / 9)
    assert per_layer == pytest.approx(2**-0.5, rel=0.1)
    # a ReLU layer fed symmetric net inputs outputs zero about half the time
    assert np.all(np.abs(he.zero - 0.5) < 0.05)
    assert he.saturated is None


def test_sigmoid_gradients_vanish_towards_the_input_with_xavier() -> None:
    stats = layer_statistics("Xavier", 10, "sigmoid")
    assert stats.saturated is not None and stats.saturated.shape == (10,)
    assert stats.gradient_ratio < 1e-4  # sigma' <= 1/4 at every layer
    assert np.all(np.diff(np.log(stats.grad_norms)) > 0)


def test_large_tanh_weights_saturate_and_explode_the_gradient() -> None:
    stats = layer_statistics("N(0, 1)", 10, "tanh")
    assert np.all(stats.saturated[1:] > 0.6)
    assert stats.gradient_ratio > 1e2


@pytest.mark.parametrize(("scheme", "activation"), [("Xavier", "tanh"), ("He", "relu"),
                                                    ("N(0, 1)", "sigmoid")])
def test_statistics_agree_with_torch_autograd(scheme: str, activation: str) -> None:
    depth, width, n = 4, 7, 5
    stats = layer_statistics(scheme, depth, activation, width=width, n_samples=n, seed=3)
    # the same draws, in the order the docstring promises: inputs, error signal, weights
    rng = np.random.default_rng(3)
    x = torch.tensor(rng.standard_normal((n, width)))
    error = torch.tensor(rng.standard_normal((n, width)))
    init, kwargs = INIT_SCHEMES[scheme]
    weights = [torch.tensor(initialise(init, (width, width), rng=rng, **kwargs),
                            requires_grad=True) for _ in range(depth)]
    f = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[activation]
    a, means, stds = x, [], []
    for W in weights:
        a = f(a @ W.T)
        means.append(a.mean().item())
        stds.append(a.std(unbiased=False).item())
    loss = (error * a).sum() / n
    loss.backward()
    norms = [W.grad.norm().item() for W in weights]
    np.testing.assert_allclose(stats.mean, means, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(stats.std, stds, rtol=1e-12)
    np.testing.assert_allclose(stats.grad_norms, norms, rtol=1e-10)
    assert stats.gradient_ratio == pytest.approx(norms[0] / norms[-1])


def test_same_seed_same_numbers_and_every_scheme_sees_the_same_inputs() -> None:
    a = layer_statistics("He", 3, "relu", width=20, seed=5)
    b = layer_statistics("He", 3, "relu", width=20, seed=5)
    c = layer_statistics("He", 3, "relu", width=20, seed=6)
    np.testing.assert_array_equal(a.std, b.std)
    np.testing.assert_array_equal(a.grad_norms, b.grad_norms)
    assert not np.array_equal(a.std, c.std)


def test_overflow_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(INIT_SCHEMES, "N(0, 1e100²)", ("normal", {"std": 1e100}))
    stats = layer_statistics("N(0, 1e100²)", 6, "relu", width=10)
    assert isinstance(stats, LayerStatistics)
    assert stats.overflow_layer == 4  # 1e100 per layer: layer 4 passes 1e308
    assert stats.std.shape == (3,) and np.all(np.isfinite(stats.std))
    assert stats.grad_norms.size == 0 and np.isnan(stats.gradient_ratio)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, numbers = draw_initialisation("N(0, 1e100²)", "relu", depth=6, width=10)
        figure_to_png(fig)
    assert isinstance(fig, Figure)
    assert numbers == {"overflow": "activations reach inf at layer 4"}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"scheme": "Glorot"}, ValueError, r"unknown scheme 'Glorot'; expected one of \['He', 'N"),
        ({"scheme": 3}, TypeError, "scheme must be a string"),
        ({"activation": "swishy"}, ValueError, "unknown activation 'swishy'"),
        ({"depth": 0}, ValueError, "depth must be an integer >= 1"),
        ({"depth": 2.5}, TypeError, "depth must be an integer"),
        ({"width": 0}, ValueError, "width must be an integer >= 1"),
        ({"n_samples": 1}, ValueError, "n_samples must be an integer >= 2"),
    ],
)
def test_bad_arguments_give_clear_errors(kwargs: dict, error: type, match: str) -> None:
    args = {"scheme": "Xavier", "depth": 3, "activation": "tanh"} | kwargs
    with pytest.raises(error, match=match):
        layer_statistics(**args)


# ------------------------------------------------------------------------------ figure, widget


def test_draw_returns_a_figure_and_the_caption_numbers() -> None:
    fig, numbers = draw_initialisation("Xavier", "sigmoid", depth=5, width=30)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig.axes[1].get_yscale() == "log"
    assert set(numbers) == {"std of last layer", "‖∂W⁽¹⁾‖ / ‖∂W⁽ᴸ⁾‖", "saturated in last layer"}
    _, relu_numbers = draw_initialisation("N(0, 1)", "relu", depth=20)
    assert "zeros in last layer" in relu_numbers
    assert float(relu_numbers["std of last layer"]) > 1e10


def test_kept_statistics_still_check_the_arguments() -> None:
    _, numbers = draw_initialisation("He", "relu", depth=3, width=10)
    assert draw_initialisation("He", "relu", depth=3, width=10)[1] == numbers
    with pytest.raises(TypeError, match="depth must be an integer"):
        draw_initialisation("He", "relu", depth=3.0, width=10)
    with pytest.raises(TypeError, match="depth must be an integer"):
        draw_initialisation("He", "relu", depth=[3], width=10)


def test_exploding_activations_get_a_symmetric_log_axis() -> None:
    fig, _ = draw_initialisation("N(0, 1)", "relu", depth=20)
    assert fig.axes[0].get_yscale() == "symlog"
    fig, _ = draw_initialisation("He", "relu", depth=20)
    assert fig.axes[0].get_yscale() == "linear"


def test_frames_fit_the_budget(frames_explorer: Explorer) -> None:
    ex = frames_explorer
    frames = frames_of(ex.display_area)
    assert ex.frame_count == len(frames) == len(INIT_SCHEMES) * 3 == 12
    assert ex.page_weight <= DEFAULT_BUDGET_BYTES // 4
    assert all(bytes(f.children[0].value).startswith(PNG) for f in frames)
    assert len(ex.widgets) == 2  # depth and width are fixed on the static page
    texts = [f.children[1].value for f in frames]
    assert all("hidden layers = 20" in t and "width = 100" in t for t in texts)
    assert "initialisation = Xavier · activation = tanh" in texts[frames.index(
        ex.display_area.children[ex.display_area.selected_index].children[
            ex.display_area.children[ex.display_area.selected_index].selected_index])]


def test_live_explorer_redraws_when_a_control_moves() -> None:
    ex = initialisation_explorer(mode="live")
    assert [c.name for c in ex.controls] == ["scheme", "activation", "depth", "width"]
    assert len(ex.widgets) == 4
    first = ex.image.value
    assert "initialisation = Xavier" in ex.caption.value
    ex.widgets[0].value = "N(0, 1)"
    assert ex.image.value != first
    assert "initialisation = N(0, 1)" in ex.caption.value
    ex.widgets[2].value = 5
    assert "hidden layers = 5" in ex.caption.value
    ex.widgets[1].value = "leaky_relu"
    assert "activation = leaky_relu" in ex.caption.value
    assert "zeros in last layer" in ex.caption.value
