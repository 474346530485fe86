"""ACLED event types and sub-types, and the word patterns that signal them (all in one place).

Rules are tried in order; the first that matches a sentence gives its type.  ``weight`` is
the rule's base confidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from events.prefilter import prefilter
from lexicon import MONTHS, alternation

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VIOLENCE_CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"
EVENT_TYPES = [BATTLES, EXPLOSIONS, VIOLENCE_CIVILIANS, PROTESTS, RIOTS, STRATEGIC]


@dataclass(frozen=True)
class Rule:
    event_type: str
    sub_event_type: str
    pattern: re.Pattern
    weight: float
    quick: re.Pattern   # generated from ``pattern``: no match of it in the lowered text, no match of the rule


def _rule(event_type: str, sub_event_type: str, weight: float, alternatives: list[str]) -> Rule:
    pattern = rf"\b(?:{'|'.join(alternatives)})"
    return Rule(event_type, sub_event_type, re.compile(pattern, re.I), weight, prefilter([pattern]))


# The start of the name of a place an act takes: a capital letter, a name (not "control of the situation");
# the whole country is not a place on this map, but "Afghanistan's Jalalabad" is ("Afghanistan's frozen
# assets" are not).
_PLACE_NAME = r"(?-i:[A-Z])(?!fghanistan\b(?![’']s\s+(?-i:[A-Z])))"

# (type, sub-type, base confidence, the phrases that signal it); tried in this order.
RULES = [
    _rule(EXPLOSIONS, "Suicide bomb", 0.9, [
        r"suicid(?:e|al) (?:bomb|attack|car bomb|blast|vest)", r"suicide bomber",
        r"blew (?:himself|herself|themselves) up"]),
    _rule(EXPLOSIONS, "Air/drone strike", 0.85, [
        r"air strikes?", r"airstrikes?", r"drone strikes?", r"air raids?", r"aerial bombardment",
        r"bombarded",
        r"precision strike", r"air weapons team", r"close air support", r"air support",
        r"dropped (?:a |an |\w+ )?(?:bombs?|munitions?|explosives?)"]),
    _rule(EXPLOSIONS, "Remote explosive/landmine/IED", 0.8, [
        r"improvised explosive", r"IEDs?\b", r"roadside bombs?", r"landmines?", r"car bombs?",
        r"magnetic bombs?", r"sticky bombs?", r"explosions?\b", r"blasts?\b", r"bombings?\b",
        r"explosives? (?:went off|detonated)", r"bomb attacks?", r"exploded", r"detonated"]),
    _rule(EXPLOSIONS, "Grenade", 0.8, [r"grenades?\b(?! launchers?)"]),
    _rule(EXPLOSIONS, "Shelling/artillery/missile attack", 0.75, [
        r"rockets?\b", r"mortars?\b", r"shelling", r"artillery"]),
    _rule(BATTLES, "Non-state actor overtakes territory", 0.85, [
        # a taking of a place: "captured the district centre", "overran Sangin, the district's main town"
        # (or doing so: "were besieging the governor's compound")
        r"(?:captured|capturing|seized|seizing|overran|overrunning|(?:took|taken|taking) control of|fell to|"
        r"stormed|storming|encircled|encircling|surrounded|surrounding|besieged|besieging|conquered|"
        r"conquering|entered)[”\"’]? (?:the )?(?:[\w'’]+ ){0,2}"
        r"(?:district|city|town|capital|centre|center|base|compound|headquarters|checkpoints?)",
        # a border crossing, customs post or airport changing hands is territory too ("have taken control
        # of the Islam Qala and Abu Nasr Farahi customs", "taking control of at least two border crossings")
        r"(?:captured|seized|took|taken|taking|takes|take) control of (?:the )?(?:[\w'-]+ ){0,7}"
        r"(?:customs|border crossings?|crossing points?|border posts?|airports?)\b",
        r"(?:captured|seized|took control of|overran) [A-Z][\w'-]+(?: [A-Z][\w'-]+)?, "
        r"(?:the|a|an) (?:\w+ ){0,3}(?:capital|city|town)",
        # a place falling to an armed group: "Zaranj ... fell to the Taliban"
        r"fell (?:in)?to (?:the )?(?:hands of (?:the )?)?"
        r"(?:Taliban|militants|insurgents|rebels|Daesh|ISIS)\b",
        # control of a named place changing hands: "have taken control of Jalalabad"
        r"(?:seized|seizing|took|taken|taking|takes|gained|gaining) control (?:of|over) " + _PLACE_NAME,
        # a named place taken, told as a noun: "the fall of Kabul" (a quoted "fall of Kabul" names an idea)
        r"(?<![“\"‘'])(?:fall|seizure) of " + _PLACE_NAME,
        # armed men entering a named place take it: "Taliban forces entered Kabul" (not "cargo entered Yazd";
        # the men are looked behind for, so the quick test keys on the verb)
        r"(?:" + "|".join(f"(?<={armed} )" for armed in ("Taliban", "fighters", "forces", "troops",
                                                         "militants", "insurgents", "rebels")) + ")"
        r"(?:entered|swept into|marched into|rolled into) " + _PLACE_NAME,
        # a place reported in an armed group's hands: "Kandahar ... was under Taliban control" (the verb
        # before it - was, is, are, were, been - is looked behind for, so the quick test keys on "under")
        r"(?<=(?:was| is|are|ere|een) )(?:under (?:the )?"
        r"(?:Taliban|militants?|insurgents?|rebels?)['’]?s? control|controlled by (?:the )?"
        r"(?:Taliban|militants|insurgents|rebels))"]),
    _rule(VIOLENCE_CIVILIANS, "Abduction/forced disappearance", 0.85, [
        r"kidnapp\w*", r"abduct\w*", r"hostages?", r"hijacked"]),
    _rule(VIOLENCE_CIVILIANS, "Attack", 0.8, [
        # civilians named as the victims, before or after the act
        r"(?:civilians?|worshippers|students|staff|aid workers?|villagers|passengers|women|children)\b"
        r"[^.]{0,60}\b(?:killed|shot|executed|beheaded|attacked|stabbed|beaten)",
        r"(?:killed|killing|shot|executed|attacked|stabbed|beat) [^.]{0,30}(?:civilians?|aid workers?|"
        r"worshippers|students|villagers|staff|mothers|babies|patients|pupils)",
        r"massacre"]),
    _rule(BATTLES, "Armed clash", 0.7, [
        r"clash\w*", r"firefights?", r"gun fights?", r"gunfights?",
        # "fighting" an abstract enemy (terrorism, poverty, the coronavirus) is another sense of the word, and
        # "fighting" before a noun it qualifies names a kind of thing ("armored fighting vehicles")
        r"fighting\b(?! (?:against )?(?:the )?(?:terror\w*|drugs?|narcotics|corruption|extremism|poverty|"
        r"hunger|crime|(?:corona)?virus|covid\w*|pandemic|disease|inflation|illiteracy|unemployment|climate|"
        r"fires?|smuggling|trafficking|(?:vehicles?|season|age|spirit|chance|capabilit\w+|capacity|style)\b))",
        r"battles?\b", r"battl(?:ing|ed)\b", r"ambush\w*", r"exchange of fire",
        r"engaged (?:the |an? |with )?(?:enemy|insurgents?|militants?|them|fighters|positions?|targets?|"
        r"armed)",
        # attacks in a named place ("Daesh attacks in Kunduz and Kandahar"; in "Afghanistan" they are a trend)
        r"offensive", r"attacks? (?:on|against|in (?-i:[A-Z])(?!fghanistan\b))", r"attacked", r"stormed",
        r"killed", r"killing"]),
    _rule(RIOTS, "Violent demonstration", 0.7, [
        r"riots?\b", r"rioters", r"violent (?:protest|demonstration)", r"set fire to", r"torched",
        r"(?:threw|throwing|hurled|hurling|pelted|pelting) stones", r"stone-throwing"]),
    _rule(PROTESTS, "Peaceful protest", 0.7, [
        # a protest lodged by officials ("summoned the envoy to protest", "in protest at", "despite strong
        # protest from the government") is a statement
        r"(?<!to )(?<!in )(?<!strongly )(?<!strong )(?<!formal )protest\w*",
        # "demonstrated" with an object is "showed" ("Iran has demonstrated a commitment"), no protest
        r"demonstrat(?:ors?|ions?(?! of)|ed(?! (?:a|an|the|its|their|his|her|our|that|how|what|this)\b))\b",
        r"rall(?:y|ied)", r"marched"]),
    _rule(STRATEGIC, "Arrests", 0.75, [
        r"arrest\w*", r"detain\w*", r"captured", r"capture of", r"apprehended", r"taken into custody"]),
    _rule(STRATEGIC, "Displacement", 0.75, [
        r"displaced", r"fled (?:their|the|raging|fighting)", r"families (?:have )?fled", r"forced to flee",
        r"new (?:wave of )?refugees", r"fresh (?:wave of )?refugees"]),
    _rule(STRATEGIC, "Headquarters or base established", 0.6, [
        r"train(?:ing|s|ed)? (?:and \w+ )?(?:\w+ ){0,2}(?:militants|fighters|Taliban|recruits)",
        r"set up (?:a |its )?(?:base|camp|headquarters)", r"established (?:a |its )?(?:base|camp)",
        r"training camps?"]),
    _rule(STRATEGIC, "Non-violent transfer of territory", 0.6, [
        r"handed over", r"surrendered (?:the )?(?:district|city|base)", r"withdrew from",
        r"transferred (?:control|security)",
        # troops leaving a named base hand it over: "the U.S. military left Bagram Airfield"
        r"(?:left|vacated|pulled out of|departed(?: from)?) (?:the )?(?:[A-Z][\w'-]+ ){1,3}"
        r"(?:[Aa]ir ?[Bb]ase|[Aa]irfield|[Bb]ase)\b"]),
    _rule(STRATEGIC, "Other", 0.5, [
        r"weapons cache", r"seized (?:\w+ )?(?:weapons|explosives|drugs|opium)",
        r"discovered (?:a |an )?(?:cache|weapons)",
        # fighters giving themselves up to a force: a specific security occurrence
        r"surrender(?:ed|ing) to (?:the )?(?:[\w-]+ ){0,2}"
        r"(?:forces|troops|police|army|intelligence|authorities)",
        r"laid down (?:their )?(?:arms|weapons)"]),
]

# Sentences about history, standing force levels or policy: never events.
BACKGROUND = re.compile(r"""\b(?:
      invaded | invasion | (?:since|in|of|during|until|prior\ to|before)\ (?:19|20)\d\d | from\ power
    # a month of a year, no day: told as past context ("in October 2020 IS claimed an attack")
    | (?:in|during|since|until)\ (?:early\ |late\ |mid-?)?(?:""" + alternation(MONTHS) + r""")\.?,?
      \ (?:19|20)\d\d
    | (?:over|in|during|for)\ the\ (?:past|last)\ (?:\w+\ )?(?:years|decades|months)   # totals over a period
    | for\ (?:many\ )?(?:years|decades) | last\ year | a\ year\ ago
    | (?:years|decades?|centuries)\ (?:after|ago|later|earlier|before)
    | (?:19|20)\d0s                                            # a decade: "the 1990s"
    | Soviet | former\ regime | civil\ war\ of                  # eras before any of this corpus's news
    | anniversary | commemorat\w+                             # remembering an earlier event
    | (?:worst|deadliest|bloodiest|biggest|largest)\ (?:[\w-]+\ ){0,2}since   # compared with an earlier act
    | remain\ in | are\ stationed | troops?\ (?:remain|are\ stationed) | combat\ mission       # force levels
    | war\ on\ terror | annual\ report                                                      # policy, totals
    | according\ to\ (?:the\ )?(?:UN|report)
    | so\ far\ this\ year | has\ been\ (?:fighting|waging) | increasing\ violence
    | ha(?:s|ve)\ (?:\w+\ )?(?:carried\ out|conducted|launched|staged|claimed|killed)   # running totals
      \ (?:several|many|numerous|dozens|hundreds|thousands|scores|multiple|a\ series|a\ number)
    | (?:\d{1,3}(?:,\d{3})+|\d{2,})\ (?:\w+\ )?                                            # statistics
      (?:attacks|incidents|operations|raids|bombings|clashes)
    | (?:many|numerous|countless)\ (?:\w+\ )?(?:attacks|bombings|explosions|blasts)
    # places taken by the dozen: a running total ("has taken control of dozens of districts")
    | (?:dozens\ of|scores\ of|hundreds\ of|\d{2,})\ (?:\w+\ )?(?:districts|towns|villages|provinces)
    | (?:are|remain)\ (?:still\ )?(?:internally\ )?displaced                                  # a situation
    | in\ the\ first\ (?:\w+\ )?(?:weeks|months)\ of | in\ (?:the\ )?recent\ past      # totals, habits
    | in\ the\ past(?=\s*(?:[.,;]|$))                        # "has attacked the area in the past"
    | (?:this|last|the\ (?:first|second|third|fourth|past))\ quarter | quarterly     # a quarter's totals
    | ha(?:s|ve)\ (?:\w+\ )?(?:increased|escalated|intensified|risen|grown|surged)            # trends
)\b""", re.I | re.X)
# Questions and conditions report nothing, whatever figures they hold ("Even if one bomb killed 3 people").
# A sentence opening with "when" in the present tense states a habit or a condition ("When civilians are
# killed in Europe, the world erupts"), not an occurrence.
HYPOTHETICAL = re.compile(r"""
      ^\W*(?:even\s+)?if\b | \bwhat\s+if\b | \?\W*$
    | ^\W*when(?:ever)?\s+(?:[\w'-]+\s+){0,4}?(?:is|are|am|do|does)\b
""", re.I | re.X)

# An act given as an example of something general ("civilian killings, such as the bombing of the hospital
# in Kunduz"): with no time of its own, it illustrates a claim and is not the article's news.
EXAMPLE = re.compile(r"""\b(?:such\ as | for\ example | for\ instance | e\.g\. | including\ the
                        | \w+s\ like     # a kind, then an instance of it: "incidents like a suicide attack"
)\b""", re.I | re.X)

# Round-ups of several operations ("during separate operations in eastern and southern Afghanistan
# over the past 24 hours", "during four security operations", "the campaign has resulted in ..."):
# their specific events are reported on their own.
ROUNDUP = re.compile(r"\b(?:separate|several|multiple|two|three|four|five|six)\s+"
                     r"(?:(?!(?:during|in|and|of|at|for)\b)[\w-]+\s+){0,2}operations\b|"
                     r"\b(?:past|last) 24 hours\b|\bcampaign\b", re.I)


# Natural disasters: not political violence (ACLED does not code them); only their displacement counts.
DISASTER = re.compile(r"\b(?:earthquakes?|floods?|flooding|avalanches?|landslides?|droughts?|storms?)\b",
                      re.I)

# Words of political violence: in an article about a natural disaster, a casualty sentence without
# them reports the disaster's toll.
VIOLENCE = re.compile(r"\b(?:attack\w*|gunmen|bomb\w*|explosi\w+|blast|fighting|clash\w*|militants?|"
                      r"insurgents?|"
                      r"Taliban|Islamic State|troops|forces|shot|shooting|strikes?|armed|fighters?)\b", re.I)

# Statements, plans, hypotheticals and habits: not events unless they report figures. (Condemning an act
# says it happened, as reporting it does: "condemned the attack on a mosque in Kunduz" is not listed.)
NOT_AN_EVENT = re.compile(r"""\b(?:
      will | would | could | might | must | should | ha(?:ve|s)\ to | plans?\ to | capable\ of   # plans
    # purposes, abilities ("the attacks were aimed to divide": said of an act, a purpose is the act's own)
    | planned\ to | ability\ to
    | (?<!is\ )(?<!are\ )(?<!was\ )(?<!were\ )(?:aimed|designed|intended|meant)\ to
    | (?:likely|expected|set|poised)\ to                                                   # predictions
    | vowed | threaten(?:ed|ing|s)?\ to | warned | dismissed | denied | called\ for | urged     # statements
    | peace\ talks                                              # diplomacy: an attack beside it has figures
    | often | frequently | usually | routinely | regularly | whenever | when\ there\ is         # habits
    | are\ trained\ to
    | continues?\ to | on\ (?:many|several|numerous)\ occasions | time\ and\ again
    | on\ a\ (?:daily|regular|weekly)\ basis | every\ (?:day|week)
    | (?:halt|stop|end|reduc|prevent)\w*\ (?:\w+\ )?             # talk of stopping violence or protest
      (?:attacks|violence|fighting|protests|demonstrations|rallies)
)\b""", re.I | re.X)
# Where a later clause of its own begins (", which ...", "; ...", ", but ...", a dash closing an aside): what
# it says (a plan, a statement: "which was followed by reports that they would be given amnesty") is not said
# of the act before it.
_LATER_CLAUSE = re.compile(r"""
      ;
    | ,\s*(?:which|who|whose|where|while|but|although|though|and\ then)\b
    | \b(?:which|that)\ (?:was|were)\ followed\b
    | —|\ –\                            # a dash closing an aside ("—most recently in the drone strike ...—")
    # a time clause after the act dates it by something else ("happened a few days after reports about peace
    # talks"): what that was - talks, a plan - is not said of the act
    | \b(?:after|before|since|following)\b
""", re.I | re.X)


def reporting_clause(sentence: str, trigger_end: int) -> str:
    """The sentence up to the end of the clause that holds the trigger ending at ``trigger_end``."""
    later = _LATER_CLAUSE.search(sentence, trigger_end)
    return sentence[:later.start()] if later else sentence


# A trigger word governed by a negation ("no hostilities or clashes", "not been attacked", "entered without
# fighting") reports nothing.
_NEGATED = re.compile(r"\b(?:no|not|never|nor)\b(?:\s+\S+){0,2}\s+$|n't(?:\s+\S+){0,2}\s+$"
                      r"|\bwithout\s+(?:\S+\s+)?$", re.I)   # not "without warning, gunmen attacked"
_TAKEN = "Non-state actor overtakes territory"
# A place taken with no fight ("have taken control of Jalalabad without a fight", "fell to the Taliban without
# any fighting", "entered Kabul peacefully") changed hands without violence: a strategic development (ACLED).
_PEACEFULLY = re.compile(r"\bwithout\s+(?:a\s+|any\s+)?(?:fight(?:ing)?|resistance|a\s+shot|bloodshed|"
                         r"clashes)\b|\bpeacefully\b", re.I)
# A known act that only dates another ("a day after the attacks on the embassy, the minister called"), that
# a reaction is about ("the handling of the drone strike", "claimed responsibility for", "blamed X for the
# attack"), or that "these"/"those" point back to: it was reported elsewhere; the sentence reports it only
# with figures of its own. An act the text calls recent ("after the recent killing of the group's leader in
# Kabul") is news of the article's time all the same.
_REFERRED = re.compile(r"""
    \b(?:after|following|since|in\ the\ wake\ of|in\ the\ aftermath\ of               # dating another act
       | (?:handling|investigation|probe|inquiry|review|condemnation|victims|memory|responsibility)
         \s+(?:of|into|for)                                                          # a reaction's object
       | blam(?:e|ed|es|ing)\s+(?:\w+\s+){0,3}?for                                  # "blamed it for the"
    )\s+(?:the|his|her|their|its)\s+(?![\w\s-]*\brecent\b)(?:[\w-]+\s+){0,3}$       # "following his killing"
    | \b(?:these|those)\s+(?:[\w-]+\s+){0,2}$                                       # acts told before
""", re.I | re.X)


# A definite act ("the fighting", "the blast") continues the act the text reported last: it happened there
# and then (``events.where``, ``events.dates``).
ACT_REFERENCE = re.compile(r"\b(?:the|that|this) (?:fighting|attack|assault|clash(?:es)?|blast|explosion|"
                           r"bombing|ambush|shooting|firefight|battle|march|protest|rally|demonstration)\b",
                           re.I)

# "the province", "the city", "nearby" ...: the place the text named last (``events.where``,
# ``events.dates``).
PLACE_REFERENCE = re.compile(r"\bthe (?:province|district|area|city|region)\b|\bnearby\b", re.I)

# Weapons that make an unnamed act of violence an explosion ("a bomb wounded 11").
_EXPLOSIVE = re.compile(r"\b(?:bombs?|explosi\w+|blasts?|IEDs?|mines?|grenades?)\b", re.I)


# Words that say violence happened but not how ("a terrorist attack in Kabul killed 57"): an act told this way
# is the act the article names more exactly at the same place and time (``events.extract``).
_UNSPECIFIC = re.compile(r"attack|kill|storm|offensive", re.I)


def is_unspecific(rule: Rule, match: re.Match | None) -> bool:
    """Whether an act read by ``rule`` (through ``match``; None: figures alone) is an armed clash only
    because its words say violence happened, not how."""
    return rule.sub_event_type == "Armed clash" and (match is None or bool(_UNSPECIFIC.match(match.group(0))))


def casualty_rule(sentence: str) -> Rule | None:
    """The rule of a sentence that reports people killed or wounded without a trigger of its own
    ("a terrorist attack ... left 29 dead"): violence when it names a weapon or attackers, else none
    (an accident, a disaster)."""
    return weapon_rule(sentence) if VIOLENCE.search(sentence) else None


def weapon_rule(sentence: str) -> Rule:
    """The rule of violence a sentence says happened but not how: an explosion when it names an explosive
    ("a terrorist bomb devastated the mosque, killing dozens"), else an armed clash."""
    return rule_named("Remote explosive/landmine/IED" if _EXPLOSIVE.search(sentence) else "Armed clash")


def rule_named(sub_event_type: str) -> Rule:
    """The rule of a sub-event type."""
    return next(rule for rule in RULES if rule.sub_event_type == sub_event_type)


_PROTEST = rule_named("Peaceful protest")
# An act named as what a protest is against ("the rally ... to condemn the attack on the consulate", "marched
# against the killing of"): the sentence reports the protest.
_PROTESTED = re.compile(r"\b(?:to\s+(?:condemn|denounce|protest)|condemning|denouncing|against)\s+"
                        r"(?:[\w'’-]+\s+){0,5}$", re.I)


# A fast first test for the many sentences that report nothing, generated from the rules.
_PREFILTER = prefilter([rule.pattern.pattern for rule in RULES])


# Words that make an attack a person's record, not the event: "a leader responsible for IED attacks",
# "discovered IED-making material".
_DESCRIBED_BEFORE = re.compile(r"\b(?:responsible for|involved in|in charge of|coordinat\w*|facilitat\w*|"
                               r"plann\w*|plans|specializ\w*|suspected of|known (?:to|for)|linked to|"
                               r"associated with|accused of)\b[^.;]{0,60}$", re.I)
_DESCRIBED_AFTER = re.compile(r"^[\w -]{0,12}?\b(?:materials?|components?|making|makers?|facilitators?|parts|"
                              r"caches?|experts?|cells?)\b", re.I)


def describes(rule: Rule, sentence: str) -> bool:
    """Whether every match of ``rule`` in the sentence describes someone's record."""
    return all(_DESCRIBED_BEFORE.search(sentence, max(0, m.start() - 80), m.start())
               or _DESCRIBED_AFTER.match(sentence[m.end():m.end() + 40])
               for m in rule.pattern.finditer(sentence))


def passes_prefilter(sentence: str) -> bool:
    """The fast first test: False means no rule can match the sentence."""
    return bool(_PREFILTER.search(sentence.lower()))


def trigger(sentence: str, figures: bool = False) -> tuple[Rule, re.Match] | None:
    """The first rule matching the sentence, with its first match that no negation governs and that,
    unless the sentence gives ``figures``, is not a known act dating another; or None."""
    lowered = sentence.lower()
    if not _PREFILTER.search(lowered):
        return None
    for rule in RULES:
        if not rule.quick.search(lowered):
            continue
        for m in rule.pattern.finditer(sentence):
            if not _NEGATED.search(sentence, max(0, m.start() - 30), m.start()) \
                    and (figures or not _REFERRED.search(sentence, max(0, m.start() - 50), m.start())):
                if rule.sub_event_type == _TAKEN and _PEACEFULLY.search(sentence):
                    return rule_named("Non-violent transfer of territory"), m
                protest = _PROTEST.pattern.search(sentence, 0, m.start())
                if protest and _PROTESTED.search(sentence, protest.end(), m.start()):
                    return _PROTEST, protest   # "a rally to condemn the attack": the rally is the news
                return rule, m
    return None


def classify(sentence: str, figures: bool = False) -> Rule | None:
    """The rule of ``trigger``, or None."""
    found = trigger(sentence, figures)
    return found[0] if found else None
