"""Shell completion: ``mansioni __complete`` (the protocol, in-process), the scripts in
real bash, zsh and fish, ``mansioni completion show|install``, the command table kept
true against the Typer commands, and a completion that imports nothing heavy."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import db_file
from mansioni import complete
from mansioni.cli.completion import SCRIPTS

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("typer", "click", "rich", "sqlalchemy", "sqlmodel", "pendulum", "babel", "pydantic")


# --- a store to complete from ------------------------------------------------------------


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """Clients and duties with accents, spaces and a '&'; an archived client; entries of
    vera's and one of giulia's. Built once, copied into each test's home."""
    from typer.testing import CliRunner

    from mansioni.cli.app import app
    from mansioni.i18n import set_language

    home = tmp_path_factory.mktemp("completion-store")
    runner = CliRunner()
    commands = [
        ("client", "add", "Studio Rossi"),
        ("client", "add", "Caffè Ôrso"),
        ("client", "add", "Studio Cantù Commercialisti"),
        ("client", "add", "Vecchio Cliente"),
        ("task", "add", "rossi/Newsletter"),
        ("task", "add", "rossi/Fatture"),
        ("task", "add", "caffe/Social post"),
        ("task", "add", "caffe/Inbox"),
        ("task", "add", "cantu/PEC"),
        ("task", "add", "cantu/F24 & Co"),
        ("task", "add", "vecchio/Archivio"),
        ("client", "archive", "vecchio"),
        ("add", "rossi/newsletter", "9:00-9:30", "--date", "2026-11-20"),
        ("add", "caffe/social post", "10:00-10:45", "--date", "2026-11-20"),
    ]
    env = {
        "MANSIONI_HOME": str(home),
        "MANSIONI_LANG": "en",
        "MANSIONI_TZ": "Europe/Rome",
        "MANSIONI_USER": "vera",
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("MANSIONI_DB", raising=False)
        set_language(None)
        for args in commands:
            result = runner.invoke(app, list(args), catch_exceptions=False)
            assert result.exit_code == 0, (args, result.output)
        patch.setenv("MANSIONI_USER", "giulia")
        result = runner.invoke(app, ["add", "rossi/fatture", "11:00-11:20", "--date", "2026-11-20"])
        assert result.exit_code == 0, result.output
    set_language(None)
    return db_file(home)


@pytest.fixture
def store(store_file, isolated_home) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(store_file, db_file(isolated_home))


def ask(shell: str, *words: str, capsys) -> tuple[str, list[str]]:  # noqa: ANN001
    """``(directive, lines)`` of ``mansioni __complete SHELL -- WORDS``."""
    assert complete.main([shell, "--", *words]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    first, *lines = out.out.splitlines()
    return first, lines


def bash(line: str, capsys) -> tuple[str, list[str]]:  # noqa: ANN001
    return ask("bash", line, capsys=capsys)


def values(shell: str, *words: str, capsys) -> list[str]:  # noqa: ANN001
    return [line.split("\t")[0] for line in ask(shell, *words, capsys=capsys)[1]]


# --- commands, sub-commands, options ------------------------------------------------------


def test_commands_and_sub_commands(capsys) -> None:
    assert bash("mansioni st", capsys) == ("values", ["start", "stop", "status"])
    assert bash("mansioni client ", capsys)[1] == ["add", "list", "show", "edit", "archive"]
    directive, lines = ask("zsh", "co", capsys=capsys)
    assert directive == "values"
    assert lines == [
        "config\tYour settings: the configuration file, and what the environment sets.",
        "completion\tShell completion of commands, options, clients, duties and entry ids,"
        " for bash, zsh and fish.",
    ]
    assert values("fish", "import", "", capsys=capsys)[:2] == ["watson", "timewarrior"]
    assert bash("mansioni nosuch ", capsys) == ("values", [])


def test_options_of_the_command_typed_and_not_those_given(capsys) -> None:
    assert bash("mansioni log --c", capsys)[1] == ["--client"]
    assert bash("mansioni log --client rossi --c", capsys)[1] == []
    assert "--output" in bash("mansioni report -", capsys)[1]
    assert "--output" not in bash("mansioni report -o x.md -", capsys)[1]  # -o is --output
    assert bash("mansioni edit 3 --ty", capsys)[1] == ["--typical"]
    lines = ask("fish", "start", "--r", capsys=capsys)[1]
    assert lines == ["--resume\tContinue the task's last occurrence (work interrupted earlier)."]
    # Nothing left to type but options: they are offered for an empty word.
    assert "--json" in bash("mansioni history rossi/newsletter ", capsys)[1]
    assert bash("mansioni --v", capsys)[1] == ["--version"]


def test_the_words_of_a_choice(capsys) -> None:
    assert bash("mansioni report --format ", capsys)[1] == ["table", "md", "csv", "json", "html"]
    assert bash("mansioni review --format ", capsys)[1] == ["table", "md", "html"]
    assert bash("mansioni export --format=j", capsys)[1] == ["json", "jsonl"]  # after the =
    assert values("zsh", "report", "--format=h", capsys=capsys) == ["--format=html"]
    assert bash("mansioni report --by ", capsys)[1] == ["task", "day", "week", "who"]
    # The words of the other language are offered once typed.
    assert bash("mansioni report --by gi", capsys)[1] == ["giorno"]
    assert bash("mansioni decide rossi/newsletter ", capsys)[1] == [
        "keep",
        "renegotiated",
        "hand-back",
    ]
    assert bash("mansioni task edit rossi/fatture --state ", capsys)[1] == [
        "trial",
        "active",
        "handed-back",
        "archived",
    ]
    assert "timezone" in bash("mansioni config set ", capsys)[1]
    assert bash("mansioni completion install ", capsys)[1] == ["bash", "zsh", "fish"]


def test_the_words_of_review_formats_are_those_review_takes(cli) -> None:
    result = cli("review", "--format", "nosuch", ok=False)
    assert result.exit_code == 2
    assert "choose one of: table, md, html." in result.output


def test_paths_are_left_to_the_shell(capsys) -> None:
    assert bash("mansioni report -o ", capsys) == ("files", [])
    assert bash("mansioni backup ", capsys) == ("files", [])
    assert ask("fish", "demo", "--home", "", capsys=capsys) == ("dirs", [])
    assert bash("mansioni add rossi/newsletter ", capsys) == ("values", [])  # a time: typed


# --- names from the store ------------------------------------------------------------------


def test_clients_by_the_word_that_names_each_alone(store, capsys) -> None:
    assert bash("mansioni log --client ", capsys)[1] == ["cantu", "orso", "rossi"]
    assert bash("mansioni log --client=ca", capsys)[1] == ["caffe", "cantu"]  # after the =
    assert ask("zsh", "client", "show", "Ca", capsys=capsys)[1] == [
        "Caffe\tCaffè Ôrso",
        "Cantu\tStudio Cantù Commercialisti",
    ]
    # "studio" names two clients: each by the name from the word typed on, which names
    # it alone and begins as typed.
    assert bash("mansioni client show studio", capsys)[1] == [
        "studio\\ cantu\\ commercialisti",
        "studio\\ rossi",
    ]
    # An archived client only when nothing else matches.
    assert bash("mansioni client show vec", capsys)[1] == ["vecchio"]


def test_duties_as_client_slash_duty(store, capsys) -> None:
    assert bash("mansioni start ", capsys) == ("nospace", ["cantu/", "orso/", "rossi/"])
    # One client matches: its duties at once.
    assert bash("mansioni start ro", capsys) == ("values", ["rossi/fatture", "rossi/newsletter"])
    # A duty by the word typed, else its first word, as hints write it (names.task_ref).
    assert bash("mansioni start caffe/so", capsys)[1] == ["caffe/social"]
    assert bash("mansioni start orso/p", capsys)[1] == ["orso/post"]
    assert bash("mansioni start cantu/f", capsys)[1] == ["cantu/f24"]
    # Typed across words: the name from there on, quoted.
    assert bash("mansioni start caffe/social\\ p", capsys)[1] == ["caffe/social\\ post"]
    assert bash("mansioni start cantu/f24\\ \\&", capsys)[1] == ["cantu/f24\\ \\&\\ co"]
    # A duty's name alone: the duty, as client/duty.
    assert bash("mansioni start news", capsys)[1] == ["rossi/newsletter"]
    # Letters typed with accents and capitals stay as typed.
    assert values("fish", "start", "Ôr", capsys=capsys) == ["Ôrso/inbox", "Ôrso/social"]
    lines = ask("zsh", "history", "caffe/s", capsys=capsys)[1]
    assert lines == ["caffe/social\tCaffè Ôrso/Social post"]
    # --task, the task of add/review/change/estimate/decide/task show, edit --task
    for line in (
        "mansioni log --task caffe/i",
        "mansioni add caffe/i",
        "mansioni review caffe/i",
        "mansioni change caffe/i",
        "mansioni estimate caffe/i",
        "mansioni decide caffe/i",
        "mansioni task show caffe/i",
        "mansioni edit 1 --task caffe/i",
        "mansioni report --task=caffe/i",
    ):
        assert bash(line, capsys)[1][-1].endswith("caffe/inbox"), line
    # task add: a client, then the new duty's name is typed.
    assert bash("mansioni task add ro", capsys) == ("nospace", ["rossi/"])
    assert bash("mansioni task add rossi/", capsys) == ("values", [])
    # The duties of an archived client only when nothing else matches.
    assert bash("mansioni task show vecchio/", capsys)[1] == ["vecchio/archivio"]
    assert "vecchio/" not in bash("mansioni start ", capsys)[1]


def test_each_duty_offered_names_that_duty(store, capsys) -> None:
    from mansioni.domain.names import TaskName, resolve_task

    tasks = [
        TaskName(1, "Studio Rossi", "Newsletter"),
        TaskName(2, "Studio Rossi", "Fatture"),
        TaskName(3, "Caffè Ôrso", "Social post"),
        TaskName(4, "Caffè Ôrso", "Inbox"),
        TaskName(5, "Studio Cantù Commercialisti", "PEC"),
        TaskName(6, "Studio Cantù Commercialisti", "F24 & Co"),
    ]
    offered = []
    for client in ("ro", "ca", "cantu", "studio"):
        offered += values("zsh", "start", client, capsys=capsys)
    offered = [v for v in offered if not v.endswith("/")]
    offered += [
        v
        for c in values("zsh", "start", "", capsys=capsys)
        for v in values("zsh", "start", c, capsys=capsys)
    ]
    assert {resolve_task(v, tasks).full for v in offered} == {t.full for t in tasks}


def test_quoting_follows_the_quote_the_word_opened(store, capsys) -> None:
    assert bash("mansioni start 'caffe/social p", capsys)[1] == ["caffe/social post"]  # after '
    assert bash("mansioni start orso/'social p", capsys)[1] == ["social post"]
    assert bash('mansioni start "caffe/social p', capsys)[1] == ["caffe/social post"]
    assert bash('mansioni start "cantu/f24 & c', capsys)[1] == ["cantu/f24 & co"]
    assert bash("mansioni start caffe/social\\ p", capsys)[1] == ["caffe/social\\ post"]
    assert values("zsh", "start", "caffe/social\\ p", capsys=capsys) == ["caffe/social post"]
    assert values("fish", "start", "'caffe/social p", capsys=capsys) == ["caffe/social post"]
    # The words before are read as bash reads them.
    assert bash("mansioni 'log' --client ro", capsys)[1] == ["rossi"]


def test_entry_ids_newest_first_with_duty_and_day(store, capsys) -> None:
    assert bash("mansioni edit ", capsys) == ("values", ["2", "1"])  # giulia's 3: not hers
    assert ask("zsh", "delete", "", capsys=capsys)[1] == [
        "2\tCaffè Ôrso/Social post, 2026-11-20 10:00-10:45",
        "1\tStudio Rossi/Newsletter, 2026-11-20 09:00-09:30",
    ]
    assert bash("mansioni edit 1", capsys)[1] == ["1"]
    assert bash("mansioni edit x", capsys)[1] == []


def test_entry_ids_are_read_from_the_newest_rows_only(
    store, isolated_home, capsys, monkeypatch
) -> None:
    monkeypatch.setattr(complete, "ENTRY_WINDOW", 1)  # the newest row is giulia's
    assert bash("mansioni edit ", capsys)[1] == []
    monkeypatch.setattr(complete, "ENTRY_WINDOW", 2)
    assert bash("mansioni edit ", capsys)[1] == ["2"]
    monkeypatch.setattr(complete, "ENTRY_IDS", 1)
    monkeypatch.setattr(complete, "ENTRY_WINDOW", 500)
    assert bash("mansioni edit ", capsys)[1] == ["2"]


@pytest.mark.parametrize("damage", ["missing", "garbage", "no tables"])
def test_a_store_that_cannot_be_read_completes_commands_and_options_silently(
    isolated_home, capsys, damage
) -> None:
    if damage != "missing":
        isolated_home.mkdir(parents=True)
        data = b"not a database at all" * 100 if damage == "garbage" else b""
        db_file(isolated_home).write_bytes(data)
    assert bash("mansioni start ", capsys) == ("values", [])
    assert bash("mansioni edit ", capsys) == ("values", [])
    assert bash("mansioni start --re", capsys)[1] == ["--resume"]
    assert bash("mansioni sta", capsys)[1] == ["start", "status"]
    if damage == "missing":
        assert not db_file(isolated_home).exists()  # nothing made


def test_a_bad_configuration_file_completes_commands_and_options_silently(
    store, isolated_home, capsys, monkeypatch
) -> None:
    config = isolated_home.parent / "user" / "config" / "mansioni" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("store = [\n")
    monkeypatch.delenv("MANSIONI_HOME")
    assert bash("mansioni start ", capsys) == ("values", [])
    assert bash("mansioni start --re", capsys)[1] == ["--resume"]


def test_descriptions_in_the_users_language(store, capsys, monkeypatch) -> None:
    from mansioni.i18n import set_language

    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)
    lines = ask("fish", "log", "--j", capsys=capsys)[1]
    assert lines == ["--json\tStampa in formato JSON."]
    assert ask("zsh", "edit", "", capsys=capsys)[1][0].startswith("2\tCaffè Ôrso/Social post")


def test_a_call_that_breaks_the_protocol_is_refused(capsys) -> None:
    assert complete.main([]) == 2
    assert complete.main(["tcsh", "--", "x"]) == 2
    assert complete.main(["bash"]) == 2
    assert "usage: mansioni __complete" in capsys.readouterr().err


# --- the scripts in real shells --------------------------------------------------------------


def shell_env(isolated_home: Path) -> dict[str, str]:
    """The test's environment, with the ``mansioni`` of this interpreter first on PATH."""
    tool = shutil.which("mansioni", path=os.path.dirname(sys.executable))
    assert tool is not None, "mansioni is not installed beside this interpreter"
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(tool) + os.pathsep + env.get("PATH", "")
    env.update(LC_ALL="C.UTF-8", TERM="dumb")
    return env


BASH_CALL = r"""
source <(mansioni completion show bash)
COMP_LINE=$1 COMP_POINT=${#1}
read -r -a COMP_WORDS <<< "$1"
COMP_CWORD=${#COMP_WORDS[@]}
_mansioni mansioni
for value in "${COMPREPLY[@]}"; do printf '%s\n' "$value"; done
"""


@pytest.mark.requires("bash")
def test_the_bash_script_fills_compreply(store, isolated_home, tmp_path) -> None:
    env = shell_env(isolated_home)

    def reply(line: str) -> list[str]:
        result = subprocess.run(
            ["bash", "--norc", "--noprofile", "-c", BASH_CALL, "bash", line],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    assert reply("mansioni sta") == ["start", "status"]
    assert reply("mansioni start caffe/so") == ["caffe/social"]
    assert reply("mansioni start caffe/social\\ p") == ["caffe/social\\ post"]
    assert reply("mansioni edit ") == ["2", "1"]  # newest first: -o nosort keeps it
    assert reply("mansioni report -o ") == []  # readline's own file names then


PROMPT = "READY> "


def _drive(
    argv: list[str], env: dict[str, str], setup: str, keys: list[str], out: Path
) -> list[str]:
    """Type ``setup`` (a line), then each of ``keys`` in an interactive shell on a
    terminal, each once the shell is ready; each ends with Ctrl-X p, bound to write the
    command line to ``out``. The lines written. A shell that ends before it got there
    fails the test at once, with what it printed."""
    import errno
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the shell
        os.execvpe(argv[0], argv, dict(env, PS1=PROMPT))
    deadline = time.monotonic() + 60
    seen = b""
    ended: int | None = None  # the shell's wait status, once it has ended

    def wait(done) -> None:  # noqa: ANN001
        nonlocal seen, ended
        while not done():
            assert time.monotonic() < deadline, f"the shell never got there: {seen[-300:]!r}"
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    chunk = os.read(fd, 65536)
                except OSError as exc:  # EIO: the terminal's other side is closed
                    if exc.errno != errno.EIO:
                        raise
                    chunk = b""
                seen += chunk
                if chunk:
                    continue
            elif ended is None:
                gone, status = os.waitpid(pid, os.WNOHANG)
                if not gone:
                    continue
                ended = status
            if done():
                return
            pytest.fail(f"the shell ended before it got there: {seen[-300:]!r}")

    def written() -> int:
        return len(out.read_text().splitlines()) if out.exists() else 0

    try:
        wait(lambda: seen.count(PROMPT.encode()) >= 1)
        if setup:
            os.write(fd, setup.encode())
            wait(lambda: seen.count(PROMPT.encode()) >= 2)
        for n, key in enumerate(keys, 1):
            os.write(fd, key.encode() + b"\x18p\x15")
            wait(lambda n=n: written() >= n)
    finally:
        if ended is None:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    return out.read_text().splitlines()


@pytest.mark.requires("pty")
def test_a_shell_that_ends_fails_the_drive_at_once(isolated_home, tmp_path) -> None:
    argv = [sys.executable, "-c", "print('no shell here')"]
    with pytest.raises(pytest.fail.Exception, match="ended before it got there.*no shell here"):
        _drive(argv, shell_env(isolated_home), "", ["x"], tmp_path / "lines")


TYPED = [
    "mansioni start caffe/social\\ p\t",
    "mansioni start 'caffe/social p\t",
    "mansioni start news\t",
    "mansioni start Ôr\t",
    "mansioni start cantu/f24\\ \\&\t",
    "mansioni report --format=h\t",
]
INSERTED = [
    "<mansioni start caffe/social\\ post >",
    "<mansioni start 'caffe/social post' >",
    "<mansioni start rossi/newsletter >",
    "<mansioni start Ôrso/>",
    "<mansioni start cantu/f24\\ \\&\\ co >",
    "<mansioni report --format=html >",
]


@pytest.mark.slow
@pytest.mark.requires("bash", "pty")
def test_bash_puts_the_value_on_the_line_quoted(store, isolated_home, tmp_path) -> None:
    out = tmp_path / "lines"
    setup = (
        "source <(mansioni completion show bash); "
        f"""bind -x '"\\C-xp": printf "<%s>\\n" "$READLINE_LINE" >> {out}'\n"""
    )
    argv = ["bash", "--norc", "--noprofile", "-i"]
    assert _drive(argv, shell_env(isolated_home), setup, TYPED, out) == INSERTED


@pytest.mark.slow
@pytest.mark.requires("zsh", "pty")
def test_zsh_puts_the_value_on_the_line_quoted(store, isolated_home, tmp_path) -> None:
    out = tmp_path / "lines"
    (tmp_path / ".zshrc").write_text(
        f"autoload -Uz compinit && compinit -u -d {tmp_path}/.zcompdump\n"
        "source <(mansioni completion show zsh)\n"
        f'_dump() {{ print -r -- "<$BUFFER>" >> {out} }}\n'
        "zle -N _dump\n"
        "bindkey '^Xp' _dump\n"
    )
    env = dict(shell_env(isolated_home), ZDOTDIR=str(tmp_path))
    assert _drive(["zsh", "-i"], env, "", TYPED, out) == INSERTED


@pytest.mark.requires("fish")
def test_fish_offers_the_values_with_their_descriptions(store, isolated_home, tmp_path) -> None:
    script = tmp_path / "mansioni.fish"
    script.write_text(SCRIPTS["fish"])
    env = shell_env(isolated_home)

    def offered(line: str) -> list[str]:
        result = subprocess.run(
            ["fish", "--no-config", "-c", f"source {script}; complete -C$argv[1]", line],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    assert offered("mansioni sta") == [
        "start\tStart timing a task; a running timer is stopped at the same instant.",
        "status\tWhat runs, since when, and today's time per client.",
    ]
    assert offered("mansioni start 'caffe/so") == ["caffe/social\tCaffè Ôrso/Social post"]
    assert offered("mansioni start 'caffe/social p") == [
        "caffe/social post\tCaffè Ôrso/Social post"
    ]
    assert offered("mansioni edit ")[0] == "2\tCaffè Ôrso/Social post, 2026-11-20 10:00-10:45"
    assert offered(f"mansioni report -o {tmp_path}/mansioni.f") == [f"{tmp_path}/mansioni.fish"]


# --- mansioni completion show | install ------------------------------------------------------


def test_show_prints_the_script_and_an_unknown_shell_is_refused(cli) -> None:
    for shell, script in SCRIPTS.items():
        assert cli("completion", "show", shell).output == script
    assert cli("completion", "show", "/usr/bin/zsh").output == SCRIPTS["zsh"]  # from $SHELL
    result = cli("completion", "show", "tcsh", ok=False)
    assert result.exit_code == 2
    assert "'tcsh' is not a shell mansioni completes." in result.output
    assert "bash, zsh, fish" in result.output


def test_install_writes_where_each_shell_looks_once(cli, isolated_home, monkeypatch) -> None:
    home = isolated_home.parent / "user"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("BASH_COMPLETION_USER_DIR", raising=False)
    monkeypatch.delenv("FPATH", raising=False)
    monkeypatch.delenv("ZDOTDIR", raising=False)
    places = {
        "bash": home / ".local/share/bash-completion/completions/mansioni",
        "zsh": home / ".zfunc/_mansioni",
        "fish": home / ".config/fish/completions/mansioni.fish",
    }
    for shell, path in places.items():
        said = cli("completion", "install", shell).output
        assert said.startswith(f"Wrote {path}.\n")
        assert path.read_text() == SCRIPTS[shell]
        again = cli("completion", "install", shell).output
        assert again.startswith(f"Already up to date: {path}\n")
        assert again.splitlines()[1:] == said.splitlines()[1:]  # the same next steps
    zsh = cli("completion", "install", "zsh").output.splitlines()
    assert zsh[1:] == [
        "Add these lines to ~/.zshrc, before any other compinit line, then open a new terminal:",
        "    fpath=(~/.zfunc $fpath)",
        "    autoload -Uz compinit && compinit",
    ]
    (home / ".zshrc").write_text("fpath=(~/.zfunc $fpath)\nautoload -Uz compinit && compinit\n")
    assert "Open a new terminal." in cli("completion", "install", "zsh").output
    assert "open a new terminal" in cli("completion", "install", "fish").output


def test_install_honours_the_xdg_folders_and_mends_a_changed_file(cli, isolated_home) -> None:
    user = isolated_home.parent / "user"
    bash = user / "data/bash-completion/completions/mansioni"
    fish = user / "config/fish/completions/mansioni.fish"
    cli("completion", "install", "bash")
    cli("completion", "install", "fish")
    assert bash.read_text() == SCRIPTS["bash"] and fish.read_text() == SCRIPTS["fish"]
    bash.write_text("# an older script\n")
    assert cli("completion", "install", "bash").output.startswith(f"Wrote {bash}.")
    assert bash.read_text() == SCRIPTS["bash"]
    assert [p.name for p in bash.parent.iterdir()] == ["mansioni"]  # no temporary file left


def test_install_into_a_folder_that_cannot_be_written(cli, isolated_home, monkeypatch) -> None:
    blocked = isolated_home.parent / "blocked"
    blocked.write_text("a file where a folder should be")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocked))
    result = cli("completion", "install", "fish", ok=False)
    assert result.exit_code == 1
    assert "Cannot write" in result.output
    assert "mansioni completion show fish | source" in result.output


# --- the table and the speed ------------------------------------------------------------------


def test_the_table_is_generated_from_the_typer_commands() -> None:
    path = ROOT / "scripts" / "gen_completion.py"
    spec = importlib.util.spec_from_file_location("gen_completion", path)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    table = ROOT / "src" / "mansioni" / "cli" / "completion_table.py"
    assert table.read_text(encoding="utf-8") == generator.render(), (
        "src/mansioni/cli/completion_table.py is out of date: run python scripts/gen_completion.py"
    )


def test_a_completion_imports_nothing_heavy(store, isolated_home) -> None:
    for words in (["start", "ro"], ["edit", ""], ["report", "--format", ""]):
        result = subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                "-m",
                "mansioni",
                "__complete",
                "zsh",
                "--",
                *words,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("\n") > 1, words  # something was offered
        imported = {
            line.rsplit("|", 1)[-1].strip().split(".")[0]
            for line in result.stderr.splitlines()
            if line.startswith("import time:")
        }
        assert "mansioni" in imported
        assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))


# --- Tab and Enter read a name the same way -------------------------------------------------


def test_tab_offers_the_duty_enter_starts(cli, isolated_home, capsys) -> None:
    """A word that names a duty is that duty, before it is a client's name: as the
    command reads it (``names.find_tasks``), not the other way round."""
    for args in (
        ("client", "add", "Studio Rossi"),
        ("client", "add", "Caffè Ôrso"),
        ("task", "add", "rossi/Newsletter"),
        ("task", "add", "caffe/Rosticceria"),
    ):
        cli(*args)
    capsys.readouterr()
    assert bash("mansioni start ros", capsys)[1] == ["orso/rosticceria"]
    assert bash("mansioni start rossi", capsys)[1] == ["rossi/newsletter"]  # no duty: a client
    assert "Caffè Ôrso/Rosticceria" in cli("start", "ros").output


def test_tab_and_hints_write_a_duty_the_same_way(cli, isolated_home, capsys) -> None:
    """One rule (``names.task_ref``): a client by its distinctive word, never by an
    abbreviation; a duty by its first word, else its own one, else its whole name."""
    for args in (
        ("client", "add", "Avv. Bianchi"),
        ("client", "add", "Studio Rossi"),
        ("task", "add", "bianchi/Prima nota"),
        ("task", "add", "bianchi/Prima nota (vecchia)"),
        ("task", "add", "rossi/Social post"),
    ):
        cli(*args)
    capsys.readouterr()
    assert bash("mansioni start ", capsys)[1] == ["bianchi/", "rossi/"]
    offered = bash("mansioni start bianchi/", capsys)[1]
    assert offered == ["bianchi/prima\\ nota", "bianchi/vecchia"]
    assert bash("mansioni start rossi", capsys)[1] == ["rossi/social"]
    hint = cli("start", "bianchi/", ok=False).output
    assert "Name one of its tasks: 'bianchi/prima nota', bianchi/vecchia" in hint


def test_completion_runs_no_sql_of_its_own() -> None:
    """What completion reads is read in ``store/`` (``store.completion_reads``)."""
    source = (ROOT / "src" / "mansioni" / "complete.py").read_text(encoding="utf-8")
    assert "import sqlite3" not in source
    assert "SELECT " not in source and ".execute(" not in source
    assert "names._WORD" not in source and "import _WORD" not in source
