"""The matcher, as a person asking questions would notice it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import limits
from bot.catalog import load_catalog, parse_catalog
from bot.search import Index

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.build(load_catalog(REPO / "data" / "resources.yaml"))


def best_id(index: Index, question: str) -> str | None:
    answer = index.ask(question)
    return answer.best.resource.id if answer.best else None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("when should I fine-tune", "llm-fine-tuning-recommendations"),
        ("WHEN SHOULD I FINE TUNE???", "llm-fine-tuning-recommendations"),
        ("when should i finetune 🤔", "llm-fine-tuning-recommendations"),
        ("fine-tune phi-2 with QLoRA", "phinetuning"),
        ("continuous fine-tuning", "azure-continuous-fine-tuning"),
    ],
)
def test_plain_questions_find_their_resource(index: Index, question: str, expected: str) -> None:
    assert best_id(index, question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("fintune gpt 3.5 turbo on azure", "tutorial-azure-gpt35-turbo"),
        ("functon calling", "azure-fine-tuning-function-calling"),
        ("hugginface single gpu", "tutorial-hugging-face-single-gpu"),
        ("contineous finetuning", "azure-continuous-fine-tuning"),
        ("autotrian advanced", "hf-autotrain-advanced"),
    ],
)
def test_typos_still_find_the_resource(index: Index, question: str, expected: str) -> None:
    assert best_id(index, question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("när ska jag finjustera", "llm-fine-tuning-recommendations"),
        ("nar ska jag overvaga finjustering", "llm-fine-tuning-recommendations"),
        ("kontinuerlig finjustering", "azure-continuous-fine-tuning"),
        ("finjustera med funktionsanrop", "azure-fine-tuning-function-calling"),
        ("vilka modeller kan finjusteras", "azure-fine-tuning-models"),
    ],
)
def test_swedish_questions_find_the_resource(index: Index, question: str, expected: str) -> None:
    assert best_id(index, question) == expected


def test_spellings_of_fine_tune_meet(index: Index) -> None:
    spellings = ["fine-tune", "finetune", "fine tuning", "finjustera", "fine-tuning"]
    answers = [index.ask(f"when should I {s}") for s in spellings]
    assert all(a.confident for a in answers)
    assert {a.best.resource.id for a in answers if a.best} == {"llm-fine-tuning-recommendations"}


@pytest.mark.parametrize(
    "question",
    [
        "hello",
        "qwertyuiop",
        "best pizza in stockholm",
        "hej hur mår du",
        "",
        "!!!",
        "🙂🙂🙂",
        "how do I reset my discord password",
        "vad är klockan",
    ],
)
def test_off_topic_questions_get_no_answer(index: Index, question: str) -> None:
    answer = index.ask(question)
    assert not answer.confident
    assert answer.results == ()
    assert len(answer.suggestions) <= 3


def test_a_refusal_offers_near_misses_when_some_words_fit(index: Index) -> None:
    answer = index.ask("my dog keeps eating the fine-tuning dataset")
    if answer.confident:
        pytest.fail("a question mostly about a dog should not be answered confidently")
    assert answer.suggestions, "near misses expected: the question mentions a fine-tuning dataset"
    assert all(m.score > 0 for m in answer.suggestions)


def test_known_words_are_found_inside_swedish_compounds(index: Index) -> None:
    answer = index.ask("hur mycket grafikkortsminne behöver jag")  # grafikkort|s|minne
    assert answer.confident and answer.best.resource.id == "tutorial-hugging-face-single-gpu"
    answer = index.ask("hyperparameterinställningar för finjustering")  # hyperparameter|…
    assert answer.confident and answer.best.resource.id == "llm-fine-tuning-getting-started"


def test_an_english_word_ending_in_a_known_word_is_not_a_compound(index: Index) -> None:
    # "javascript" and "typescript" are not "script", which the catalogue has
    assert not index.ask("is javascript better than typescript").confident


def test_a_long_chatty_message_is_answered_like_its_short_form(index: Index) -> None:
    right = {"cookbook-rag-qdrant", "llm-fine-tuning-recommendations"}
    short = index.ask("my model makes things up")
    chatty = index.ask(
        "I'm building a support bot and the model keeps making things up about our product. "
        "Should I be fine-tuning it instead?"
    )
    assert short.confident and short.best.resource.id in right
    # every extra word used to lower the share of the question a resource covers, until
    # the bot refused; now it answers, with the right resource among its cards
    assert chatty.confident
    assert right & {m.resource.id for m in chatty.results[:3]}


def test_informal_swedish_with_filler_is_answered(index: Index) -> None:
    answer = index.ask("vad betyder finjustering egentligen?")
    assert answer.confident
    assert answer.best.resource.id in {"openai-fine-tuning-guide", "azure-what-is-fine-tuning"}


@pytest.mark.parametrize("small_talk", ["thanks a lot, that helped!", "tack, det hjälpte!"])
def test_small_talk_is_not_answered_with_a_card(index: Index, small_talk: str) -> None:
    assert not index.ask(small_talk).confident


def test_answers_carry_scores_best_first_and_why_they_matched(index: Index) -> None:
    answer = index.ask("weights and biases dashboard")
    assert answer.confident
    scores = [m.score for m in answer.results]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert "weights" in answer.best.matched or "biases" in answer.best.matched


def test_autocomplete_ranks_prefixes_as_they_are_typed(index: Index) -> None:
    assert index.autocomplete("qdra")[0].resource.id == "cookbook-rag-qdrant"
    assert index.autocomplete("function cal")[0].resource.id == "azure-fine-tuning-function-calling"
    assert index.autocomplete("autotr")[0].resource.id == "hf-autotrain-advanced"


@pytest.mark.parametrize("partial", ["", "f", "fi", "x" * 6000, "@everyone", "🙂", "   "])
def test_autocomplete_never_returns_more_than_discord_shows(index: Index, partial: str) -> None:
    suggestions = index.autocomplete(partial)
    assert len(suggestions) <= limits.AUTOCOMPLETE_CHOICES


def test_autocomplete_on_nothing_typed_lists_resources(index: Index) -> None:
    assert len(index.autocomplete("")) == 20


def test_swedish_typed_without_its_letters_is_answered_like_with_them(index: Index) -> None:
    with_letters = index.ask("när lönar det sig att finjustera en språkmodell")
    without = index.ask("nar lonar det sig att finjustera en sprakmodell")
    assert with_letters.confident and without.confident
    assert without.best.resource.id == with_letters.best.resource.id


def test_a_misspelt_everyday_word_does_not_count_against_a_match(index: Index) -> None:
    right = index.ask("what is fine-tuning actually, and when is it worth it")
    typo = index.ask("what is fine-tuning acutally, and when is it worth it")
    assert right.confident and typo.confident
    assert typo.best.resource.id == right.best.resource.id
    assert typo.best.score == right.best.score


LINKED = """
version: 1
languages: [en]
sections: {docs: {en: Docs}}
kinds: {page: {en: Page}}
topics: {chat: {en: Chat apps}}
resources:
  - id: guidance
    url: https://learn.example.com/openai/system-message#define-the-models-output-format
    kind: page
    provider: Example Learn
    section: docs
    topics: [chat]
    title: {en: Microsoft has provided guidance}
    description: {en: "Guidance for writing system messages, in four areas:"}
  - id: setup
    url: https://learn.example.com/openai/quickstart?tabs=python&pivots=billing
    kind: page
    provider: Example Learn
    section: docs
    topics: [chat]
    title: {en: Quickstart}
    description: {en: Create a resource and send your first chat message.}
"""


def test_the_words_of_a_resources_link_find_it() -> None:
    """A page's address often names what it holds when its text is thin; its query
    (settings such as tabs) says nothing about the page."""
    linked = Index.build(parse_catalog(LINKED.encode()))
    assert [m.resource.id for m in linked.rank("what output format does the model use", 1)] == [
        "guidance"
    ]
    assert all("billing" not in m.matched for m in linked.rank("billing", 2))


def test_an_everyday_word_of_a_lexicon_phrase_does_not_match_alone() -> None:
    """ "intro" means "getting started", not any text that says "getting"."""
    catalog = LINKED.replace("Create a resource and send", "Chat is getting better as you send")
    linked = Index.build(parse_catalog(catalog.encode()))
    assert not [m for m in linked.rank("any intro", 2) if m.score > 0]


def catalogue_of(*titles: str) -> Index:
    """An index of one resource per title, ids r1, r2, ... in order."""
    resources = "".join(
        f"""
  - id: r{number}
    url: https://example.com/{number}
    kind: page
    provider: Example
    section: docs
    topics: [misc]
    title: {{en: {title}}}
    description: {{en: {title}.}}
"""
        for number, title in enumerate(titles, 1)
    )
    head = "version: 1\nlanguages: [en]\nsections: {docs: {en: Docs}}\n"
    head += "kinds: {page: {en: Page}}\ntopics: {misc: {en: Misc}}\nresources:"
    return Index.build(parse_catalog((head + resources).encode()))


def test_a_synonym_never_outweighs_the_word_as_written() -> None:
    """A rare word the lexicon links to "embeddings" must not beat the resources that say
    "embeddings" just because it is rarer."""
    index = catalogue_of("Embeddings explained", "Embeddings for search", "Qdrant database")
    assert [m.resource.id for m in index.rank("embeddings", 2)] == ["r1", "r2"]


def test_a_swedish_noun_in_ering_meets_its_verb() -> None:
    """ "kvantiserar" (quantizes) asks for "kvantisering" (quantization) as much as for
    "kvantisera": the Swedish stemmer alone leaves the noun apart."""
    index = catalogue_of("Kvantisering av modeller", "Kvantisera med bitsandbytes", "Promptar")
    matched = {m.resource.id for m in index.rank("hur kvantiserar jag", 3) if m.score > 0}
    assert matched == {"r1", "r2"}


def test_two_swapped_letters_are_read_as_the_word() -> None:
    """The commonest slip of typing: "turnig" for "turing", "modle" for "model"."""
    index = catalogue_of("The Turing test", "Model cards", "Prompt basics")
    assert [m.resource.id for m in index.rank("turnig", 1) if m.score > 0] == ["r1"]
    assert [m.resource.id for m in index.rank("modle", 1) if m.score > 0] == ["r2"]


def test_a_swedish_word_the_catalogue_lacks_reaches_its_english_word() -> None:
    """An English catalogue still answers "moln" (cloud); where the catalogue has the
    Swedish word itself, its own text decides."""
    english = catalogue_of("Run models in the cloud", "Prompt basics")
    assert [m.resource.id for m in english.rank("molnet", 2) if m.score > 0] == ["r1"]
    both = catalogue_of("Run models in the cloud", "Molnet förklarat")
    matched = {m.resource.id for m in both.rank("molnet", 2) if m.score > 0}
    assert matched == {"r2"}


def test_a_phrase_of_everyday_words_can_name_an_idea() -> None:
    """ "hittar på" (makes up) is two everyday words, and still means hallucinations."""
    index = catalogue_of("Stop model hallucinations with retrieval", "Model prompt basics")
    answer = index.ask("den hittar på")
    assert answer.confident and answer.best.resource.id == "r1"


def test_both_halves_of_a_swedish_compound_count() -> None:
    """ "turingtestet" (the Turing test) is about Turing and about tests: the resource
    that has both comes before the one that names Turing alone."""
    index = catalogue_of("The life of Alan Turing", "The Turing test", "Prompt basics")
    assert [m.resource.id for m in index.rank("vad är turingtestet", 1)] == ["r2"]
