"""A 50 MB input is processed with bounded memory (a behaviour check on RSS, not a timing assert)."""

from __future__ import annotations

import json

import psutil
import pytest

from geo.articles import read_articles

MB = 1024 * 1024
PARAGRAPH = (
    "Thirteen people, among them four children, were killed in Atmeh, Idlib, near the border with "
    "Turkey, the Syrian Observatory for Human Rights said. قتل 13 شخصا في أطمة. "
)


def _rss() -> int:
    return psutil.Process().memory_info().rss


def _write_jsonl(path, size: int) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        while f.tell() < size:
            n += 1
            f.write(json.dumps({"id": f"r{n}", "text": PARAGRAPH * (1 + n % 40), "published": "2022-02-03"},
                               ensure_ascii=False) + "\n")
    return n


@pytest.mark.slow
def test_50mb_jsonl_is_streamed_with_bounded_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    n = _write_jsonl(path, 50 * MB)
    assert path.stat().st_size >= 50 * MB
    base = peak = _rss()
    count = chars = 0
    problems: list = []
    for article in read_articles([path], problems=problems):
        count += 1
        chars += len(article.text)
        if count % 500 == 0:
            peak = max(peak, _rss())
    peak = max(peak, _rss())
    assert problems == [] and count == n
    assert chars > 40 * 1000 * 1000  # the whole file really was read
    assert peak - base < 300 * MB, f"RSS grew by {(peak - base) / MB:.0f} MB"


@pytest.mark.slow
def test_50mb_single_txt_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(50 * MB)  # sparse: size without the cost of writing it
    base = _rss()
    problems: list = []
    assert list(read_articles([path], problems=problems)) == []
    assert "50.0 MB, more than the 20.0 MB limit" in problems[0].message
    assert _rss() - base < 50 * MB


@pytest.mark.slow
def test_50mb_single_jsonl_line_is_skipped_with_bounded_memory(tmp_path):
    path = tmp_path / "one-line.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"text": "')
        chunk = "x" * MB
        f.writelines(chunk for _ in range(50))
        f.write('"}\n{"text": "after the long line"}\n')
    base = _rss()
    problems: list = []
    articles = list(read_articles([path], problems=problems))
    assert [a.text for a in articles] == ["after the long line"]
    assert problems[0].line == 1 and "limit" in problems[0].message
    assert _rss() - base < 100 * MB
