"""The words a synthetic catalogue (`benchmarks.synthetic`) is written in: the subject's
phrases, verbs, products and providers in English and Swedish, sentence and question
templates, and questions about something else entirely."""

from __future__ import annotations

# (English, Swedish) pairs: the things resources are about.
TOPIC_PHRASES = (
    ("fine-tuning", "finjustering"),
    ("training data", "träningsdata"),
    ("hyperparameters", "hyperparametrar"),
    ("learning rate", "inlärningstakt"),
    ("batch size", "batchstorlek"),
    ("epochs", "epoker"),
    ("evaluation", "utvärdering"),
    ("deployment", "driftsättning"),
    ("function calling", "funktionsanrop"),
    ("retrieval augmented generation", "hämtningsförstärkt generering"),
    ("vector database", "vektordatabas"),
    ("embeddings", "inbäddningar"),
    ("tokenizer", "tokeniserare"),
    ("prompt engineering", "promptteknik"),
    ("few-shot learning", "få-shot-inlärning"),
    ("model catalog", "modellkatalog"),
    ("foundation model", "grundmodell"),
    ("language model", "språkmodell"),
    ("chat model", "chattmodell"),
    ("dataset", "datamängd"),
    ("jsonl file", "jsonl-fil"),
    ("token limits", "tokengränser"),
    ("experiment tracking", "experimentspårning"),
    ("quantization", "kvantisering"),
    ("lora adapters", "lora-adaptrar"),
    ("gpu memory", "grafikminne"),
    ("inference", "inferens"),
    ("latency", "latens"),
    ("cost", "kostnad"),
    ("data preparation", "dataförberedelse"),
    ("format errors", "formatfel"),
    ("overfitting", "överanpassning"),
    ("validation loss", "valideringsförlust"),
    ("checkpoints", "kontrollpunkter"),
    ("content filters", "innehållsfilter"),
    ("rate limits", "anropsgränser"),
    ("regions", "regioner"),
    ("pricing", "prissättning"),
    ("hallucinations", "hallucinationer"),
    ("safety", "säkerhet"),
    ("benchmarks", "jämförelsetester"),
    ("synthetic data", "syntetisk data"),
    ("knowledge cutoff", "kunskapsgräns"),
    ("custom model", "anpassad modell"),
    ("base model", "basmodell"),
)

# (English infinitive, Swedish infinitive, Swedish present tense).
VERBS = (
    ("fine-tune", "finjustera", "finjusterar"),
    ("train", "träna", "tränar"),
    ("evaluate", "utvärdera", "utvärderar"),
    ("deploy", "driftsätta", "driftsätter"),
    ("prepare", "förbereda", "förbereder"),
    ("track", "spåra", "spårar"),
    ("compare", "jämföra", "jämför"),
    ("customize", "anpassa", "anpassar"),
    ("monitor", "övervaka", "övervakar"),
    ("quantize", "kvantisera", "kvantiserar"),
    ("validate", "validera", "validerar"),
    ("debug", "felsöka", "felsöker"),
    ("scale", "skala", "skalar"),
    ("export", "exportera", "exporterar"),
    ("label", "märka", "märker"),
    ("clean", "rensa", "rensar"),
    ("analyse", "analysera", "analyserar"),
    ("improve", "förbättra", "förbättrar"),
)

PRODUCTS = (
    "Azure OpenAI",
    "OpenAI",
    "Hugging Face",
    "Llama 2",
    "Phi-2",
    "GPT-4",
    "GPT-3.5 Turbo",
    "Mistral",
    "Qdrant",
    "Databricks",
    "AzureML",
    "W&B",
    "TRL",
    "QLoRA",
    "PEFT",
    "PyTorch",
    "LangChain",
    "Colab",
    "AutoTrain",
    "Gemma",
    "Ollama",
    "vLLM",
)

PROVIDERS = (
    "Microsoft Learn",
    "OpenAI Cookbook",
    "Hugging Face",
    "Microsoft AI Playbook",
    "Community",
    "Weights & Biases",
    "Meta AI",
)

SECTIONS = {"primary": ("Core resources", "Primära resurser"), "secondary": ("Further", "Mer")}
KINDS = {
    "guide": ("Guide", "Guide"),
    "article": ("Article", "Artikel"),
    "video": ("Video", "Video"),
    "tutorial": ("Tutorial", "Handledning"),
    "notebook": ("Notebook", "Notebook"),
    "course": ("Course module", "Kursmodul"),
    "repository": ("Repository", "Kodförråd"),
}
TOPICS = {
    "concepts": ("Concepts", "Koncept"),
    "when-to-fine-tune": ("When to fine-tune", "När man ska finjustera"),
    "data-preparation": ("Data preparation", "Dataförberedelse"),
    "azure": ("Azure", "Azure"),
    "openai": ("OpenAI models", "OpenAI-modeller"),
    "hugging-face": ("Hugging Face", "Hugging Face"),
    "open-models": ("Open and small models", "Öppna och små modeller"),
    "experiment-tracking": ("Experiment tracking", "Experimentspårning"),
    "rag": ("RAG (retrieval)", "RAG (hämtning)"),
    "function-calling": ("Function calling", "Funktionsanrop"),
    "no-code": ("No-code and low-code", "Utan kod och lågkod"),
    "deployment": ("Deployment", "Driftsättning"),
}

TITLES_EN = (
    "{Verb} {topic} with {product}",
    "Tutorial: {verb} a {product} model for {topic}",
    "{Topic} in {product}: a {w0} {w1} guide",
    "Getting started with {topic} and {w0}",
    "How to {verb} {topic} on {product}",
    "{product} cookbook: {topic} for {w0} models",
)
TITLES_SV = (
    "{Verb_sv} {topic_sv} med {product}",
    "Handledning: {verb_sv} en {product}-modell för {topic_sv}",
    "{Topic_sv} i {product}: en guide om {w0} {w1}",
    "Kom igång med {topic_sv} och {w0}",
    "Så {verbs_sv} du {topic_sv} på {product}",
    "{product} kokbok: {topic_sv} för {w0}-modeller",
)
SENTENCES_EN = (
    "This {kind} shows how to {verb} {topic} using {product} and {w0}.",
    "It covers {topic}, {topic2} and {w0} {w1} step by step.",
    "You will learn about {w0}, {topic} and the {w1} of {product}.",
    "Useful when your {topic} needs {w0} or {topic2} is a problem.",
    "Includes examples with {w0} {w1}, {w2} and {product}.",
)
SENTENCES_SV = (
    "Denna {kind_sv} visar hur du kan {verb_sv} {topic_sv} med {product} och {w0}.",
    "Den tar upp {topic_sv}, {topic2_sv} och {w0} {w1} steg för steg.",
    "Du lär dig om {w0}, {topic_sv} och {w1} i {product}.",
    "Användbar när din {topic_sv} behöver {w0} eller {topic2_sv} är ett problem.",
    "Innehåller exempel med {w0} {w1}, {w2} och {product}.",
)
QUESTIONS_EN = (
    "How do I {verb} {topic} with {product}?",
    "What is {topic} in {product}?",
    "Can I {verb} {w0} on {product}?",
    "{topic} {w0} tutorial",
    "why does my {topic} fail with {w0}",
    "Which {topic} should I use for {w0}?",
)
QUESTIONS_SV = (
    "Hur {verbs_sv} jag {topic_sv} med {product}?",
    "Vad är {topic_sv} i {product}?",
    "Kan jag {verb_sv} {w0} på {product}?",
    "handledning om {topic_sv} och {w0}",
    "varför misslyckas min {topic_sv} med {w0}",
    "Vilken {topic_sv} ska jag använda för {w0}?",
)
OFF_TOPIC = (
    "how do I reset my password",
    "best hiking trails near stockholm",
    "what time is the meeting tomorrow",
    "var kan jag köpa billiga flygbiljetter",
    "recipe for cinnamon buns",
    "vem vann matchen igår",
    "my printer does not work",
    "hur lagar man en cykelpunktering",
    "lol",
    "is anyone here",
)
