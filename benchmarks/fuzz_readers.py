"""Coverage-guided fuzzing of the input boundary: the readers and prepare(), under atheris.

Why: the readers are where hostile and broken files enter; the promise is that any
bytes give a record, a named rejection or a prepared document, never an exception
that stops the batch. Random inputs find the easy cases (see tests/test_properties.py);
libFuzzer's coverage guidance finds the paths random inputs never reach.

Run by hand (it is not part of the test suite)::

    pip install -e '.[fuzz]'
    python benchmarks/fuzz_readers.py --minutes 5
    python benchmarks/fuzz_readers.py --minutes 60 --corpus fuzz-corpus   # keep the corpus between runs

How an input is read: its first byte picks the format (low 7 bits modulo 6: json,
jsonl, csv, tsv, html, txt) and, through its top bit, a small 1 KiB ``--max-size``
so the size limits are exercised too; the remaining bytes are written to a file
with the format's extension in one temporary folder, read with
``readers.iter_inputs`` and every record prepared with ``ingest.prepare``. Anything
escaping, or anything yielded that is not a RawRecord, Rejection or
PreparedDocument, is a crash: libFuzzer saves the input as ``crash-<sha1>`` in the
artifacts folder (default ``fuzz-artifacts/``), this script saves a copy named with
its format, and the run exits non-zero. ``-max_len`` bounds inputs (default 4096
bytes) because the HTML path through trafilatura is slow; an input that runs longer
than ``--timeout`` seconds is reported as a hang.

At the end it prints libFuzzer's own statistics and one line of ours::

    ran N inputs in M minutes, crashes: K

Replay a saved input: ``python benchmarks/fuzz_readers.py fuzz-artifacts/crash-...``
(libFuzzer runs the files named on the command line once each).
"""

from __future__ import annotations

import argparse
import atexit
import ctypes
import ctypes.util
import hashlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["trucewatch"]):
    from trucewatch.documents.ingest import PreparedDocument, prepare
    from trucewatch.documents.readers import RawRecord, ReadOptions, Rejection, iter_inputs

FORMATS = ("json", "jsonl", "csv", "tsv", "html", "txt")
SMALL_LIMIT = 1024

# A few valid documents of each format, written here in our own words, so the fuzzer
# starts from inputs that reach past the parsers into prepare().
_SEEDS: dict[str, list[bytes]] = {
    "json": [
        b'{"text": "Delegations met in Geneva on Monday and agreed to extend the truce by a week.",'
        b' "title": "Truce extended", "published": "2021-03-08", "outlet": "Props Wire", "lang": "en"}',
        b'{"documents": [{"body": "Les deux camps ont sign\xc3\xa9 un accord de cessez-le-feu hier.",'
        b' "date": "12 janvier 2021"}, {"text": "\xd8\xa7\xd8\xaa\xd9\x81\xd8\xa7\xd9\x82 \xd9\x88\xd9\x82\xd9\x81'
        b' \xd8\xa5\xd8\xb7\xd9\x84\xd8\xa7\xd9\x82 \xd8\xa7\xd9\x84\xd9\x86\xd8\xa7\xd8\xb1"}]}',
        b'[{"content": "<p>Two shells hit the market at dawn, killing three people.</p>", "url": "https://example.org/a"}]',
    ],
    "jsonl": [
        b'{"text": "Observers reported that at least 12 people were killed near the checkpoint.", "published": "2020-06-05T10:00:00Z"}\n'
        b'{"text": "The ceasefire held overnight, officials said on Tuesday.", "source": "Desk"}\n',
        b'\xef\xbb\xbf{"headline": "Talks", "article": "Talks resume next week in Tunis.", "translated": "yes"}\n',
    ],
    "csv": [
        b'title,text,published,outlet\n"Talks resume","Negotiators returned to the table on Friday, a week after the truce.",2022-01-14,Props Wire\n'
        b'Quiet night,"No shelling was heard, residents said.",,\n',
    ],
    "tsv": [
        b"title\ttext\tdate\nShelling\tArtillery fire resumed on the southern front late on Sunday.\t2019-11-03\n",
    ],
    "html": [
        b"<!doctype html><html><head><title>Truce holds</title><meta property='og:site_name' content='Props Wire'>"
        b"<meta name='date' content='2020-10-23'></head><body><nav><a href='/'>Home</a></nav><article>"
        b"<h1>Truce holds for a third day</h1><p>GENEVA, 23 October 2020 - The two delegations signed a permanent"
        b" ceasefire agreement on Friday after five days of talks.</p><p>The agreement calls for all foreign fighters"
        b" to leave within three months, the envoy told reporters.</p></article><footer>Copyright 2020 Props Wire."
        b" All rights reserved.</footer></body></html>",
    ],
    "txt": [
        b"Truce extended\n\nTRIPOLI, Jan 12 (Props Wire) - The truce was extended by two weeks on Sunday.\n\nShare\nRead more: other news\n",
    ],
}


class Stats:
    """Our own count of executions, printed however the run ends."""

    runs = 0
    crashes = 0
    started = time.monotonic()

    @classmethod
    def report(cls) -> None:
        minutes = (time.monotonic() - cls.started) / 60
        print(f"ran {cls.runs} inputs in {minutes:.1f} minutes, crashes: {cls.crashes}", flush=True)
        for folder in _SCRATCH:
            shutil.rmtree(folder, ignore_errors=True)


_WORKDIR = Path(tempfile.mkdtemp(prefix="trucewatch-fuzz-"))
_SCRATCH = [_WORKDIR]  # removed when the run ends (a --corpus folder is kept)
_ARTIFACTS = Path("fuzz-artifacts")


def read_all(data: bytes) -> None:
    """Feed one fuzz input through the readers and prepare(); raise on a broken promise."""
    if not data:
        return
    fmt = FORMATS[(data[0] & 0x7F) % len(FORMATS)]
    options = ReadOptions(max_bytes=SMALL_LIMIT) if data[0] & 0x80 else ReadOptions()
    path = _WORKDIR / f"input.{fmt}"
    path.write_bytes(data[1:])
    for item in iter_inputs([str(path)], options):
        if isinstance(item, Rejection):
            if item.internal:  # the readers' own guard caught an exception: that is a crash
                raise RuntimeError(f"reader crash turned into a rejection: {item}")
            continue
        if not isinstance(item, RawRecord):
            raise TypeError(f"reader yielded {type(item).__name__}, not RawRecord or Rejection: {item!r}")
        prepared = prepare(item, outlet="Fuzz", fmap=options.fields)
        if not isinstance(prepared, (PreparedDocument, Rejection)):
            raise TypeError(f"prepare returned {type(prepared).__name__}: {prepared!r}")


def test_one_input(data: bytes) -> None:
    """libFuzzer's entry point: count, run, and on a crash save a named reproducer first."""
    Stats.runs += 1
    try:
        read_all(data)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        Stats.crashes += 1
        fmt = FORMATS[(data[0] & 0x7F) % len(FORMATS)] if data else "empty"
        _ARTIFACTS.mkdir(parents=True, exist_ok=True)
        saved = _ARTIFACTS / f"crash-{fmt}-{hashlib.sha1(data).hexdigest()}.bin"
        saved.write_bytes(data)
        print(f"\nCRASH on a {fmt} input ({len(data)} bytes), saved to {saved}", file=sys.stderr)
        traceback.print_exc()
        Stats.report()
        raise


_C_EXIT_HOOK = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_void_p)(lambda status, arg: Stats.report())


def _report_at_c_exit() -> None:
    """libFuzzer ends a timed run with C ``exit()``, which skips Python's atexit: hook glibc's ``on_exit`` too."""
    Stats.report = _once(Stats.report)  # type: ignore[method-assign]
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").on_exit(_C_EXIT_HOOK, None)
    except (OSError, AttributeError):  # not glibc: libFuzzer's own "Done N runs" line still says it
        pass


def _once(fn):  # noqa: ANN001, ANN202 - a tiny guard, typed by use
    done = False

    def wrapper() -> None:
        nonlocal done
        if not done:
            done = True
            fn()

    return wrapper


def _seed(corpus: Path) -> None:
    """Write the seed documents into ``corpus`` (files already there are kept)."""
    corpus.mkdir(parents=True, exist_ok=True)
    for fmt, docs in _SEEDS.items():
        for doc in docs:
            data = bytes([FORMATS.index(fmt)]) + doc
            (corpus / f"seed-{fmt}-{hashlib.sha1(data).hexdigest()[:12]}").write_bytes(data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0],
                                     epilog="Other arguments go to libFuzzer as they are (e.g. -jobs=2, or crash files to replay).")
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to fuzz (default 1)")
    parser.add_argument("--corpus", type=Path, help="corpus folder to grow and reuse (default: a temporary one)")
    parser.add_argument("--artifacts", type=Path, default=Path("fuzz-artifacts"), help="where crash reproducers go")
    parser.add_argument("--max-len", type=int, default=4096, help="largest input in bytes (default 4096)")
    parser.add_argument("--timeout", type=int, default=60, help="seconds one input may take before it counts as a hang")
    args, rest = parser.parse_known_args(argv)

    global _ARTIFACTS
    _ARTIFACTS = args.artifacts
    _ARTIFACTS.mkdir(parents=True, exist_ok=True)
    replay = [a for a in rest if not a.startswith("-")]
    libfuzzer = [sys.argv[0], f"-max_len={args.max_len}", f"-timeout={args.timeout}",
                 f"-artifact_prefix={_ARTIFACTS}{os.sep}", *rest]
    if not replay:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tempfile.mkdtemp(prefix="trucewatch-fuzz-corpus-"))
            _SCRATCH.append(corpus)
        _seed(corpus)
        libfuzzer += [f"-max_total_time={max(1, round(args.minutes * 60))}", str(corpus)]
    _report_at_c_exit()  # first: it wraps Stats.report to run once, and atexit must get the wrapped one
    atexit.register(Stats.report)
    atheris.Setup(libfuzzer, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
