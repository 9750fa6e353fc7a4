"""The kinds of task, what an item of each shows, and how an answer is checked.

Every answer is normalised to a small dict with a ``label`` (what Dawid–Skene counts)
and, where the kind has them, a ``number`` (civilians killed) or a point (``lat``,
``lon``). The stored answer is that dict, so exports and consensus read one shape.

- ``report``: read a report or draft claim. ``"yes"``/``"no"`` (are civilians reported
  killed?) or ``{"civilians": "yes", "killed": 4, "date": "2017-06-03", "place": "..."}``.
- ``locate``: put an incident's place on the map, ``{"lat": .., "lon": ..}``, or choose
  one of the item's gazetteer candidates, ``{"candidate": "ID"}``, or ``"unknown"``.
- ``same-person``: two victim records: ``"yes"`` or ``"no"``.
- ``image``: a series of frames: the frame in which the change is first seen,
  ``{"frame": "ID"}`` (or the id alone), or ``"none"`` when no frame shows it.

Item fields are an allowlist of plain JSON values; a field that names a protected field
(``civcas.workflow.protected``: witness identities, contacts, interview notes...) is
refused wherever an item comes from, so such a value can never reach a volunteer.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from ..model.errors import InputError

KINDS: tuple[str, ...] = ("report", "locate", "same-person", "image")
YES_NO = ("yes", "no")
MAX_FIELDS_BYTES = 64 * 1024
MAX_TEXT = 20_000
MAX_KILLED = 100_000

#: the question each kind asks (i18n key; a campaign may set its own text)
QUESTION_KEYS: dict[str, str] = {
    "report": "task_q_report",
    "locate": "task_q_locate",
    "same-person": "task_q_same_person",
    "image": "task_q_image",
}


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InputError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
    return kind


def _protected_names() -> set[str]:
    from ..workflow.protected import PROTECTED

    names = {f for per_kind in PROTECTED.values() for f in per_kind}
    return names | {"witness", "contact", "interviewer", "notes"}


def check_fields(fields: dict[str, Any], where: str = "item") -> dict[str, Any]:
    """Plain JSON under a size cap, with no field (at any depth) named like a protected
    one: a volunteer must never be shown a witness's identity or a staff member's name."""
    banned = _protected_names()

    def walk(v: Any, path: str) -> None:
        if isinstance(v, dict):
            for k, sub in v.items():
                key = str(k).lower()
                if key in banned or key.startswith("witness"):
                    raise InputError(
                        f"{where}: field {path + str(k)!r} is a protected field"
                        " (civcas.workflow.protected); it is never shown to volunteers"
                    )
                walk(sub, f"{path}{k}.")
        elif isinstance(v, list):
            for x in v:
                walk(x, path)
        elif v is not None and not isinstance(v, str | int | float | bool):
            raise InputError(f"{where}: field {path!r} holds {type(v).__name__}, not JSON")

    walk(fields, "")
    text = json.dumps(fields, ensure_ascii=False, default=str)
    if len(text.encode("utf-8")) > MAX_FIELDS_BYTES:
        raise InputError(f"{where}: fields over {MAX_FIELDS_BYTES} bytes")
    return fields


def _yes_no(v: Any, what: str) -> str:
    s = str(v).strip().lower() if isinstance(v, str | bool) else None
    if isinstance(v, bool):
        s = "yes" if v else "no"
    if s not in YES_NO:
        raise InputError(f'{what}: expected "yes" or "no", got {v!r}')
    return s


def _int(v: Any, what: str, hi: int) -> int:
    if isinstance(v, bool) or v is None:
        raise InputError(f"{what}: expected a whole number, got {v!r}")
    try:
        n = int(str(v).strip()) if not isinstance(v, int) else v
    except ValueError:
        raise InputError(f"{what}: expected a whole number, got {v!r}") from None
    if not 0 <= n <= hi:
        raise InputError(f"{what}: expected 0 to {hi}, got {n}")
    return n


def _coord(v: Any, what: str, lim: float) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{what}: expected a number, got {v!r}") from None
    if not math.isfinite(x) or not -lim <= x <= lim:
        raise InputError(f"{what}: expected -{lim:g} to {lim:g}, got {v!r}")
    return round(x, 6)


def _report(answer: Any) -> dict[str, Any]:
    if not isinstance(answer, dict):
        return {"label": _yes_no(answer, "answer")}
    extra = set(answer) - {"civilians", "killed", "date", "place"}
    if extra:
        raise InputError(f"answer: unknown field(s) {', '.join(sorted(map(str, extra)))}")
    out: dict[str, Any] = {"label": _yes_no(answer.get("civilians"), "answer.civilians")}
    if answer.get("killed") not in (None, ""):
        out["number"] = _int(answer["killed"], "answer.killed", MAX_KILLED)
        if out["label"] == "no" and out["number"]:
            raise InputError("answer: civilians 'no' with a number killed above 0")
    if answer.get("date"):
        try:
            out["date"] = dt.date.fromisoformat(str(answer["date"])).isoformat()
        except ValueError:
            raise InputError(f"answer.date: expected YYYY-MM-DD, got {answer['date']!r}") from None
    if answer.get("place"):
        out["place"] = str(answer["place"]).strip()[:200]
    return out


def _ids(fields: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    out = {}
    for x in fields.get(key) or []:
        if isinstance(x, dict) and "id" in x:
            out[str(x["id"])] = x
    return out


def _locate(answer: Any, fields: dict[str, Any]) -> dict[str, Any]:
    if isinstance(answer, str) and answer.strip().lower() == "unknown":
        return {"label": "unknown"}
    if not isinstance(answer, dict):
        raise InputError('answer: expected {"lat", "lon"}, {"candidate"} or "unknown"')
    if "candidate" in answer:
        cands = _ids(fields, "candidates")
        cid = str(answer["candidate"])
        if cid not in cands:
            raise InputError(f"answer.candidate: {cid!r} is not one of this item's candidates")
        out: dict[str, Any] = {"label": cid}
        c = cands[cid]
        if c.get("lat") is not None and c.get("lon") is not None:
            out["lat"], out["lon"] = float(c["lat"]), float(c["lon"])
        return out
    lat = _coord(answer.get("lat"), "answer.lat", 90)
    lon = _coord(answer.get("lon"), "answer.lon", 180)
    return {"label": "point", "lat": lat, "lon": lon}


def _image(answer: Any, fields: dict[str, Any]) -> dict[str, Any]:
    if isinstance(answer, str) and answer.strip().lower() == "none":
        return {"label": "none"}
    frame = answer.get("frame") if isinstance(answer, dict) else answer
    frames = _ids(fields, "frames")
    fid = str(frame).strip() if frame is not None else ""
    if fid not in frames:
        raise InputError(f"answer: frame {frame!r} is not one of this item's frames, or 'none'")
    return {"label": fid}


def normalise(kind: str, answer: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """The answer checked against the kind and the item; InputError names what is wrong."""
    check_kind(kind)
    if kind == "same-person":
        return {"label": _yes_no(answer, "answer")}
    if kind == "report":
        return _report(answer)
    if kind == "locate":
        return _locate(answer, fields)
    return _image(answer, fields)


def parse_gold(kind: str, text: str, fields: dict[str, Any]) -> dict[str, Any] | None:
    """A CSV ``gold`` cell: JSON (``{"lat": .., "lon": ..}``), ``lat,lon`` for locate, or
    a plain answer (``yes``, a frame id); empty means no gold."""
    text = (text or "").strip()
    if not text:
        return None
    value: Any = text
    if text[:1] in "{[":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"gold: not valid JSON ({exc.msg})") from None
    elif kind == "locate" and "," in text:
        lat, _, lon = text.partition(",")
        value = {"lat": lat.strip(), "lon": lon.strip()}
    return normalise(kind, value, fields)


__all__ = ["KINDS", "QUESTION_KEYS", "check_fields", "check_kind", "normalise", "parse_gold"]
