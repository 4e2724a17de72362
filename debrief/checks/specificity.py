"""How specific a sentence is, and how generic a draft is (one implementation for app and evals).

The sentence score follows what predicts human specificity ratings (Li & Nenkova's Speciteller;
Ko, Durrett & Li 2019): length in content words, word rarity, names, numbers and dates push a
sentence up; pronouns, function words and vague evaluative words ("great", "stuff") pull it down.
It is a hand-set weighted sum of cheap features, offline and deterministic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

from wordfreq import zipf_frequency

from debrief.checks.text import (
    body_text,
    is_greeting_or_signoff,
    quote,
    split_sentences,
    stem,
    word_set,
)
from debrief.checks.types import CheckResult, GenericnessEvidence, SentenceScore

# --- Word lists -----------------------------------------------------------------------------------

PRONOUNS = word_set(
    """i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves this that these
those everyone everybody someone somebody anyone anybody everything something anything nothing
nobody one y'all u ya"""
)

STOPWORDS = PRONOUNS | word_set(
    """a an the and or but nor so yet if then else than because as of at by for with about against
between into through during before after above below to from up down in out on off over under
again further once here there when where why how all any both each few more most other some
such no not only own same too very s t can will just don should now is am are was were be been
being have has had having do does did doing would could should might must shall may ought
let's that's it's i'm i've i'll i'd you're you've you'll you'd he's she's we're we've we'll
they're they've they'll isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't
won't wouldn't shan't shouldn't can't cannot couldn't mustn't what's who's where's there's
here's how's what which who whom whose also even still really quite rather much many lot lots
just ever never always already yet maybe perhaps like get got go going gone went make made
well back way though although while since until unless whether either neither every within
without upon via per anyway anyways actually basically literally totally pretty kinda gonna
wanna gotta ok okay yes yeah yep nope oh ah um uh hmm"""
)

# Interjections and chat filler: content-free however rare wordfreq thinks some of them are.
FILLERS = word_set(
    """lol lmao lmfao rofl omg omfg wtf smh tbh idk imo imho ugh meh wow yay yup haha hahaha
hehe lolz xoxo xo aww awww yass yasss argh oops ooh hi hey hello bye rt plz pls thx ty
ikr fml nvm btw"""
)

# Vague evaluation and placeholder nouns: they say how the writer felt, not what happened.
GENERIC_WORDS = word_set(
    """good great nice amazing awesome love loved loves lovely like liked bad best worst better
worse terrible awful horrible fantastic wonderful excellent perfect cool fun favorite
favourite thing things stuff experience place overall highly recommend recommended definitely
absolutely solid decent fine incredible superb masterpiece enjoy enjoyed enjoying worth
special sucks sucked beautiful brilliant outstanding stunning impressive happy
glad excited blessed grateful thankful appreciate appreciated opportunity pleasure valuable
invaluable insights success passionate whole guys everything kind sort life"""
)

# Opinion words beyond the vague ones: they add subjectivity, which raters read as less specific.
SUBJECTIVE_WORDS = GENERIC_WORDS | word_set(
    """boring bored hate hated hates stupid dumb annoying annoyed rude friendly delicious tasty
gross disgusting sad funny hilarious cute pretty ugly weird crazy insane epic fabulous
gorgeous predictable forced wooden disappointing disappointed disappoint mediocre meh
scary creepy painful proud tired unhappy speechless emotional fresh dirty clean slow fast
cheap expensive overpriced rich dry"""
)

NUMBER_WORDS = word_set(
    """two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred thousand million billion dozen twice half first second third fourth fifth"""
)

TIME_WORDS = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
june july august september october november december yesterday tomorrow tonight midnight
noon morning afternoon evening"""
)

UNIT_WORDS = word_set(
    """minutes minute hours hour seconds days weeks months years miles mile km kilometers
meters feet inches pounds lbs kg grams ounces oz gallon gallons liters dollars bucks euros
cents percent degrees mph mm gb mb am pm"""
)

# --- Tokens ---------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
    (?P<url>https?://\S+|www\.\S+|\b[\w-]+\.(?:com|org|net|io|ly|gov|edu|co)\b(?:/\S*)?)
  | (?P<mention>@\w+(?:\.\w+)*)
  | (?P<hashtag>\#\w+)
  | (?P<number>[$€£]?\d(?:[\w%]|[.,:/\-](?=\d))*)
  | (?P<code>[^\W\d]\w*_\w+(?:\(\))?|[^\W\d]\w*\(\))
  | (?P<word>[^\W_]+(?:['\u2019][^\W\d_]+)*)
  | (?P<other>\S)
    """,
    re.VERBOSE,
)

# After these a capital letter is expected, so it says nothing about a name.
_RESTART_MARKS = frozenset('.!?:;"“(')
_ELONGATION_RE = re.compile(r"(\w)\1{2,}")
# Penn Treebank spellings of brackets and quotes, as found in tokenised review corpora.
_PTB_MARKS_RE = re.compile(r"-[lr][rcs]b-|``|''", re.IGNORECASE)


@dataclass(frozen=True)
class _Token:
    kind: str  # url, mention, hashtag, number, code, word, other
    text: str
    after_boundary: bool  # first word of the sentence or right after . ! ? : ; " (


def _tokens(sentence: str) -> list[_Token]:
    tokens: list[_Token] = []
    boundary = True
    plain = _PTB_MARKS_RE.sub('"', sentence.replace("\u2019", "'"))
    for match in _TOKEN_RE.finditer(plain):
        kind = match.lastgroup or "other"
        text = match.group()
        tokens.append(_Token(kind, text, boundary))
        if kind == "other":
            boundary = boundary or text in _RESTART_MARKS or not text.isascii()
        elif kind in ("word", "number", "code"):
            boundary = False
    return tokens


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    """Zipf frequency of a lower-cased word; elongations ("sooo") fall back to their short form."""
    frequency: float = zipf_frequency(word, "en")
    if frequency == 0.0 and _ELONGATION_RE.search(word):
        frequency = max(
            zipf_frequency(_ELONGATION_RE.sub(r"\1\1", word), "en"),
            zipf_frequency(_ELONGATION_RE.sub(r"\1", word), "en"),
        )
    return frequency


def _rarity(word: str, capitalised: bool) -> float:
    """0 for everyday words up to 4.5 for very rare ones (Zipf 6 is "very common")."""
    frequency = _zipf(word)
    if frequency == 0.0:
        # Unknown capitalised words are mostly names; unknown lower-case ones mostly typos/slang.
        return 4.5 if capitalised else 2.0
    return min(max(6.0 - frequency, 0.0), 4.5)


# --- Features -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecificityFeatures:
    """Cheap cues of specificity for one sentence; each is already squashed to a small range."""

    content_length: float  # log1p(content words)
    rarity_sum: float  # log1p(sum of rarity over content words)
    rarity_max: float  # rarest content word, 0..1
    rare_words: float  # log1p(content words with Zipf < 3.5)
    names: float  # log1p(runs of capitalised words not at a sentence start, acronyms, code)
    numbers: float  # log1p(digits, money, percentages; number words count half)
    times_units: float  # log1p(weekdays, months, "tonight", units after numbers)
    tags: float  # log1p(hashtags and @mentions)
    url: float  # 1 if the sentence has a link
    quotes_parens: float  # 1 if it quotes or parenthesises something
    pronoun_share: float  # pronouns / words
    stopword_share: float  # function words / words
    generic_share: float  # vague evaluative words / content words
    subjective_share: float  # opinion words / content words
    filler_share: float  # lol, omg, ugh ... / words
    exclamations: float  # "!" marks, capped at 3
    empty: float  # 1 if there is no word, number or name at all (emoji-only, "!!!")


# Why each weight: content length is the strongest single cue in the literature, so it carries
# the most; rarity (sum and peak) tells "lavender latte" from "good food" at equal length; names
# and numbers are what raters call "particular details"; dates, units and tags are weaker cues
# of the same; links point at something but say little themselves. Shares of pronouns, function
# words and vague praise are the marks of general statements ("it was great"), subjectivity
# lowers ratings in reviews, and filler and "!!!" mark reactions rather than content.
FEATURE_WEIGHTS: Mapping[str, float] = {
    "content_length": 1.1,
    "rarity_sum": 0.55,
    "rarity_max": 0.6,
    "rare_words": 0.3,
    "names": 0.8,
    "numbers": 0.7,
    "times_units": 0.35,
    "tags": 0.3,
    "url": 0.2,
    "quotes_parens": 0.2,
    "pronoun_share": -1.2,
    "stopword_share": -0.3,
    "generic_share": -1.6,
    "subjective_share": -0.4,
    "filler_share": -1.0,
    "exclamations": -0.15,
    "empty": -3.0,
}
_BIAS = -3.6  # centres a middling sentence (about 6 content words, a little rare) near 0.5


def _is_shouting(words: list[_Token]) -> bool:
    """ALL-CAPS or Title Case Every Word text: capitals there do not mark names."""
    letters = [t.text for t in words if len(t.text) > 1]
    if len(letters) < 3:
        return False
    upper = sum(w.isupper() for w in letters)
    title = sum(w[0].isupper() for w in letters)
    return upper >= 0.6 * len(letters) or (len(letters) >= 4 and title >= 0.8 * len(letters))


def _is_name(token: _Token, shouting: bool) -> bool:
    text = token.text
    lowered = text.lower()
    if not text[0].isupper() or lowered in ("i", "i'm", "i've", "i'll", "i'd"):
        return False
    if shouting or token.after_boundary:
        # Only a rare capitalised word counts here ("Spielberg keeps ...", not "The ...").
        return lowered not in STOPWORDS and _zipf(lowered) < 3.5
    return True


def _count_names(tokens: list[_Token], shouting: bool) -> int:
    """Runs of name-like tokens count once ("Daniel Day-Lewis", "Oak Park")."""
    runs = 0
    previous_was_name = False
    for token in tokens:
        if token.kind == "code":
            runs += 1
            previous_was_name = False
            continue
        if token.kind == "other" and token.text in "-'." and previous_was_name:
            continue  # Day-Lewis, St. Louis
        is_name = token.kind == "word" and _is_name(token, shouting)
        if is_name and not previous_was_name:
            runs += 1
        previous_was_name = is_name
    return runs


def _count_numbers(tokens: list[_Token]) -> tuple[float, int]:
    """Numeric cues and the time/unit words that usually travel with them."""
    numbers = 0.0
    times_units = 0
    previous_number = False
    for token in tokens:
        lowered = token.text.lower()
        if token.kind == "number":
            numbers += 1.0
            previous_number = True
            continue
        if token.kind == "word":
            if any(ch.isdigit() for ch in lowered):
                numbers += 1.0  # Q3, iPhone15
            elif lowered in NUMBER_WORDS:
                numbers += 0.5
            if lowered in TIME_WORDS or (previous_number and lowered in UNIT_WORDS):
                times_units += 1
        previous_number = False
    return numbers, times_units


def sentence_features(sentence: str) -> SpecificityFeatures:
    """The specificity cues of one sentence (exposed for tests and calibration)."""
    tokens = _tokens(sentence)
    words = [t for t in tokens if t.kind == "word" and not any(c.isdigit() for c in t.text)]
    shouting = _is_shouting(words)
    lowered = [t.text.lower() for t in words]
    content = [
        (t, w)
        for t, w in zip(words, lowered, strict=True)
        if w not in STOPWORDS and w not in FILLERS and len(w) > 1
    ]
    rarities = [_rarity(w, t.text[0].isupper() and not t.after_boundary) for t, w in content]
    names = _count_names(tokens, shouting)
    numbers, times_units = _count_numbers(tokens)
    tags = sum(t.kind in ("mention", "hashtag") for t in tokens)
    n_words = max(len(words), 1)
    n_content = max(len(content), 1)
    substantive = bool(content) or numbers > 0 or names > 0 or tags > 0
    return SpecificityFeatures(
        content_length=math.log1p(len(content)),
        rarity_sum=math.log1p(sum(rarities)),
        rarity_max=max(rarities, default=0.0) / 4.5,
        rare_words=math.log1p(sum(r >= 2.5 for r in rarities)),
        names=math.log1p(names),
        numbers=math.log1p(numbers),
        times_units=math.log1p(times_units),
        tags=math.log1p(tags),
        url=float(any(t.kind == "url" for t in tokens)),
        quotes_parens=float(any(t.kind == "other" and t.text in '"“”()' for t in tokens)),
        pronoun_share=sum(w in PRONOUNS for w in lowered) / n_words,
        stopword_share=sum(w in STOPWORDS for w in lowered) / n_words,
        generic_share=sum(w in GENERIC_WORDS for _, w in content) / n_content,
        subjective_share=sum(w in SUBJECTIVE_WORDS for _, w in content) / n_content,
        filler_share=sum(w in FILLERS for w in lowered) / n_words,
        exclamations=float(min(sentence.count("!"), 3)),
        empty=float(not substantive),
    )


def specificity_logit(features: SpecificityFeatures) -> float:
    """The weighted sum of the features before squashing (useful for ranking and calibration)."""
    total = _BIAS
    for spec in fields(features):
        total += FEATURE_WEIGHTS[spec.name] * float(getattr(features, spec.name))
    return total


def sentence_specificity(sentence: str) -> float:
    """How specific one sentence is, 0..1 (higher = more particular people, things, details)."""
    if not sentence.strip():
        return 0.0
    logit = specificity_logit(sentence_features(sentence))
    return 1.0 / (1.0 + math.exp(-logit))


# --- Stock phrases ----------------------------------------------------------------------------

STOCK_PHRASES: tuple[str, ...] = (
    "i hope this email finds you well",
    "i hope you are doing well",
    "i hope you had a great weekend",
    "thank you for your time and consideration",
    "thank you for the opportunity",
    "thank you so much for everything",
    "sincere gratitude",
    "deepest gratitude",
    "invaluable",
    "i look forward to hearing from you",
    "i look forward to the next steps",
    "it was a pleasure",
    "great opportunity",
    "exciting opportunity",
    "please do not hesitate",
    "please let me know if you need any further information",
    "at your earliest convenience",
    "i am confident that",
    "your guidance has been instrumental",
    "valuable insights",
    "i truly appreciate",
    "i remain very interested",
    "reiterate my interest",
    "strong fit for the role",
    "valuable asset",
    "contribute to the team's success",
    "make a meaningful impact",
    "i am passionate about",
    "learn more about the role",
    "aligns with my skills",
    "excited about the opportunity",
    "it was great to meet",
    "above and beyond",
    "have a wonderful weekend",
)

# Words that mean the same in these phrases; both the phrase and the text are mapped.
_SYNONYMS: Mapping[str, str] = {
    "message": "email",
    "note": "email",
    "mail": "email",
    "e": "",
    "trust": "hope",
    "sincerely": "truly",
    "really": "truly",
    "deeply": "truly",
    "greatly": "truly",
    "fantastic": "great",
    "amazing": "great",
    "wonderful": "great",
    "excellent": "great",
    "terrific": "great",
    "chance": "opportunity",
    "privilege": "pleasure",
    "keen": "excited",
    "thrilled": "excited",
    "thanks": "thank",
    "align": "aligns",
}
_CONTRACTIONS: Mapping[str, str] = {
    "don't": "do not",
    "i'm": "i am",
    "i'd": "i would",
    "it's": "it is",
    "you're": "you are",
    "i've": "i have",
    "can't": "cannot",
}
# Dropped from phrase and text alike: "your guidance was instrumental" is the same stock phrase.
_AUXILIARIES = word_set("am is are was were be been being has have had")
_PHRASE_GAP = 2  # words a writer may slip into a stock phrase ("thank you *so much* for ...")


def _phrase_tokens(text: str) -> list[str]:
    """Lower-cased, stemmed words so that "finds you well" matches "find you well"."""
    lowered = text.lower().replace("\u2019", "'")
    for contraction, expansion in _CONTRACTIONS.items():
        lowered = re.sub(rf"\b{re.escape(contraction)}\b", expansion, lowered)
    tokens: list[str] = []
    for word in re.findall(r"[a-z]+(?:'[a-z]+)?", lowered):
        word = _SYNONYMS.get(word, word)
        if word and word not in _AUXILIARIES:
            tokens.append(stem(word))
    return tokens


def _stock_tokens() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each stock phrase with its normalised words; phrases that normalise alike count once."""
    seen: dict[tuple[str, ...], str] = {}
    for phrase in STOCK_PHRASES:
        seen.setdefault(tuple(_phrase_tokens(phrase)), phrase)
    return tuple((phrase, tokens) for tokens, phrase in seen.items() if tokens)


_STOCK_TOKENS = _stock_tokens()


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether `phrase` occurs in order, with at most _PHRASE_GAP extra words inside it."""
    # A leading "I" is often dropped ("Hope this email finds you well").
    needles = [phrase, phrase[1:]] if len(phrase) > 2 and phrase[0] == "i" else [phrase]
    for needle in needles:
        for start, word in enumerate(words):
            if word != needle[0]:
                continue
            position, skipped = start + 1, 0
            for wanted in needle[1:]:
                while position < len(words) and words[position] != wanted:
                    position, skipped = position + 1, skipped + 1
                position += 1
            if position <= len(words) and skipped <= _PHRASE_GAP:
                return True
    return False


def find_stock_phrases(sentence: str) -> list[str]:
    """The stock phrases (from STOCK_PHRASES) that `sentence` contains, tolerating small edits."""
    words = _phrase_tokens(sentence)
    return [phrase for phrase, tokens in _STOCK_TOKENS if _contains(words, tokens)]


# --- Genericness ----------------------------------------------------------------------------------

GENERIC_BELOW = 0.3
"""Sentences scoring under this read as vague (on our dev set: most rated 1-2, few rated 3+)."""


def body_sentences(text: str) -> list[str]:
    """Sentences of an email without its subject, greeting, sign-off and signature lines."""
    return [s for s in split_sentences(body_text(text)) if not is_greeting_or_signoff(s)]


def genericness(
    text: str, *, threshold: float = 0.35, generic_below: float = GENERIC_BELOW
) -> CheckResult[GenericnessEvidence]:
    """Share of body sentences that say nothing particular (stock phrase or low specificity)."""
    rows: list[SentenceScore] = []
    found: list[str] = []
    generic_texts: list[str] = []
    for sentence in body_sentences(text):
        score = sentence_specificity(sentence)
        phrases = find_stock_phrases(sentence)
        generic = bool(phrases) or score < generic_below
        rows.append(SentenceScore(sentence, round(score, 4), generic, tuple(phrases)))
        found.extend(p for p in phrases if p not in found)
        if generic:
            generic_texts.append(sentence)
    if not rows:
        # Nothing to judge: an empty draft is the length check's business, not this one's.
        comment = "The draft has no body sentences."
        return CheckResult("genericness", 1.0, True, comment, GenericnessEvidence())
    share = len(generic_texts) / len(rows)
    evidence = GenericnessEvidence(tuple(rows), tuple(found), round(share, 4))
    return CheckResult(
        key="genericness",
        score=1.0 - share,
        passed=share <= threshold,
        comment=_comment(generic_texts, len(rows)),
        evidence=evidence,
    )


def _comment(generic_texts: list[str], total: int) -> str:
    if not generic_texts:
        return f"None of the {total} sentences is generic."
    shown = ", ".join(quote(s.rstrip(".!? ")) for s in generic_texts[:3])
    ending = ", …" if len(generic_texts) > 3 else "."
    verb = "is" if len(generic_texts) == 1 else "are"
    return f"{len(generic_texts)} of {total} sentences {verb} generic: {shown}{ending}"
