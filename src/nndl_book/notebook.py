"""Notebook plumbing: the one call a chapter's first cell makes, and the one timing helper.

Every chapter starts with::

    from nndl_book.notebook import setup

    setup()

so that a chapter runs the same way in ``make notebooks``, in Jupyter, on Binder and in Colab.
This module is plumbing, not mathematics: it sits above every other layer and may import any of
them (``tests/test_layers.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from nndl_book._validate import check_choice, check_int
from nndl_book.plots import show_figures_inline

_DTYPES = {"float32": torch.float32, "float64": torch.float64}

__all__ = ["setup", "time_per_call"]


def setup(*, threads: int = 1, dtype: str = "float64", precision: int = 4) -> None:
    """Prepare a notebook kernel the way the book's chapters are executed.

    - torch runs on ``threads`` threads: the book's tensors are tiny, so more threads only add
      overhead (and one thread keeps results identical from run to run);
    - torch creates ``dtype`` tensors by default, so that they compare with numpy's float64;
    - numpy prints arrays with ``precision`` digits and no scientific notation for small values;
    - a ``matplotlib.figure.Figure`` that ends a cell is shown as an image
      (:func:`nndl_book.plots.render.show_figures_inline`; the book's plots never use ``pyplot``).

    Parameters
    ----------
    threads : int, default 1
        Number of threads torch uses for intra-op parallelism.
    dtype : {"float64", "float32"}, default "float64"
        torch's default floating-point type.
    precision : int, default 4
        Digits numpy prints after the decimal point.

    Returns
    -------
    None
        Nothing, so a hidden first cell prints nothing.
    """
    threads = check_int("threads", threads, minimum=1)
    precision = check_int("precision", precision, minimum=0)
    dtype = check_choice("dtype", dtype, _DTYPES)
    torch.set_num_threads(threads)
    torch.set_default_dtype(_DTYPES[dtype])
    np.set_printoptions(precision=precision, suppress=True)
    show_figures_inline()


def time_per_call(
    fn: Callable[..., Any], *args: Any, n_calls: int = 100, repeats: int = 3
) -> float:
    """Seconds one call of ``fn(*args)`` takes: the best of ``repeats`` averages.

    Each repeat times ``n_calls`` calls in a row and divides by ``n_calls``; the smallest of the
    ``repeats`` averages is returned, because interruptions by other processes only ever add
    time. Timings vary from machine to machine and run to run: a cell that prints one is tagged
    ``nbval-ignore-output``.

    Parameters
    ----------
    fn : callable
        The function to time; its result is discarded.
    *args
        Positional arguments passed to ``fn`` on every call.
    n_calls : int, default 100
        Calls per repeat.
    repeats : int, default 3
        Number of repeats.

    Returns
    -------
    float
        Seconds per call.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    n_calls = check_int("n_calls", n_calls, minimum=1)
    repeats = check_int("repeats", repeats, minimum=1)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(n_calls):
            fn(*args)
        best = min(best, (time.perf_counter() - start) / n_calls)
    return best
