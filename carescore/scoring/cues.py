"""Customer-service cues in English and French: the words that general sentiment
lexicons miss.

VADER gives "still waiting" and "toujours pas de reponse, ma box est en panne" a score
of zero; a customer service reader sees a complaint at once. Each family below is a
reason for a post to be a complaint (or, for `fixed`, a reason it is praise). Patterns
run on folded text (see carescore.scoring.textfold), so they are written without accents.
"""

from __future__ import annotations

from carescore.scoring.patterns import KeywordSets

# family -> patterns (English and French mixed: the folded text is what counts).
CUE_PATTERNS: dict[str, tuple[str, ...]] = {
    "waiting": (
        r"still (?:waiting|no|not|nothing|have not|havent|hasnt|dont)",
        r"(?:no|zero|without) (?:answer|response|reply|replies|callback|call back|update)s?",
        r"(?:nobody|no one|noone|no1) (?:answers|answered|responds|picks up|called|replied|"
        r"has called|will answer|to talk)",
        r"on hold",
        r"(?:been )?waiting (?:for|since|over|on|\d)",
        r"never (?:called|heard|got|answered|replied|received|showed|came)",
        r"(?:hours|hrs|mins|minutes|days) (?:on hold|waiting|later|and counting)",
        r"can ?not (?:get through|reach|get a hold)|cant (?:get through|reach)",
        r"toujours (?:pas|rien|aucun|aucune|sans|bloque)",
        r"tjrs (?:pas|rien|aucun|aucune|sans)",
        r"(?:aucune|pas de|sans) (?:reponse|retour|nouvelles?|suivi|info|information)s?",
        r"personne (?:ne |n')?(?:repond|rappelle|vient|decroche|est venu|pour)",
        r"jamais (?:rappele|eu de|venu|recu|repondu)",
        r"(?:ne|n') ?(?:repond|rappelle)(?:ent)? (?:pas|jamais|plus)",
        r"(?:j'|j)attends(?: toujours| encore| depuis)?|on attend|en attente",
        r"injoignable|impossible de (?:vous )?(?:joindre|contacter|avoir quelqu)",
    ),
    "outage": (
        r"\b(?:is|are|still|went|goes|been|network|site|app|website|service) down\b",
        r"\boutages?\b|no (?:signal|service|internet|wifi|connection|network|coverage)",
        r"(?:not|isnt|doesnt|dont|wont|stopped) (?:working|work|load|loading|connect)",
        r"\bpannes?\b|\bcoupures?\b|\bcoupee?s?\b|\ben rade\b|\bhs\b|\bdown\b",
        r"(?:plus|pas|sans) (?:d'?|de |du )?(?:internet|reseau|connexion|wifi|wi fi|tv|"
        r"tele|television|telephone|fibre|service|ligne|box|co)\b",
        r"(?:ne |n')?(?:fonctionne|marche)(?:nt)? (?:plus|pas|toujours pas)",
        r"bloquee? (?:a|en|sur) (?:l'?)?etape|\betape [1-9]\b",
        r"\bdeconnect|\bdeco\b|\bplante|\bcrash|\bbug(?:s|ge|gue)?\b|\blag\b|\blatence\b",
    ),
    "delay": (
        r"\bcancell?ed\b|\bcancell?ation|\bdelay(?:ed|s)?\b|\blate (?:flight|arrival)",
        r"missed (?:my |our )?(?:connection|flight)|\brebook|stuck (?:on|at|in)",
        r"\bdiverted\b|\bstranded\b|\boverbook",
        r"\bretards?\b|\ben retard\b|\bannulee?s?\b|\breporte\b|\brendez.vous annule",
    ),
    "refund": (
        r"\brefund|\breimburse|money back|\bcompensat|charged (?:twice|me|for)|overcharg",
        r"\brembours|\bdedommag|\bindemni|\bgeste commercial|\bpreleve|\bprelevement",
    ),
    "fail": (
        r"#\w*fail\b|\bfail(?:ed|s)?\b|\bworst\b|\bunacceptable\b|\bridiculous\b|"
        r"\bdisgrace|\bpathetic\b|\bterrible\b|\bhorrible\b|\bawful\b|\bjoke\b|\bscam\b",
        r"\bhonte\b|\bhonteu|\bscandal|\binadmissible\b|\binacceptable\b|\bnuls?\b|"
        r"\barnaque|\bvoleurs?\b|\bpire\b|\bcatastroph|\bfoutage|\b(?:n'|n)importe quoi\b|"
        r"\bgalere\b|\bbordel\b|\bras le bol\b|\ben a marre\b|\bmarre\b|"
        r"\bje (?:vais )?(?:resilie|me desabonne|change d'?operateur)",
    ),
    "sarcasm": (
        r"thanks? (?:a lot |so much )?for (?:nothing|the delay|the wait|ruining|losing|"
        r"cancel|making me|leaving|wasting)",
        r"(?:great|awesome|fantastic|wonderful|love) (?:job|service|way)?.{0,40}"
        r"(?:delay|cancel|lost|waiting|on hold|stuck)",
        r"merci (?:pour|de) (?:la|le|les|ces|cette|ce|m'?avoir)? ?(?:panne|coupure|"
        r"deconnexion|bug|attente|retard|rien|service)",
        r"merci (?:bien )?pour rien|quel bonheur|(?:c'|c)est genial",
        r"\b(?:lost|losing|broke|broken|damaged|cancelled|canceled)\b.{0,60}"
        r"\b(?:gr8|great|awesome|amazing|fantastic|well done)\b",
        # Delight, then "another" or "again" of a fault: "great, another delay".
        r"\b(?:great|awesome|fantastic|wonderful|perfect|brilliant|lovely|yay)\W{1,4}"
        r"(?:just |oh )?(?:another|yet another|one more|more|again)\b.{0,30}"
        r"(?:delay|cancel|lost|wait|on hold|stuck|outage|problem|issue)",
        r"\b(?:genial|super|parfait|top|bravo|trop bien)\W{1,4}(?:encore|une fois de plus|"
        r"a nouveau|de nouveau)\b.{0,30}(?:panne|coupure|bug|retard|attente|probleme|souci|"
        r"deconnex|plus de (?:reseau|connexion|internet))",
    ),
    # Leaving the brand for another: dissatisfaction even when the post ends in thanks
    # ("I've cancelled my order and gone to Best Buy. Thank you.").
    "leaving": (
        r"\b(?:gone|went|switched|switching|moved|moving|going back) (?:over )?to\b",
        r"\b(?:cancelled|canceled|closing|closed|cancelling) my "
        r"(?:order|account|subscription|contract|plan|membership)\b",
        r"\bje (?:vais )?(?:resilier|partir chez|aller chez|passer a la concurrence)",
        r"\b(?:direction|bye bye|adieu) (?:la concurrence|chez)\b",
    ),
    "same": (
        r"\bpareil\b|\bmoi aussi\b|\bmeme (?:probleme|souci|chose) (?:pour moi|ici|chez moi)",
        r"\bsame (?:here|problem|issue|for me)\b|\bme too\b",
    ),
    # An offer or a promotion the author merely shares: neutral by the guideline, not a
    # complaint ("my bowl was only three bucks!! Happy Halloween!").
    "offer": (
        r"\bhappy (?:halloween|holidays|thanksgiving|new year|easter|birthday)\b",
        r"\bonly (?:\$?\d+|one|two|three|four|five|ten) (?:bucks|dollars|euros?|quid|pounds)\b",
        r"\b(?:\d+ ?% off|promo code|discount code|free shipping|bogo)\b",
        r"\b(?:code promo|bon plan|joyeux noel|joyeuses fetes|bonne annee|en promo)\b",
        r"\b(?:\d+ ?% de reduction|mois offerts?|premier mois offert)\b",
        r"\b(?:offre|promo|promotion|remise|reduction) (?:a|de) -? ?\d+ ?%",
    ),
    "fixed": (
        r"(?:all |it's |its |now |got it )?(?:sorted|fixed|resolved)(?: now| it)?\b",
        r"works? (?:now|again|fine now)|back (?:up|online|on)\b|problem solved",
        r"(?:c'|c)est (?:regle|resolu|repare|bon|reparti)|(?:probleme|souci) (?:regle|resolu)",
        r"(?:ca|tout) (?:re)?(?:marche|fonctionne) (?:a nouveau|de nouveau|enfin|maintenant)",
        r"\bremarche\b|\brefonctionne\b|\bretabli",
    ),
    "thanks": (
        r"\bthanks?\b|\bthx\b|\bty\b|\bappreciate|\bgrateful|\bkudos\b",
        r"\bmerci\b|\bbravo\b|\bfelicitations\b",
    ),
    "question": (
        r"^\W*(?:how|when|what|why|where|which|who|can|could|would|will|is|are|do|does|did|"
        r"any|anyone|should)\b",
        r"\b(?:any update|any news|any info|any word|is there|do you|can you|can i|could you|"
        r"how do|how can|how long|how much|where do|where can|where is)\b",
        r"^\W*(?:comment|quand|pourquoi|quel|quelle|quels|quelles|combien|ou)\b",
        r"\best.ce (?:que|qu'?)|\bpossible de\b|\b(?:c'|c)est possible\b|\bsavez.vous\b|"
        r"\bpouvez.vous\b|\bpourriez.vous\b|\bpeut.on\b|\bpuis.je\b|"
        r"\bune (?:petite )?question\b|\bun renseignement\b|\bje voudrais savoir\b|"
        r"\bque faire\b|\bcomment (?:faire|je|on|me|se)\b|\brenseign|\bconseiller(?:iez|ez)\b|"
        r"\bproposez? quoi\b|\bquelle est la demarche\b|\bi have a question\b",
    ),
}

CUE_FAMILIES: tuple[str, ...] = tuple(CUE_PATTERNS)

# Families that mean something went wrong, as opposed to thanks or a question.
FAULT_FAMILIES = frozenset(
    {"waiting", "outage", "delay", "refund", "fail", "sarcasm", "same", "leaving"}
)

_CUES = KeywordSets(CUE_PATTERNS)


def find_cues(folded: str) -> frozenset[str]:
    """The cue families present in a folded text, each family found independently."""
    return frozenset(_CUES.find(folded, {"question"} if "?" in folded else None))
