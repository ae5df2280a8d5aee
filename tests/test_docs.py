"""The documentation says what the program does: the CLI reference is generated from
``--help`` and must not drift, every command carries an example, every exit status is
documented, and the README's set-up commands are the ones CI runs."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from mansioni.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
CLI_MD = ROOT / "docs" / "reference" / "cli.md"
EXIT_CODES_MD = ROOT / "docs" / "reference" / "exit-codes.md"
README = ROOT / "README.md"

TRY_IT = "pip install . && mansioni demo"
RUN_TESTS = 'pip install -e ".[test]" && python -m pytest -n 2'

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _load_generator() -> ModuleType:
    path = ROOT / "scripts" / "gen_reference.py"
    spec = importlib.util.spec_from_file_location("gen_reference", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _commands() -> list[tuple[tuple[str, ...], object]]:
    """Every visible command of the app, found independently of the generator."""
    import typer.main

    from mansioni.cli.app import app

    found: list[tuple[tuple[str, ...], object]] = []

    def visit(command: object, path: tuple[str, ...]) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            if not getattr(sub, "hidden", False):
                visit(sub, (*path, name))

    visit(typer.main.get_command(app), ())
    return found


def _title(path: tuple[str, ...]) -> str:
    return " ".join(("mansioni", *path))


def test_the_walk_finds_the_commands() -> None:
    titles = {_title(path) for path, _command in _commands()}
    for expected in ("mansioni", "mansioni start", "mansioni log", "mansioni client add"):
        assert expected in titles
    assert "mansioni task edit" in titles and len(titles) >= 20


def test_cli_reference_is_generated_from_help() -> None:
    expected = _load_generator().render()
    assert CLI_MD.exists(), "docs/reference/cli.md is missing: run python scripts/gen_reference.py"
    assert CLI_MD.read_text(encoding="utf-8") == expected, (
        "docs/reference/cli.md is out of date: run python scripts/gen_reference.py"
    )


def test_generated_reference_holds_the_real_help() -> None:
    text = _load_generator().render()
    assert "Usage: mansioni add [OPTIONS]" in text
    assert "--steps" in text and "--atypical" in text
    assert "\x1b[" not in text, "colour codes leaked into the reference"
    assert all(line == line.rstrip() for line in text.splitlines()), "trailing spaces"


def test_every_command_has_help_with_an_example() -> None:
    problems = []
    for path, command in _commands():
        title = _title(path)
        lines = [line.strip() for line in (getattr(command, "help", None) or "").splitlines()]
        examples = [line for line in lines if line.startswith("$ mansioni")]
        if not any(lines):
            problems.append(f"{title}: no help text")
        elif not examples:
            problems.append(f"{title}: no example line starting with '$ mansioni'")
        elif path and not any(e == f"$ {title}" or e.startswith(f"$ {title} ") for e in examples):
            problems.append(f"{title}: the example should show '$ {title} ...', not {examples}")
    assert not problems, "\n".join(problems)


def test_every_command_is_in_the_cli_reference() -> None:
    headings = {
        line[3:].strip()
        for line in CLI_MD.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    }
    missing = [_title(path) for path, _command in _commands() if _title(path) not in headings]
    assert not missing, (
        f"docs/reference/cli.md has no section for {missing}: run python scripts/gen_reference.py"
    )


@pytest.mark.parametrize("code", list(ExitCode), ids=[c.name for c in ExitCode])
def test_every_exit_code_is_documented(code: ExitCode) -> None:
    text = EXIT_CODES_MD.read_text(encoding="utf-8")
    row = re.compile(rf"^\|\s*`?{code.value}`?\s*\|\s*`?{code.name}`?\s*\|", re.MULTILINE)
    assert row.search(text), (
        f"docs/reference/exit-codes.md needs a table row '| {code.value} | {code.name} | ...'"
    )


def test_readme_set_up_has_exactly_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert TRY_IT in text and RUN_TESTS in text
    section = re.search(r"^## Set-up\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert section, "README.md needs a '## Set-up' section"
    blocks = [block.strip() for block in _FENCE.findall(section.group(1))]
    assert blocks == [TRY_IT, RUN_TESTS], blocks


def test_readme_runs_the_tests_the_way_ci_does() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert RUN_TESTS in ci


def _markdown_files() -> list[Path]:
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("page", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_files_that_exist(page: Path) -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8"))
    local = [
        link.split("#", 1)[0]
        for link in links
        if "://" not in link and not link.startswith(("#", "mailto:"))
    ]
    missing = [link for link in local if link and not (page.parent / link).exists()]
    assert not missing, f"{page.relative_to(ROOT)} links to missing files: {missing}"


def test_docs_map_links_every_page() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    pages = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))
    unlisted = [p for p in pages if p != "index.md" and f"({p})" not in index]
    assert not unlisted, f"docs/index.md does not link to: {unlisted}"
