"""The complaint topic taxonomy and the words that point to each topic, in both languages.

The site shows which topics pull a brand's score down, so the taxonomy (codes and their
English and French names) lives here, one place for the scorer, the ranking and the
templates. Codes are stored on posts as a comma-separated string: never rename one
without a migration of the stored posts.
"""

from __future__ import annotations

from typing import NamedTuple

from carescore.scoring.patterns import KeywordSets


class Topic(NamedTuple):
    code: str
    en: str
    fr: str


TAXONOMY: dict[str, Topic] = {
    t.code: t
    for t in (
        Topic("outage", "Outage or network", "Panne ou réseau"),
        Topic("billing", "Billing or refund", "Facturation ou remboursement"),
        Topic("delivery", "Delivery", "Livraison"),
        Topic("delay", "Delay or cancellation", "Retard ou annulation"),
        Topic("waiting", "Waiting or no answer", "Attente ou pas de réponse"),
        Topic("account", "Account or login", "Compte ou connexion"),
        Topic("defect", "Product defect", "Produit défectueux"),
        Topic("staff", "Staff or rudeness", "Personnel ou impolitesse"),
    )
}

TOPIC_CODES: tuple[str, ...] = tuple(TAXONOMY)

# Written for folded text (lower case, no accents); see carescore.scoring.textfold.
_KEYWORDS: dict[str, str] = {
    "outage": r"\boutages?\b|\bno (?:signal|service|internet|wifi|network|coverage)\b|"
    r"\b(?:network|site|app|website|service|internet|wifi) (?:is |was |still |went )?down\b|"
    r"\bpannes?\b|\bcoupures?\b|\bdebit\b|\breseau\b|\bfibre\b|\bconnexion\b|"
    r"\b(?:plus|pas|sans) (?:d'?|de )?(?:internet|reseau|wifi|connexion|tv)\b|"
    r"\betape [1-9]\b|\bsignal\b|\bbandwidth\b|\bslow (?:internet|connection|speed)",
    "billing": r"\bbill(?:s|ed|ing)?\b|\binvoice|\brefund|\bcharged?\b|\bfees?\b|"
    r"\boverchar|\bmoney back\b|\breimburs|\bcompensat|\bpayment\b|\bprice\b|"
    r"\bfactur|\brembours|\bprelev|\bfrais\b|\bprix\b|\bdedommag|\bindemni|\bpaiement|"
    r"\btarif|\babonnement (?:augment|plus cher)|\bgeste commercial",
    "delivery": r"\bdeliver(?:y|ed|ies)?\b|\bpackage\b|\bparcel|\bshipping\b|\bshipped\b|"
    r"\btracking\b|\bcourier\b|\bnot arrived\b|\bhasnt arrived\b|"
    r"\blivraison|\blivre(?:e|r)?\b|\bcolis\b|\bexpedi|\bchronopost|\bcolissimo",
    "delay": r"\bdelay(?:ed|s)?\b|\bcancell?(?:ed|ation)|\blate\b|\bmissed (?:my )?"
    r"(?:connection|flight)|\brebook|\bovernight\b|\btarmac\b|"
    r"\bretards?\b|\bannul(?:e|ee|ation)\b|\breporte",
    "waiting": r"\bon hold\b|\bwaiting\b|\bno (?:answer|response|reply|callback)\b|"
    r"\bnever (?:called|heard|answered)|\bno one (?:answers|called)|\bnobody\b|\bhold music",
    "account": r"\baccount\b|\blog ?in\b|\bsign ?in\b|\bpassword\b|\blocked out\b|"
    r"\bhacked\b|\b2fa\b|\bverification code|\bcompte\b|\bidentifiant|\bmot de passe\b|"
    r"\bespace (?:abonne|client)|\bse connecter\b|\bbloque mon compte|\bpirat",
    "defect": r"\bbroken\b|\bdefect|\bfaulty\b|\bdamaged\b|\bcrash(?:es|ed|ing)?\b|"
    r"\bbug(?:s|gy)?\b|\bdoesnt work\b|\bstopped working\b|\bglitch|\bscreen\b|\bbattery\b|"
    r"\bdefectueu|\bcasse\b|\bendommag|\bplante\b|\bne (?:marche|fonctionne) (?:plus|pas)\b|"
    r"\bredemarre en boucle|\becran noir",
    "staff": r"\brude\b|\bunhelpful\b|\bunprofessional\b|\battitude\b|\bstaff\b|"
    r"\bagent\b|\bemployee|\bcrew\b|\bflight attendant|\bgate agent|\bhung up\b|\brepresentative|"
    r"\bimpoli|\bdesagreable|\bpas aimable|\bpeu aimable|\bconseill(?:er|ere)s?\b|"
    r"\btechniciens?\b|\bincompeten|\braccroch|\bmepris",
}

# Cue families that name a topic on their own.
_CUE_TOPICS = {"waiting": "waiting", "delay": "delay", "refund": "billing", "outage": "outage"}

_KEYWORD_SETS = KeywordSets({code: (pattern,) for code, pattern in _KEYWORDS.items()})


def find_topics(folded: str, cues: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Topic codes of a folded post, in taxonomy order; cue families add their topic."""
    found = _KEYWORD_SETS.find(folded)
    if not cues.isdisjoint(_CUE_TOPICS):
        found.update(_CUE_TOPICS[c] for c in cues if c in _CUE_TOPICS)
    if not found:
        return ()
    return tuple(code for code in TOPIC_CODES if code in found)
