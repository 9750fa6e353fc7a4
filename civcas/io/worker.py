"""A second process for big imports: it reads and prepares rows while this one writes.

Parsing, validating, the canonical JSON and its hash and the row tuples are about half
of an import's CPU time and need no database, so for a big file a forked process runs
the reader and :meth:`IncidentWriter.prepare` and sends the prepared rows, in order,
through a pipe; this process only claims ids and writes them. All-or-nothing is
unchanged: the one transaction stays in this process, which decides everything the
writer decided before (duplicates, unchanged rows, rejects) in the same order.

Only where ``fork`` exists, with this process single-threaded (a fork copies one
thread), and for files of at least ``PARALLEL_MIN_BYTES``.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.errors import InputError

if TYPE_CHECKING:
    from ..store.writer import IncidentWriter, Prepared
    from .pipeline import Parsed

PARALLEL_MIN_BYTES = 16 << 20
BATCH = 2000
QUEUE_BATCHES = 64  # batches received ahead of the writer (128,000 rows at most)

# (row number, the Parsed row when it is bad or could not be prepared, the prepared
# rows of a good one, why prepare refused it)
Item = tuple[int, "Parsed | None", "Prepared | None", "str | None"]


def parallel_possible(path: Path) -> bool:
    """Whether a reader process would help (and is safe) for this file."""
    if os.environ.get("CIVCAS_IMPORT_WORKER", "").lower() in ("0", "no", "off"):
        return False
    try:
        big = path.is_file() and path.stat().st_size >= PARALLEL_MIN_BYTES
    except OSError:
        return False
    return (
        big
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _item(writer: IncidentWriter, parsed: Parsed) -> Item:
    if parsed.problems or parsed.incident is None:
        return (parsed.row, parsed, None, None)
    try:
        return (parsed.row, None, writer.prepare(parsed.incident), None)
    except ValueError as exc:
        return (parsed.row, parsed, None, str(exc))


def _child(
    rows: Iterator[Parsed],
    writer: IncidentWriter,
    unmapped: dict[str, dict[str, int]] | None,
    out: Connection,
) -> None:
    try:
        batch: list[Item] = []
        for parsed in rows:
            batch.append(_item(writer, parsed))
            if len(batch) >= BATCH:
                out.send(("rows", batch))
                batch = []
        out.send(("rows", batch))
        out.send(("done", unmapped))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        try:
            pickle.loads(pickle.dumps(exc))
            out.send(("error", exc))
        except Exception:  # noqa: BLE001
            out.send(("error", InputError(f"{type(exc).__name__}: {exc}")))
    finally:
        out.close()
        # leave at once: a forked child must not run the parent's exit handlers, nor
        # flush stdio whose locks another thread of the parent may have held at fork
        os._exit(0)


def prepared_in_parallel(
    rows: Iterator[Parsed],
    writer: IncidentWriter,
    unmapped: dict[str, dict[str, int]] | None,
) -> Iterator[Item]:
    """The reader's rows, prepared in a forked process, in the reader's order.

    The first row is read here, so that errors about the file itself (missing columns)
    are raised in this process exactly as without a worker. ``unmapped`` is refilled
    with the reader's notes when the worker finishes.
    """
    first = next(rows, None)
    if first is None:
        return
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(rows, writer, unmapped, send), daemon=True)
    proc.start()
    send.close()
    # A thread of this process empties the pipe into a queue while the writer writes
    # (SQLite lets go of the GIL while it works): without it the reader process
    # blocks on a full pipe whenever the writer flushes, and the two take turns
    # instead of working at the same time. The queue is bounded (memory).
    inbox: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=QUEUE_BATCHES)
    stop = threading.Event()

    def pump() -> None:
        while not stop.is_set():
            try:
                msg: tuple[str, Any] = receive.recv()
            except EOFError:
                msg = ("eof", None)
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer
                msg = ("error", exc)
            inbox.put(msg)
            if msg[0] != "rows":
                return

    thread = threading.Thread(target=pump, name="civcas-import-pump", daemon=True)
    thread.start()
    try:
        yield _item(writer, first)
        while True:
            kind, payload = inbox.get()
            if kind == "rows":
                yield from payload
            elif kind == "done":
                if unmapped is not None and payload is not None:
                    unmapped.clear()
                    unmapped.update(payload)
                return
            elif kind == "eof":
                raise InputError("the import's reader process stopped unexpectedly")
            else:
                raise payload
    finally:
        stop.set()
        if thread.is_alive():  # left early: end the reader, so that the pump sees EOF
            proc.terminate()
        while thread.is_alive():  # a pump waiting on a full queue needs room to finish
            try:
                inbox.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()
        receive.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.terminate()
            proc.join()


def prepared_here(rows: Iterator[Parsed], writer: IncidentWriter) -> Iterator[Item]:
    """The same items without a worker (small files, or where fork is not safe)."""
    for parsed in rows:
        yield _item(writer, parsed)


__all__: list[Any] = ["parallel_possible", "prepared_here", "prepared_in_parallel"]
