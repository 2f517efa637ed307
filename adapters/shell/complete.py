"""Tab completion for the shell: commands, their actions and options, values, recent ids.

Everything comes from the one command tree (`bot.commands.dispatch.registry()`) and the
suggestions the platforms' autocomplete uses (`bot.commands.autocomplete`), so a new command or
option completes without touching this module. `candidates` is pure (a line in, words out);
`install` hands it to readline.
"""

from __future__ import annotations

import re

from bot.commands.autocomplete import library_choices, paper_choices, topic_choices
from bot.commands.dispatch import registry
from bot.commands.spec import Spec
from bot.commands.timeparse import zone_names
from bot.core import Core

PREFIX = "/papers"
QUIT = ("quit", "exit")
# `day|week|month` in a usage line; a placeholder may say it repeats (`<id…|library>`)
_ALTERNATIVES = re.compile(r"[a-z-]+…?(?:\|[a-z-]+…?)+")
_OPTIONAL_WORD = re.compile(r"\[([a-z-]+)\]")  # `[confirm]`
_PLACEHOLDERS = {"n", "id", "command"}
# Values of an option of `channel enable`, when the one before the cursor is that option.
OPTION_VALUES = {"empty-days": ("note", "skip"), "days": ("mon-fri", "sat,sun", "mon-sun")}


def _literals(spec: Spec) -> list[str]:
    """The fixed words a command's usage line offers (`top [day|week|month]`, `forget-me
    [confirm]`, `bibtex <id|library>`), without its placeholders (`n`, `id`, `command`)."""
    usage = spec.usage
    words = [w.rstrip("…") for group in _ALTERNATIVES.findall(usage) for w in group.split("|")]
    words += _OPTIONAL_WORD.findall(usage)
    return [w for w in dict.fromkeys(words) if w not in _PLACEHOLDERS]


def _ids(core: Core, prefix: str) -> list[str]:
    return [pid for pid, _ in paper_choices(core, prefix) if pid.startswith(prefix)]


def _values(core: Core, spec: Spec, words: list[str], text: str, user_id: str) -> list[str]:
    """What may follow `words` (the command and what was typed after it)."""
    user = ("shell", "", user_id)
    if spec.actions:
        if len(words) == 1:
            return [a.name for a in spec.actions]
        action = next((a for a in spec.actions if a.name == words[1].lower()), None)
        if action is None:
            return []
        if words[-1] == "tz":
            return list(zone_names())
        if words[-1] in OPTION_VALUES:
            return list(OPTION_VALUES[words[-1]])
        return [a.name for a in action.args if a.name not in words]
    out = _literals(spec)
    for arg in spec.args:
        if arg.name == "command":
            out += list(registry())
        elif arg.name == "topic":
            out += [n for n, _ in topic_choices(core, *user)]
        elif arg.name in ("paper", "target"):
            if spec.name == "unsave":
                out += [pid for pid, _ in library_choices(core, *user, text)]
            else:
                out += _ids(core, text)
    return out


def candidates(core: Core, line: str, begidx: int, user_id: str) -> list[str]:
    """Completions of the word that starts at `begidx` in `line` (readline's view of it), for
    the shell's user `user_id` (their topics and library)."""
    text = line[begidx:]
    words = line[:begidx].split()
    if words and words[0] == PREFIX:
        words = words[1:]
    if not words:
        options = [*registry(), *QUIT] if begidx else [PREFIX, *registry(), *QUIT]
    else:
        spec = registry().get(words[0].lower())
        options = _values(core, spec, words, text, user_id) if spec else []
    # Case-insensitive ("europe/berl" → Europe/Berlin): readline replaces the word typed.
    return [o for o in dict.fromkeys(options) if o.lower().startswith(text.lower())]


def install(core: Core, user_id: str) -> None:
    """Make Tab complete with `candidates` in `input()` (GNU readline or libedit)."""
    import readline

    matches: list[str] = []

    def complete(text: str, state: int) -> str | None:
        if state == 0:
            try:
                matches[:] = candidates(
                    core, readline.get_line_buffer(), readline.get_begidx(), user_id
                )
            except Exception:  # a completion must never break the prompt
                matches[:] = []
        # Python's readline appends nothing itself: the space says "this word is complete".
        return matches[state] + " " if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" \t\n")
    binding = "bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete"
    readline.parse_and_bind(binding)
