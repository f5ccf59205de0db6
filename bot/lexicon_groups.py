"""The wider vocabulary of generative AI, for catalogues beyond fine-tuning: the groups of
`bot.lexicon`, in the same form (concept words as a catalogue writes them <- phrases people
say, '|'-separated, English or Swedish). Written from the field's standard terms and the
ways people ask about them, not from any list of questions.

Targets are the words a resource description uses. Where a catalogue writes a term as two
words that the index also joins ("context window" -> "contextwindow"), the target is the
joined form: each target word is looked up alone, and "window" alone would meet Windows.
A Swedish word maps to its English equivalent only where the two share their senses.
"""

from __future__ import annotations

# concept words (as a catalogue writes them)  <-  phrases people use (either language)
GROUPS: tuple[tuple[str, str], ...] = (
    # models and model families
    (
        "llm llms",
        "large language model|large language models|stor språkmodell|stora språkmodeller|"
        "språkmodell|språkmodeller|språkmodellen|chatgpt",
    ),
    ("model models", "modeller|modellen|modellerna|modellens|ai-modell|ai-modeller"),
    (
        "foundation pretrained",
        "base model|base models|pre-trained model|pre-trained models|grundmodell|grundmodeller|"
        "förtränad modell|förtränade modeller|basmodell|basmodeller",
    ),
    (
        "proprietary closed",
        "closed source|closed-source|closed models|closed model|commercial models|"
        "kommersiella modeller|stängda modeller|sluten källkod|proprietär|proprietära",
    ),
    (
        "local offline",
        "run locally|run it locally|running locally|on my laptop|on my own computer|"
        "on my computer|on my pc|on device|on-device|lokalt|köra lokalt|kör lokalt|på min dator|"
        "på egen dator|utan internet|without internet|ollama|lm studio",
    ),
    (
        "multimodal vision",
        "image understanding|understand images|understands images|describe images|"
        "describe an image|analyze images|analyse images|analyze an image|image input|"
        "images as input|see images|gpt-4v|gpt-4 vision|multimodala|multimodalt|bildförståelse|"
        "beskriva bilder|tolka bilder|analysera bilder|bildanalys|förstå bilder",
    ),
    (
        "chain-of-thought cot",
        "think step by step|reason step by step|step-by-step reasoning|step by step reasoning|"
        "tankekedja|tankekedjor|resonera steg för steg",
    ),
    (
        "transformer attention",
        "transformer architecture|self-attention|self attention|attention mechanism|"
        "transformerarkitektur|transformerarkitekturen|uppmärksamhetsmekanism|"
        "attention is all you need",
    ),
    (
        "deeplearning neural",
        "djupinlärning|djup inlärning|neurala nätverk|neuralt nätverk|neural net|neural nets|"
        "neuronnät",
    ),
    ("machine learning", "ml|maskininlärning|maskininlärningsmodell|maskininlärningsmodeller"),
    (
        "generative genai",
        "gen ai|gen-ai|generativ|generativa|generativ ai|generativ artificiell intelligens|"
        "ai som skapar innehåll|ai that creates content",
    ),
    ("ai artificial intelligence", "artificiell intelligens|artificiella intelligens"),
    (
        "parameters",
        "billion parameters|number of parameters|model size|size of the model|parametrar|"
        "parametrarna|antal parametrar|modellstorlek|modellens storlek",
    ),
    (
        "inference",
        "inferens|inferensen|slutledning|run the model|running the model|run a model|"
        "running a model|köra modellen|köra en modell|köra modeller",
    ),
    ("gpu", "nvidia|a100|h100|vram|gpu memory|grafikminne|grafikprocessor|grafikprocessorer"),
    (
        "cutoff knowledgecutoff",
        "knowledge cut-off|cut-off date|cutoff date|training cutoff|recent events|current events|"
        "kunskapsgräns|kunskapsgränsen|kunskapsstopp",
    ),
    # tokens and context
    (
        "tokenizer tokenization tokens",
        "word pieces|subword|subwords|bpe|byte pair encoding|byte-pair encoding|tiktoken|"
        "tokenisering|tokenisera|tokeniserar|tokeniserare",
    ),
    (
        "context contextwindow",
        "context length|context size|context limit|token limit|token limits|max tokens|"
        "maximum tokens|kontextfönster|kontextfönstret|kontextlängd|kontextlängden|"
        "max antal tokens|tokengräns|tokengränsen",
    ),
    # prompts and prompting
    (
        "promptengineering prompt",
        "prompt design|prompt crafting|write prompts|writing prompts|write better prompts|"
        "better prompts|promptdesign|promptteknik|prompttekniker|skriva promptar|skriva prompter|"
        "bättre promptar|formulera promptar",
    ),
    (
        "fewshot",
        "few shot|few-shot|one-shot|one shot|examples in the prompt|example in the prompt|"
        "in-context learning|in context learning|exempel i prompten|ge exempel i prompten",
    ),
    ("zeroshot", "zero shot|zero-shot|noll exempel"),
    (
        "systemmessage systemprompt metaprompt",
        "system prompt|system prompts|system message|system messages|system instructions|"
        "meta prompt|meta-prompt|custom instructions|systemprompt|systemprompten|"
        "systemmeddelande|systemmeddelandet|systeminstruktion|systeminstruktioner|"
        "anpassade instruktioner",
    ),
    (
        "templates template",
        "prompt template|prompt templates|reusable prompts|prompt library|mall|mallar|mallen|"
        "promptmall|promptmallar",
    ),
    (
        "instructions",
        "instruktion|instruktioner|instruktionerna|instruera|instruerar|anvisningar|anvisning",
    ),
    (
        "json structured",
        "structured output|structured outputs|structured data|structured response|json mode|"
        "json schema|strukturerad data|strukturerat svar|strukturerade svar|strukturerad utdata|"
        "output format|utdataformat|svarsformat",
    ),
    (
        "temperature sampling",
        "more random|less random|more creative|less creative|deterministic|non-deterministic|"
        "same answer every time|different answers|different answer every time|top-p|top p|top_p|"
        "top-k|top k|nucleus sampling|temperatur|temperaturen|slumpmässig|slumpmässigt|"
        "slumpmässighet|samma svar|olika svar|mer kreativ|mindre kreativ|deterministisk",
    ),
    # hallucinations and grounding
    (
        "grounding grounded",
        "ground the answers|grounded answers|stick to the facts|based on facts|fact-based|"
        "cite sources|citations|source citations|fact-check|fact check|fact checking|"
        "källhänvisning|källhänvisningar|källangivelse|förankring|förankra|förankrad|"
        "faktabaserad|faktakontroll|faktagranskning",
    ),
    # embeddings and search
    (
        "similarity cosine",
        "how similar|similarity score|cosine similarity|cos similarity|dot product|"
        "nearest neighbour|nearest neighbours|nearest neighbor|nearest neighbors|knn|likhet|"
        "likheten|likhetsmått|cosinuslikhet|skalärprodukt|närmaste granne|närmaste grannar",
    ),
    (
        "semantic search",
        "search by meaning|meaning-based search|similarity search|vector search|"
        "find similar documents|similar documents|semantisk sökning|semantisk sök|"
        "semantiska sökningar|likhetssökning|vektorsökning|betydelsebaserad sökning",
    ),
    (
        "vector database vectordatabase",
        "vector db|vector dbs|vector store|vector stores|vector databases|vektordatabas|"
        "vektordatabaser|vektorlager|pinecone|chroma|chromadb|faiss|weaviate|milvus|pgvector",
    ),
    (
        "search",
        "sökmotor|sökmotorer|sökning|sökningar|söka|söker|sökfunktion|söktjänst|sökapp|sökappar",
    ),
    (
        "reranking",
        "re-rank|rerank|re-ranking|reranker|rerankers|re-ranker|omrankning|omrangordning|"
        "rangordna om",
    ),
    (
        "websearch browsing",
        "search the web|search the internet|browse the web|browse the internet|internet access|"
        "access the internet|söka på internet|söka på nätet|webbsökning|internetsökning|"
        "bing search",
    ),
    # retrieval-augmented generation
    (
        "rag retrieval augmented",
        "retrieval augmented|chat with my documents|chat with documents|chat with your documents|"
        "chat with pdf|chat with pdfs|chat with your data|ask questions about documents|"
        "ask questions about my documents|answer questions from documents|answer from documents|"
        "question answering over documents|talk to my documents|chatta med dokument|"
        "chatta med mina dokument|fråga dokument|fråga mina dokument|hämtningsförstärkt|"
        "hämtningsförstärkt generering|sökförstärkt",
    ),
    (
        "chunking",
        "split documents|splitting documents|split the documents|split text|split the text|"
        "splitting text|text splitter|text splitting|chunk size|chunk overlap|chunkning|chunka|"
        "chunkar|dela upp dokument|dela upp texten|dela upp text|textbitar",
    ),
    ("documents document", "dokumenten|dokumentet|dokumentens"),
    # fine-tuning and model adaptation
    (
        "finetuning",
        "tune the model|tune a model|retrain the model|train the model on|train a model on|"
        "train my own model|train it on|custom model|custom models|customized model|"
        "customised model|specialise a model|specialize a model",
    ),
    (
        "quantization",
        "quantise|quantising|quantized model|quantised model|4 bit|8 bit|int4|int8|gguf|awq|gptq|"
        "bitsandbytes|lower precision|reduced precision|lägre precision|kvantisering|kvantisera|"
        "kvantiserar|kvantiserad|kvantiserade",
    ),
    (
        "distillation distilled",
        "distil|teacher model|student model|teacher-student|knowledge distillation|destillering|"
        "destillera|destillerar|destillerad|destillerade|kunskapsdestillering",
    ),
    (
        "pretraining",
        "train from scratch|training from scratch|train a model from scratch|build my own llm|"
        "förträning|förträna|träna från grunden|träna från noll",
    ),
    (
        "rlhf alignment",
        "human feedback|reinforcement learning from human feedback|preference tuning|"
        "preference optimization|dpo|align the model|förstärkningsinlärning|"
        "mänsklig återkoppling|mänsklig feedback",
    ),
    (
        "synthetic data",
        "generated data|generated training data|fake data|artificial data|generate training data|"
        "syntetisk data|syntetiska data|syntetiskt data|genererad data|generera träningsdata",
    ),
    (
        "data preparation preprocessing",
        "clean data|clean the data|cleaning data|data cleaning|prepare data|prepare the data|"
        "preparing data|data prep|datatvätt|rensa data|tvätta data|förbereda data|"
        "förbereda datan|databeredning|förbehandling|förbehandla",
    ),
    # evaluation and performance
    (
        "benchmarks benchmark leaderboard",
        "leaderboards|model ranking|ranking of models|mmlu|humaneval|hellaswag|chatbot arena|"
        "lmsys|lmarena|topplista|topplistor|riktmärke|riktmärken|prestandatest|prestandatester",
    ),
    (
        "compare comparison choose",
        "which model|which llm|choosing a model|choose a model|pick a model|picking a model|"
        "select a model|selecting a model|model selection|model choice|versus|vs|välja modell|"
        "välja en modell|vilken modell|vilken språkmodell|jämföra modeller|jämför modeller|"
        "jämförelse av modeller|modellval",
    ),
    (
        "metrics",
        "bleu|rouge|f1|f1 score|precision and recall|evaluation metrics|mätvärden|nyckeltal|"
        "utvärderingsmått|mätetal",
    ),
    (
        "accuracy accurate",
        "noggrannhet|träffsäkerhet|korrekthet|exakthet|correct answers|right answers|rätt svar|"
        "korrekta svar",
    ),
    (
        "throughput",
        "tokens per second|requests per second|genomströmning|provisioned throughput|ptu|ptus|"
        "high volume",
    ),
    (
        "scaling scalability scale",
        "scale up|scale out|many users|lots of users|millions of users|heavy load|high load|"
        "high traffic|skala upp|skalning|skalbarhet|skalbar|skalbara|många användare|"
        "hög belastning",
    ),
    (
        "observability tracing",
        "trace|traces|telemetry|telemetri|observerbarhet|spårning|opentelemetry|langsmith",
    ),
    (
        "debugging troubleshooting",
        "troubleshoot|fix errors|fix bugs|error message|error messages|felsöka|felsöker|"
        "felsökning|bugg|buggar|felmeddelande|felmeddelanden",
    ),
    (
        "streaming",
        "stream the response|stream responses|stream the output|word by word|token by token|"
        "strömma|strömmar|strömning|strömmande svar",
    ),
    (
        "cost optimization costs",
        "reduce cost|reduce costs|reducing costs|cut costs|lower costs|lower the cost|save costs|"
        "spara pengar|sänka kostnaderna|sänka kostnader|minska kostnaderna|minska kostnader",
    ),
    # agents, tools and orchestration
    (
        "planning",
        "plan steps|break down tasks|break down a task|break a task into steps|"
        "task decomposition|multi-step tasks|multistep tasks|multi step tasks|planera|planerar|"
        "planering|planerare|dela upp uppgiften|i flera steg",
    ),
    (
        "memory",
        "remember|remembers|remembering|chat history|conversation history|previous messages|"
        "earlier messages|long-term memory|short-term memory|minne|minnet|minns|komma ihåg|"
        "kommer ihåg|chatthistorik|konversationshistorik|tidigare meddelanden",
    ),
    (
        "multi-agent multiagent agents",
        "multi agent|multiple agents|several agents|many agents|agents working together|"
        "agents that collaborate|collaborating agents|team of agents|agent team|agent teams|"
        "flera agenter|samarbetande agenter|agentteam|multiagentsystem",
    ),
    (
        "frameworks orchestration",
        "langchain|llamaindex|llama index|semantic kernel|autogen|crewai|haystack|prompt flow|"
        "promptflow|orchestrate|orchestrating|ramverk|ramverket|orkestrering|orkestrera|"
        "orkestrerar",
    ),
    # images, audio and other modalities
    ("diffusion image generation", "stable diffusion|sdxl"),
    (
        "image editing",
        "edit images|edit an image|edit a picture|edit pictures|edit photos|photo editing|"
        "modify images|modify an image|redigera bilder|redigera en bild|bildredigering|"
        "ändra bilder|ändra en bild",
    ),
    (
        "inpainting outpainting",
        "fill in part of an image|replace part of an image|remove objects from|erase part of|"
        "extend an image|expand an image|uncrop|generative fill|generativ fyllning|inmålning|"
        "utmålning",
    ),
    (
        "variations",
        "image variations|variations of an image|variants of an image|versions of an image|"
        "bildvariationer|varianter av en bild|variationer",
    ),
    ("image images", "bild|bilder|bilden|bilderna|bildens|foto|foton|fotografi|fotografier"),
    (
        "speech synthesis tts",
        "text to speech|text-to-speech|read aloud|read out loud|voice output|spoken output|"
        "ai voice|ai voices|synthetic voice|generate voice|talsyntes|text till tal|läsa upp|"
        "uppläsning|syntetiskt tal|syntetisk röst",
    ),
    ("audio", "ljud|ljudet|ljudfil|ljudfiler|sound files"),
    (
        "video generation",
        "text to video|text-to-video|generate video|generate videos|ai video|ai videos|sora|"
        "videogenerering|generera video|generera videor|skapa video med ai",
    ),
    (
        "translation translate",
        "translator|translators|machine translation|översätta|översätter|översättning|"
        "översättningar|maskinöversättning",
    ),
    (
        "summarization summarize summary",
        "sum up|tl;dr|tldr|condense|shorten text|sammanfatta|sammanfattar|sammanfattning|"
        "sammanfattningar|summera",
    ),
    (
        "classification classify",
        "categorize|categorise|categorizing|categorization|sort into categories|klassificera|"
        "klassificerar|klassificering|kategorisera|kategoriserar|kategorisering",
    ),
    (
        "text generation",
        "generate text|generating text|write text|writing text|content creation|create content|"
        "copywriting|textgenerering|generera text|skriva texter|innehållsskapande",
    ),
    ("generate generation", "generera|genererar|genererad|genererade|generering"),
    # apps: chat, assistants, copilots, search
    (
        "chat chatbot",
        "chat app|chat apps|chat application|chat applications|chatbot app|conversational ai|"
        "conversational agent|chat interface|chat ui|chattgränssnitt|chattapplikation|"
        "chattapplikationer|chattbotar|chattbottar|chattrobot|chattrobotar|chatta|chattar|"
        "chattande|dialog|dialogue|konversationer|konversationell ai|talk to the model|"
        "prata med modellen|prata med ai",
    ),
    (
        "assistant assistants",
        "ai assistant|ai assistants|ai helper|digital assistant|virtual assistant|"
        "virtuell assistent|assistent|assistenter|assistenten|ai-assistent|ai-assistenter|"
        "digital assistent",
    ),
    (
        "githubcopilot",
        "coding assistant|coding assistants|code assistant|code assistants|ai pair programmer|"
        "pair programmer",
    ),
    (
        "githubcopilot code assistant",
        "kodassistent|kodassistenter|programmeringsassistent|ai-kodassistent",
    ),
    (
        "application applications apps",
        "applikation|applikationer|applikationen|appar|appen|tillämpning|tillämpningar",
    ),
    ("build building", "bygga|bygger|bygg|byggde|byggt"),
    (
        "powerplatform lowcode",
        "power platform|power apps|powerapps|power automate|ai builder|dataverse|"
        "power virtual agents|copilot studio",
    ),
    # deployment, hosting and operations
    (
        "endpoint endpoints",
        "slutpunkt|slutpunkter|slutpunkten|rest api|inference api|api endpoint|api endpoints|"
        "api url",
    ),
    (
        "cloud",
        "moln|molnet|molntjänst|molntjänster|i molnet|molnbaserad|molnbaserat|molnplattform|"
        "cloud-based|cloud based|in the cloud",
    ),
    (
        "serverless",
        "serverlös|serverlöst|serverlösa|utan servrar|without servers|without managing servers|"
        "no servers|models as a service|model as a service|maas",
    ),
    (
        "sdk library",
        "client library|client libraries|software development kit|klientbibliotek|utvecklingskit|"
        "pip install|npm install|openai library|openai package|python package",
    ),
    ("python", "pyton|pythonkod|python-kod|python script|python scripts|pip"),
    ("javascript", "js|nodejs|node.js|node js|javascriptkod|ecmascript"),
    (
        "notebook notebooks jupyter",
        "ipynb|colab|google colab|jupyter notebook|anteckningsbok|anteckningsböcker|notebookar|"
        "notebooken",
    ),
    (
        "playground",
        "try in the browser|try it in the browser|try in browser|testa i webbläsaren|"
        "prova i webbläsaren|lekplats|sandlåda|chat playground",
    ),
    # access, limits and pricing
    (
        "authentication auth",
        "authenticate|authenticating|sign in|signing in|log in|login|logga in|inloggning|"
        "autentisera|autentisering|managed identity|entra id|azure ad|oauth|access token|"
        "access tokens",
    ),
    (
        "access",
        "get access|request access|apply for access|waitlist|waiting list|tillgång|få tillgång|"
        "få åtkomst|ansöka om åtkomst|permissions|permission|behörigheter|rbac",
    ),
    (
        "quota ratelimit throttling",
        "rate limit|rate limits|rate limiting|rate-limited|rate limited|throttled|throttle|429|"
        "too many requests|tokens per minute|requests per minute|tpm|rpm|usage limits|"
        "request limit|kvot|kvoter|kvoten|hastighetsbegränsning|hastighetsbegränsningar|"
        "strypning|strypt",
    ),
    (
        "free tier trial",
        "for free|free of charge|no cost|without paying|free trial|free credits|free account|"
        "gratis|gratisnivå|gratisversion|kostnadsfri|kostnadsfritt|kostnadsfria|utan kostnad|"
        "utan att betala|provperiod|testkonto|azure for students",
    ),
    (
        "pricing price",
        "price list|pricing model|cost per token|price per token|token price|token prices|"
        "prislista|prissättning|priser|prismodell|pris per token",
    ),
    (
        "pay-as-you-go consumption",
        "pay per use|pay per token|pay per request|usage-based|usage based|consumption-based|"
        "pay for what you use|betala per användning|användningsbaserad|användningsbaserat|"
        "förbrukningsbaserad",
    ),
    # responsible AI, safety and security
    ("safety", "säkerhet|säker ai|trygg ai|ai safety|safe ai|harmful|harms|skadlig|skadliga"),
    (
        "guardrails",
        "guard rails|safeguards|safety measures|safety filters|skyddsräcken|skyddsåtgärder|"
        "spärrar|stay on topic|keep it on topic|off-topic|off topic",
    ),
    (
        "content filtering",
        "content filter|content filters|block harmful|censor|censored|censorship|innehållsfilter|"
        "innehållsfiltrering|censur|censurerar",
    ),
    ("filter filtering", "filtrera|filtrerar|filtrering|filtret"),
    ("moderation", "moderate content|moderera|modererar|moderering"),
    (
        "jailbreak jailbreaks jailbreaking",
        "bypass the filter|bypass safety|bypass the rules|trick the model|tricking the model|"
        "get around the rules|circumvent|dan prompt|do anything now|kringgå|kringgå filtret|"
        "lura modellen|jailbreaka|jailbreakar",
    ),
    (
        "promptinjection injection",
        "injection attack|injection attacks|prompt hacking|indirect injection|malicious prompts|"
        "malicious instructions|hidden instructions|promptinjektion|promptinjektioner|injektion|"
        "injektioner|injektionsattack|injektionsattacker|skadliga promptar|dolda instruktioner",
    ),
    (
        "redteaming adversarial",
        "red team|red-team|red teams|adversarial testing|attack testing|penetration testing|"
        "pentest|pentesting|red teama|rött team|attacktest|attacktester",
    ),
    (
        "privacy",
        "personal data|data protection|sensitive data|private data|confidential|"
        "confidential data|is my data used|data leak|data leakage|gdpr|integritet|"
        "integritetsskydd|dataskydd|personuppgifter|känslig data|känsliga data|"
        "känsliga uppgifter|konfidentiell|konfidentiella|sekretess|dataläckage|läcka data",
    ),
    (
        "pii",
        "personally identifiable|personally identifiable information|personuppgifter|"
        "personnummer|social security number|social security numbers|redact|redaction|anonymize|"
        "anonymise|anonymization|anonymisera|anonymisering|pseudonymisera|pseudonymisering|"
        "maskera personuppgifter",
    ),
    (
        "bias fairness",
        "biased|prejudice|prejudiced|stereotypes|stereotyping|discrimination|discriminate|"
        "discriminatory|unfair|partisk|partiskt|partiskhet|fördomar|fördom|snedvridning|"
        "snedvriden|diskriminering|diskriminerande|diskriminerar|rättvisa|rättvis|orättvis|"
        "orättvisa",
    ),
    (
        "transparency",
        "black box|transparens|transparent|förklarbarhet|förklarbar|förklaringsbarhet|öppenhet|"
        "spårbarhet",
    ),
    (
        "misinformation deepfakes",
        "fake news|disinformation|desinformation|felinformation|deepfake|deep fake|deep fakes|"
        "falska nyheter|manipulerade bilder|manipulated media",
    ),
    (
        "copyright",
        "intellectual property|ip rights|upphovsrätt|upphovsrätten|upphovsrättsskyddat|"
        "upphovsrättsskyddad|immaterialrätt|plagiarism|plagiat",
    ),
    (
        "regulation compliance",
        "ai act|eu ai act|ai-förordningen|ai förordningen|legislation|laws|lagar|lagstiftning|"
        "regelverk|förordning|regelefterlevnad|efterlevnad|compliant|regulations|reglering",
    ),
    (
        "security",
        "cybersecurity|cyber security|it security|data security|vulnerability|vulnerabilities|"
        "threats|threat|cybersäkerhet|it-säkerhet|datasäkerhet|sårbarhet|sårbarheter|hot mot|"
        "hotbild",
    ),
    # design, trust and accessibility
    (
        "trust",
        "trustworthy|trust the answers|trust the model|can i trust|lita på|litar på|förtroende|"
        "tillit|tilltro|overreliance|over-reliance|overtrust|överförtroende",
    ),
    (
        "accessibility accessible",
        "a11y|screen reader|screen readers|visually impaired|blind users|tillgänglighet|"
        "tillgänglig|tillgängliga|funktionsnedsättning|funktionsnedsättningar|funktionsvariation|"
        "skärmläsare|wcag|inclusive design|inkluderande design",
    ),
    ("interface", "gränssnitt|gränssnittet|användargränssnitt|user interface|ui design"),
    # learning resources
    (
        "paper research",
        "research paper|research papers|scientific paper|scientific papers|arxiv|"
        "forskningsartikel|forskningsartiklar|vetenskaplig artikel|vetenskapliga artiklar|"
        "forskningsrapport|whitepaper|white paper",
    ),
    ("article articles", "artikel|artiklar|artikeln"),
    ("cookbook recipes", "recipe|code recipes|kokbok|kokboken|recept"),
    (
        "samples examples demo",
        "code samples|sample code|example code|code examples|code example|sample app|sample apps|"
        "example project|example projects|demo app|code snippets|snippets|kodexempel|exempelkod|"
        "exempelapp|exempelprojekt|kodsnuttar|demos",
    ),
    (
        "casestudy casestudies",
        "case study|case studies|customer story|customer stories|success story|success stories|"
        "real-world example|real world example|real-world examples|real world examples|"
        "fallstudie|fallstudier|kundcase|kundexempel|kundberättelse|kundberättelser|"
        "verkliga exempel",
    ),
    (
        "usecases scenarios",
        "use case|use cases|användningsfall|användningsområden|användningsområde|"
        "tillämpningsområden|what is it used for|vad kan man använda|business scenarios|"
        "scenarier",
    ),
    (
        "quickstart",
        "quick start|quick-start|snabbstart|snabbstarten|first steps|hello world|första stegen|"
        "första steget",
    ),
    (
        "workshop lab",
        "workshops|bootcamp|hackathon|hackaton|labb|labbar|labbet|laboration|laborationer|"
        "workshoppar",
    ),
    (
        "quiz",
        "quizzes|quizz|knowledge check|test your knowledge|self-assessment|frågesport|"
        "kunskapstest|testa dig själv|kunskapskontroll",
    ),
    (
        "concepts fundamentals",
        "key concepts|core concepts|basic concepts|begrepp|grundbegrepp|nyckelbegrepp|koncept|"
        "teori|theory",
    ),
    ("glossary", "ordlista|ordlistan|terminologi|jargon|definitioner|buzzwords"),
    (
        "learningpath course",
        "study plan|learning roadmap|studieplan|lärväg|lärvägar|inlärningsväg|utbildningsplan|"
        "kursplan",
    ),
    (
        "advanced",
        "avancerad|avancerade|avancerat|deep dive|deep-dive|in-depth|fördjupning|fördjupad|"
        "fördjupande|djupdykning|nästa nivå|next level",
    ),
    ("learn learning", "lära sig|lär sig|lära mig|lär mig|lärande|inlärning|lära dig|lär dig"),
)
