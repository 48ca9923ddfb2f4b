"""``Runner``: the small trainer used in the chapters (in the spirit of d2l's ``Trainer``).

It runs mini-batch training with a seeded shuffle, records a ``nndl_book.history.History``,
keeps the best weights in memory, stops cleanly when the loss becomes NaN or infinite, and
saves and loads checkpoints safely (``nndl_book.training.checkpoint``).

``fit`` reads like the loop it teaches: for each epoch, ``Runner._train_epoch`` takes the
steps, the dev set is evaluated, and ``History.record`` (the one place that decides that
training diverged) appends the epoch. What one ``fit`` carries from epoch to epoch is a
small ``_Fit`` record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
from collections.abc import Callable, Iterable

import torch
from torch import nn

from nndl_book import _validate as v
from nndl_book.data.split import target_tensor
from nndl_book.history import History
from nndl_book.maths.metrics import accuracy
from nndl_book.training import checkpoint
from nndl_book.training.nets import parameter_dtype
from nndl_book.training.progress import ProgressBar
from nndl_book.training.scoring import Scorer

__all__ = ["Hook", "Runner"]

#: ``hook(runner, epoch, step)``, called after every optimizer step (both 1-based).
Hook = Callable[["Runner", int, int], object]

# Modules that draw random numbers in training mode (public torch classes).
_RANDOM_MODULES = (
    nn.Dropout,
    nn.Dropout1d,
    nn.Dropout2d,
    nn.Dropout3d,
    nn.AlphaDropout,
    nn.FeatureAlphaDropout,
    nn.RReLU,
)


def _align(out: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Match a network output to 1-D targets the way the usual losses expect.

    One output column and 1-D targets (binary or scalar regression): the output becomes
    shape ``(n,)`` and the targets take its float dtype. Several columns and 1-D float
    targets: the targets are class indices and become int64.
    """
    if out.ndim == 2 and y.ndim == 1:
        if out.shape[1] == 1:
            out = out.squeeze(1)
            if y.dtype != out.dtype:
                y = y.to(out.dtype)
        elif y.is_floating_point():
            y = y.long()
    return out, y


def _fmt(value: float) -> str:
    return f"{value:.4f}"


@dataclasses.dataclass
class _Fit:
    """What one call of :meth:`Runner.fit` carries from epoch to epoch."""

    X: torch.Tensor
    y: torch.Tensor
    dev: tuple[torch.Tensor, torch.Tensor] | None
    batch_size: int
    shuffle: torch.Generator
    scorers: dict[str, Scorer]
    weights: list[tuple[str, torch.Tensor]]  # state_dict views that track the live weights
    bar: ProgressBar | None


class Runner:
    """Train, evaluate, checkpoint a torch model.

    Parameters
    ----------
    model : torch.nn.Module
        The network; input ``(n_samples, n_features)``, output ``(n_samples, n_outputs)``.
    loss_fn : callable
        ``loss_fn(output, target) -> scalar tensor`` with mean reduction, e.g.
        ``torch.nn.BCEWithLogitsLoss()`` or ``torch.nn.CrossEntropyLoss()``.
    optimizer : torch.optim.Optimizer
        Optimizer over ``model``'s parameters.
    metric : callable or None, default ``nndl_book.maths.metrics.accuracy``
        ``metric(output, target) -> float``; ``None`` records no metric. A metric with a
        vectorised attribute ``batched(outputs, target) -> array`` (as ``accuracy`` has, see
        ``nndl_book.maths.metrics.batched_accuracy``) scores the epochs whose targets
        do not change (full batch, dev set) in bulk: ``history.train_metric`` and
        ``dev_metric`` are then filled at each progress line and when ``fit`` returns, while
        the losses are recorded every epoch.
    metric_name : str, default "accuracy"
        Name used in the history and in progress lines.
    hooks : iterable of callables, optional
        Each is called as ``hook(runner, epoch, step)`` after every optimizer step (epoch and
        step within the epoch both 1-based). The gradients of that step are still in the
        parameters' ``.grad``, so a hook can log e.g.
        :func:`~nndl_book.training.diagnostics.grad_norms`. ``runner.step_count`` is the number
        of steps taken so far in the current ``fit``.

    Notes
    -----
    Targets of shape ``(n,)`` are matched to the output: with a one-column output (binary
    classification, scalar regression) the output is flattened to ``(n,)`` and the targets
    cast to its float dtype before ``loss_fn`` and ``metric`` are called; with several columns
    float targets are cast to int64 class indices.
    """

    def __init__(
        self,
        model: nn.Module,
        loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
        optimizer: torch.optim.Optimizer,
        *,
        metric: Callable[[torch.Tensor, torch.Tensor], float] | None = accuracy,
        metric_name: str = "accuracy",
        hooks: Iterable[Hook] | None = None,
    ) -> None:
        if not isinstance(model, nn.Module):
            raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
        if not callable(loss_fn):
            raise TypeError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(
                f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}"
            )
        if metric is not None and not callable(metric):
            raise TypeError(f"metric must be callable or None, got {type(metric).__name__}")
        if not isinstance(metric_name, str):
            raise TypeError(f"metric_name must be a string, got {type(metric_name).__name__}")
        hooks = [] if hooks is None else list(hooks)
        for hook in hooks:
            if not callable(hook):
                raise TypeError(f"hooks must be callables, got {type(hook).__name__}")
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = optimizer
        self.metric = metric
        self.metric_name = metric_name
        self.hooks = hooks
        self.history = History(metric_name=metric_name)
        self.stop_reason: str | None = None
        self.step_count = 0
        self._best: dict[str, torch.Tensor] | None = None

    # ------------------------------------------------------------------ data
    @property
    def _dtype(self) -> torch.dtype:
        return parameter_dtype(self.model)

    def _inputs(self, name: str, X: object) -> torch.Tensor:
        if isinstance(X, torch.Tensor):
            if X.ndim == 0 or X.numel() == 0:
                raise ValueError(f"{name} must be a non-empty batch, got shape {tuple(X.shape)}")
            if X.is_floating_point() and not bool(torch.isfinite(X).all()):
                raise ValueError(f"{name} must contain only finite numbers (found NaN or inf)")
            return X.detach().to(self._dtype)
        arr = v.as_array(name, X)
        if arr.ndim == 0:
            raise ValueError(f"{name} must be a non-empty batch, got shape {arr.shape}")
        return torch.as_tensor(arr, dtype=self._dtype)

    def _targets(self, name: str, y: object) -> torch.Tensor:
        if isinstance(y, torch.Tensor):
            return y.detach().to(self._dtype) if y.is_floating_point() else y.detach()
        if y is None or isinstance(y, (str, bytes)):
            raise TypeError(f"{name} must be an array of targets, got {type(y).__name__}")
        return target_tensor(name, y, self._dtype)

    def _pair(self, name: str, data: object) -> tuple[torch.Tensor, torch.Tensor]:
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise TypeError(
                f"{name} must be an (X, y) pair of arrays or tensors, got {type(data).__name__}"
                + (f" of length {len(data)}" if isinstance(data, (tuple, list)) else "")
            )
        X = self._inputs(f"{name} X", data[0])
        y = self._targets(f"{name} y", data[1])
        if len(X) != len(y):
            raise ValueError(
                f"{name}: X and y must have the same length, got {len(X)} and {len(y)}"
            )
        return X, y

    # -------------------------------------------------------------- training
    def fit(
        self,
        train: tuple[object, object],
        dev: tuple[object, object] | None = None,
        *,
        epochs: int,
        batch_size: int | None = None,
        seed: int = 0,
        early_stopping: int | None = None,
        progress: bool = True,
    ) -> History:
        """Train for ``epochs`` passes over ``train``; return (and store) the history.

        Parameters
        ----------
        train : tuple (X, y)
            ``X`` of shape ``(n, n_features)`` and ``y`` of shape ``(n,)`` (or whatever the
            loss expects), as torch tensors or numpy arrays (converted to the model's dtype;
            integer 0/1 labels become floats, other integer labels int64).
        dev : tuple (X, y), optional
            Development set, evaluated (eval mode, no gradients) after every epoch.
        epochs : int
            Maximum number of epochs, at least 1.
        batch_size : int or None, default None
            Mini-batch size; ``None`` (or at least ``n``) means full-batch gradient descent.
            Mini-batches are drawn by a shuffle seeded with ``seed``; the last may be smaller.
        seed : int, default 0
            Seed of the shuffle, and of dropout masks if the model has dropout (drawn inside
            ``torch.random.fork_rng``, so the caller's global torch random state is restored).
        early_stopping : int or None, default None
            Patience: stop once the watched loss (dev loss, or train loss without ``dev``) has
            not improved for this many epochs.
        progress : bool, default True
            Show a progress bar in Jupyter, or a text line per tenth of the epochs elsewhere,
            and print why training stopped early. ``False`` prints nothing.

        Returns
        -------
        History
            ``train_loss``/``train_metric`` per epoch are averages over the epoch's
            mini-batches, computed during training (before each step); ``dev_loss`` and
            ``dev_metric`` are computed after the epoch. ``best_epoch`` is the epoch with the
            lowest dev loss (train loss without ``dev``); its end-of-epoch weights are kept
            (see :meth:`restore_best`). ``diverged_at`` is the epoch whose loss became NaN or
            infinite; training stopped there without taking that step, and
            :attr:`stop_reason` holds the message.

        Notes
        -----
        Each call starts a new history; the model and optimizer continue from their state.
        """
        X, y = self._pair("train", train)
        dev_data = None if dev is None else self._pair("dev", dev)
        epochs = v.check_int("epochs", epochs, minimum=1)
        n = len(X)
        bs = n if batch_size is None else min(v.check_int("batch_size", batch_size, minimum=1), n)
        seed = v.check_int("seed", seed)
        patience = (
            None
            if early_stopping is None
            else v.check_int("early_stopping", early_stopping, minimum=1)
        )
        if not isinstance(progress, bool):
            raise TypeError(f"progress must be True or False, got {type(progress).__name__}")

        self.history = History(metric_name=self.metric_name)
        self.stop_reason = None
        self.step_count = 0
        self._best = None
        # Full-batch targets never change, so a metric with a vectorised ``batched`` form
        # (accuracy) scores the stored epoch outputs in bulk instead of once per epoch.
        batched = getattr(self.metric, "batched", None)
        run = _Fit(
            X=X,
            y=y,
            dev=dev_data,
            batch_size=bs,
            shuffle=torch.Generator().manual_seed(seed),
            scorers={
                "train": Scorer(self.metric, batched if bs >= n else None, self.history, "train"),
                "dev": Scorer(self.metric, batched, self.history, "dev"),
            },
            weights=list(self.model.state_dict().items()),
            bar=ProgressBar(epochs, "epoch") if progress else None,
        )
        random = any(isinstance(m, _RANDOM_MODULES) for m in self.model.modules())
        ctx = torch.random.fork_rng(devices=[]) if random else contextlib.nullcontext()
        try:
            with ctx:
                if random:
                    torch.manual_seed(seed)
                self.model.train()
                for epoch in range(1, epochs + 1):
                    if not self._epoch(run, epoch) or self._patience_ran_out(run, epoch, patience):
                        break
        finally:
            for scorer in run.scorers.values():
                scorer.flush()
        if run.bar is not None:
            run.bar.close(self.stop_reason, failed=self.history.diverged)
        return self.history

    def _epoch(self, run: _Fit, epoch: int) -> bool:
        """Train one epoch, evaluate, record; return False if training must stop."""
        train_loss, train_out, train_y, step = self._train_epoch(run, epoch)
        dev_loss = dev_out = dev_y = None
        if run.dev is not None and math.isfinite(train_loss):
            dev_loss, dev_out, dev_y = self._eval(*run.dev)
            self.model.train()
        if not self.history.record(train_loss, None, dev_loss, None):
            if math.isfinite(train_loss):
                what = f"dev loss became {dev_loss} at epoch {epoch}"
            else:
                what = f"loss became {train_loss} at epoch {epoch} (step {step})"
            self.stop_reason = f"stopped: {what}; try a smaller learning rate"
            return False
        if self.history.best_epoch == epoch:
            self._snapshot(run.weights)
        if self.metric is not None:
            run.scorers["train"].add(train_out, train_y)
            if run.dev is not None:
                run.scorers["dev"].add(dev_out, dev_y)
        if run.bar is not None and run.bar.will_show(epoch):
            for scorer in run.scorers.values():
                scorer.flush()
            run.bar.update(epoch, self._status())
        return True

    def _patience_ran_out(self, run: _Fit, epoch: int, patience: int | None) -> bool:
        """Whether early stopping ends training after ``epoch`` (sets :attr:`stop_reason`)."""
        best = self.history.best_epoch
        if patience is None or epoch - best < patience:
            return False
        watched = "dev" if run.dev is not None else "train"
        self.stop_reason = (
            f"early stopping at epoch {epoch}: {watched} loss has not improved "
            f"for {patience} epochs (best epoch {best})"
        )
        return True

    def _train_epoch(
        self, run: _Fit, epoch: int
    ) -> tuple[float, torch.Tensor | None, torch.Tensor | None, int]:
        """One pass over the data: ``(mean loss, outputs, targets, steps)``.

        A NaN or infinite batch loss ends the pass before its step; that loss is returned as
        the epoch's loss (``History.record`` then decides that training diverged), with the
        number of the step that was not taken.
        """
        X, y, bs = run.X, run.y, run.batch_size
        n = len(X)
        if bs >= n:
            batches: Iterable[tuple[torch.Tensor, torch.Tensor]] = ((X, y),)
        else:
            order = torch.randperm(n, generator=run.shuffle)
            batches = ((X[i], y[i]) for i in order.split(bs))
        model, loss_fn, opt, hooks = self.model, self.loss_fn, self.optimizer, self.hooks
        total = 0.0
        outs: list[torch.Tensor] = []
        targets: list[torch.Tensor] = []
        step = 0
        for step, (xb, yb) in enumerate(batches, start=1):
            out, yb = _align(model(xb), yb)
            loss = loss_fn(out, yb)
            value = loss.item()
            if not math.isfinite(value):
                return value, None, None, step
            opt.zero_grad()
            loss.backward()
            opt.step()
            self.step_count += 1
            for hook in hooks:
                hook(self, epoch, step)
            total += value * len(yb)
            if self.metric is not None or not outs:
                outs.append(out.detach())
                targets.append(yb)
        if len(outs) == 1:
            return total / n, outs[0], targets[0], step
        return total / n, torch.cat(outs), torch.cat(targets), step

    def _snapshot(self, refs: list[tuple[str, torch.Tensor]]) -> None:
        if self._best is None:
            self._best = {k: t.detach().clone() for k, t in refs}
        else:  # the state_dict tensors are detached: no autograd involved
            for k, t in refs:
                self._best[k].copy_(t)

    def _status(self) -> str:
        """Progress text for the last recorded epoch."""
        h, name = self.history, self.metric_name
        parts = [f"loss {_fmt(h.train_loss[-1])}"]
        if h.train_metric:
            parts.append(f"{name} {_fmt(h.train_metric[-1])}")
        if h.dev_loss:
            parts.append(f"dev loss {_fmt(h.dev_loss[-1])}")
        if h.dev_metric:
            parts.append(f"dev {name} {_fmt(h.dev_metric[-1])}")
        return "  ".join(parts)

    # ------------------------------------------------------------ evaluation
    def _eval(self, X: torch.Tensor, y: torch.Tensor) -> tuple[float, torch.Tensor, torch.Tensor]:
        """Loss, aligned output and targets on one batch in eval mode without gradients."""
        self.model.eval()
        with torch.no_grad():
            out, y = _align(self.model(X), y)
            return self.loss_fn(out, y).item(), out, y

    def evaluate(self, data: tuple[object, object]) -> tuple[float, float | None]:
        """Loss and metric of the model on ``data`` (eval mode, no gradients, one batch).

        Parameters
        ----------
        data : tuple (X, y)
            ``X`` of shape ``(n, n_features)``, ``y`` of shape ``(n,)``; tensors or arrays.

        Returns
        -------
        loss : float
        metric : float or None
            ``None`` when the runner has no metric.
        """
        was_training = self.model.training
        try:
            loss, out, y = self._eval(*self._pair("data", data))
        finally:
            self.model.train(was_training)
        return loss, None if self.metric is None else float(self.metric(out, y))

    def predict(self, X: object) -> torch.Tensor:
        """Network output for ``X`` in eval mode without gradients.

        Parameters
        ----------
        X : torch.Tensor or numpy.ndarray, shape (n, n_features)

        Returns
        -------
        torch.Tensor, shape (n, n_outputs)
            The raw output (logits unless the model ends in an activation).
        """
        X = self._inputs("X", X)
        was_training = self.model.training
        self.model.eval()
        try:
            with torch.no_grad():
                return self.model(X)
        finally:
            self.model.train(was_training)

    @property
    def best_state(self) -> dict[str, torch.Tensor] | None:
        """A copy of the weights at the end of ``history.best_epoch`` (None before ``fit``)."""
        return None if self._best is None else {k: t.clone() for k, t in self._best.items()}

    def restore_best(self) -> int:
        """Load the best epoch's weights into the model; return that epoch (1-based)."""
        if self._best is None:
            raise RuntimeError("no best weights to restore: call fit() first")
        self.model.load_state_dict(self._best)
        return int(self.history.best_epoch)  # type: ignore[arg-type]

    # ----------------------------------------------------------- checkpoints
    def _signature(self) -> dict[str, list]:
        return {
            "parameters": [[k, list(t.shape)] for k, t in self.model.state_dict().items()],
            "modules": [type(m).__name__ for m in self.model.modules() if not list(m.children())],
        }

    def save(self, path: str | os.PathLike, *, weights: str = "current") -> None:
        """Write weights, optimizer state, history and architecture signature to ``path``.

        Parameters
        ----------
        path : str or os.PathLike
            The file. It is written to a temporary file in the same directory and then moved
            into place with ``os.replace``, so ``path`` is never left half-written.
        weights : {"current", "best"}, default "current"
            Which weights the checkpoint holds: the model's weights as they are now, or the
            kept weights of ``history.best_epoch`` (the model is left as it is). The
            optimizer state is always the current one.

        Raises
        ------
        RuntimeError
            For ``weights="best"`` before :meth:`fit` has kept any.
        """
        path = os.fspath(path)
        v.check_choice("weights", weights, ("current", "best"))
        if weights == "best" and self._best is None:
            raise RuntimeError("no best weights to save: call fit() first")
        checkpoint.write(
            path,
            {
                "model": self._best if weights == "best" else self.model.state_dict(),
                "optimizer": self.optimizer.state_dict(),
                "optimizer_type": type(self.optimizer).__name__,
                "history": dataclasses.asdict(self.history),
                "architecture": self._signature(),
                "weights": weights,
            },
        )

    def load(self, path: str | os.PathLike) -> None:
        """Restore model, optimizer and history from a checkpoint written by :meth:`save`.

        Everything is checked before anything is assigned, so a failed load leaves the
        Runner exactly as it was.

        Raises
        ------
        FileNotFoundError
            If ``path`` does not exist.
        ValueError
            If ``path`` is not such a checkpoint (empty, truncated, another kind of file, or
            code that ``torch.load(weights_only=True)`` refuses to run), is corrupted (its
            SHA-256 digest does not match), was saved from a model with other parameter
            names/shapes or other layers, or with an optimizer of another class or other
            parameter groups; the message names the path and the differences.
        """
        path = os.fspath(path)
        ckpt = checkpoint.read(path)
        diffs = checkpoint.signature_diff(ckpt["architecture"], self._signature())
        if diffs:
            raise ValueError(
                f"checkpoint {path} belongs to another architecture: " + "; ".join(diffs)
            )
        why = checkpoint.optimizer_mismatch(
            ckpt["optimizer_type"], ckpt["optimizer"], self.optimizer
        )
        if why:
            raise ValueError(f"optimizer state in {path} does not fit this optimizer: {why}")
        try:
            history = History(**ckpt["history"])
        except TypeError as err:
            raise ValueError(f"history in {path} is not a Runner history: {err}") from err
        # Everything fits: assign, undoing the model if the optimizer still refuses.
        model_before = {k: t.clone() for k, t in self.model.state_dict().items()}
        self.model.load_state_dict(ckpt["model"])
        try:
            self.optimizer.load_state_dict(ckpt["optimizer"])
        except BaseException:
            self.model.load_state_dict(model_before)
            raise
        self.history = history
        self._best = None
