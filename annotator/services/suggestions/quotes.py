"""QUOTE rule: direct quotations and who said them.

A QUOTE span covers the quotation with its quotation marks and the punctuation inside
them (“...,” he said -> ``“...,”``); each part of a quote split by an attribution is its own
QUOTE with its own marks, and a paragraph of a multi-paragraph quote (no closing mark) runs
to the paragraph's end.

Finds passages in straight ("..."), curly (“...”) and guillemet («...») quotes, including
quotes split by an attribution (“...,” he said. “...”) and multi-paragraph quotes (a
paragraph whose quote is left open and the next paragraph opens a quote again: one QUOTE).
Names, nicknames and translations in quotes ("known as the “Ledger”", "translates as
"anti-machete"") are not quotations.

The ``speaker`` link points at the ACTOR suggestion of the attribution: "said Joanne
Mariner", "Guterres said", "according to X", "X warned that ... “...”". A pronoun ("he
said", "it said", "the group said") is resolved to the most recent named speaker of the
right kind (a person for he/she, an organisation for it/the group) when that is
unambiguous: an indefinite speaker in between ("a 19-year-old woman said") blocks it.
A name in an attribution that no other source suggested becomes an ACTOR suggestion
(``actor_type = "person"``) so the link has a target. Where no mention is the verb's subject,
the subject noun phrase by shape (``speaker_subjects``: "one villager who had seen the bodies
said") is the speaker, and an ACTOR suggestion when the verb is a speech verb; "the statement
said" links the statement's issuer, the speaker of an earlier attribution.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from functools import partial

from annotator.services.suggestions import quote_context, quote_frames, speaker_subjects, speech_verbs
from annotator.services.suggestions.base import Suggestion, paragraphs, sentence_end, sentence_start
from annotator.services.suggestions.person_mentions import tagged_names
from annotator.services.suggestions.quote_marks import Quote as _Quote
from annotator.services.suggestions.quote_marks import scan as _scan
from annotator.services.suggestions.quote_marks import unopened
from annotator.services.suggestions.quote_speakers import SOURCE, TITLE_WORDS, Speakers, inside_quote
from annotator.services.suggestions.speaker_rules import (
    choose,
    inverted_speaker,
    paragraph_before,
    person_since,
    subject_next_to_verb,
)

LABEL = "QUOTE"

VERBS = (
    r"said|says|say|told|tells|added|adds|warned|warns|warning|stated|states|explained|noted|notes|cited|cites|"
    r"declared|wrote|writes|asked|asks|acknowledged|acknowledges|accused|accuses|insisted|argued|claimed|claims|"
    r"urged|crying|cried|shouted|shouting|announced|recalled|complained|stressed|added|continued|testified|"
    r"according\s+to|replied|answered|tweeted|posted|quoted|condemned|denounced|described|termed|branded|denied|"
    r"rejected|dismissed|confirmed|reiterated|vowed|pledged|appealed|lamented|recounted|reported|adding|assured|saying|"
    r"blamed|blaming|blames|called|calls|labell?ed|read|reads"
)
# every form of the reporting verbs (``speech_verbs``) the list above does not hold
VERBS += "|" + "|".join(sorted(speech_verbs.forms() - set(VERBS.replace("\\s+", " ").split("|")), key=len)[::-1])
# ',” he said', '." said the mayor': the attribution right after a closing mark whose opening mark is missing
_UNOPENED_TAIL = re.compile(rf"\s+(?:[^\s.!?“”\"]+\s+){{0,5}}?(?:{VERBS})(?![\w-])", re.IGNORECASE)
_VERB_RE = re.compile(rf"(?<![\w-])(?:{VERBS})(?![\w-])", re.IGNORECASE)
_PRONOUN = re.compile(
    r"(?:^|[\s,])(?P<p>he|she|it|they|we)\s*,?\s*(?:also\s+|later\s+|then\s+|has\s+|had\s+|have\s+)?$", re.IGNORECASE
)
_PRONOUN_SUBJECT = re.compile(r"\s*(?P<p>He|She)\s+(?:[a-z’']+\s+){1,10}(?:but|and|then)\s+$")
_ANAPHOR = re.compile(
    r"(?:^|\s)the\s+(?:[\w-]+\s+){0,3}(?:group|organi[sz]ation|agency|report|statement|column|court|ministry|government|mission|body|charity|agency|watchdog|office|military|army|prosecutor|official|spokes(?:man|woman|person))(?:['’]s\s+report)?\s*,?\s*(?:also\s+)?$",
    re.IGNORECASE,
)
# "what it calls “targeted killings”", "what Mayor X called "massive shelling"": a phrase quoted from its subject
_WHAT_CALLS = re.compile(
    r"\bwhat\s+(?P<who>[^.!?“”\"]{1,60}?)\s+(?:calls|called|call|describes|described)\s+(?:as\s+)?(?:an?\s+|the\s+)?$"
)
_INDEFINITE = re.compile(
    r"(?:^|\s)(?:an?|one|another|some|several)\s+(?:[\w’'-]+\s+){0,8}?[\w’'-]+\s*,?\s*$", re.IGNORECASE
)
# "It confirmed ... but rejected ...": a verb with no subject of its own shares the one before
_COORDINATED = re.compile(r"(?:^|[\s,])(?:but|and|then|yet)\s+(?:also\s+|later\s+|then\s+)?$", re.IGNORECASE)
_REPORTED = frozenset(
    "condemned denounced described termed branded dismissed denied rejected blamed blames called calls labelled "
    "labeled".split()
)
# "it said, quoting X": X said it; "X was quoted ... as saying": X is the subject
_QUOTING = re.compile(r",\s+quoting\s+(?:the\s+)?")
_DETERMINER_BEFORE = re.compile(r"(?<![\w-])(?:a|an|the|any|no|without|his|her|their|its)\s+$", re.I)
_AS_BEFORE = re.compile(r"\bas\s+$")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being)\s+$")
_SUBJECT_GAP = re.compile(
    r"[\s,]*(?:(?:has|have|had|also|has\s+also|which|who|repeatedly|strongly|already)\s+)*", re.IGNORECASE
)


@dataclass
class _Event:
    """A speech verb and who it is attributed to."""

    pos: int
    candidates: list[tuple[tuple[str, int, int], bool]] = field(default_factory=list)  # (key, is_person)
    pronoun: str | None = None  # he/she/it/they, or "it" for an anaphor ("the group")
    blocking: bool = False  # an unnamed, indefinite speaker ("a 19-year-old woman said")
    quoting: bool = False  # "it said, quoting X": X for this quote, never for a later "it said"


def _subject_event(
    text: str, verb: re.Match[str], clause_start: int, speakers: Speakers, quotes: list[_Quote]
) -> _Event:
    event = _Event(pos=verb.start())
    before = text[clause_start : verb.start()]
    if verb.group().lower().startswith("according"):
        after_start = verb.end()
        after_end = min(sentence_end(text, after_start), after_start + 80)
        m = re.match(r"\s*(?:the\s+)?", text[after_start:after_end])
        event.candidates = speakers.in_range(
            after_start + (m.end() if m else 0), after_end, adjacent="after", quotes=quotes
        )[:1]
        return event
    quoting = _QUOTING.match(text, verb.end())
    if quoting:  # "“...,” it said, quoting X, the rebels' envoy": the person quoted
        found = speakers.in_range(quoting.end(), min(sentence_end(text, verb.end()), quoting.end() + 80), quotes=quotes)
        if found and found[0][1] and found[0][0][1] == quoting.end():
            event.candidates, event.quoting = found[:1], True
            return event
    if verb.group().lower() == "quoted" and not _PASSIVE.search(before):  # "Xinhua quoted X as saying"
        after_end = min(sentence_end(text, verb.end()), verb.end() + 80)
        event.candidates = speakers.in_range(verb.end(), after_end, adjacent="after", quotes=quotes)[:1]
        return event
    owner = quote_context.DOCUMENT_OWNER.search(before)
    if owner:  # "the harbour authority’s statement read": the document's owner
        found = speakers.in_range(clause_start + owner.start("owner"), clause_start + owner.end("owner"), quotes=quotes)
        event.candidates = found[-1:] or [
            speakers.add(clause_start + owner.start("owner"), clause_start + owner.end("owner"), False, offer=True)
        ]
        return event
    if quote_context.DOCUMENT.search(
        before
    ):  # "“...,” the statement said": the issuer, an earlier speaker (``resolve``)
        event.pronoun = "document"
        return event
    candidates = speakers.in_range(clause_start, verb.start(), adjacent="before", quotes=quotes)
    pronoun = _PRONOUN.search(before)
    if pronoun and candidates and candidates[-1][0][2] <= clause_start + pronoun.start("p"):
        candidates = []  # "the massacre of women and children which he described as “...”": he, not them
    if candidates and verb.group().lower() in _REPORTED:
        # "... that the United Nations has condemned as “...”": the subject right before the verb
        last = candidates[-1]
        if _SUBJECT_GAP.fullmatch(text[last[0][2] : verb.start()]):
            candidates = [last]
    elif candidates:  # "X ordered ..., the government announced": the subject next to the verb
        candidates = subject_next_to_verb(text, candidates, verb.start())
    if candidates and verb.group().lower() in _INVERTING and "," in text[candidates[-1][0][2] : verb.start()]:
        # "“...”, killing a 50-year-old man, said <role> NAME": the name after the verb
        inverted = inverted_speaker(text, verb.end(), _after(text, verb, speakers, quotes), _has_verb)
        candidates = [(inverted, True)] if inverted else candidates
    offer = verb.group().lower() in speaker_subjects.SPEECH_VERBS  # an ACTOR even with no quote to link
    subject = speaker_subjects.subject_before(text, verb.start())
    if (
        subject and subject.start >= clause_start and not inside_quote(subject.start, quotes)
    ):  # "one villager who had seen the bodies said"
        # a name in its apposition ("One resident, Mengesha, said", "X, home secretary of Y, said"), else a
        # mention inside the phrase, else the phrase itself
        named = [c for c in candidates if not text[c[0][1] : c[0][2]].islower()]
        candidates = (
            [c for c in named if c[0][1] >= subject.end][-1:]
            or [c for c in named if quote_frames.APPOSED.fullmatch(text, c[0][2], subject.start)][-1:]
            or [c for c in candidates if c[0][1] < subject.end and subject.start < c[0][2]]
            or [speakers.add(subject.start, subject.end, subject.person, offer=offer)]
        )
    place = None if candidates or subject else speakers.place_before(verb.start())
    if place and offer:  # "“...,” Jamaica said": the place speaks for its people
        candidates = [speakers.add(*place, False)]
    if candidates:
        event.candidates = candidates
        return event
    # "He did not give details ... but said:": the sentence's pronoun subject
    p = _PRONOUN.search(before) or _PRONOUN_SUBJECT.match(before)
    if p:
        event.pronoun = p.group("p").lower()
    elif _ANAPHOR.search(before):
        event.pronoun = "it"
    elif _INDEFINITE.search(before):
        event.blocking = True
    # "said Joanne Mariner, senior adviser": the name after the verb
    if not event.pronoun:
        after = text[verb.end() : verb.end() + 60]
        m = re.match(r"\s+", after)
        if m and verb.group().lower() in {"said", "says", "added", "wrote"}:  # "told X": X is the one told
            cand = speakers.in_range(
                verb.end(), min(sentence_end(text, verb.end()), verb.end() + 120), adjacent="after", quotes=quotes
            )
            inverted = (
                inverted_speaker(text, verb.end(), cand, _has_verb) if verb.group().lower() in _INVERTING else None
            )
            if inverted:  # "said the spokesman, NAME.", "said <region> <role> NAME"
                event.candidates, event.blocking = [(inverted, True)], False
            elif cand and all(
                w.lower() in ("the", "a", "an") or w.rstrip(".") in TITLE_WORDS
                for w in text[verb.end() : cand[0][0][1]].split()
            ):
                name = speaker_subjects.named_in_apposition(text, cand[0][0][2])  # "... his first name, Amar"
                event.candidates, event.blocking = [speakers.add(*name, True, offer=True)] if name else cand[:1], False
            elif not cand and (subject := speaker_subjects.subject_after(text, verb.end())):  # "said a nurse"
                name = speaker_subjects.named_in_apposition(text, subject.end)
                start, end = name or (subject.start, subject.end)
                event.candidates = [speakers.add(start, end, subject.person or bool(name), offer=True)]
                event.blocking = False
    return event


def _has_verb(stretch: str) -> bool:
    return _VERB_RE.search(stretch) is not None


_NAME_REACH = 600  # how far back "he said" looks for a name with no title: the work per event is bounded
_PARTICIPLES = frozenset({"adding", "warning", "saying", "noting", "stressing", "blaming"}) | (
    {form for form in speech_verbs.forms() if form.endswith("ing")} - {"quoting"}
)  # "he said, lamenting that ...": a participle shares its sentence's subject
_INVERTING = frozenset({"said", "says", "added"})


def _after(
    text: str, verb: re.Match[str], speakers: Speakers, quotes: list[_Quote]
) -> list[tuple[tuple[str, int, int], bool]]:
    end = min(sentence_end(text, verb.end()), verb.end() + 120)
    return speakers.in_range(verb.end(), end, adjacent="after", quotes=quotes)


def find_quotes(
    text: str,
    existing: list[Suggestion] = (),  # type: ignore[assignment]
    *,
    label: str = LABEL,
    speaker_attr: str | None = "speaker",
    actor_label: str = "ACTOR",
    actor_type_attr: str | None = "actor_type",
    min_words: int = 3,
) -> list[Suggestion]:
    """QUOTE suggestions (with ``link_keys`` to speakers) and any new ACTOR suggestions."""
    quotes = _scan(text)
    # ",” he said" with no opening mark before it in the paragraph
    quotes = unopened(text, quotes, lambda at: _UNOPENED_TAIL.match(text, at) is not None)
    speakers = Speakers(text, list(existing), actor_label, actor_type_attr)
    # speech events, in text order: verbs outside quotes
    events: list[_Event] = []
    last_end = 0
    close_ats = sorted(q.close_at for q in quotes if q.close_at is not None)
    for verb in _VERB_RE.finditer(text):
        if (
            inside_quote(verb.start(), quotes)
            or verb.group().lower() == "saying"
            and _AS_BEFORE.search(text, max(0, verb.start() - 8), verb.start())
        ):
            continue  # "quoted X as saying": the event is "quoted"
        if verb.group().lower() in ("read", "reads") and not quote_context.after_document(text, verb.start()):
            continue  # "read" says words only after a document: "the statement read"
        if _DETERMINER_BEFORE.search(text, max(0, verb.start() - 12), verb.start()):
            continue  # "without any warning", "the claims": a noun, no speech event
        s0 = sentence_start(text, verb.start())
        last_close = bisect_left(close_ats, verb.start()) - 1  # the last quote closed in the sentence before the verb
        closes = [close_ats[last_close] + 1] if last_close >= 0 and close_ats[last_close] >= s0 else []
        clause_start = max([s0, *closes] + ([last_end] if last_end > s0 else []))
        event = _subject_event(text, verb, clause_start, speakers, quotes)
        participle = verb.group().lower() in _PARTICIPLES and text[clause_start : verb.start()].rstrip().endswith(",")
        # "X accused Y of ..., and warned": a verb right after "and" has no subject of its own; the names between
        # are the first verb's objects
        coordinated = _COORDINATED.search(text, clause_start, verb.start()) is not None
        if (
            events
            and last_end > s0
            and (not event.candidates and not event.pronoun or participle or coordinated)
            and (
                coordinated
                or participle  # "X reported ... carried by the agency, APS, blaming it on": X's words
                or verb.group().lower() in _PARTICIPLES
                and not text[clause_start : verb.start()].strip(" ,")
            )
        ):  # "It confirmed ... but rejected", "the administration said, adding, “...”": the same subject
            shared = events[-1]
            event.candidates, event.pronoun, event.blocking = shared.candidates, shared.pronoun, shared.blocking
        events.append(event)
        last_end = verb.end()

    event_at = [e.pos for e in events]  # in text order
    open_ats = [q.open_at for q in quotes]  # in text order: ``scan`` reads left to right

    def events_in(lo: int, hi: int) -> list[_Event]:
        """The events with ``lo <= pos < hi``, in text order."""
        return events[bisect_left(event_at, lo) : bisect_left(event_at, hi)]

    def last_event_in(lo: int, hi: int) -> list[_Event]:
        """The last event with ``lo <= pos < hi`` (a list of none or one)."""
        last = bisect_left(event_at, hi) - 1
        return [events[last]] if last >= 0 and event_at[last] >= lo else []

    by_pronoun: dict[int, tuple[str, int, int]] = {}  # a pronoun event's person, for the next "he added"
    resolved_at: dict[str, list[int]] = {}  # the positions in ``by_pronoun``, by pronoun, in text order
    # per event, the index of the last event up to it with a speaker or blocking one (-1 if none), without and with
    # the events "quoting" someone: where the walks back in ``resolve`` can stop, found without a scan
    attributed_upto: list[int] = []
    unquoting_upto: list[int] = []
    for index, e in enumerate(events):
        stops = bool(e.candidates or e.blocking)
        attributed_upto.append(index if stops else attributed_upto[-1] if index else -1)
        unquoting_upto.append(index if stops and not e.quoting else unquoting_upto[-1] if index else -1)

    def resolve(event: _Event) -> list[tuple[str, int, int]]:
        if event.candidates:
            return choose(event.candidates, None, text)
        if event.blocking or not event.pronoun:
            return []
        if event.pronoun in {"he", "she"}:  # the last named person since the last attribution
            # the last event before this one with a speaker, blocking, or the same pronoun resolved
            before = bisect_left(event_at, event.pos) - 1
            same = resolved_at.get(event.pronoun, [])
            resolved = bisect_left(same, event.pos) - 1
            latest = max(
                attributed_upto[before] if before >= 0 else -1,
                bisect_left(event_at, same[resolved]) if resolved >= 0 else -1,
            )
            last = events[latest] if latest >= 0 else None
            since = max([last.pos, *(k[2] for k, _p in last.candidates)]) if last else 0
            lo = paragraph_before(text, since, event.pos)  # person_since looks no further back
            persons = [s.key for s in speakers.starting_in(lo, event.pos) if speakers.is_person(s)]
            # and the names with no title the tagger shows ("Anatoly Gabarayev, 65, ... stood waiting"), nearest last
            persons += [
                ("", a, b)
                for a, b in tagged_names(text, max(lo, event.pos - _NAME_REACH), event.pos)
                if speakers.untaken(a, b)
            ]
            found = person_since(
                text, sorted(persons, key=lambda k: k[1]), since, event.pos, lambda i: inside_quote(i, quotes)
            )
            if found and not found[0]:
                found = speakers.add(found[1], found[2], True)[0]
            if found is None and last is not None and not last.candidates and last.pos in by_pronoun:
                found = by_pronoun[last.pos]  # "he said: “...” ... “...,” he added": the same person
            if found:
                if event.pos not in by_pronoun:
                    insort(resolved_at.setdefault(event.pronoun, []), event.pos)
                by_pronoun[event.pos] = found
                return [found]
        walk = unquoting_upto[bisect_left(event_at, event.pos) - 1] if event_at and event_at[0] < event.pos else -1
        while walk >= 0:  # back over the events with a speaker or blocking (the others are passed over)
            earlier = events[walk]
            walk = unquoting_upto[walk - 1] if walk else -1
            if earlier.candidates:
                if event.pronoun in {"he", "she"} and not any(person for _k, person in earlier.candidates):
                    continue  # "armed men ... crying “...”", then “...,” she said: not the men
                orgs = [k for k, person in earlier.candidates if not person]
                if (
                    event.pronoun in {"it", "they"}
                    and orgs
                    and not any(person for _k, person in earlier.candidates)
                    and all(k in speakers.descriptions for k in orgs)
                ):
                    continue  # "it said" names the organisation, not "the rights group" that stood for it
                return choose(earlier.candidates, event.pronoun, text)
            if earlier.blocking:
                return []
        return []

    out: list[Suggestion] = []
    paras = paragraphs(text)
    headlines: list[Suggestion] = []
    previous: tuple[_Quote, list[tuple[str, int, int]] | None] | None = None
    for q in quotes:
        start, end = q.start, q.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
            end -= 1  # the words of the quote (for the checks below); the span keeps the marks
        if end <= start:
            continue
        before = text[max(0, q.open_at - 40) : q.open_at]
        speaker: list[tuple[str, int, int]] | None = None
        attributed = False
        what = _WHAT_CALLS.search(text, max(0, q.open_at - 90), q.open_at)
        if what:  # the subject of "calls" said it
            found = speakers.in_range(what.start("who"), what.end("who"), adjacent="before", quotes=quotes)
            if not found and what.group("who").lower() in {"they", "it", "he", "she"}:  # the sentence's subject
                s0 = sentence_start(text, what.start())
                found = speakers.in_range(s0, what.start(), quotes=quotes)[:1]
                earlier = [e for e in events_in(s0, what.start()) if e.candidates]  # "a chief condemned"
                found = found or (earlier[-1].candidates[:1] if earlier else [])
            attributed, speaker = True, [found[-1][0]] if found else None
        elif quote_context.naming(before):
            continue
        # 1. attribution after the closing mark: ', said X' / 'X said' / 'he said'
        if q.close_at is not None and not attributed:
            tail_end = sentence_end(text, q.close_at + 1)
            para_end = text.find("\n", q.close_at)
            if para_end != -1:
                tail_end = min(tail_end, para_end)
            next_index = bisect_right(open_ats, q.close_at)
            nxt_open = open_ats[next_index : next_index + 1]
            if nxt_open and len(text[start:end].split()) > 3:  # a phrase quote shares its sentence's verb
                tail_end = min(tail_end, nxt_open[0])
            tail = text[q.close_at + 1 : tail_end]
            if (
                text[end - 1] in ".!?"
                and tail.lstrip()[:1].isupper()
                and quote_frames.indirect(text, q.open_at, last_event_in)
            ):
                tail = ""  # 'X said the city was "horrific." Y was quoted ...': the quote ends X's sentence
            # up to 14 words before the verb: "Jean Mbeko, president of the local Red Cross, told"
            m = re.match(
                rf"^[\s,]*(?:(?:[^\s.!?]+|[A-Z][a-z]{{1,4}}\.)\s+){{0,18}}?(?:{VERBS})(?![\w-])", tail, re.IGNORECASE
            )
            if m:
                verb_pos = q.close_at + 1 + m.end()
                following = bisect_left(event_at, q.close_at + 1)
                after = events[following] if following < len(events) and event_at[following] < verb_pos else None
                if after is not None:
                    attributed = True
                    speaker = resolve(after)
        # 2. attribution before the opening mark, in the same sentence
        if not attributed:
            s0 = sentence_start(text, q.open_at)
            verbs = last_event_in(s0, q.open_at)
            if verbs:
                event = verbs[-1]
                gap = len(re.findall(r"\S+", text[event.pos : q.open_at]))
                # indirect speech reaches further: "said in a statement that its troops had ... "restored order""
                if gap <= 14 or gap <= 40 and re.search(r"\bthat\b", text[event.pos : q.open_at]):
                    attributed = True
                    if event.pronoun in {"it", "they"} and not event.candidates:
                        # "Human Rights Watch highlighted ..., which, it said, “...”"
                        first = speakers.in_range(s0, event.pos, quotes=quotes)
                        if first and not text[s0 : first[0][0][1]].strip(' “"') and not first[0][1]:
                            speaker = [first[0][0]]
                    if speaker is None:
                        speaker = resolve(event)
        # 2b. a frame without a speech verb next to the mark: "described X ... as “...”", "the word they used was"
        if not attributed:
            attributed, speaker = quote_frames.framed(text, q.open_at, speakers, quotes, last_event_in, resolve)
        # 3. a quote continuing the previous one: same paragraph, or a paragraph of its own
        if not attributed and previous is not None:
            prev_q, prev_speaker = previous
            same_para = prev_q.paragraph == q.paragraph
            next_para = q.paragraph == prev_q.paragraph + 1 and (q.whole_paragraph or prev_q.close_at is None)
            if same_para or next_para:
                attributed, speaker = True, prev_speaker
        # 4. a paragraph that is all quote, after a paragraph ending in reported speech ("He said the militias ...")
        if not attributed and q.whole_paragraph:
            lead_end = q.open_at  # the previous paragraph's end
            while lead_end and text[lead_end - 1].isspace():
                lead_end -= 1
            lead = last_event_in(sentence_start(text, max(0, lead_end - 1)), lead_end) if lead_end else []
            if lead and not inside_quote(lead[0].pos, quotes):
                attributed, speaker = True, resolve(lead[0]) or None
        words = len(re.findall(r"[^\W_]+", text[start:end]))
        if not attributed:
            attributed, speaker = quote_context.in_context(
                text, q, words, paras[q.paragraph], events_in, resolve, partial(inside_quote, quotes=quotes)
            )
        phrase = text[start:end].split()
        if (
            not attributed
            and q.close_at is not None
            and 2 <= len(phrase) <= 6
            and not q.whole_paragraph
            and not all(w[:1].isupper() for w in phrase)  # “People’s Defense Forces”: a name
        ):
            # "The minister decries the ‘worst payback killing’": a phrase quote after the main verb is its subject's
            speaker = quote_frames.clause_subject(text, q.open_at, speakers, quotes)
            attributed = speaker is not None
        headline = (
            not attributed
            and "headline" in quote_context.CONTEXT
            and quote_context.headline(text, q, paras[q.paragraph])
        )
        attributed = attributed or headline  # "Refugees ‘escape horror’ of the battle": its speaker comes later
        # a quote opened after a colon mid-paragraph that runs on to the paragraph's end, unclosed
        opened_after_colon = q.close_at is None and text[max(0, q.open_at - 2) : q.open_at].strip() == ":"
        if not attributed and (words < min_words or not (q.whole_paragraph or opened_after_colon)):
            continue
        if words < 2 and not (attributed and q.close_at is not None):
            continue  # a one-word quote only with its attribution: “Brutal” shelling ..., he said
        # the span is the quotation with its marks (and the punctuation inside them, the
        # comma of "...,” he said" too); a paragraph of a multi-paragraph quote has no
        # closing mark and ends with its paragraph
        span_end = q.close_at + 1 if q.close_at is not None else q.end
        while span_end > q.open_at + 1 and text[span_end - 1].isspace():
            span_end -= 1
        suggestion = Suggestion(label=label, start=q.open_at, end=span_end, source=SOURCE)
        if speaker and speaker_attr:
            suggestion.link_keys = {speaker_attr: tuple(dict.fromkeys(speaker))}
        out.append(suggestion)
        if headline:
            headlines.append(suggestion)
        else:
            previous = (q, speaker)
    if speaker_attr and headlines:  # a headline quotes the body: the speaker of the quote its words recur in
        quote_context.speakers_from_body(text, headlines, out, speaker_attr)
    used = {k for s in out for keys in s.link_keys.values() for k in keys}
    new_actors = [s for s in speakers.new.values() if s.key in used or (s.start, s.end) in speakers.offered]
    return new_actors + out
