"""Short news-like reports written for the fusion tests (our own words, invented details), and
what fuse stored, read back to compare two stores."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trucewatch.store.schema import Document, RawBlob

PORT_EN = (
    "Rockets struck the commercial port of Misrata on Tuesday evening, setting two fuel tanks on fire "
    "and forcing dock workers to flee, harbour officials said. The harbour master, Salem Bukhari, told "
    "reporters that at least six rockets landed between the container yard and the grain silo shortly "
    "after eight o'clock. Three workers were wounded and taken to the central hospital. Firefighters "
    "needed four hours to bring the blaze under control. The attack came two days after both sides "
    "agreed in Geneva to extend the truce around the coastal road, and the joint committee said it "
    "would send monitors to the port on Wednesday morning to inspect the craters and collect the "
    "remains of the rockets. A cargo ship carrying flour turned back to sea after the strike, and the "
    "port authority suspended all loading until further notice. Local traders warned that bread "
    "prices could rise within a week if the silo stayed closed."
)

PORT_REPOST = (
    "Rockets struck the commercial port of Misrata on Tuesday night, setting two fuel tanks ablaze "
    "and forcing dock workers to flee, harbour officials said. The harbour master, Salem Bukhari, told "
    "reporters that at least six rockets landed between the container yard and the grain silo shortly "
    "after eight o'clock. Three workers were injured and taken to the central hospital. Firefighters "
    "needed four hours to bring the blaze under control. The attack came two days after both sides "
    "agreed in Geneva to extend the truce around the coastal road, and the joint committee said it "
    "would send monitors to the port on Wednesday morning to inspect the craters and collect the "
    "remains of the rockets. A cargo ship carrying flour turned back to sea after the strike, and the "
    "port authority suspended all loading until further notice. Local traders warned that bread "
    "prices could rise within a week if the silo stayed closed.\n"
    "Subscribe to our newsletter for the latest updates from the region. Follow us on social media."
)

PORT_AR = (
    "سقطت صواريخ مساء الثلاثاء على الميناء التجاري في مصراتة، ما أدى إلى اشتعال النار في خزاني وقود "
    "وفرار عمال الرصيف، بحسب مسؤولين في الميناء. وقال مدير الميناء سالم بوخاري إن ستة صواريخ على الأقل "
    "سقطت بين ساحة الحاويات وصومعة الحبوب بعد الساعة الثامنة بقليل، وأصيب ثلاثة عمال نقلوا إلى المستشفى "
    "المركزي. واحتاج رجال الإطفاء إلى أربع ساعات للسيطرة على الحريق. وجاء الهجوم بعد يومين من اتفاق "
    "الطرفين في جنيف على تمديد الهدنة حول الطريق الساحلي."
)

PORT_FR = (
    "Des roquettes ont frappé mardi soir le port commercial de Misrata, incendiant deux réservoirs de "
    "carburant et faisant fuir les dockers, selon les responsables du port. Le capitaine du port, Salem "
    "Bukhari, a indiqué qu'au moins six roquettes étaient tombées entre le parc à conteneurs et le silo "
    "à grains peu après vingt heures. Trois ouvriers ont été blessés et transportés à l'hôpital central. "
    "Les pompiers ont mis quatre heures à maîtriser l'incendie. L'attaque survient deux jours après "
    "l'accord conclu à Genève pour prolonger la trêve autour de la route côtière."
)

# the same kind of happening in the same city a week later: another incident
PORT_LATER_EN = (
    "A drone attack hit the fishing harbour of Misrata early on Wednesday, sinking a patrol boat and "
    "killing one sailor, the coast guard said. Witnesses described two loud explosions near the old "
    "lighthouse before dawn, and fishermen kept their boats ashore for the rest of the day. The coast "
    "guard commander, Faraj Ettir, blamed forces loyal to the eastern command and said the attack broke "
    "the truce, which the eastern command denied in a short statement. The joint committee said it "
    "had asked both parties for their flight logs. Repairs to the harbour wall are expected to take "
    "a month, and the fish market in the old town stayed closed on Thursday."
)

# same topic and city as PORT_EN, another article (analysis), not a copy
PORT_ANALYSIS_EN = (
    "Misrata's port has become the barometer of the truce. Traders in the city say every rocket that "
    "lands near the harbour adds a few dinars to the price of flour, because importers fear for their "
    "cargo and insurers raise their premiums. Since the Geneva talks, the port has closed three times, "
    "and each closure left ships waiting offshore for days. Economists at the chamber of commerce "
    "estimate that a week without unloading costs the city more than a month of customs revenue. The "
    "joint committee has promised permanent monitors at the harbour, but none has arrived yet, and "
    "dock workers say they no longer trust announcements about security."
)

UNRELATED_EN = (
    "The national football team beat its neighbour two goals to one in a friendly match played in "
    "Tunis on Saturday. The coach praised the young midfielders and said the squad would travel to "
    "Cairo next month for a regional tournament. Around twenty thousand supporters filled the stadium, "
    "and the match was broadcast live on two channels. The federation announced that ticket prices "
    "for the tournament would be lowered for students and families."
)

BASE_TIME = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def add_document(session: Session, text: str, *, title: str | None = None, published: str | None = None,
                 language: str = "en", order: int = 0, doc_id: str | None = None) -> str:
    """Store one document as ingest would (raw bytes, cleaned text); returns its id."""
    raw = text.encode()
    sha = hashlib.sha256(raw).hexdigest()
    if session.get(RawBlob, sha) is None:
        session.add(RawBlob(sha256=sha, size=len(raw), content=raw))
        session.flush()  # no relationship orders the two inserts
    ident = doc_id or hashlib.sha256(text.encode()).hexdigest()[:32]
    session.add(Document(id=ident, title=title, language=language, text=text, published=published,
                         published_basis="metadata" if published else "unknown", source_format="text",
                         raw_sha256=sha, ingested_at=BASE_TIME + timedelta(seconds=order), source_path="t",
                         source_line=order))
    session.flush()
    return ident


def fused_rows(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """What fuse stored, to compare two stores: story members (with their embeddings),
    near-duplicate links and the incidents' links."""
    from trucewatch.store.schema import IncidentEvent, StoryMember

    with store.sessions() as session:
        members = [(m.document_id, m.story_id, m.seq, m.day, m.embedding) for m in
                   session.scalars(select(StoryMember).order_by(StoryMember.document_id))]
        signatures = [(d.id, d.duplicate_of) for d in session.scalars(select(Document).order_by(Document.id))]
        links = [(i.incident_id, i.event_id, i.role) for i in
                 session.scalars(select(IncidentEvent).order_by(IncidentEvent.event_id))]
    return {"members": members, "signatures": signatures, "links": links}
