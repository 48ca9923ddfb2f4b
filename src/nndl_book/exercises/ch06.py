"""Checks for chapter 6, training with autograd."""

from __future__ import annotations

import math

import numpy as np

from nndl_book.exercises._core import Wrong, as_number, as_tuple, exercise_check, fmt

BEST_TOL = 0.005


def expected_best_accuracy(n_models: int = 20, n_points: int = 200) -> float:
    """E[max of n_models test accuracies] for guessers that are right with probability 1/2.

    Exact: the accuracy k/n of one guesser is Binomial(n, 1/2)/n, so
    P(max <= k) = F(k)^n_models and E[max] = sum_k P(max > k) / n.
    """
    pmf = np.array([math.comb(n_points, k) for k in range(n_points + 1)], dtype=float)
    cdf = np.cumsum(pmf / 2.0**n_points)
    return float(np.sum(1.0 - np.minimum(cdf[:-1], 1.0) ** n_models) / n_points)


@exercise_check("ex-06-test-once",
                "a pair: the best test accuracy on average, the true accuracy of every guesser",
                "answer = (..., ...)  # edit: mean best-of-20 test accuracy, true accuracy")
def test_once(answer: object) -> str:
    best, true = as_tuple("the answer", answer, 2, "(best test accuracy, true accuracy)")
    best, true = as_number("best test accuracy", best), as_number("true accuracy", true)
    for name, value in (("best test accuracy", best), ("true accuracy", true)):
        if not 0.0 <= value <= 1.0:
            raise Wrong(f"the {name} {fmt(value)} is not between 0 and 1",
                        "give accuracies as fractions, e.g. 0.5 for half right.")
    if abs(true - 0.5) > 1e-9:
        raise Wrong(f"the true accuracy {fmt(true)} is not right",
                    "a guesser that flips a fair coin for every label: how often is it right?")
    want = expected_best_accuracy()
    if abs(best - want) > BEST_TOL:
        hint = ("that is the accuracy of a typical guesser, not of the best of 20."
                if abs(best - 0.5) < BEST_TOL else
                "simulate: 20 guessers × 200 coin flips against 200 labels, take the largest "
                "accuracy, and average over a thousand or more repetitions.")
        raise Wrong(f"the average best test accuracy {fmt(best)} is more than {BEST_TOL} "
                    "from the exact value", hint)
    return (f"right: every guesser's true accuracy is 0.5, and the best of 20 looks better "
            f"(within {BEST_TOL} of the exact expectation)")
