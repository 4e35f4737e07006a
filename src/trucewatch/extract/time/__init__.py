"""Time: find and normalise time expressions, and date documents that carry no date.

Library API::

    from trucewatch.extract.time import tag_time, infer_publication_date
    tagging = tag_time(text, published="2020-06-05", lang="en")
    for t in tagging.timexes: print(t.start, t.end, t.type, t.value)
    when = date_event(text, (event_start, event_end), tagging.timexes, sentence=(s0, s1))
"""

from trucewatch.extract.time.model import Anchor, Timex, TimeTagging
from trucewatch.extract.time.tagger import tag_time
from trucewatch.extract.time.infer import infer_publication_date
from trucewatch.extract.time.eventdate import EventDate, date_event

__all__ = ["Anchor", "EventDate", "Timex", "TimeTagging", "date_event", "infer_publication_date", "tag_time"]
