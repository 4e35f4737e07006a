"""The NER model's status, importable from its former home.

The model loader and its verification moved to :mod:`trucewatch.text.ner` (places and
actors share it); the CLI still asks here for the status it prints.
"""

from __future__ import annotations

from trucewatch.text.ner import ner_status

__all__ = ["ner_status"]
