"""The offline TL;DR: the abstract's contribution sentence, plus a result sentence if it fits.

Last link of the summary chain, so it must always answer, never need the network, and never
cut a word. Cues are generic (how abstracts state contributions and results); the weights
were tuned on the recorded corpus with `bench/rouge_extractive.py`, which never feeds the
reference summaries to this code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.summaries.compress import compress
from bot.summaries.sentences import LATEX_MACRO, clean_abstract, split_sentences
from bot.summaries.shorten import fit_to_length
from bot.text import collapse_whitespace

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_STOPWORDS = frozenset(
    {
        "a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "with", "via", "by", "from",
        "at", "as", "is", "are", "be", "we", "our", "this", "that", "its", "it", "their", "using",
        "towards", "toward", "into", "through", "based", "new", "novel"
    }
)  # fmt: skip

_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work|study|report|article)|here,? we|our (?:work|paper))"
    r"\s+(?:first\s+|further\s+|also\s+)?"
    r"(?:propose|introduce|present|develop|design|build|construct|release|contribute|curate"
    r"|proposes|introduces|presents|develops|offers|describes|explores|investigates|studies)\b",
    re.IGNORECASE,
)
_NAMED = re.compile(r"\b(?:called|named|dubbed|termed|coined)\b", re.IGNORECASE)
_RESULT = re.compile(
    r"\b(?:outperform\w*|surpass\w*|state-of-the-art|sota|achiev\w*|improv\w*|"
    r"exceed\w*|beat\w*|boost\w*|gains?|speedups?|reduc\w*|faster|competitive|"
    r"superior|significantly|consistently)\b|\d+(?:\.\d+)?\s*(?:%|x\b|×)",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"https?://|github|\bcode\b|\bavailable\b|will be (?:released|made)|open-?source|"
    r"project page|\bwebsite\b",
    re.IGNORECASE,
)
_FINDING = re.compile(
    r"\b(?:we|this (?:paper|work|study)|our (?:results?|analysis|experiments|findings|study)"
    r"|(?:these|the) (?:results|findings|experiments))\s+(?:further\s+|also\s+|first\s+)?"
    r"(?:show|demonstrate|find|reveal|observe|study|analy[sz]e|investigate|examine|argue"
    r"|identify|prove|indicate|suggest|uncover|highlight)s?\b",
    re.IGNORECASE,
)
_SUBJECT = r"(?:we|this (?:paper|work|study|report|article)|here,? we|our (?:work|paper))"
_MAKE_VERB = r"(?:propose|introduce|present|develop|design|build|construct|release|curate|create)s?"
# "We address this limitation by introducing X, …": the problem sentence's verb, then the making.
_ADDRESS = (
    r"(?:address|tackle|solve|overcome|mitigate|resolve|bridge|fill|close|investigate|explore)"
)
_MAKING = r"(?:proposing|introducing|presenting|developing|designing|building|constructing)"
_LEAD_IN = re.compile(
    rf"^(?:.*?\b{_SUBJECT}\s+(?:first\s+|further\s+|also\s+|then\s+)?{_MAKE_VERB}"
    r"(?:\s+and\s+(?:[a-z]+ly\s+)?[a-z]+)?"
    rf"|we {_ADDRESS} (?:this|these|the|that|such|both)\b[^,;:.]{{0,40}}?\bby {_MAKING})"
    r"(?:,? to (?:the best of )?our knowledge,)?\s+"
    r"(?!to\b|that\b|how\b|and\b|or\b|a way\b|an? (?:approach|method) to\b)",
    re.IGNORECASE,
)
_THAT_LEAD_IN = re.compile(
    rf"^(?:[^,]*,\s*)?{_SUBJECT}\s+(?:further\s+|also\s+|first\s+)?"
    r"(?:show|demonstrate|find|reveal|observe|argue|prove)s?\s+that\s+",
    re.IGNORECASE,
)
# "Extensive experiments on three benchmarks demonstrate that …", "Our results show that …".
_EVIDENCE_LEAD_IN = re.compile(
    r"^(?:[^,]*?\b(?:experiments?|results?|evaluations?|studies|analys[ie]s|benchmarks?|tests?)"
    r"\b[^,]*?|we|our \w+)\s+(?:further\s+|also\s+|consistently\s+)?"
    r"(?:show|demonstrate|reveal|indicate|confirm|suggest|verify|validate)s?\s+that\s+",
    re.IGNORECASE,
)
_CONNECTIVE = re.compile(
    r"^(?:specifically|moreover|furthermore|additionally|in addition|finally|notably|"
    r"in particular|to this end|to that end|overall|in summary|in short|concretely|"
    r"consequently|therefore|thus|hence|as a result|importantly|crucially|first|second|"
    r"third|lastly|besides|meanwhile|instead|then),\s+",
    re.IGNORECASE,
)


_DOC = r"(?:paper|work|study|report|article|survey|letter|note|position paper|technical report)"
# Openers that lean on what came before; each is rewritten into a self-contained start.
_IN_THIS = re.compile(rf"^(?:in|with) this {_DOC},?\s+", re.IGNORECASE)
_HERE = re.compile(r"^here,?\s+(?=we\b)", re.IGNORECASE)
_THIS_DOC_VERB = re.compile(rf"^(?:this|the present|our) {_DOC}\s+([a-z]+s)\b", re.IGNORECASE)
_OUR = re.compile(r"^our\s+(?!own\b)", re.IGNORECASE)
_VOCAB = re.compile(r"[^\W_]+")
_CONTRAST = re.compile(
    r"^(?:however|nevertheless|nonetheless|in contrast|by contrast|yet|but|still|building on this"
    r"|based on this|to address (?:this|these)(?: \w+)?|motivated by (?:this|these)(?: \w+)?)"
    r",?\s+",
    re.IGNORECASE,
)
# Openers that cannot be rewritten: the sentence is about something named before it.
ANAPHOR = re.compile(
    r"^(?:this|these|those|such|it|its|they|their|them|there|that|here|then|both|each|all"
    r"|however|moreover|furthermore|additionally|also|thus|therefore|hence|finally|in this"
    r"|in addition|specifically|notably|overall|similarly|likewise|instead|meanwhile|besides"
    r"|consequently|building on|based on|in particular|in contrast|to this end|our|and|but|yet)\b",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:\b(?:at|on|via|from|see|in)\s+)?(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Weights:
    """Sentence-score weights, tuned on the corpus (coordinate search; see the module doc).

    A stated contribution dominates; title overlap and the title's method name decide between
    several; a slight preference for earlier sentences breaks near-ties.
    """

    contribution: float = 7.75
    finding: float = 1.25
    named: float = 1.0
    method_name: float = 6.25
    title_overlap: float = 8.75
    boilerplate: float = -1.0
    too_short: float = -5.0
    late: float = -0.15
    # A sentence leaning on the one before ("These models …", "It …") loses to a comparable
    # self-contained one; a URL or an unexpandable macro loses to any other sentence.
    anaphor: float = -2.0
    unreadable: float = -40.0
    starts_with_name: float = 0.25


WEIGHTS = Weights()
RESULT_MIN_SCORE = 1.0
# A TL;DR stays short: a result sentence is added only while the whole keeps to this share
# of the limit (reference one-line summaries average ~200 characters).
RESULT_SHARE = 0.6
# Bracketed asides this long are explanations, not names; "(FDG)" and "(1)" stay.
_LONG_ASIDE = re.compile(r"\s*\([^()]{15,}\)")


def method_name(title: str) -> str:
    """The name a title gives its method, e.g. "Vision-Zero" from "Vision-Zero: Scaling …"."""
    head, sep, _ = collapse_whitespace(title).partition(":")
    if sep and 0 < len(head) <= 40 and len(head.split()) <= 4:
        return head.strip()
    return ""


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOPWORDS}


def _score(
    index: int, sentence: str, name: str, title_words: set[str], vocab: frozenset[str]
) -> float:
    """How strongly a sentence reads as "what this paper contributes"."""
    w = WEIGHTS
    score = 0.0
    if _CONTRIBUTION.search(sentence):
        score += w.contribution
    elif _FINDING.search(sentence):
        score += w.finding
    if _NAMED.search(sentence):
        score += w.named
    if name and name.lower() in sentence.lower():
        score += w.method_name
    if title_words:
        score += w.title_overlap * len(title_words & _content_words(sentence)) / len(title_words)
    if _BOILERPLATE.search(sentence):
        score += w.boilerplate
    if len(sentence.split()) < 8:
        score += w.too_short
    condensed = _condense(sentence, vocab)
    if ANAPHOR.match(condensed):
        score += w.anaphor
    if name and condensed.lower().startswith(name.lower()):
        score += w.starts_with_name
    if _URL.search(sentence) or LATEX_MACRO.search(sentence):
        score += w.unreadable
    return score + w.late * index


def _result_score(sentence: str) -> float:
    if _BOILERPLATE.search(sentence) or LATEX_MACRO.search(sentence):
        return 0.0
    return float(len(_RESULT.findall(sentence)))


def _condense(sentence: str, vocab: frozenset[str]) -> str:
    """Drop the lead-in and long bracketed asides: a TL;DR says what, not how we got there;
    and start it on its own feet (no "However," or "In this paper," leaning on the abstract)."""
    return _self_contained(_LONG_ASIDE.sub("", _strip_lead_in(sentence, vocab)), vocab)


def _self_contained(sentence: str, vocab: frozenset[str]) -> str:
    """'In this paper, we study X' → 'We study X'; 'This work presents X' → 'Presents X';
    'However, X' → 'X'; 'Our method …' → 'The method …' (when the abstract says "the": a
    TL;DR uses only the abstract's own words)."""
    for pattern in (_IN_THIS, _HERE, _CONTRAST):
        match = pattern.match(sentence)
        if match and len(sentence[match.end() :].split()) >= 4:
            sentence = _capitalise(sentence[match.end() :])
    match = _THIS_DOC_VERB.match(sentence)
    if match and len(sentence[match.end() :].split()) >= 2:
        return _capitalise(sentence[match.start(1) :])  # "Introduces X": the source's own words
    our = _OUR.match(sentence)
    if our and "the" in vocab:
        return "The " + sentence[our.end() :]
    return sentence


def _readable(sentence: str) -> str:
    """No URL and no macro only the authors' preamble defines ("\\OurMethod"): the last
    resort when every sentence carries one (the scorer avoids them otherwise)."""
    sentence = LATEX_MACRO.sub("", _URL.sub("", sentence))
    sentence = re.sub(r"\s+([,.;:])", r"\1", collapse_whitespace(sentence)).lstrip(",.;: ")
    return _capitalise(sentence) if sentence else sentence


def _strip_lead_in(sentence: str, vocab: frozenset[str]) -> str:
    """'In this paper, we propose X, a …' → 'X, a …': the subject first, as a TL;DR reads;
    then compressed (`compress`), as a noun phrase when "we propose" was what went."""
    made = _LEAD_IN.match(sentence)
    match = made or _THAT_LEAD_IN.match(sentence) or _CONNECTIVE.match(sentence)
    rest = sentence[match.end() :] if match else ""
    if len(rest.split()) < 4:
        return compress(sentence, vocab, noun_phrase=False)
    return _capitalise(compress(rest, vocab, noun_phrase=bool(made)))


def _capitalise(text: str) -> str:
    """Upper-case the first letter unless the first word has its own casing ("lmgame-Bench")."""
    first = text.split(" ", 1)[0]
    return text[0].upper() + text[1:] if first.islower() else text


def extractive_tldr(abstract: str, title: str = "", max_chars: int = 300) -> str:
    """A TL;DR of at most `max_chars` characters built only from whole words of the abstract."""
    sentences = split_sentences(abstract)
    if not sentences:
        return fit_to_length(collapse_whitespace(title), max_chars)
    name = method_name(title)
    title_words = _content_words(title)
    vocab = frozenset(w.lower() for w in _VOCAB.findall(clean_abstract(abstract)))
    scores = [_score(i, s, name, title_words, vocab) for i, s in enumerate(sentences)]
    lead_index = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    lead = fit_to_length(_readable(_condense(sentences[lead_index], vocab)), max_chars)
    result = _pick_result(sentences, lead_index, vocab)
    if result and len(lead) + 1 + len(result) <= RESULT_SHARE * max_chars:
        return f"{lead} {result}"
    return lead


def _pick_result(sentences: list[str], lead_index: int, vocab: frozenset[str]) -> str:
    """The strongest result sentence after the lead, or "" when none reads as a result; said
    as the result itself ("Experiments on X show that Y wins" → "Y wins")."""
    best, best_score = "", RESULT_MIN_SCORE - 1e-9
    for sentence in sentences[lead_index + 1 :]:
        score = _result_score(sentence)
        if score > best_score:
            best, best_score = sentence, score
    match = _EVIDENCE_LEAD_IN.match(best)
    if match and len(best[match.end() :].split()) >= 4:
        best = _capitalise(best[match.end() :])
    return _self_contained(best, vocab) if best else best
