"""``trucewatch serve --workers 2``: the real command, two worker processes on one 127.0.0.1
port, each with its own store connection, one session secret and its share of the rate."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import Any

import httpx

from tests.test_api_incidents import OTHERS, PORT
from trucewatch.api import access
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def test_two_workers_answer_on_one_port(store: Any, db_url: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    write_documents(store, PORT + OTHERS)
    fuse(store)
    access.add_user(store, "desk", "viewer")
    token = access.create_token(store, "desk")
    port = _port()
    env = {**os.environ, "TRUCEWATCH_NO_EMBEDDINGS": "1"}
    env.pop("TRUCEWATCH_SESSION_SECRET", None)
    proc = subprocess.Popen([sys.executable, "-c", "from trucewatch.cli import main; main()", "serve", "--db", db_url,
                             "--port", str(port), "--workers", "2", "--rate-limit", "4"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "serve exited"
            try:
                if httpx.get(base + "/api/v1/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve --workers 2 did not start"
            time.sleep(0.2)
        assert len(_children(proc.pid)) >= 2  # two worker processes under the server
        with httpx.Client(base_url=base, timeout=20, headers={"Authorization": f"Bearer {token}"}) as api:
            pages = [api.get("/api/v1/incidents", params={"limit": 5}) for _ in range(2)]
            assert [p.status_code for p in pages] == [200, 200]
            assert pages[0].json() == pages[1].json() and pages[0].json()["items"]
            assert "default-src 'self'" in pages[0].headers["content-security-policy"]
            # 4 a minute shared out: 2 for each worker, with the burst of each; well within
            # a few dozen requests the client is told to wait, whichever worker answers
            codes = [api.get("/api/v1/incidents", params={"limit": 1}).status_code for _ in range(40)]
            assert 429 in codes
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode is not None
