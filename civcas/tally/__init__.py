"""Documented totals, breakdowns and the comparison with admissions."""

from .compute import Tally, rules, tally

__all__ = ["Tally", "rules", "tally"]
