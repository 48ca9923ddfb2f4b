"""The explorer API: frames for every combination, links, budget, messages, live redraws."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from widget_frames import PNG, frames_of

from nndl_book.widgets import Control, Explorer, format_value


def line_plot(slope=1.0, shift=0.0, kind="line"):
    fig = Figure(figsize=(2, 1.5))
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 20)
    ax.plot(x, slope * x + shift, "o-" if kind == "dots" else "-")
    return fig, {"end value": slope + shift}


def captions(explorer: Explorer) -> list[str]:
    return [frame.children[1].value for frame in frames_of(explorer.display_area)]


@pytest.mark.parametrize("n_controls", [1, 2, 3])
def test_frames_are_the_product_of_the_controls(n_controls: int) -> None:
    controls = [Control("slope", [0.5, 1.0, 2.0]), Control("shift", [0.0, 1.0]),
                Control("kind", ["line", "dots"])][:n_controls]
    ex = Explorer(line_plot, controls, mode="frames")
    expected = int(np.prod([len(c.values) for c in controls]))
    frames = frames_of(ex.display_area)
    assert len(frames) == ex.frame_count == expected
    assert all(bytes(f.children[0].value).startswith(PNG) for f in frames)
    assert ex.page_weight > sum(len(f.children[0].value) for f in frames)  # base64 + captions


def test_each_frame_is_drawn_with_its_own_values() -> None:
    ex = Explorer(line_plot, [Control("slope", [0.5, 2.0]), Control("shift", [0.0, 1.0])],
                  mode="frames")
    texts = captions(ex)
    assert "slope = 0.5 · shift = 0" in texts[0]
    assert "slope = 0.5 · shift = 1" in texts[1]
    assert "slope = 2 · shift = 0" in texts[2]
    assert "end value: 3" in texts[3]


def test_controls_are_linked_in_the_browser_to_every_stack() -> None:
    ex = Explorer(line_plot, [Control("slope", [0.5, 1.0, 2.0]), Control("shift", [0.0, 1.0])],
                  mode="frames")
    outer = ex.display_area
    targets = {(id(link.source[0]), id(link.target[0])) for link in ex.links}
    assert len(ex.links) == 1 + len(outer.children)
    assert (id(ex.widgets[0]), id(outer)) in targets
    for inner in outer.children:
        assert (id(ex.widgets[1]), id(inner)) in targets
    assert outer.selected_index == ex.widgets[0].index == 1
    assert [inner.selected_index for inner in outer.children] == [0, 0, 0]


def test_defaults_choose_the_first_frame_shown() -> None:
    ex = Explorer(line_plot, [Control("slope", [0.5, 1.0, 2.0])], defaults={"slope": 2.0},
                  mode="frames")
    assert ex.display_area.selected_index == 2
    assert ex.widgets[0].value == 2.0


def test_budget_is_enforced() -> None:
    with pytest.raises(ValueError, match="budget_bytes=5000"):
        Explorer(line_plot, [Control("slope", [0.5, 1.0, 2.0, 3.0])], mode="frames",
                 budget_bytes=5000)


def test_too_many_frames_is_refused_before_drawing() -> None:
    calls = []

    def draw(a, b):
        calls.append((a, b))
        return line_plot()

    with pytest.raises(ValueError, match="max_frames=10"):
        Explorer(draw, [Control("a", list(range(5))), Control("b", list(range(5)))],
                 mode="frames", max_frames=10)
    assert calls == []


def test_invalid_setting_shows_a_message_not_a_traceback() -> None:
    def draw(lr):
        if lr > 1:
            raise ValueError(f"learning rate {lr} is too large for this demo")
        return line_plot(lr)

    ex = Explorer(draw, [Control("lr", [0.5, 2.0])], mode="frames")
    frames = frames_of(ex.display_area)
    assert len(frames) == 2 and all(bytes(f.children[0].value).startswith(PNG) for f in frames)
    assert frames[0].children[0].value != frames[1].children[0].value


def test_other_errors_are_not_hidden() -> None:
    def draw(lr):
        raise KeyError("bug")

    with pytest.raises(KeyError):
        Explorer(draw, [Control("lr", [0.5])], mode="frames")


def test_live_mode_redraws_on_change_and_offers_finer_values() -> None:
    calls = []

    def draw(slope):
        calls.append(slope)
        return line_plot(slope)

    ex = Explorer(draw, [Control("slope", [0.5, 2.0], live_values=[0.5, 1.0, 1.5, 2.0])],
                  mode="live")
    assert ex.widgets[0].options == (("0.5", 0.5), ("1", 1.0), ("1.5", 1.5), ("2", 2.0))
    first = ex.image.value
    ex.widgets[0].value = 1.5
    assert calls == [0.5, 1.5]
    assert ex.image.value != first
    assert "slope = 1.5" in ex.caption.value


def test_mode_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNDL_BOOK_FRAMES", "1")
    assert Explorer(line_plot, [Control("slope", [1.0])]).mode == "frames"
    monkeypatch.delenv("NNDL_BOOK_FRAMES")
    assert Explorer(line_plot, [Control("slope", [1.0])]).mode == "live"


def test_repr_is_short_and_stable() -> None:
    ex = Explorer(line_plot, [Control("slope", [0.5, 1.0]), Control("shift", [0.0, 1.0])],
                  mode="frames", title="Lines")
    assert repr(ex) == "Lines (2 × 2 = 4 precomputed frames)"


def test_format_value() -> None:
    shown = [format_value(v) for v in [3, 0.1, 1e-5, 2.0, "relu"]]
    assert shown == ["3", "0.1", "1e-05", "2", "relu"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"draw": 3}, TypeError, "draw must be a callable"),
        ({"controls": []}, TypeError, "controls must be a non-empty list"),
        ({"controls": [Control("a", [1]), Control("a", [2])]}, ValueError, "distinct names"),
        ({"mode": "static"}, ValueError, "mode must be one of"),
        ({"defaults": {"b": 1}}, ValueError, "defaults name no control"),
        ({"defaults": {"a": 7}}, ValueError, r"defaults\['a'\] = 7 is not one of"),
        ({"budget_bytes": 0}, ValueError, "budget_bytes must be an integer >= 1"),
        ({"controls": [Control(n, [1, 2]) for n in "abcd"]}, ValueError, "one to three"),
    ],
)
def test_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    args = {"draw": lambda **p: line_plot(), "controls": [Control("a", [1, 2])], "mode": "frames"}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        Explorer(args.pop("draw"), args.pop("controls"), **args)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("1a", [1]), ValueError, "identifier"),
        (("a", "abc"), TypeError, "values must be a list"),
        (("a", []), ValueError, "values must not be empty"),
        (("a", [0.1, 0.10000001]), ValueError, "distinct as shown"),
    ],
)
def test_bad_controls(args: tuple, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        Control(*args)


def test_single_value_controls_are_fixed_in_frames_and_free_when_live() -> None:
    controls = [Control("slope", [0.5, 2.0]), Control("shift", [1.0], live_values=[0.0, 1.0])]
    frames = Explorer(line_plot, controls, mode="frames")
    assert len(frames.widgets) == 1 and frames.frame_count == 2
    assert all("shift = 1" in text for text in captions(frames))
    live = Explorer(line_plot, controls, mode="live")
    assert len(live.widgets) == 2 and live.params["shift"] == 1.0


def test_live_changes_are_debounced_into_one_redraw() -> None:
    import asyncio

    calls = []

    def draw(slope):
        calls.append(slope)
        return line_plot(slope)

    async def scenario() -> Explorer:
        ex = Explorer(draw, [Control("slope", [0.5, 1.0, 1.5, 2.0])], mode="live",
                      debounce=0.05)
        shown = ex.image.value
        for value in (1.0, 1.5, 2.0):
            ex.widgets[0].value = value
        assert ex.image.value == shown  # the last frame stays until the redraw
        await asyncio.sleep(0.2)
        return ex

    ex = asyncio.run(scenario())
    assert calls == [1.0, 2.0]  # the initial draw, then one redraw for the last value
    assert "slope = 2" in ex.caption.value
