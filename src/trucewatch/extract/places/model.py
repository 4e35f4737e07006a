"""What the places stage produces: gazetteer entries, mentions and resolved places."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple


class Entry(NamedTuple):
    """One gazetteer place, in GeoNames terms (ids from GeoNames or our supplement).

    A named tuple rather than a dataclass: lookups build tens of thousands of these.
    """

    geonameid: int
    name: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country: str
    admin1: str
    population: int
    source: str

    @property
    def is_country(self) -> bool:
        return self.feature_class == "A" and self.feature_code.startswith("PCL")

    @property
    def is_admin1(self) -> bool:
        return self.feature_class == "A" and self.feature_code == "ADM1"


@dataclass
class Mention:
    """A span of text that names a place (or a people named for one: "Turkish").

    ``kind`` is ``name`` for a toponym and ``demonym`` for an adjective or people;
    ``role`` is ``location`` unless the name stands for an actor ("Moscow said") or
    qualifies an organisation ("the Tripoli-based government"). ``qualifier`` is the
    phrase that changes precision ("south of", "outskirts of", "district").
    """

    start: int
    end: int
    text: str
    kind: str = "name"
    role: str = "location"
    source: str = "gazetteer"
    qualifier: str | None = None
    qualifier_span: tuple[int, int] | None = None
    feature_hint: str | None = None
    #: written with "the" before it ("the Pacific"): a sea, region or island more than a town
    definite: bool = False


@dataclass
class Place:
    """A resolved mention: the gazetteer entry chosen, how sure, and what else was possible."""

    start: int
    end: int
    text: str
    name: str | None
    geonameid: int | None
    feature_code: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    confidence: float
    geo_precision: int | None
    kind: str = "name"
    role: str = "location"
    qualifier: str | None = None
    qualifier_span: tuple[int, int] | None = None
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    #: "container" when the name itself is not in the gazetteer near the place the text says
    #: holds it ("Greenlane, Auckland", "Cairo's Abbasiya"), so the point is that place's
    located_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
