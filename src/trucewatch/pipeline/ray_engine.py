"""Running the per-document stages on Ray: ``trucewatch process --engine ray``.

Each Ray worker is an actor that builds the stages once (the NER model, the gazetteer,
the events model) and then runs documents' jobs, as a local worker process does. The
driver (the ``process`` command) plans the jobs from the store and writes every result
itself, a document at a time, so the store stays the single source of truth and a
SQLite file works as well as PostgreSQL: workers never open the store.

A worker that dies (killed, out of memory, its node lost) is started again by Ray and
the job it held is run again; the driver receives one result per job, so no document is
stored twice. ``address`` None starts a local Ray instance with the machine's CPUs (or
``workers`` of them); ``"auto"`` or ``ray://host:10001`` joins a cluster started with
``ray start --head``, whose nodes need trucewatch installed and the same resources.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from trucewatch.errors import SystemFault

#: Environment variables a worker needs to read the same resources as the driver.
PASSED_ENV = ("TRUCEWATCH_GAZETTEER", "TRUCEWATCH_NO_EMBEDDINGS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
              "MKL_NUM_THREADS")
#: Times Ray starts a dead worker again, and runs the job it held again.
RESTARTS = 4


def _ray() -> Any:
    try:
        import ray
    except ImportError:  # an optional extra: say how to get it
        raise RuntimeError("--engine ray needs Ray: pip install 'trucewatch[ray]'") from None
    return ray


def check_ray() -> None:
    """RuntimeError saying how to install Ray when it is missing (before the store is opened)."""
    _ray()


class _Worker:
    """One Ray actor: the stages, built once, and the jobs run on them."""

    def __init__(self, names: list[str]) -> None:
        from trucewatch.pipeline.runner import init_stages

        init_stages(names)

    def run(self, job: Any) -> tuple[str, dict[str, Any]]:
        from trucewatch.pipeline.runner import run_job

        return run_job(job)

    def pid(self) -> int:
        return os.getpid()


class RayPool:
    """``workers`` actors on a Ray instance; :meth:`map` sends jobs and yields their results
    in the jobs' order."""

    def __init__(self, names: list[str], workers: int, address: str | None = None) -> None:
        ray = _ray()
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                       "configure_logging": False, "runtime_env": {"env_vars": env}}
            if address is None:
                options["num_cpus"] = workers
            ray.init(address=address, **options)
        remote = ray.remote(num_cpus=1, max_restarts=RESTARTS, max_task_retries=RESTARTS)(_Worker)
        # named after the driver, so a test or an operator can find (and kill) one
        self.actors = [remote.options(name=f"trucewatch-worker-{os.getpid()}-{n}", namespace="trucewatch"
                                      ).remote(names) for n in range(workers)]

    def map(self, jobs: Iterable[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each job's result, in order; a SystemFault when Ray gives up on a worker (it died
        more than RESTARTS times, or the cluster is gone): what was stored before stays."""
        # every job is sent at once, in turn to each worker, whose queue runs while the
        # driver stores what came back (one in flight per worker left them idle meanwhile)
        futures = [self.actors[n % len(self.actors)].run.remote(job) for n, job in enumerate(jobs)]
        return self._results(futures)

    def _results(self, futures: list[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        for future in futures:
            try:
                yield self._ray.get(future)
            except self._ray.exceptions.RayError as exc:
                reason = str(exc).strip().splitlines()
                raise SystemFault(f"a Ray worker failed and was not recovered ({type(exc).__name__}: "
                                  f"{reason[0] if reason else ''}); the documents done before are stored; "
                                  "run process again") from exc

    def shutdown(self) -> None:
        for actor in self.actors:
            self._ray.kill(actor, no_restart=True)
        self.actors = []
        if self._started:
            self._ray.shutdown()
