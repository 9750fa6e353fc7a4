"""Reading person-record lists and turning them into comparison features.

Input: CSVs with the columns ``record_id, list, name, name_ar, sex, age, date_of_death,
place`` (renamed by a mapping), optionally ``given, father, grandfather, family`` (a name
already split), ``age_group``, ``incident``. Only a name is required (``name``,
``name_ar`` or ``given``); ``record_id`` defaults to the row number. Messy ages, dates
and sexes are parsed or blanked and reported by value (clean.py), or with ``strict``
refused; problems are collected for the whole file and reported together, naming file,
row and field.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.errors import ConfigError, InputError, RowProblem
from .clean import parse_age, parse_date, parse_sex
from .normalise import ChainFields, name_chain, place_key, texts_fields
from .placeholders import PREFILTER, classify

COLUMNS = ["record_id", "list", "name", "name_ar", "sex", "age", "date_of_death", "place"]
OPTIONAL = ["given", "father", "grandfather", "family", "age_group", "incident", "id_number"]
_SEX = {"m": "male", "male": "male", "man": "male", "ذكر": "male", "boy": "male",
        "f": "female", "female": "female", "woman": "female", "أنثى": "female",
        "انثى": "female", "girl": "female"}  # fmt: skip
_EPOCH = date(1970, 1, 1)


def read_json_or_yaml(path: str | Path, what: str) -> Any:
    """A user's JSON or YAML file (by its extension); ConfigError naming it when unreadable."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        if str(path).endswith((".yaml", ".yml")):
            import yaml

            return yaml.safe_load(text)
        return json.loads(text)
    except Exception as exc:
        raise ConfigError(f"{path}: cannot read the {what}: {exc}") from exc


def load_mapping(path: str | Path | None) -> dict[str, str]:
    """A JSON or YAML object {civcas column: column in the file}."""
    if path is None:
        return {}
    data = read_json_or_yaml(path, "mapping")
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ConfigError(f"{path}: a mapping is an object of column names, e.g. "
                          '{"record_id": "id", "name": "full_name"}')  # fmt: skip
    unknown = sorted(set(data) - set(COLUMNS) - set(OPTIONAL))
    if unknown:
        raise ConfigError(f"{path}: unknown civcas columns {unknown}; known: {COLUMNS + OPTIONAL}")
    return {str(k): str(v) for k, v in data.items()}


def by_value(col: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn`` (element by element) of each row of ``col``, computed on its distinct values
    only: a million rows hold a few hundred ages and a few thousand dates."""
    codes, values = pd.factorize(col, use_na_sentinel=False)
    return pd.Series(fn(pd.Series(values, dtype=col.dtype)).to_numpy()[codes], index=col.index)


def read_list(
    path: str | Path,
    mapping: dict[str, str] | None = None,
    originals: list[pd.DataFrame] | None = None,
    *,
    strict: bool = False,
) -> pd.DataFrame:
    """One CSV as civcas columns (strings), refused with every problem when unusable.
    ``originals``: the file's own columns, as read, are appended to it (for output that
    keeps every input column without reading the file twice)."""
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

    from ..io.csvsafe import unescape_frame

    # a link output civcas wrote carries formula-safe cells: read back what they held
    as_read = unescape_frame(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))
    mapping = mapping or {}
    df = as_read.rename(columns={v: k for k, v in mapping.items()})
    has_name = "name" in df.columns or "name_ar" in df.columns or "given" in df.columns
    if not has_name:
        raise InputError(
            f"no name column: need name or name_ar (found {list(df.columns)}); "
            "rename them or pass --mapping", str(path))  # fmt: skip
    if "record_id" not in df.columns:  # the row number in the file (the header is row 1)
        df["record_id"] = [str(i + 2) for i in range(len(df))]
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

    cleaned = _clean_fields(df, str(path), problems, strict=strict)
    if problems:
        raise InputError(
            f"{len(problems)} bad rows", str(path), sorted(problems, key=lambda p: p.row)
        )
    if originals is not None:
        originals.append(as_read)
    out = df[COLUMNS + OPTIONAL].copy()
    out.attrs["cleaning"] = cleaned
    return out


def _clean_fields(
    df: pd.DataFrame, source: str, problems: list[RowProblem], *, strict: bool
) -> list[dict[str, object]]:
    """Ages, dates and sexes parsed in place (clean.py), by distinct value; what changed
    is returned, one entry per (field, value), with how many rows and the first row.
    ``strict``: every changed value is a problem instead (the file is refused)."""
    report: list[dict[str, object]] = []
    fields: list[tuple[str, Callable[[str], tuple[str, str]], tuple[str, ...]]] = [
        ("age", _age_cell, ("number", "empty")),
        ("date_of_death", lambda v: _none_str(parse_date(v)), ("date", "empty")),
        ("sex", _sex_cell, ("sex", "empty")),
    ]
    for col, fn, unchanged in fields:
        codes, values = pd.factorize(df[col].fillna("").astype(str), use_na_sentinel=False)
        results = [fn(v) for v in values]
        changed = [k for k, (_, how) in enumerate(results) if how not in unchanged]
        if not changed:
            continue
        first = np.full(len(values), -1)
        counts = np.bincount(codes, minlength=len(values))
        order = np.argsort(codes, kind="stable")
        starts = np.searchsorted(codes[order], np.arange(len(values)))
        first[counts > 0] = order[starts[counts > 0]]
        for k in changed:
            value, how = results[k]
            row = int(first[k]) + 2
            if strict:
                rows = np.flatnonzero(codes == k)
                problems.extend(
                    RowProblem(int(i) + 2, col, values[k], _EXPECTED[col]) for i in rows
                )
                continue
            report.append({"file": source, "field": col, "value": str(values[k]),
                           "read_as": value, "how": how, "rows": int(counts[k]),
                           "first_row": row})  # fmt: skip
        if not strict:
            df[col] = np.array([v for v, _ in results], dtype=object)[codes]
    return report


_EXPECTED = {"age": "a number of years 0-130 (without --strict: parsed or blanked)",
             "date_of_death": "a date YYYY-MM-DD", "sex": "m/f, male/female, ذكر/أنثى"}  # fmt: skip


def _none_str(got: tuple[str | None, str]) -> tuple[str, str]:
    return (got[0] or "", got[1])


def _age_cell(v: str) -> tuple[str, str]:
    p = parse_age(v)
    if p.years is None:
        return "", p.how
    return (v.strip() if p.how == "number" else f"{p.years:g}"), p.how


def _sex_cell(v: str) -> tuple[str, str]:
    if not v.strip():
        return "", "empty"
    got = parse_sex(v)
    return (v, "sex") if got else ("", "blank: not a sex")


def cleaning_summary(report: list[dict[str, object]], top: int = 12) -> list[str]:
    """Lines for a person: per file and field, how many rows were changed, then the
    commonest values with what they were read as."""
    lines = []
    by: dict[tuple[object, object], list[dict[str, object]]] = {}
    for r in report:
        by.setdefault((r["file"], r["field"]), []).append(r)
    for (file, col), rs in by.items():
        n = sum(int(str(r["rows"])) for r in rs)
        lines.append(f"{file}: {col}: {n} rows read with changes ({len(rs)} distinct values)")
        for r in sorted(rs, key=lambda r: -int(str(r["rows"])))[:top]:
            how = str(r["how"]).removeprefix("blank: ")
            shown = repr(r["read_as"]) if r["read_as"] != "" else "blank"
            lines.append(f"  {r['value']!r} -> {shown} ({how}; {r['rows']} rows, "
                         f"first row {r['first_row']})")  # fmt: skip
    return lines


def read_lists(
    paths: Sequence[str | Path],
    mapping: dict[str, str] | None = None,
    originals: list[pd.DataFrame] | None = None,
    *,
    strict: bool = False,
) -> pd.DataFrame:
    """The lists as one frame; ``df.attrs["cleaning"]``: what the reader changed (ages,
    dates, sexes it parsed or blanked, by value). ``strict``: refuse instead."""
    frames = [read_list(p, mapping, originals, strict=strict) for p in paths]
    cleaning = [r for f in frames for r in f.attrs.get("cleaning", [])]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    df.attrs["cleaning"] = cleaning
    uid = df["list"].astype(str) + ":" + df["record_id"].astype(str)
    if uid.duplicated().any():
        dups = sorted(set(uid[uid.duplicated()]))[:20]
        raise InputError(f"the same list and record_id appear in two files: {dups}",
                         ", ".join(str(p) for p in paths))  # fmt: skip
    return df


# From this many distinct name strings (in name_ar, or in name) on, features() reads half
# of them in a second process: at a million records the names are most of its time and
# one core of two sat idle.
PARALLEL_MIN = 100_000
_SERVE = "from civcas.link.records import serve_texts_fields; serve_texts_fields()"


def serve_texts_fields() -> None:
    """The helper process's loop: pickled lists of strings in on stdin, their
    normalise.texts_fields out on stdout, until stdin closes."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    while True:
        try:
            texts = pickle.load(inp)
        except EOFError:
            return
        pickle.dump(texts_fields(texts), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


class _Helper:
    """A second Python process running normalise.texts_fields on the strings it is sent,
    started when first needed. A plain subprocess, not multiprocessing: fork can deadlock
    with DuckDB's threads alive, and spawn re-runs the calling script in the child when it
    has no ``if __name__ == "__main__"`` guard."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def send(self, texts: list[str]) -> None:
        if self.proc is None:
            root = str(Path(__file__).resolve().parents[2])  # civcas importable as here
            path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
            env = {**os.environ, "PYTHONPATH": path}
            pipe = subprocess.PIPE
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _SERVE], stdin=pipe, stdout=pipe, env=env
            )
        assert self.proc.stdin is not None
        pickle.dump(texts, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.flush()

    def receive(self) -> tuple[bytes, list[ChainFields]]:
        assert self.proc is not None and self.proc.stdout is not None
        try:
            got: tuple[bytes, list[ChainFields]] = pickle.load(self.proc.stdout)
        except EOFError:
            raise RuntimeError("the name worker process stopped (its error is above)") from None
        return got

    def __enter__(self) -> _Helper:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if self.proc is None:
            return
        if exc_type is not None:
            self.proc.kill()
        elif self.proc.stdin is not None:
            self.proc.stdin.close()  # the worker's loop ends
        self.proc.wait()


def _fields_table(texts: np.ndarray, helper: _Helper) -> tuple[np.ndarray, np.ndarray]:
    """normalise.texts_fields of distinct strings: (is Arabic, chain fields (n, 8)); half
    of them in the helper process when they are many."""
    if len(texts) < PARALLEL_MIN:
        parts = [texts_fields(texts.tolist())]
    else:
        half = len(texts) // 2
        helper.send(texts[half:].tolist())
        parts = [texts_fields(texts[:half].tolist()), helper.receive()]
    scripts = np.frombuffer(b"".join(p[0] for p in parts), dtype=np.uint8)
    rows = [f for p in parts for f in p[1]]
    return scripts == ord("a"), np.array(rows, dtype=object).reshape(-1, 8)


def _name_fields(df: pd.DataFrame) -> np.ndarray:
    """Each record's chain fields (n, 8): of name_ar when it is Arabic script that yields
    words, else of name; computed once per distinct string.

    An Arabic name of one or two parts gives way to a longer Latin one: press lists
    write the Arabic as they found it (سارة; لمى شاهين; a kunya) beside a full English
    chain (Sareen Naaman Suleiman Haboush), and a register's four-part chain has nothing
    to align with a given name alone."""
    name, name_ar = df["name"].fillna("").astype(str), df["name_ar"].fillna("").astype(str)
    with _Helper() as helper:
        ar_codes, ar_texts = pd.factorize(name_ar.to_numpy())
        ar_is, ar_table = _fields_table(ar_texts, helper)
        use_ar = ar_is[ar_codes]
        ar_parts = _parts(ar_table)[ar_codes]
        maybe = ~use_ar | (ar_parts <= 2)
        la_codes, la_texts = pd.factorize(name.to_numpy()[maybe])
        _, la_table = _fields_table(la_texts, helper)
    latin = ~use_ar[maybe] | (_parts(la_table)[la_codes] > ar_parts[maybe])
    codes = ar_codes.astype(np.intp)
    at = np.flatnonzero(maybe)[latin]
    codes[at] = len(ar_table) + la_codes[latin]
    return np.concatenate([ar_table, la_table])[codes]


def _parts(table: np.ndarray) -> np.ndarray:
    """How many of given, father, grandfather, family each row of a fields table has."""
    return (table[:, :4] != None).sum(axis=1)  # noqa: E711 (object array: elementwise)


def base_features(df: pd.DataFrame) -> pd.DataFrame:
    """The features that are not names: ids, sex, age, age group, date, place, incident
    (all the generic Splink baseline uses)."""
    out = pd.DataFrame({"unique_id": df["list"].astype(str) + ":" + df["record_id"].astype(str)})
    out["record_id"] = df["record_id"].to_numpy()
    out["list"] = df["list"].to_numpy()
    sex = by_value(df["sex"], lambda v: v.fillna("").str.strip().str.lower().map(_SEX))
    out["sex"] = sex.where(sex.notna(), None)
    age = by_value(df["age"], lambda v: pd.to_numeric(v.replace("", None), errors="coerce"))
    out["age"] = age.astype("float64")
    groups = by_value(
        df["age_group"], lambda v: v.fillna("").str.strip().str.lower().replace("", None)
    )
    by_age = np.select([age < 18, age >= 60, age.notna()], ["child", "elderly", "adult"], "")
    out["age_group"] = groups.where(groups.notna(), pd.Series(by_age, index=groups.index))
    out["age_group"] = out["age_group"].replace("", None)

    def days(v: pd.Series) -> pd.Series:
        dod = pd.to_datetime(v.replace("", None), errors="coerce", format="%Y-%m-%d")
        return ((dod - pd.Timestamp(_EPOCH)).dt.days).astype("Int64").astype("float64")

    out["dod"] = by_value(df["date_of_death"], days)
    places = {p: place_key(p) for p in set(df["place"].fillna(""))}
    out["place"] = df["place"].fillna("").map(places)
    inc = df["incident"].fillna("").astype(str)
    out["incident"] = inc.where(inc != "", None)
    ids = df["id_number"].fillna("").astype(str).str.strip() if "id_number" in df else None
    out["id_number"] = None if ids is None else ids.where(ids != "", None)
    return out  # age and dod stay float (NaN = missing; DuckDB reads NaN as NULL)


def placeholder_names(df: pd.DataFrame) -> np.ndarray:
    """Per record: is its name a placeholder or a relational name (placeholders.py).
    The same decision as placeholders.classify, computed once per distinct name and
    only for the names a quick keyword filter lets through (a million records: a few
    thousand calls)."""
    name = df["name"].fillna("").astype(str)
    name_ar = df["name_ar"].fillna("").astype(str)

    def flags(col: pd.Series, fn: Callable[[str], bool]) -> np.ndarray:
        codes, uniq = pd.factorize(col)
        values = pd.Series(uniq, dtype=object)
        try:  # RE2 in C++ over the whole column (pyarrow, installed with Splink)
            maybe = values.astype("string[pyarrow]").str.contains(PREFILTER, regex=True)
            maybe = maybe.fillna(False).to_numpy(dtype=bool)
        except (ImportError, ValueError, TypeError):
            maybe = values.str.contains(PREFILTER, regex=True).to_numpy(dtype=bool)
        out = np.zeros(len(values), dtype=bool)
        for k in np.flatnonzero(maybe):
            out[k] = fn(values.iat[k])
        return out[codes] if len(codes) else np.zeros(0, dtype=bool)

    latin = name.str.contains(r"[^\W\d_]", regex=True).to_numpy(dtype=bool)
    by_name = flags(name, lambda v: classify(v).placeholder)
    by_ar = flags(name_ar, lambda v: classify("", v).placeholder)
    return np.where(latin, by_name, by_ar)


def features(df: pd.DataFrame) -> pd.DataFrame:
    """Comparison features for Splink: keys computed once per distinct value."""
    out = base_features(df)
    fields = _name_fields(df)
    placeholder = placeholder_names(df)
    fields[placeholder] = None  # never linked on the name (placeholders.py)
    for k, part in enumerate(("given", "father", "grandfather", "family")):
        spelt = fields[:, 4 + k]
        vals = list(fields[:, k])
        if part in df.columns:  # a name already split in the file wins
            split = df[part].fillna("").to_numpy()
            if any(split):
                keyed = {v: name_chain(v).given for v in set(split) if v}
                spelts = {v: name_chain(v).spelt[0] for v in set(split) if v}
                spelt = [spelts.get(s) for s in split]
                vals = [keyed.get(s) if s else (None if any(split) else v)
                        for s, v in zip(split, vals, strict=True)]  # fmt: skip
                spelt = np.where(placeholder, None, np.array(spelt, dtype=object)).tolist()
                vals = np.where(placeholder, None, np.array(vals, dtype=object)).tolist()
        out.insert(3 + 2 * k, f"{part}_sp", spelt)
        out.insert(4 + 2 * k, part, vals)
    return out  # age and dod stay float (NaN = missing; DuckDB reads NaN as NULL)
