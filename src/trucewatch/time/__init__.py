"""Time: find and normalise time expressions, and date documents that carry no date.

Library API::

    from trucewatch.time import tag_time, infer_publication_date
    tagging = tag_time(text, published="2020-06-05", lang="en")
    for t in tagging.timexes: print(t.start, t.end, t.type, t.value)
"""

from trucewatch.time.model import Anchor, Timex, TimeTagging
from trucewatch.time.tagger import tag_time
from trucewatch.time.infer import infer_publication_date

__all__ = ["Anchor", "Timex", "TimeTagging", "tag_time", "infer_publication_date"]
