"""Reading person-record lists and turning them into comparison features.

Input: CSVs with the columns ``record_id, list, name, name_ar, sex, age, date_of_death,
place`` (renamed by a mapping), optionally ``given, father, grandfather, family`` (a name
already split), ``age_group``, ``incident``. Only ``record_id`` and one of ``name`` /
``name_ar`` / ``given``+``family`` are required. Problems are collected for the whole
file and reported together, naming file, row and field.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..model.errors import ConfigError, InputError, RowProblem
from .normalise import chain_fields, name_chain, place_key, text_words

COLUMNS = ["record_id", "list", "name", "name_ar", "sex", "age", "date_of_death", "place"]
OPTIONAL = ["given", "father", "grandfather", "family", "age_group", "incident"]
_SEX = {"m": "male", "male": "male", "man": "male", "ذكر": "male", "boy": "male",
        "f": "female", "female": "female", "woman": "female", "أنثى": "female",
        "انثى": "female", "girl": "female"}  # fmt: skip
_EPOCH = date(1970, 1, 1)


def load_mapping(path: str | Path | None) -> dict[str, str]:
    """A JSON or YAML object {civcas column: column in the file}."""
    if path is None:
        return {}
    text = Path(path).read_text(encoding="utf-8")
    try:
        if str(path).endswith((".yaml", ".yml")):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:
        raise ConfigError(f"{path}: cannot read the mapping: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ConfigError(f"{path}: a mapping is an object of column names, e.g. "
                          '{"record_id": "id", "name": "full_name"}')  # fmt: skip
    unknown = sorted(set(data) - set(COLUMNS) - set(OPTIONAL))
    if unknown:
        raise ConfigError(f"{path}: unknown civcas columns {unknown}; known: {COLUMNS + OPTIONAL}")
    return {str(k): str(v) for k, v in data.items()}


def read_list(path: str | Path, mapping: dict[str, str] | None = None) -> pd.DataFrame:
    """One CSV as civcas columns (strings), refused with every problem when unusable."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems = []
        for i, line in enumerate(raw.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(
                    RowProblem(i - 1, "(line)", line[:60], f"UTF-8 text ({exc.reason})")
                )
        raise InputError("undecodable text: save the file as UTF-8", str(path), problems) from None
    import io

    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    mapping = mapping or {}
    df = df.rename(columns={v: k for k, v in mapping.items()})
    missing = [c for c in ("record_id",) if c not in df.columns]
    has_name = "name" in df.columns or "name_ar" in df.columns or "given" in df.columns
    if missing or not has_name:
        need = missing + ([] if has_name else ["name or name_ar"])
        raise InputError(
            f"missing required columns {need} (found {list(df.columns)}); "
            "rename them or pass --mapping", str(path))  # fmt: skip
    if "list" not in df.columns:
        df["list"] = path.stem
    for col in COLUMNS + OPTIONAL:
        if col not in df.columns:
            df[col] = ""
    problems: list[RowProblem] = []
    dup = df["record_id"].duplicated(keep=False)
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(RowProblem(int(i) + 2, "record_id", df["record_id"].iat[i], "a unique id"))
    for i in np.flatnonzero((df["record_id"].str.strip() == "").to_numpy()):
        problems.append(RowProblem(int(i) + 2, "record_id", "", "a non-empty id"))
    ages = pd.to_numeric(df["age"].str.strip().replace("", None), errors="coerce")
    bad_age = (df["age"].str.strip() != "") & (ages.isna() | (ages < 0) | (ages > 130))
    for i in np.flatnonzero(bad_age.to_numpy()):
        problems.append(RowProblem(int(i) + 2, "age", df["age"].iat[i], "a number of years 0-130"))
    dates = pd.to_datetime(df["date_of_death"].str.strip().replace("", None), errors="coerce",
                           format="%Y-%m-%d")  # fmt: skip
    bad_date = (df["date_of_death"].str.strip() != "") & dates.isna()
    for i in np.flatnonzero(bad_date.to_numpy()):
        problems.append(RowProblem(int(i) + 2, "date_of_death", df["date_of_death"].iat[i],
                                   "a date YYYY-MM-DD"))  # fmt: skip
    if problems:
        raise InputError(
            f"{len(problems)} bad rows", str(path), sorted(problems, key=lambda p: p.row)
        )
    return df[COLUMNS + OPTIONAL]


def read_lists(paths: Sequence[str | Path], mapping: dict[str, str] | None = None) -> pd.DataFrame:
    frames = [read_list(p, mapping) for p in paths]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    uid = df["list"].astype(str) + ":" + df["record_id"].astype(str)
    if uid.duplicated().any():
        dups = sorted(set(uid[uid.duplicated()]))[:20]
        raise InputError(f"the same list and record_id appear in two files: {dups}",
                         ", ".join(str(p) for p in paths))  # fmt: skip
    return df


def _age_group(age: float | None) -> str | None:
    if age is None or np.isnan(age):
        return None
    return "child" if age < 18 else ("elderly" if age >= 60 else "adult")


def features(df: pd.DataFrame) -> pd.DataFrame:
    """Comparison features for Splink: keys computed once per distinct value."""
    out = pd.DataFrame({"unique_id": df["list"].astype(str) + ":" + df["record_id"].astype(str)})
    out["record_id"] = df["record_id"].to_numpy()
    out["list"] = df["list"].to_numpy()
    # Work per distinct string: Arabic script preferred (name_ar, or a name in Arabic)
    name, name_ar = df["name"].fillna("").astype(str), df["name_ar"].fillna("").astype(str)
    arabic = {t: w for t in name_ar.unique() if t and (w := text_words(t))[0] == "ar"}
    ar_words = name_ar.map(arabic)
    use_ar = ar_words.notna().to_numpy()
    rest = name[~use_ar]
    words = ar_words.where(use_ar, rest.map({t: text_words(t) for t in rest.unique()}))
    codes, uniques = pd.factorize(words)
    table = np.array([chain_fields(*w) for w in uniques], dtype=object).reshape(-1, 8)
    fields = table[codes]
    for k, part in enumerate(("given", "father", "grandfather", "family")):
        out[f"{part}_sp"] = fields[:, 4 + k]
        vals = list(fields[:, k])
        if part in df.columns:  # a name already split in the file wins
            split = df[part].fillna("").to_numpy()
            if any(split):
                keyed = {v: name_chain(v).given for v in set(split) if v}
                spelt = {v: name_chain(v).spelt[0] for v in set(split) if v}
                out[f"{part}_sp"] = [spelt.get(s) for s in split]
                vals = [keyed.get(s) if s else (None if any(split) else v)
                        for s, v in zip(split, vals, strict=True)]  # fmt: skip
        out[part] = vals
    sex = df["sex"].fillna("").str.strip().str.lower().map(_SEX)
    out["sex"] = sex.where(sex.notna(), None)
    age = pd.to_numeric(df["age"].replace("", None), errors="coerce")
    out["age"] = age.astype("float64")
    groups = df["age_group"].fillna("").str.strip().str.lower().replace("", None)
    by_age = np.select([age < 18, age >= 60, age.notna()], ["child", "elderly", "adult"], "")
    out["age_group"] = groups.where(groups.notna(), pd.Series(by_age, index=groups.index))
    out["age_group"] = out["age_group"].replace("", None)
    dod = pd.to_datetime(df["date_of_death"].replace("", None), errors="coerce", format="%Y-%m-%d")
    out["dod"] = ((dod - pd.Timestamp(_EPOCH)).dt.days).astype("Int64").astype("float64")
    places = {p: place_key(p) for p in set(df["place"].fillna(""))}
    out["place"] = df["place"].fillna("").map(places)
    inc = df["incident"].fillna("").astype(str)
    out["incident"] = inc.where(inc != "", None)
    return out  # age and dod stay float (NaN = missing; DuckDB reads NaN as NULL)
