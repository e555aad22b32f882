"""中文搜索：jieba 分词会丢掉单字词，于是「熵」搜不到；这里保留用户词典里列出的单字术语。

``conf.py`` 设 ``html_search_language = "zh"`` 与
``html_search_options = {"dict": <docs/_ext/zh_terms.txt 的绝对路径>}``。
"""

from __future__ import annotations

from pathlib import Path

from sphinx.search.zh import SearchChinese

TERMS_FILE = Path(__file__).parents[1] / "zh_terms.txt"


def single_char_terms(path: Path = TERMS_FILE) -> frozenset[str]:
    words = (line.split()[0] for line in path.read_text("utf-8").splitlines() if line.strip())
    return frozenset(w for w in words if len(w) == 1)


class SearchChineseWithTerms(SearchChinese):
    """jieba 分词的中文搜索，但保留术语表里的单字词（如「熵」）。"""

    single_char_terms = single_char_terms()

    def word_filter(self, stemmed_word: str) -> bool:
        return stemmed_word in self.single_char_terms or super().word_filter(stemmed_word)


def setup(app) -> None:
    app.add_search_language(SearchChineseWithTerms)
