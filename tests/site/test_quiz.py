"""The self-test quiz of every chapter page, in chromium, offline, with no kernel.

On each chapter page that has a quiz, every question is answered wrongly first (the page must
say "Not quite") and then rightly (it must say "Correct"). The right answers come from
``nndl_book.exercises.QUIZZES``, not from the page, so a page whose answer key disagrees with the
package fails. The page must make no request to another host, none may fail, and the console
must stay free of errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator
from test_browser import open_page

from nndl_book.exercises import QUIZZES, Question


def chapter_page(site_dir: Path, chapter: str) -> str:
    found = sorted((site_dir / "book" / "chapters").glob(f"{chapter}_*.html"))
    if len(found) != 1:
        pytest.fail(f"expected one page for chapter {chapter} in {site_dir}, found {found}")
    return found[0].relative_to(site_dir).as_posix()


def feedback_after(block: Locator, act) -> str:  # noqa: ANN001
    act()
    out = block.locator(".nndl-quiz-feedback")
    out.page.wait_for_function("(el) => el.textContent.length > 0", arg=out.element_handle(),
                               timeout=5_000)
    return out.inner_text()


def answer_wrong_then_right(block: Locator, q: Question) -> tuple[str, str]:
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
    texts = options.all_inner_texts()
    assert sorted(texts) == sorted(q.options), (q.prompt, texts)
    wrong = next(k for k in range(len(q.options)) if k != q.answer)
    return (feedback_after(block, lambda: options.nth(texts.index(q.options[wrong])).click()),
            feedback_after(block, lambda: options.nth(texts.index(q.options[q.answer])).click()))


@pytest.mark.parametrize("chapter", sorted(QUIZZES))
def test_quiz_answers_on_the_static_page(browser: Browser, server: str, site_dir: Path,
                                         chapter: str) -> None:
    rel = chapter_page(site_dir, chapter)
    page, log = open_page(browser, server, rel, (site_dir / rel).read_text(encoding="utf-8"))
    try:
        quizzes = page.locator(".nndl-quiz")
        assert quizzes.count() == 1, f"chapter {chapter}: {quizzes.count()} quizzes on the page"
        blocks = quizzes.first.locator(".nndl-quiz-q")
        questions = QUIZZES[chapter]
        assert blocks.count() == len(questions)
        for i, q in enumerate(questions):
            block = blocks.nth(i)
            assert q.prompt in block.locator(".nndl-quiz-prompt").inner_text()
            block.scroll_into_view_if_needed()
            wrong, right = answer_wrong_then_right(block, q)
            assert wrong.startswith("Not quite"), (chapter, i + 1, wrong)
            assert right.startswith("Correct"), (chapter, i + 1, right)
            assert q.explanation in right
        assert log.off_host == [], log.off_host
        assert log.failed == [], log.failed
        assert log.errors == [], log.errors
    finally:
        page.close()
