"""Canonical actor names and their aliases, and which actor did what to whom in a sentence."""
from __future__ import annotations

import re

TALIBAN = "Taliban"
ISLAMIC_STATE = "Islamic State (IS-K)"
HAQQANI = "Haqqani Network"
AL_QAEDA = "al-Qaeda"
AFGHAN_FORCES = "Afghan security forces"
POLICE = "Afghan National Police"
INTERNATIONAL = "NATO/ISAF/US forces"
CIVILIANS = "Civilians"
AID_WORKERS = "Aid workers"
INSURGENTS = "Unidentified armed group"

def _names(exact: tuple[str, ...] = (), words: tuple[str, ...] = ()) -> str:
    """One actor's aliases: names and acronyms matched as written ("ANA", "U.S. forces"), and common
    words matched in any case ("gunmen", "Gunmen stormed ...")."""
    return "|".join([*exact, *(f"(?i:{word})" for word in words)])


ALIASES = {
    ISLAMIC_STATE: _names(exact=(r"Islamic State(?: Khorasan(?: Province)?)?", "ISIL", "ISIS", "ISKP", "IS-K",
                                 "Daesh", "Daish")),
    HAQQANI: _names(exact=(r"Haqqani(?:s| network)?",)),
    AL_QAEDA: _names(words=(r"al[- ]Qa[e']?ida", r"al[- ]Qaeda")),
    TALIBAN: _names(exact=("Taliban", "Taleban")),
    INTERNATIONAL: _names(
        exact=("NATO", "ISAF", r"U\.?S\.?(?:-led)? (?:forces|troops|military|soldiers|drones?)",
               r"American (?:forces|troops|soldiers)",
               r"(?:U\.?S\.?|American|NATO) (?:air ?strikes?|aircraft|warplanes?|jets?|drones?)"),
        words=(r"coalition(?: forces| troops| force)?", r"foreign (?:forces|troops)",
               r"international (?:forces|troops|security force)",
               r"coalition (?:air ?strikes?|aircraft|warplanes?|jets?|drones?)")),
    POLICE: _names(exact=("ANP", "ALP", r"Afghan (?:National )?police(?:men)?"),
                   words=(r"(?:local |border |provincial )?police(?:men)?",)),
    AFGHAN_FORCES: _names(
        exact=(r"(?:combined )?Afghan(?:-led)?(?:,)? and (?:coalition|international|ISAF)"
               r"(?: security)? forces?",
               r"Afghan (?:National )?(?:Army|army|forces|security forces?|troops|soldiers|commandos|"
               r"special forces|(?:-led )?security force)", "ANA", "ANSF", "ANDSF", "NDS",
               "National Directorate of Security"),
        words=(r"government (?:forces|troops)", r"security forces?", "army",
               r"intelligence (?:officers|agents|forces)")),
    AID_WORKERS: _names(exact=(r"(?:I?NGO|UN) (?:national |international )?staff\w*",),
                        words=(r"aid workers?", r"deminers?")),
    CIVILIANS: _names(words=(r"civilians?", "villagers", "residents", "worshippers", "students", "passengers",
                             "children", "women")),
    INSURGENTS: _names(exact=(r"AGEs?", "AOG"),
                       words=(r"insurgents?", r"militants?", "gunmen", "armed men", "attackers",
                              "anti-government elements")),
}
_PATTERN = re.compile("|".join(f"(?P<a{i}>\\b(?:{p})\\b)" for i, p in enumerate(ALIASES.values())))
_NAMES = list(ALIASES)
# "residents said ...": a source, not an actor (but "the group said it carried out" claims the act)
_SOURCE_AFTER = re.compile(r"[\w -]{0,30}?\b(?:said|say|says|told|reported)\b(?! (?:it|they) )")
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$")
_BY = re.compile(r"\bby\s+(?:the\s+|a\s+|an\s+)?$")


def find_actors(sentence: str) -> list[tuple[int, str]]:
    """(offset, canonical name) of every actor mention, in order."""
    found: list[tuple[int, int, str]] = []
    for match in _PATTERN.finditer(sentence):
        name = _NAMES[int(str(match.lastgroup)[1:])]
        # "Taliban militants": a generic word right after a named actor is the same actor
        if found and name in (INSURGENTS, CIVILIANS) and match.start() - found[-1][1] <= 1:
            continue
        found.append((match.start(), match.end(), name))
    return [(start, name) for start, _, name in found]


def actor_roles(sentence: str, verb_at: int) -> tuple[str, str]:
    """(actor1, actor2): who acted (first before the verb, or after "by") and on whom (after the verb)."""
    mentions = [m for m in find_actors(sentence) if not _SOURCE_AFTER.match(sentence, m[0])]
    before = [m for m in mentions if m[0] < verb_at]
    after = [m for m in mentions if m[0] >= verb_at]
    agents = [m for m in after if _BY.search(sentence[max(0, m[0] - 12):m[0]])]
    if agents:
        actor1 = agents[0][1]
        targets = [m[1] for m in before + after if m[1] != actor1]
        return actor1, targets[0] if targets else ""
    verb = re.match(r"\w+", sentence[verb_at:])
    passive = verb and not verb.group().endswith("ing") \
        and _PASSIVE_BEFORE.search(sentence, max(0, verb_at - 30), verb_at)
    if passive:   # "police officers were killed": the subject is the target
        return "", before[0][1] if before else ""
    actor1 = before[0][1] if before else ""   # the subject usually comes first
    targets = [m[1] for m in after if m[1] != actor1]
    return actor1, targets[0] if targets else ""
