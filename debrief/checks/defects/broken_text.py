"""`broken_text`: text cut off, broken characters, another script or language, and readable
sentences a careful reader would still rewrite (ruling 16).

Cut off: a paragraph (or the whole note) that stops without end punctuation ("…to ensure that
the school's mission," before the sign-off), a word cut short ("FreshWay Groce"), a subject that
stops inside one of the user's phrases at the length the model was allowed ("…usable with a
screen"). Broken characters: the replacement character or mojibake ("â€™"). Another script: a
letter outside the Latin alphabet that the inputs do not use ("to the支行"). Another language: a
sentence most of whose words are French, German or Spanish rather than English.

Ruling 16, seen in the notes whose frame code writes around the candidate's own lines: a word
that points at nothing — "I would welcome the chance to bring this to the … role" when the
sentence before it is only the interviewer's topics or a fact about the employer, nothing the
candidate could bring; an answer after "your question:" (the question itself unnamed) whose
pronoun has no noun to stand for ("…agree a safe way to contact her", "I would build it from…") —
and a jotting pasted in after a colon ("I'd add: a monthly stock-out review…"). An institution
named "University of …" needs its article ("at University of Eastbrook").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

from debrief.checks.defects.text import NoteText, all_input_texts
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import STOPWORDS, has_terminal_punctuation, word_set, words

KEY = "broken_text"

_MOJIBAKE = re.compile("\ufffd|Ã[\u0080-\u00bf]|â€|Â[\u00a0-\u00bf]")
_SHORT_LINE = 3  # words: a heading or a name, not a sentence
# A subject this long may have been cut at the length the JSON schema allowed (70 characters).
_LONG_SUBJECT = 60
_COMMON_WORD = 3.0  # zipf: a word this common is not a cut-off one
_OTHER_LANGUAGES = ("fr", "de", "es")
_FOREIGN_GAP = 1.5  # zipf: this much more common in another language than in English
_MIN_FOREIGN_WORDS = 3
_FOREIGN_SHARE = 0.4


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def _foreign_script(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    allowed = {char for text in all_input_texts(inputs) for char in text}
    for line in note.lines:
        if line.role in ("signature",):
            continue
        for match in re.finditer(r"\w+", line.text):
            token = match.group()
            if any(c.isalpha() and not _is_latin(c) and c not in allowed for c in token):
                start = line.text.rfind(" ", 0, match.start())
                span = line.text[start + 1 : match.end()] if start >= 0 else token
                reason = f"'{token}' is in another script in the middle of an English note."
                return [Defect(KEY, span, reason)]
    return []


@lru_cache(maxsize=8192)
def _frequencies(word: str) -> tuple[float, float]:
    """(zipf in English, highest zipf in French, German or Spanish)."""
    english = float(zipf_frequency(word, "en"))
    return english, max(float(zipf_frequency(word, language)) for language in _OTHER_LANGUAGES)


def _is_foreign(word: str) -> bool:
    english, other = _frequencies(word)
    return other >= 3.0 and other - english >= _FOREIGN_GAP


def _input_words(inputs: NoteInputs) -> set[str]:
    return {word for source in all_input_texts(inputs) for word in words(source)}


def _running_words(sentence: str) -> list[str]:
    # Capitalised words are names more often than not; only the running words tell.
    return [t for t in re.findall(r"[^\W\d_]+", sentence) if t.islower() and len(t) > 1]


def foreign_words(sentence: str) -> list[str]:
    """The running words of a sentence that are French, German or Spanish rather than English,
    when they are enough of the sentence to make it one in another language; else []."""
    tokens = _running_words(sentence)
    foreign = [t for t in tokens if _is_foreign(t)]
    if len(foreign) >= _MIN_FOREIGN_WORDS and len(foreign) / len(tokens) >= _FOREIGN_SHARE:
        return foreign
    return []


def _other_language(note: NoteText) -> list[Defect]:
    return [
        Defect(KEY, sentence, "This sentence is not in English.")
        for sentence in note.sentences
        if foreign_words(sentence)
    ]


def _cut_word(text: str, inputs: NoteInputs) -> bool:
    """Whether the last word of `text` is a known word of the inputs cut short ("Groce")."""
    tokens = re.findall(r"[^\W\d_]+", text)
    if not tokens:
        return False
    last = tokens[-1].lower()
    if len(last) < 3 or zipf_frequency(last, "en") >= _COMMON_WORD:
        return False  # "interview" is a word, even if the stage says "interviews"
    given = _input_words(inputs)
    return last not in given and any(
        word.startswith(last) and len(word) > len(last) for word in given
    )


def _cut_phrase(text: str, inputs: NoteInputs) -> bool:
    """Whether `text` ends inside one of the user's noun phrases ("…usable with a screen" of
    "…usable with a screen reader"; "…patient falls" of "patient falls at night" is whole)."""
    tail = words(text)[-3:]
    if len(tail) < 3:
        return False
    for source in all_input_texts(inputs):
        tokens = words(source)
        for i in range(len(tokens) - 3):
            if tokens[i : i + 3] == tail and tokens[i + 3] not in STOPWORDS:
                return True
    return False


def _cut_off(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    found = []
    for paragraph in note.paragraphs:
        last = paragraph[-1]
        if len(last.split()) <= _SHORT_LINE or has_terminal_punctuation(last):
            continue
        sentences = [s for s in note.sentences if last.endswith(s)]
        span = sentences[-1] if sentences else last
        tail = re.search(r"\S+\s+\S+$", last)
        if _cut_word(last, inputs) and tail:
            span = tail.group()  # "FreshWay Groce"
        found.append(Defect(KEY, span, "The text stops in the middle of a sentence."))
    subject = note.subject_text
    if subject and not has_terminal_punctuation(subject):
        cut = _cut_word(subject, inputs)
        if cut or (len(subject) >= _LONG_SUBJECT and _cut_phrase(subject, inputs)):
            found.append(Defect(KEY, subject, "The subject stops in the middle of a phrase."))
    return found


# --------------------------------------------------------------------------------------------
# Ruling 16: words that point at nothing, jottings
# --------------------------------------------------------------------------------------------

# "bring this to the … role": "this" must stand for something the candidate said they would do.
_BRING_THIS = re.compile(r"\bbring\s+(?:this|that|these|it|them)\s+to\b", re.IGNORECASE)
# A clause in the candidate's voice saying what they would do, did or have: something to bring.
_CANDIDATE_CLAUSE = re.compile(
    r"^\s*(?:I\s+(?!hope\b|look\b|am\s+(?:still|grateful|keen)|enjoyed\b|appreciate"
    r"|would\s+(?:welcome|love)\b)"
    r"|I['\u2019](?:d|ve|ll|m)\b|my\b|we\s+could\b)",
    re.IGNORECASE,
)
# Lead-ins the frame puts before the candidate's answer or takeaway. "your question:" leaves the
# question unnamed, so a pronoun in the answer can only point inside the answer.
_UNNAMED_QUESTION = re.compile(
    r"\byour\s+question(?:\s+more\s+clearly\s+than\s+I\s+did)?\s*:\s*", re.IGNORECASE
)
_PRONOUN = re.compile(r"\b(?P<p>he|him|his|she|her|they|them|their|it)\b", re.IGNORECASE)
# "it" as a dummy subject or object ("it is", "make it clear") stands for nothing and needs nothing.
_DUMMY_IT = re.compile(
    r"\s+(?:is|was|would|will|takes|took|helps|seems|means|clear|easier|easy|possible|worth"
    r"|\s*['\u2019]s)\b",
    re.IGNORECASE,
)
_DETERMINERS = word_set(
    "a an the this that these those each every any my our your their its his her one two three "
    "four five six seven eight nine ten"
)
# Nouns that a personal pronoun ("her", "they") can stand for.
_PEOPLE = word_set(
    """woman women mother mothers father fathers parent parents patient patients client clients
    customer customers child children baby babies colleague colleagues manager managers member
    members employee employees staff nurse nurses pupil pupils student students tenant tenants
    resident residents carer carers family families man men person people someone everyone
    team teams candidate candidates applicant applicants contractor contractors supplier
    suppliers analyst analysts technician technicians operative operatives volunteer volunteers
    merchant merchants user users learner learners apprentice apprentices trainee trainees
    worker workers representative representatives engineer engineers scientist scientists
    owner owners caller callers guest guests visitor visitors"""
)
# A jotting after a colon: "I'd add: a monthly stock-out review" (a noun phrase, not a sentence).
_JOTTING = re.compile(
    r"^\s*I(?:['\u2019]d|\s+would|['\u2019]ll|\s+will)?\s+(?:also\s+)?(?:add|suggest|propose"
    r"|recommend|try|like|want|do)\s*:\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# What opens an answer before its verb: "I would", "I'd then" ("i", "d" as words() cuts it).
_ANSWER_OPENING = word_set("i d would will could should also then first")
_SHORT_LEAD = 6  # words before the colon of "What stuck with me:"
_TALLY = re.compile(r"\s*\d")
_SENTENCE_START = re.compile(r"^\s*(?:I|we|my|you|this|that|it)\b", re.IGNORECASE)
_INSTITUTION = re.compile(
    r"^(?:University|College|Institute|School|Bank|Museum|Department|Royal\s+College)\s+of\s",
)


def _last_clause(sentence: str) -> str:
    """What follows the sentence's last colon ("What stuck with me: <this>"), or the sentence."""
    return sentence.rsplit(":", 1)[-1]


def _dangling_this(note: NoteText) -> list[Defect]:
    """ "bring this to the … role" after a sentence with nothing of the candidate's to bring."""
    found = []
    sentences = note.sentences
    for index, sentence in enumerate(sentences):
        match = _BRING_THIS.search(sentence)
        if match is None:
            continue
        before = sentences[index - 1] if index else ""
        if before and _CANDIDATE_CLAUSE.match(_last_clause(before)):
            continue
        reason = (
            f"'{match.group()}' points at nothing: the sentence before it holds nothing of "
            "yours to bring."
        )
        found.append(Defect(KEY, match.group(), reason))
    return found


def _has_antecedent(pronoun: str, before: str) -> bool:
    """Whether the words before a pronoun, in the same answer, hold a noun it can stand for.

    The answer opens "I would <verb> …": the verb stands for nothing, so only what follows it
    can ("I would build it" has nothing; "I would agree a baseline … against it" has one)."""
    tokens = words(before)
    start = 0
    while start < len(tokens) and tokens[start] in _ANSWER_OPENING:
        start += 1
    nouns = [token for token in tokens[start + 1 :] if token not in STOPWORDS]
    named = re.findall(r"(?<=\s)[A-Z][a-z]+", before)  # a name after the first word
    people = bool(named) or any(token in _PEOPLE for token in nouns)
    if pronoun in ("he", "him", "his", "she", "her"):
        return people
    if pronoun == "it":
        return bool(nouns)
    plural = any(t.endswith("s") and not t.endswith("ss") and len(t) > 3 for t in nouns)
    return people or plural


def _dangling_pronouns(note: NoteText) -> list[Defect]:
    """An answer after "your question:" whose pronoun has nothing in the answer to stand for."""
    found = []
    for sentence in note.sentences:
        lead = _UNNAMED_QUESTION.search(sentence)
        if lead is None:
            continue
        answer = sentence[lead.end() :]
        for match in _PRONOUN.finditer(answer):
            pronoun = match["p"].lower()
            if pronoun == "it" and _DUMMY_IT.match(answer, match.end()):
                continue
            if _has_antecedent(pronoun, answer[: match.start()]):
                continue
            verb = re.search(r"(\S+)\s+$", answer[: match.start()])
            span = f"{verb.group(1)} {match.group()}" if verb else match.group()
            reason = f"'{match.group()}' points at nothing: the note never says who or what it is."
            found.append(Defect(KEY, span, reason))
            break
    return found


def _jottings(note: NoteText) -> list[Defect]:
    """A note pasted in after a short lead-in, not a sentence: "I'd add: a monthly stock-out
    review…", "What stuck with me: 410 completions last year with just 3 paralegals." (a tally
    that opens on a numeral has no verb to make it a sentence)."""
    found = []
    for sentence in note.sentences:
        match = _JOTTING.match(sentence)
        lead, colon, rest = sentence.partition(":")
        tally = bool(colon) and len(lead.split()) <= _SHORT_LEAD and bool(_TALLY.match(rest))
        if tally or (match and not _SENTENCE_START.match(match["rest"])):
            found.append(Defect(KEY, sentence, "This is a jotting, not a sentence."))
    return found


def _missing_article(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    """ "at University of Eastbrook": an institution named "<X> of <Place>" takes "the"."""
    company = inputs.company.strip()
    if not _INSTITUTION.match(company):
        return []
    pattern = re.compile(rf"\b(?:at|to|join|with|for|from|of|in)\s+{re.escape(company)}")
    match = pattern.search(note.text)
    return [Defect(KEY, match.group(), f"'{company}' needs 'the' before it.")] if match else []


# --------------------------------------------------------------------------------------------
# Garbled words and sentences
# --------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\[[^\]\n]{2,80}\]")
# "Thank Marcus for sharing his insights": the instruction echoed, not a sentence to Marcus.
_THANK_NAME = re.compile(r"^\s*Thank\s+(?!you\b|You\b)(?P<name>[A-Z][a-z]+)\s+for\b")
# "…agree a two-week plan to reach 120 and then 14 I would bring…": two sentences run together.
_RUN_TOGETHER = re.compile(
    r"(?<!\bsince\s)(?<!\bby\s)(?<!\bin\s)(?<!\bfrom\s)(?<!\buntil\s)(?<!\bafter\s)"
    r"(?<!\bbefore\s)(?<!\bwithin\s)(?<!\bweek\s)(?<!\bday\s)(?<!\bmonth\s)(?<!\byear\s)"
    r"(?<!\bstep\s)(?<!\bphase\s)\b\d+\s+I\s+(?:would|will|am|have|think)\b",
    re.IGNORECASE,
)
_RARE_IN_ENGLISH = 1.5  # zipf: rarer than this in English, and…
_COMMON_ABROAD = 4.0  # …this common in another language: a foreign word ("chantier")
_TYPO_CEILING = 2.0  # zipf: a word this rare, one slip from the user's word, is a typo


def _placeholders(note: NoteText) -> list[Defect]:
    """A bracketed slot left in a sentence ("I would [night shift warehouse supervisor]"); the
    "[Your name]" of a sign-off is a greeting problem, not this one."""
    found = []
    for line in note.lines:
        if line.role not in ("body", "subject"):
            continue
        for match in _PLACEHOLDER.finditer(line.text):
            found.append(Defect(KEY, match.group(), "A placeholder in brackets was left in."))
    return found


def _garbled(note: NoteText) -> list[Defect]:
    found = []
    for sentence in note.sentences:
        thank = _THANK_NAME.match(sentence)
        if thank:
            span = sentence[: thank.end()]
            reason = f"'Thank {thank['name']} for…' is not a sentence to {thank['name']}."
            found.append(Defect(KEY, span, reason))
        run = _RUN_TOGETHER.search(sentence)
        if run:
            found.append(Defect(KEY, run.group(), "Two sentences run together here."))
    return found


def _one_slip(word: str, known: str) -> bool:
    """Whether `word` is `known` with two neighbouring letters swapped or one letter changed."""
    if len(word) != len(known) or word == known:
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, known, strict=True)) if a != b]
    if len(diff) == 1:
        return len(word) >= 5
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and word[diff[0]] == known[diff[1]]
        and word[diff[1]] == known[diff[0]]
    )


def _misspelt(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    """A word of the user's spelt wrong ("a Roat" for "a rota"), and a single word of another
    language copied from the research into an English sentence ("chantier")."""
    given = _input_words(inputs)
    found = []
    for line in note.lines:
        if line.role not in ("body", "subject"):
            continue
        for token in re.findall(r"[^\W\d_]{4,}", line.text):
            word = token.lower()
            if word in given:
                if token.islower() and _is_foreign_word(word):
                    found.append(Defect(KEY, token, f"'{token}' is not an English word."))
                continue
            if zipf_frequency(word, "en") >= _TYPO_CEILING:
                continue
            if any(_one_slip(word, known) for known in given):
                found.append(Defect(KEY, token, f"'{token}' looks misspelt."))
    return found


def _is_foreign_word(word: str) -> bool:
    english, other = _frequencies(word)
    return english < _RARE_IN_ENGLISH and other >= _COMMON_ABROAD


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    found = [
        Defect(KEY, match.group(), "The note has broken characters.")
        for match in _MOJIBAKE.finditer(note.text)
    ]
    found += _foreign_script(note, inputs)
    found += _other_language(note)
    found += _cut_off(note, inputs)
    found += _dangling_this(note)
    found += _dangling_pronouns(note)
    found += _jottings(note)
    found += _missing_article(note, inputs)
    found += _placeholders(note)
    found += _garbled(note)
    found += _misspelt(note, inputs)
    return found
