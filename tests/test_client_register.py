"""What the client reads is said as a professional would (VERDICT.md, "Who is spoken to").

Seen: "ti costa" and "la tua ora" written to "Avv. Lucia Mazzà"; "quanto ci metterebbe lui";
"(p = 0,035)" on the client's page; "meno di 384 minuti"; "ogni volta" for a weekly duty;
"(il suo tempo più la tua supervisione)" where no oversight was set.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest

from conftest import NOW, ROME
from mansioni.i18n import set_language

#: Informal Italian, addressed to the client.
INFORMAL = re.compile(r"\b(ti|tu|tua|tuo|tuoi|tue|te)\b", re.IGNORECASE)
#: A gender assumed, for the client or the assistant.
GENDERED_IT = re.compile(r"\b(lui|lei|egli|ella)\b")  # "Lei" (formal) is capitalised
GENDERED_EN = re.compile(r"\b(he|him|his|she|her|hers|himself|herself)\b", re.IGNORECASE)


@pytest.fixture
def mazza(cli, at):
    """A weekly duty of about seven hours against the client's 6 h 24 min, past its trial,
    and a duty done each time with no oversight set."""
    at(NOW - timedelta(days=100))
    cli("client", "add", "Avv. Lucia Mazzà", "--rate", "30", "--hour-value", "80")
    cli("task", "add", "mazza/PEC", "--estimate", "6h24m", "--basis", "week", "--trial", "30d")
    cli("task", "add", "mazza/Agenda", "--estimate", "45m", "--trial", "30d")
    at(NOW)
    first = (NOW - timedelta(days=70)).date()
    for week in range(9):
        day = first + timedelta(days=7 * week)
        minutes = 420 + (week % 3) * 5
        cli("add", "mazza/pec", f"{day.isoformat()} 08:00 {minutes}m")
        start = datetime(day.year, day.month, day.day, 16, 0, tzinfo=ROME)
        cli("add", "mazza/agenda", f"{day.isoformat()} {start:%H:%M} {50 + week % 2}m")


def _page(cli, tmp_path, lang: str, monkeypatch) -> str:
    set_language(lang)
    out = tmp_path / f"page-{lang}.html"
    cli("review", "--client", "mazza", "--format", "html", "-o", str(out))
    text = re.sub(
        r"<(style|script)[^>]*>.*?</\1>", " ", out.read_text(encoding="utf-8"), flags=re.S
    )
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_the_italian_page_is_formal_and_assumes_no_gender(cli, mazza, tmp_path, monkeypatch):
    page = _page(cli, tmp_path, "it", monkeypatch)
    assert not INFORMAL.findall(page), INFORMAL.findall(page)
    assert not GENDERED_IT.findall(page), GENDERED_IT.findall(page)
    assert "Sua stima" in page and "l'assistente" in page.lower()
    markdown = cli("review", "--client", "mazza", "--format", "md").output
    assert not INFORMAL.findall(markdown) and not GENDERED_IT.findall(markdown)


def test_the_english_page_assumes_no_gender(cli, mazza, tmp_path, monkeypatch):
    page = _page(cli, tmp_path, "en", monkeypatch)
    assert not GENDERED_EN.findall(page), GENDERED_EN.findall(page)
    assert "the assistant" in page


@pytest.mark.parametrize("lang", ["en", "it"])
def test_no_statistics_jargon_on_the_page(cli, mazza, tmp_path, monkeypatch, lang):
    page = _page(cli, tmp_path, lang, monkeypatch)
    assert "p =" not in page and "p=" not in page
    # the terminal's in-depth view keeps the p-value for the assistant
    assert "p = " in cli("review", "mazza/agenda").output


def test_long_durations_read_in_hours_and_minutes(cli, mazza):
    out = cli("review", "mazza/pec").output
    prose = out.split("\n\n")[1]  # the verdict's sentences (the chart counts in minutes)
    assert "6 h 24 min" in prose
    assert "384" not in prose
    assert not re.search(r"\b\d{3,} minutes\b", out)


def test_a_weekly_duty_speaks_of_weeks(cli, mazza, monkeypatch):
    out = cli("review", "mazza/pec").output
    assert "each week" in out and "each time" not in out
    set_language("it")
    out = cli("review", "mazza/pec").output
    assert "a settimana" in out and "ogni volta" not in out


def test_oversight_is_named_only_where_there_is_some(cli, mazza, monkeypatch):
    out = cli("review", "mazza/agenda").output
    assert "Delegating costs" in out and "oversight" not in out
    cli("task", "edit", "mazza/agenda", "--oversight", "5m")
    assert "plus your own oversight" in cli("review", "mazza/agenda").output
    set_language("it")
    assert "supervisione" in cli("review", "mazza/agenda").output
