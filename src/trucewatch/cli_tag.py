"""The text-in, JSON-out commands: ``tag language|sentences|time|places|actors``, ``classify`` and ``extract``.

They share one driver (:func:`_run_tagger`): one text from a file or stdin, or a ``--jsonl``
batch, so each stage can be run and scored on its own without a database.
``classify_command`` and ``extract_command`` are top-level commands, registered by ``trucewatch.cli``.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import IO, Annotated, Any, Optional

import typer
from rich.markup import escape

from trucewatch.cli_console import err, out
from trucewatch.cli_gazetteer import GazetteerOption, open_gazetteer_or_exit

tag_app = typer.Typer(help="Run one annotation stage on text (files, stdin or a --jsonl batch).", no_args_is_help=True)


def _open_source(source: str) -> IO[bytes]:
    """The bytes of a tag command's input: stdin, or a regular file (never a FIFO, a device,
    a folder or a symlink loop, which would hang or fail half-way); a clear InputError otherwise."""
    from trucewatch.documents.files import Refused, display_path, open_regular
    from trucewatch.errors import InputError

    if source == "-":
        if sys.stdin is None:
            raise InputError("standard input is closed; pipe a text in, or name a file instead of -")
        return sys.stdin.buffer
    try:
        handle, _size = open_regular(Path(source))
    except Refused as exc:
        raise InputError(f"{display_path(source)}: {exc}") from None
    return handle


def _check_source(source: str) -> None:
    """Fail before loading models when the input cannot be read."""
    if source != "-":
        _open_source(source).close()
    else:
        _open_source(source)


def _read_text(source: str, handle: IO[bytes]) -> str:
    """The text as given (decoded, not cleaned), so the spans a tagger prints point into it."""
    from trucewatch.documents.decode import DecodeError, decode_bytes

    try:
        data = handle.read()
    except OSError as exc:
        from trucewatch.errors import InputError

        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    finally:
        if source != "-":
            handle.close()
    try:
        return decode_bytes(data).text
    except DecodeError as exc:
        err.print(f"[red]error:[/] {escape(source)}: {escape(str(exc))}")
        raise typer.Exit(1) from exc


def _run_tagger(source: str, jsonl: bool, handler: Any, *, published: Any = None, render: Any = None) -> None:
    """Shared driver for the tag commands: a --jsonl batch, or one text from a file or stdin.

    A single text gets ``published`` as its date; ``render(item, fields)``, when given,
    returns what to print for it instead of the JSON object (batch output is always JSON).
    """
    from trucewatch.batch import BatchItem, run_batch

    raw = _open_source(source)
    if jsonl:
        # utf-8-sig: a BOM from a Windows editor is not part of line 1; a bad byte must not
        # end the batch, so it becomes U+FFFD and the line is judged on its JSON.
        infile = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace")
        try:
            result = run_batch(infile, sys.stdout, sys.stderr, handler, name="<stdin>" if source == "-" else source)
        finally:
            if source != "-":
                infile.close()
        if result.errors:
            raise typer.Exit(1)
        return
    text = _read_text(source, raw)
    item = BatchItem(id=source, text=text, published=published, line=1)
    fields = handler(item)
    if render is not None:
        sys.stdout.write(render(item, fields))
        sys.stdout.flush()
        return
    payload = json.dumps({"id": source, **fields}, ensure_ascii=False, indent=2)
    if sys.stdout.isatty() and len(payload) < 200_000:
        out.print_json(payload)  # coloured for people; rich is slow on megabytes of JSON
    else:
        sys.stdout.write(payload + "\n")
        sys.stdout.flush()


SourceArg = Annotated[str, typer.Argument(help="A file, or - for stdin.")]
LangOption = Annotated[Optional[str], typer.Option("--lang", help="Language code (default: detected).")]


def _language(lang: str | None, text: str) -> str:
    """--lang as given (trimmed, lower case), else the language detected in ``text``."""
    from trucewatch.documents.language import identify

    return (lang.strip().lower() if lang and lang.strip() else None) or identify(text)[0]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help='Batch mode: {"id","text","published"?} per line in, one JSON line out.')]


@tag_app.command("language")
def tag_language(source: SourceArg = "-", jsonl: JsonlOption = False) -> None:
    """Identify the language of a text."""
    from trucewatch.documents.language import identify

    def handler(item: Any) -> dict[str, Any]:
        language, confidence = identify(item.text)
        return {"language": language, "confidence": confidence}

    _run_tagger(source, jsonl, handler)


@tag_app.command("sentences")
def tag_sentences(source: SourceArg = "-", jsonl: JsonlOption = False) -> None:
    """Split a text into sentences with their character spans."""
    from trucewatch.extract.sentences import split_sentences

    def handler(item: Any) -> dict[str, Any]:
        return {"sentences": [{"start": s, "end": e, "text": item.text[s:e]} for s, e in split_sentences(item.text)]}

    _run_tagger(source, jsonl, handler)


TIME_FORMATS = ("jsonl", "timeml")


def _parse_published(value: str | None) -> str | None:
    """--published as YYYY-MM-DD (the anchor), or YYYY-MM / YYYY (a bound for inference)."""
    from trucewatch.documents.pubdate import parse_iso

    if value is None:
        return None
    parsed = parse_iso(value.strip())
    if parsed is None:
        raise typer.BadParameter(
            f"{value!r} is not a date: use YYYY-MM-DD or an ISO datetime (or YYYY-MM / YYYY)", param_hint="--published"
        )
    return parsed[0]  # a datetime anchors on its own local day


def time_fields(text: str, published: Any, lang: str | None) -> dict[str, Any]:
    """What ``tag time`` reports for one text: its publication date, the anchor and the expressions."""
    from trucewatch.documents.language import identify
    from trucewatch.extract.time import tag_time
    from trucewatch.extract.time.infer import claimed_day

    language = lang or identify(text)[0] or "en"
    tagging = tag_time(text, published=published, lang=language)
    anchor = tagging.anchor
    pub, basis = claimed_day(anchor)  # a low-confidence guess is in "anchor" only
    return {
        "published": pub,
        "published_basis": basis,
        "anchor": anchor.to_dict(),
        "times": [t.to_dict() for t in sorted(tagging.timexes, key=lambda t: (t.start, t.end))],
    }


_XML_INVALID = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF], "\ufffd")


def _xml_text(text: str) -> str:
    """Text as XML character data that parses back to itself (a CR survives as &#13;;
    characters XML 1.0 cannot carry at all become U+FFFD)."""
    from xml.sax.saxutils import escape

    return escape(text.translate(_XML_INVALID), {"\r": "&#13;"})


def _xml_attr(value: Any) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(str(value).translate(_XML_INVALID), {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def timeml(text: str, fields: dict[str, Any]) -> str:
    """A TimeML document: the anchor as DCT, the text with each expression in a TIMEX3."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<TimeML>\n']
    if fields["published"]:
        value = _xml_attr(fields["published"])
        parts.append(f'<DCT><TIMEX3 tid="t0" type="DATE" value={value} functionInDocument="CREATION_TIME">'
                     f'{_xml_text(fields["published"])}</TIMEX3></DCT>\n')
    parts.append("<TEXT>")
    at = 0
    for n, t in enumerate(fields["times"], start=1):
        if t["start"] < at:  # overlapping expressions cannot nest in TimeML; keep the first
            continue
        attrs = f'tid="t{n}" type={_xml_attr(t["type"])}'
        for key in ("value", "mod", "freq", "quant"):
            if t.get(key) is not None:
                attrs += f" {key}={_xml_attr(t[key])}"
        parts.append(_xml_text(text[at : t["start"]]))
        parts.append(f"<TIMEX3 {attrs}>{_xml_text(text[t['start'] : t['end']])}</TIMEX3>")
        at = t["end"]
    parts.append(_xml_text(text[at:]))
    parts.append("</TEXT>\n</TimeML>\n")
    return "".join(parts)


@tag_app.command("time")
def tag_time_command(
    source: SourceArg = "-",
    published: Annotated[Optional[str], typer.Option(
        "--published", help="Publication date (YYYY-MM-DD or ISO datetime) to anchor on; YYYY-MM or YYYY only bounds the inferred one.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl (one JSON object) or timeml (TimeML XML).")] = "jsonl",
    lang: LangOption = None,
    jsonl: JsonlOption = False,
) -> None:
    """Find time expressions and resolve them against the publication date (given, or inferred from the text).

    In --jsonl mode a line's own "published" wins over --published.
    """
    if fmt not in TIME_FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(TIME_FORMATS)}", param_hint="--format")
    if jsonl and fmt != "jsonl":
        raise typer.BadParameter("--jsonl batches are written as JSON lines only", param_hint="--format")
    default = _parse_published(published)
    language = lang.strip().lower() if lang and lang.strip() else None

    def handler(item: Any) -> dict[str, Any]:
        return time_fields(item.text, item.published or default, language)

    render = (lambda item, fields: timeml(item.text, fields)) if fmt == "timeml" else None
    _run_tagger(source, jsonl, handler, published=default, render=render)


PLACE_FIELDS = ("start", "end", "text", "name", "geonameid", "feature_code", "country", "admin1", "lat", "lon",
                "geo_precision", "confidence", "kind", "role", "qualifier", "qualifier_span", "alternatives",
                "located_by")


@tag_app.command("places")
def tag_places_command(
    source: SourceArg = "-",
    jsonl: JsonlOption = False,
    lang: LangOption = None,
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Gazetteer-only recognition, without the NER model.")] = False,
    country: Annotated[Optional[str], typer.Option("--country", help="ISO2 code of the country the text is about.")] = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Find the places a text names and resolve them (GeoNames id, point, ACLED geo_precision)."""
    from trucewatch.documents.language import identify
    from trucewatch.text.ner import ner_status
    from trucewatch.extract.places.tagger import tag_places

    _check_source(source)
    gaz = open_gazetteer_or_exit(gazetteer)
    if not no_ner:
        status = ner_status()
        if not status.available:
            err.print(f"[yellow]warning:[/] NER model not used ({escape(status.reason)}); gazetteer-only recognition")
    hint = country.strip().upper() if country else None

    def handler(item: Any) -> dict[str, Any]:
        language = lang or identify(item.text)[0]
        places = tag_places(item.text, lang=language, gazetteer=gaz, use_ner=not no_ner, country_hint=hint)
        return {"places": [{k: getattr(p, k) for k in PLACE_FIELDS} for p in places]}

    _run_tagger(source, jsonl, handler)


@tag_app.command("actors")
def tag_actors_command(
    source: SourceArg = "-",
    jsonl: JsonlOption = False,
    lang: LangOption = None,
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Knowledge base and generic actors only, without the NER model.")] = False,
    country: Annotated[Optional[str], typer.Option("--country", help="ISO2 code for generic actors (default: from the places named).")] = None,
) -> None:
    """Find the actors a text names: knowledge-base actors, generic ones, and unknown named ones (unresolved)."""
    from trucewatch.extract.actors.mentions import tag_actors
    from trucewatch.extract.actors.stage import actor_value, without_places
    from trucewatch.extract.events.extract import country_name, main_country
    from trucewatch.extract.places.tagger import ner_result, tag_places

    code = country.strip().upper() if country else None
    if code is not None and country_name(code) == code:
        raise typer.BadParameter(f"{country!r} is not an ISO 3166 two-letter country code (e.g. LY)",
                                 param_hint="--country")

    def handler(item: Any) -> dict[str, Any]:
        language = _language(lang, item.text)
        ner = ner_result(item.text, language, not no_ner)
        places = tag_places(item.text, lang=language, ner=ner)
        where = code or main_country(places)
        day = item.published if hasattr(item.published, "isoformat") else None
        mentions = tag_actors(item.text, lang=language, use_ner=False, country=where, day=day, nlp_doc=ner,
                              named_countries=frozenset(p.country for p in places if p.country))
        mentions = without_places(mentions, places)
        return {"actors": [{"start": m.start, "end": m.end, "text": m.text, **actor_value(m)} for m in mentions]}

    _run_tagger(source, jsonl, handler)


def classify_command(
    source: SourceArg = "-",
    jsonl: JsonlOption = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also print each class's score and the cues that decided.")] = False,
) -> None:
    """Label a snippet with the ACLED sub-event type it reports (null when it reports none)."""
    from trucewatch.extract.events.classify import classify

    def handler(item: Any) -> dict[str, Any]:
        result = classify(item.text)
        fields: dict[str, Any] = {
            "event_type": result.event_type,
            "sub_event_type": result.sub_event_type,
            "score": result.score,
        }
        if explain:
            fields["class"] = result.code
            fields["scores"] = result.scores
            fields["evidence"] = [{"start": e.start, "end": e.end, "text": e.text, "weight": e.weight}
                                  for e in result.evidence]
        return fields

    _run_tagger(source, jsonl, handler)


def extract_command(
    source: SourceArg = "-",
    jsonl: JsonlOption = False,
    published: Annotated[Optional[str], typer.Option(
        "--published", help="Publication date (YYYY-MM-DD); inferred from the text when not given.")] = None,
    lang: LangOption = None,
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Without the NER model (gazetteer and knowledge base only).")] = False,
) -> None:
    """Extract a document's events: type, actors, place, date, figures, status, claimant, evidence.

    Output: {"id", "published", "events": [...]}, each event in the export schema
    (``trucewatch export --schema``). In --jsonl mode a line's own "published" wins.
    """
    from trucewatch.extract.events.extract import extract_events
    from trucewatch.text.ner import ner_status

    default = _parse_published(published)
    if not no_ner:
        status = ner_status()
        if not status.available:
            err.print(f"[yellow]warning:[/] NER model not used ({escape(status.reason)}); "
                      "places and actors from the gazetteer and knowledge base only")

    def handler(item: Any) -> dict[str, Any]:
        language = _language(lang, item.text)
        day = item.published or default
        day = day.isoformat() if hasattr(day, "isoformat") else day
        result = extract_events(item.text, published=day, lang=language,
                                doc_id=str(item.id), use_ner=not no_ner)
        return {"published": result.published, "events": result.events}

    _run_tagger(source, jsonl, handler, published=default)
