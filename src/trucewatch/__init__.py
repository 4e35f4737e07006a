"""trucewatch: ceasefire monitoring from open-source reporting."""

__version__ = "0.1.0"


def _actor_aliases() -> dict[str, list[str]]:
    """The actors knowledge base's alias index, loaded on first use (not at import)."""
    from trucewatch.extract.actors.kb import by_alias

    return by_alias()


def _wire() -> None:
    """Hand the actors' names to the text layer, so places can ask without importing actors."""
    from trucewatch.text import parties

    parties.provide(_actor_aliases)


_wire()
