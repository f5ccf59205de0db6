"""Synthetic catalogues and question streams, for the benchmark and the tests.

A generated catalogue reads like the real one (`data/resources.yaml`): titles, descriptions,
keywords and example questions in English and Swedish, drawn from the same kind of
vocabulary (fine-tuning, datasets, Azure, Hugging Face, ...) plus made-up words. The made-up
words are drawn with a long-tailed (Zipf) frequency, so many resources share words and the
vocabulary grows with the catalogue, as a real one does. The catalogue is produced as YAML
text, so that loading it goes through the real loader and validation.

A question stream mixes the catalogue's own questions reworded, new questions built from
the same vocabulary, bare keywords, typos, and off-topic questions; each question also gives
the prefixes a user types on the way to it (what autocomplete sees).
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass

from benchmarks.words import (
    KINDS,
    OFF_TOPIC,
    PRODUCTS,
    PROVIDERS,
    QUESTIONS_EN,
    QUESTIONS_SV,
    SECTIONS,
    SENTENCES_EN,
    SENTENCES_SV,
    TITLES_EN,
    TITLES_SV,
    TOPIC_PHRASES,
    TOPICS,
    VERBS,
)
from bot.catalog import Catalog

_WORDS_PER_TEMPLATE = 4
UNKNOWN_WORD_SHARE = 0.15  # of the made-up words in questions: words the catalogue lacks
_SYLLABLES = tuple(
    a + b
    for a in ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "br", "st", "kr")
    for b in ("a", "e", "i", "o", "u", "y", "å", "ä", "ö", "an", "el", "or")
)


@dataclass(frozen=True)
class Question:
    """One question of the stream, and the prefixes typed on the way to it."""

    text: str
    prefixes: tuple[str, ...]


class _Vocabulary:
    """Made-up words with a long-tailed frequency, plus the catalogue's kind of words.

    The made-up words depend only on `seed` and `size`: the questions about a catalogue
    use the catalogue's words. A share `unknown` of the words drawn are new ones.
    """

    def __init__(self, seed: int, size: int, rng: random.Random, unknown: float = 0.0) -> None:
        self.rng = rng
        self.unknown = unknown
        maker = random.Random(f"vocabulary {seed}")  # independent of the other draws
        words: set[str] = set()
        while len(words) < size:
            words.add(_made_up_word(maker))
        self.words = sorted(words)
        maker.shuffle(self.words)
        self._cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(size)))

    def word(self) -> str:
        if self.unknown and self.rng.random() < self.unknown:
            return _made_up_word(self.rng)
        return self.rng.choices(self.words, cum_weights=self._cumulative)[0]

    def draw(self) -> dict[str, str]:
        """Values for a template's placeholders; an English and a Swedish template share them."""
        rng = self.rng
        topic, topic2 = rng.sample(TOPIC_PHRASES, 2)
        verb = rng.choice(VERBS)
        kind = rng.choice(tuple(KINDS.values()))
        values = {
            "topic": topic[0],
            "Topic": topic[0].capitalize(),
            "topic2": topic2[0],
            "topic_sv": topic[1],
            "Topic_sv": topic[1].capitalize(),
            "topic2_sv": topic2[1],
            "verb": verb[0],
            "Verb": verb[0].capitalize(),
            "verb_sv": verb[1],
            "Verb_sv": verb[1].capitalize(),
            "verbs_sv": verb[2],
            "kind": kind[0].lower(),
            "kind_sv": kind[1].lower(),
            "product": rng.choice(PRODUCTS),
        }
        values.update((f"w{i}", self.word()) for i in range(_WORDS_PER_TEMPLATE))
        return values


def catalog_yaml(count: int, seed: int = 7) -> str:
    """The YAML text of a valid catalogue of `count` generated resources."""
    rng = random.Random(seed)
    vocabulary = _Vocabulary(seed, 2_000 + count, rng)
    lines = [
        "# A generated catalogue (benchmarks/synthetic.py), for benchmarks and tests.",
        "version: 1",
        "languages: [en, sv]",
    ]
    for key, names in (("sections", SECTIONS), ("kinds", KINDS), ("topics", TOPICS)):
        lines.append(f"{key}:")
        lines.extend(f"  {i}: {{en: {_q(en)}, sv: {_q(sv)}}}" for i, (en, sv) in names.items())
    lines.append("resources:")
    for number in range(count):
        lines.extend(_resource_lines(number, rng, vocabulary))
    return "\n".join(lines) + "\n"


def _resource_lines(number: int, rng: random.Random, vocabulary: _Vocabulary) -> list[str]:
    title_en, title_sv = _translated(rng, vocabulary, TITLES_EN, TITLES_SV)
    description_en, description_sv = [], []
    for _ in range(rng.randint(2, 4)):
        en, sv = _translated(rng, vocabulary, SENTENCES_EN, SENTENCES_SV)
        description_en.append(en)
        description_sv.append(sv)
    keywords: list[str] = []
    for _ in range(rng.randint(6, 20)):
        pick = rng.random()
        if pick < 0.35:
            keywords.append(rng.choice(rng.choice(TOPIC_PHRASES)))
        elif pick < 0.5:
            keywords.append(rng.choice(PRODUCTS))
        elif pick < 0.8:
            keywords.append(vocabulary.word())
        else:
            keywords.append(f"{vocabulary.word()} {vocabulary.word()}")
    slug = "-".join(title_en.lower().replace(":", "").split()[:4])
    slug = "".join(ch for ch in slug if ch.isascii() and (ch.isalnum() or ch == "-"))
    resource_id = f"r{number:06d}-{slug}"[:64].rstrip("-")
    lines = [
        f"  - id: {resource_id}",
        f"    url: https://example.org/{number}/{resource_id}",
        f"    kind: {rng.choice(tuple(KINDS))}",
        f"    provider: {_q(rng.choice(PROVIDERS))}",
        f"    section: {rng.choice(tuple(SECTIONS))}",
        f"    topics: [{', '.join(rng.sample(tuple(TOPICS), rng.randint(1, 3)))}]",
        "    title:",
        f"      en: {_q(title_en)}",
        f"      sv: {_q(title_sv)}",
        "    description:",
        f"      en: {_q(' '.join(description_en))}",
        f"      sv: {_q(' '.join(description_sv))}",
        f"    keywords: [{', '.join(_q(k) for k in dict.fromkeys(keywords))}]",
        "    questions:",
    ]
    asked = [
        _translated(rng, vocabulary, QUESTIONS_EN, QUESTIONS_SV) for _ in range(rng.randint(2, 5))
    ]
    for language, index in (("en", 0), ("sv", 1)):
        lines.append(f"      {language}:")
        lines.extend(f"        - {_q(pair[index])}" for pair in asked)
    return lines


def _translated(
    rng: random.Random, vocabulary: _Vocabulary, english: tuple[str, ...], swedish: tuple[str, ...]
) -> tuple[str, str]:
    """One text in English and Swedish: the same template and words in both languages."""
    template = rng.randrange(len(english))
    values = vocabulary.draw()
    return english[template].format(**values), swedish[template].format(**values)


def _q(text: str) -> str:
    """`text` as a double-quoted YAML scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def questions(catalog: Catalog, count: int, seed: int = 7) -> list[Question]:
    """A stream of `count` questions about `catalog`, with typos and typed prefixes.

    With the `seed` the catalogue was generated with, questions use its made-up words.
    """
    rng = random.Random(seed + 1)
    vocabulary = _Vocabulary(seed, 2_000 + len(catalog), rng, unknown=UNKNOWN_WORD_SHARE)
    stream: list[Question] = []
    for _ in range(count):
        pick = rng.random()
        if pick < 0.45:  # something the catalogue says, as people retype it
            resource = rng.choice(catalog.resources)
            said = [*resource.title.values(), *resource.keywords]
            said.extend(q for qs in resource.questions.values() for q in qs)
            text = rng.choice(said).lower()
            text = _reword(rng, text)
        elif pick < 0.75:  # a new question on the same subjects
            template = rng.choice(QUESTIONS_EN + QUESTIONS_SV + TITLES_EN + TITLES_SV)
            text = template.format(**vocabulary.draw())
        elif pick < 0.9:  # bare keywords
            words = [rng.choice(rng.choice(TOPIC_PHRASES)), rng.choice(PRODUCTS)]
            words += [vocabulary.word() for _ in range(rng.randint(0, 2))]
            rng.shuffle(words)
            text = " ".join(words)
        else:
            text = rng.choice(OFF_TOPIC)
        if rng.random() < 0.5:
            text = _typo(rng, text)
        stream.append(Question(text, _prefixes(rng, text)))
    return stream


def _made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))


def _reword(rng: random.Random, text: str) -> str:
    """Drop a word or two, as people do when they retype something."""
    words = text.split()
    for _ in range(rng.randint(0, 2)):
        if len(words) > 2:
            del words[rng.randrange(len(words))]
    return " ".join(words)


def _typo(rng: random.Random, text: str) -> str:
    """`text` with one word misspelt: a letter dropped, doubled, swapped or replaced."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long_words:
        return text
    index = rng.choice(long_words)
    word = words[index]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        word = word[:at] + word[at + 1 :]
    elif kind == 1:
        word = word[:at] + word[at] + word[at:]
    elif kind == 2:
        word = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    else:
        word = word[:at] + rng.choice("aeiounrst") + word[at + 1 :]
    words[index] = word
    return " ".join(words)


def _prefixes(rng: random.Random, text: str, count: int = 3) -> tuple[str, ...]:
    """A few prefixes of `text` in typing order, as autocomplete sees them."""
    if len(text) < 2:
        return (text,)
    cuts = sorted(rng.sample(range(1, len(text) + 1), min(count, len(text))))
    return tuple(text[:cut] for cut in cuts)
