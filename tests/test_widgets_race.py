"""The optimizer race: frames within budget, divergence as a message, clear errors, live redraws."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from widget_frames import PNG, frames_of

from nndl_book.engine.landscapes import get_landscape
from nndl_book.engine.race import (
    BASE_LR,
    OPTIMIZER_NAMES,
    STEPS,
    finish_step,
    race_path,
    run_race,
)
from nndl_book.widgets.explorer import DEFAULT_BUDGET_BYTES
from nndl_book.widgets.race import draw_race, optimizer_race


@pytest.fixture(scope="module")
def race_frames():
    return optimizer_race(mode="frames")


def test_frames_cover_landscapes_and_factors_within_budget(race_frames):
    ex = race_frames
    frames = frames_of(ex.display_area)
    assert ex.frame_count == len(frames) == 9
    assert all(bytes(f.children[0].value).startswith(PNG) for f in frames)
    assert ex.page_weight <= DEFAULT_BUDGET_BYTES
    assert [c.name for c in ex.varying] == ["landscape", "lr_factor"]
    assert ex.widgets[0].value == "rosenbrock" and ex.widgets[1].value == 1.0
    captions = [f.children[1].value for f in frames]
    assert "landscape = quadratic · learning rate × tuned = 0.5" in captions[0]
    assert "Adam: finished at step" in captions[4]  # Rosenbrock at the tuned rates


def test_every_landscape_has_a_tuned_rate_for_every_optimizer():
    for landscape, rates in BASE_LR.items():
        assert set(rates) == set(OPTIMIZER_NAMES)
        assert landscape in STEPS


def test_tuned_rates_stay_in_the_window_and_survive_doubling():
    for landscape in ("quadratic", "rosenbrock"):
        land = get_landscape(landscape)
        for name, lr in BASE_LR[landscape].items():
            path, diverged_at = race_path(land, name, lr, STEPS[landscape])
            assert diverged_at is None
            assert np.all((path >= [land.xlim[0], land.ylim[0]])
                          & (path <= [land.xlim[1], land.ylim[1]])), (landscape, name)
            assert race_path(land, name, 2 * lr, STEPS[landscape])[1] is None, (landscape, name)


def test_gradient_descent_is_slower_than_momentum_and_adam_on_rosenbrock():
    _, numbers = draw_race(landscape="rosenbrock")
    assert numbers["gradient descent"].startswith("not in 1500 steps")
    assert numbers["momentum μ=0.9"].startswith("finished at step")
    assert numbers["Adam"].startswith("finished at step")


@pytest.mark.parametrize("momentum", [1.1, 1.5])
def test_momentum_above_one_is_reported_as_divergence(momentum):
    fig, numbers = draw_race(optimizer="momentum", momentum=momentum, landscape="quadratic")
    assert isinstance(fig, Figure)
    assert numbers[f"momentum μ={momentum:g}"].startswith("diverged at step")
    assert numbers["gradient descent"].startswith("finished at step")


def test_divergence_in_the_race_is_reported_not_raised():
    with np.errstate(all="raise"):  # the race must not trip over overflow either
        _, numbers = draw_race(landscape="quadratic", lr_factor=8.0)
    assert numbers["gradient descent"].startswith("diverged at step")


def test_race_path_cuts_a_diverging_run_before_it_leaves_the_finite_numbers():
    path, diverged_at = race_path("quadratic", "sgd", 0.5, 500)
    assert diverged_at is not None and len(path) == diverged_at
    assert np.all(np.isfinite(path))


def test_finish_step_on_the_saddle_is_the_escape():
    land = get_landscape("saddle")
    path = np.array([[-1.5, 0.001], [-1.0, 0.5], [-0.5, 1.2], [0.0, 3.0]])
    assert finish_step(land, path) == 2
    assert finish_step(get_landscape("quadratic"), path) is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'; expected one of"),
        ({"landscape": "himmelblau"}, "unknown landscape 'himmelblau'; expected one of"),
        ({"lr_factor": -1.0}, "lr_factor must be"),
        ({"steps": 0}, "steps must be an integer >= 1"),
    ],
)
def test_bad_settings_give_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        draw_race(**kwargs)


def test_unknown_names_in_the_explorer_are_refused_clearly():
    with pytest.raises(ValueError, match=r"optimizer must be one of \['all', 'sgd', .*got 'lbfgs'"):
        optimizer_race(mode="live", defaults={"optimizer": "lbfgs"})


def test_live_mode_offers_every_optimizer_and_redraws():
    ex = optimizer_race(mode="live", defaults={"landscape": "quadratic", "lr_factor": 1.0,
                                               "optimizer": "all", "momentum": 0.9})
    controls = {c.name: widget for c, widget in zip(ex.controls, ex.widgets, strict=True)}
    offered = [value for _, value in controls["optimizer"].options]
    assert offered == ["all", *OPTIMIZER_NAMES]
    assert 1.1 in [value for _, value in controls["momentum"].options]
    first = ex.image.value
    controls["optimizer"].value = "momentum"
    controls["momentum"].value = 1.1
    assert bytes(ex.image.value).startswith(PNG) and ex.image.value != first
    assert "momentum μ=1.1: diverged at step" in ex.caption.value


def test_kept_runs_match_fresh_paths_and_momentum_reruns_only_its_optimizers() -> None:
    first = run_race("quadratic", "all", 1.5, 0.5)
    again = run_race("quadratic", "all", 1.5, 0.0)
    for a, b in zip(first, again, strict=True):
        if a.name in ("momentum", "nesterov"):
            assert a is not b and a.label != b.label
        else:
            assert a is b  # kept: momentum does not change it
        path, diverged_at = race_path("quadratic", b.name, b.lr, STEPS["quadratic"], 0.0)
        np.testing.assert_array_equal(b.path, path)
        assert b.diverged_at == diverged_at
        with pytest.raises(ValueError, match="read-only"):
            b.path[0, 0] = 1.0
    single = run_race("quadratic", "adam", 1.5, 0.5)
    assert [r.name for r in single] == ["sgd", "adam"] and single[1] is first[-1]
