"""Argument checks shared by the ``plot_*`` functions (private to :mod:`nndl_book.plots`), and
the description of the ``ax`` and ``title`` parameters that most of them share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

#: The ``ax`` and ``title`` parameters of a figure function that draws into one Axes, for
#: :func:`nndl_book._validate.fill_doc` (``@fill_doc(ax_title=AX_TITLE_DOC)``, line ``{ax_title}``).
AX_TITLE_DOC = """\
ax : matplotlib.axes.Axes, optional
    Draw into this Axes.
title : str, optional
    Axes title."""


def check_ax(ax: object) -> Axes | None:
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def check_title(title: object) -> str | None:
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string or None, got {type(title).__name__}")
    return title


def check_bool(name: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return bool(value)


def check_mapping(name: str, obj: object, what: str) -> dict[str, Any]:
    """Return ``obj`` as a dict with string keys; it must be a non-empty mapping."""
    if not isinstance(obj, Mapping):
        raise TypeError(f"{name} must be a dict mapping names to {what}, got {type(obj).__name__}")
    if len(obj) == 0:
        raise ValueError(f"{name} must not be empty: give at least one name -> {what} entry")
    for key in obj:
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be strings, got {key!r}")
    return dict(obj)
