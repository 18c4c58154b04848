"""Named boilerplate patterns shared by body and links extraction, compiled once and grouped by purpose.

Class/id hints are matched against the *tokens* of an element's class and id (split on anything that is
not a letter or digit), so ``share-bar`` and ``post__share`` both hit ``share`` while ``shared`` does not.
"""

from __future__ import annotations

import re

# --- tags -------------------------------------------------------------------------------------------------

#: Never article text, wherever they appear.
DROP_TAGS: frozenset[str] = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "canvas",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "picture",
        "img",
        "button",
        "select",
        "option",
        "textarea",
        "input",
        "label",
        "nav",
        "menu",
        "dialog",
        "figcaption",
        "head",
        "title",
        "meta",
        "link",
        "base",
    }
)

#: Page furniture: dropped unless they sit inside the chosen content node (then judged by hints).
FURNITURE_TAGS: frozenset[str] = frozenset({"aside", "footer"})

#: Elements that start a new line of body text.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "address",
        "hr",
        "center",
        "details",
        "summary",
        "body",
        "html",
    }
)

#: Elements that end a line of body text: blocks, except table cells (a table row is one line).
LINE_TAGS: frozenset[str] = BLOCK_TAGS - {"td", "th"}

#: Blocks whose text counts as paragraph text when scoring containers.
PARAGRAPH_TAGS: frozenset[str] = frozenset({"p", "pre", "blockquote", "li", "dd", "td"})

HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

#: Containers that can hold the article.
CONTAINER_TAGS: frozenset[str] = frozenset(
    {"div", "section", "article", "main", "td", "body", "blockquote", "center", "span", "font"}
)

# --- class / id hints ---------------------------------------------------------------------------------------

#: Tokens naming page furniture; an element carrying one (and no positive token) is not article text.
NEGATIVE_TOKENS: frozenset[str] = frozenset(
    {
        "ad",
        "ads",
        "adv",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "adslot",
        "adunit",
        "dfp",
        "gpt",
        "sponsor",
        "sponsored",
        "outbrain",
        "taboola",
        "comment",
        "comments",
        "commentlist",
        "disqus",
        "respond",
        "reply",
        "share",
        "sharing",
        "sharebar",
        "shares",
        "social",
        "socials",
        "sociallinks",
        "related",
        "relatedposts",
        "recommended",
        "recommendations",
        "recommendation",
        "promo",
        "promotion",
        "pullquote",
        "donation",
        "donate",
        "membership",
        "poll",
        "survey",
        "quiz",
        "newsletter",
        "subscribe",
        "subscription",
        "signup",
        "register",
        "registration",
        "subscriber",
        "subscribers",
        "sidebar",
        "rail",
        "footer",
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "caption",
        "figcaption",
        "credit",
        "credits",
        "copyright",
        "byline",
        "bylines",
        "author",
        "authors",
        "bio",
        "tags",
        "tag",
        "tagcloud",
        "keywords",
        "topics",
        "trending",
        "popular",
        "mostread",
        "most",
        "recent",
        "latest",
        "toolbar",
        "rating",
        "popup",
        "modal",
        "overlay",
        "banner",
        "masthead",
        "pagination",
        "pager",
        "prev",
        "previous",
        "sronly",
        "skip",
        "search",
        "login",
        "meta",
        "date",
        "dateline",
        "timestamp",
        "published",
        "headline",
        "kicker",
        "header",
        "embed",
        "video",
        "gallery",
        "widget",
        "picture",
        "figure",
        "slideshow",
        "carousel",
        "audio",
        "podcast",
    }
)

#: Tokens naming the article itself; they protect an element from negative tokens.
POSITIVE_TOKENS: frozenset[str] = frozenset(
    {
        "article",
        "articlebody",
        "content",
        "body",
        "story",
        "storybody",
        "entry",
        "post",
        "main",
        "richtext",
        "prose",
        "blog",
        "paragraph",
        "paragraphs",
        "single",
        "artikel",
        "beitrag",
        "inhalt",
        "lead",
        "lede",
        "intro",
        "standfirst",
        "summary",
    }
)

#: Negative tokens so specific that a positive token does not cancel them (``article-comments``).
STRONG_NEGATIVE_TOKENS: frozenset[str] = frozenset(
    {
        "ad",
        "ads",
        "advert",
        "advertisement",
        "adslot",
        "adunit",
        "outbrain",
        "taboola",
        "comment",
        "comments",
        "commentlist",
        "disqus",
        "share",
        "sharing",
        "sharebar",
        "social",
        "related",
        "relatedposts",
        "recommended",
        "newsletter",
        "subscribe",
        "sidebar",
        "breadcrumb",
        "breadcrumbs",
        "cookie",
        "consent",
        "caption",
        "figcaption",
        "byline",
        "author",
        "authors",
        "bio",
        "trending",
        "popular",
        "mostread",
        "promo",
        "pagination",
        "navigation",
        "tags",
        "sronly",
    }
)

#: Class or id tokens of a lead / standfirst paragraph, which belongs to the body.
LEAD_TOKENS: frozenset[str] = frozenset(
    {
        "lead",
        "lede",
        "standfirst",
        "intro",
        "summary",
        "teaser",
        "dek",
        "deck",
        "excerpt",
        "subtitle",
        "subheadline",
        "subhead",
        "abstract",
        "description",
        "sapo",
        "strapline",
        "chapo",
        "chapeau",
        "entradilla",
        "bajada",
    }
)

#: Weak furniture tokens that name the article header, where the lead paragraph sits.
HEADER_TOKENS: frozenset[str] = frozenset({"header", "headline", "meta", "masthead"})

#: Elements that can hold a lead paragraph.
LEAD_TAGS: frozenset[str] = frozenset({"p", "div", "h2", "h3", "span", "section"})

#: Class or id tokens that mark a block of links as related to the story.
RELATED_TOKENS: frozenset[str] = frozenset(
    {
        "related",
        "relatedposts",
        "relatedarticles",
        "relatednews",
        "readmore",
        "readalso",
        "seealso",
        "morelikethis",
    }
)

#: Class or id tokens of rails and widgets that are not tied to the story.
UNRELATED_RAIL_TOKENS: frozenset[str] = frozenset(
    {
        "trending",
        "popular",
        "mostread",
        "most",
        "recent",
        "latest",
        "sidebar",
        "footer",
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "share",
        "sharing",
        "social",
        "tags",
        "tag",
        "author",
        "byline",
        "comment",
        "comments",
        "sponsored",
        "outbrain",
        "taboola",
        "ad",
        "ads",
        "advertisement",
        "newsletter",
    }
)

#: Tokens of containers (rails, sidebars, menus) whose blocks are never tied to the story.
RAIL_ANCESTOR_TOKENS: frozenset[str] = frozenset(
    {
        "trending",
        "popular",
        "mostread",
        "sidebar",
        "footer",
        "nav",
        "navbar",
        "navigation",
        "menu",
        "recent",
        "latest",
    }
)

TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")

#: A class that hides its element (checked only where no responsive "md:"-style classes are present).
HIDDEN_CLASS = re.compile(
    r"(?:^|\s)(?:hidden|hide|d-none|is-hidden|visually-hidden|sr-only|screen-reader-text)(?:\s|$)"
)

#: itemprop / role values that mark furniture.
NEGATIVE_ROLES: frozenset[str] = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert", "menu", "menubar"}
)

# --- text patterns --------------------------------------------------------------------------------------

#: Prefixes of inline promotions of other stories, in many languages ("Read more: <link>").
PROMO_PREFIX = re.compile(
    r"""^\W*(
        read\s+(?:more|also|next|this)|also\s+read|more\s+reading|see\s+also|related(?:\s+(?:story|stories|article|articles|news|content|coverage|reading))?|
        recommended(?:\s+for\s+you)?|don'?t\s+miss|must\s+read|watch(?:\s+now)?|listen|more\s+on\s+this|more\s+from|click\s+here|
        lesen\s+sie\s+(?:auch|mehr|hier)|auch\s+interessant|mehr\s+zum\s+thema|weiterlesen|weitere\s+artikel|das\s+könnte\s+sie\s+auch\s+interessieren|zum\s+thema|
        lire\s+aussi|à\s+lire\s+(?:aussi|également)|a\s+lire\s+aussi|voir\s+aussi|lire\s+la\s+suite|sur\s+le\s+même\s+sujet|
        leia\s+(?:também|mais)|veja\s+também|saiba\s+mais|
        lee\s+(?:también|más)|leer\s+más|ver\s+también|te\s+puede\s+interesar|
        leggi\s+anche(?:\s+su)?|vedi\s+anche|
        lees\s+ook|zie\s+ook|
        läs\s+(?:också|mer)|les\s+også|læs\s+også|lue\s+myös|
        czytaj\s+(?:też|także|więcej)|přečtěte\s+si\s+také|čtěte\s+také|
        читайте\s+(?:также|еще|ещё)|смотрите\s+также|по\s+теме|
        devamını\s+oku|ayrıca\s+oku|
        اقرأ\s+أيضا|اقرأ\s+أيضًا|
        关联阅读|相关阅读|延伸阅读|
        関連記事|あわせて読みたい|
        관련\s*기사|함께\s*보면
    )\b\s*[:：»›>\-–—|]?""",
    re.IGNORECASE | re.VERBOSE,
)

#: Headings of blocks listing stories related to this one, in many languages.
RELATED_HEADING = re.compile(
    r"""^\W*(
        related|read\s+(?:more|also|next)|also\s+read|see\s+also|more\s+(?:on|about)\s+(?:this|the)|more\s+from|more\s+stories|more\s+in|
        you\s+may\s+(?:also\s+)?like|you\s+might\s+(?:also\s+)?like|recommended|further\s+reading|in\s+(?:this|the\s+same)\s+(?:series|story)|
        weitere\s+artikel|mehr\s+zum\s+thema|lesen\s+sie\s+auch|zum\s+thema|auch\s+interessant|verwandte|
        ähnliche\s+(?:artikel|beiträge|themen|nachrichten|news)|
        (?:das|dies)\s+(?:thema\s+)?könnte\s+(?:sie|dich|euch)\s+auch|
        (?:à\s+)?lire\s+aussi|sur\s+le\s+même\s+sujet|voir\s+aussi|articles?\s+(?:similaires|liés|connexes)|
        leia\s+também|veja\s+também|relacionad|mais\s+sobre|você\s+(?:também\s+)?pode\s+gostar|
        lee\s+también|(?:noticias|notas|artículos)\s+relacionad[ao]s|te\s+puede\s+interesar|más\s+sobre|
        leggi\s+anche|articoli\s+correlati|
        lees\s+ook|gerelateerd|
        relaterat|relaterte|relaterede|
        czytaj\s+też|powiązane|
        читайте\s+также|похожие|по\s+теме|
        関連記事|相关|관련\s*기사
    )""",
    re.IGNORECASE | re.VERBOSE,
)

#: Headings of boxes that point away from the story: further reading, more information, feedback prompts.
FURTHER_HEADING = re.compile(
    r"""^\W*(
        explore\s+further|further\s+(?:reading|information)|(?:more|additional)\s+information|was\s+this\s+(?:article\s+)?helpful|
        zum\s+weiterlesen|weiterführende\s+(?:links?|informationen|artikel|literatur)|(?:weitere|zusatz)\s*(?:informationen|infos)|
        war\s+(?:der|dieser)\s+artikel\s+(?:nützlich|hilfreich)|
        pour\s+aller\s+plus\s+loin|plus\s+d'informations?|
        más\s+información|mais\s+informações|
        meist(?:gelesen|diskutiert|kommentiert)\w*|
        about\s+the\s+authors?|(?:über\s+)?(?:die|den|der)\s+autor(?:in|en|innen)?|à\s+propos\s+de\s+l'auteur|sobre\s+(?:el|la)\s+autora?
    )""",
    re.IGNORECASE | re.VERBOSE,
)

#: Headings of rails that are not about this story (they win over RELATED_HEADING).
UNRELATED_HEADING = re.compile(
    r"^\W*(trending|most\s+(?:read|popular|viewed|shared)|popular|recent|latest|top\s+stories|editor'?s\s+picks?|"
    r"meistgelesen|beliebt|neueste|les\s+plus\s+lus|mais\s+lidas|más\s+leídas|самое\s+читаемое)",
    re.IGNORECASE,
)

#: Short lines that are furniture whatever element holds them.
BOILERPLATE_LINE = re.compile(
    r"""^\W*(
        advertisement|advertising|anzeige|publicité|publicidade|publicidad|pubblicità|реклама|sponsored(?:\s+content)?|
        external\s+content|externer\s+inhalt|contenu\s+externe|contenido\s+externo|
        share(?:\s+(?:this|on|via)\b.*)?|tweet|email|print|comments?|follow\s+us.*|follow\s+\S+(?:\s+\S+)?\s+on\s.*|
        skip\s+to\s+(?:content|main).*|type\s+to\s+search|search|close|menu|loading\.*|
        subscribe.*|sign\s+up.*|newsletter.*|
        (?:no|keine|aucun|sin|nessun)\s+(?:comments?|kommentare?|commentaires?|comentarios?|commenti).*|
        (?:comments?|kommentare?|commentaires?|comentarios?)\s+(?:schreiben|verfassen|geschlossen|closed|are\s+closed|fermés|cerrados|anzeigen|einblenden).*|
        (?:write|leave|post|add)\s+a\s+comment.*|(?:einen\s+)?kommentar\s+(?:schreiben|verfassen|abgeben).*|
        (?:sie\s+sind|you\s+are)\s+(?:aktuell\s+|currently\s+)?(?:nicht|not)\s+(?:eingeloggt|angemeldet|logged\s+in).*|you\s+must\s+be\s+logged\s+in.*|
        (?:möchten\s+sie\s+)?(?:den|diesen)\s+(?:artikel|beitrag)\s+teilen.*|
        (?:permalink|permalien)\b.*|
        .*\b(?:abgelegt\s+unter|filed\s+under)\b.*|(?:.*\s)?(?:kategorie|category|categoría|catégorie|rubrik)\s*:.*|
        (?:aufrufe|views|hits|bewertung|rating)\s*:.*|\(?(?:alle\s+)?angaben\s+ohne\s+gewähr\)?|
        .*\b(?:alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|todos\s+los\s+derechos\s+reservados|wszelkie\s+prawa\s+zastrzeżone)\b.*|
        (?:warning|notice|deprecated|fatal\s+error|parse\s+error)\s*:.*\bon\s+line\s+\d+|
        (?:suggested\s+citation|zitiervorschlag|cite\s+(?:this|as))\b.*|
        .*\bcookies?\b.*\b(?:use|uses|using|accept|consent|policy|settings|browser|website|site|experience|verwenden|nutzen|akzeptieren|einwilligung|utilisons|acceptez|utilizamos|usamos|aceptar)\b.*|
        .*\b(?:we\s+use|this\s+(?:site|website)\s+uses|wir\s+verwenden|nous\s+utilisons|utilizamos|usamos)\b.*\bcookies?\b.*|
        all\s+rights\s+reserved.*|©.*|copyright\b.*|
        (?:photo|image|picture|foto|bild|credit|beitragsbild|titelbild|symbolbild|bildquelle|bildnachweis|featured\s+image)s?\s*[:/].*|
        (?:getty\s+images|reuters|ap\s+photo|afp|dpa|epa)(?:\s*/.*)?
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: A call to action closing a page: a channel of the site (its app, newsletter, messenger channel, letters
#: page, membership) offered to the reader. Read only on the last lines of the body.
CTA_CHANNEL = re.compile(
    r"""\b(?:apps?|\w*newsletter\w*|posteingang|inbox|telegram|whatsapp|e-?paper|abonnement|abo|subscriptions?|
        suscripci[oó]n|assinatura|membership|letters?\s+to\s+the\s+editor|leserbrief\w*|
        e-?mail\w*|bookmarks?)\b""",
    re.IGNORECASE | re.VERBOSE,
)
CTA_ADDRESS = re.compile(
    r"""\b(?:you|your|sie|ihnen|dich|dir|du|dein\w*|euch|usted|tu|vous|votre|você|
        download|herunterladen|descarg\w+|únete|join|subscribe|abonnier\w*|suscr[ií]b\w+|follow|folg\w+|síguenos|suivez|
        sign(?:ing)?[\s-]up|support\w*|unterstütz\w*|apoy\w+|get)\b""",
    re.IGNORECASE | re.VERBOSE,
)
#: A closing author bio: a full name, then what the person is ('Jane Doe is a reporter at ...').
AUTHOR_BIO = re.compile(
    r"^(?:[A-ZÀ-Ý][\w'’.-]+\s+){1,3}[A-ZÀ-Ý][\w'’.-]+(?:\s+\([^)]{1,20}\))?,?\s+"
    r"(?:is|ist|est|es|é|war|was)\s+(?i:a|an|the|ein|eine|der|die|un|une|le|la|el|o|head|senior|chief|freelance|freie[rn]?)\b"
)
AUTHOR_BIO_MAX = 500
#: An affiliate-link disclosure: the site earns from the links in the text.
AFFILIATE_NOTICE = re.compile(
    r"\baffiliate[\s-]?links?\b|\b(?:provision|commission|compensation|vergütung)\b.{0,120}\blinks?\b|"
    r"\blinks?\b.{0,120}\b(?:provision|commission|compensation|vergütung)\b",
    re.IGNORECASE,
)
AFFILIATE_NOTICE_MAX = 400
#: Longest line read as a call to action, and how many closing lines are checked.
CTA_LINE_MAX = 300
CTA_LAST_LINES = 3

#: The notice where a paywall cuts the article off: it and everything after it are sales copy.
PAYWALL_LINE = re.compile(
    r"""(
        this\s+(?:article|story|content)\s+is\s+(?:only\s+)?(?:available\s+)?(?:exclusively\s+)?(?:for|to)\s+(?:paid\s+)?(?:subscribers|members)|
        (?:subscribe|sign\s+in|log\s+in|register)\s+to\s+(?:continue|keep)\s+reading|already\s+a\s+subscriber\?|
        to\s+(?:view|read|access)\s+(?:the|this)\s+full\s+(?:story|article)|
        (?:dieser|der)\s+(?:artikel|beitrag|inhalt)\s+ist\s+(?:nur\s+)?(?:exklusiv\s+)?für\s+(?:abonnenten|abonnentinnen|abonnierende)|
        jetzt\s+weiterlesen\s+mit|
        (?:cet\s+article|la\s+suite\s+de\s+cet\s+article)\s+est\s+réservée?\s+aux\s+abonnés|il\s+vous\s+reste\s+\d+\s*%\s+de\s+cet\s+article|
        (?:contenido|artículo)\s+exclusivo\s+para\s+suscriptores|conteúdo\s+exclusivo\s+para\s+assinantes|
        articolo\s+riservato\s+agli\s+abbonati|dit\s+artikel\s+is\s+(?:alleen\s+)?voor\s+abonnees|
        この記事は(?:有料)?会員限定|会員限定記事です|유료\s*회원\s*전용|
        本文は(?:有料)?会員限定
    )""",
    re.IGNORECASE | re.VERBOSE,
)
#: Longest line read as a paywall notice (a longer one is prose about paywalls).
PAYWALL_LINE_MAX = 160

#: Longest line that BOILERPLATE_LINE may drop (longer lines are prose that happens to mention cookies).
BOILERPLATE_LINE_MAX = 160

#: A path segment that names a story: a slug of three or more words, or a numeric id of five or more digits.
STORY_PATH = re.compile(r"[^/]*\w[-_+]\w+[-_+]\w[^/]*|\d{5,}|[^/]\.html?$")

#: Hosts and paths of share buttons.
SHARE_URL = re.compile(
    r"(?:facebook\.com/sharer|twitter\.com/(?:intent|share)|x\.com/intent|linkedin\.com/(?:share|cws)|"
    r"pinterest\.[a-z.]+/pin/create|reddit\.com/submit|wa\.me/|api\.whatsapp\.com|whatsapp://|t\.me/share|"
    r"telegram\.me/share|mailto:|/share\?|[?&]share=)",
    re.IGNORECASE,
)

#: Month and weekday names (en, de, fr, es, pt, it, nl) and the filler words of date lines.
_DATE_WORDS = (
    r"jan(?:uary|uar|vier|eiro)?|feb(?:ruary|ruar)?|févr(?:ier)?|fev(?:ereiro)?|mar(?:ch|s|zo|ço)?|märz|"
    r"apr(?:il)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maio|maggio|jun(?:e|i|ho)?|juin|giugno|jul(?:y|i|ho)?|"
    r"juil(?:let)?|luglio|aug(?:ust|ustus)?|août|ago(?:sto)?|sep(?:t|tember|tembre|tiembre)?|set(?:embro)?|"
    r"oct(?:ober|obre)?|okt(?:ober)?|out(?:ubro)?|ott(?:obre)?|nov(?:ember|embre|iembre|embro)?|"
    r"dec(?:ember)?|dez(?:ember|embro)?|déc(?:embre)?|dic(?:iembre|embre)?|"
    r"mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|segunda|terça|quarta|quinta|sexta|feira|"
    r"am|pm|a\.m|p\.m|uhr|h|at|um|à|às|a|de|del|do|da|le|el|on|the|of|st|nd|rd|th|"
    r"published|updated|posted|aktualisiert|veröffentlicht|veröffentlichung|erstellt|publiziert|aktualisierung|stand|datum|"
    r"publication|publicación|publicerad|uppdaterad|kl|date|publié|mis\s+à\s+jour|publicado|atualizado|"
    r"actualizado|pubblicato|gmt|utc|cet|cest|est|edt|pst|pdt|bst|ist|amt|ago|hours?|minutes?|days?"
)
#: The pieces of a date or time line ("Updated 5 March 2024, 10:42 GMT"): a line made only of them is a date.
DATE_PIECE = re.compile(rf"\b(?:{_DATE_WORDS})\b\.?|[\d\s.,:/|·•\-–—()'’+]+|[年月日時分秒]", re.IGNORECASE)

#: Short lines that label furniture: reading time, tag lists, comment counts, credits, bylines.
META_LINE = re.compile(
    r"""^\W*(
        .*\b(?:tempo\s+de\s+leitura|lesedauer|lesezeit|reading\s+time|min\.?\s+read|temps\s+de\s+lecture|tiempo\s+de\s+lectura)\b.*|
        \d+\s*(?:min(?:ute)?s?\.?|minuten?|minutos?)\s*(?:read|lesezeit|de\s+lectura|de\s+leitura|lecture)?|
        tags?|topics?|themen|schlagworte|schlagwörter|temas|thèmes|argomenti|tematy|etiquetas|links|categories|category|caption|text\s+size|read\s+later|save|more|
        kontakt|contact|contacto|ansprechpartner(?:in)?|pressekontakt|press\s+contact|
        \d+\s+(?:comments?|kommentare?|commentaires?|comentários?|comentarios?|shares?)|
        (?:like\s+this\s+story|share\s+(?:it|this\s+article)).*|
        (?:source|quelle|fonte|fuente)\s*:.{0,60}
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: A photo credit line: an agency name and no sentence punctuation.
CREDIT_LINE = re.compile(
    r"^[^.!?]{0,80}\b(?:getty\s+images|shutterstock|istock|imago|picture\s+alliance|afp\s+via|ap\s+photo)\b[^.!?]{0,40}$",
    re.IGNORECASE,
)

#: A byline: "By" (in several languages) and one to six capitalised names ("Von der Leyen sagt" is kept).
_NAME = r"[A-ZÀ-ÝĀ-Ž][\w.'’-]*"
BYLINE_LINE = re.compile(
    rf"^\W*(?i:by|von|par|por|door|av|af|przez|от)\s+(?!(?:The|A|An|Der|Die|Das|Den|Le|La|Les|El|Los|Las|Il|O|Os)\b){_NAME}(?:(?:\s+|\s*,\s*|\s+(?i:and|und|et|y|e|en|og|och|i)\s+){_NAME}){{0,5}}\W*$"
)

#: Longest line that DATE_PIECE / META_LINE / BYLINE_LINE / a bare promo or rail heading may drop.
META_LINE_MAX = 100
