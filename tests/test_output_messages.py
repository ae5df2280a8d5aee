"""Every ``-o FILE`` says what it wrote and where (on standard error, once the file is in
place); nothing is said when the output goes to the terminal."""

from __future__ import annotations

import pytest

from mansioni.i18n import set_language


@pytest.fixture
def italian(monkeypatch):
    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)


def test_review_page_says_what_it_wrote(cli, demo, tmp_path):
    """Seen: ``review -o`` wrote silently where ``report -o`` said "File … scritto."."""
    target = tmp_path / "rossi-review.html"
    result = cli("review", "--client", "rossi", "--format", "html", "-o", str(target))
    assert target.exists()
    assert result.stderr == (
        f"Wrote the trial-period review for Studio Rossi, as of 27 Nov 2026 (HTML) to {target}.\n"
    )
    assert result.stdout == ""


def test_review_markdown_and_json_say_what_they_wrote(cli, demo, tmp_path):
    md = tmp_path / "all.md"
    result = cli("review", "--format", "md", "-o", str(md))
    assert result.stderr.startswith("Wrote the trial-period review for ")
    assert result.stderr.endswith(f"clients, as of 27 Nov 2026 (Markdown) to {md}.\n")
    js = tmp_path / "review.json"
    result = cli("review", "--json", "-o", str(js))
    assert result.stderr.endswith(f"as of 27 Nov 2026 (JSON) to {js}.\n")
    assert js.read_text(encoding="utf-8").startswith("[")


def test_report_says_for_whom_and_which_period(cli, rossi, tmp_path):
    cli("add", "rossi/news", "9:00-10:00")
    target = tmp_path / "rossi-nov.html"
    result = cli("report", "--client", "rossi", "--month", "2026-11", "-o", str(target))
    said = result.stderr
    assert said.startswith("Wrote the report for Studio Rossi, 1")  # 1–30 Nov 2026
    assert said.endswith(f"30 Nov 2026 (HTML) to {target}.\n")
    csv = tmp_path / "all.csv"
    result = cli("report", "--month", "2026-11", "-o", str(csv))
    assert result.stderr.startswith("Wrote the report for all clients, 1")
    assert result.stderr.endswith(f"30 Nov 2026 (CSV) to {csv}.\n")


def test_report_to_the_terminal_says_nothing_more(cli, rossi):
    cli("add", "rossi/news", "9:00-10:00")
    result = cli("report", "--month", "2026-11", "--format", "md", "-o", "-")
    assert "Wrote" not in result.stderr and "Wrote" not in result.stdout


def test_export_says_how_many_entries_it_wrote(cli, rossi, tmp_path):
    cli("add", "rossi/news", "9:00-10:00")
    cli("add", "rossi/fatture", "10:00-10:30")
    target = tmp_path / "hours.csv"
    result = cli("export", "--format", "csv", "-o", str(target))
    assert result.stderr.endswith(f"Wrote 2 time entries (CSV) to {target}.\n")
    one = tmp_path / "rossi.json"
    result = cli("export", "--format", "json", "--to", "2026-11-27", "-o", str(one))
    assert result.stderr.endswith(f"Wrote 2 time entries (JSON) to {one}.\n")
    backup = tmp_path / "backup.jsonl"
    result = cli("export", "--format", "jsonl", "-o", str(backup))
    assert result.stderr.endswith(f"Wrote a backup of the whole store (JSON Lines) to {backup}.\n")


def test_a_file_that_is_not_written_is_not_said_written(cli, rossi, tmp_path):
    result = cli("export", "--format", "csv", "-o", str(tmp_path / "no" / "such.csv"), ok=False)
    assert result.exit_code == 2
    assert "Wrote" not in result.output


def test_the_message_is_in_the_users_language(cli, rossi, tmp_path, italian):
    cli("add", "rossi/news", "9:00-10:00")
    target = tmp_path / "rossi.md"
    result = cli("report", "--client", "rossi", "--month", "2026-11", "-o", str(target))
    assert "30 nov 2026" in result.stderr and str(target) in result.stderr
    assert "Markdown" in result.stderr


def test_every_output_option_is_known_here():
    """Each command with ``-o`` is covered above: a new one must say what it writes too."""
    import pathlib
    import re

    import mansioni.cli

    folder = pathlib.Path(mansioni.cli.__file__).parent
    with_o = sorted(
        path.stem
        for path in folder.glob("*.py")
        if re.search(r'Option\((?:"--output", )?"-o"', path.read_text(encoding="utf-8"))
    )
    assert with_o == ["export", "report", "review"]
