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

ALIASES = {
    ISLAMIC_STATE: r"Islamic State(?: Khorasan(?: Province)?)?|ISIL|ISIS|ISKP|IS-K|Daesh|Daish",
    HAQQANI: r"Haqqani(?:s| network)?",
    AL_QAEDA: r"al[- ]Qa[e']?ida|Al[- ]Qaeda",
    TALIBAN: r"Taliban|Taleban",
    INTERNATIONAL: r"NATO|ISAF|coalition(?: forces| troops| force)?|U\.?S\.?(?:-led)? (?:forces|troops|military|"
                   r"soldiers|drones?)|American (?:forces|troops|soldiers)|foreign (?:forces|troops)|"
                   r"international (?:forces|troops|security force)|"
                   r"(?:U\.?S\.?|American|NATO|coalition) (?:air ?strikes?|aircraft|warplanes?|jets?|drones?)",
    POLICE: r"(?:Afghan (?:National )?|local |border |provincial )?police(?:men)?|ANP|ALP",
    AFGHAN_FORCES: r"(?:combined )?Afghan(?:-led)?(?:,)? and (?:coalition|international|ISAF)(?: security)? forces?|"
                   r"Afghan (?:National )?(?:Army|army|forces|security forces?|troops|soldiers|commandos|"
                   r"special forces|(?:-led )?security force)|ANA|ANSF|ANDSF|government (?:forces|troops)|"
                   r"security forces?|army|intelligence (?:officers|agents|forces)|NDS|"
                   r"National Directorate of Security",
    AID_WORKERS: r"aid workers?|(?:I?NGO|UN) (?:national |international )?staff\w*|deminers?",
    CIVILIANS: r"civilians?|villagers|residents|worshippers|students|passengers|children|women",
    INSURGENTS: r"insurgents?|militants?|gunmen|armed men|attackers|anti-government elements|AGEs?|AOG",
}


def _either_case(pattern: str) -> str:
    """Lower-case alternatives also match capitalised ("Gunmen stormed ..."); acronyms stay exact."""
    return re.sub(r"(^|\||\(\?:|\)\?)([a-z])", lambda m: f"{m.group(1)}[{m.group(2)}{m.group(2).upper()}]", pattern)


_PATTERN = re.compile("|".join(f"(?P<a{i}>\\b(?:{_either_case(p)})\\b)" for i, p in enumerate(ALIASES.values())))
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
    passive = verb and not verb.group().endswith("ing") and _PASSIVE_BEFORE.search(sentence, max(0, verb_at - 30),
                                                                                    verb_at)
    if passive:   # "police officers were killed": the subject is the target
        return "", before[0][1] if before else ""
    actor1 = before[0][1] if before else ""   # the subject usually comes first
    targets = [m[1] for m in after if m[1] != actor1]
    return actor1, targets[0] if targets else ""
