"""Title words that stand before a person's name ("retired Major General", "UN envoy").

The actors tagger absorbs them into a person's mention; the places recogniser reads a
name after one as a person, not a village ("Commander Abu Kamal"). One list serves both.
"""

from __future__ import annotations

#: Words of a title before a person's name ("retired Major General", "UN envoy", "President").
TITLE_HEADS = frozenset("""general gen marshal field president minister premier envoy commander leader speaker chief
head spokesman spokesperson mediator representative strongman warlord colonel col lieutenant lt major maj
brigadier brig captain capt mr mrs ms dr sheikh prince king emir secretary ambassador adviser advisor chairman
chair deputy prime counterpart rival
général maréchal président ministre émissaire envoyé chef commandant colonel
مشير لواء جنرال رئيس مبعوث قائد عقيد فريق سيد شيخ متقاعد""".split())
#: Title heads and the words that qualify them ("former", "special", "UN").
TITLE_WORDS = TITLE_HEADS | frozenset("""retired former late self styled proclaimed renegade rogue eastern western
military special top senior acting interim vice un u n eu au us uk
retraité ancien spécial onu
اممي عام اول""".split())
