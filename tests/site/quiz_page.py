"""Answering a chapter page's self-test quiz in the browser (used by the page test).

Every question is answered wrongly first (the page must say "Not quite", or 不太对 on the
Chinese edition) and then rightly (it must say "Correct"/正确 and give the explanation in the
page's language). The right answers come from ``nndl_book.exercises.QUIZZES``, not from the
page, so a page whose answer key disagrees with the package fails.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from nndl_book.exercises import QUIZZES, Question

# A chapter page of either edition (the Chinese one is under zh/; its quiz is the same output).
CHAPTER_PAGE = re.compile(r"^(?:zh/)?book/chapters/(\d\d)_[^/]+\.html$")


def quiz_chapter(rel: str) -> str | None:
    """The chapter number of a chapter page that should hold a quiz, else None."""
    match = CHAPTER_PAGE.match(rel)
    return match.group(1) if match and match.group(1) in QUIZZES else None


def feedback_after(block: Locator, act) -> str:  # noqa: ANN001
    act()
    out = block.locator(".nndl-quiz-feedback")
    out.page.wait_for_function("(el) => el.textContent.length > 0", arg=out.element_handle(),
                               timeout=5_000)
    return out.inner_text()


def in_chinese(rel: str) -> bool:
    return rel.startswith("zh/")


def answer_wrong_then_right(block: Locator, q: Question, chinese: bool) -> tuple[str, str]:
    """Feedback after a wrong answer, then after the right one."""
    if q.numeric:
        field, submit = block.locator("input"), block.locator(".nndl-quiz-submit")
        wrong = q.answer + 10 * q.tolerance + 1

        def enter(value: float) -> None:
            field.fill(repr(value))
            submit.click()

        return (feedback_after(block, lambda: enter(wrong)),
                feedback_after(block, lambda: enter(q.answer)))
    options = block.locator(".nndl-quiz-option")
    texts = [t.strip() for t in options.all_inner_texts()]
    shown = q.options_zh if chinese else q.options
    assert sorted(texts) == sorted(shown), (q.prompt, texts)
    wrong = next(k for k in range(len(q.options)) if k != q.answer)
    return (feedback_after(block, lambda: options.nth(texts.index(shown[wrong])).click()),
            feedback_after(block, lambda: options.nth(texts.index(shown[q.answer])).click()))


def answer_quiz(page: Page, chapter: str, chinese: bool = False) -> list[str]:
    """Answer every question of the chapter's quiz; return what went wrong (empty: all well)."""
    quizzes = page.locator(".nndl-quiz")
    if quizzes.count() != 1:
        return [f"chapter {chapter}: {quizzes.count()} quizzes on the page, expected 1"]
    blocks = quizzes.first.locator(".nndl-quiz-q")
    questions = QUIZZES[chapter]
    if blocks.count() != len(questions):
        return [f"chapter {chapter}: {blocks.count()} questions, expected {len(questions)}"]
    problems = []
    prompt, explanation = ("prompt_zh", "explanation_zh") if chinese else ("prompt", "explanation")
    not_quite, correct = ("不太对", "正确") if chinese else ("Not quite", "Correct")
    for i, q in enumerate(questions, start=1):
        block = blocks.nth(i - 1)
        if getattr(q, prompt) not in block.locator(".nndl-quiz-prompt").inner_text():
            problems.append(f"quiz question {i}: the page shows another prompt")
            continue
        block.scroll_into_view_if_needed()
        wrong, right = answer_wrong_then_right(block, q, chinese)
        if not wrong.startswith(not_quite):
            problems.append(f"quiz question {i}: a wrong answer gave {wrong!r}")
        if not (right.startswith(correct) and getattr(q, explanation) in right):
            problems.append(f"quiz question {i}: the right answer gave {right!r}")
    return problems
