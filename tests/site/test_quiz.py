"""Every chapter with a self-test quiz has it on its page.

The quiz itself is answered in chromium, offline, by the page test (``test_browser.py``, which
calls ``quiz_page.answer_quiz`` on every chapter page while the page is open), so each page is
loaded once.
"""

from __future__ import annotations

from pathlib import Path

from quiz_page import quiz_chapter

from nndl_book.exercises import QUIZZES


def test_every_quiz_is_on_its_chapter_page_in_both_editions(site_dir: Path,
                                                           pages: list[str]) -> None:
    for edition in ("", "zh/"):
        on_pages = {quiz_chapter(rel): rel for rel in pages
                    if quiz_chapter(rel) and rel.startswith(f"{edition}book/")}
        assert sorted(on_pages) == sorted(QUIZZES), (edition, sorted(on_pages), sorted(QUIZZES))
        for rel in on_pages.values():
            html = (site_dir / rel).read_text(encoding="utf-8")
            assert html.count('class="nndl-quiz"') == 1, f"{rel}: expected one quiz"
