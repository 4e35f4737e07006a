"""Party names reach the places recogniser through the text layer, not by importing actors."""

from __future__ import annotations

import pytest

from trucewatch.text import parties
from trucewatch.text.script import alias_key


def test_the_package_wires_the_knowledge_base_in() -> None:
    assert parties.is_party_name("Volcano of Anger")  # an operation's name in actors.yaml
    assert parties.is_party_name("the Libyan National Army")  # a leading article is folded away
    assert not parties.is_party_name("a quiet village by the sea")


def test_a_provided_source_is_what_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parties, "_aliases", parties._aliases)  # put back after the test
    parties.provide(lambda: {alias_key("Northern Front of Our Invention")})
    assert parties.is_party_name("northern front of our invention")
    assert not parties.is_party_name("Volcano of Anger")


def test_without_a_source_nothing_is_a_party(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parties, "_aliases", None)
    assert not parties.is_party_name("Volcano of Anger")
