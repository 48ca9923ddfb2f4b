"""The check registry, the result a check returns, and the input helpers every check uses.

A check is a function ``judge(answer) -> str`` registered with :func:`exercise_check`. It returns a
short sentence saying what was confirmed, or raises :class:`Wrong` (the answer is well formed but
does not have the property asked for), :class:`Invalid` (the answer cannot be checked: wrong type,
shape, NaN) or :class:`NotAttempted` (the stub is unedited). :func:`check` turns all of these,
and any exception raised by the learner's own code, into a :class:`Result`, never a traceback.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

STATUSES = ("correct", "incorrect", "not attempted", "invalid")
_HEADLINE = {"correct": "correct", "incorrect": "not yet",
             "not attempted": "not attempted yet", "invalid": "cannot check this answer"}


class Wrong(Exception):  # noqa: N818 - a verdict, not an error of the program
    """The answer is well formed but wrong; ``message`` says what is wrong, ``hint`` how to look."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


class Invalid(Exception):  # noqa: N818
    """The answer cannot be judged: wrong type, shape or non-finite values."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAttempted(Exception):  # noqa: N818
    """The answer is still the stub (``...`` or a function raising ``NotImplementedError``)."""


@dataclass(frozen=True)
class Result:
    """What :func:`check` returns: a verdict with a stable text representation.

    Attributes
    ----------
    label : str
        The exercise label, e.g. ``"ex-05-nndl-4-2"``.
    status : str
        One of ``"correct"``, ``"incorrect"``, ``"not attempted"``, ``"invalid"``.
    message : str
        What was confirmed, what is wrong, or what to do.
    hint : str
        A pointer for a wrong answer (never the solution); empty otherwise.
    """

    label: str
    status: str
    message: str
    hint: str = ""

    @property
    def passed(self) -> bool:
        """True when the answer has the property the exercise asks for."""
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        text = f"{self.label}: {_HEADLINE[self.status]} — {self.message}"
        return f"{text}\nHint: {self.hint}" if self.hint else text

    def __repr__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Check:
    """A registered check: the exercise it judges, its stub and its judge function."""

    label: str
    chapter: str
    expects: str
    stub: str
    judge: Callable[[Any], str]

    @property
    def call(self) -> str:
        """The check call that follows the stub in the chapter's your-turn cell."""
        name = "answer" if "answer = " in self.stub else self.stub.split("def ", 1)[1].split("(")[0]
        return f'check("{self.label}", {name})'

    @property
    def cell(self) -> str:
        """The whole code cell: the stub, then the check call."""
        gap = "\n\n" if "def " in self.stub and "answer = " not in self.stub else "\n"
        return f"{self.stub}{gap}{self.call}"


CHECKS: dict[str, Check] = {}


def exercise_check(label: str, expects: str, stub: str) -> Callable[[Callable[[Any], str]],
                                                                    Callable[[Any], str]]:
    """Register ``judge`` as the check of exercise ``label``.

    Parameters
    ----------
    label : str
        The sphinx-exercise label, ``ex-NN-slug``.
    expects : str
        What the answer is, as the "not attempted" message says it, e.g.
        "your weights (W1, b1, W2, b2)".
    stub : str
        The stub line(s) of the chapter's "your turn" cell, for the author guide and the index.
    """
    if label in CHECKS:
        raise ValueError(f"label {label!r} has a check already")
    chapter = label.split("-")[1]

    def register(judge: Callable[[Any], str]) -> Callable[[Any], str]:
        CHECKS[label] = Check(label, chapter, expects, stub, judge)
        return judge

    return register


def describe_functions(functions: tuple[tuple[str, str], ...]) -> str:
    """What an answer of ``(signature, returns)`` functions is, in words.

    >>> describe_functions((("std_z(k)", "the standard deviation of z"),))
    'a function std_z(k) returning the standard deviation of z'
    >>> describe_functions((("f(x)", "f"), ("g(x)", "g")))
    'two functions, f(x) returning f, and g(x) returning g'
    """
    each = [f"{signature} returning {returns}" for signature, returns in functions]
    if len(each) == 1:
        return f"a function {each[0]}"
    count = {2: "two", 3: "three"}.get(len(each), str(len(each)))
    return f"{count} functions, {', '.join(each[:-1])}, and {each[-1]}"


def function_check(label: str, *functions: tuple[str, str]) -> Callable[
        [Callable[..., str]], Callable[[Any], str]]:
    """Register the check of an exercise whose answer is one function, or a tuple of functions.

    Each function is described once, by a pair ``(signature, returns)`` such as
    ``("std_z(k)", "the standard deviation of z")``, and every text about the answer is made
    from it: the stub (one ``def my_<signature>:`` per function, whose body raises
    ``NotImplementedError`` with ``# edit: return <returns>``, then ``answer = (my_f, my_g)``
    when there are several), and what the answer is (:func:`describe_functions`), which the
    chapter's your-turn line and the "not attempted" message show. The decorated judge receives
    the learner's function(s), already checked to be callable, as positional arguments.

    Parameters
    ----------
    label : str
        As for :func:`exercise_check`.
    *functions : tuple of (str, str)
        The signature of each function without ``my_``, and what it returns (a noun phrase).
    """
    if not functions:
        raise ValueError(f"{label}: give at least one (signature, returns) pair")
    names = [signature.split("(", 1)[0] for signature, _ in functions]
    stub = "\n".join(f"def my_{signature}:\n    raise NotImplementedError  # edit: return {returns}"
                     for signature, returns in functions)
    if len(names) > 1:
        stub += f"\nanswer = ({', '.join('my_' + name for name in names)})"

    def register(judge: Callable[..., str]) -> Callable[[Any], str]:
        @functools.wraps(judge)
        def judge_answer(answer: object) -> str:
            if len(names) == 1:
                return judge(as_function("the answer", answer))
            given = as_tuple("the answer", answer, len(names), f"({', '.join(names)})")
            return judge(*(as_function(name, fn) for name, fn in zip(names, given)))

        return exercise_check(label, describe_functions(functions), stub)(judge_answer)

    return register


def _contains_stub(value: object, depth: int = 0) -> bool:
    if value is Ellipsis:
        return True
    if depth > 3:
        return False
    if isinstance(value, (tuple, list)):
        return any(_contains_stub(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(_contains_stub(v, depth + 1) for v in value.values())
    return False


def lookup(label: object) -> Check:
    """The registered check of ``label``; a ``ValueError`` naming near matches otherwise."""
    if not isinstance(label, str):
        raise TypeError(f"label must be an exercise label such as 'ex-05-nndl-4-2', "
                        f"got {type(label).__name__}")
    if label not in CHECKS:
        near = difflib.get_close_matches(label, list(CHECKS), n=3, cutoff=0.5)
        also = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
        raise ValueError(f"no check for exercise label {label!r}{also} "
                         f"(nndl_book.exercises.CHECKS lists all {len(CHECKS)})")
    return CHECKS[label]


def check(label: str, answer: object) -> Result:
    """Judge ``answer`` to exercise ``label`` and return a :class:`Result`.

    Parameters
    ----------
    label : str
        The exercise label, e.g. ``"ex-05-nndl-4-2"``.
    answer : object
        The learner's answer: weights, a number, an array or a function, as the exercise's stub
        says. ``...`` (the unedited stub) gives "not attempted yet".

    Returns
    -------
    Result
        Its text says correct, not yet (with what is wrong and a hint), not attempted yet, or
        why the answer cannot be checked.

    Raises
    ------
    ValueError
        If no check is registered for ``label`` (the message lists near matches).
    """
    entry = lookup(label)
    if _contains_stub(answer):
        return Result(label, "not attempted", f"replace `...` with {entry.expects}")
    try:
        with np.errstate(all="ignore"):
            message = entry.judge(answer)
    except NotAttempted:
        return Result(label, "not attempted",
                      "your function still raises NotImplementedError: replace that line with "
                      f"your code ({entry.expects})")
    except Wrong as wrong:
        return Result(label, "incorrect", wrong.message, wrong.hint)
    except Invalid as invalid:
        return Result(label, "invalid", invalid.message)
    return Result(label, "correct", message)


# ---------------------------------------------------------------- helpers for the judges

def type_name(value: object) -> str:
    return type(value).__name__


def as_array(name: str, value: object, shape: tuple[int, ...] | None = None,
             squeeze: bool = False) -> np.ndarray:
    """``value`` as a finite float64 array of ``shape``; :class:`Invalid` otherwise.

    With ``squeeze``, axes of length 1 are dropped before comparing shapes, so a column or a row
    vector passes where a vector is expected.
    """
    if callable(value) or isinstance(value, (str, bytes, dict, set)) or value is None:
        raise Invalid(f"{name} must be an array of numbers, got {type_name(value)}")
    try:
        arr = np.asarray(value, dtype=float)
    except Exception:  # noqa: BLE001 - ragged lists, objects, tensors that need .detach()
        if hasattr(value, "detach"):
            raise Invalid(f"{name} is a torch tensor that requires grad: pass "
                          "tensor.detach().numpy()") from None
        raise Invalid(f"{name} must be an array of numbers, got {type_name(value)} that numpy "
                      "cannot turn into one (ragged lists or non-numbers?)") from None
    if squeeze and shape is not None and arr.shape != shape:
        arr = arr.reshape(shape) if arr.size == int(np.prod(shape)) and \
            [s for s in arr.shape if s != 1] == [s for s in shape if s != 1] else arr
    if shape is not None and arr.shape != shape:
        raise Invalid(f"{name} must have shape {shape}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise Invalid(f"{name} contains NaN or infinity")
    return arr


def as_number(name: str, value: object) -> float:
    """``value`` as a finite float; :class:`Invalid` otherwise (bools are not numbers here)."""
    if isinstance(value, (bool, np.bool_, str, bytes, dict, set)) or value is None \
            or callable(value):
        raise Invalid(f"{name} must be a number, got {type_name(value)}")
    arr = as_array(name, value)
    if arr.size != 1:
        raise Invalid(f"{name} must be one number, got an array of shape {arr.shape}")
    return float(arr.reshape(()))


def as_function(name: str, value: object) -> Callable[..., Any]:
    if not callable(value):
        raise Invalid(f"{name} must be a function, got {type_name(value)}")
    return value


def as_tuple(name: str, value: object, length: int, what: str) -> tuple:
    if not isinstance(value, (tuple, list)):
        raise Invalid(f"{name} must be a tuple {what}, got {type_name(value)}")
    if len(value) != length:
        raise Invalid(f"{name} must be a tuple of {length}: {what}; got {len(value)} items")
    return tuple(value)


def as_dict(value: object, keys: Iterable[str], show: Callable[[str], str] = repr) -> dict:
    """The answer as a dict holding every key of ``keys``; :class:`Invalid` otherwise.

    ``show`` writes a key in the messages (``repr`` quotes it, ``str`` does not).
    """
    keys = list(keys)
    if not isinstance(value, dict):
        raise Invalid(f"the answer must be a dict with keys {', '.join(map(show, keys))}, "
                      f"got {type_name(value)}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise Invalid(f"the answer has no entry for {', '.join(map(show, missing))}")
    return value


def call(name: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Call the learner's ``fn``; its ``NotImplementedError`` means not attempted, any other
    exception becomes :class:`Invalid` naming the call."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise NotAttempted from None
    except (Wrong, Invalid, NotAttempted):
        raise
    except Exception as error:  # noqa: BLE001 - the learner's code may raise anything
        raise Invalid(f"calling {name} raised {type(error).__name__}: {error}") from None


def call_number(name: str, fn: Callable[..., Any], *args: Any) -> float:
    shown = ", ".join(fmt(a) for a in args)
    return as_number(f"{name}({shown})", call(name, fn, *args))


def elementwise(name: str, fn: Callable[..., Any], z: np.ndarray, *args: Any) -> np.ndarray:
    """``fn`` on the grid ``z`` (an array); one point at a time if it does not take arrays."""
    try:
        out = np.asarray(fn(z.copy(), *args), dtype=float)
        if out.shape == z.shape:
            return as_array(f"{name} on the grid", out)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception:  # noqa: BLE001, S110 - fall back to one point at a time
        pass
    values = [call_number(name, fn, float(t), *args) for t in z]
    return np.array(values)


def fmt(value: object) -> str:
    """A number printed briefly: 0.73, 1e-05, -2."""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if v == int(v) and abs(v) < 1e6:
            return str(int(v))
        return f"{v:.3g}" if abs(v) >= 1e-3 else f"{v:.2e}"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=3, separator=", ", suppress_small=True)
    return str(value)


def finite_difference(f: Callable[[np.ndarray], np.ndarray], z: np.ndarray,
                      h: float = 1e-5) -> np.ndarray:
    """Central differences of an element-wise ``f`` at every point of ``z``."""
    return (f(z + h) - f(z - h)) / (2 * h)


def jacobian_by_differences(f: Callable[[np.ndarray], Any], z: np.ndarray,
                            h: float = 1e-6) -> np.ndarray:
    """Central differences of ``f`` along each coordinate of the vector ``z``.

    Entry ``(..., k)`` is ``∂f/∂z_k``: a vector for a scalar ``f`` (its gradient), a matrix
    ``(j, k) = ∂f_j/∂z_k`` for a vector ``f``.
    """
    return np.stack([(f(z + h * e) - f(z - h * e)) / (2 * h) for e in np.eye(len(z))], axis=-1)


def worst(name: str, got: np.ndarray, want: np.ndarray, where: np.ndarray, tol: float,
          hint: str, what: str = "z", reference: str = "a numerical derivative gives") -> None:
    """Raise :class:`Wrong` at the point where ``got`` is furthest from ``want`` beyond ``tol``
    (absolute, scaled by 1 + |want|)."""
    err = np.abs(got - want) / (1.0 + np.abs(want))
    i = int(np.argmax(err))
    if err[i] > tol:
        raise Wrong(f"{name} at {what} = {fmt(float(where.flat[i]))} is {fmt(float(got.flat[i]))}, "
                    f"{reference} {fmt(float(want.flat[i]))}", hint)
