"""The glossary's terms (``book/appendix/glossary.md``), read from its Markdown table.

Two users: the Chinese edition's checks (``tools/i18n.py`` fails on an English term left in
Chinese prose) and its search index (``nndl_sphinx`` teaches the word splitter the Chinese terms,
so that a search for 误差项 finds the pages that use it).
"""

from __future__ import annotations

import re
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parent.parent / "appendix" / "glossary.md"
CHINESE = re.compile(r"[\u4e00-\u9fff]+")


def glossary_terms(path: Path = GLOSSARY) -> list[tuple[str, str]]:
    """The glossary's (English, Chinese) pairs, in the order of its table."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 2 or set(cells[0]) <= set("-: "):
            continue
        english, chinese = cells[0], cells[1]
        if english.lower() in {"english", "英文"}:
            continue
        pairs.append((english, chinese))
    return pairs


def chinese_words(path: Path = GLOSSARY) -> list[str]:
    """Each run of Chinese characters in the glossary's Chinese terms, once, longest first.

    ``提前停止（早停）`` gives 提前停止 and 早停, ``Logistic 函数`` gives 函数: the words a reader
    types into the search box.
    """
    words = {word for _, chinese in glossary_terms(path) for word in CHINESE.findall(chinese)}
    return sorted(words, key=lambda word: (-len(word), word))
