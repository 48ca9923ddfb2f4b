"""The self-test questions of each chapter, keyed by chapter number ("01" … "10").

The questions are content, not code: they are written in ``quizzes.toml`` beside this module
(shipped with the package), one ``[[NN]]`` table per question of chapter ``NN``, and read once,
when the package is imported, into :data:`QUIZZES`. Each question names the exercise it comes
from (``exercise``), so the exercise index can show which exercises have a quiz. Display one
chapter's quiz with ``quiz("05")``.

The file is checked as it is read: a chapter key that is not a chapter number, a field that a
:class:`~nndl_book.exercises.Question` does not have, a question without a prompt, an answer or
an explanation, a question naming an exercise of another chapter, or anything the
:class:`~nndl_book.exercises.Question` itself rejects stops the import with an error that names
the chapter, the question's number and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from importlib import resources
from pathlib import Path

from nndl_book.exercises.quiz import Question

__all__ = ["QUIZZES", "load_quizzes"]

#: The file of the book's questions, inside the package.
QUIZ_FILE = "quizzes.toml"
_CHAPTER = re.compile(r"^\d\d$")
_FIELDS = tuple(f.name for f in fields(Question))
_REQUIRED = ("prompt", "answer", "exercise", "explanation")


def load_quizzes(path: str | Path | None = None) -> dict[str, list[Question]]:
    """Read and check a file of quiz questions (default: the book's ``quizzes.toml``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A TOML file whose keys are chapter numbers (``"05"``), each an array of tables with the
        fields of :class:`~nndl_book.exercises.Question`: ``prompt``, ``options`` (left out for
        a question answered by a number), ``answer``, ``tolerance`` (optional), ``exercise``
        (``ex-NN-slug``, of the same chapter) and ``explanation``.

    Returns
    -------
    dict of str to list of Question
        The questions of each chapter, in the file's order, chapters sorted.

    Raises
    ------
    ValueError, TypeError
        If the file is not valid TOML, or a chapter or a question is malformed; the message
        names the file, the chapter, the question's number (from 1) and the field. Nothing is
        returned unless every question is valid.
    """
    if path is None:
        source = resources.files(__package__).joinpath(QUIZ_FILE)
        name = QUIZ_FILE
    else:
        source = Path(path)
        name = str(path)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{name} is not valid TOML: {error}") from None
    quizzes: dict[str, list[Question]] = {}
    for chapter, items in sorted(data.items()):
        if not _CHAPTER.match(chapter):
            raise ValueError(f"{name}: {chapter!r} is not a chapter number such as '05'; "
                             f"write each question as a [[NN]] table")
        if not isinstance(items, list) or not items \
                or not all(isinstance(item, dict) for item in items):
            raise ValueError(f"{name}: chapter {chapter} must be one or more [[{chapter}]] "
                             f"tables, one per question")
        quizzes[chapter] = [_question(item, f"{name}, chapter {chapter}, question {i}", chapter)
                            for i, item in enumerate(items, start=1)]
    return quizzes


def _question(item: dict[str, object], where: str, chapter: str) -> Question:
    unknown = sorted(set(item) - set(_FIELDS))
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(unknown)}; a question has "
                         f"{', '.join(_FIELDS)}")
    missing = [key for key in _REQUIRED if key not in item]
    if missing:
        raise ValueError(f"{where}: no {', no '.join(missing)}")
    if not str(item["exercise"]).startswith(f"ex-{chapter}-"):
        raise ValueError(f"{where}: exercise must be a label of chapter {chapter} "
                         f"(ex-{chapter}-…), got {item['exercise']!r}")
    try:
        return Question(**item)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{where}: {error}") from None


#: The questions of each chapter's self-test, read from ``quizzes.toml``.
QUIZZES: dict[str, list[Question]] = load_quizzes()
