"""The simulator's open vocabulary: new names arrive as often as in the victim lists."""

from __future__ import annotations

import random

import numpy as np

from civcas.link.name_growth import NameMaker, NameSeating
from civcas.link.vocabulary import fit_pitman_yor, load_growth, load_pools


def _crp(d: float, theta: float, n: int, seed: int) -> dict[str, int]:
    """Table sizes of a Pitman-Yor restaurant, drawn the textbook way."""
    rnd = random.Random(seed)
    counts: list[int] = []
    for i in range(n):
        if rnd.random() * (theta + i) < theta + d * len(counts):
            counts.append(1)
        else:
            w = [c - d for c in counts]
            counts[rnd.choices(range(len(counts)), weights=w)[0]] += 1
    hist: dict[str, int] = {}
    for c in counts:
        hist[str(c)] = hist.get(str(c), 0) + 1
    return hist


def test_pitman_yor_fit_recovers_known_parameters():
    d, theta = fit_pitman_yor(_crp(0.6, 50.0, 4000, seed=3))
    assert abs(d - 0.6) < 0.1, d
    assert 15 < theta < 150, theta
    d0, _ = fit_pitman_yor(_crp(0.0, 30.0, 4000, seed=4))
    assert d0 < 0.15, d0  # a closed vocabulary is not read as an open one


def test_family_names_keep_growing_with_the_population():
    pools, growth = load_pools(), load_growth()
    seen = sum(growth["family"].values())  # distinct family names in the victim lists
    draws = NameSeating(pools["family"], growth["family"], np.random.default_rng(1))
    shipped = len(pools["family"].en)
    picks = [draws() for _ in range(50_000)]
    distinct = len({draws.ident[k] for k in picks})
    # far more than the shipped table, and still growing: the second half of the draws
    # brings new names too
    assert distinct > 3 * shipped and distinct > seen
    late_new = len(
        {draws.ident[k] for k in picks[25_000:]} - {draws.ident[k] for k in picks[:25_000]}
    )
    assert late_new > 0.05 * 25_000
    # the real names keep their weight: the commonest shipped name is still common
    top = draws.ident[int(np.argmax(pools["family"].count))]
    assert sum(draws.ident[k] == top for k in picks) > 50


def test_avoid_and_made_up_names_compare_across_scripts():
    pools, growth = load_pools(), load_growth()
    draws = NameSeating(pools["given_male"], growth["given_male"], np.random.default_rng(2))
    taken = {draws.ident[draws()] for _ in range(30)}
    assert all(draws.ident[draws(taken)] not in taken for _ in range(200))
    maker = NameMaker(list(pools["family"].ar), random.Random(5))
    made = [maker.make() for _ in range(300)]
    # made-up names are new, and written in Latin letters too (the simulator's own
    # rendering: whether the linker's key agrees with it is the linker's test, not a filter)
    assert len({ar for _, ar in made}) == 300
    assert not {ar for _, ar in made} & set(pools["family"].ar)
    for en, ar in made:
        bare = en.removeprefix("al-")
        assert en.isascii() and bare[:1].isupper() and bare.replace("'", "").isalpha(), (en, ar)
    # spellings the vocabulary gives one name (sharing a Latin or an Arabic spelling) are one
    male = pools["given_male"]
    musa = [draws.ident[k] for k, a in enumerate(male.ar) if a in ("موسى", "موسي")]
    assert len(musa) == 3 and len(set(musa)) == 1  # Musa موسى, Musa موسي, Mousa موسى


def test_simulation_is_reproducible_across_processes():
    # string hashing changes per process: nothing may depend on a set's order
    import os
    import subprocess
    import sys

    code = (
        "import numpy as np, hashlib;"
        "from civcas.link.simulate import simulate_population;"
        "p = simulate_population(3000, np.random.default_rng(9));"
        "print(hashlib.sha256('|'.join(p.family_ar + p.given_en).encode()).hexdigest())"
    )
    out = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(out) == 1, out
