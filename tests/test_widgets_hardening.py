"""Explorers never show a traceback: checked arguments, messages, a busy sign, live controls."""

from __future__ import annotations

import time

import pytest
from matplotlib.figure import Figure
from widget_frames import PNG

from nndl_book.widgets import Control, Explorer
from nndl_book.widgets.activations import activation_explorer
from nndl_book.widgets.explorer import BUSY_AFTER, BUSY_HTML
from nndl_book.widgets.initialisation import initialisation_explorer
from nndl_book.widgets.race import optimizer_race
from nndl_book.widgets.two_moons import draw_two_moons, two_moons_trainer

FACTORIES = [two_moons_trainer, activation_explorer, optimizer_race, initialisation_explorer]


def small_plot(a: float = 1.0) -> Figure:
    fig = Figure(figsize=(2, 1.5))
    fig.add_subplot().plot([0, 1], [0, a])
    return fig


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_unknown_arguments_are_refused_by_name(factory) -> None:
    with pytest.raises(TypeError, match=rf"{factory.__name__}\(\) got unknown argument\(s\) "
                                        r"\['colour_map'\]"):
        factory(colour_map="viridis", mode="live")


@pytest.mark.parametrize(("factory", "name", "value"), [
    (two_moons_trainer, "hidden", 2.5),
    (two_moons_trainer, "activation", "softmax"),
    (two_moons_trainer, "lr", "1"),
    (activation_explorer, "bias", float("nan")),
    (activation_explorer, "parameter", -1.0),
    (optimizer_race, "momentum", True),
    (initialisation_explorer, "depth", 0),
])
def test_a_start_value_the_control_does_not_offer_names_the_argument(factory, name, value) -> None:
    with pytest.raises(ValueError, match=rf"{factory.__name__}\(\): {name} must be one of "):
        factory(mode="live", **{name: value})


def test_a_start_value_sets_the_control_and_the_first_picture() -> None:
    ex = two_moons_trainer(mode="live", hidden=8, activation="relu")
    assert ex.params["hidden"] == 8 and ex.params["activation"] == "relu"
    assert ex.widgets[0].value == 8
    assert "hidden units = 8" in ex.caption.value


def test_start_values_in_frames_mode_must_be_frame_values() -> None:
    with pytest.raises(ValueError, match="hidden must be one of \\[2, 5\\]"):
        two_moons_trainer(mode="frames", hidden=8)


@pytest.mark.parametrize(("options", "match"), [
    ({"title": 5}, "title must be a string"),
    ({"defaults": [1, 2]}, "defaults must be a dict"),
    ({"mode": "static"}, "mode must be one of"),
])
def test_bad_explorer_options_are_clear(options, match) -> None:
    with pytest.raises((TypeError, ValueError), match=match):
        two_moons_trainer(**options)


def test_a_type_error_in_the_draw_function_is_a_message_in_both_modes() -> None:
    for mode in ("live", "frames"):
        ex = Explorer(draw_two_moons, [Control("hidden", [2.5])], mode=mode)
        png, caption = ex.render({"hidden": 2.5})
        assert png.startswith(PNG)
        assert "train accuracy" not in caption  # a message frame carries no numbers


def test_an_unexpected_error_is_a_message_with_a_kernel_and_raised_when_precomputing() -> None:
    def draw(a):
        if a > 1:
            raise KeyError("bug")
        return small_plot(a)

    ex = Explorer(draw, [Control("a", [1.0], live_values=[1.0, 2.0])], mode="live")
    first = ex.image.value
    ex.widgets[0].value = 2.0  # no exception escapes the callback
    assert ex.image.value != first and bytes(ex.image.value).startswith(PNG)
    assert ex.status.value == ""
    with pytest.raises(KeyError):
        Explorer(draw, [Control("a", [2.0])], mode="frames")


def test_the_busy_indicator_shows_during_an_update_and_only_after_half_a_second() -> None:
    seen = []

    def draw(a):
        seen.append(ex.status.value if a > 1 else None)
        return small_plot(a)

    ex = Explorer(draw, [Control("a", [1.0], live_values=[1.0, 2.0])], mode="live")
    assert ex.status.value == ""
    ex.widgets[0].value = 2.0
    assert seen[-1] == BUSY_HTML  # set while the figure is computed
    assert ex.status.value == ""  # and cleared when it is shown
    assert BUSY_AFTER == 0.5 and f"{BUSY_AFTER}s forwards" in BUSY_HTML
    assert "opacity:0" in BUSY_HTML  # invisible until the animation delay has passed


def test_the_busy_indicator_is_cleared_after_a_slow_update_that_fails() -> None:
    def draw(a):
        time.sleep(0.6 if a > 1 else 0)
        if a > 1:
            raise ValueError("too slow and wrong")
        return small_plot(a)

    ex = Explorer(draw, [Control("a", [1.0], live_values=[1.0, 2.0])], mode="live")
    ex.widgets[0].value = 2.0
    assert ex.status.value == ""


def parameter_widget(ex: Explorer):
    return ex.widgets[[c.name for c in ex.controls].index("parameter")]


def test_the_alpha_beta_control_shows_only_for_an_activation_with_a_parameter() -> None:
    ex = activation_explorer(mode="live")
    assert ex.params["activation"] == "relu"
    assert parameter_widget(ex).layout.display == "none"
    assert "α or β" not in ex.caption.value
    ex.widgets[0].value = "leaky_relu"
    assert parameter_widget(ex).layout.display is None
    assert "α or β = default" in ex.caption.value
    ex.widgets[0].value = "tanh"
    assert parameter_widget(ex).layout.display == "none"


def test_the_static_page_neither_shows_nor_mentions_the_alpha_beta_control() -> None:
    ex = activation_explorer(mode="frames")
    assert [c.name for c in ex.varying] == ["activation", "bias"]
    stack = ex.display_area
    frames = []
    while stack is not None:
        frames.append(stack)
        stack = stack.children[0] if hasattr(stack, "selected_index") else None
    first = frames[-1]
    assert "α or β" not in first.children[1].value


def test_the_momentum_control_hides_when_no_optimizer_uses_it() -> None:
    ex = optimizer_race(mode="live", landscape="quadratic")
    names = [c.name for c in ex.controls]
    momentum = ex.widgets[names.index("momentum")]
    assert momentum.layout.display is None  # "all" races momentum and Nesterov
    ex.widgets[names.index("optimizer")].value = "adam"
    assert momentum.layout.display == "none"
    assert "momentum μ" not in ex.caption.value
    ex.widgets[names.index("optimizer")].value = "nesterov"
    assert momentum.layout.display is None
