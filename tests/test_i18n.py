"""The Chinese edition's machinery: the translation lint, the glossary, the catalogues' pages and
the language switch. (Completeness against freshly extracted messages is `make translations`.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from tool_modules import load_module, load_tool

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


i18n = load_tool("i18n", "nndl_i18n")
ext = load_module(ROOT / "book" / "_ext" / "nndl_sphinx.py", "nndl_sphinx_ext")

ENGLISH = ("With the cross-entropy loss and $\\eta = 0.1$ only {glue:text}`rate_default` of "
           "seeds 0 to 99 succeed ({ref}`sec-dead-relu`, `nn.Linear`, *hard*).")
GOOD = ("使用交叉熵损失、$\\eta = 0.1$ 时，种子 0 到 99 中只有 {glue:text}`rate_default` 成功"
        "（{ref}`sec-dead-relu`，`nn.Linear`，*很难*）。")
TERMS = [(english, i18n._term_pattern(english)) for english in ("cross-entropy", "learning rate")]


def test_a_faithful_translation_passes() -> None:
    assert i18n.lint_message(ENGLISH, GOOD, TERMS) == []


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (GOOD.replace("$\\eta = 0.1$", "$\\eta=0.1$"), "maths differ"),
        (GOOD.replace("rate_default", "rate_best"), "roles differ"),
        (GOOD.replace("{ref}`sec-dead-relu`", "死亡 ReLU 问题"), "roles differ"),
        (GOOD.replace("`nn.Linear`", "nn.Linear"), "code differ"),
        (GOOD.replace("0 到 99", "零到九十九"), "numbers differ"),
        (GOOD.replace("*很难*", "很难"), "emphasis differs"),
        (GOOD.replace("交叉熵损失", "cross-entropy 损失"), "glossary term 'cross-entropy'"),
        (GOOD.replace("交叉熵损失", "Cross Entropy 损失"), "glossary term 'cross-entropy'"),
    ],
)
def test_the_lint_names_what_a_translation_lost(broken: str, problem: str) -> None:
    problems = i18n.lint_message(ENGLISH, broken, TERMS)
    assert any(problem in p for p in problems), problems


def test_unparsed_strong_emphasis_in_chinese_is_caught() -> None:
    english = "a **dead unit** never changes"
    assert i18n.lint_message(english, "**“死亡神经元”**不再改变") != []
    assert i18n.lint_message(english, "“**死亡神经元**”不再改变") == []


def test_the_word_exercise_is_not_doubled_before_an_exercise_reference() -> None:
    english = "{ref}`ex-05-width` measures it"
    assert i18n.lint_message(english, "{ref}`ex-05-width` 测量了它") == []
    assert i18n.lint_message(english, "习题 {ref}`ex-05-width` 测量了它") != []


def test_a_section_is_written_the_chinese_way() -> None:
    english = "backpropagation (NNDL §4.4) starts from the output"
    assert i18n.lint_message(english, "反向传播（NNDL 第 4.4 节）从输出出发") == []
    problems = i18n.lint_message(english, "反向传播（NNDL §4.4）从输出出发")
    assert any("第 N 节" in p for p in problems), problems


def test_a_ref_with_its_own_text_may_translate_the_text() -> None:
    english = "see {ref}`the section on dead units <sec-dead-relu>`"
    assert i18n.lint_message(english, "见{ref}`死亡神经元一节 <sec-dead-relu>`") == []
    assert i18n.lint_message(english, "见{ref}`死亡神经元一节 <sec-other>`") != []


def test_plural_and_hyphen_forms_of_a_term_are_caught() -> None:
    pattern = i18n._term_pattern("mini-batch")
    assert pattern.search("每个 mini-batches 都")
    assert pattern.search("每个mini-batch都")
    assert pattern.search("每个 mini batch 都")
    assert not pattern.search("每个小批量都")


def test_the_glossary_pairs_english_with_nndl_terms() -> None:
    pairs = i18n.glossary_terms()
    assert len(pairs) >= 50
    english = [e for e, _ in pairs]
    assert len(set(english)) == len(english), "a term is listed twice"
    for term, chinese in pairs:
        assert CJK.search(chinese), f"{term!r}: {chinese!r} has no Chinese"
    chinese_terms = " ".join(c for _, c in pairs)
    for nndl in ("净输入", "误差项", "反向传播", "激活函数", "交叉熵", "梯度消失", "死亡 ReLU 问题",
                 "权重衰减", "提前停止", "早停", "批量归一化", "丢弃法"):
        assert nndl in chinese_terms, f"NNDL's term {nndl} is missing from the glossary"


def _toc_pages() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = {toc["root"]}
    for part in toc["parts"]:
        pages |= {chapter["file"] for chapter in part["chapters"]}
    return pages


def test_every_page_has_a_catalogue_and_every_catalogue_a_page() -> None:
    assert set(i18n.catalogues()) == _toc_pages()


def test_the_api_catalogue_holds_the_page_prose_not_the_docstrings() -> None:
    from nndl_book.engine import mlp
    from nndl_book.maths import activations, losses

    api = {m.id for m in i18n.read_catalogue(i18n.catalogues()["book/appendix/api"]) if m.id}
    assert "This page is generated from the docstrings." in api
    for module in (activations, losses, mlp):
        summary = module.__doc__.strip().splitlines()[0]
        assert summary not in api, f"{module.__name__}'s docstring is in the catalogue"


@pytest.mark.parametrize(
    ("language", "pagename", "href"),
    [
        ("en", "index", "zh/index.html"),
        ("en", "book/chapters/05_xor_relu", "../../zh/book/chapters/05_xor_relu.html"),
        ("zh_CN", "book/chapters/05_xor_relu", "../../../book/chapters/05_xor_relu.html"),
        ("zh_CN", "search", "../search.html"),
    ],
)
def test_the_language_switch_names_the_same_page(language: str, pagename: str, href: str) -> None:
    class Config:
        pass

    class App:
        config = Config()

    App.config.language = language
    context: dict = {}
    ext.language_switch(App(), pagename, "page.html", context, None)
    assert context["nndl_language_switch"]["href"] == href
    assert f'href="{href}"' in context["metatags"]


def test_every_quiz_question_has_its_chinese_version_in_the_glossary_terms() -> None:
    from nndl_book.exercises import QUIZZES

    terms = i18n.glossary_patterns()
    problems = []
    for chapter, questions in QUIZZES.items():
        for number, q in enumerate(questions, start=1):
            if not (q.prompt_zh and q.explanation_zh):
                problems.append(f"chapter {chapter}, question {number}: no Chinese version")
                continue
            for text in (q.prompt_zh, q.explanation_zh, *q.options_zh):
                problems += [f"chapter {chapter}, question {number}: {english!r} in {text!r}"
                             for english, pattern in terms if pattern.search(text)]
    assert not problems, "\n".join(problems)


def test_the_search_learns_the_glossary_s_chinese_words() -> None:
    """Each run of Chinese characters of a glossary term, so 提前停止（早停） gives two words."""
    from nndl_glossary import chinese_words

    words = chinese_words()
    assert {"误差项", "净输入", "提前停止", "早停", "反向传播"} <= set(words)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", word) for word in words)
    assert len(words) == len(set(words))
    assert [len(w) for w in words] == sorted((len(w) for w in words), reverse=True)


def test_the_chinese_search_indexes_the_words_sphinx_would() -> None:
    """ChineseSearch (linear time) splits and stems every word as Sphinx's SearchChinese does."""
    pytest.importorskip("jieba")
    from sphinx.search.zh import SearchChinese

    text = ["反向传播从输出层的误差项出发，Backpropagation starts from the outputs",
            "ReLU 的导数 is 0 or 1; the running runs ran", "误差项 errors erring ab abc was has"]
    ours, sphinx = ext.ChineseSearch({}), SearchChinese({})
    sphinx.latin_terms = []  # a class attribute of SearchChinese, shared between instances
    for line in text:
        words = ours.split(line)
        assert words == sphinx.split(line)
        assert [ours.stem(w) for w in words] == [sphinx.stem(w) for w in words]
