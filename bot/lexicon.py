"""Everyday ways of saying the ideas a machine-learning catalogue is written in.

People ask with their own words ("graphics card", "makes things up", "utan kod"); resource
descriptions use the field's words ("GPU", "hallucinations", "no-code"). Each entry maps a
phrase people say to words a catalogue on this subject uses; the matcher uses the entries
whose targets the loaded catalogue really contains, at a lower similarity than a direct hit.
It is a general thesaurus of the subject in English and Swedish, not a list of questions.
"""

from __future__ import annotations

from bot.lexicon_translations import TRANSLATIONS
from bot.text import Word, fold, stems, surface_words

# concept words (as a catalogue writes them)  <-  phrases people use (either language)
_GROUPS: tuple[tuple[str, str], ...] = (
    ("gpu", "graphics card|graphics cards|video card|grafikkort|graphics processor|cuda"),
    (
        "cost costs",
        "expensive|cheap|cheaper|cheapest|price|pricing|money|budget|dyr|dyrt|"
        "billig|billigare|kostar|pris|spend|save money",
    ),
    (
        "latency",
        "faster|speed|speed up|slow|slower|quicker|response time|snabbare|långsam|svarstid",
    ),
    ("code", "programming|coding|program|programmera|programmering|kodning|scripting"),
    (
        "no-code low-code",
        "without code|without coding|without programming|no coding|utan kod|"
        "utan att koda|drag and drop|point and click|gui|graphical interface",
    ),
    (
        "hallucinations fabrications",
        "makes things up|make things up|made up|making things up|"
        "invents|invented|confabulates|hittar på|påhitt|lies|lying|wrong facts|false answers|"
        "inaccurate|incorrect answers",
    ),
    ("customize adapt", "tailor|personalise|personalize|customise|adjust|anpassa|skräddarsy"),
    (
        "deploy deployment production",
        "ship|serve|serving|host|hosting|publish|go live|"
        "driftsätta|distribuera|produktion|endpoint",
    ),
    (
        "video",
        "talk|recording|recorded|episode|watch|show|youtube|webinar|presentation|"
        "inspelning|avsnitt|film|föredrag",
    ),
    (
        "tutorial",
        "walkthrough|walk through|step by step|hands-on|how-to|steg för steg|"
        "genomgång|övning|exercise",
    ),
    ("course module", "class|lesson|learning path|curriculum|lektion|utbildning|kurs|modul"),
    (
        "tracking metrics",
        "monitor|monitoring|dashboard|visualise|visualize|charts|logging|"
        "experiment tracking|spåra|övervaka|loggning|instrumentpanel",
    ),
    (
        "function calling",
        "tool use|tool calling|tools|function calls|call functions|"
        "call my functions|api calls|verktyg|funktionsanrop|anropa|anropar|anropa funktioner",
    ),
    (
        "evaluate quality",
        "evaluation|measure|benchmark|test|testing|accuracy|utvärdera|mäta|kvalitet",
    ),
    ("small compact", "tiny|lightweight|little|mini|liten|litet|små|kompakt"),
    ("open-source open", "open source|oss|öppen källkod|öppna|self-hosted"),
    (
        "consider when",
        "worth|worth it|pay off|pays off|benefit|benefits|pros and cons|"
        "lönar|lönar sig|värt|fördelar|nackdelar|should i|decide|deciding|decision",
    ),
    (
        "drawbacks",
        "downside|downsides|disadvantage|disadvantages|pitfalls|reasons not to|why not|"
        "nackdel|nackdelar|baksida|baksidor",
    ),
    (
        "format errors",
        "mistakes|mistake|broken|invalid|malformed|validate|validation|fel|felaktig|kontrollera",
    ),
    (
        "regions availability",
        "region|location|locations|where available|data center|"
        "datacenter|tillgänglig|tillgänglighet",
    ),
    (
        "continuous further",
        "again|retrain|re-train|keep training|continue training|"
        "incremental|update|updating|refresh|fortsätta|uppdatera|vidare",
    ),
    (
        "getting started overview",
        "start|begin|beginner|beginners|intro|introduction|basics|"
        "kom igång|komma igång|börja|börjar|starta|startar|nybörjare|introduktion|grunder",
    ),
    ("qlora lora", "quantized|quantised|4-bit|8-bit|adapter|adapters|peft|kvantiserad"),
    (
        "vector qdrant retrieval",
        "vector db|vector store|vector database|embeddings|"
        "semantic search|vektordatabas|vektorer|rag",
    ),
    ("hyperparameters", "learning rate|epochs|epoch|batch size|inlärningstakt|epoker"),
    ("dataset data", "examples|training set|samples|jsonl|exempel|träningsdata|datamängd"),
    ("train training", "teach|teaching|lära|lär|träna"),
    (
        "accurate consistent",
        "reliable|reliably|consistently|precise|robust|pålitlig|pålitligt|konsekvent|exakt",
    ),
    ("models", "versions|model versions|variants|modellversioner|versioner"),
    ("tokens", "token count|count tokens|context length|tokenbegränsning"),
    ("domain specific", "specialised|specialized|niche|medical|legal|industry|domänspecifik"),
    # the wider vocabulary of generative AI, for catalogues beyond fine-tuning
    ("embeddings vectors", "vector representations|inbäddning|inbäddningar|vektorrepresentation"),
    (
        "image generation",
        "text to image|text-to-image|generate images|generate pictures|pictures|"
        "bildgenerering|generera bilder|bildmodell|bildmodeller",
    ),
    (
        "speech transcription",
        "speech recognition|speech to text|voice|taligenkänning|tal till text|transkribera",
    ),
    (
        "prompts prompt",
        "promptar|prompter|instruktioner till modellen|few-shot|few shot|zero-shot|"
        "chain of thought|chain-of-thought|prompting|promptteknik|prompttekniker",
    ),
    (
        "retrieval documents",
        "my documents|our documents|own documents|company docs|company documents|"
        "internal documents|pdfs|knowledge base|egna dokument|våra dokument|kunskapsbas",
    ),
    (
        "content safety",
        "harmful content|offensive|violence|hate|hateful|toxic|toxicity|moderation|"
        "stötande|våld|hat|skadligt innehåll|moderering",
    ),
    (
        "security",
        "secure|protect|attack|attacks|hacked|säkerhet|skydda|skyddar|skydd|attacker",
    ),
    ("responsible ethics", "ethical|fairness|bias|etik|etisk|etiska|ansvarsfull|ansvarsfullt"),
    ("agents", "autonomous|agenter|agentramverk"),
    ("small language models", "slm|slms|small model|small models|små modeller|liten modell"),
    ("access keys", "api key|api keys|credentials|nyckel|nycklar|behörighet|åtkomst"),
    (
        "user experience design",
        "ux|usability|användarupplevelse|användarvänlighet|interaktionsdesign",
    ),
    ("code generation", "write code|writing code|kodgenerering|generera kod"),
    ("chat", "chatt|chattapp|chattbot|chatbot|konversation"),
    ("documentation guide", "docs|doc|manual|reference|reference docs|handbok|dokumentation"),
)


def key_of(words: list[Word]) -> tuple[str, ...]:
    """How a run of words is looked up in `PHRASES`: by stem, so "version" meets "versions",
    with å/ä/ö folded, so "lonar" (typed without them) meets "lönar"."""
    return tuple(fold(word.terms[0]) for word in words)


def _build(groups: tuple[tuple[str, str], ...]) -> dict[tuple[str, ...], tuple[str, ...]]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for targets, phrases in groups:
        target_words = tuple(targets.split())
        for phrase in phrases.split("|"):
            key = key_of([Word(w, stems(w)) for w in surface_words(phrase)])
            table[key] = tuple(dict.fromkeys(table.get(key, ()) + target_words))
    return table


# Phrases of the subject: used wherever a question says them.
PHRASES: dict[tuple[str, ...], tuple[str, ...]] = _build(_GROUPS)
# Swedish words in English: used only where the catalogue lacks the Swedish words themselves
# (a catalogue in English, or with thin Swedish), so they never outweigh its own text.
TRANSLATED: dict[tuple[str, ...], tuple[str, ...]] = _build(TRANSLATIONS)
LONGEST_PHRASE = max(len(key) for key in (*PHRASES, *TRANSLATED))
PHRASE_STARTS = frozenset(key[0] for key in (*PHRASES, *TRANSLATED) if key)  # most words start none
