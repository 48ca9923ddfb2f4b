"""Runner checkpoints: written atomically, verified by a digest, checked before anything loads.

A checkpoint is a ``torch.save`` file holding a dict with the keys of :data:`KEYS`:

========================  =====================================================================
``model``                 the model's ``state_dict``
``optimizer``             the optimizer's ``state_dict``
``optimizer_type``        the optimizer's class name, e.g. ``"Adam"``
``history``               the :class:`~nndl_book.history.History` as a dict
``architecture``          parameter names and shapes, and the leaf module types
``weights``               which weights ``model`` holds: ``"current"`` or ``"best"``
``digest``                SHA-256 of everything above, tensors' bytes included
========================  =====================================================================

``torch.load`` does not verify the archive, so a flipped byte in a tensor would load as a
changed weight; :func:`read` recomputes the digest and refuses such a file.
"""

from __future__ import annotations

import hashlib
from typing import Any

import torch

from nndl_book._atomic import atomic_write

__all__ = ["KEYS", "digest", "optimizer_mismatch", "read", "signature_diff", "write"]

KEYS = ("model", "optimizer", "optimizer_type", "history", "architecture", "weights", "digest")


def _feed(h: Any, obj: object) -> None:
    """Feed a canonical byte form of ``obj`` (nested dicts, lists, tensors, scalars) to ``h``."""
    if isinstance(obj, torch.Tensor):
        t = obj.detach().cpu().contiguous()
        h.update(f"T{t.dtype}{tuple(t.shape)}:".encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    elif isinstance(obj, dict):
        h.update(f"D{len(obj)}:".encode())
        for key, value in obj.items():
            _feed(h, key)
            _feed(h, value)
    elif isinstance(obj, (list, tuple)):
        h.update(f"L{len(obj)}:".encode())
        for value in obj:
            _feed(h, value)
    elif obj is None or isinstance(obj, (bool, int, float, str)):
        text = repr(obj)
        h.update(f"{type(obj).__name__}{len(text)}:{text}".encode())
    else:
        raise TypeError(f"cannot digest a {type(obj).__name__} in a checkpoint")


def digest(checkpoint: dict) -> str:
    """SHA-256 (hex) of every entry of ``checkpoint`` except ``"digest"``, in order."""
    h = hashlib.sha256()
    _feed(h, {k: v for k, v in checkpoint.items() if k != "digest"})
    return h.hexdigest()


def write(path: str, checkpoint: dict) -> None:
    """Add the digest and write ``checkpoint`` to ``path`` atomically.

    The file goes to a temporary file in the same directory, is flushed to disk, and is then
    moved into place with ``os.replace``, so ``path`` is never left half-written.
    """
    checkpoint = {**checkpoint, "digest": digest(checkpoint)}
    with atomic_write(path, "wb") as f:
        torch.save(checkpoint, f)


def read(path: str) -> dict:
    """Load the checkpoint at ``path`` with ``weights_only=True`` and verify its digest.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a readable checkpoint (empty, truncated, not a torch file, or a
        pickle that asks to run code, which ``weights_only=True`` refuses), lacks a key of
        :data:`KEYS`, or does not match its digest (corrupted).
    """
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as err:
        raise ValueError(f"{path} is not a readable Runner checkpoint: {err}") from err
    if not isinstance(ckpt, dict) or not all(k in ckpt for k in KEYS):
        raise ValueError(f"{path} is not a Runner checkpoint (expected keys {KEYS})")
    try:
        found = digest(ckpt)
    except TypeError as err:
        raise ValueError(f"{path} is not a Runner checkpoint: {err}") from err
    if found != ckpt["digest"]:
        raise ValueError(
            f"checkpoint {path} is corrupted: its contents do not match the SHA-256 digest "
            "stored when it was saved; nothing was loaded"
        )
    return ckpt


def signature_diff(saved: dict, current: dict) -> list[str]:
    """Human-readable differences between two architecture signatures."""
    old = {k: tuple(s) for k, s in saved.get("parameters", [])}
    new = {k: tuple(s) for k, s in current["parameters"]}
    diffs = [f"{k} {old[k]} only in checkpoint" for k in old if k not in new]
    diffs += [f"{k} {new[k]} only in model" for k in new if k not in old]
    diffs += [
        f"{k} has shape {old[k]} in checkpoint but {new[k]} in model"
        for k in old
        if k in new and old[k] != new[k]
    ]
    if not diffs and saved.get("modules") != current["modules"]:
        diffs.append(
            f"layers {saved.get('modules')} in checkpoint but {current['modules']} in model"
        )
    return diffs


def _describe(kind: str, groups: list[int]) -> str:
    return f"{kind} with {len(groups)} parameter group(s) of {groups} parameters"


def optimizer_mismatch(
    saved_type: object, saved_state: object, optimizer: torch.optim.Optimizer
) -> str | None:
    """Why the saved optimizer state cannot load into ``optimizer``, or None if it can.

    Checks the class, the number of parameter groups and of parameters in each, and that
    every saved per-parameter tensor (momentum buffer, moment estimates) has the shape of
    its parameter, so that ``optimizer.load_state_dict`` cannot fail half-way.
    """
    current = optimizer.state_dict()
    have = [len(g["params"]) for g in current["param_groups"]]
    expected = _describe(type(optimizer).__name__, have)
    try:
        groups = saved_state["param_groups"]  # type: ignore[index]
        got = [len(g["params"]) for g in groups]
        state = saved_state["state"]  # type: ignore[index]
    except (TypeError, KeyError) as err:
        return f"expected {expected}, found no valid optimizer state ({err!r})"
    found = _describe(str(saved_type), got)
    if saved_type != type(optimizer).__name__ or got != have:
        return f"expected {expected}, found {found}"
    shapes = [p.shape for group in optimizer.param_groups for p in group["params"]]
    try:
        ids = [i for g in groups for i in g["params"]]
        per_param = [(i, shape, dict(state.get(i, {}))) for i, shape in zip(ids, shapes)]
    except (TypeError, AttributeError, ValueError) as err:
        return f"expected {expected}, found a malformed optimizer state ({err!r})"
    for i, shape, entries in per_param:
        for name, value in entries.items():
            if isinstance(value, torch.Tensor) and value.ndim and value.shape != shape:
                return (
                    f"expected {name} of shape {tuple(shape)} for parameter {i}, "
                    f"found {tuple(value.shape)}"
                )
    return None
