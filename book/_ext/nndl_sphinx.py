"""Sphinx tweaks for the nndl-book website.

- Removes sphinx-thebe's scripts and stylesheet from every page. The book launches chapters in
  Binder and Colab instead of running code in the page, and sphinx-thebe (always loaded by
  Jupyter Book 1) declares its settings twice per page, which browsers report as an error.
- Lets ``{glue:text}`key``` work in a translated paragraph. Sphinx parses a translation as a
  document of its own, without the notebook whose outputs the key names, so myst-nb's role
  cannot find the value there; in that case the role names the page's own notebook explicitly
  (``/path.ipynb::key``), which myst-nb resolves from its glue cache after parsing, with the
  same format specification.
- Makes an exercise's title translatable. sphinx-exercise builds the title from the directive's
  argument without a source, and Sphinx's gettext skips text without one; the title's text is
  now an inline node carrying the argument as its MyST source, so it is extracted and replaced
  like a heading.
- Translates display maths itself. A display formula is a message (its words in ``\text{}`` are
  prose), but Sphinx re-parses a translated math block as reStructuredText (``::`` and an
  indented block), which a MyST page shows as a stray ``::``; the extension puts the translated
  LaTeX in place before Sphinx's turn and tells Sphinx to leave the block alone.
- Reads a translated message as inline text. Sphinx parses each translation as a small document
  and drops it unless it is one paragraph, so a translated heading such as ``5. 异或`` (Markdown
  for a numbered list) was silently left in English; a list marker at the start of a message is
  escaped before parsing.
- Keeps translated pages small. The nodes of a translation are parsed in a document of their own
  and keep a reference to it, so every pickled page carried dozens of those documents (a
  chapter's doctree grew sixteenfold, and reading it back dominated the Chinese build); the
  reference is dropped once the nodes are in the page, which is the document they then report.
- Looks up pybtex's plugins once. pybtex asks ``importlib.metadata`` for its entry points on
  every citation, and a translated page cites again in each translated message; installed
  entry points do not change during a build, so the answers are cached.
- Translates the table of contents' part captions. Jupyter Book inserts the toctrees (from
  ``_toc.yml``) after Sphinx has translated the page, so their captions ("I Foundations") stayed
  English in the Chinese sidebar although the catalogue has them; they are translated from the
  same catalogue right after they are inserted.
- Adds the language switch: a link in every page's header to the same page in the other
  edition (English at the site root, Chinese under ``zh/``), and ``<link rel="alternate">``.
- Makes the Chinese edition searchable. Sphinx indexes Chinese text only through jieba, which
  splits it into words (without it the index holds the pages' Latin words alone, and a search
  for 反向传播 finds nothing); jieba is also taught the glossary's terms, so that 误差项 or
  净输入 is indexed as one word as well as by its parts. Sphinx's Chinese indexer is quadratic
  in the text (each word is looked up in a list of all Latin words seen); ``ChineseSearch`` keeps
  that list as a set and stems each word once, which gives the same index in linear time.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_nb.ext.glue.roles import PasteTextRole
from nndl_glossary import chinese_words
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.search.zh import SearchChinese
from sphinx.transforms import SphinxTransform, i18n
from sphinx_exercise.directive import ExerciseDirective
from sphinx_exercise.nodes import exercise_subtitle


def _is_thebe(asset: Any) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE_JS_URL" in body


def drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


class TranslatablePasteTextRole(PasteTextRole):
    """``{glue:text}`` that also works inside a translated message."""

    def run(self):
        if "nb_renderer" not in self.document and "::" not in self.text:
            env = getattr(self.document.settings, "env", None)
            if env is not None and env.docname:
                # the role splits the format specification off at the last colon
                spec = "" if ":" in self.text else ":s"
                self.text = f"/{env.doc2path(env.docname, False)}::{self.text}{spec}"
        return super().run()


# A list marker at the start of a message: "5. ", "5) ", "- ", "+ ", "* ".
LIST_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s)|^([-+*])(?=\s)")


def escape_list_marker(message: str) -> str:
    """A message is inline text: escape a leading list marker so it stays text."""
    return LIST_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", message, 1)


def _publish_messages_as_text() -> None:
    publish = i18n.publish_msgstr
    if getattr(publish, "nndl_escapes_list_markers", False):
        return

    def publish_msgstr(app, source, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        return publish(app, escape_list_marker(source), *args, **kwargs)

    publish_msgstr.nndl_escapes_list_markers = True
    i18n.publish_msgstr = publish_msgstr


class DropForeignDocuments(SphinxTransform):
    """Nodes moved in from a translated message report the page as their document."""

    default_priority = 21  # right after Sphinx's Locale transform (20)

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall():
            if getattr(node, "_document", None) not in (None, self.document):
                node._document = None


def _cache_pybtex_entry_points() -> None:
    import functools

    import pybtex.plugin

    lookup = pybtex.plugin.entry_points
    if hasattr(lookup, "cache_info"):
        return

    @functools.cache
    def entry_points(**selection: str) -> tuple:
        return tuple(lookup(**selection))

    pybtex.plugin.entry_points = entry_points


class TranslateInsertedToctrees(SphinxTransform):
    """Translate the captions and titles of the toctrees sphinx-external-toc inserts."""

    default_priority = 101  # right after sphinx-external-toc's InsertToctrees (100)

    def apply(self, **kwargs: Any) -> None:
        from sphinx import addnodes

        toctrees = list(self.document.findall(addnodes.toctree))
        catalog = page_catalogue(self) if toctrees else None
        if catalog is None:
            return
        for toctree in toctrees:
            toctree.preserve_original_messages()
            for message in toctree.extract_original_messages():
                translated = catalog.gettext(message)
                if translated and translated != message:
                    toctree.apply_translated_message(message, translated)


def page_catalogue(transform: SphinxTransform):  # noqa: ANN201
    """The translations of the page being read, or None in the English edition."""
    from sphinx.util.i18n import docname_to_domain

    if _edition(transform.config) == "en":
        return None
    domain = docname_to_domain(transform.env.docname, transform.config.gettext_compact)
    dirs = tuple(str(Path(transform.env.srcdir, d)) for d in transform.config.locale_dirs)
    return _catalogue(dirs, transform.config.language, domain)


@functools.cache
def _catalogue(dirs: tuple[str, ...], language: str, domain: str):  # noqa: ANN202
    """A page's catalogue, loaded once: two transforms ask for it, and Sphinx's ``init`` adds
    the file again as a fallback of its cached translator on every call."""
    from sphinx.locale import init as init_locale

    catalog, found = init_locale(list(dirs), language, domain)
    return catalog if found else None


class TranslateMathBlocks(SphinxTransform):
    """Replace a display formula by its translation (LaTeX, as written in the catalogue)."""

    default_priority = 10  # before Sphinx's Locale transform (20) replaces messages

    def apply(self, **kwargs: Any) -> None:
        blocks = list(self.document.findall(nodes.math_block))
        catalog = page_catalogue(self) if blocks else None
        if catalog is None:
            return  # English: the blocks stay messages, so gettext extracts them
        for node in blocks:
            node["translatable"] = False
            message = node.rawsource or node.astext()
            translated = catalog.gettext(message)
            if translated and translated != message:
                node.rawsource = translated
                node.children = [nodes.Text(translated)]

class TranslatableExerciseDirective(ExerciseDirective):
    """``{exercise}`` whose title (the directive's argument) is a translatable message."""

    def run(self):
        result = super().run()
        if self.arguments:
            source, line = self.state_machine.get_source_and_line(self.lineno)
            for node in result:
                for subtitle in node.findall(exercise_subtitle):
                    # an inline node, because sphinx-exercise later moves the subtitle's
                    # children into the title it shows, and Sphinx extracts after that
                    message = nodes.inline(self.arguments[0], "", *subtitle.children,
                                           translatable=True)
                    message.source, message.line = source, line
                    subtitle.children = []
                    subtitle += message
        return result


# edition -> (Sphinx language prefix, the other edition's root relative to this edition's root,
# the link's label, its language)
SWITCH = {
    "en": ("zh/", "中文", "zh-CN", "阅读中文版"),
    "zh": ("../", "English", "en", "Read this page in English"),
}


def _edition(config: Any) -> str:
    """The edition a build makes: "zh" for a Chinese language setting, else "en"."""
    return "zh" if (config.language or "en").startswith("zh") else "en"


def language_switch(app: Sphinx, pagename: str, templatename: str, context: dict,
                    doctree: Any) -> None:
    prefix, label, hreflang, title = SWITCH[_edition(app.config)]
    to_root = "../" * pagename.count("/")
    href = f"{to_root}{prefix}{pagename}.html"
    context["nndl_language_switch"] = {
        "href": href, "label": label, "hreflang": hreflang, "title": title,
    }
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{hreflang}" href="{href}" />'
    )


def add_switch_to_header(app: Sphinx, config: Any) -> None:
    options = config.html_theme_options
    end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if "nndl-language-switch.html" not in end:
        end.insert(0, "nndl-language-switch.html")
    options["article_header_end"] = end


class _TermSet(set):
    """A set with the ``extend`` of the list it replaces."""

    def extend(self, terms: Any) -> None:
        self.update(terms)


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search language, indexing in linear time.

    ``SearchChinese.stem`` asks whether a word is in the list of every Latin word indexed so far,
    and stems every word with the English stemmer anew: with jieba's words, that was 9.7 s of the
    Chinese build. Here the list is a set and each stem is computed once; the index is the same.
    """

    def init(self, options: dict[str, str]) -> None:
        try:
            import jieba
        except ImportError as error:
            raise ExtensionError(
                "the Chinese edition's search index needs jieba to split the text into words: "
                'install the book\'s dependencies, pip install -e ".[book]"') from error
        jieba.setLogLevel(logging.WARNING)
        for word in chinese_words():  # the glossary's terms, indexed whole and by their parts
            jieba.add_word(word)
        super().init(options)
        self.latin_terms = _TermSet()
        self._stems: dict[tuple[str, bool], str] = {}

    def stem(self, word: str) -> str:
        key = (word, word in self.latin_terms)
        if key not in self._stems:
            self._stems[key] = super().stem(word)
        return self._stems[key]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(ChineseSearch)
    app.connect("html-page-context", drop_thebe, priority=900)
    app.connect("html-page-context", language_switch)
    app.connect("config-inited", add_switch_to_header)
    app.add_role_to_domain("glue", "text", TranslatablePasteTextRole(), override=True)
    app.add_transform(TranslateMathBlocks)
    app.add_transform(DropForeignDocuments)
    app.add_transform(TranslateInsertedToctrees)
    _cache_pybtex_entry_points()
    _publish_messages_as_text()
    app.setup_extension("sphinx_exercise")
    app.add_directive("exercise", TranslatableExerciseDirective, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
