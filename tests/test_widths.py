"""Every table and view fits the terminal it is printed in, on the demo's store, in both
languages, at 80, 100, 120 and 160 columns: no line wider than the terminal, no word
split or cut inside, every duty's verdict shown whole (``helpers.assert_fits``).

Seen before: ``review`` split "apprend/imento" at 120 columns and drew two-character
cells at 80; ``task list`` cut "Studio Cantù Commercialisti/… PEC"; ``client list``
showed "Arrotondame…".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import assert_fits
from mansioni.i18n import set_language

FIXTURES_IMPORT = Path(__file__).parent / "fixtures" / "import"

WIDTHS = (80, 100, 120, 160)
LANGUAGES = ("en", "it")
REVIEW_HEADERS = (
    "Task", "Phase from", "Occ.", "Level (min)", "Estimate", "Index", "Trend", "Verdict"
)  # fmt: skip
CLIENT_HEADERS = ("Client", "Currency", "Hour value", "Rate", "Rounding", "Minimum", "State")
TASK_HEADERS = ("Task", "Client's estimate", "Rate", "Trial", "State")


def _headers(msgids: tuple[str, ...]) -> list[str]:
    """A table's headers in the language in use."""
    from mansioni.i18n import _

    return [_(msgid) for msgid in msgids]


@pytest.fixture(params=LANGUAGES)
def lang(request, monkeypatch) -> str:
    """Each test in English and in Italian."""
    monkeypatch.setenv("MANSIONI_LANG", request.param)
    set_language(request.param)
    return request.param


def at_widths(cli, monkeypatch, *args: str, widths=WIDTHS) -> dict[int, str]:
    """The command's output at each width."""
    out = {}
    for width in widths:
        monkeypatch.setenv("COLUMNS", str(width))
        out[width] = cli(*args).stdout
    return out


def test_the_review_fits_and_shows_every_verdict(cli, demo, lang, monkeypatch):
    from mansioni.domain.verdict import Verdict
    from mansioni.report.verdict_text import label

    reviews = json.loads(cli("review", "--json").stdout)
    headers = _headers(REVIEW_HEADERS)
    verdicts = {r["task"]: label(Verdict(r["verdict"])) for r in reviews}
    names = [part for r in reviews for part in (r["client"], r["task"])]
    reasons = [r["explanation"][0] for r in reviews]
    for width, out in at_widths(cli, monkeypatch, "review").items():
        assert_fits(out, width, [*headers, *names], [*verdicts.values(), *reasons])
        lines = out.splitlines()
        for r in reviews:
            duty = r["task"].split("/", 1)[1]
            # the client once as a heading, each duty on a line with its verdict
            assert lines.count(r["client"]) == 1
            assert any(
                line.startswith(f"  {duty}  ") and line.endswith(verdicts[r["task"]])
                for line in lines
            ), (duty, out)


@pytest.mark.parametrize("duty", ["caffe/social", "bianchi/pec"])
def test_one_duty_in_depth_fits(cli, demo, lang, monkeypatch, duty):
    from mansioni.domain.verdict import Verdict
    from mansioni.report.verdict_text import label

    (review,) = json.loads(cli("review", duty, "--json").stdout)
    verdict = label(Verdict(review["verdict"]))
    for width, out in at_widths(cli, monkeypatch, "review", duty).items():
        assert_fits(out, width, [review["task"]], [verdict, *review["explanation"]])
        assert any(line.endswith(f": {verdict}") for line in out.splitlines())


def test_the_client_list_fits_with_whole_headers(cli, demo, lang, monkeypatch):
    names = [c["name"] for c in json.loads(cli("client", "list", "--json").stdout)]
    headers = _headers(CLIENT_HEADERS)
    for width, out in at_widths(cli, monkeypatch, "client", "list").items():
        assert_fits(out, width, headers, names)
        lines = out.splitlines()
        assert all(any(line.startswith(name + "  ") for line in lines) for name in names)


def test_the_task_list_fits_with_whole_names(cli, demo, lang, monkeypatch):
    from mansioni.report.labels import clock_estimate

    found = json.loads(cli("task", "list", "--json").stdout)
    names = [t["client"] for t in found] + [t["name"] for t in found]
    estimates = [clock_estimate(t["estimate_seconds"], t["estimate_basis"]) for t in found]
    for width, out in at_widths(cli, monkeypatch, "task", "list").items():
        assert_fits(out, width, _headers(TASK_HEADERS), [*names, *estimates])


def test_a_long_name_is_shortened_between_words_only_where_nothing_else_fits(
    cli, demo, lang, monkeypatch
):
    """Seen: "Studio Cantù Commercialisti/… PEC". The client's name is a heading, whole;
    a duty's name too long for its column ends with an ellipsis after a whole word."""
    cli("client", "add", "Studio Cantù Commercialisti Associati", "--rate", "30")
    duty = "Invio settimanale delle PEC ai clienti dello studio con il riepilogo"
    cli("task", "add", f"cantu/{duty}", "--estimate", "30m")
    names = [duty, "Studio Cantù Commercialisti Associati"]
    outs = at_widths(cli, monkeypatch, "task", "list", widths=(80, 100, 160))
    for width, out in outs.items():
        assert_fits(out, width, names, [names[1]])
    (row,) = [line for line in outs[80].splitlines() if line.startswith("  Invio ")]
    shortened = row.split("…")[0].strip()
    assert "…" in row and duty.startswith(shortened + " ")  # cut where a word ends
    assert duty in outs[160]


def test_client_and_task_show_and_history_fit(cli, demo, lang, monkeypatch):
    cli("task", "edit", "bianchi/pec", "--note", "Posta certificata, archiviata per pratica " * 4)
    story = json.loads(cli("history", "bianchi/pec", "--json").stdout)
    notes = [e["text"] for p in story["phases"] for e in p["events"] if e["text"]]
    assert notes
    for args, whole in (
        (("client", "show", "bianchi"), ["Avv. Bianchi"]),
        (("task", "show", "bianchi/pec"), ["Posta certificata, archiviata per pratica " * 4]),
        (("history", "bianchi/pec"), notes),
        (("history", "caffe/social"), []),
    ):
        for width, out in at_widths(cli, monkeypatch, *args).items():
            assert_fits(out, width, whole=whole)


def test_settings_and_the_doctors_checks_fit(cli, demo, lang, monkeypatch):
    cli("config", "set", "contact", "vera@example.com, +39 333 123 4567, via Roma 1, Milano")
    contact = ["vera@example.com, +39 333 123 4567"]
    for args, whole in ((("config", "show"), contact), (("info",), contact), (("doctor",), [])):
        for width, out in at_widths(cli, monkeypatch, *args).items():
            assert_fits(out, width, whole=whole)


def test_an_import_summary_fits(cli, lang, monkeypatch):
    client = "Studio Commercialisti Associati Cantù"
    names = ["Caffè Ôrso/Social post", "Studio Rossi/Fatture", "Studio Rossi/Newsletter"]
    args = ("import", "watson", str(FIXTURES_IMPORT / "watson"), "--client", client, "--dry-run")
    for width, out in at_widths(cli, monkeypatch, *args).items():
        assert_fits(out, width, [client], [*names, f"{client}/newsletter"])


@pytest.mark.parametrize(
    "args", [("review",), ("review", "caffe/social"), ("task", "list"), ("client", "list")]
)
def test_a_terminal_narrower_than_the_columns_stacks_them(cli, demo, monkeypatch, args):
    """Below what the fewest columns need, a row's cells go on lines of their own."""
    from mansioni.domain.verdict import Verdict
    from mansioni.report.verdict_text import label

    reviews = json.loads(cli("review", "--json").stdout)
    verdicts = [label(Verdict(r["verdict"])) for r in reviews] if args == ("review",) else []
    for width, out in at_widths(cli, monkeypatch, *args, widths=(40, 60)).items():
        assert_fits(out, width, [r["task"] for r in reviews], verdicts)


#: What the tables of these checks are made of.
TEXTS = ["in apprendimento", "It takes about 25 minutes against your 10.", "Arrotondamento"]


@pytest.mark.parametrize(
    ("output", "width", "whole", "problem"),
    [
        # a table folding a word in its column, as "apprend/imento" was
        ("Inbox   in apprend  25\n        imento\n", 80, [], "split in two"),
        # a paragraph broken inside a word
        ("It takes about 25 min\nutes against your 10.\n", 80, [], "split in two"),
        # a header cut inside its word
        ("Client  Arrotondame…\n", 80, [], "inside the word"),
        ("A line wider than the terminal\n", 20, [], "wider than 20"),
        ("Esito: in\n", 80, ["in apprendimento"], "not shown whole"),
    ],
)
def test_the_check_finds_each_way_a_table_can_fail(output, width, whole, problem):
    with pytest.raises(AssertionError, match=problem):
        assert_fits(output, width, TEXTS, whole)


def test_the_check_takes_words_broken_between_them_and_names_shortened_after_one():
    assert_fits(
        "Studio Cantù…  in\n  apprendimento\n  /a/path/longer/than/the/line\n",
        20,
        ["Studio Cantù Commercialisti", "/a/path/longer/than/the/line"],
        ["in apprendimento"],
    )


def test_the_demo_fits_a_narrow_terminal(cli, lang, monkeypatch, tmp_path):
    """The demo, all of it (its review, reminders, day view, subtotals and hints), at 80
    columns, where a long folder name once ran past the edge."""
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("demo", "--home", str(tmp_path / "a-demo-store-in-a-folder-with-a-long-name")).stdout
    assert_fits(out, 80)
