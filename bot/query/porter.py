"""The Porter stemmer exactly as SQLite's FTS5 `porter` tokenizer applies it.

Why not snowballstemmer: FTS5 implements Porter's *revised* rules (`logi` -> `log`,
`bli` -> `ble`, any doubled consonant but l/s/z is undoubled), and snowball's "porter"
is the 1980 original; on the recorded corpus they disagree on words like "technology",
"topology" and "grokking". SQL search and the Python alert matcher must agree, so we
follow FTS5: it works on UTF-8 bytes, stems only tokens of 3..64 bytes, and for each
step tests only the first rule whose suffix matches (grouped by the penultimate byte).
"""

from __future__ import annotations

MIN_BYTES = 3
MAX_BYTES = 64

_Rule = tuple[bytes, str, bytes]  # suffix, condition name, replacement

# Each step's rules; within one group (same penultimate byte) the first suffix that matches wins.
_STEP1B: tuple[_Rule, ...] = ((b"eed", "m>0", b"ee"), (b"ed", "*v*", b""), (b"ing", "*v*", b""))
_STEP1B2: tuple[_Rule, ...] = ((b"at", "", b"ate"), (b"bl", "", b"ble"), (b"iz", "", b"ize"))
_STEP2: tuple[_Rule, ...] = (
    (b"ational", "m>0", b"ate"),
    (b"tional", "m>0", b"tion"),
    (b"enci", "m>0", b"ence"),
    (b"anci", "m>0", b"ance"),
    (b"izer", "m>0", b"ize"),
    (b"logi", "m>0", b"log"),
    (b"bli", "m>0", b"ble"),
    (b"alli", "m>0", b"al"),
    (b"entli", "m>0", b"ent"),
    (b"eli", "m>0", b"e"),
    (b"ousli", "m>0", b"ous"),
    (b"ization", "m>0", b"ize"),
    (b"ation", "m>0", b"ate"),
    (b"ator", "m>0", b"ate"),
    (b"alism", "m>0", b"al"),
    (b"iveness", "m>0", b"ive"),
    (b"fulness", "m>0", b"ful"),
    (b"ousness", "m>0", b"ous"),
    (b"aliti", "m>0", b"al"),
    (b"iviti", "m>0", b"ive"),
    (b"biliti", "m>0", b"ble"),
)
_STEP3: tuple[_Rule, ...] = (
    (b"ical", "m>0", b"ic"),
    (b"ness", "m>0", b""),
    (b"icate", "m>0", b"ic"),
    (b"iciti", "m>0", b"ic"),
    (b"ful", "m>0", b""),
    (b"ative", "m>0", b""),
    (b"alize", "m>0", b"al"),
)
_STEP4: tuple[_Rule, ...] = tuple(
    (suffix, "m>1", b"")
    for suffix in (
        b"al", b"ance", b"ence", b"er", b"ic", b"able", b"ible", b"ant", b"ement",
        b"ment", b"ent", b"ion", b"ou", b"ism", b"ate", b"iti", b"ous", b"ive", b"ize",
    )
)  # fmt: skip


def _is_vowel(byte: int, y_is_vowel: bool) -> bool:
    return byte in b"aeiou" or (y_is_vowel and byte == ord("y"))


def _gobble_vc(stem: bytes, prev_consonant: bool) -> int:
    """Length of the leading [C]V+C run (0 if there is none): one unit of Porter's m."""
    consonant = prev_consonant
    i = 0
    while i < len(stem):
        consonant = not _is_vowel(stem[i], consonant)
        if not consonant:
            break
        i += 1
    i += 1
    while i < len(stem):
        consonant = not _is_vowel(stem[i], consonant)
        if consonant:
            return i + 1
        i += 1
    return 0


def _m_gt0(stem: bytes) -> bool:
    return _gobble_vc(stem, False) > 0


def _m_gt1(stem: bytes) -> bool:
    n = _gobble_vc(stem, False)
    return n > 0 and _gobble_vc(stem[n:], True) > 0


def _m_eq1(stem: bytes) -> bool:
    n = _gobble_vc(stem, False)
    return n > 0 and _gobble_vc(stem[n:], True) == 0


def _o_star(stem: bytes) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y."""
    if not stem or stem[-1] in b"wxy":
        return False
    mask = 0
    consonant = False
    for byte in stem:
        consonant = not _is_vowel(byte, consonant)
        mask = (mask << 1) + int(consonant)
    return (mask & 7) == 5


def _has_vowel(stem: bytes) -> bool:
    return any(_is_vowel(byte, i > 0) for i, byte in enumerate(stem))


_CONDITIONS = {
    "": lambda stem: True,
    "m>0": _m_gt0,
    "m>1": _m_gt1,
    "*v*": _has_vowel,
}


def _by_penultimate(rules: tuple[_Rule, ...]) -> dict[int, tuple[_Rule, ...]]:
    groups: dict[int, list[_Rule]] = {}
    for rule in rules:
        groups.setdefault(rule[0][-2], []).append(rule)
    return {key: tuple(group) for key, group in groups.items()}


def _apply(buf: bytes, rules: dict[int, tuple[_Rule, ...]]) -> tuple[bytes, bool]:
    """Apply the first rule (of the group sharing buf's penultimate byte) whose suffix matches."""
    if len(buf) < 2:
        return buf, False
    for suffix, cond, replacement in rules.get(buf[-2], ()):
        if len(buf) > len(suffix) and buf.endswith(suffix):
            stem = buf[: -len(suffix)]
            if suffix == b"ion":
                ok = stem[-1:] in (b"s", b"t") and _m_gt1(stem)
            else:
                ok = _CONDITIONS[cond](stem)
            return (stem + replacement, True) if ok else (buf, False)
    return buf, False


_STEP1B_GROUPS = _by_penultimate(_STEP1B)
_STEP1B2_GROUPS = _by_penultimate(_STEP1B2)
_STEP2_GROUPS = _by_penultimate(_STEP2)
_STEP3_GROUPS = _by_penultimate(_STEP3)
_STEP4_GROUPS = _by_penultimate(_STEP4)


def _step1a(buf: bytes) -> bytes:
    if not buf.endswith(b"s"):
        return buf
    if buf[-2:-1] == b"e":
        if (len(buf) > 4 and buf[-4:-2] == b"ss") or (len(buf) > 3 and buf[-3:-2] == b"i"):
            return buf[:-2]
        return buf[:-1]
    return buf[:-1] if buf[-2:-1] != b"s" else buf


def _step1b(buf: bytes) -> tuple[bytes, bool]:
    """Step 1b; the flag says an "ed"/"ing" was removed, which asks for the clean-up rules."""
    stemmed, changed = _apply(buf, _STEP1B_GROUPS)
    return stemmed, changed and not buf.endswith(b"eed")


def _step1b_cleanup(buf: bytes) -> bytes:
    buf, extended = _apply(buf, _STEP1B2_GROUPS)
    if extended:
        return buf
    last = buf[-1]
    doubled = len(buf) > 1 and buf[-2] == last
    if doubled and not _is_vowel(last, False) and last not in b"lsz":
        return buf[:-1]
    if _m_eq1(buf) and _o_star(buf):
        return buf + b"e"
    return buf


def stem_bytes(token: bytes) -> bytes:
    """Stem one already case-folded token given as UTF-8 bytes."""
    if len(token) < MIN_BYTES or len(token) > MAX_BYTES:
        return token
    buf = _step1a(token)
    buf, cleanup = _step1b(buf)
    if cleanup:
        buf = _step1b_cleanup(buf)
    if buf.endswith(b"y") and _has_vowel(buf[:-1]):
        buf = buf[:-1] + b"i"
    buf, _ = _apply(buf, _STEP2_GROUPS)
    buf, _ = _apply(buf, _STEP3_GROUPS)
    buf, _ = _apply(buf, _STEP4_GROUPS)
    if buf.endswith(b"e"):
        stem = buf[:-1]
        if _m_gt1(stem) or (_m_eq1(stem) and not _o_star(stem)):
            buf = stem
    if len(buf) > 1 and buf.endswith(b"ll") and _m_gt1(buf[:-1]):
        buf = buf[:-1]
    return buf
