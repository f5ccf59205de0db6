"""Everyday ways of saying the ideas a machine-learning catalogue is written in.

People ask with their own words ("graphics card", "makes things up", "utan kod"); resource
descriptions use the field's words ("GPU", "hallucinations", "no-code"). Each entry maps a
phrase people say to words a catalogue on this subject uses; the matcher uses the entries
whose targets the loaded catalogue really contains, at a lower similarity than a direct hit.
It is a general thesaurus of the subject in English and Swedish, not a list of questions.
"""

from __future__ import annotations

from bot.lexicon_groups import GROUPS as _WIDER_GROUPS
from bot.lexicon_translations import TRANSLATIONS
from bot.text import Word, fold, stems, surface_words

# concept words (as a catalogue writes them)  <-  phrases people use (either language)
_GROUPS: tuple[tuple[str, str], ...] = (
    ("gpu", "graphics card|graphics cards|video card|grafikkort|graphics processor|cuda"),
    (
        "cost costs",
        "expensive|cheap|cheaper|cheapest|price|pricing|money|budget|dyr|dyrt|"
        "billig|billigare|kostar|pris|spend|save money|kostnad|kostnader|kostnaden|avgift|avgifter|"
        "fees|billing|fakturering|vad kostar|how much does it cost",
    ),
    (
        "latency",
        "faster|speed|speed up|slow|slower|quicker|response time|snabbare|långsam|svarstid|"
        "response times|too slow|laggy|latens|fördröjning|fördröjningar|väntetid|för långsam|"
        "time to first token",
    ),
    (
        "code",
        "programming|coding|program|programmera|programmering|kodning|scripting|"
        "kod|koden|koder|koda|kodar",
    ),
    (
        "no-code low-code nocode lowcode",
        "without code|without coding|without programming|no coding|utan kod|"
        "utan att koda|drag and drop|point and click|gui|graphical interface|lågkod|"
        "lågkodsplattform|utan programmering|utan programmeringskunskaper|citizen developer|"
        "citizen developers|without programming knowledge",
    ),
    (
        "hallucinations fabrications",
        "makes things up|make things up|made up|making things up|"
        "invents|invented|confabulates|hittar på|påhitt|lies|lying|wrong facts|false answers|"
        "inaccurate|incorrect answers|hallucinate|hallucinating|hallucinera|hallucinerar|"
        "hallucinationer|fabricated|fabricate|fake sources|made-up sources|fake citations|"
        "confidently wrong|påhittade|hitta på|felaktiga svar|fel svar",
    ),
    ("customize adapt", "tailor|personalise|personalize|customise|adjust|anpassa|skräddarsy"),
    (
        "deploy deployment production",
        "ship|serve|serving|host|hosting|publish|go live|"
        "driftsätta|distribuera|produktion|endpoint|deploya|deployar|driftsättning|"
        "driftsätter|sätta i produktion|i produktion|put into production|production-ready",
    ),
    (
        "video",
        "talk|recording|recorded|episode|watch|show|youtube|webinar|presentation|"
        "inspelning|avsnitt|film|föredrag",
    ),
    (
        "tutorial",
        "walkthrough|walk through|step by step|hands-on|how-to|steg för steg|"
        "genomgång|övning|exercise|handledning|handledningar|how-to guide|how to guide",
    ),
    (
        "course module",
        "class|lesson|learning path|curriculum|lektion|utbildning|kurs|modul|kurser|kursen|"
        "kurserna|utbildningar|lektioner|lektionen|moduler|modulen",
    ),
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
        "evaluation|measure|benchmark|test|testing|accuracy|utvärdera|mäta|kvalitet|"
        "utvärdering|utvärderingar|utvärderar|bedöma|bedömning|assess|assessment|evals",
    ),
    ("small compact", "tiny|lightweight|little|mini|liten|litet|små|kompakt"),
    (
        "open-source open opensource",
        "open source|oss|öppen källkod|öppna|self-hosted|open weights|open-weight|"
        "open-weights|open models|öppna vikter|öppna modeller|modeller med öppen källkod",
    ),
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
        "kom igång|komma igång|börja|börjar|starta|startar|nybörjare|introduktion|grunder|"
        "grunderna|grundläggande|newbies|novice|novices|no experience|no prior experience|"
        "no prior knowledge|for dummies|non-technical|nybörjarvänlig|nybörjarkurs|"
        "ingen erfarenhet|utan förkunskaper|inga förkunskaper|från noll|lekman|lekmän",
    ),
    (
        "qlora lora",
        "quantized|quantised|4-bit|8-bit|adapter|adapters|peft|kvantiserad|"
        "low-rank adaptation|low rank adaptation|parameter-efficient|parameter efficient",
    ),
    (
        "vector qdrant retrieval",
        "vector db|vector store|vector database|embeddings|"
        "semantic search|vektordatabas|vektorer|rag",
    ),
    ("hyperparameters", "learning rate|epochs|epoch|batch size|inlärningstakt|epoker"),
    (
        "dataset data",
        "examples|training set|samples|jsonl|exempel|träningsdata|datamängd|datamängder|"
        "training examples|träningsexempel|labelled data|labeled data|annotated data|"
        "märkt data|annotera|annotering|corpus|korpus",
    ),
    (
        "train training",
        "teach|teaching|lära|lär|träna|träning|träningen|tränar|tränad|tränade|tränas",
    ),
    (
        "accurate consistent",
        "reliable|reliably|consistently|precise|robust|pålitlig|pålitligt|konsekvent|exakt",
    ),
    ("models", "versions|model versions|variants|modellversioner|versioner"),
    (
        "tokens",
        "token count|count tokens|context length|tokenbegränsning|antal tokens|token usage|"
        "tokenanvändning|tokenförbrukning",
    ),
    ("domain specific", "specialised|specialized|niche|medical|legal|industry|domänspecifik"),
    # the wider vocabulary of generative AI, for catalogues beyond fine-tuning (and more
    # of it in `bot.lexicon_groups`)
    (
        "embeddings vectors",
        "vector representations|inbäddning|inbäddningar|vektorrepresentation|embedding model|"
        "embedding models|inbäddningsmodell|inbäddningsmodeller|vektorisera|vektorisering",
    ),
    (
        "image generation",
        "text to image|text-to-image|generate images|generate pictures|pictures|"
        "bildgenerering|generera bilder|bildmodell|bildmodeller|ai art|ai images|"
        "ai-generated images|create images|create pictures|dall-e|dalle|midjourney|"
        "image generator|image generators|bildgenerator|bildgeneratorer|skapa bilder|"
        "rita bilder|ai-bilder|ai-konst|text till bild",
    ),
    (
        "speech transcription",
        "speech recognition|speech to text|voice|taligenkänning|tal till text|transkribera|"
        "whisper|speech-to-text|transcribe audio|transcript|transcripts|dictation|diktering|"
        "diktera|ljud till text|transkribering|transkription|transkriptioner|transkriberar|"
        "röstigenkänning",
    ),
    (
        "prompts prompt",
        "promptar|prompter|instruktioner till modellen|few-shot|few shot|zero-shot|"
        "chain of thought|chain-of-thought|prompting|promptteknik|prompttekniker|prompten|"
        "promptarna|prompterna|promptning|promptande|promptskrivning",
    ),
    (
        "retrieval documents",
        "my documents|our documents|own documents|company docs|company documents|"
        "internal documents|pdfs|knowledge base|egna dokument|våra dokument|kunskapsbas",
    ),
    (
        "content safety",
        "harmful content|offensive|violence|hate|hateful|toxic|toxicity|moderation|"
        "stötande|våld|hat|skadligt innehåll|moderering|inappropriate|olämpligt|"
        "olämpligt innehåll|nsfw|explicit content|self-harm|självskada|sexual content|"
        "sexuellt innehåll",
    ),
    (
        "security",
        "secure|protect|attack|attacks|hacked|säkerhet|skydda|skyddar|skydd|attacker",
    ),
    (
        "responsible ethics",
        "ethical|fairness|bias|etik|etisk|etiska|ansvarsfull|ansvarsfullt|ansvarsfulla|"
        "responsible ai|ai ethics|ethical ai|trustworthy ai|ansvarsfull ai|ai-etik|etisk ai",
    ),
    (
        "agents",
        "autonomous|agenter|agentramverk|ai agent|ai agents|agentic|agentisk|agentiska|"
        "ai-agent|ai-agenter|agenten|agenterna|autonomous agents",
    ),
    (
        "small language models",
        "slm|slms|small model|small models|små modeller|liten modell|"
        "små språkmodeller|liten språkmodell|smaller models|mindre modeller",
    ),
    (
        "access keys",
        "api key|api keys|credentials|nyckel|nycklar|behörighet|åtkomst|api-nyckel|"
        "api-nycklar|apinyckel|secret key|api token",
    ),
    (
        "user experience design",
        "ux|usability|användarupplevelse|användarvänlighet|interaktionsdesign|ux design|"
        "design patterns|designmönster|user-friendly|user friendly|användarvänlig|"
        "användarvänliga|gränssnittsdesign",
    ),
    (
        "code generation",
        "write code|writing code|kodgenerering|generera kod|generate code|ai writes code|"
        "ai that writes code|skriva kod med ai|kodgenerator",
    ),
    ("chat", "chatt|chattapp|chattbot|chatbot|konversation"),
    (
        "documentation guide",
        "docs|doc|manual|reference|reference docs|handbok|dokumentation|dokumentationen|"
        "api reference|api-referens|referensdokumentation",
    ),
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
PHRASES: dict[tuple[str, ...], tuple[str, ...]] = _build(_GROUPS + _WIDER_GROUPS)
# Swedish words in English: used only where the catalogue lacks the Swedish words themselves
# (a catalogue in English, or with thin Swedish), so they never outweigh its own text.
TRANSLATED: dict[tuple[str, ...], tuple[str, ...]] = _build(TRANSLATIONS)
LONGEST_PHRASE = max(len(key) for key in (*PHRASES, *TRANSLATED))
