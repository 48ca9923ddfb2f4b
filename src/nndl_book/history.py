"""Training history shared by the numpy engine's ``train`` and the torch ``Runner``.

It sits at the bottom of the package (beside ``_validate``) so that both can import it; it
needs nothing but the standard library. Only its methods change it: :meth:`History.record`
appends an epoch and is the one place that decides that training diverged, and
:meth:`History.record_metric` appends metric values scored later in bulk.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class History:
    """Per-epoch record of a training run.

    Attributes
    ----------
    train_loss, train_metric : list of float
        Loss and metric on the training set, one entry per completed epoch.
    dev_loss, dev_metric : list of float
        The same on the development set (empty when no dev set was given).
    metric_name : str
        Name of the metric, e.g. ``"accuracy"``.
    diverged_at : int or None
        Epoch (1-based) whose loss was NaN or infinite; training stopped there.
    best_epoch : int or None
        Epoch (1-based) with the lowest dev loss (train loss when there is no dev set).
    """

    train_loss: list[float] = field(default_factory=list)
    train_metric: list[float] = field(default_factory=list)
    dev_loss: list[float] = field(default_factory=list)
    dev_metric: list[float] = field(default_factory=list)
    metric_name: str = "accuracy"
    diverged_at: int | None = None
    best_epoch: int | None = None

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.train_loss)

    @property
    def diverged(self) -> bool:
        """Whether training stopped on a NaN or infinite loss."""
        return self.diverged_at is not None

    def record(
        self,
        train_loss: float,
        train_metric: float | None = None,
        dev_loss: float | None = None,
        dev_metric: float | None = None,
    ) -> bool:
        """Append one epoch; return ``False`` (and set ``diverged_at``) if a loss is not finite.

        A diverged epoch is not appended: the lists keep the completed epochs only.
        """
        losses = [train_loss] + ([dev_loss] if dev_loss is not None else [])
        if not all(math.isfinite(v) for v in losses):
            self.diverged_at = self.epochs + 1
            return False
        self.train_loss.append(float(train_loss))
        if train_metric is not None:
            self.train_metric.append(float(train_metric))
        if dev_loss is not None:
            self.dev_loss.append(float(dev_loss))
        if dev_metric is not None:
            self.dev_metric.append(float(dev_metric))
        watched = self.dev_loss if self.dev_loss else self.train_loss
        if self.best_epoch is None or watched[-1] < watched[self.best_epoch - 1]:
            self.best_epoch = self.epochs
        return True

    def record_metric(self, split: str, values: Iterable[float]) -> None:
        """Append metric values of earlier epochs scored in bulk (``split``: train or dev)."""
        if split not in ("train", "dev"):
            raise ValueError(f"split must be 'train' or 'dev', got {split!r}")
        target = self.train_metric if split == "train" else self.dev_metric
        target.extend(float(v) for v in values)
