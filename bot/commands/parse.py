"""Splitting what a user typed into a subcommand and its arguments."""

from __future__ import annotations

PREFIXES = ("/papers", "papers")


def split_command(text: str) -> tuple[str, str]:
    """`"/papers search diffusion"` → `("search", "diffusion")`; empty text → `("help", "")`."""
    t = text.strip()
    for p in PREFIXES:
        if t.lower() == p:
            t = ""
            break
        if t.lower().startswith(p + " "):
            t = t[len(p) :].strip()
            break
    if not t:
        return "help", ""
    name, _, rest = t.partition(" ")
    return name.lower(), rest.strip()


ADMIN_CHANNEL_ACTIONS = frozenset({"enable", "disable", "preview", "test"})


def requires_admin(name: str, args: str) -> bool:
    """Whether the command needs a channel admin, so adapters only look up roles when needed."""
    if name != "channel":
        return False
    action = args.strip().split(" ", 1)[0].lower() if args.strip() else ""
    return action in ADMIN_CHANNEL_ACTIONS
