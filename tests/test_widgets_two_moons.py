"""The two-moons trainer: frames and budget, divergence, invalid settings, live redraws."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from widget_frames import PNG, frames_of

from nndl_book.engine import MLP
from nndl_book.engine.train import train
from nndl_book.plots import figure_to_png
from nndl_book.training.moons import MoonsSetting, fit_moons, moons_split
from nndl_book.widgets import Control, Explorer
from nndl_book.widgets.explorer import DEFAULT_BUDGET_BYTES
from nndl_book.widgets.two_moons import draw_two_moons, two_moons_trainer


def texts_of(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.fixture(scope="module")
def frames_explorer() -> Explorer:
    return two_moons_trainer(mode="frames")


# --------------------------------------------------------------------------- data


def test_moons_split_is_the_seeded_120_40_split() -> None:
    (X, y), (X_dev, y_dev) = moons_split(0)
    assert X.shape == (120, 2) and y.shape == (120,)
    assert X_dev.shape == (40, 2) and y_dev.shape == (40,)
    assert set(np.unique(y)) == {0, 1}
    again = moons_split(0)
    assert again[0][0] is X  # cached
    other = moons_split(1)
    assert not np.array_equal(other[0][0], X)


# --------------------------------------------------------------------------- frames


def test_frames_are_24_within_the_page_budget(frames_explorer: Explorer) -> None:
    ex = frames_explorer
    frames = frames_of(ex.display_area)
    assert ex.frame_count == len(frames) == 2 * 3 * 4
    assert all(bytes(f.children[0].value).startswith(PNG) for f in frames)
    assert ex.page_weight <= DEFAULT_BUDGET_BYTES
    assert "24 precomputed frames" in repr(ex)
    # only the three controls with several values are shown on the static page
    assert [c.name for c in ex.varying] == ["hidden", "activation", "lr"]


def test_default_frame_is_the_2_5_1_tanh_network(frames_explorer: Explorer) -> None:
    ex = frames_explorer
    assert ex.params["hidden"] == 5 and ex.params["activation"] == "tanh"
    assert ex.params["lr"] == 1.0
    hidden, activation, lr = (widget.value for widget in ex.widgets)
    assert (hidden, activation, lr) == (5, "tanh", 1.0)


def test_a_static_frame_shows_divergence(frames_explorer: Explorer) -> None:
    captions = [f.children[1].value for f in frames_of(frames_explorer.display_area)]
    diverged = [c for c in captions if "diverged at epoch" in c]
    assert diverged, "no precomputed frame shows a diverging run"
    assert all("learning rate = 1000" in c for c in diverged)
    # the others report accuracies
    assert sum("dev accuracy" in c for c in captions) == len(captions) - len(diverged)


# --------------------------------------------------------------------------- divergence


def test_divergence_is_drawn_not_raised() -> None:
    fig, numbers = draw_two_moons(hidden=5, activation="relu", lr=1000.0)
    epoch = numbers["diverged at epoch"]
    assert isinstance(epoch, int) and 1 < epoch <= 300
    texts = " ".join(texts_of(fig))
    assert f"diverged at epoch {epoch}" in texts
    assert "diverged at" in texts and f"epoch {epoch}" in texts
    assert figure_to_png(fig, exact=False).startswith(PNG)


def test_a_run_that_does_not_diverge_reports_accuracies() -> None:
    fig, numbers = draw_two_moons(hidden=5, activation="sigmoid", lr=1000.0)
    assert "diverged at epoch" not in numbers
    assert 0.0 <= float(numbers["dev accuracy"]) <= 1.0
    assert not any("diverged" in t for t in texts_of(fig))


def test_deep_networks_and_other_activations_draw() -> None:
    for activation in ("leaky_relu", "elu", "gelu"):
        fig, numbers = draw_two_moons(hidden=3, depth=2, activation=activation, lr=0.3,
                                      epochs=30)
        assert isinstance(fig, Figure) and numbers


# --------------------------------------------------------------------------- invalid settings


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"depth": 0}, ValueError, "depth must be at least 1"),
        ({"hidden": 0}, ValueError, "hidden"),
        ({"lr": -1.0}, ValueError, "lr"),
        ({"lr": 0.0}, ValueError, "lr"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"activation": "swish"}, ValueError, "activation"),
        ({"hidden": 2.5}, TypeError, "hidden"),
        ({"data_seed": 0.5}, TypeError, "data_seed"),
        ({"width": 3}, TypeError, "unexpected keyword argument 'width'"),
    ],
)
def test_invalid_settings_raise_clear_errors(kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        draw_two_moons(**kwargs)


def test_fit_moons_takes_a_setting() -> None:
    with pytest.raises(TypeError, match="setting must be a MoonsSetting, got dict"):
        fit_moons({"hidden": 5})


def test_invalid_setting_gives_a_message_frame() -> None:
    ex = Explorer(draw_two_moons, [Control("depth", [0, 1]), Control("epochs", [20])],
                  mode="frames")
    bad, good = frames_of(ex.display_area)
    assert bytes(bad.children[0].value).startswith(PNG)
    assert bad.children[0].value != good.children[0].value
    assert "depth = 0" in bad.children[1].value
    assert "accuracy" not in bad.children[1].value
    assert "dev accuracy" in good.children[1].value


# --------------------------------------------------------------------------- live mode


def test_live_redraw_changes_the_image() -> None:
    ex = two_moons_trainer(mode="live", debounce=0.0)
    first_image, first_caption = ex.image.value, ex.caption.value
    assert bytes(first_image).startswith(PNG)
    controls = {c.name: widget for c, widget in zip(ex.controls, ex.widgets)}
    assert controls["lr"].options[-1][1] == 1000.0  # live values reach the diverging rate
    controls["lr"].value = 10.0  # no running event loop: the redraw happens at once
    assert ex.params["lr"] == 10.0
    assert ex.image.value != first_image
    assert ex.caption.value != first_caption and "learning rate = 10" in ex.caption.value
    controls["seed"].value = 3
    assert "initialisation seed = 3" in ex.caption.value


# --------------------------------------------------------------------------- determinism


def test_same_settings_give_the_same_picture_and_numbers() -> None:
    fig_a, numbers_a = draw_two_moons(hidden=5, activation="tanh", lr=1.0, epochs=100)
    fig_b, numbers_b = draw_two_moons(hidden=5, activation="tanh", lr=1.0, epochs=100)
    assert numbers_a == numbers_b
    assert figure_to_png(fig_a) == figure_to_png(fig_b)


def test_the_seed_changes_the_run() -> None:
    _, a = draw_two_moons(hidden=5, activation="tanh", lr=1.0, epochs=100, seed=0)
    _, b = draw_two_moons(hidden=5, activation="tanh", lr=1.0, epochs=100, seed=1)
    assert a != b


# --------------------------------------------------------------------------- kept runs


def _trained_afresh(hidden: int, activation: str, lr: float, epochs: int) -> tuple:
    (X, y), dev = moons_split(0)
    init = "he_uniform" if activation == "relu" else "xavier_uniform"
    model = MLP([2, hidden, 1], activation, init=init, rng=0)
    return model, train(model, X, y, lr=lr, epochs=epochs, dev=dev)


@pytest.mark.parametrize(("activation", "lr"), [("tanh", 1.0), ("relu", 1000.0)])
def test_kept_runs_give_what_training_afresh_gives(activation: str, lr: float) -> None:
    # longer, shorter, in between and again: each answer comes from a kept run or continues one
    for epochs in (300, 30, 1000, 100, 2, 1000):
        model, history = fit_moons(MoonsSetting(5, 1, activation, lr, epochs))
        fresh_model, fresh_history = _trained_afresh(5, activation, lr, epochs)
        assert history == fresh_history
        for got, want in zip(model.parameters(), fresh_model.parameters(), strict=True):
            np.testing.assert_array_equal(got, want)


def test_a_kept_run_is_not_changed_by_its_caller() -> None:
    model, history = fit_moons(MoonsSetting(3, 1, "tanh", 0.3, 50))
    model.parameters()[0][...] = 0.0
    history.train_loss.clear()
    again_model, again_history = fit_moons(MoonsSetting(3, 1, "tanh", 0.3, 50))
    assert again_history.epochs == 50
    assert np.any(again_model.parameters()[0] != 0.0)
