"""`invented_claim`: a claim about the interviewer, the team or the company the inputs do not
support — what they said, felt, did or decided, results, numbers, plans.

Rules, each from the drafts labelled on the dev split:

- claims of effect or feeling no interview note supports, whatever their subject ("has been
  instrumental", "was impressed", "a significant improvement", "has led to");
- reported speech ("you mentioned that…", "Joanne explained that…") whose clause holds a word
  that none of this interviewer's facts hold;
- reported speech whose clause is one of their questions ("You mentioned that you adjust the
  levain when…" for "How would you adjust the levain when…?");
- "your advice on <one of their questions>": a question is not advice, and "your suggestion to
  <one of their topics>": a topic is not a suggestion (ruling 15);
- the interviewer doing something ("Gary tested and inspected the wiring"), or thanked for doing
  what was only a topic ("Thank you for ordering searches for new-build purchases"): the notes
  record what was talked about, not who did it;
- "Thank you for discussing <X>" when X holds nothing of their topics, questions or the
  candidate's lines ("the antimicrobial stewardship round", a phrase of the research);
- a sentence about the interviewer (you, your, he, she, we, their name) that copies five words in
  a row of the research: research is the company's, not what the person said (ruling 6);
- any other sentence about the interviewer whose words go beyond their facts by two or more
  content words, not counting the words every note uses to attribute ("insights", "explained").
  Sentences in the candidate's own voice ("I would…", also after a lead-in: "Since we spoke, I
  have thought more about your question: I would…") are plans, not claims, unless they report
  the interviewer ("…the challenges you faced").
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from debrief.checks.defects.text import NoteText, own_texts, person_name
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import STOPWORDS, content_stems, stem, stems_of, word_set, words

KEY = "invented_claim"

_EFFECT_CLAIMS = re.compile(
    r"\b(?:"
    r"(?:has|have|had)\s+been\s+(?:truly\s+|really\s+|particularly\s+)?(?:instrumental|invaluable"
    r"|a\s+(?:significant|great|valuable|major|huge|true|real)\s+[\w-]+|proactive|evident)"
    r"|game[- ]changer"
    r"|(?:has|have)\s+(?:not\s+only\s+)?(?:led\s+to|helped|allowed|enabled|saved|made\s+a"
    r"|shown|improved|reduced)"
    r"|(?:which|that)\s+(?:has\s+)?led\s+to"
    r"|(?:was|were|is|are)\s+(?:very\s+|truly\s+|particularly\s+|really\s+)?"
    r"(?:impressive|impressed|commendable)"
    r"|I\s+(?:was|am)\s+(?:very\s+|really\s+|particularly\s+|deeply\s+|truly\s+)?impressed"
    r"|(?:significant|dramatic|major)\s+(?:improvement|achievement|reduction|step\s+forward)"
    r"|testament\s+to"
    r"|I\s+am\s+thrilled\s+to\s+have\s+been"
    r")",
    re.IGNORECASE,
)
_CANDIDATE_VOICE = re.compile(
    r"^\s*(?:I\s+(?:would|will|am|can|could|hope|look|plan|want|wish|believe|think|bring|"
    r"have|had|started|said|froze|answered)\b|I['\u2019](?:d|ll|m|ve)\b|My\b|As\s+(?:a|an)\b)",
    re.IGNORECASE,
)
_REPORTING = (
    r"(?:mentioned|explained|shared|said|told\s+me|noted|emphasi[sz]ed|highlighted|pointed\s+out"
    r"|stressed|added|described|showed\s+me)"
)
_DOING = (
    r"(?:mentioned|explained|shared|said|told|noted|emphasi[sz]ed|highlighted|pointed|stressed"
    r"|described|showed|discussed|provided|outlined|talked|spoke|walked|gave|offered|suggested"
    r"|recommended|advised|taught|covered|balanced|handle|handled|keep|faced|implemented|use|run"
    r"|face|built|manage|managed)"
)
_ATTRIBUTION_OTHER = (
    r"\b(?:emphasi[sz]ing|highlighting|stressing|underscoring)\b"
    r"|\byour\s+(?:[\w-]+\s+){0,3}(?:advice|insights?|explanation|discussion|experience|expertise"
    r"|recommendations?|suggestions?|analysis|efforts?|guidance|support|input|assistance|approach"
    r"|presentation|overview|thoughts|perspective|plans?|help|time|calls?|team|work)\b"
    r"|\bthank\s+you\s+(?:[\w-]+\s+){0,2}for\s+(?:showing|explaining|sharing|telling|walking"
    r"|discussing|describing|outlining|talking)\b"
    r"|\bI\s+(?:also\s+)?learned\b"
    r"|\bI\s+(?:also\s+)?appreciate\s+(?:the|your)\b"
    r"|\b(?:interesting|helpful|useful|great)\s+to\s+(?:see|hear|learn)\b"
)
_ADVICE = r"(?:advice|suggestions?|recommendations?|tips|guidance)"
# Words any attribution uses, which say nothing about what was said.
_ATTRIBUTION_WORDS = stems_of(
    [
        """thank thanks mention mentioned explain explained explanation share shared sharing
        insight insights discuss discussed discussing discussion talk talked speak spoke said
        tell told note noted describe described walk walked through show showed showing provide
        provided outline outlined offer offered give gave advice advise suggestion suggest
        recommendation guidance support input expertise experience perspective thoughts overview
        presentation time opportunity conversation question questions asked ask answer point
        points idea ideas approach way ways how work working learn learned learning hear heard
        see saw interesting helpful useful valuable particularly especially really very also
        great good detailed appreciate appreciated enjoyed enjoy glad happy pleased grateful
        gratitude express team role company job interview today yesterday meeting me us we you
        your he she him her his their them including importance important crucial key critical
        essential significant particular specific specifically more further about regarding
        aspect aspects part covering covered cover plan plans help helping helped process
        stayed stay stuck mind insightful informative enlightening thorough clearly clear
        well better best need needs make made ensure ensuring effectively effective area areas
        topic topics different various both across within matter matters use using used
        benefit benefits know like would"""
    ]
)
_MIN_NOVEL = 2
_RESEARCH_RUN = 5  # words in a row copied from the research
# Verbs of the conversation itself: "Gary asked…" reports the interview, "Gary tested the wiring"
# claims something he did.
_CONVERSATION_VERBS = word_set(
    """asked mentioned explained discussed talked shared described noted emphasized emphasised
    highlighted stressed pointed outlined walked showed covered provided offered suggested
    recommended advised answered spoke seemed wanted hoped liked enjoyed raised focused touched
    introduced presented reviewed expressed added listed stated clarified detailed shed
    elaborated addressed invited welcomed gave told needed expected noticed agreed joined"""
)
_DID = r"(?P<v>[a-z]+ed|ran|built|led|made|took|set|cut|wrote|drew|kept|began|brought)"
# Gerunds that thank for the conversation, not for work the interviewer did.
_CONVERSATION_GERUNDS = word_set(
    """talking meeting taking explaining sharing showing discussing walking asking giving speaking
    providing having considering highlighting outlining describing being telling including
    answering inviting welcoming hosting introducing presenting reviewing making spending"""
)
_THANKED_FOR = re.compile(
    r"\b(?:thank\s+you|thanks|grateful|appreciate\w*)\b[^.;!?]*?\bfor\s+(?:your\s+)?"
    r"(?P<g>[a-z]+ing)\b",
    re.IGNORECASE,
)
_DISCUSSED = re.compile(
    r"\b(?:discussing|discussed|talking\s+(?:with\s+me\s+)?(?:about|through)"
    r"|conversation\s+about|discussion\s+(?:on|about|of)|walking\s+me\s+through|talk\s+about)"
    r"\s+(?P<x>[^.;!?]+)",
    re.IGNORECASE,
)
_GENERIC_SUBJECTS = stems_of(
    ["role position job opportunity interview team company today this join joining next steps"]
)


class _Reader:
    """The patterns and word sets of one note's inputs."""

    def __init__(self, inputs: NoteInputs) -> None:
        self.inputs = inputs
        name = person_name(inputs.interviewer.name)
        forms = [re.escape(form) for form in name.forms]
        who = r"(?:you|he|she|we|" + "|".join(forms) + ")" if forms else r"(?:you|he|she|we)"
        self.attribution = re.compile(
            rf"\b{who}\s+(?:also\s+)?{_DOING}\b|{_ATTRIBUTION_OTHER}"
            + (rf"|\b(?:{'|'.join(forms)})['\u2019]s\b" if forms else ""),
            re.IGNORECASE,
        )
        self.reported = re.compile(
            rf"\b{who}\s+(?:also\s+)?{_REPORTING}\s+(?:that|how)\s+(?P<clause>[^.;!?]+)",
            re.IGNORECASE,
        )
        owner = r"(?:your|" + "|".join(rf"{form}['\u2019]s" for form in forms) + ")"
        self.advice = re.compile(
            rf"\b{owner}\s+(?:[\w-]+\s+)?{_ADVICE}\s+(?:on|about|for)\s+(?P<x>[^.,;!?]+)"
            r"|\b(?:showing|telling)\s+me\s+how\s+you\s+(?P<y>[^.,;!?]+)",
            re.IGNORECASE,
        )
        self.embedded = re.compile(rf"\b(?:you|he|she)\s+(?:also\s+)?{_DOING}\b", re.IGNORECASE)
        person = r"(?:you|he|she|" + "|".join(forms) + ")" if forms else r"(?:you|he|she)"
        self.did = re.compile(rf"(?:^|,\s*|\band\s+){person}\s+(?:also\s+)?{_DID}\b", re.IGNORECASE)
        self.suggested = re.compile(
            rf"\b{owner}\s+(?:[\w-]+\s+)?(?:suggestions?|recommendations?|advice|ideas?)\s+to"
            r"\s+(?P<x>[^.,;!?]+)",
            re.IGNORECASE,
        )
        person_facts = inputs.interviewer
        self.topics = [content_stems(topic) for topic in person_facts.topics]
        self.topic_heads = {stem(words(topic)[0]) for topic in person_facts.topics if words(topic)}
        self.conversation = stems_of(
            [*person_facts.topics, *person_facts.questions, inputs.clarification, *inputs.takeaways]
        )
        self.frame = (
            stems_of([inputs.role, inputs.company, person_facts.name, person_facts.title])
            | _GENERIC_SUBJECTS
        )
        names = [inputs.interviewer.name, *(other.name for other in inputs.others)]
        name_words = " ".join(" ".join(person_name(item).parts) for item in names)
        self.facts = stems_of([*own_texts(inputs), name_words]) | STOPWORDS
        self.allowed = self.facts | _ATTRIBUTION_WORDS
        self.questions = [content_stems(q) for q in inputs.interviewer.questions]
        self.research = words(inputs.context)

    def novel(self, text: str, strict: bool = False) -> list[str]:
        return sorted(content_stems(text) - (self.facts if strict else self.allowed))

    def is_a_question(self, text: str) -> bool:
        said = content_stems(text)
        return any(
            q and (len(said & q) >= 2 or len(said & q) * 2 >= len(q)) for q in self.questions
        )

    def is_their_question(self, text: str) -> bool:
        """Whether `text` says one of their questions more than any of their topics."""
        said = content_stems(text)
        asked = max((len(said & q) for q in self.questions), default=0)
        told = max((len(said & t) for t in self.topics), default=0)
        return self.is_a_question(text) and asked > told

    def did_a_topic(self, sentence: str) -> bool:
        """ "Gary tested and inspected the wiring": the interviewer doing something, not talking."""
        return any(
            match["v"].lower() not in _CONVERSATION_VERBS for match in self.did.finditer(sentence)
        )

    def thanked_for_a_topic(self, sentence: str) -> bool:
        """ "Thank you for ordering searches for new-build purchases": a topic as their deed."""
        return any(
            match["g"].lower() not in _CONVERSATION_GERUNDS
            and stem(match["g"].lower()) in self.topic_heads
            for match in _THANKED_FOR.finditer(sentence)
        )

    def discussed_elsewhere(self, sentence: str) -> bool:
        """ "Thank you for discussing the antimicrobial stewardship round": nothing of theirs."""
        for match in _DISCUSSED.finditer(sentence):
            said = content_stems(match["x"]) - self.frame
            if said and not said & self.conversation:
                return True
        return False

    def copies_research(self, sentence: str) -> bool:
        if not self.research:
            return False
        tokens = words(sentence)
        match = SequenceMatcher(None, tokens, self.research, autojunk=False).find_longest_match(
            0, len(tokens), 0, len(self.research)
        )
        run = tokens[match.a : match.a + match.size]
        return len([t for t in run if t not in STOPWORDS]) >= 3 and match.size >= _RESEARCH_RUN

    def why(self, sentence: str) -> str | None:
        if _EFFECT_CLAIMS.search(sentence):
            return "The note claims an effect or a feeling nobody told you of."
        advice = self.advice.search(sentence)
        if advice and self.is_a_question(advice["x"] or advice["y"]):
            return "The note calls the interviewer's question their advice."
        reported = self.reported.search(sentence)
        if reported and self.novel(reported["clause"], strict=True):
            return "The note reports the interviewer saying something your notes do not hold."
        if reported and self.is_their_question(reported["clause"]):
            return "The note turns the interviewer's question into something they said or do."
        suggested = self.suggested.search(sentence)
        if suggested and any(content_stems(suggested["x"]) & topic for topic in self.topics):
            return "The note calls a topic the interviewer's suggestion; your notes hold no advice."
        if self.did_a_topic(sentence):
            return "The note says what the interviewer did; your notes do not say so."
        if self.thanked_for_a_topic(sentence):
            return "The note thanks the interviewer for doing what was only a topic."
        if self.discussed_elsewhere(sentence):
            return "The note says you discussed something none of their topics hold."
        answer = sentence.rsplit(":", 1)[-1]
        if _CANDIDATE_VOICE.match(sentence) or _CANDIDATE_VOICE.match(answer):
            # "Since we spoke, I have thought more about your question: I would …": the answer
            # after the lead-in is the candidate's plan, read as one.
            if self.embedded.search(sentence) and len(self.novel(sentence)) >= _MIN_NOVEL:
                return "The note says what the interviewer did or faced; your notes do not."
            return None
        if not self.attribution.search(sentence):
            return None
        if self.copies_research(sentence):
            return "The note puts the company's research in the interviewer's mouth."
        if len(self.novel(sentence)) >= _MIN_NOVEL:
            return "The note puts words in the interviewer's mouth that your notes do not hold."
        return None


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    reader = _Reader(inputs)
    found: list[Defect] = []
    for sentence in note.sentences:
        reason = reader.why(sentence)
        if reason is not None:
            found.append(Defect(KEY, sentence, reason))
    return found
