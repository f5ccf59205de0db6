"""Text processing shared by indexing and search: words, stems, and spelling variants.

A text becomes a list of `Word`s. Each word carries the surface form people type and the
terms it can match in the index: its English and Swedish stems, folded so that å/ä/ö and
their plain-letter spellings meet. Neighbouring words also form joined terms, so that
"fine tuning", "fine-tuning" and "finetuning" all meet in one term.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer  # PyStemmer: Snowball's stemmers in C
from rapidfuzz import fuzz, process


def _stemmer(language: str) -> Stemmer.Stemmer:
    """Snowball's stemmer for `language`, with its own cache off (`stems` has one)."""
    return Stemmer.Stemmer(language, 0)


_ENGLISH = _stemmer("english")
_SWEDISH = _stemmer("swedish")

# Letters or digits, optionally joined by & or + inside a word ("w&b", "c++" stays "c").
_WORD = re.compile(r"[^\W_]+(?:[&+][^\W_]+)*")
# Runs of the characters a word is made of: each holds whole words only (fast to find).
WORD_CHARACTERS = re.compile(r"[\w&+]+")
_DIGITS_WITH_DOT = re.compile(r"[.,](?<=\d[.,])(?=\d)")  # a . or , between digits
_LETTER_DIGIT_BOUNDARY = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o", "é": "e", "ü": "u"})
_BRITISH_ISE = re.compile(r"(?<=\w{3})is(e|es|ed|ing|ation|ations)$")

_INVISIBLE = frozenset({"Cf", "Cc", "Co"})  # format, control and private-use characters
FOLDED = "~"  # marks a term whose å/ä/ö were folded to a/a/o
FOLD_MIN_LENGTH = 4
MISSPELT_COMMON_MIN_LENGTH = 4  # shorter words are too close to too many everyday ones
MISSPELT_COMMON_SIMILARITY = 85.0  # rapidfuzz ratio

# Stems that name one idea across spellings and the two languages.
NOMINAL_MIN_LENGTH = 8  # "-ering" nouns this long or longer meet their verb ("kering" does not)
_CANONICAL_STEMS = {
    "finjuster": "finetun",
    "finjusteringsjobb": "finetun",
    "finetunn": "finetun",
    "hyperparametr": "hyperparamet",
    "hyperparamet": "hyperparamet",
    "hyperparamt": "hyperparamet",
}

# Words so common in questions that they only say "this is a question".
# They still count in a phrase ("when should I"), but weigh little on their own.
FUNCTION_WORDS = frozenset(
    """a an the of to in on for and or with by at from is are be i my me you your it this that
    do does can could how what which who where me we our och att en ett den det de i på för med
    av till om är jag du man min mitt mina kan hur vad vilka vilken som sig sin sitt sina
    dess hen han into onto about within without through between among during before after
    above below across per than upon från genom utan mot hos vid mellan bland enligt inom
    kring trots under över efter innan""".split()
)


# Everyday words that can appear in any question, on topic or not. They still rank (and
# "when should I" does tell resources apart), but they are no evidence that a question is
# about the catalogue at all, nor against it.
_COMMON_WORDS = FUNCTION_WORDS | frozenset(
    """about above after again against all also am any anyone anything anyway as ask asking
    back because been before being best better between both but cannot come could did doing
    done down during each else enough even ever every few find first get gets getting give go
    going good got great had has have having he hello help her here hey hi him his i'd i'm if
    into its just know last let like look looking lot make many may maybe might mine more most
    much must need needs new no nor not now off ok okay once one only other others ought out
    over own please pretty quite rather really right same say see she should so some someone
    something still such sure tell than thank thanks their them then there these they thing
    things think those though through thing too try under until up us use used using very want
    wants was way ways well were when whether while why will would yes yet easy easier
    easiest simple simplest hard harder difficult quick quickly people guys anybody everyone
    tip tips advice hint hints recommend recommendation suggestion suggestions
    instead keep keeps kept long longer short shorter already always never often sometimes
    usually actually basically probably possible possibly able across almost along another
    around away become big bit came certain day days different end etc fact facts far full
    given gives goes gone happen happens happened hear idea important interested interesting
    kind least less lots mean means meant mostly nice next nothing often old part place point
    put puts real reason seem seems seen sort stuff take takes taken taking thought three time
    times today together told took top toward true turn two understand unless upon via wait
    went whole wonder wondering world worse worst wrong year years yesterday tomorrow tonight
    också alltid aldrig ofta ibland egentligen redan lång längre kort kortare hela helt många
    mest mindre ny nya nytt annan annat sätt sak saker typ lite stor stora varje ens
    fortfarande igen istället hålla håller behöver behövs kunna kunde gjorde göra säga vet
    veta tror tycker undrar verkar hända händer dag dagar år
    alla allt andra bara bli blir blev bör borde bra dem denna dessa detta dig din ditt dina
    eller ett fick finns få råd tips förslag
    går gör ha har hej här hon honom idag inte ja kanske kommer mer mig mycket måste nej nu
    någon något några när och oss ska skulle så tack till under upp ut vara var varför vi vill
    än ännu över
    btw lol pls plz thx ty imo tbh idk fyi hmm ah oh wow cool awesome exactly curious
    ideally honestly myself yourself anyone's someone's stuck total beginner newbie noob
    nån nåt nåra nånting nånstans tja tjena tjo hallå asså alltså liksom ju väl nog
    betyder betyda innebär fatta fattar förstå förstår fastnar fastnat kolla kollar
    tacksam hjälp hjälpa hjälpte stöder stödjer stödja hänger hänga ihop folk faktiskt
    litar lita klar klart plugga pluggar pluggat letar leta funkar funka fungerar visst
    kul dålig dåligt enkel enkelt svår svårt lätt gärna ganska jättebra vem innan efter
    förklara förklarar jobb jobbet färdig färdigt without since besides matter figure
    explain explained explanation
    hitta hittar hittade hittat får fått ta tar tog tagit egen eget egna använd använda
    använder används användes känns kändes kännas vår vårt våra komma kommit kom vissa viss
    vilket två tre fyra fem ser se såg sett riktigt riktig börja börjat började flest fler
    flera färre bättre bäst sämre sämst själv själva sådan sådant sådana samma båda olika
    ändå dock även sen sedan då där dit hit först sist senaste nästa förra ingen inget inga
    deras hennes er ert era ungefär nästan precis helst hellre heter hette kallas kallad
    fanns finnas blivit varit haft försöker försökte prova provar provat ligger står gäller
    gick gå gått velat kunnat behövt tänker tänkte tänka menar mena menade sagt sade frågar
    fråga frågade undrade hört""".split()
)
COMMON_WORDS = _COMMON_WORDS | {word.translate(_FOLD) for word in _COMMON_WORDS}


@lru_cache(maxsize=1)
def _common_stems() -> frozenset[str]:
    return frozenset(_ENGLISH.stemWords(sorted(COMMON_WORDS)))


@lru_cache(maxsize=65536)
def is_common(word: str) -> bool:
    """Whether `word` is an everyday word, in any of its forms ("helped" as "help")."""
    return word in COMMON_WORDS or _ENGLISH.stemWord(word) in _common_stems()


@lru_cache(maxsize=1)
def _common_list() -> list[str]:
    return sorted(COMMON_WORDS)


@lru_cache(maxsize=65536)
def is_misspelt_common(word: str) -> bool:
    """Whether `word` is a close misspelling of an everyday word ("acutally", "cant"): asked
    only of words no resource has, so that a typo does not count against a match."""
    return len(word) >= MISSPELT_COMMON_MIN_LENGTH and bool(
        process.extractOne(
            word, _common_list(), scorer=fuzz.ratio, score_cutoff=MISSPELT_COMMON_SIMILARITY
        )
    )


@dataclass(frozen=True)
class Word:
    """One word of a text: what was typed, and the index terms it may match."""

    surface: str
    terms: tuple[str, ...]


def normalize(text: str) -> str:
    """Unicode-normalized, lower-case text with invisible characters removed and every
    kind of white space made a plain space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isprintable():  # no control, format or private-use character to remove
        return text
    # Line breaks and tabs still part words ("fine\ntuning" is two); the rest goes.
    return "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE
    )


def fold(term: str) -> str:
    """Fold Nordic and accented letters to plain ones (ä -> a)."""
    return term.translate(_FOLD)


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The terms one lower-case word may match: its English and Swedish stems and, for
    words of four letters or more, the same stems with å/ä/ö folded (marked with
    `FOLDED`), so "overvaga" meets "överväga" but "mat" does not meet "mät"."""
    return _terms_of_stems(
        word, _ENGLISH.stemWord(_american(word)), _verb_stem(_SWEDISH.stemWord(word))
    )


def stems_of_all(words: list[str], redundant: bool = True) -> list[tuple[str, ...]]:
    """`stems` of each of many words, without its cache: the stemmers take the whole list
    in one call each (the index build). With `redundant` false, the folded form of a stem
    that has no å/ä/ö is left out: it is the stem itself, so the tokenizer drops it anyway."""
    english = _ENGLISH.stemWords([_american(word) for word in words])
    swedish = list(map(_verb_stem, _SWEDISH.stemWords(words)))
    return list(map(_terms_of_stems, words, english, swedish, itertools.repeat(redundant)))


def _verb_stem(swedish: str) -> str:
    """A Swedish noun in -ering stemmed as its verb in -era ("utvärdering" -> "utvärder",
    as "utvärdera"): the Swedish stemmer leaves the two apart. English words of the same
    ending meet their verb too ("clustering" -> "cluster")."""
    return (
        swedish[:-3]
        if len(swedish) >= NOMINAL_MIN_LENGTH and swedish.endswith("ering")
        else swedish
    )


def _american(word: str) -> str:
    return _BRITISH_ISE.sub(r"iz\1", word) if "is" in word else word


def _terms_of_stems(
    word: str, english: str, swedish: str, redundant: bool = True
) -> tuple[str, ...]:
    found: list[str] = []
    if not redundant and word.isascii():  # the stems are plain too: no folded forms
        for stem in (english, swedish, word):
            variant = _CANONICAL_STEMS.get(stem, stem)
            if variant and variant not in found:
                found.append(variant)
        return tuple(found)
    for stem in (english, swedish, word):
        plain = stem.isascii()
        folded = stem if plain else fold(stem)
        canonical = _CANONICAL_STEMS.get(folded)
        variants = [canonical] if canonical else [stem]
        if not canonical and len(word) >= FOLD_MIN_LENGTH and (redundant or not plain):
            variants.append(FOLDED + folded)
        for variant in variants:
            if variant and variant not in found:
                found.append(variant)
    return tuple(found)


def surface_words(text: str) -> list[str]:
    """The words of `text` as typed, normalized: 'GPT-3.5 Turbo' -> ['gpt', '35', 'turbo']."""
    runs = word_runs(normalize(text))
    if "".join(runs).isalpha():  # letters only (most texts): each run is one word
        return runs
    return [word for run in runs for word in run_words(run)]


def word_runs(normalized: str) -> list[str]:
    """The runs of word characters in a `normalize`d text; each holds whole words only."""
    return WORD_CHARACTERS.findall(without_digit_dots(normalized))


def without_digit_dots(normalized: str) -> str:
    """A dot or comma between digits does not part words: '3.5' -> '35'."""
    return _DIGITS_WITH_DOT.sub("", normalized)


def run_words(run: str) -> list[str]:
    """The words of one of `word_runs`: 'gpt-35' is one run, 'gpt4o' three words."""
    if run.isalpha():
        return [run]
    words: list[str] = []
    for token in (run,) if run.isalnum() else _WORD.findall(run):
        if token.isalpha() or "&" in token or "+" in token:
            words.append(token)
        else:
            words.extend(part for part in _LETTER_DIGIT_BOUNDARY.split(token) if part)
    return words


def words(text: str) -> list[Word]:
    """The words of `text` with the index terms each may match."""
    return [Word(surface, stems(surface)) for surface in surface_words(text)]


def joinable(left: str, right: str) -> bool:
    """Whether two neighbouring words may also be read as one ("fine" "tune")."""
    return may_join(left) and may_join(right)


def may_join(word: str) -> bool:
    """Whether `word` may be one half of two neighbouring words read as one."""
    return word not in FUNCTION_WORDS


def joined(left: Word, right: Word) -> Word | None:
    """Two neighbouring words written as one ("fine" "tune" -> "finetune"), if they can be."""
    if not joinable(left.surface, right.surface):
        return None
    surface = left.surface + right.surface
    return Word(surface, stems(surface))
