"""Speed figures of nndl_book, printed side by side: ``make bench``.

1. One training step of the 2-5-1 sigmoid MLP on 200 two-moons points, full batch:
   the numpy engine vs torch (goal: numpy at least 3x faster).
2. ``Runner.fit`` vs a bare torch loop on the same task (goal: at most 1.2x its time).
3. One live update of the two-moons trainer: 300 epochs and a redraw (goal: median <= 100 ms).
4. Time and page weight to precompute each ready-made explorer (budget: 1 MB each).

Comparisons 1 and 2 time CPU, alternating the two sides, and report the median ratio; 3 is
wall-clock time, the wait a reader sees.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

from nndl_book.data import make_moons
from nndl_book.engine import MLP
from nndl_book.engine.train import train
from nndl_book.plots import figure_to_png
from nndl_book.training import Runner, build_mlp
from nndl_book.widgets.activations import activation_explorer
from nndl_book.widgets.explorer import DEFAULT_BUDGET_BYTES
from nndl_book.widgets.initialisation import initialisation_explorer
from nndl_book.widgets.race import optimizer_race
from nndl_book.widgets.two_moons import draw_two_moons, two_moons_trainer


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median and spread (max - min) of ``repeats`` calls, in wall-clock seconds."""
    fn()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times) - min(times)


def paired_times(
    a: Callable[[], object], b: Callable[[], object], repeats: int
) -> tuple[float, float, float]:
    """Median CPU seconds of ``a`` and of ``b``, run alternately, and the median ratio b / a.

    Alternating the two and timing CPU rather than wall-clock time keeps the ratio steady when
    other work on the machine comes and goes.
    """
    a(), b()  # warm up
    times_a, times_b, ratios = [], [], []
    for _ in range(repeats):
        start = time.process_time()
        a()
        mid = time.process_time()
        b()
        end = time.process_time()
        times_a.append(mid - start)
        times_b.append(end - mid)
        ratios.append((end - mid) / (mid - start))
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios)


def bench_steps(epochs: int, repeats: int) -> None:
    X, y = make_moons(200, noise=0.2, rng=0)

    def numpy_run() -> None:
        train(MLP([2, 5, 1], "sigmoid", rng=0), X, y, lr=0.5, epochs=epochs)

    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)

    def torch_run() -> None:
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.Sigmoid(), torch.nn.Linear(5, 1))
        opt = torch.optim.SGD(net.parameters(), lr=0.5)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        for _ in range(epochs):
            opt.zero_grad()
            loss = loss_fn(net(Xt).squeeze(1), yt)
            loss.backward()
            opt.step()

    t_np, t_torch, ratio = paired_times(numpy_run, torch_run, repeats)
    print("1. one full-batch training step, 2-5-1 sigmoid MLP, 200 two-moons points (CPU time)")
    for name, t in [("numpy engine", t_np), ("torch", t_torch)]:
        print(f"   {name:13s} {1e6 * t / epochs:8.1f} µs/step")
    print(f"   numpy is {ratio:.2f}x faster than torch (goal >= 3x): "
          f"{'met' if ratio >= 3 else 'NOT met'}")


def bench_runner(epochs: int, repeats: int) -> None:
    X, y = make_moons(200, noise=0.2, rng=0)
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)

    def bare() -> None:
        net = build_mlp([2, 5, 1], "sigmoid", seed=0)
        opt = torch.optim.SGD(net.parameters(), lr=0.5)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        losses = []
        for _ in range(epochs):
            opt.zero_grad()
            loss = loss_fn(net(Xt).squeeze(1), yt)
            loss.backward()
            opt.step()
            losses.append(loss.item())

    def runner() -> None:
        net = build_mlp([2, 5, 1], "sigmoid", seed=0)
        opt = torch.optim.SGD(net.parameters(), lr=0.5)
        Runner(net, torch.nn.BCEWithLogitsLoss(), opt).fit((Xt, yt), epochs=epochs,
                                                            progress=False)

    t_bare, t_runner, ratio = paired_times(bare, runner, repeats)
    print("2. Runner.fit vs a bare torch loop (same task, full batch, loss recorded each epoch;"
          " CPU time)")
    print(f"   bare loop  {1e6 * t_bare / epochs:8.1f} µs/epoch")
    print(f"   Runner     {1e6 * t_runner / epochs:8.1f} µs/epoch")
    print(f"   Runner takes {ratio:.2f}x the bare loop's time (goal <= 1.2x): "
          f"{'met' if ratio <= 1.2 else 'NOT met'}")


def bench_live(repeats: int) -> None:
    def update() -> None:
        fig, _ = draw_two_moons(hidden=8, activation="tanh", lr=1.0, epochs=300)
        figure_to_png(fig, exact=False)

    t, spread = median_time(update, repeats)
    print("3. one live update of the two-moons trainer (300 epochs + redraw)")
    print(f"   median {1e3 * t:.0f} ms (spread {1e3 * spread:.0f} ms) (goal <= 100 ms): "
          f"{'met' if t <= 0.1 else 'NOT met'}")


def bench_explorers() -> None:
    print("4. precomputing the ready-made explorers (frames mode)")
    print(f"   {'explorer':28s} {'frames':>6s} {'seconds':>8s} {'page weight':>12s}"
          f" {'of budget':>10s}")
    for name, make in [("two-moons trainer", two_moons_trainer),
                       ("activation explorer", activation_explorer),
                       ("optimizer race", optimizer_race),
                       ("initialisation explorer", initialisation_explorer)]:
        start = time.perf_counter()
        explorer = make(mode="frames")
        seconds = time.perf_counter() - start
        share = explorer.page_weight / DEFAULT_BUDGET_BYTES
        print(f"   {name:28s} {explorer.frame_count:6d} {seconds:8.1f} "
              f"{explorer.page_weight / 1024:9.0f} KB {share:9.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 5 if args.quick else 21
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, numpy {np.__version__}, torch threads 1\n")
    bench_steps(epochs=300, repeats=repeats)
    print()
    bench_runner(epochs=300, repeats=repeats)
    print()
    bench_live(repeats=repeats)
    print()
    bench_explorers()


if __name__ == "__main__":
    main()
