"""Sentence splitting with character offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass

from lexicon import MONTH_ABBREVIATIONS

# A full stop ends a sentence unless it follows an abbreviation or an initial (a single letter: "June 7."
# ends one, and so does "ISIS-K.": a letter joined to a word by a hyphen is part of that word).
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "capt", "maj", "sgt", "brig", "st", "no", "vs",
                  "etc", "u.s", "u.n"} | MONTH_ABBREVIATIONS
# A name that is an abbreviation ("the U.S.") can end a sentence: it does when the next word is one that opens
# a clause (a pronoun, an article, an auxiliary), which no name is followed by inside a sentence.
_NOUN_ABBREVIATIONS = {"u.s", "u.n", "etc"}
_CLAUSE_OPENERS = {"the", "a", "an", "this", "these", "those", "he", "she", "it", "we", "they", "i", "you",
                   "there", "do", "does", "did", "is", "are", "was", "were", "but", "and", "however", "in",
                   "on", "at", "what", "why", "how", "when"}
_BOUNDARY = re.compile(r"[.!?]['\"”’)]*\s+(?=['\"“‘(]?[A-Z0-9])|\n\s*")
_LAST_WORD = re.compile(r"([\w.-]+)[.!?]['\"”’)]*\s*$")
_WRAP_WIDTH = 60   # a longer line that stops mid-sentence was hard-wrapped


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with offsets (``text[start:end] == sentence.text``) and paragraph numbers."""
    sentences: list[Sentence] = []
    start = paragraph = 0
    for match in _BOUNDARY.finditer(text):
        word = _LAST_WORD.search(text, max(start, match.start() - 40), match.end())
        if "\n" not in match.group() and word and _abbreviated(word.group(1).lower(), text, match.end()):
            continue
        if _wrapped(text, match):
            continue
        _add(sentences, text, start, match.start() + len(match.group().rstrip()), paragraph)
        if "\n" in match.group() and match.group().count("\n") >= 2 or text[match.start()] == "\n":
            paragraph += 1
        start = match.end()
    _add(sentences, text, start, len(text), paragraph)
    return sentences


def _abbreviated(word: str, text: str, at: int) -> bool:
    """Whether a full stop after ``word``, with the text going on at ``at``, marks an abbreviation or an
    initial rather than the end of a sentence."""
    if word in _NOUN_ABBREVIATIONS:
        following = re.match(r"\W*(\w+)", text[at:at + 30])
        return not (following and following.group(1).lower() in _CLAUSE_OPENERS)
    return word in _ABBREVIATIONS or len(word) == 1 and word.isalpha()


def _wrapped(text: str, match: re.Match) -> bool:
    """A single line break inside a sentence (``continues_on``)."""
    if match.group().count("\n") != 1 or text[match.start()] != "\n":
        return False
    line = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
    return continues_on(line, text[match.end():match.end() + 1])


def continues_on(line: str, following: str) -> bool:
    """Whether a sentence goes on after ``line`` into the next line (starting with ``following``): the
    line stops without punctuation and either the next goes on in lower case or the line is prose as
    long as wrapped lines are."""
    line = line.rstrip()
    if not line or line[-1] in ".!?:;\"”'’)" or not following:
        return False
    words = line.split()
    title_case = sum(w[0].isupper() for w in words) > 0.6 * len(words)   # a headline, not prose
    return following[0].islower() or (len(line) >= _WRAP_WIDTH and not title_case)


def _add(sentences, text, start, end, paragraph):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text[start:end], start, end, paragraph))
