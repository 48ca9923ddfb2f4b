"""Self-test quizzes that work on the static website: no kernel, no request to any host.

:func:`quiz` returns a :class:`Quiz`, whose HTML (one ``<div>`` with its own ``<style>`` and a
short inline ``<script>``) is stored in the executed notebook and shown as it is by the website.
Each multiple-choice option is a ``<button>``; a numeric question has a labelled text field and a
"Check" button; a polite live region says "Correct." with a one-sentence explanation, or "Not
quite." so the learner can try again. Everything is built deterministically from the questions,
so the stored output is the same on every run.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

LABEL = re.compile(r"^ex-\d\d-[a-z0-9-]+$")


def _choices(name: str, value: object) -> tuple[str, ...]:
    """A question's ``options`` (or ``options_zh``): a tuple of distinct non-empty strings."""
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        raise TypeError(f"{name} must be a tuple of strings, got {type(value).__name__}")
    value = tuple(value)
    if not all(isinstance(o, str) and o.strip() for o in value):
        raise ValueError(f"{name} must be non-empty strings")
    if len(set(value)) != len(value):
        raise ValueError(f"{name} must be distinct, got {list(value)}")
    return value


@dataclass(frozen=True)
class Question:
    """One self-test question.

    Parameters
    ----------
    prompt : str
        The question, plain text (Unicode maths such as σ′(z), no LaTeX).
    answer : int or float
        For a multiple-choice question, the index of the correct option; for a numeric one, the
        correct value.
    explanation : str
        One sentence shown with "Correct.".
    options : tuple of str, optional
        Two or more distinct options; empty for a numeric question.
    tolerance : float, default 0
        Numeric questions: answers within this distance of ``answer`` count as correct.
    exercise : str, optional
        Label of the exercise the question comes from (``ex-NN-slug``), for the exercise index.
    prompt_zh, explanation_zh : str, optional
        The prompt and the explanation in Chinese, shown on the Chinese edition's pages.
    options_zh : tuple of str, optional
        The options in Chinese, in the order of ``options`` (``answer`` indexes both).
    """

    prompt: str
    answer: float
    explanation: str
    options: tuple[str, ...] = ()
    tolerance: float = 0.0
    exercise: str = ""
    prompt_zh: str = ""
    options_zh: tuple[str, ...] = ()
    explanation_zh: str = ""

    def __post_init__(self) -> None:
        for name in ("prompt", "explanation"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name} must be a non-empty string, got {value!r}")
        object.__setattr__(self, "options", _choices("options", self.options))
        if self.options:
            if len(self.options) < 2:
                raise ValueError("options must hold at least two choices, got 1")
            if isinstance(self.answer, bool) or not isinstance(self.answer, int) \
                    or not 0 <= self.answer < len(self.options):
                raise ValueError(f"answer must be the index of the correct option, 0 to "
                                 f"{len(self.options) - 1}, got {self.answer!r}")
        else:
            if isinstance(self.answer, bool) or not isinstance(self.answer, (int, float)) \
                    or not math.isfinite(self.answer):
                raise ValueError(f"answer of a numeric question must be a finite number, "
                                 f"got {self.answer!r}")
        if isinstance(self.tolerance, bool) or not isinstance(self.tolerance, (int, float)) \
                or not math.isfinite(self.tolerance) or self.tolerance < 0:
            raise ValueError(f"tolerance must be a number >= 0, got {self.tolerance!r}")
        if self.exercise and not LABEL.match(str(self.exercise)):
            raise ValueError(f"exercise must be a label such as 'ex-05-nndl-4-1', "
                             f"got {self.exercise!r}")
        self._check_chinese()

    def _check_chinese(self) -> None:
        object.__setattr__(self, "options_zh", _choices("options_zh", self.options_zh))
        given = [name for name in ("prompt_zh", "options_zh", "explanation_zh")
                 if getattr(self, name)]
        if not given:
            return
        for name in ("prompt_zh", "explanation_zh"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name} must be a non-empty string when the question has a "
                                 f"Chinese version ({', '.join(given)} given), got {value!r}")
        if len(self.options_zh) != len(self.options):
            raise ValueError(f"options_zh must translate each of the {len(self.options)} "
                             f"options, in order; got {len(self.options_zh)}")

    @property
    def numeric(self) -> bool:
        """True for a question answered by a number."""
        return not self.options


def display_order(q: Question) -> list[int]:
    """The order in which the options are shown: shuffled, but the same on every run.

    Authors may list the correct option first; the page must not.
    """
    def key(k: int) -> str:
        return hashlib.sha1(f"{q.prompt}\n{q.options[k]}".encode()).hexdigest()

    return sorted(range(len(q.options)), key=key)


def _as_question(item: object, i: int) -> Question:
    if isinstance(item, Question):
        return item
    if isinstance(item, Mapping):
        try:
            return Question(**item)
        except TypeError as error:
            raise TypeError(f"question {i + 1}: {error}") from None
    raise TypeError(f"question {i + 1} must be a Question or a dict, got {type(item).__name__}")


_STYLE = """
.nndl-quiz [lang=zh-CN]{display:none}
html[lang^=zh] .nndl-quiz [lang=en]{display:none}
html[lang^=zh] .nndl-quiz [lang=zh-CN]{display:inline}
.nndl-quiz{border:1px solid #c9ccd1;border-radius:6px;padding:.6em 1em;margin:.6em 0;max-width:46em}
.nndl-quiz h4{margin:.2em 0 .5em 0;font-size:1em}
.nndl-quiz-q{margin:.4em 0 .9em 0}
.nndl-quiz-prompt{margin:.2em 0 .4em 0;font-weight:600}
.nndl-quiz-option,.nndl-quiz-submit{display:block;width:100%;text-align:left;margin:.25em 0;
 padding:.35em .6em;border:1px solid #8a8f98;border-radius:4px;background:#f7f7f8;color:#1d1f22;
 font:inherit;cursor:pointer}
.nndl-quiz-submit{display:inline-block;width:auto}
.nndl-quiz-option:focus-visible,.nndl-quiz-submit:focus-visible,.nndl-quiz input:focus-visible{
 outline:3px solid #1a5fb4;outline-offset:1px}
.nndl-quiz-option[aria-pressed=true].is-right{background:#dff3e4;border-color:#1e7b34}
.nndl-quiz-option[aria-pressed=true].is-wrong{background:#fbe3e4;border-color:#a51d2d}
.nndl-quiz input{font:inherit;padding:.25em .4em;width:9em;margin-right:.4em}
.nndl-quiz-feedback{min-height:1.3em;margin:.3em 0}
.nndl-quiz-feedback.is-right{color:#1e7b34}.nndl-quiz-feedback.is-wrong{color:#a51d2d}
"""

# Runs once per quiz on the page; finds its own root by id, so several quizzes coexist.
_SCRIPT = """
(function () {
  var root = document.getElementById("%(id)s");
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var zh = /^zh/i.test(document.documentElement.lang || "") && root.dataset.zh === "1";
  function say(q, right) {
    var out = q.querySelector(".nndl-quiz-feedback");
    out.className = "nndl-quiz-feedback " + (right ? "is-right" : "is-wrong");
    if (zh) {
      out.textContent = right ? "正确。" + q.dataset.explainZh : "不太对，再试一次。";
    } else {
      out.textContent = right ? "Correct. " + q.dataset.explain : "Not quite. Try again.";
    }
  }
  root.querySelectorAll(".nndl-quiz-q").forEach(function (q) {
    q.querySelectorAll(".nndl-quiz-option").forEach(function (b) {
      b.addEventListener("click", function () {
        var right = b.dataset.index === q.dataset.answer;
        q.querySelectorAll(".nndl-quiz-option").forEach(function (o) {
          o.setAttribute("aria-pressed", "false"); o.classList.remove("is-right", "is-wrong");
        });
        b.setAttribute("aria-pressed", "true");
        b.classList.add(right ? "is-right" : "is-wrong");
        say(q, right);
      });
    });
    var submit = q.querySelector(".nndl-quiz-submit");
    if (submit) {
      var field = q.querySelector("input");
      var judge = function () {
        var value = parseFloat(field.value.replace(",", ".").replace("\\u2212", "-"));
        var right = isFinite(value) &&
          Math.abs(value - parseFloat(q.dataset.answer)) <= parseFloat(q.dataset.tolerance) + 1e-12;
        say(q, right);
      };
      submit.addEventListener("click", judge);
      field.addEventListener("keydown", function (e) { if (e.key === "Enter") { judge(); } });
    }
  });
})();
"""


class Quiz:
    """A self-test quiz; displays as HTML in Jupyter and on the website.

    Its text representation (what nbval compares, and what a terminal shows) lists the prompts.
    """

    def __init__(self, questions: list[Question], title: str, title_zh: str = "") -> None:
        self.questions = questions
        self.title = title
        # Chinese only when every question has it: a page never mixes the two languages
        self.chinese = bool(title_zh) and all(q.prompt_zh for q in questions)
        self.title_zh = title_zh if self.chinese else ""
        payload = json.dumps([asdict(q) for q in questions] + [title, self.title_zh],
                             sort_keys=True)
        self.id = "nndl-quiz-" + hashlib.sha1(payload.encode()).hexdigest()[:10]

    def __repr__(self) -> str:
        lines = [f"{self.title} ({len(self.questions)} questions; answer them in the "
                 "notebook or on the website)"]
        lines += [f"{i}. {q.prompt}" for i, q in enumerate(self.questions, start=1)]
        return "\n".join(lines)

    def _text(self, english: str, chinese: str) -> str:
        """HTML of a text in English, and in Chinese where the page is Chinese."""
        if not self.chinese:
            return html.escape(english)
        return (f'<span lang="en">{html.escape(english)}</span>'
                f'<span lang="zh-CN">{html.escape(chinese)}</span>')

    def _question_html(self, i: int, q: Question) -> str:
        qid = f"{self.id}-{i}"
        e = html.escape
        explain_zh = f' data-explain-zh="{e(q.explanation_zh)}"' if self.chinese else ""
        head = (f'<div class="nndl-quiz-q" data-answer="{e(str(q.answer))}" '
                f'data-tolerance="{e(repr(float(q.tolerance)))}" data-explain="{e(q.explanation)}"'
                f'{explain_zh}>'
                f'<p class="nndl-quiz-prompt" id="{qid}-p">{i}. '
                f'{self._text(q.prompt, q.prompt_zh)}</p>')
        if q.numeric:
            body = (f'<label for="{qid}-in">{self._text("Your answer", "你的答案")} </label>'
                    f'<input id="{qid}-in" type="text" inputmode="decimal" autocomplete="off" '
                    f'aria-describedby="{qid}-p">'
                    f'<button type="button" class="nndl-quiz-submit">'
                    f'{self._text("Check", "检查")}</button>')
        else:
            zh = q.options_zh or q.options
            buttons = "".join(f'<button type="button" class="nndl-quiz-option" '
                              f'data-index="{k}" aria-pressed="false">'
                              f'{self._text(q.options[k], zh[k])}</button>'
                              for k in display_order(q))
            body = f'<div role="group" aria-labelledby="{qid}-p">{buttons}</div>'
        feedback = '<p class="nndl-quiz-feedback" role="status" aria-live="polite"></p>'
        return head + body + feedback + "</div>"

    def _repr_html_(self) -> str:
        zh = ' data-zh="1"' if self.chinese else ""
        parts = [f'<div class="nndl-quiz" id="{self.id}"{zh}>',
                 f"<style>{_STYLE.strip()}</style>",
                 f"<h4>{self._text(self.title, self.title_zh)}</h4>"]
        parts += [self._question_html(i, q) for i, q in enumerate(self.questions, start=1)]
        parts.append(f"<script>{_SCRIPT % {'id': self.id}}</script></div>")
        return "\n".join(parts)


def quiz(questions: str | Iterable[Question | Mapping[str, object]],
         title: str = "Self-test", title_zh: str = "自测") -> Quiz:
    """A quiz of ``questions``, shown as buttons that say "Correct." or "Not quite.".

    When every question has a Chinese version (``prompt_zh``, ...), the quiz carries both
    languages and shows the one of the page: Chinese on the Chinese edition, English elsewhere
    (the notebooks in Jupyter, Binder and Colab are English).

    Parameters
    ----------
    questions : str or iterable of Question or dict
        A chapter key of :data:`nndl_book.exercises.QUIZZES` (``"05"``), or the questions
        themselves (dicts take the fields of :class:`Question`).
    title : str, default "Self-test"
        Heading shown above the questions.
    title_zh : str, default "自测"
        The heading on the Chinese edition (used when the questions have Chinese versions).

    Returns
    -------
    Quiz
        Make it the last expression of a cell to display it.

    Raises
    ------
    KeyError
        If ``questions`` is a chapter key with no quiz.
    TypeError, ValueError
        If a question is malformed (the message names the question and the field).
    """
    if isinstance(questions, str):
        from nndl_book.exercises.quizzes import QUIZZES

        if questions not in QUIZZES:
            raise KeyError(f"no quiz for chapter {questions!r}; chapters with a quiz: "
                           f"{', '.join(sorted(QUIZZES))}")
        questions = QUIZZES[questions]
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"title must be a non-empty string, got {title!r}")
    if not isinstance(title_zh, str):
        raise TypeError(f"title_zh must be a string, got {type(title_zh).__name__}")
    if title_zh and not title_zh.strip():
        raise ValueError(f"title_zh must be a title or empty (no Chinese title), got {title_zh!r}")
    items = list(questions)
    if not items:
        raise ValueError("questions must hold at least one question")
    return Quiz([_as_question(item, i) for i, item in enumerate(items)], title, title_zh)
