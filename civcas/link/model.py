"""The Splink models: civcas's comparisons for Arabic name chains, and a generic baseline.

Both are plain Splink settings (serialisable to JSON). The civcas model compares clean
keys made in :mod:`civcas.link.records`; the generic model is what a general-purpose
setup does with the raw name split into first and last word, kept for the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on


def _name_part(part: str, *, spelt: bool = True) -> cl.CustomComparison:
    levels: list[Any] = [cll.NullLevel(part)]
    if spelt:
        levels.append(cll.ExactMatchLevel(f"{part}_sp").configure(label_for_charts="same spelling"))
    levels += [
        cll.ExactMatchLevel(part).configure(
            label_for_charts="same key (variant or script)", tf_adjustment_column=part
        ),
        cll.ExactMatchLevel(f"{part}_f").configure(label_for_charts="same key, t/d/z as one"),
        _dl1_rare(part),
        _dl1(part),
    ]
    if part in ("father", "grandfather"):
        # a dropped father's name shifts the chain: one list's grandfather is the other's father
        levels.append(_custom('"father_l" = "grandfather_r" OR "grandfather_l" = "father_r"',
                              "chain shifted by a dropped name"))  # fmt: skip
    levels += [cll.ElseLevel()]
    return cl.CustomComparison(levels, output_column_name=part)


def _dl1(col: str) -> cll.CustomLevel:
    """One edit apart, when one key has 3+ letters: 'as' and 'rs' are one edit apart and
    so are far too many pairs of short keys."""
    sql = cll.DamerauLevenshteinLevel(col, 1).get_comparison_level("duckdb").sql_condition
    return _custom(f'(length("{col}_l") >= 3 OR length("{col}_r") >= 3) AND {sql}',
                   f"one edit ({col}, 3+ letters)")  # fmt: skip


# A typo makes a form of a name that hardly occurs elsewhere; a brother's or sister's
# name is a real name. "One edit apart and one of the two forms rare" (seen at most
# RARE_COUNT times in the data, or at most RARE_RATIO as often as the other form) is
# therefore much better evidence of one person than one edit between two common names
# (Ahmad / Hamad / Muhammad, mhmd / ahmd / hmd as keys). Counts: ``<part>_n``, how
# often the key occurs in any part of any name chain (pipeline.key_counts).
RARE_COUNT = 2
RARE_RATIO = 0.05


def rare_form(n_l: float, n_r: float) -> bool:
    lo, hi = min(n_l, n_r), max(n_l, n_r)
    return lo <= RARE_COUNT or lo <= RARE_RATIO * hi


def _dl1_rare(col: str) -> cll.CustomLevel:
    dl1 = _dl1(col).get_comparison_level("duckdb").sql_condition
    lo, hi = f'least("{col}_n_l", "{col}_n_r")', f'greatest("{col}_n_l", "{col}_n_r")'
    return _custom(f"({dl1}) AND ({lo} <= {RARE_COUNT} OR {lo} <= {RARE_RATIO} * {hi})",
                   f"one edit ({col}), one form rare")  # fmt: skip


FAMILY_PREFIXES = ("abd", "ab")  # the keys of عبد / Abd and ابو / Abu (normalise.py)


def prefixed(col: str) -> str:
    """SQL: one key is the other with Abd or Abu before it (the other 2+ letters)."""
    left, right = f'"{col}_l"', f'"{col}_r"'
    return "(" + " OR ".join(
        f"({a} = '{p}' || {b} AND length({b}) >= 2)"
        for p in FAMILY_PREFIXES for a, b in ((left, right), (right, left))
    ) + ")"  # fmt: skip


def _age() -> cl.CustomComparison:
    return cl.CustomComparison(
        [
            cll.NullLevel("age"),
            cll.AbsoluteDifferenceLevel("age", 0),
            cll.AbsoluteDifferenceLevel("age", 1),
            cll.AbsoluteDifferenceLevel("age", 3),
            cll.AbsoluteDifferenceLevel("age", 6),
            cll.ElseLevel(),
        ],
        output_column_name="age",
    )


def _dod() -> cl.CustomComparison:
    return cl.CustomComparison(
        [
            cll.NullLevel("dod"),
            cll.AbsoluteDifferenceLevel("dod", 0),
            cll.AbsoluteDifferenceLevel("dod", 3),
            cll.AbsoluteDifferenceLevel("dod", 30),
            cll.ElseLevel(),
        ],
        output_column_name="dod",
    )


def _custom(sql: str, label: str | None = None) -> cll.CustomLevel:
    """Custom SQL written in DuckDB's dialect; sqlglot translates it for Spark."""
    return cll.CustomLevel(sql, label, base_dialect_str="duckdb")


# the levels of family_incident that need the same family key, in order: among random
# pairs they are about one in a million (pipeline._joint_u samples them apart)
SAME_FAMILY_LEVELS = (
    "family, day, place",
    "family, within 3 days, place or none",
    "family, within 3 days, other place",
    "family, no date, place",
    "family, no date",
    "family, 4-30 days",
    "family only",
)


def _family_incident() -> cl.CustomComparison:
    """Family name, date and place of death as ONE comparison.

    Family members killed together agree on all three; scored as independent fields they
    would look like the same person many times over. Jointly, the u of 'same family,
    same day, same place' is measured (by random sampling) as what it is.
    """
    fam = '"family_l" = "family_r"'
    fam1 = _dl1("family").get_comparison_level("duckdb").sql_condition
    # a family name with and without its Abd / Abu (عبد محيسن / محيسن, Abu Nasser /
    # Nasser): one family, written both ways by the ministry and the press (Airwars Gaza
    # <-> ministry, dev half: 8 of 25 missed pairs with another family name)
    fam1 = f"({fam1}) OR {prefixed('family')}"
    day0 = 'abs("dod_l" - "dod_r") <= 0'
    day3 = 'abs("dod_l" - "dod_r") <= 3'
    day30 = 'abs("dod_l" - "dod_r") <= 30'
    place = '"place_l" = "place_r"'
    place_ok = '("place_l" = "place_r" OR "place_l" IS NULL OR "place_r" IS NULL)'
    nodate = '("dod_l" IS NULL OR "dod_r" IS NULL)'
    tf = {"tf_adjustment_column": "family"}
    same = [f"{fam} AND {day0} AND {place}", f"{fam} AND {day3} AND {place_ok}",
            f"{fam} AND {day3}", f"{fam} AND {nodate} AND {place}", f"{fam} AND {nodate}",
            f"{fam} AND {day30}", fam]  # fmt: skip
    levels = [
        _custom('("family_l" IS NULL OR "family_r" IS NULL) AND ' + nodate).configure(
            is_null_level=True
        ),
        *(
            _custom(sql, label).configure(**tf)
            for sql, label in zip(same, SAME_FAMILY_LEVELS, strict=True)
        ),  # fmt: skip
        _custom(
            f"({fam1}) AND {day3} AND {place_ok}", "family 1 edit, within 3 days, place or none"
        ),
        _custom(f"({fam1}) AND {day3}", "family 1 edit, within 3 days, other place"),
        _custom(f"({fam1}) AND {nodate}", "family 1 edit, no date"),
        _custom(f"({fam1})", "family 1 edit"),
        _custom(f"{day0} AND {place}", "other family, same day and place"),
        _custom(day3, "other family, within 3 days"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(levels, output_column_name="family_incident")


def _exact(col: str) -> cl.ExactMatch:
    return cl.ExactMatch(col)


@dataclass
class ModelSpec:
    """Which comparisons to use: the victim fields plus any extra columns."""

    extra_exact: list[str] = field(default_factory=list)
    extra_string: list[str] = field(default_factory=list)
    use_incident: bool = False
    training_blocks: list[list[str]] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)  # comparisons left out (columns all empty)
    blocking: list[list[str] | str] = field(default_factory=list)  # columns, or SQL
    deterministic: list[list[str]] = field(
        default_factory=lambda: [["given", "family", "dod"], ["given", "father", "family"]]
    )
    # lists that name each person once (a register's release): no two of their records
    # are linked, directly or through a third (cluster.Conflicts.unique)
    unique_lists: list[str] = field(default_factory=list)


def civcas_settings(spec: ModelSpec | None = None) -> SettingsCreator:
    spec = spec or ModelSpec()
    comparisons: list[Any] = [
        _name_part("given"),
        _name_part("father"),
        _name_part("grandfather"),
        _family_incident(),
        _exact("sex"),
        _age(),
    ]
    if spec.use_incident:
        comparisons.append(_exact("incident"))
    comparisons = [c for c in comparisons if c.create_output_column_name() not in spec.skip]
    comparisons += [_exact(c) for c in spec.extra_exact]
    comparisons += [cl.JaroWinklerAtThresholds(c, [0.95, 0.85]) for c in spec.extra_string]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=civcas_blocking()
        + [rule if isinstance(rule, str) else block_on(*rule) for rule in spec.blocking],
        additional_columns_to_retain=["list"],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        max_iterations=10,
    )


# Width (days) of the two staggered date windows used in blocking: any two dates at most
# WINDOW // 2 - 1 days apart share a window in one of the two grids (dod_wa or dod_wb).
WINDOW = 14


def civcas_blocking() -> list[Any]:
    """Pairs that share two name keys near in time, three keys, or a key, day and place.

    Every rule has two name keys or a name key plus day and place: a single common key
    (Muhammad) or a key plus a date window would grow with the square of the list
    (at 1M records, given + family alone gives 58M pairs; these rules give ~15M).
    Chosen on simulation seed 1 by leaving each rule out and keeping the ones whose loss
    of true pairs was above 0.1%; the measured recall is in benchmarks/results/link.md.
    """
    return [
        block_on("given", "family", "dod_wa"),
        block_on("given", "family", "dod_wb"),
        block_on("father", "family", "dod_wa"),
        block_on("father", "family", "dod_wb"),
        block_on("given", "family", "father"),
        block_on("given", "father", "grandfather"),
        block_on("given", "father", "dod_wa"),
        block_on("given", "father", "dod_wb"),
        block_on("given", "family", "place"),
        block_on("family", "dod", "place"),
        block_on("given", "dod", "place"),  # date + place: prediction only, never EM
        block_on("family", "place", "age"),
        # given + family alone is too many pairs (58M at 1M records), but not where one
        # record has no date (the date rules cannot find those) and the places do not
        # differ: one side's filter runs before the join (0.8M pairs at 1M)
        f'l."given" = r."given" AND l."family" = r."family" AND l."dod" IS NULL AND {_PLACE_OK}',
        f'l."given" = r."given" AND l."family" = r."family" AND r."dod" IS NULL AND {_PLACE_OK}',
    ]


def dateless_blocking() -> list[list[str] | str]:
    """For lists of which one has no dates at all (a register): the date-window rules
    cannot find its pairs, so a typo in the given name or the father's is found through
    the other three parts of a four-part name (ministry releases of 2024-04 and 2024-08:
    منير printed as مني, زهير as زهي). Not used otherwise: on simulated lists (dates
    everywhere) they found almost nothing and cost 1.4M pairs at 1M records."""
    rules: list[list[str] | str] = [["father", "grandfather", "family"],
                                    ["given", "grandfather", "family"]]  # fmt: skip
    # two keys and an age (a year apart at most: a register's age is often a birthday
    # later) find a family spelt otherwise (الجزا / الجزار, محيسن / عبد محيسن) and a given
    # name mistyped (زهي / زهير); one side's filter runs before the join
    rules += [
        f'l."{a}" = r."{a}" AND l."{b}" = r."{b}" AND {side}."dod" IS NULL'
        ' AND abs(l."age" - r."age") <= 1'
        for a, b in (("given", "father"), ("father", "family"))
        for side in "lr"
    ]
    return rules


def recall_blocking() -> list[list[str]]:
    """Wider blocking for linkage for estimation: one name key with a place or a date
    window, and place + date window + sex.

    Why: each true pair blocking never offers is a missed link the model cannot weigh,
    and a missed link is a person only one list saw. The default rules left 2% of the
    true pairs unscored on 12,000-person simulations (seeds 200-202, 206-219 pairs
    each), which moved estimates 2% up even with every scored pair decided right; these
    rules offer 86% of them. They grow with the square of the people sharing a place or
    a name and a fortnight (up to 2.8M more candidate pairs at 100k records: 27.6 s in
    all against 15.4 s), so they are not used by default.
    """
    return [["family", "place"], ["given", "place"], ["father", "place"],
            ["place", "dod_wa", "sex"], ["place", "dod_wb", "sex"],
            ["given", "dod_wa"], ["given", "dod_wb"], ["family", "dod_wa"], ["family", "dod_wb"]]  # fmt: skip


_PLACE_OK = '(l."place" IS NULL OR r."place" IS NULL OR l."place" = r."place")'


def date_windows(dod: Any) -> tuple[Any, Any]:
    """The two staggered window numbers of a date of death (days since 1970)."""
    import numpy as np

    return np.floor(dod / WINDOW), np.floor((dod + WINDOW // 2) / WINDOW)


def training_blocks() -> list[Any]:
    """Name-based EM blocks only: date+place blocks teach 'same incident', not 'same person'."""
    # + sex: on given + father alone, EM's "match" class absorbed the many pairs of
    # different men called Muhammad son of Muhammad (all male, by their given name), and
    # learnt that 40% of matches disagree on family name, date and place.
    return [block_on("given", "family"), block_on("given", "father", "sex")]


def generic_settings() -> SettingsCreator:
    """Splink used as is: raw first and last word of the name, standard comparisons."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.ExactMatch("sex"),
            _age(),
            _dod(),
            cl.ExactMatch("place_raw"),
        ],
        # the same blocking budget as civcas's rules, on the generic columns
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname", "dod_wa"),
            block_on("first_name", "surname", "dod_wb"),
            block_on("first_name", "surname", "place_raw"),
            block_on("surname", "dod", "place_raw"),
            block_on("first_name", "dod", "place_raw"),
        ],
        additional_columns_to_retain=["list"],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        max_iterations=20,
    )


def generic_training_blocks() -> list[Any]:
    return [block_on("first_name", "surname"), block_on("dod", "sex")]
