"""``mansioni completion show | install SHELL``: shell completion for bash, zsh and fish.

Each script is a few lines of the shell's own that ask ``mansioni __complete`` at every
Tab (``mansioni.complete`` answers, without Typer: see its protocol). ``install`` writes
the script where the shell looks for the user's completions, never anywhere that needs
root, says where and what is left to do, and writes nothing when the file is already
the one it would write.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import echo_lines
from mansioni.complete import SHELLS
from mansioni.domain.text import shown
from mansioni.errors import ConflictError, InputError
from mansioni.i18n import _

completion_app = typer.Typer(help=command_help("completion"), no_args_is_help=True)

SHELL = Annotated[
    str,
    typer.Argument(metavar="SHELL", help=_("bash, zsh or fish."), show_default=False),
]

BASH = r"""# bash completion for mansioni (written by: mansioni completion show bash)
_mansioni() {
    local -a reply
    mapfile -t reply < <("$1" __complete bash -- "${COMP_LINE:0:COMP_POINT}" "$COMP_WORDBREAKS" 2>/dev/null)
    case ${reply[0]-} in
        files) COMPREPLY=(); compopt -o default ;;
        dirs) COMPREPLY=(); compopt -o dirnames ;;
        nospace) COMPREPLY=("${reply[@]:1}"); compopt -o nospace ;;
        *) COMPREPLY=("${reply[@]:1}") ;;
    esac
    return 0
}
complete -o nosort -F _mansioni mansioni 2>/dev/null || complete -F _mansioni mansioni
"""

ZSH = r"""#compdef mansioni
# zsh completion for mansioni (written by: mansioni completion show zsh)
_mansioni() {
    local -a reply values shown slashed slashed_shown
    local line value description
    reply=("${(@f)$("${(Q)words[1]}" __complete zsh -- "${(@Q)words[2,CURRENT-1]}" "$PREFIX" 2>/dev/null)}")
    case ${reply[1]-} in
        files|dirs)
            [[ $PREFIX == -* ]] && compset -P '*='
            if [[ ${reply[1]} == dirs ]]; then _files -/; else _files; fi
            return ;;
    esac
    for line in "${(@)reply[2,-1]}"; do
        [[ -n $line ]] || continue
        value=${line%%$'\t'*}
        description=${line#*$'\t'}
        if [[ -n $description ]]; then
            description="$value  -- $description"
        else
            description=$value
        fi
        if [[ $value == */ ]]; then
            slashed+=("$value"); slashed_shown+=("$description")
        else
            values+=("$value"); shown+=("$description")
        fi
    done
    (( $#values )) && compadd -U -V mansioni -l -d shown -a values
    (( $#slashed )) && compadd -U -V mansioni -l -S '' -d slashed_shown -a slashed
    return 0
}
if [[ ${zsh_eval_context[-1]-} == loadautofunc ]]; then
    _mansioni "$@"
else
    compdef _mansioni mansioni
fi
"""

FISH = r"""# fish completion for mansioni (written by: mansioni completion show fish)
function __mansioni_complete
    set -l words (commandline -opc)
    set -l program $words[1]
    set -e words[1]
    set -l current (commandline -ct)
    set -l reply ($program __complete fish -- $words "$current" 2>/dev/null)
    or return
    switch "$reply[1]"
        case files
            __fish_complete_path "$current"
        case dirs
            __fish_complete_directories "$current"
        case '*'
            set -e reply[1]
            printf '%s\n' $reply
    end
end
complete -c mansioni -e
complete -c mansioni -f -k -a '(__mansioni_complete)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}
assert tuple(SCRIPTS) == SHELLS
#: How to load a script in the shell that runs it, without writing any file.
LOAD_BY_HAND = {
    "bash": "source <(mansioni completion show bash)",
    "zsh": "source <(mansioni completion show zsh)",
    "fish": "mansioni completion show fish | source",
}

#: Where bash-completion itself may be, which loads the user's completions on demand.
BASH_COMPLETION = (
    "/usr/share/bash-completion/bash_completion",
    "/etc/bash_completion",
    "/usr/local/share/bash-completion/bash_completion",
    "/usr/local/etc/profile.d/bash_completion.sh",
    "/opt/homebrew/etc/profile.d/bash_completion.sh",
)


def shell_name(text: str) -> str:
    """``bash``, ``zsh`` or ``fish``, from a name or a path (``$SHELL``); else exit 2."""
    name = os.path.basename(text.strip()).lower()
    if name not in SHELLS:
        raise InputError(
            _("{text!r} is not a shell mansioni completes.").format(text=text),
            hint=_("Choose one of: {choices}").format(choices=", ".join(SHELLS)),
        )
    return name


@completion_app.command(
    "show",
    help=_(
        "Print the completion script of a shell, to read or to load by hand.\n\n$ mansioni completion show bash"
    ),
)
def show(shell: SHELL) -> None:
    typer.echo(SCRIPTS[shell_name(shell)], nl=False)


@completion_app.command(
    "install",
    help=_(
        "Write the completion script where the shell loads your completions (no root needed), and say what is left to do.\n\n$ mansioni completion install zsh"
    ),
)
def install(shell: SHELL) -> None:
    name = shell_name(shell)
    path = install_path(name)
    script = SCRIPTS[name]
    try:
        with open(path, encoding="utf-8") as file:
            same = file.read() == script
    except (OSError, UnicodeDecodeError):
        same = False
    if same:
        lines = [_("Already up to date: {path}").format(path=shown(path))]
    else:
        _write(path, script, name)
        lines = [_("Wrote {path}.").format(path=shown(path))]
    echo_lines(lines + next_steps(name, path))


def _home(*parts: str) -> str:
    return os.path.join(os.path.expanduser("~"), *parts)


def _xdg(variable: str, default: str) -> str:
    """An XDG base folder: the variable when it holds an absolute path, else the default."""
    value = os.environ.get(variable, "").strip()
    return value if os.path.isabs(value) else _home(default)


def install_path(shell: str) -> str:
    """Where ``shell`` finds the user's completion for mansioni."""
    if shell == "bash":
        folder = os.environ.get("BASH_COMPLETION_USER_DIR", "").strip()
        if not os.path.isabs(folder):
            folder = os.path.join(_xdg("XDG_DATA_HOME", ".local/share"), "bash-completion")
        return os.path.join(folder, "completions", "mansioni")
    if shell == "zsh":
        return os.path.join(_zsh_folder(), "_mansioni")
    return os.path.join(_xdg("XDG_CONFIG_HOME", ".config"), "fish", "completions", "mansioni.fish")


def _zsh_folder() -> str:
    """A folder of the user's on ``$FPATH`` when the environment says which (zsh does not
    export it by default), else ``~/.zfunc``."""
    home = os.path.realpath(os.path.expanduser("~"))
    for folder in os.environ.get("FPATH", "").split(":"):
        real = os.path.realpath(folder) if os.path.isabs(folder) else ""
        if real.startswith(home + os.sep) and os.path.isdir(real) and os.access(real, os.W_OK):
            return folder
    return _home(".zfunc")


def _tilde(path: str) -> str:
    """``path`` with the home folder written ``~``, as a person would type it."""
    home = os.path.expanduser("~").rstrip(os.sep)
    return "~" + path[len(home) :] if home and path.startswith(home + os.sep) else path


def next_steps(shell: str, path: str) -> list[str]:
    """What to do after ``install``, for the shell to load the script."""
    shown_path = shown(_tilde(path))
    if shell == "fish":
        return [_("fish loads it by itself: open a new terminal.")]
    if shell == "bash":
        if any(os.path.exists(p) for p in BASH_COMPLETION):
            return [
                _("bash-completion loads it by itself: open a new terminal."),
                _("To use it in this terminal now: source {path}").format(path=shown_path),
            ]
        return [
            _("bash-completion, which would load it by itself, was not found."),
            _("Add this line to ~/.bashrc, then open a new terminal:"),
            f"    source {shown_path}",
        ]
    folder = os.path.dirname(path)
    if folder != _home(".zfunc") or _in_zshrc(folder):
        return [
            _(
                "Open a new terminal. If Tab does not complete yet, remove ~/.zcompdump and open another one."
            )
        ]
    return [
        _(
            "Add these lines to {zshrc}, before any other compinit line, then open a new terminal:"
        ).format(zshrc=shown(_tilde(_zshrc()))),
        f"    fpath=({shown(_tilde(folder))} $fpath)",
        "    autoload -Uz compinit && compinit",
    ]


def _zshrc() -> str:
    return os.path.join(os.environ.get("ZDOTDIR", "").strip() or os.path.expanduser("~"), ".zshrc")


def _in_zshrc(folder: str) -> bool:
    """True when ``.zshrc`` already puts ``folder`` on ``$fpath`` (it names the folder)."""
    try:
        with open(_zshrc(), encoding="utf-8", errors="replace") as file:
            text = file.read()
    except OSError:
        return False
    return any(
        form in text
        for form in (folder, _tilde(folder), folder.replace(os.path.expanduser("~"), "$HOME"))
    )


def _write(path: str, text: str, shell: str) -> None:
    """Write ``text`` to ``path`` whole (a new file put in place), its folders made."""
    import tempfile

    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".mansioni.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        raise ConflictError(
            _("Cannot write {path}: {reason}.").format(
                path=shown(path), reason=exc.strerror or exc
            ),
            hint=_("Check the folder's permissions, or load the script by hand: {command}").format(
                command=LOAD_BY_HAND[shell]
            ),
        ) from None
