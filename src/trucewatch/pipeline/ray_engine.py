"""Running the per-document work on Ray: ``trucewatch process --engine ray`` and ``fuse --engine ray``.

``process``: each Ray worker is an actor that builds the stages once (the NER model, the
gazetteer, the events model) and then runs documents' jobs, as a local worker process
does. ``fuse``: workers hold the sentence-embedding model and embed the documents of the
next batch while the driver fuses this one (the embedding of a text does not depend on
its batch, so the vectors are the local engine's, bit for bit). In both, the driver (the
command) plans the work from the store and writes every result itself, so the store
stays the single source of truth and a SQLite file works as well as PostgreSQL: workers
never open the store.

A worker that dies (killed, out of memory, its node lost) is started again by Ray and
the work it held is run again; the driver receives one result per job, so no document
is stored twice. ``address`` None starts a local Ray instance with ``workers`` CPUs;
``"auto"`` or ``ray://host:10001`` joins a cluster started with ``ray start --head``,
whose nodes need trucewatch installed and the same resources (the gazetteer file).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from trucewatch.embed.encoder import DIMENSIONS
from trucewatch.errors import SystemFault

#: Environment variables a worker needs to read the same resources as the driver.
PASSED_ENV = ("TRUCEWATCH_GAZETTEER", "TRUCEWATCH_NO_EMBEDDINGS", "TRUCEWATCH_NER_TAGGER", "OPENBLAS_NUM_THREADS",
              "OMP_NUM_THREADS", "MKL_NUM_THREADS")
#: Times Ray starts a dead worker again, and runs the job it held again.
RESTARTS = 4


def _ray() -> Any:
    try:
        import ray
    except ImportError:  # an optional extra: say how to get it
        raise RuntimeError("--engine ray needs Ray: pip install 'trucewatch[ray]'") from None
    return ray


def engine_problem(engine: str, address: str | None) -> tuple[str, str] | None:
    """What is wrong with a command's ``--engine`` options, as (the option, why), or None;
    checked before the store is opened."""
    if engine not in ("local", "ray"):
        return "--engine", f"takes local or ray, got {engine!r}"
    if engine != "ray" and address is not None:
        return "--ray-address", "only with --engine ray"
    if engine == "ray":
        try:
            _ray()
        except RuntimeError as exc:
            return "--engine", str(exc)
    return None


@contextmanager
def ray_session(workers: int, address: str | None = None) -> Iterator[None]:
    """Ray for the block: joined or started here (and shut down after) unless the caller
    already has it, so ``process`` and the ``fuse`` after it share one instance."""
    ray = _ray()
    if ray.is_initialized():
        yield
        return
    env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
    options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False,
                               "runtime_env": {"env_vars": env}}
    if address is None:  # a new instance of our own, even beside a cluster this machine runs
        address, options["num_cpus"] = "local", workers
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    ray.init(address=address, **options)
    for sig, handler in handlers.items():  # Ray's own handler would end the command at once, mid-batch
        if handler is not None:
            signal.signal(sig, handler)
    try:
        yield
    finally:
        ray.shutdown()


def _failed(exc: Exception, what: str) -> SystemFault:
    reason = str(exc).strip().splitlines()
    return SystemFault(f"a Ray worker failed and was not recovered ({type(exc).__name__}: "
                       f"{reason[0] if reason else ''}); {what}")


class _Worker:
    """One Ray actor for ``process``: the stages, built once, and the jobs run on them."""

    def __init__(self, names: list[str]) -> None:
        from trucewatch.pipeline.runner import init_stages

        init_stages(names)

    def run(self, job: Any) -> tuple[str, dict[str, Any]]:
        from trucewatch.pipeline.runner import run_job

        return run_job(job)

    def pid(self) -> int:
        return os.getpid()


class _Embedder:
    """One Ray actor for ``fuse``: the sentence-embedding model, loaded once."""

    def __init__(self) -> None:
        from trucewatch.embed import embedding_status, get_encoder

        self.encoder = get_encoder()
        self.reason = embedding_status().reason

    def available(self) -> str | None:
        """None when the model is loaded, else why not."""
        return None if self.encoder is not None else self.reason

    def encode(self, texts: list[str]) -> np.ndarray:
        assert self.encoder is not None
        return self.encoder.encode(texts)

    def pid(self) -> int:
        return os.getpid()


def _actors(cls: type, role: str, workers: int, *args: Any) -> list[Any]:
    ray = _ray()
    remote = ray.remote(num_cpus=1, max_restarts=RESTARTS, max_task_retries=RESTARTS)(cls)
    # named after the driver, so a test or an operator can find (and kill) one
    return [remote.options(name=f"trucewatch-{role}-{os.getpid()}-{n}", namespace="trucewatch").remote(*args)
            for n in range(workers)]


def _kill(actors: list[Any]) -> None:
    ray = _ray()
    if ray.is_initialized():
        for actor in actors:
            ray.kill(actor, no_restart=True)


class RayPool:
    """``workers`` stage actors; :meth:`map` sends jobs and yields their results in order."""

    def __init__(self, names: list[str], workers: int, address: str | None = None) -> None:
        self._session = ray_session(workers, address)
        self._session.__enter__()
        self.actors = _actors(_Worker, "worker", workers, names)
        self._sent: list[Any] = []  # futures not yet collected, cancelled by a stop

    def map(self, jobs: Iterable[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each job's result, in order; a SystemFault when Ray gives up on a worker (it died
        more than RESTARTS times, or the cluster is gone): what was stored before stays."""
        # every job is sent at once, in turn to each worker, whose queue runs while the
        # driver stores what came back (one in flight per worker left them idle meanwhile)
        futures = [self.actors[n % len(self.actors)].run.remote(job) for n, job in enumerate(jobs)]
        self._sent += futures
        return self._results(futures)

    def _results(self, futures: list[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        ray = _ray()
        for future in futures:
            try:
                result = ray.get(future)
                self._sent.remove(future)  # at most two chunks' futures: a short list
                yield result
            except ray.exceptions.RayError as exc:
                raise _failed(exc, "the documents done before are stored; run process again") from exc

    def shutdown(self) -> None:
        ray = _ray()
        if ray.is_initialized():
            for future in self._sent:  # a stop: the jobs still queued are not run (nor retried)
                ray.cancel(future)
        self._sent = []
        _kill(self.actors)
        self.actors = []
        self._session.__exit__(None, None, None)


@contextmanager
def fuse_encoder(workers: int) -> Iterator[RayEncoder | None]:
    """For ``fuse --engine ray`` (inside :func:`ray_session`): the encoder on the workers, or
    None when they have no model (embeddings turned off or not installed), in which case
    fusion is lexical, as the local engine's would be."""
    encoder = RayEncoder(workers)
    try:
        yield encoder if encoder.reason is None else None
    finally:
        encoder.shutdown()


class RayEncoder:
    """The sentence encoder's ``encode`` on Ray actors, with :meth:`prefetch` to start on a
    batch before it is asked for. A batch is embedded whole, by one worker, exactly as the
    local engine embeds it: the model pads a batch to its longest text, so splitting it
    would change the last bits of some vectors. Use inside :func:`ray_session`; ``reason``
    is None when the workers hold the model, else why they do not."""

    def __init__(self, workers: int) -> None:
        ray = _ray()
        self.actors = _actors(_Embedder, "embedder", workers)
        missing = [why for why in ray.get([a.available.remote() for a in self.actors]) if why]
        self.reason: str | None = missing[0] if missing else None
        self._ahead: dict[tuple[str, ...], Any] = {}  # the texts of a batch -> its future
        self._turn = 0
        self.hits = self.misses = 0  # batches found prefetched, and not

    def _send(self, texts: tuple[str, ...]) -> Any:
        actor = self.actors[self._turn % len(self.actors)]
        self._turn += 1
        return actor.encode.remote(list(texts))

    def prefetch(self, texts: Sequence[str]) -> None:
        """Start embedding the batch ``texts`` now; :meth:`encode` of the same texts, in the
        same order, collects it. Only the last two batches sent are kept."""
        key = tuple(texts)
        if key and key not in self._ahead:
            self._ahead[key] = self._send(key)
            while len(self._ahead) > 2:
                self._ahead.pop(next(iter(self._ahead)))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        ray = _ray()
        key = tuple(texts)
        if not key:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        future = self._ahead.pop(key, None)
        self.hits += future is not None
        self.misses += future is None
        try:
            return np.asarray(ray.get(future if future is not None else self._send(key)), dtype=np.float32)
        except ray.exceptions.RayError as exc:
            raise _failed(exc, "the batches fused before are stored; run fuse again") from exc

    def shutdown(self) -> None:
        _kill(self.actors)
        self.actors = []
        self._ahead.clear()
