"""Article readers: files and folders of news reports → normalised :class:`geo.model.Article` objects.

``Article.text`` is normalised once, here (see :mod:`geo.articles.normalize`); every character
offset anywhere in the application refers to it.
"""

from geo.articles.decode import DecodeError, decode_bytes
from geo.articles.html import extract_html, html_to_text
from geo.articles.normalize import normalize_text
from geo.articles.readers import (
    ARTICLE_SUFFIXES,
    DEFAULT_MAX_ARTICLE_MB,
    ReadProblem,
    article_id_for,
    max_article_bytes,
    read_article,
    read_articles,
)

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_ARTICLE_MB",
    "DecodeError",
    "ReadProblem",
    "article_id_for",
    "decode_bytes",
    "extract_html",
    "html_to_text",
    "max_article_bytes",
    "normalize_text",
    "read_article",
    "read_articles",
]
