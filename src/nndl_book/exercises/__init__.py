'''Exercises a learner can attempt and check: ``check(label, answer)`` and ``quiz(chapter)``.

**For learners.**
Under an exercise, a "your turn" cell holds a stub to edit and a check call::

    answer = (..., ..., ..., ...)  # edit: W1 (2×2), b1 (2,), W2 (1×2), b2 (1,)
    check("ex-05-nndl-4-2", answer)

``check`` returns a result that shows as one line: ``correct``, ``not yet`` (what is wrong,
and a hint on a second line), ``not attempted yet`` (the stub is unedited) or ``cannot check
this answer`` (wrong type, shape, NaN). It judges
the property the exercise asks for, not the book's particular answer: any 2-2-1 ReLU network
that computes XOR passes, any correct derivative passes whatever its formula (compared with
central differences on a grid), numbers pass within a stated tolerance. Checks use numpy only
and each takes well under a second.

**For authors: writing a "your turn" cell.**

1. The check of an exercise is registered under the exercise's label in one module per chapter
   (``nndl_book/exercises/chNN.py``) with :func:`exercise_check`. ``CHECKS[label].stub`` holds
   the stub line(s) to put in the chapter; ``CHECKS[label].expects`` says what the answer is.
2. In ``chapters/NN_name.py``, between the exercise directive and the ``{solution-start}``
   marker, split the markdown cell and add a short markdown cell and one code cell::

       # %% [markdown]
       # ```{exercise} NNDL 4-2
       # :label: ex-05-nndl-4-2
       # Design a feedforward network ...
       # ```

       # %% [markdown]
       # **Your turn.** Edit the cell below (your weights (W1, b1, W2, b2) of shapes (2, 2), (2,),
       # (1, 2), (1,)), then run it.

       # %%
       answer = (..., ..., ..., ...)  # edit: W1 (2×2), b1 (2,), W2 (1×2), b2 (1,)
       check("ex-05-nndl-4-2", answer)

       # %% [markdown]
       # ```{solution-start} ex-05-nndl-4-2
       # :class: dropdown
       # ```

   For a function, the stub is a ``def my_name(...)`` whose body raises ``NotImplementedError``,
   followed by ``check(label, my_name)``. ``CHECKS[label].cell`` is the whole code cell.
   Register such a check with ``function_check(label, ("name(args)", "what it returns"))`` from
   ``nndl_book.exercises._core`` instead of :func:`exercise_check`: from that one description it
   writes the stub, the your-turn line and the "not attempted" message, and it hands the judge
   the learner's function, already checked to be callable; with one pair per function, several
   functions are asked for as ``answer = (my_f, my_g)``. ``python tools/your_turn.py`` rewrites
   a chapter's your-turn cells when a check's description changes, and ``--check`` fails while
   one is stale. Exercise 4-2 also takes a list of networks, ``check(label, [net1, net2])``, and
   says when two are the same network. Prefix stub names with ``my_`` so they never shadow the
   chapter's own names, and keep the cell self-contained (only ``np`` and ``check``), because
   the student edition runs it without the solutions above it. Import ``check`` (and ``quiz``)
   once, in the chapter's first your-turn (or quiz) cell: ``from nndl_book.exercises import
   check, quiz``; the chapter's first cells (installation and setup) stay as they are. A chapter
   must not define a function of its own named ``check`` or ``quiz``.
3. The executed notebook stores the unedited stub and its "not attempted yet" line; nbval
   compares that line, which is the same on every run.
4. A chapter's self-test quiz is one code cell, usually after the exercises::

       # %% [markdown]
       # ## Self-test
       # Click an answer; the page says whether it is right. No kernel needed.

       # %%
       quiz("05")

   The questions are written in ``nndl_book/exercises/quizzes.toml``, one ``[[05]]`` table
   per question, each with the label of the exercise it comes from;
   :mod:`nndl_book.exercises.quizzes` reads and checks them (``QUIZZES["05"]``). The quiz is
   HTML with an inline script: it works on the static website and in Jupyter, and loads
   nothing from any host.
5. ``python tools/your_turn.py`` does steps 2 and 4 for every chapter (it inserts
   ``CHECKS[label].cell`` before each solution, the quiz before "## Summary", and the import in
   the first inserted cell; it writes the your-turn line and cell already there again from the
   registry, so the markdown line is always "**Your turn.** Edit the cell below (<expects>),
   then run it."). ``--check`` reports chapters that lack a cell or hold a stale one, and fails
   when a registered check has no exercise in its chapter or a chapter calls ``check`` for a
   label with no check. Then ``make notebooks``.
6. ``make student`` writes ``book/student/NN_name.ipynb``: the chapters with every solution
   (``{solution-start}`` … ``{solution-end}``, text and code cells) removed and the outputs of
   the your-turn cells cleared.

**For the exercise index.**
``CHECKS`` maps a label to its :class:`Check`; ``QUIZZES`` maps a chapter to its questions, each
with ``.exercise``; :func:`coverage` gives, for every label with either, ``{"check", "quiz"}``
or one of them. ``tools/exercise_index.py`` can use it for a "check / quiz" column.
'''

from nndl_book.exercises import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09  # noqa: F401
from nndl_book.exercises._core import CHECKS, Check, Result, check, exercise_check
from nndl_book.exercises.quiz import Question, Quiz, quiz
from nndl_book.exercises.quizzes import QUIZZES


def coverage() -> dict[str, set[str]]:
    """For every exercise label with a check or a quiz question: ``{"check"}``, ``{"quiz"}``
    or both."""
    found: dict[str, set[str]] = {label: {"check"} for label in CHECKS}
    for questions in QUIZZES.values():
        for q in questions:
            if q.exercise:
                found.setdefault(q.exercise, set()).add("quiz")
    return dict(sorted(found.items()))


__all__ = ["CHECKS", "QUIZZES", "Check", "Question", "Quiz", "Result", "check", "coverage",
           "exercise_check", "quiz"]
