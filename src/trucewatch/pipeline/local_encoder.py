"""Fuse's sentence encoder on forked worker processes: the local engine's ``--workers``.

Fuse places documents in stories one batch at a time in this process, and embedding each
batch's titles and ledes is half of its time. With ``--workers N`` the next N batches are
embedded in N worker processes while this one places the current batch, as
:class:`trucewatch.pipeline.ray_engine.RayEncoder` does on Ray. A batch is embedded whole
by one worker, exactly as this process would embed it, so the vectors are the same.
The workers fork after the encoder is loaded here and share its weights' pages.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

import numpy as np

from trucewatch.embed.encoder import DIMENSIONS, embedding_status, get_encoder
from trucewatch.pipeline.lifetime import init_worker_lifetime


def _init_worker(parent_pid: int) -> None:
    init_worker_lifetime(parent_pid)  # a worker must not outlive the command


def _encode(texts: list[str]) -> np.ndarray:
    encoder = get_encoder()  # the parent's, inherited by fork (loaded again only under spawn)
    if encoder is None:
        raise RuntimeError(f"no sentence encoder in the worker: {embedding_status().reason}")
    return encoder.encode(texts)


class LocalEncoder:
    """``encode`` on a pool of forked processes, with :meth:`prefetch` to start on a batch
    before it is asked for. ``ahead``: how many batches fuse should send ahead (one per
    worker keeps them all busy)."""

    def __init__(self, workers: int) -> None:
        context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
        self.ahead = workers
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                         initargs=(os.getpid(),))
        self._sent: dict[tuple[str, ...], Future[np.ndarray]] = {}
        self.hits = self.misses = 0  # batches found prefetched, and not

    def prefetch(self, texts: Sequence[str]) -> None:
        """Start embedding the batch ``texts`` now; :meth:`encode` of the same texts, in the
        same order, collects it. At most ``ahead + 1`` batches are kept."""
        key = tuple(texts)
        if key and key not in self._sent:
            self._sent[key] = self._pool.submit(_encode, list(key))
            while len(self._sent) > self.ahead + 1:
                self._sent.pop(next(iter(self._sent))).cancel()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        key = tuple(texts)
        if not key:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        future = self._sent.pop(key, None)
        self.hits += future is not None
        self.misses += future is None
        return np.asarray((future or self._pool.submit(_encode, list(key))).result(), dtype=np.float32)

    def shutdown(self) -> None:
        self._sent.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def fuse_encoder(workers: int) -> Iterator[LocalEncoder | None]:
    """For fuse with ``--workers N > 1`` on the local engine: the encoder on N forked
    workers, or None when this process has no encoder (embeddings turned off or not
    installed: fusion is then lexical, as it would be in one process)."""
    if get_encoder() is None:  # loaded here first, so the workers share it
        yield None
        return
    encoder = LocalEncoder(workers)
    try:
        yield encoder
    finally:
        encoder.shutdown()
