# ruff: noqa: E402 (the thread count is set before numpy is imported)
"""Speed figures of nndl_book, printed side by side: ``make bench``.

1. One training step of the 2-5-1 sigmoid MLP on 200 two-moons points, full batch:
   the numpy engine vs torch (goal: numpy at least 3x faster).
2. ``Runner.fit`` vs a bare torch loop on the same task (goal: at most 1.2x its time).
3. One live update of the two-moons trainer: 300 epochs and a redraw (goal: median <= 100 ms).
4. Time and page weight to precompute each ready-made explorer (budget: 1 MB each).
5. Live update time of every control of every explorer (goal: median <= 100 ms and 90th
   percentile <= 200 ms per control): each value the control offers is set in turn, several
   rounds, and the redraw it triggers timed, wall-clock and CPU.

Comparisons 1 and 2 time CPU, alternating the two sides, and report the median ratio; 3 is
wall-clock time, the wait a reader sees.
"""

from __future__ import annotations

import os

# One BLAS thread, as in the kernels that execute the book (Makefile KERNEL_ENV): on a busy
# two-core machine, OpenBLAS threads spinning over the small matrices of the explorers cost up
# to forty times the CPU time of one thread. Set before numpy is imported.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse
import itertools
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
from nndl_book.widgets.explorer import DEFAULT_BUDGET_BYTES, Explorer
from nndl_book.widgets.initialisation import initialisation_explorer
from nndl_book.widgets.race import optimizer_race
from nndl_book.widgets.two_moons import draw_two_moons, two_moons_trainer

EXPLORERS: list[tuple[str, Callable[..., Explorer]]] = [
    ("two-moons trainer", two_moons_trainer),
    ("activation explorer", activation_explorer),
    ("optimizer race", optimizer_race),
    ("initialisation explorer", initialisation_explorer),
]


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
    seeds = itertools.count(100)

    def update() -> None:  # a new seed each time: the trainer keeps the runs it has seen
        fig, _ = draw_two_moons(hidden=8, activation="tanh", lr=1.0, epochs=300,
                                seed=next(seeds))
        figure_to_png(fig, exact=False)

    t, spread = median_time(update, repeats)
    print("3. one live update of the two-moons trainer to a new setting (300 epochs + redraw)")
    print(f"   median {1e3 * t:.0f} ms (spread {1e3 * spread:.0f} ms) (goal <= 100 ms): "
          f"{'met' if t <= 0.1 else 'NOT met'}")


def bench_explorers() -> None:
    print("4. precomputing the ready-made explorers (frames mode)")
    print(f"   {'explorer':28s} {'frames':>6s} {'seconds':>8s} {'page weight':>12s}"
          f" {'of budget':>10s}")
    for name, make in EXPLORERS:
        start = time.perf_counter()
        explorer = make(mode="frames")
        seconds = time.perf_counter() - start
        share = explorer.page_weight / DEFAULT_BUDGET_BYTES
        print(f"   {name:28s} {explorer.frame_count:6d} {seconds:8.1f} "
              f"{explorer.page_weight / 1024:9.0f} KB {share:9.0%}")


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0 to 100) of ``values``, linearly interpolated."""
    return float(np.percentile(values, q))


def live_update_times(
    explorer: Explorer, index: int, rounds: int
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of every live redraw that moving control ``index`` triggers.

    The control is stepped through every value it offers, ``rounds`` times, from the
    explorer's defaults; outside an event loop the explorer redraws at once (no debounce), so
    each assignment is one full update: the maths, the drawing and the PNG encoding.
    """
    widget = explorer.widgets[index]
    start_value = widget.value
    values = [value for _, value in widget.options]
    wall, cpu = [], []
    for _ in range(rounds):
        for value in values[1:] + values[:1]:
            if value == widget.value:
                continue
            w0, c0 = time.perf_counter(), time.process_time()
            widget.value = value
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
    widget.value = start_value
    return wall, cpu


def bench_controls(rounds: int) -> None:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print("5. live update per control (ms; goal: median <= 100 and p90 <= 200, wall-clock;"
          f" load average {load} on {os.cpu_count()} cores)")
    print(f"   {'explorer':24s} {'control':12s} {'n':>4s} {'median':>7s} {'p90':>7s} "
          f"{'max':>7s} {'cpu med':>8s} {'cpu p90':>8s}")
    verdicts, cpu_verdicts = [], []
    for name, make in EXPLORERS:
        explorer = make(mode="live")
        for index, control in enumerate(explorer.varying):
            wall, cpu = live_update_times(explorer, index, rounds)
            if not wall:
                continue
            med, p90 = 1e3 * statistics.median(wall), 1e3 * percentile(wall, 90)
            verdicts.append(med <= 100 and p90 <= 200)
            cpu_med, cpu_p90 = 1e3 * statistics.median(cpu), 1e3 * percentile(cpu, 90)
            cpu_verdicts.append(cpu_med <= 100 and cpu_p90 <= 200)
            print(f"   {name:24s} {control.name:12s} {len(wall):4d} {med:7.0f} {p90:7.0f} "
                  f"{1e3 * max(wall):7.0f} {cpu_med:8.0f} {cpu_p90:8.0f}")
    print(f"   every control within the goal: {'met' if all(verdicts) else 'NOT met'} "
          f"(CPU time: {'met' if all(cpu_verdicts) else 'NOT met'}; on a busy machine the "
          "wall-clock time includes waiting for a core)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--controls", action="store_true",
                        help="only the live update time per control (5)")
    args = parser.parse_args()
    rounds = 2 if args.quick else 4
    if args.controls:
        torch.set_num_threads(1)
        bench_controls(rounds)
        return
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
    print()
    bench_controls(rounds)


if __name__ == "__main__":
    main()
