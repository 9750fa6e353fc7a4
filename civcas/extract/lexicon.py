"""Word lists for who is blamed and with what, in English and Arabic (data, not logic).

Each entry is (regex, canonical value, weight). Weights say how strongly a phrase names
the party that did the killing ("regime warplanes") rather than merely mentions it.
"""

from __future__ import annotations

import re

COALITION, RUSSIA, SYRIA_GOV = "US-led coalition", "Russia", "Syrian government"
ISIS, SDF, TURKEY, OPPOSITION = "ISIS", "SDF", "Turkey", "armed opposition"
NUSRA, ISRAEL, UNKNOWN = "al-Nusra Front", "Israel", "unknown"

_AGENT = r"(?:war)?planes|jets|aircraft|militias?|air\s?strikes?|air\s?raids?|raids?|helicopters?|shelling|bombardment|bombing|artillery|forces|troops|army|drones?|strikes?|missiles?|rockets?|snipers?|militiamen|soldiers|air force|aerospace forces|air forces"
ACTORS_EN: list[tuple[str, str, float]] = [
    (
        rf"(?:u\.?s\.?|american|western)[\s-]*led\s+(?:[\w-]+\s+){{0,2}}?coalition|(?:u\.?s\.?|american)[\s-]*led\s+(?:{_AGENT})|international coalition|anti[\s-](?:isis|is|isil|daesh)\s+coalition|coalition\s+(?:{_AGENT})|(?<![\w.])(?:american|u\.s\.|us|french|british)\s+(?:{_AGENT})",
        COALITION,
        2.0,
    ),
    (r"(?<!syrian )(?<!national )\bcoalition\b(?! for)", COALITION, 0.8),
    (
        rf"russian?\s+(?:{_AGENT})|(?:jets|planes|warplanes|aircraft|helicopters)\s+(?:(?:thought|believed|said|likely)\s+to\s+(?:belong\s+to|be)|belonging\s+to)\s+(?:the\s+)?russia|russian[\s-]+(?:and|or)\s+(?:syrian|regime|government)|(?:syrian|regime|government)\s+(?:and|or)\s+russian",
        RUSSIA,
        2.0,
    ),
    (r"\brussian?\b|\bmoscow\b", RUSSIA, 0.5),
    (
        rf"(?<!free )(?:regime|government|pro-government|pro-regime|syrian|assad'?s?|loyalist|army|(?<!islamic )state)\s+(?:{_AGENT})|barrel\s+bombs?|syrian\s+arab\s+army|tiger\s+forces|liwa\s+al[\s-]quds|desert\s+hawks|republican\s+guard|fourth\s+(?:armou?red\s+)?division|(?:assad|bashar)\s+regime|\bsaa\b|syrian\s+(?:armed\s+forces|military|air\s+force)|army\s+units|national\s+defen[cs]e\s+forces|(?:jets|planes|warplanes|aircraft|helicopters)\s+(?:(?:thought|believed|said|likely)\s+to\s+(?:belong\s+to|be)|belonging\s+to)\s+(?:the\s+)?(?:syrian|regime|government)",
        SYRIA_GOV,
        2.0,
    ),
    (
        r"\bregime\b|\bassad\b|(?<!free )\bsyrian army\b|\bhezbollah\b|\bsyrian\s+(?:government|authorities)\b",
        SYRIA_GOV,
        0.5,
    ),
    (r"barrel[\s-]+bomb", SYRIA_GOV, 0.6),  # a hint only: the text does not name who
    # "security forces" with no other country or party named before them: in Syrian
    # reporting, the state's (the protests of 2011-12: "security forces opened fire")
    (
        r"\bsecurity(?<!kurdish security)(?<!turkish security)(?<!iraqi security)"
        r"(?<!lebanese security)(?<!israeli security)(?<!jordanian security)"
        r"(?<!asayish security)(?<!rebel security)(?<!opposition security)(?<!sdf security)"
        r"(?<!ypg security)\s+forces\b",
        SYRIA_GOV,
        1.0,
    ),
    # militias fighting for the government
    (
        r"(?:iranian|iran-backed|iranian-backed|afghan|iraqi|shiite|shia)\s+(?:shiite\s+|shia\s+)?"
        r"militia(?:s|men)?|\bshabiha\b|\bshabbiha\b",
        SYRIA_GOV,
        1.5,
    ),
    (
        r"islamic state|\bisis\b|\bisil\b|\bdaesh\b|\bdaech\b|\bdaish\b|\bda\'ish\b|jihadists?",
        ISIS,
        1.0,
    ),
    (
        r"syrian democratic forces|\bsdf\b|\bypg\b|\bpyd\b|\bpkk\b|kurdish(?:[\s-]led)?\s+(?:security\s+)?(?:forces|fighters|militias?|militants|militiamen|units|peoples?\s+protection|alliance)|\bkurds\b|asayish|self[\s-]administration",
        SDF,
        1.0,
    ),
    (
        rf"turk(?:ey|ish)\s+(?:{_AGENT})|operation euphrates shield|olive branch",
        TURKEY,
        2.0,
    ),
    # "Turkish-backed factions" are Syrian rebels: the backer is not the one fighting
    (
        r"turk(?:ish|ey)[\s-]+backed(?:\s+(?:\w+\s+)?(?:rebels?|forces?|factions?|groups?|fighters))?",
        OPPOSITION,
        0.9,
    ),
    (r"\bturkey\b|\bturkish\b|\bankara\b", TURKEY, 0.4),
    (
        r"\brebels\b|\brebel\s+(?:fire|shelling|rockets?|attacks?|fighters|groups|factions|forces|shells|mortars?|snipers?|bombardment|offensive)|opposition\s+(?:fighters|groups|factions|forces|shelling|fire|rockets?|mortars?|shells|bombardment|snipers?)|armed\s+(?:opposition|factions)|free syrian army|\bfsa\b|ja[iy]sh al[\s-]islam|islam army|army of islam|ahrar al[\s-]sham|ja[iy]sh al[\s-]fat[ae]h|army of conquest|(?:nour|nur) al[\s-]din al[\s-]zenki|fa[iy]laq al[\s-](?:rahman|sham)|ja[iy]sh al[\s-]izz?a|levant front|jabhat al[\s-]shamiya|insurgents|islamist\s+(?:rebels?|groups?|factions?|fighters)|rebel\s+islamist",
        OPPOSITION,
        0.9,
    ),
    (
        r"(?:(?:jabhat|jabhet)\s+)?(?:al[\s-])?nusra|(?:jabhat\s+)?fateh al[\s-]sham|fatah al[\s-]sham|tahrir al[\s-]sham|\bhts\b|al[\s-]qaeda",
        NUSRA,
        1.2,
    ),
    (r"israeli?\s+(?:" + _AGENT + r")|\bisrael\b", ISRAEL, 1.0),
]

_ATTACK_AR = r"غاره|غارات|طائره|طائرات|طيران|قصف|قذائف|صواريخ|مقاتلات|مروحيات|مدفعي|مدفعيه|قوات|جنود|غارات جويه"
ACTORS_AR: list[tuple[str, str, float]] = [
    (
        rf"التحالف الدولي|طيران التحالف|التحالف بقياده|قوات التحالف|الطيران الامريكي|طائرات التحالف|(?:{_ATTACK_AR})\s+(?:\S+\s+)?امريكي(?:ه)?(?![\u0621-\u064a])",
        COALITION,
        2.0,
    ),
    (r"التحالف", COALITION, 0.9),
    (r"الطيران الروسي|الطائرات الروسيه|القوات الروسيه|روسيا|الروسي", RUSSIA, 1.5),
    # adjectival: "غارة جوية روسية", "قصف صاروخي روسي", "مدفعي تركي", "طائرات أمريكية"
    (rf"(?:{_ATTACK_AR})\s+(?:\S+\s+)?روسي(?:ه)?(?![\u0621-\u064a])", RUSSIA, 2.0),
    (
        r"قوات النظام|طيران النظام|طائرات النظام|مدفعيه النظام|قناصه النظام|قناص النظام|القوات الحكوميه|الطيران الحربي التابع للنظام|قوات الاسد|جيش النظام|البراميل المتفجره|النظام السوري|الجيش السوري|مروحيات النظام|الميليشيات الموالي",
        SYRIA_GOV,
        2.0,
    ),
    (r"النظام|الحكومه السوريه", SYRIA_GOV, 0.6),
    (r"تنظيم الدوله|داعش|الدوله الاسلاميه", ISIS, 1.2),
    (r"قوات سوريا الديمقراطيه|قسد|الوحدات الكرديه|وحدات حمايه الشعب|الاسايش", SDF, 1.2),
    (
        rf"الجيش التركي|القوات التركيه|الطيران التركي|المدفعيه التركيه|حرس الحدود التركي|الجندرمه التركيه|(?:{_ATTACK_AR})\s+(?:\S+\s+)?تركي(?:ه)?(?![\u0621-\u064a])",
        TURKEY,
        2.0,
    ),
    (r"فصائل المعارضه|الفصائل المسلحه|المعارضه المسلحه|الجيش الحر|الفصائل", OPPOSITION, 1.0),
    (r"جبهه النصره|هيئه تحرير الشام|النصره", NUSRA, 1.2),
]

AIRSTRIKE, SHELLING, DRONE, EXPLOSION = "airstrike", "artillery/shelling", "drone", "explosion"
SHOOTING, CHEMICAL, EXECUTION = "shooting", "chemical", "execution"
WEAPONS_EN: list[tuple[str, str, float]] = [
    (
        r"chemical|chlorine|sarin|toxic\s+gas|poison(?:ous)?\s+gas|nerve\s+agent|gas\s+attack|suffocat",
        CHEMICAL,
        2.5,
    ),
    (r"\bdrones?\b|unmanned", DRONE, 1.5),
    (
        r"air\s?strikes?|air\s?raids?|(?:war)?planes|jets|aircraft|aerial|bombing(?<!twin\sbombing)(?<!double\sbombing)(?<!triple\sbombing)(?<!car\sbombing)(?<!truck\sbombing)(?<!roadside\sbombing)|bombed|barrel\s+bombs?|helicopters?|air\s+force|sorties|warplane",
        AIRSTRIKE,
        1.0,
    ),
    (
        r"shell(?:ing|ed|s)?\b|mortars?|artillery|rockets?|missiles?|projectiles?|bombardment|bombarded|grad\b|katyusha|cluster|"
        r"tank\s+(?:fire|shells?|rounds)|(?:white\s+)?phosphorus|incendiary|thermobaric|napalm",
        SHELLING,
        1.0,
    ),
    (
        r"car\s+bomb|suicide|explosi(?:on|ve)s?|blasts?|bomb\s+attack|bomb\s+blast|\bied\b|booby|landmines?|mines?\b|detonat|bomber|explosive\s+device|bomb\b|"
        # "twin bombings", "a roadside bombing": attacks with planted bombs, not air raids
        r"(?:twin|double|triple|truck|roadside)\s+bombings?",
        EXPLOSION,
        1.3,
    ),
    (
        r"\bshot\b|shooting|gunfire|gunmen|snipers?|opened\s+fire|border\s+guards?|gendarme(?:s|rie)?|bullets?|machine\s+gun|gunshots?|\bguns?\b|rifles?|firearms?",
        SHOOTING,
        1.0,
    ),
    # ground fighting: FA-KES files deaths in clashes under "shooting"
    (
        r"clashes|clashed|fighting|battles?\b|fought|firefights?|ambush(?:ed)?|stormed",
        SHOOTING,
        0.7,
    ),
    (r"\bstrikes?\b|\braids?\b", AIRSTRIKE, 0.6),
    (
        r"execut(?:ed|ion|ions|ing|es?\b)|beheaded|behead|beheading|slaughtered|crucified|summarily|"
        r"\bhanged\b|\bhanging\s+of\b|stoned\b|stoning",
        EXECUTION,
        1.6,
    ),
]
WEAPONS_AR: list[tuple[str, str, float]] = [
    (r"كيماوي|كيميائي|الكلور|السارين|غازات سامه|غاز سام|اختناق", CHEMICAL, 2.5),
    (r"طائره مسيره|طائرات مسيره|مسيره|درون", DRONE, 1.5),
    (
        r"غاره|غارات|قصف جوي|الطيران الحربي|طائرات حربيه|الطيران|طيران|برميل|براميل|مروحي",
        AIRSTRIKE,
        1.2,
    ),
    (r"قصف مدفعي|قذائف|قذيفه|هاون|صاروخ|صواريخ|مدفعي|راجمات|قصف", SHELLING, 1.0),
    (r"تفجير|انفجار|مفخخ|عبوه ناسفه|لغم|الغام|انتحاري", EXPLOSION, 1.3),
    (r"رصاص|قنص|قناص|اطلاق نار|اطلاق النار", SHOOTING, 1.0),
    (r"اعدام|اعدم|ذبح|ذبحا", EXECUTION, 1.6),
]

FAKES_ACTOR = {
    COALITION: "international coalition forces", RUSSIA: "syrian government or russian troops",
    SYRIA_GOV: "syrian government or russian troops", ISIS: "ISIS",
    SDF: "self administration forces", OPPOSITION: "armed opposition groups",
    NUSRA: "al-nusra front", TURKEY: "international coalition forces", ISRAEL: "unknown", UNKNOWN: "unknown",
}  # fmt: skip
FAKES_CAUSE = {
    AIRSTRIKE: "shelling", SHELLING: "shelling", DRONE: "shelling", EXPLOSION: "explosion",
    SHOOTING: "shooting", CHEMICAL: "chemical", EXECUTION: "execution",
}  # fmt: skip


def compile_table(
    table: list[tuple[str, str, float]], flags: int
) -> list[tuple[re.Pattern[str], str, float]]:
    return [(re.compile(p, flags), v, w) for p, v, w in table]


# an actor named as the target or the holder of ground is not the one blamed
TARGET_BEFORE = re.compile(
    r"(?:(?:besieged|surrounded|encircled|controlled|held|backed|supported|run|taken\s+over|captured|seized|recaptured|retaken|liberated|manned|operated|guarded|defended)\s+by|loyal\s+to|\b(?:against|targeting|targeted|on|at|hit|struck|from|by\s+the\s+\w+\s+on))\s+(?:the\s+)?$",
    re.I,
)
TARGET_AFTER = re.compile(
    r"^(?:'s)?[\s)-]*(?:\(\w+\)\s*)?(?:(?:\w+\s+)?(?:was|were|is|are|had\s+been|have\s+been|has\s+been)\s+(?:killed|targeted|struck|hit|attacked|shelled|bombed)|(?:(?:group|terror(?:ist)?\s+group|organi[sz]ation)\s+)?(?:militants?|fighters?|jihadists?|members|elements|terrorists|gunmen|troops|soldiers|leaders|commanders|militiamen|personnel)\s+(?:(?:have|has|had)\s+been|were|was)\s+(?:killed|slain|executed|targeted|hit)|(?:said|says|say|reported|announced|stated|told|(?:also\s+)?claimed(?!\s+respons|\s+(?:(?:the|that|this|both|these)\s+)?(?:\w+\s+)?(?:attacks?|bombings?|blasts?|explosions?|assaults?|massacre)\b))\b|held|controlled|positions?|stronghold|targets|bases?|hideouts?|militants'?\s+positions|-held|territory|areas|fighters\s+were|members\s+were|militants\s+were|jihadists\s+were)",
    re.I,
)
# ... and one named as doing it is (blamed, accused, behind, claimed responsibility)
AGENT_BEFORE = re.compile(
    r"(?:blam(?:e|es|ed|ing)(?:\s+on)?|accus(?:e|es|ed|ing)|(?:death\s+)?toll\s+(?:\w+\s+){0,2}?from|carried\s+out\s+by|conducted\s+by|launched\s+by|fired\s+by|dropped\s+by|claimed\s+by|planted\s+by|at\s+the\s+hands\s+of|(?:kill\w*|wound\w*|injur\w*|attack\w*|strikes?|raids?|shell\w*|bomb\w*|fire[ds]?|targeted|hit|struck|executed|massacred?|shot|ambush\w*|assaults?|offensives?|air\s?strikes?|mortars?|rockets?|missiles?|drones?|jets|warplanes|aircraft|helicopters|artillery|blasts?|explosions?|barrage|bombardment|died|dead)\s+(?:\w+\s+){0,3}?by|bombers?\s+from|(?:air\s?strikes?|strikes?|raids?|fire|shelling|shells|rockets?|missiles?|bombs?|barrel\s+bombs|attacks?)\s+from|(?:killed|died|dead)\s+(?:in|during)\s+(?:the\s+)?(?:clashes|fighting|battles?|attacks?)\s+(?:with|by)|(?:terrorists|militants|fighters|members|snipers?|gunmen)\s+(?:of|from|affiliated\s+(?:to|with))|affiliated\s+(?:to|with))\s+(?:the\s+)?(?:so[\s-]called\s+)?$",
    re.I,
)
# the doer: "ISIS claimed responsibility", "regime forces shelled", "IS militants killed";
# a passive ("IS fighters were killed") names the dead instead (TARGET_AFTER)
AGENT_AFTER = re.compile(
    r"^(?:'s)?[\s-]*(?:\([^)]{0,40}\)\s*)?(?:and\s+(?:other|its)\s+(?:\w+\s+){0,2}?(?:groups|factions|allies|militias)(?:\s+affiliated\s+(?:to|with)\s+(?:it|them))?\s+)?(?:(?:terrorists?|militants?|fighters?|group|organi[sz]ation|gunmen|members|jihadists|forces|troops|warplanes|jets|aircraft)\s+)?(?:(?:was|were|is|are)\s+(?:behind|responsible)|(?:(?:has|have|had|reportedly|also|then|later)\s+)?(?:behind|responsible|claim(?:ed|s|ing)?\s+respons|claim(?:ed|s)\s+(?:(?:the|that|this|both|these)\s+)?(?:\w+\s+)?(?:attacks?|bombings?|blasts?|explosions?|assaults?|massacre)\b|carried\s+out|launch(?:ed|es)?\b|fire[sd]?\b|shell(?:ed|s)?\b|bomb(?:ed|s)?\b|struck|target(?:ed|s)|drop(?:ped|s)?\b|kill(?:ed|s)?\b|execut(?:ed|es|e\b)|attack(?:ed|s)|behead(?:ed|s)?\b|pound(?:ed|s)?\b|detonat|stormed|ambushed|opened\s+fire|(?:suicide\s+|car\s+|truck\s+)*bomb(?:ers?|ings?)\b))",
    re.I,
)
TARGET_BEFORE_AR = re.compile(r"(?:ضد|علي|مواقع|معاقل|سيطره|مناطق)\s+$")


# English tables run on lower-cased text (much faster than re.I); "IS" needs its case
def _arabic_article(table: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """'ل' + 'التحالف' is written 'للتحالف': let a word-initial 'ال' also match that form."""
    return [(re.sub(r"(?<![\u0621-\u064a])ال", "(?:ال|(?<=ل)ل)", p), v, w) for p, v, w in table]


ACTOR_RES = {"en": compile_table(ACTORS_EN, 0), "ar": compile_table(_arabic_article(ACTORS_AR), 0)}
WEAPON_RES = {
    "en": compile_table(WEAPONS_EN, 0),
    "ar": compile_table(_arabic_article(WEAPONS_AR), 0),
}
CASED_ACTOR_RES = {"en": compile_table([(r"\bIS\b(?!-)", ISIS, 1.0)], 0), "ar": []}
