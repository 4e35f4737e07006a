"""trucewatch: ceasefire monitoring from open-source reporting."""

__version__ = "0.1.0"
