"""Places: the gazetteer, toponym recognition and resolution."""
