"""The vendored browser files are the ones recorded (VENDORED.md), and every file the
dashboard's pages load comes from this server."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "src" / "trucewatch" / "resources" / "web"
VENDOR = WEB / "static" / "vendor"


def test_vendored_files_match_their_record() -> None:
    recorded = dict(re.findall(r"^    ([0-9a-f]{64})  \./(\S+)$", (VENDOR / "VENDORED.md").read_text(), re.M))
    on_disk = {str(p.relative_to(VENDOR)): p for p in VENDOR.rglob("*") if p.is_file() and p.name != "VENDORED.md"}
    assert set(map(str, on_disk)) == set(recorded.values())
    for digest, name in recorded.items():
        assert hashlib.sha256(on_disk[name].read_bytes()).hexdigest() == digest, name


def test_pages_load_nothing_from_elsewhere() -> None:
    for template in WEB.glob("*.html"):
        text = template.read_text()
        for url in re.findall(r'(?:src|href)="([^"{]+)"', text):
            assert url.startswith(("/", "#")) or url == "data:,", f"{template.name} loads {url}"
        assert "<script>" not in text and " style=" not in text, template.name  # nothing inline (CSP)
