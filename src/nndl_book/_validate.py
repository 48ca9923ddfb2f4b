"""Argument checks shared by every layer: each error names the argument and what was expected.

Also the documentation they share: :func:`fill_doc` writes a shared docstring section, such as
:data:`LOOKUP_RAISES` for the functions that look a name up with :func:`lookup`, in one place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from numbers import Integral, Real
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def as_array(
    name: str,
    x: object,
    *,
    ndim: int | tuple[int, ...] | None = None,
    finite: bool = True,
    allow_empty: bool = False,
) -> np.ndarray:
    """Convert ``x`` to a float64 array, checking its number of dimensions and values.

    Parameters
    ----------
    name : str
        Argument name used in error messages.
    x : array_like
        The value to convert.
    ndim : int or tuple of int, optional
        Allowed number(s) of dimensions.
    finite : bool, default True
        Reject NaN and infinite entries.
    allow_empty : bool, default False
        Accept an array with no elements.

    Returns
    -------
    numpy.ndarray
        ``x`` as float64.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}")
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}") from err
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(str(d) for d in allowed)
            raise ValueError(f"{name} must have {want} dimension(s), got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (found NaN or inf)")
    return arr


def check_shape(name: str, arr: np.ndarray, shape: tuple[int | None, ...]) -> None:
    """Raise ``ValueError`` unless ``arr.shape`` matches ``shape`` (``None`` matches any size)."""
    ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
    if not ok:
        want = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} must have shape {want}, got {arr.shape}")


def check_same_length(name_a: str, a: object, name_b: str, b: object) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same number of rows."""
    if len(a) != len(b):  # type: ignore[arg-type]
        raise ValueError(
            f"{name_a} and {name_b} must have the same length, "
            f"got {len(a)} and {len(b)}"  # type: ignore[arg-type]
        )


def check_number(name: str, value: object) -> float:
    """Return ``value`` as a float, raising ``TypeError`` if it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name} must be a number, got nan")
    return value


def check_finite(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite real number."""
    v = check_number(name, value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return v


def check_positive(name: str, value: object, *, allow_zero: bool = False) -> float:
    """Return ``value`` if it is a positive (with ``allow_zero``, non-negative) finite number."""
    v = check_number(name, value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        kind = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"{name} must be {kind} finite number, got {value!r}")
    return v


def check_range(
    name: str,
    value: object,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` if it lies in the interval from ``low`` to ``high``."""
    v = check_number(name, value)
    below = v <= low if low_open else v < low
    above = v >= high if high_open else v > high
    if below or above:
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        raise ValueError(f"{name} must be in {lo}{low}, {high}{hi}, got {value!r}")
    return v


def check_int(name: str, value: object, *, minimum: int | None = None) -> int:
    """Return ``value`` if it is an integer (not bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def check_sizes(name: str, sizes: object) -> list[int]:
    """Return ``sizes`` as a list of layer widths, input first: at least two integers >= 1."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (Sequence, np.ndarray)):
        raise TypeError(
            f"{name} must be a list of layer widths like [2, 5, 1], got {type(sizes).__name__}"
        )
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"{name} must list at least 2 layer widths (input, output) like "
                         f"[2, 5, 1], got {sizes}")
    return [check_int(f"{name}[{i}]", s, minimum=1) for i, s in enumerate(sizes)]


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; the error lists them."""
    options = sorted(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {options}, got {type(value).__name__}")
    if value not in options:
        raise ValueError(f"unknown {name} {value!r}; expected one of {options}")
    return value


def lookup(name: str, value: object, table: Mapping[str, T]) -> T:
    """Return ``table[value]``; the errors of :func:`check_choice` if ``value`` is not a key."""
    return table[check_choice(name, value, table)]


LOOKUP_RAISES = """\
Raises
------
TypeError
    If ``name`` is not a string.
ValueError
    If ``name`` is unknown; the message lists the valid names."""
"""The Raises section of a ``get_*(name)`` function that calls :func:`lookup`."""


def fill_doc(**snippets: str) -> Callable[[F], F]:
    """Replace each line ``{key}`` of the decorated object's docstring by ``snippets[key]``.

    A placeholder stands alone on its line; the snippet, written without indentation, takes the
    placeholder's indentation. Shared documentation is written once, as pandas' ``Substitution``
    and matplotlib's ``_docstring`` do, and Sphinx sees the filled docstring.

    Raises
    ------
    ValueError
        If a snippet's placeholder is not in the docstring (a misspelt key).
    """

    def fill(obj: F) -> F:
        lines, used = [], set()
        for line in (obj.__doc__ or "").splitlines():
            key = line.strip()[1:-1] if line.strip().startswith("{") else ""
            if key in snippets and line.strip() == "{" + key + "}":
                indent = line[: len(line) - len(line.lstrip())]
                lines += [indent + s if s else s for s in snippets[key].splitlines()]
                used.add(key)
            else:
                lines.append(line)
        unused = sorted(set(snippets) - used)
        if unused:
            raise ValueError(f"the docstring of {obj.__qualname__} has no line "
                             f"{', '.join('{' + k + '}' for k in unused)}")
        obj.__doc__ = "\n".join(lines)
        return obj

    return fill


def make_rng(rng: np.random.Generator | int | None, name: str = "rng") -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from a Generator or an integer seed.

    ``None`` is rejected: every random draw in the book is seeded explicitly.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} must be a numpy.random.Generator or an integer seed, got {type(rng).__name__}"
    )
