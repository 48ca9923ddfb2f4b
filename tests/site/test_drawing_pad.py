"""The drawing pad of chapter 10 in chromium, offline: draw a stroke, check the network's answer.

The page must load with no failed or off-host request and no console error; a stroke drawn
with the mouse must give ten probabilities that sum to 1; the page's forward pass must equal a
numpy forward pass, computed here from the weights the page embeds, on the same 8x8 inputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Browser, Page

CHAPTER = "book/chapters/10_handwritten_digits.html"
PAD_BUDGET = 300 * 1024  # bytes the pad may add to the page


@pytest.fixture
def pad(browser: Browser, server: str, site_dir: Path) -> Iterator[tuple[Page, list[str]]]:
    if not (site_dir / CHAPTER).exists():
        pytest.fail(f"{CHAPTER} is not in the built site {site_dir}")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []

    def route(r) -> None:  # noqa: ANN001
        url = r.request.url
        if url.startswith((server, "data:", "blob:", "about:")):
            r.continue_()
        else:
            problems.append(f"request to another host: {url}")
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(f"{server}/{CHAPTER}", wait_until="load", timeout=90_000)
    page.wait_for_selector(".nndl-drawing-pad[data-ready]", timeout=30_000)
    yield page, problems
    page.close()


def numpy_forward(net: dict, pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hidden activations and probabilities, from the JSON weights the page holds."""
    a = (pixels - np.array(net["mean"])) / np.array(net["scale"])
    hidden = []
    layers = net["layers"]
    for i, layer in enumerate(layers):
        a = a @ np.array(layer["W"]).T + np.array(layer["b"])
        if i < len(layers) - 1:
            a = np.maximum(a, 0)
            hidden.append(a)
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return hidden[0], e / e.sum(axis=-1, keepdims=True)


def draw(page: Page, points: list[tuple[float, float]]) -> None:
    """Draw a stroke through points given as fractions of the canvas."""
    canvas = page.locator(".nndl-pad-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None, "the drawing canvas is not visible"
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=6)
    page.mouse.up()


def test_a_stroke_gives_ten_probabilities_that_sum_to_one(pad) -> None:
    page, problems = pad
    assert page.evaluate("nndlDigits.last") is None  # nothing drawn yet
    draw(page, [(0.5, 0.15), (0.52, 0.5), (0.5, 0.85)])  # a vertical stroke: a one
    last = page.evaluate("nndlDigits.last")
    assert last is not None, "drawing produced no prediction"
    probs = np.array(last["probs"])
    assert probs.shape == (10,) and np.all(probs >= 0)
    assert abs(probs.sum() - 1) < 1e-9
    shown = page.locator(".nndl-pad-value").all_inner_texts()
    assert [float(s) for s in shown] == pytest.approx(probs, abs=5e-4)  # the page shows them
    pixels = np.array(last["pixels"], dtype=float)
    assert pixels.shape == (64,) and pixels.min() >= 0 and pixels.max() <= 16
    assert pixels.sum() > 0 and np.all(pixels == np.round(pixels))  # black-pixel counts
    # the prediction on the page is the network's answer for the pixels it shows
    net = page.evaluate("nndlDigits.net")
    hidden, expected = numpy_forward(net, pixels)
    np.testing.assert_allclose(probs, expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(last["hidden"], hidden, rtol=0, atol=1e-6)
    assert page.get_attribute(".nndl-drawing-pad", "data-prediction") == str(expected.argmax())
    page.click(".nndl-pad-clear")
    assert page.evaluate("nndlDigits.last") is None
    assert not problems, problems


def test_page_forward_pass_equals_numpy(pad) -> None:
    page, problems = pad
    net = page.evaluate("nndlDigits.net")
    rng = np.random.default_rng(0)
    inputs = [np.zeros(64), np.full(64, 16.0), rng.integers(0, 17, size=64).astype(float)]
    inputs += [rng.uniform(0, 16, size=64) for _ in range(3)]
    for x in inputs:
        out = page.evaluate("x => nndlDigits.forward(x)", x.tolist())
        hidden, probs = numpy_forward(net, x)
        np.testing.assert_allclose(out["probs"], probs, rtol=0, atol=1e-6)
        np.testing.assert_allclose(out["hidden"][0], hidden, rtol=0, atol=1e-6)
        assert abs(sum(out["probs"]) - 1) < 1e-9
    assert not problems, problems


def test_the_pad_is_small(site_dir: Path) -> None:
    html = (site_dir / CHAPTER).read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="nndl-digits-weights">')
    weights = len(html[start:html.index("</script>", start)].encode())
    static = sum((site_dir / "_static" / name).stat().st_size
                 for name in ("nndl-drawing-pad.js", "nndl-drawing-pad.css"))
    assert weights + static <= PAD_BUDGET, f"the pad adds {weights + static} bytes"
