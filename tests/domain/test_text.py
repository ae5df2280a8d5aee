"""``shorten``: a name fits its column, cut only where a word ends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mansioni.domain.text import shorten


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Studio Cantù Commercialisti", 27, "Studio Cantù Commercialisti"),
        ("Studio Cantù Commercialisti", 20, "Studio Cantù…"),
        ("Studio Cantù Commercialisti/Invio PEC", 34, "Studio Cantù Commercialisti/Invio…"),
        ("Studio Cantù Commercialisti/Invio PEC", 30, "Studio Cantù Commercialisti…"),
        ("Caffè Ôrso/Newsletter settimanale", 20, "Caffè Ôrso…"),
        ("Apprendimento", 8, "Apprend…"),  # one word longer than the room: nothing else fits
        ("ab cd", 4, "ab…"),
        ("abc", 1, "…"),
        ("abc", 0, ""),
    ],
)
def test_shorten(text: str, width: int, expected: str) -> None:
    assert shorten(text, width) == expected


@given(st.text(alphabet="ab /Cù", max_size=40), st.integers(min_value=0, max_value=45))
def test_shorten_fits_and_keeps_whole_words(text: str, width: int) -> None:
    short = shorten(text, width)
    assert len(short) <= width
    if len(text) <= width:
        assert short == text
    elif width >= 2:
        assert short.endswith("…")
        head = short[:-1]
        assert text.startswith(head) and head
        following = text[len(head)]
        # cut where a word ends, unless the first word alone is longer than the room
        assert following in " /" or head[-1] == "/" or " " not in text[: width - 1].strip(" /")


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("draft and send", 14, "draft and send"),
        ("draft and send", 11, "draft and…"),
        ("draft and send", 6, "draft…"),
        ("draft and send", 5, "…"),  # not even the first word: only that there is more
        ("Apprendimento", 8, "…"),
        ("see a/b later", 7, "see a…"),
        ("abc", 1, "…"),
        ("abc", 0, ""),
        ("abc", -3, ""),
    ],
)
def test_shorten_with_whole_words_never_cuts_inside_one(
    text: str, width: int, expected: str
) -> None:
    """A note beside a name in ``log``: a word is never cut, even the first."""
    assert shorten(text, width, whole_words=True) == expected


@given(st.text(alphabet="ab /Cù", max_size=40), st.integers(min_value=-2, max_value=45))
def test_shorten_with_whole_words_keeps_only_whole_words(text: str, width: int) -> None:
    short = shorten(text, width, whole_words=True)
    assert len(short) <= max(width, 0)
    if len(text) <= width:
        assert short == text
    elif width >= 1:
        assert short.endswith("…")
        head = short[:-1]
        assert text.startswith(head)
        if head:  # it ends where a word does: before a space, or after a "/"
            assert text[len(head)] in " /" or text[len(head) - 1] == "/"
