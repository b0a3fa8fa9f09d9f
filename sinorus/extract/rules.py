"""The readable rules: each a named, commented regular expression read around an amount.

Which words around the amount each rule reads is said in `steps` (the left window, its last
clause, the right gap); the order in which they are tried is there too.
"""

from __future__ import annotations

import re

from sinorus.extract.dates import MONTH

# A sentence about trade: one of these in it, in one of the two before it or the one after it.
TRADE_WORDS = re.compile(
    r"\b(?:trade|turnover|exports?|imports?|exported|imported|bought|sold|commerce|goods)\b", re.I
)
# Not trade: (indicator, pattern). Read in the clause before the amount and the right gap.
EXCLUDE_RULES = [
    ("arms", r"\b(?:arms|armaments?|weapons?|weaponry|military)\b"),
    ("investment", r"\b(?:invest\w*|fund)\b"),
    ("deals", r"\b(?:deals?|contracts?|agreements?|signed)\b"),
    ("budget", r"\b(?:budget|tax(?:es)?|revenues?|receipts)\b"),
    ("balance", r"\b(?:surplus|deficit)\b"),
    ("gdp", r"\b(?:GDP|gross domestic product|economy)\b"),
    ("spending", r"\b(?:spent|spending)\b"),
    # "foreign trade turnover with China" is the pair's trade, not a country's world trade
    (
        "world_trade",
        r"\b(?:foreign trade(?!\s+(?:turnover\s+|volume\s+)?with\s+(?:China|Russia))|global trade|total trade|overall trade|with the world)\b",
    ),
]
EXCLUDE_RULES = [(name, re.compile(p, re.I)) for name, p in EXCLUDE_RULES]
_OTHER = (
    r"(?:the\s+)?(?:United States|U\.S\.A?|USA?|America|EU|European Union|Japan|India|Germany|ASEAN|Kazakhstan"
    r"|Ukraine|Saudi Arabia|Brazil|(?:South\s+)?Korea|Australia|Vietnam|Turkey|Iran|Mongolia|Belarus|Britain|UK"
    r"|France|Italy|Canada|Mexico|Africa|Latin America|the Middle East)"
)
# Another country pair, read from the start of the sentence to the amount. ("(?!\w)", not "\b",
# after a name: "trade with the U.S. rose" ends in a point.)
OTHER_PAIR = re.compile(
    rf"\b(?:between\s+(?:China|Russia|Beijing|Moscow)\s+and\s+{_OTHER}(?!\w)|(?:trade|exports?|imports?)\s+(?:with|to|from)\s+{_OTHER}(?!\w)"
    rf"|(?:China|Sino|Chinese)[–-](?:US|U\.S\.|American|EU|Japan|India|ASEAN|Africa|Brazil)(?!\w)|(?:US|U\.S\.|EU)[–-]Chin)"
)
# Names the China–Russia pair ("Russia\w*" takes "Sino-Russian"). A figure whose sentence does
# not, right after a figure of another pair or of a country's world trade, belongs to that
# figure ("... totaled $3.07 trillion. Exports fell to $1.73 trillion ...").
PARTNER = re.compile(
    r"\b(?:Russia\w*|Moscow|Kremlin|bilateral|two countries|both countries|two sides|two neighbou?rs)\b",
    re.I,
)
# A change, not a level: "or by $35 billion", "beating projections by some $20 billion".
INCREMENT = re.compile(
    r"\b(?:by|up|down|increase of|rise of|growth of)\s+(?:(?:some|about|around|almost|nearly|more than|over|roughly)\s+)?$",
    re.I,
)
# "including $1.73 trillion of exports": a part of the figure before.
PART_OF = re.compile(r"\s*(?:including|of which)\b", re.I)

# A horizon that is not a calendar year: a figure with one takes no year from its context.
HORIZON = re.compile(
    r"\b(?:in\s+the\s+(?:next|coming)\s+(?:[\w-]+\s+){0,3}years?|in\s+(?:the\s+)?coming\s+years|in\s+the\s+near\s+future|later|one day|ahead of schedule|in\s+the\s+(?:long|medium)\s+term)\b",
    re.I,
)
# "Under targets set by the leaders, trade should reach $60 billion by 2010": a goal, not a forecast.
TARGET_FRAME = re.compile(
    r"\b(?:under|according to|in line with|as part of|to meet|to attain)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}(?:targets?|goals?|plans?)\b",
    re.I,
)
# A comparison base: "rose to $29.61 billion, compared with 2009 ($17.496 billion)". (Written
# so that no two runs of spaces can split one stretch of spaces between them.)
COMPARISON_BASE = re.compile(
    r"\b(?:compared (?:with|to)|than|against|from)\s+(?:(?:19|20)\d\d\s*)?(?:\(\s*)?(?:\w+\s+)?$",
    re.I,
)
# "a year earlier" is a year before the figure the text is talking about, not before its date.
ANAPHORIC_YEAR = re.compile(r"\b(?:a year earlier|the previous year|the year before)\b", re.I)

# The hedge just before the amount: (qualifier, pattern), first match wins.
_FILLER = r"(?:\s+(?:(?:a|the)\s+(?:new\s+)?(?:record(?:\s+high)?|level|mark|total|figure|sum)\s+of))?(?:\s+the)?\s*$"
QUALIFIER_RULES = [
    ("at_least", r"\b(?:at least|not less than|already (?:reached|hit)|topped|tops|top|topping)"),
    ("over", r"\b(?:more than|over|exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|above|in excess of|pass(?:ed|es|ing)?|beyond)"),
    ("nearly", r"\b(?:nearly|almost|close to|just under|just shy of|nearing)"),
    ("about", r"\b(?:about|around|approximately|roughly|some|an estimated|circa)"),
]  # fmt: skip
QUALIFIER_RULES = [(q, re.compile(p + _FILLER, re.I)) for q, p in QUALIFIER_RULES]
# Right after the amount: "the $100-billion target for 2015" names a goal.
NAMES_GOAL = re.compile(r"[\s-]*(?:billion\s+)?(?:target|goal)\b", re.I)

# A goal; read in the left window, or right after the amount ("the $100-billion target for 2015").
TARGET_CUES = re.compile(
    r"\b(?:aims?|aimed|aiming|goals?|targets?|targeted|plans?|planned|pledged?|objective)\b", re.I
)
# An expectation.
FORECAST_CUES = re.compile(
    r"\b(?:expects?|expected|expecting|will|would|could|(?-i:may)|might|should|likely|forecasts?|predicts?|predicted|projected|looks set|set to|on track|hopes?|estimates?|anticipated?)\b",
    re.I,
)
# "by 2020" with no other cue: a goal.
BY_YEAR = re.compile(r"^\s*(?:\w+\s+){0,3}?by\s+\d{4}")
# Part of a year; read in the left window and the right gap. The group is the period's name.
_ORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|\d+)"
PERIOD_RULES = [
    re.compile(rf"\b(first (?:{_ORD} )?(?:months?|quarters?|half))\b", re.I),
    re.compile(rf"\b({_ORD} months)\b", re.I),
    re.compile(r"\b((?:second|third|fourth) quarter|H1|half[- ]year)\b", re.I),  # "first": above
    re.compile(rf"\b((?:between|from)\s+{MONTH}\s+(?:and|to|through)\s+{MONTH})", re.I),
    re.compile(rf"\b({MONTH}\s*[-–]\s*{MONTH})\b", re.I),
    re.compile(rf"\b(?:in|during)\s+({MONTH})(?:\s+alone)?\b(?!\s*[-–])", re.I),
    re.compile(rf"\b({MONTH}) alone\b", re.I),
    re.compile(r"\b(last month|this month|so far this year|year to date)\b", re.I),
]

# Direction of the trade, nearest cue before the amount wins: (flow, pattern).
FLOW_RULES = [
    ("china_exports", r"\bexports?\s+(?:from China\s+)?to (?:Russia|the Russian Federation)\b"),
    ("china_exports", r"\b(?:Chinese|China's) exports\b|\bexports from China\b|\bexported\b"),  # "China exported" too
    ("china_exports", r"\b(?:Russia's )?imports from China\b|\bimports of Chinese\b|\bshipments to Russia\b"),
    ("china_imports", r"\b(?:China's|Chinese) imports\b|\bimports (?:from Russia|of Russian|into China)\b"),
    ("china_imports", r"\b(?:Russia's|Russian) exports\b|\bexports from Russia\b|\bRussian (?:goods|products)\b"),
    ("china_imports", r"\bChina (?:bought|purchased|imported)\b|\bbought from Russia\b"),
    ("border", r"\b(?:cross-)?border (?:trade|province|region|city|cities|ports?|crossings?)\b"),
]  # fmt: skip
FLOW_RULES = [(f, re.compile(p, re.I)) for f, p in FLOW_RULES]
