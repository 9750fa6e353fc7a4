"""Hierarchical log-linear models: terms, generating classes, enumeration, design matrices.

A term is a bitmask of lists (bit j = list j). A hierarchical model is a set of terms closed
under taking non-empty subsets; all main effects are always in. Models are written in
generating-class notation, e.g. ``EXH*ABA*OSCE + EXH*HRW``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import combinations

import numpy as np

from ..model.errors import InputError

Model = tuple[int, ...]  # interaction terms (order >= 2), sorted by (order, mask)


def popcount(x: int) -> int:
    return bin(x).count("1")


def _key(t: int) -> tuple[int, int]:
    return (popcount(t), t)


def closure(generators: Sequence[int], J: int) -> Model:
    """All interaction terms (order >= 2) implied by the generators."""
    terms: set[int] = set()
    for g in generators:
        sub = g
        while sub:
            if popcount(sub) >= 2:
                terms.add(sub)
            sub = (sub - 1) & g
    return tuple(sorted(terms, key=_key))


def parse_model(text: str, lists: Sequence[str]) -> Model:
    """``A*B*C + A*D`` (also ``[A.B.C, A.D]`` or ``A:B``) -> its hierarchical closure."""
    index = {name.lower(): j for j, name in enumerate(lists)}
    gens: list[int] = []
    cleaned = text.strip().strip("[]")
    if cleaned.lower() in ("", "independence", "main", "main effects", "m0"):
        return ()
    for part in re.split(r"[+,]", cleaned):
        part = part.strip()
        if not part:
            continue
        mask = 0
        for name in re.split(r"[*:.·]", part):
            name = name.strip()
            if name.lower() not in index:
                raise InputError(
                    f"model {text!r}: {name!r} is not a list (lists: {', '.join(lists)})"
                )
            mask |= 1 << index[name.lower()]
        gens.append(mask)
    return closure(gens, len(lists))


def generators(model: Model, J: int) -> list[int]:
    """The maximal terms (including main effects not covered by any interaction)."""
    allterms = list(model) + [1 << j for j in range(J)]
    return sorted(
        (t for t in allterms if not any(t != u and (t & u) == t for u in allterms)),
        key=lambda t: (-popcount(t), t),
    )


def format_model(model: Model, lists: Sequence[str]) -> str:
    gens = generators(model, len(lists))
    parts = ["*".join(lists[j] for j in range(len(lists)) if g >> j & 1) for g in gens]
    if not model:
        return "independence (" + " + ".join(parts) + ")"
    return " + ".join(parts)


def default_max_order(J: int) -> int:
    return {2: 1, 3: 2, 4: 3, 5: 3}.get(J, 2)


def enumerate_models(J: int, max_order: int | None = None) -> list[Model]:
    """Every hierarchical model with interactions up to ``max_order`` (by backtracking)."""
    max_order = default_max_order(J) if max_order is None else max_order
    cand = [
        sum(1 << j for j in c) for k in range(2, max_order + 1) for c in combinations(range(J), k)
    ]
    cand.sort(key=_key)
    out: list[Model] = []

    def rec(i: int, chosen: set[int]) -> None:
        if i == len(cand):
            out.append(tuple(sorted(chosen, key=_key)))
            return
        t = cand[i]
        rec(i + 1, chosen)
        faces = [t & ~(1 << j) for j in range(J) if t >> j & 1]
        if all(popcount(f) < 2 or f in chosen for f in faces):
            chosen.add(t)
            rec(i + 1, chosen)
            chosen.discard(t)

    rec(0, set())
    return out


def pairwise_terms(J: int) -> list[int]:
    return [(1 << i) | (1 << j) for i, j in combinations(range(J), 2)]


def design(J: int, model: Model) -> np.ndarray:
    """Design matrix over the observable cells 1..2^J-1: intercept, main effects, terms."""
    w = np.arange(1, 2**J)[:, None]
    cols = [1 << j for j in range(J)] + list(model)
    t = np.array(cols, dtype=np.int64)[None, :]
    X = ((w & t) == t).astype(np.float64)
    return np.hstack([np.ones((len(w), 1)), X])


def all_terms(J: int) -> list[int]:
    return sorted(range(1, 2**J), key=_key)


def iter_subsets(mask: int) -> Iterator[int]:
    sub = mask
    while sub:
        yield sub
        sub = (sub - 1) & mask
