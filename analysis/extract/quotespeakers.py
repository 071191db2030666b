"""Who said a quote: the attribution rules and the speaker they find, pronouns resolved."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.extract.namecues import bare, title_words
from analysis.extract.namespans import titled_names
from analysis.extract.quotecues import (
    SUBJECT_DEPS,
    Frame,
    beside,
    cue_text,
    dependent,
    is_speech,
    quote_lexicon,
    subject_of,
)
from analysis.extract.quotekind import SET_OFF
from analysis.extract.quotemarks import QuoteMap
from analysis.records import EntityKey, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass(slots=True)
class Attribution:
    """Who said a quote: the speaker as written, their entity and the speech verb (cue)."""

    speaker: str | None = None
    entity: EntityKey | None = None
    cue: str | None = None
    title: str | None = None  # the speaker's title as written beside the name


# -- attribution -----------------------------------------------------------------------------


def attribute(art: QuoteMap, k: int, frame: Frame, cue: Token | None, lead: str) -> Attribution:
    """Who said quote k, by the first rule that finds a speaker."""
    assert art.doc is not None
    if cue is None:
        cue = dependent(art, k, frame)
    if cue is not None:
        found = _speaker(art, subject_of(art, cue))
        found.cue = cue_text(cue)
        if found.speaker is not None:
            return found
        fallback = _others(art, k, frame, lead, skip=cue.i)
        return fallback if fallback.speaker is not None else found
    return _others(art, k, frame, lead, skip=-1)


def _others(art: QuoteMap, k: int, frame: Frame, lead: str, skip: int) -> Attribution:
    """Rules for a quote no speech verb governs: 'according to', '— X', a verb beside it,
    'X:' and the subject of the clause that sets it off."""
    assert art.doc is not None
    source = _according(art, k, frame)
    if source is not None:
        found = _speaker(art, source)
        found.cue = "according to"
        return found
    dashed = _dash(art, k)
    if dashed is not None:
        found = _speaker(art, dashed)
        return found
    cue = beside(art, k, frame)
    if cue is not None and cue.i != skip:
        found = _speaker(art, subject_of(art, cue))
        found.cue = cue_text(cue)
        return found
    lead_s = lead.rstrip()
    doc = art.doc
    lead_verbs = any(
        doc[i].pos_ in ("VERB", "AUX") for i in range(frame.lo, frame.open_tok) if doc[i].is_alpha
    )
    if lead_s.endswith(":") and not lead_verbs:
        # A transcript label ("Secretary James Roche: “…”").
        mention = art.mention_at(art.pairs[k].open_at - (len(lead) - len(lead_s)) - 2)
        if mention is not None and mention.entity.type in ("PERSON", "ORG", "GPE", "NORP"):
            head = art.doc[art.token_at(mention.span.end - 1)]
            found = _speaker(art, head)
            if found.title is None:  # "Secretary of the Navy Richard Danzig: “…”"
                before = range(frame.lo, art.token_at(mention.span.start))
                found.title = title_text(doc, [i for i in before if art.inside[i] == -1])
            return found
        labelled = _labelled_person(art, frame)
        if labelled is not None:  # "Randy Baseler, Boeing vice president: “…”"
            after = range(art.token_at(labelled.span.end - 1) + 2, frame.open_tok)
            role = [i for i in after if art.inside[i] == -1 and doc[i].text != ":"]
            return Attribution(labelled.span.text, labelled.entity, title=title_text(doc, role))
    if lead_s.endswith(SET_OFF):
        return _set_off_subject(art, k, frame)
    return Attribution()


def _labelled_person(art: QuoteMap, frame: Frame) -> Mention | None:
    """The person in a label 'Name, role:' ("Randy Baseler, Boeing vice president: “…”")."""
    assert art.doc is not None
    doc = art.doc
    first = next((t for t in doc[frame.lo : frame.open_tok] if t.is_alpha), None)
    if first is None:
        return None
    mention = art.mention_at(first.idx)
    if mention is None or not _is_person(art, mention):
        return None
    after = art.token_at(mention.span.end - 1) + 1
    return mention if after < frame.open_tok and doc[after].text == "," else None


def _according(art: QuoteMap, k: int, frame: Frame) -> Token | None:
    """X in 'according to X' beside the quote."""
    assert art.doc is not None
    doc = art.doc
    for i in range(frame.lo, frame.hi - 1):
        if art.inside[i] != -1 or doc[i].lower_ != "according" or doc[i + 1].lower_ != "to":
            continue
        for c in (*doc[i + 1].children, *doc[i].children):
            if c.dep_ == "pobj" and art.inside[c.i] == -1:
                return c
    return None


def _dash(art: QuoteMap, k: int) -> Token | None:
    """X in a quote followed by '— X'."""
    assert art.doc is not None
    pair = art.pairs[k]
    after = art.text[pair.end : pair.end + 12]
    match = re.match(r"[^\w\n]{0,3}?\s*(?:[—―–]|--?\s)\s*", after)
    if not match or not re.search(r"[—―–-]", match.group(0)):
        return None
    at = pair.end + match.end()
    if at >= len(art.text) or not art.text[at].isupper():
        return None
    token = art.doc[art.token_at(at)]
    mention = art.mention_at(at)
    if mention is not None:
        return art.doc[art.token_at(mention.span.end - 1)]
    return token if token.pos_ in ("PROPN", "NOUN") else None


def _set_off_subject(art: QuoteMap, k: int, frame: Frame) -> Attribution:
    """The subject of the clause that sets the quote off with a comma or colon."""
    assert art.doc is not None
    doc = art.doc
    for i in range(frame.open_tok - 1, frame.lo - 1, -1):
        token = doc[i]
        if art.inside[i] != -1 or token.pos_ not in ("VERB", "AUX"):
            continue
        for c in token.children:
            if c.dep_ in SUBJECT_DEPS and art.inside[c.i] == -1:
                found = _speaker(art, c)
                if found.entity is not None:
                    return found
    return Attribution()


def carry_over(art: QuoteMap, k: int, found: list[tuple[str, Attribution]]) -> Attribution:
    """A standalone quote with no verb of its own: the previous quote's or sentence's speaker."""
    pair = art.pairs[k]
    here = art.paragraph_of(pair.start)
    for j in range(k - 1, -1, -1):
        kind, previous = found[j]
        if kind == "title":
            continue
        before = art.pairs[j]
        if here - before.last_paragraph > 1 or pair.open_at - before.end > 600:
            break
        if previous.speaker is None:
            break
        others = [
            m
            for m in _mentions_between(art, before.end, pair.open_at)
            if _is_person(art, m) and m.entity != previous.entity
        ]
        if others:
            break
        return Attribution(previous.speaker, previous.entity, previous.cue)
    return _previous_sentence(art, k)


def described_after(art: QuoteMap, k: int) -> Attribution | None:
    """The speaker a standalone quote's next sentence names as its own: "That was how Steve
    Jobs once described the iPod", "Those were the words of union leader Ann Lee"."""
    doc = art.doc
    if doc is None:
        return None
    lex = quote_lexicon()
    pair = art.pairs[k]
    i = art.token_at(pair.close_at) + 1
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i >= len(doc) or art.inside[i] != -1 or art.paragraph_of(doc[i].idx) != pair.last_paragraph:
        return None
    subject, root = doc[i], doc[i].head
    if subject.lower_ not in lex.after_subjects or subject.dep_ != "nsubj":
        return None
    if root.dep_ != "ROOT" or root.lemma_ != "be":
        return None
    for child in root.children:
        if child.dep_ == "ccomp" and is_speech(child):
            clause = doc[child.left_edge.i : child.i]
            if any(t.lower_ in lex.after_wh for t in clause):
                found = _speaker(art, subject_of(art, child))
                found.cue = cue_text(child)
                return found if found.entity is not None else None
        if child.dep_ == "attr" and child.lemma_.lower() in lex.after_nouns:
            of = [c for c in child.children if c.dep_ == "prep" and c.lower_ == "of"]
            heads = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
            if heads:
                found = _speaker(art, heads[0])
                return found if found.entity is not None else None
    return None


def _previous_sentence(art: QuoteMap, k: int) -> Attribution:
    """The speaker named in the sentence before a standalone quote."""
    if art.doc is None:
        return Attribution()
    doc = art.doc
    pair = art.pairs[k]
    open_tok = art.token_at(pair.open_at)
    # Sentences as the writer made them: never across a paragraph break.
    s_lo = max(
        art.sentence_of(open_tok)[0], art.paragraph_tokens(pair.paragraph, pair.paragraph)[0]
    )
    if s_lo == 0 or pair.paragraph - art.paragraph_of(doc[s_lo - 1].idx) > 1:
        return Attribution()
    before = art.paragraph_of(doc[s_lo - 1].idx)
    p_lo = max(art.sentence_of(s_lo - 1)[0], art.paragraph_tokens(before, before)[0])
    p_hi = s_lo
    tokens = [t for t in doc[p_lo:p_hi] if art.inside[t.i] == -1 and t.i not in art.marks]
    words = [t for t in tokens if not t.is_space]
    introduces = bool(words) and words[-1].text == ":"
    for token in reversed(tokens):
        if is_speech(token):
            found = _speaker(art, subject_of(art, token))
            if found.speaker is not None:
                # "X told supporters:" and the quote below: the verb is its cue.
                found.cue = cue_text(token) if introduces else None
                return found
    for token in tokens:
        if token.dep_ == "ROOT":
            for c in token.children:
                if c.dep_ in SUBJECT_DEPS:
                    found = _speaker(art, c)
                    if found.entity is not None and found.entity.type == "PERSON":
                        return found
    return Attribution()


# -- speakers --------------------------------------------------------------------------------


def _speaker(art: QuoteMap, head: Token | None) -> Attribution:
    """The speaker whose head token is `head`, as written and linked to its entity."""
    if head is None:
        return Attribution()
    lex = quote_lexicon()
    lower = head.lower_
    if head.pos_ == "PRON" or lower in lex.person_pronouns or lower in lex.group_pronouns:
        antecedent = None
        if lower in lex.person_pronouns or lower in lex.group_pronouns:
            antecedent = _antecedent(art, head, lower in lex.person_pronouns)
        if isinstance(antecedent, Mention):
            return Attribution(head.text, antecedent.entity)
        if antecedent is not None:
            referent = nominal_referent(art, antecedent)
            if referent is not None:  # "the company ... it said": the company the article named
                return Attribution(head.text, referent.entity)
            # An antecedent with no name ("the defence secretary … he said"): show it, not "he".
            return Attribution(_phrase(antecedent), None)
        return Attribution(head.text, None)
    if head.lemma_.lower() in lex.message_nouns:
        source = _message_source(art, head)
        if source is not None and source.i != head.i:
            return _speaker(art, source)
    mention = art.mention_at(head.idx)
    if mention is not None and not art.in_quote(mention.span.start, mention.span.end):
        conj = [c for c in head.children if c.dep_ == "conj"]
        if not conj:
            title = speaker_title(art, head, mention)
            return Attribution(mention.span.text, mention.entity, title=title)
    named = _apposed_name(art, head) or _titled_name(art, head)
    if named is not None:
        found = art.mention_at(named.idx)
        assert found is not None
        return Attribution(found.span.text, found.entity, title=speaker_title(art, head, found))
    referent = nominal_referent(art, head)
    if referent is not None:
        return Attribution(_phrase(head), referent.entity)
    return Attribution(_phrase(head), None)


def nominal_referent(art: QuoteMap, noun: Token) -> Mention | None:
    """What 'the company', 'the ministry', 'the daily' refers to: the organisation the article
    described with that noun ('the Le Monde newspaper', 'Le Monde, the French daily'), else
    the latest mention of a type the noun may name, looking back sentence by sentence."""
    lex = quote_lexicon()
    lemma = noun.lemma_.lower()
    types = lex.referents.get(lemma)
    if types is None or noun.tag_ not in ("NN", "NNP") or not noun.text.islower():
        return None  # one, in lower case: "the daily" is tagged a proper noun at times
    children = list(noun.children)
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in children):
        return None  # "a company said" is not the one named before
    if any(c.dep_ in ("compound", "poss", "appos", "prep", "nmod") for c in children):
        return None  # "the parent company of X", "the Chinese company Huawei": not a back-reference
    before = [
        m
        for m in _mentions_between(art, 0, noun.idx)
        if m.entity.type != "PERSON" and not art.in_quote(m.span.start, m.span.end)
    ]
    described = [m for m in before if _described_as(art, m, lemma)]
    if described:
        return described[-1]  # then any type will do: the model types "Le Figaro" a place
    if lemma in lex.introduced:
        return None
    fitting = [
        m
        for m in before
        if m.entity.type in types and not (lemma in lex.businesses and _after_the(art, m))
    ]
    # The latest sentence with a fitting name, its subject first: in "Ryanair ordered jets
    # from Boeing. 'The airline said'" the airline is Ryanair.
    assert art.doc is not None
    s_index = bisect.bisect_right(art.sentence_starts, noun.i) - 1
    for s in range(s_index, max(-1, s_index - 8), -1):
        lo = art.doc[art.sentence_starts[s]].idx
        hi = (
            art.doc[art.sentence_starts[s + 1]].idx
            if s + 1 < len(art.sentence_starts)
            else noun.idx
        )
        here = [m for m in fitting if lo <= m.span.start < hi]
        if here:
            subjects = [m for m in here if _mention_is_subject(art, m)]
            return (subjects or here)[-1]
    return None


def _after_the(art: QuoteMap, mention: Mention) -> bool:
    """Written after a 'the' of its own ("the Pentagon"): a body or a place, not a business;
    in "the Airbus website" the 'the' is the website's."""
    before = art.text[max(0, mention.span.start - 4) : mention.span.start]
    if before.lower() != "the ":
        return False
    assert art.doc is not None
    span = art.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return span is not None and span.root.dep_ != "compound"


def _described_as(art: QuoteMap, mention: Mention, lemma: str) -> bool:
    """Whether the article calls this name by the noun: 'the Le Monde newspaper' (compound),
    'Le Monde, the French daily' (apposition)."""
    assert art.doc is not None
    span = art.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ == "compound" and root.head.lemma_.lower() == lemma:
        return True
    if root.dep_ == "appos" and root.head.lemma_.lower() == lemma:
        return True
    return any(c.dep_ == "appos" and c.lemma_.lower() == lemma for c in root.children)


def _apposed_name(art: QuoteMap, head: Token) -> Token | None:
    """A name in apposition to a titled speaker ('the vice-president, Greg Joswiak, said')."""
    skip = {t.i for c in head.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    for t in head.subtree:
        if t.i in skip or t.dep_ != "appos" or art.inside[t.i] != -1:
            continue
        mention = art.mention_at(t.idx)
        # Any name will do: in apposition to a title it is a person, whatever its type says.
        if mention is not None and mention.entity.type in ("PERSON", "ORG", "NORP", "GPE"):
            return t
    return None


def _titled_name(art: QuoteMap, head: Token) -> Token | None:
    """The person a title phrase ends on: 'Commissioner for Competition Neelie Kroes said',
    'the company president and CEO Louis Gallois said'; the title is not the speaker."""
    titles = title_words()
    if bare(head.text) not in titles and head.lemma_.lower() not in quote_lexicon().person_nouns:
        return None
    skip = {t.i for c in head.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    after_brief = {start for _, start, _ in titled_names(head.doc)}
    for t in head.subtree:
        if t.i in skip or art.inside[t.i] != -1:
            continue
        mention = art.mention_at(t.idx)
        if mention is None or not _is_person(art, mention):
            continue
        if art.token_at(mention.span.start) in after_brief:
            return t
        titled = any(c.dep_ == "compound" and bare(c.text) in titles for c in t.children)
        if t.dep_ == "conj" and t.head.i == head.i and titled:
            return t  # "president and CEO Louis Gallois": one person, two titles
    return None


def speaker_title(art: QuoteMap, head: Token, name: Mention) -> str | None:
    """The title a speaker is given beside their name, as written: "European Commissioner for
    Competition" of "... Neelie Kroes said", "company president and CEO" of "The company
    president and CEO Louis Gallois said", "Apple's chief executive" of "Tim Cook, Apple's
    chief executive, said". The words of the speaker's phrase next to the name, without its
    clauses and leading article; None unless they hold a title or a word for a person."""
    doc = head.doc
    lo, hi = art.token_at(name.span.start), art.token_at(name.span.end - 1)
    skip = {t.i for c in head.children if c.dep_ in ("relcl", "acl", "advcl") for t in c.subtree}
    words = {t.i for t in head.subtree if t.i not in skip and art.inside[t.i] == -1}
    for run in (_run(doc, words, lo - 1, -1), _run(doc, words, hi + 1, 1)):
        title = title_text(doc, run)
        if title is not None:
            return title
    return None


def title_text(doc: Doc, run: list[int]) -> str | None:
    """The words of tokens `run` (in text order) as a title: without a leading article or
    trailing conjunction, whole words ("vice-president"), and only when they hold a title or
    a word for a person that is not a courtesy title alone ("Mr.")."""
    lex = quote_lexicon()
    # Not an article, nor the speech verb of an inverted frame the parse took for a noun
    # ("..., claims writer John Ostrower").
    while run and (
        doc[run[0]].lower_ in lex.determiners
        or not _wordlike(doc[run[0]])
        or doc[run[0]].lemma_.lower() in lex.speech
    ):
        run = run[1:]
    if run and doc[run[0]].pos_ == "ADP":
        return None  # the end of a title cut by a sentence break ("... to the Secretary")
    while run and (not _wordlike(doc[run[-1]]) or doc[run[-1]].lower_ in ("and", "or")):
        run = run[:-1]
    if not run:
        return None
    lo, hi = run[0], run[-1]
    while (
        lo >= 2
        and doc[lo - 1].text in ("-", "–")
        and not (doc[lo - 2].whitespace_ or doc[lo - 1].whitespace_)
    ):
        lo -= 2  # whole words: the "vice-" of "vice-president"
    titles = title_words()
    courtesy = lex.courtesy_titles
    words = [bare(doc[i].text) for i in range(lo, hi + 1) if _wordlike(doc[i])]
    holds = any(w in titles or w in lex.person_nouns for w in words) or any(
        doc[i].lemma_.lower() in lex.person_nouns for i in range(lo, hi + 1)
    )
    if not holds or all(w in courtesy for w in words):
        return None
    return str(doc[lo : hi + 1].text)


def _run(doc: Doc, words: set[int], start: int, step: int) -> list[int]:
    """The token indices of `words` next to each other from `start` on, in text order; a
    comma or dash right beside the name is stepped over ("Tim Cook, Apple's chief executive")."""
    i = start
    if 0 <= i < len(doc) and i in words and doc[i].text in (",", "-", "–", "—"):
        i += step
    run = []
    while 0 <= i < len(doc) and i in words and doc[i].text not in (",", ";", ":", "(", ")"):
        run.append(i)
        i += step
    return sorted(run)


def _wordlike(token: Token) -> bool:
    return any(ch.isalnum() for ch in token.text)


def _phrase(head: Token) -> str:
    """The speaker's words: the head with its modifiers, no clauses, no leading article."""
    keep = {head.i}
    for c in head.children:
        if c.dep_ in ("relcl", "acl", "appos", "punct", "advcl"):
            continue
        if c.dep_ == "prep" and not (c.lower_ == "of" and c.i > head.i):
            continue
        keep.update(t.i for t in c.subtree)
    lo, hi = min(keep), max(keep)
    doc = head.doc
    while lo < hi and (doc[lo].lower_ in quote_lexicon().determiners or doc[lo].is_punct):
        lo += 1
    if hi - lo >= 8:
        lo = hi = head.i
    return doc[lo : hi + 1].text


def _message_source(art: QuoteMap, noun: Token) -> Token | None:
    """Whose words a message noun carries: its owner or author, else whoever sent it."""
    for c in noun.children:
        if c.dep_ in ("poss", "compound") and _names_someone(art, c):
            return c
        if c.dep_ == "prep" and c.lower_ in ("by", "from", "of", "on", "in"):
            for g in c.children:
                if g.dep_ != "pobj":
                    continue
                if _names_someone(art, g):
                    return g
                owner = [x for x in g.children if x.dep_ in ("poss", "compound")]
                if owner and _names_someone(art, owner[0]):
                    return owner[0]
    if noun.dep_ in ("dobj", "pobj") and noun.head.i != noun.i:
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        if verb.pos_ in ("VERB", "AUX"):
            return subject_of(art, verb)
    return noun


def _names_someone(art: QuoteMap, token: Token) -> bool:
    mention = art.mention_at(token.idx)
    return mention is not None and mention.entity.type in ("PERSON", "ORG", "GPE", "NORP")


def _antecedent(art: QuoteMap, pronoun: Token, person: bool) -> Mention | Token | None:
    """What a speaker pronoun refers to: the latest fitting entity mention or unnamed subject
    ('the defence secretary'), looking back sentence by sentence, subjects first."""
    assert art.doc is not None
    doc = art.doc
    plural = pronoun.lower_ in ("they", "them")
    s_index = bisect.bisect_right(art.sentence_starts, pronoun.i) - 1
    for s in range(s_index, max(-1, s_index - 8), -1):
        s_lo = art.sentence_starts[s]
        s_hi = pronoun.i if s == s_index else art.sentence_of(s_lo)[1]
        if s_hi <= s_lo:
            continue
        end_char = doc[s_hi - 1].idx + len(doc[s_hi - 1])
        candidates: list[tuple[int, bool, Mention | Token]] = []
        for m in _mentions_between(art, doc[s_lo].idx, end_char):
            if art.in_quote(m.span.start, m.span.end) or not _fits(art, m, person):
                continue
            candidates.append((m.span.start, _mention_is_subject(art, m), m))
        for t in doc[s_lo:s_hi]:
            subject = t.dep_ in ("nsubj", "nsubjpass") and art.inside[t.i] == -1
            if subject and art.mention_at(t.idx) is None and _noun_fits(t, person, plural):
                candidates.append((t.idx, True, t))
        if candidates:
            subjects = [c for c in candidates if c[1]] or candidates
            return max(subjects, key=lambda c: c[0])[2]
    return None


def _fits(art: QuoteMap, mention: Mention, person: bool) -> bool:
    """Whether a mention can be what a he/she (person) or it/they pronoun refers to."""
    if not person:
        return mention.entity.type in quote_lexicon().group_types
    if _is_person(art, mention):
        return True
    # A name the model mistyped, with a title beside it ("police spokeswoman Resila Onyango").
    assert art.doc is not None
    span = art.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    people = quote_lexicon().person_nouns
    return span is not None and any(
        c.lemma_.lower() in people for c in span.root.children if c.dep_ in ("compound", "appos")
    )


def _noun_fits(token: Token, person: bool, plural: bool) -> bool:
    """Whether an unnamed subject can be what the pronoun refers to."""
    lex = quote_lexicon()
    lemma = token.lemma_.lower()
    if plural:
        return token.tag_ in ("NNS", "NNPS") or lemma in lex.institution_nouns
    if person:
        return token.tag_ == "NNP" or (token.tag_ == "NN" and lemma in lex.person_nouns)
    return token.tag_ in ("NN", "NNP") and lemma in lex.institution_nouns


def _mentions_between(art: QuoteMap, start: int, end: int) -> Iterator[Mention]:
    i = bisect.bisect_left(art.mention_starts, start)
    while i < len(art.mentions) and art.mentions[i].span.start < end:
        if art.mentions[i].span.end <= end:
            yield art.mentions[i]
        i += 1


def _is_person(art: QuoteMap, mention: Mention) -> bool:
    if mention.entity.type == "PERSON":
        return True
    # A surname the model typed otherwise ("Trump" as ORG) that names a person elsewhere.
    words = mention.span.text.split()
    return bool(words) and words[-1].lower() in art.person_names


def _mention_is_subject(art: QuoteMap, mention: Mention) -> bool:
    assert art.doc is not None
    span = art.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    while root.dep_ in ("compound", "appos", "conj") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")
