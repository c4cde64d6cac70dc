"""The article is kept verbatim and every figure it states is in the seed-figures table."""
import hashlib
import re

from highlands import data, paths

# The article as received (../shared/seed/article.txt); it must never be edited.
ARTICLE_SHA256 = "af345c13f73d3205126be70040cfbbddc6e6451c33e1be31b6757c9e659dd4b7"


def test_article_is_unchanged():
    assert hashlib.sha256(paths.ARTICLE.read_bytes()).hexdigest() == ARTICLE_SHA256


def _spans(quotes, article):
    spans = []
    for quote in quotes:
        start = article.find(quote)
        while start != -1:
            spans.append((start, start + len(quote)))
            start = article.find(quote, start + 1)
    return spans


def test_every_arabic_numeral_is_a_figure_or_listed_as_not_one():
    article = data.article_text()
    figures = _spans(data.load("seed_figures")["quote"], article)
    others = _spans(data.load("article_non_figures")["quote"], article)
    uncovered = [
        (m.group(), article[max(0, m.start() - 10):m.end() + 10])
        for m in re.finditer(r"\d+(?:\.\d+)?", article)
        if not any(a <= m.start() and m.end() <= b for a, b in figures + others)
    ]
    assert uncovered == []


def test_every_highland_has_figures_and_the_article_names_seven():
    seed = data.load("seed_figures")
    assert set(seed["highland"]) == set(range(8))
    assert seed.set_index("figure_id").loc["p-highlands", "value"] == 7


def test_lower_bounds_carry_their_marker_in_the_quote():
    seed = data.load("seed_figures")
    for _, row in seed[seed["qualifier"] == "lower_bound"].iterrows():
        context = data.article_text()
        at = context.find(row["quote"])
        window = context[at:at + len(row["quote"]) + 2]
        assert re.search("多|超过|突破|级", window), row["figure_id"]
