"""Which stages exist: the built-in ones plus any a package registers.

Another package can add a stage without touching trucewatch by declaring an entry
point in the ``trucewatch.stages`` group that names a Stage class.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from trucewatch.extract.actors.stage import ActorsStage
from trucewatch.extract.events.stage import EventsStage
from trucewatch.extract.sentences import SentenceStage
from trucewatch.pipeline.stage import Stage
from trucewatch.extract.places.stage import PlacesStage
from trucewatch.extract.time.stage import TimeStage

BUILTIN: tuple[type, ...] = (SentenceStage, TimeStage, PlacesStage, ActorsStage, EventsStage)


def stage_classes() -> dict[str, type]:
    classes: dict[str, type] = {cls.name: cls for cls in BUILTIN}
    for ep in entry_points(group="trucewatch.stages"):
        cls = ep.load()
        classes.setdefault(cls.name, cls)
    return classes


def build_stages(names: list[str] | None = None) -> list[Stage]:
    """Instantiate the named stages (all when None) with what they require, in dependency order."""
    classes = stage_classes()
    wanted = list(classes) if names is None else names
    unknown = [n for n in wanted if n not in classes]
    if unknown:
        raise KeyError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(classes)}")
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise ValueError(f"stage dependency cycle: {' -> '.join(path + (name,))}")
        if name in ordered:
            return
        for dep in classes[name].requires:
            if dep not in classes:
                raise KeyError(f"stage {name!r} requires unknown stage {dep!r}")
            visit(dep, path + (name,))
        ordered.append(name)

    for name in wanted:
        visit(name, ())
    return [classes[name]() for name in ordered]
