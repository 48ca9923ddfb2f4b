"""Scoring a metric epoch by epoch for the ``Runner``, in bulk where the targets stay fixed."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from nndl_book.history import History

__all__ = ["Scorer"]


class Scorer:
    """Applies the metric to each epoch's outputs and records the scores in ``history``.

    With a vectorised ``batched(outputs, target)`` form and targets that are the same every
    epoch, the outputs are stacked and scored in bulk on :meth:`flush`: computing accuracy on
    200 numbers costs about as much as a training step of a small network.
    """

    LIMIT = 1 << 20  # stored output numbers before a forced flush

    def __init__(
        self,
        metric: Callable[[torch.Tensor, torch.Tensor], float] | None,
        batched: Callable[[torch.Tensor, torch.Tensor], np.ndarray] | None,
        history: History,
        split: str,
    ) -> None:
        self.metric, self.batched = metric, batched
        self.history, self.split = history, split
        self.outs: list[torch.Tensor] = []
        self.target: torch.Tensor | None = None

    def add(self, out: torch.Tensor, target: torch.Tensor) -> None:
        """Score one batch's outputs ``out`` against ``target`` now, or keep them for a flush."""
        if self.batched is None:
            self.history.record_metric(self.split, [self.metric(out, target)])
            return
        if self.target is not None and target is not self.target:
            same = target.shape == self.target.shape and torch.equal(target, self.target)
            if not same:
                self.flush()
                self.target = target
        else:
            self.target = target
        self.outs.append(out)
        if len(self.outs) * out.numel() >= self.LIMIT:
            self.flush()

    def flush(self) -> None:
        """Score the stored outputs, record the scores in the history, and forget the outputs."""
        if self.outs:
            scores = self.batched(torch.stack(self.outs), self.target)
            self.history.record_metric(self.split, scores)
            self.outs.clear()
