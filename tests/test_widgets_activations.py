"""The activation explorer: frames and page weight, dead units, parameters, errors, live mode."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure
from widget_frames import PNG, frames_of

from nndl_book.engine.probes import dead_units, layer_preactivations
from nndl_book.maths.activations import ACTIVATIONS
from nndl_book.plots import figure_to_png
from nndl_book.widgets.activations import (
    FRAME_ACTIVATIONS,
    FRAME_BIASES,
    activation_explorer,
    draw_activation,
)
from nndl_book.widgets.explorer import DEFAULT_BUDGET_BYTES


def expected_dead_fraction(derivative, bias: float, seed: int = 0) -> float:
    """The documented recipe, written out independently of the module."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(500, 20))
    W = rng.normal(scale=math.sqrt(1 / 20), size=(100, 20))
    z = x @ W.T + bias
    return float(np.mean(np.all(derivative(z) == 0.0, axis=0)))


@pytest.fixture(scope="module")
def frames_explorer():
    return activation_explorer(mode="frames")


def test_frames_cover_the_grid_within_the_page_budget(frames_explorer) -> None:
    ex = frames_explorer
    frames = frames_of(ex.display_area)
    assert ex.frame_count == len(frames) == len(FRAME_ACTIVATIONS) * len(FRAME_BIASES) == 36
    assert all(bytes(f.children[0].value).startswith(PNG) for f in frames)
    assert ex.page_weight <= DEFAULT_BUDGET_BYTES
    assert ex.page_weight < 0.5 * DEFAULT_BUDGET_BYTES  # room to spare: about 6 kB a frame
    assert repr(ex) == "Activation functions and dead units (9 × 4 = 36 precomputed frames)"


def test_frames_show_the_default_and_are_linked(frames_explorer) -> None:
    ex = frames_explorer
    activation, bias = ex.widgets
    assert (activation.value, bias.value) == ("relu", 0.0)
    assert len(ex.links) == 1 + len(FRAME_ACTIVATIONS)
    captions = [f.children[1].value for f in frames_of(ex.display_area)]
    relu_minus_3 = FRAME_ACTIVATIONS.index("relu") * len(FRAME_BIASES) + FRAME_BIASES.index(-3.0)
    assert "activation = relu · layer bias b = -3" in captions[relu_minus_3]
    assert "dead units: 61 of 100" in captions[relu_minus_3]


def test_dead_fraction_of_relu_with_a_negative_bias() -> None:
    expected = expected_dead_fraction(lambda z: (z > 0).astype(float), bias=-3.0)
    assert dead_units("relu", bias=-3.0) == pytest.approx(expected, abs=0)
    assert expected > 0.5  # z ~ N(-3, 1) per unit: most units never see a positive input
    _, numbers = draw_activation("relu", bias=-3.0)
    assert numbers["dead units"] == f"{round(100 * expected)} of 100"


def test_no_dead_units_without_a_flat_region() -> None:
    for name in ("leaky_relu", "elu", "sigmoid", "softplus", "swish", "gelu"):
        assert dead_units(name, bias=-3.0) == 0.0, name
    assert dead_units("relu", bias=0.0) == 0.0


def test_hard_saturation_kills_units_too() -> None:
    expected = expected_dead_fraction(lambda z: ((z > -1) & (z < 1)).astype(float), bias=-4.0)
    assert dead_units("hard_tanh", bias=-4.0) == expected > 0.3


def test_layer_preactivations_follow_the_documented_recipe() -> None:
    z = layer_preactivations(-2.0, seed=3)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(500, 20))
    W = rng.normal(scale=math.sqrt(1 / 20), size=(100, 20))
    np.testing.assert_allclose(z, x @ W.T - 2.0, rtol=0, atol=1e-12)
    z[:] = 0.0  # the caller's copy: the cached layer is not touched
    assert np.all(layer_preactivations(0.0, seed=3) != 0.0)


def test_parameter_default_and_override() -> None:
    _, default = draw_activation("leaky_relu", bias=-3.0)
    _, named = draw_activation("leaky_relu", "default", bias=-3.0)
    _, chosen = draw_activation("leaky_relu", 0.5, bias=-3.0)
    assert default == named
    assert default["parameter used"] == "α = 0.01"
    assert chosen["parameter used"] == "α = 0.5"
    assert float(chosen["mean f′(z) over the layer"]) > float(default["mean f′(z) over the layer"])
    _, swish = draw_activation("swish", 2.0)
    assert swish["parameter used"] == "β = 2"


def test_parameter_is_ignored_by_activations_without_one() -> None:
    fig_a, numbers_a = draw_activation("sigmoid", None, -1.0)
    fig_b, numbers_b = draw_activation("sigmoid", 5.0, -1.0)
    assert numbers_a == numbers_b and "parameter used" not in numbers_a
    assert figure_to_png(fig_a) == figure_to_png(fig_b)


def test_every_activation_draws_both_panels() -> None:
    for name in ACTIVATIONS:
        fig, numbers = draw_activation(name, bias=-1.0)
        texts = [t.get_text() for t in fig.texts]
        assert isinstance(fig, Figure), name
        assert any(t.endswith(":  f(z)") for t in texts), name
        assert "f′(z) over the layer's z (grey), bias −1" in texts, name
        assert f"dead units: {numbers['dead units']}" in texts, name
        assert set(numbers) >= {"dead units", "mean f′(z) over the layer"}


def test_flat_regions_are_shaded_and_labelled() -> None:
    relu = [t.get_text() for t in draw_activation("relu")[0].texts]
    gelu = [t.get_text() for t in draw_activation("gelu")[0].texts]
    assert "shaded: f′(z) = 0" in relu and "shaded: f′(z) = 0" not in gelu


def test_drawing_is_deterministic() -> None:
    one = figure_to_png(draw_activation("gelu", bias=-2.0)[0], colours=64)
    two = figure_to_png(draw_activation("gelu", bias=-2.0)[0], colours=64)
    assert one == two and one.startswith(PNG)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"name": "relu6"}, ValueError, r"unknown activation 'relu6'; expected one of \[.*'relu'"),
        ({"name": 3}, TypeError, "activation must be a string"),
        ({"name": "elu", "parameter": -1.0}, ValueError, "ELU needs a positive α"),
        ({"name": "elu", "parameter": 0.0}, ValueError, "ELU needs a positive α"),
        ({"name": "swish", "parameter": "big"}, ValueError, "parameter must be a number"),
        ({"name": "swish", "parameter": math.inf}, ValueError, "parameter must be a finite"),
        ({"name": "relu", "bias": math.nan}, ValueError, "bias must be a number"),
        ({"name": "relu", "bias": -math.inf}, ValueError, "bias must be a finite number"),
        ({"name": "relu", "bias": "low"}, TypeError, "bias must be a number"),
        ({"name": "relu", "seed": -1}, ValueError, "seed must be an integer >= 0"),
        ({"name": "relu", "seed": 1.5}, TypeError, "seed must be an integer"),
    ],
)
def test_invalid_input_gives_a_clear_error(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        draw_activation(**kwargs)


def test_live_mode_redraws_and_offers_every_activation() -> None:
    ex = activation_explorer(mode="live")
    activation, bias, parameter = ex.widgets
    assert [v for _, v in activation.options] == [n for n in ACTIVATIONS if n != "identity"]
    assert "dead units: 0 of 100" in ex.caption.value
    first = ex.image.value
    bias.value = -3.0  # no running event loop: the redraw happens at once
    assert "layer bias b = -3" in ex.caption.value
    assert "dead units: 61 of 100" in ex.caption.value
    assert ex.image.value != first
    activation.value = "leaky_relu"
    parameter.value = 0.25
    assert "dead units: 0 of 100" in ex.caption.value
    assert "parameter used: α = 0.25" in ex.caption.value
    assert bytes(ex.image.value).startswith(PNG)


def test_an_invalid_setting_is_shown_as_a_message_not_a_traceback() -> None:
    ex = activation_explorer(mode="live")
    png, caption = ex.render({"activation": "elu", "bias": 0.0, "parameter": -1.0})
    assert png.startswith(PNG) and png != ex.image.value
    assert "dead units" not in caption  # the message frame has no numbers
