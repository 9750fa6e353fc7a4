"""Benchmarks: `python -m benchmarks [AREA ...]` runs bench_<area>.py (all by default)."""
