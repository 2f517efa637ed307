"""A day's themes: 3–4 groups of papers with counts, from `ai_keywords` (or titles).

A keyword count reads like a data dump ("reinforcement learning, LLMs, large language
models"): the same idea spelled three ways counts as three. Here a keyword is reduced to a
*phrase key* first — words split at hyphens, stemmed (plural = singular), case folded,
abbreviations expanded ("LLMs" = "large language models", from a small table and from the
day's own keywords: "SFT" matches "supervised fine-tuning" by its initials) — and a theme
counts every paper with a keyword that *contains* its key: "video diffusion models" belongs to
"diffusion models", "consistency-aware RL framework" to "reinforcement learning". A theme
related to one already chosen (one contains the other) joins it instead of repeating it.

Pure and deterministic (ties break on the key), so a digest renders the same every time and
tests can pin real days.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.model import Paper, Theme
from bot.summaries.shorten import fit_label
from bot.summaries.vocab import TITLE_STOPWORDS, TITLE_WORD
from bot.summaries.vocab import stem as _stem
from bot.text import KEYWORD_MAX, TITLE_MAX

Key = tuple[str, ...]  # a phrase key: stemmed, lower-cased words

THEMES_MAX = 4
KEYWORDS_READ = 40  # per paper (HF sends 5–20)
KEYWORD_CHARS_READ = 100
_WORD = re.compile(r"[A-Za-z0-9]+")
# "multi-modal" and "multimodal", "fine-tuning" and "finetuning" are one word.
_JOINED_PREFIXES = frozenset({"multi", "fine", "pre", "post", "self", "semi", "non", "co"})
# Words left out when matching an acronym to its phrase ("MoE" = "mixture of experts").
_LINK_WORDS = frozenset({"of", "with", "from", "for", "and", "the", "to", "in", "on", "via", "a"})
# Abbreviations the day may not spell out itself.
ABBREVIATIONS = {
    "llm": "large language model",
    "mllm": "multimodal large language model",
    "lmm": "large multimodal model",
    "vlm": "vision language model",
    "lvlm": "large vision language model",
    "vla": "vision language action model",
    "rl": "reinforcement learning",
    "rlhf": "reinforcement learning from human feedback",
    "rlvr": "reinforcement learning with verifiable rewards",
    "sft": "supervised fine tuning",
    "cot": "chain of thought",
    "moe": "mixture of experts",
    "rag": "retrieval augmented generation",
    "dit": "diffusion transformer",
    "vit": "vision transformer",
    "gan": "generative adversarial network",
    "vae": "variational autoencoder",
    "nerf": "neural radiance field",
    "3dgs": "3d gaussian splatting",
    "tts": "text to speech",
    "asr": "automatic speech recognition",
    "ocr": "optical character recognition",
    "vqa": "visual question answering",
    "nlp": "natural language processing",
    "dpo": "direct preference optimization",
    "grpo": "group relative policy optimization",
    "ppo": "proximal policy optimization",
    "lora": "low rank adaptation",
    "t2i": "text to image",
    "t2v": "text to video",
    "i2v": "image to video",
}
# Keywords too general to be a theme of their own (they still count inside longer ones).
_GENERIC = (
    "model", "framework", "method", "approach", "benchmark", "dataset", "evaluation",
    "performance", "efficiency", "training", "inference", "learning", "optimization",
    "architecture", "accuracy", "robustness", "scalability", "generalization", "parameter",
    "data", "task", "system", "algorithm", "analysis", "generation", "representation",
    "experiment", "baseline", "ablation study", "state of the art", "language model",
    "neural network", "foundation model", "generative model", "deep learning",
)  # fmt: skip
_TITLE_STOP_STEMS = frozenset(_stem(w) for w in TITLE_STOPWORDS)  # "languages" too


def day_themes(papers: Sequence[Paper], n: int = THEMES_MAX) -> tuple[Theme, ...]:
    """Up to `n` themes of the day, most papers first; with more than one paper a theme needs
    two papers (one paper's keyword says nothing about the day)."""
    if n <= 0 or not papers:
        return ()
    use_keywords = any(p.ai_keywords for p in papers)
    # A source can send a megabyte where a keyword belongs: what no theme is made of is left out.
    texts = [
        [k for k in p.ai_keywords[:KEYWORDS_READ] if len(k) <= KEYWORD_CHARS_READ]
        if use_keywords
        else [p.title[:TITLE_MAX]]
        for p in papers
    ]
    acronyms = _day_acronyms(t for ts in texts for t in ts)
    per_paper: list[dict[Key, str]] = []
    for ts in texts:
        concepts: dict[Key, str] = {}
        for text in ts:
            pairs = _keyword(text, acronyms) if use_keywords else _title(text, acronyms)
            for key, spelling in pairs:
                concepts.setdefault(key, spelling)
        per_paper.append(concepts)
    return _choose(per_paper, n, minimum=2 if len(papers) > 1 else 1)


def _choose(per_paper: list[dict[Key, str]], n: int, minimum: int) -> tuple[Theme, ...]:
    members: dict[Key, set[int]] = {}  # key → papers with a concept containing it
    spellings: dict[Key, Counter[str]] = {}
    for i, concepts in enumerate(per_paper):
        for key, spelling in concepts.items():
            for sub in _subphrases(key):
                members.setdefault(sub, set()).add(i)
            for sub, shown in _heads(key, spelling):
                spellings.setdefault(sub, Counter())[shown] += 1
    generic = _GENERIC_KEYS
    candidates = [k for k in spellings if k not in generic and len(members[k]) >= minimum]
    candidates.sort(key=lambda k: (-len(members[k]), -len(k), k))
    groups: list[tuple[Key, set[int]]] = []
    for key in candidates:
        related = next((g for g in groups if _contains(g[0], key) or _contains(key, g[0])), None)
        if related is not None:
            related[1].update(members[key])  # a narrower or broader spelling joins its group
        elif len(groups) < n:
            groups.append((key, set(members[key])))
    groups.sort(key=lambda g: (-len(g[1]), g[0]))
    return tuple(Theme(_label(spellings[k]), len(m)) for k, m in groups)


def _label(spellings: Counter[str]) -> str:
    """The spelling most papers use, case-insensitively; ties to the longest ("large language
    models" over "LLM", "agents" over "agent"), then A–Z."""
    folded: Counter[str] = Counter()
    for s, c in spellings.items():
        folded[s.casefold()] += c
    best = min(folded, key=lambda f: (-folded[f], -len(f), f))
    shown = min((s for s in spellings if s.casefold() == best), key=lambda s: (-spellings[s], s))
    return fit_label(shown, KEYWORD_MAX)


def _heads(key: Key, spelling: str) -> Iterable[tuple[Key, str]]:
    """The keyword itself and its trailing parts of two words or more ("text-to-video
    diffusion models" → "video diffusion models", "diffusion models"), each with its
    spelling: a theme can be a head no paper names alone. Parts are known only when the
    spelling has one word per key word."""
    yield key, spelling
    words = spelling.split()
    if len(words) != len(key):
        return
    for i in range(1, len(key) - 1):  # heads of two words or more: one word is too vague
        if key[i] not in _LINK_WORDS:
            yield key[i:], " ".join(words[i:])


def _subphrases(key: Key) -> Iterable[Key]:
    for i in range(len(key)):
        for j in range(i + 1, len(key) + 1):
            yield key[i:j]


def _contains(outer: Key, inner: Key) -> bool:
    n = len(inner)
    return any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


# --- one keyword → its key ---------------------------------------------------------------
def _is_acronym(word: str) -> bool:
    """LLMs, GRPO, MoE, CoT, ViT, 3DGS, T2I: two capitals or more (a trailing plural s aside)."""
    return sum(c.isupper() for c in word) >= 2 or (word.isupper() and len(word) >= 2)


def _acronym_key(word: str) -> str:
    lower = word.lower()
    return lower[:-1] if word.endswith("s") and len(word) > 2 and word[-2].isupper() else lower


def _words(text: str, acronyms: dict[str, str] | None) -> list[str]:
    """Lower-cased words, split prefixes joined ("fine-tuning" → "finetuning"), acronyms
    expanded unless `acronyms` is None (not stemmed)."""
    tokens: list[str] = []
    for raw in _WORD.findall(text):
        expansion = _expansion(raw, acronyms) if acronyms is not None else None
        tokens.extend(expansion.split() if expansion else [raw.lower()])
    out: list[str] = []
    for token in tokens:
        if out and out[-1] in _JOINED_PREFIXES:
            out[-1] += token
        else:
            out.append(token)
    return out


def _expansion(word: str, acronyms: dict[str, str]) -> str | None:
    if not _is_acronym(word):
        return None
    key = _acronym_key(word)
    return ABBREVIATIONS.get(key) or acronyms.get(key)


def _key_of(text: str, acronyms: dict[str, str] | None = None) -> Key:
    return tuple(_stem(w) for w in _words(text, acronyms or {}))


_TABLE_KEYS = tuple(_key_of(phrase) for phrase in ABBREVIATIONS.values())
_GENERIC_KEYS = frozenset(_key_of(g) for g in _GENERIC)


def _display(text: str) -> str:
    """Acronyms and names keep their casing ("LLMs", "GPT-4"); title-cased words are lowered."""
    return " ".join(w if any(c.isupper() for c in w[1:]) else w.lower() for w in text.split())


_TRAILING_ABBREVIATION = re.compile(r"\s*\([^()]*\)\s*$")  # "large language models (LLMs)"


def _keyword(text: str, acronyms: dict[str, str]) -> list[tuple[Key, str]]:
    text = _TRAILING_ABBREVIATION.sub("", text) or text
    key = _key_of(text, acronyms)
    return [(key, _display(" ".join(text.split())))] if key else []


def _title(title: str, acronyms: dict[str, str]) -> list[tuple[Key, str]]:
    """A title's concepts: each meaningful word, each acronym (as its phrase), and each phrase
    of the abbreviation table it spells out ("… for Large Language Models")."""
    found: list[tuple[Key, str]] = []
    for word in TITLE_WORD.findall(title):
        if _expansion(word, acronyms):
            found.append((_key_of(word, acronyms), word))
        elif len(word) >= 3 and (stem := _stem(word.lower())) not in _TITLE_STOP_STEMS:
            found.append(((stem,), _display(word)))
    words = _words(title, None)
    stems = [_stem(w) for w in words]
    for key in _TABLE_KEYS:
        for i in range(len(stems) - len(key) + 1):
            if tuple(stems[i : i + len(key)]) == key:
                found.append((key, " ".join(words[i : i + len(key)])))
    return found


def _day_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Acronym → phrase, from the day's own multi-word keywords by their initials (with and
    without linking words): "SFT" ↔ "supervised fine-tuning". The most frequent phrase wins."""
    seen: Counter[tuple[str, str]] = Counter()
    for text in texts:
        words = [w.lower() for w in _WORD.findall(text)]
        if len(words) < 2 or any(_is_acronym(w) for w in _WORD.findall(text)):
            continue
        phrase = " ".join(words)
        content = [w for w in words if w not in _LINK_WORDS]
        for initials in {"".join(w[0] for w in words), "".join(w[0] for w in content)}:
            if len(initials) >= 3:  # two letters ("AI") match too many phrases by chance
                seen[(initials, phrase)] += 1
    best: dict[str, str] = {}
    for (initials, phrase), _count in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])):
        best.setdefault(initials, phrase)
    return best
