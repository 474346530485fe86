"""Transliteration-tolerant keys for Afghan place names.

Two keys per name:

* ``name_key`` -- lower case, no diacritics, no punctuation or spaces, the Dari
  linking syllables (-e-, -i-, -ye-) dropped: "Mazar-i-Sharif", "Mazar-e Sharif"
  and "Mazari Sharif" all give ``mazarsharif``; "Lashkar Gah" and "Lashkargah"
  give ``lashkargah``.
* ``sound_key`` -- ``name_key`` reduced to its consonant skeleton with the usual
  spelling variants merged (q/k, w/v/o/u, ee/i ...): Helmand/Hilmand,
  Herat/Hirat, Paktia/Paktya/Paktiya, Kunduz/Qunduz/Kundoz, Ghor/Ghowr,
  Imam Sahib/Emam Saheb each share one.  Only made for names long enough to
  be distinctive (``MIN_SOUND_NAME`` letters).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

MIN_SOUND_NAME = 5
_LINKING = {"e", "i", "ye", "y", "yi", "wa", "o"}
_SUFFIXES = ("district", "districts", "province", "provinces", "city", "village", "town", "valley",
             "area", "region", "wuleswali", "woleswali", "center", "centre")
_TOKEN = re.compile(r"[a-z0-9]+")
_SOUND_SUBS = [
    (re.compile(r"q"), "k"), (re.compile(r"kh"), "x"), (re.compile(r"gh"), "g"),
    (re.compile(r"ph"), "f"), (re.compile(r"^[aeiou]"), "A"), (re.compile(r"(?<!^)h"), ""),
    (re.compile(r"[aeiouwyv]"), ""), (re.compile(r"(.)\1+"), r"\1"),
]


# An "ah" closing a syllable is the Persian silent he (word-final) or an h often left out, and a name's
# words may be written apart or as one: Chorah/Chora, Dahanah/Dahana, Nahr/Nahri, Shah Joy/Shahjoy.  Keys
# drop that h, after the words are joined.
_SILENT_H = re.compile(r"(?<=a)h(?![aeiouy])")


def tokens(name: str) -> list[str]:
    """Lower-case ASCII tokens of a name, linking syllables and trailing -i/-e kept apart."""
    text = unidecode(unicodedata.normalize("NFKC", name)).lower().replace("'", "").replace("`", "")
    return _TOKEN.findall(text)


@lru_cache(maxsize=200_000)
def name_key(name: str, strip_suffix: bool = True) -> str:
    """Spelling-tolerant exact key (see module docstring)."""
    words = tokens(name)
    if strip_suffix:
        while len(words) > 1 and words[-1] in _SUFFIXES:
            words.pop()
    kept = [w for i, w in enumerate(words) if not (w in _LINKING and 0 < i < len(words) - 1)]
    # "Nahri Saraj" / "Mazari Sharif": a linking -i/-e written onto the first word.
    if len(kept) > 1 and len(kept[0]) > 4 and kept[0][-1] in "ie" and kept[0][-2] not in "aeiou":
        kept[0] = kept[0][:-1]
    return _SILENT_H.sub("", "".join(kept))


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> tuple[str, str]:
    """(exact, skeleton) keys of one word: the gazetteer's first-word index is looked up with them."""
    key = _SILENT_H.sub("", "".join(tokens(word)))
    return key, _skeleton(key)


@lru_cache(maxsize=200_000)
def sound_key(name: str) -> str:
    """Consonant skeleton of ``name_key``; empty when too short to be safe."""
    key = name_key(name)
    return _skeleton(key) if len(key) >= MIN_SOUND_NAME else ""


def _skeleton(key: str) -> str:
    for pattern, repl in _SOUND_SUBS:
        key = pattern.sub(repl, key)
    return key
