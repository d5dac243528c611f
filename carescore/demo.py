"""The demo dataset: fictional brands and synthetic posts, never real companies.

It is deterministic (same seed and as-of day, same rows) and goes through the same
store -> score -> thread -> rank path as real data, so every page has something real to
show. Every demo brand carries `is_demo`, which the site and API turn into a banner
and a `demo` flag.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain

from sqlmodel import Session

from carescore.demo_incidents import incident_posts
from carescore.store.brands import BrandSpec, upsert_brands
from carescore.store.normalised import NewPost
from carescore.store.posts import BrandDirectory, StoreResult, store_posts
from carescore.vocab import ACTIONABLE_LABELS

DEMO_PLATFORM = "demo"
DEFAULT_POSTS = 56_000


@dataclass(frozen=True)
class DemoBrand:
    slug: str
    name: str
    sector: str
    country: str
    handle: str
    volume: float  # relative share of posts
    reply_rate: float  # chance an actionable post gets a public reply
    median_minutes: float  # median first-reply delay
    praise_share: float  # share of opinion posts that are praise
    french: float  # share of posts in French


BRANDS: tuple[DemoBrand, ...] = (
    DemoBrand(
        "nimbus-telecom", "Nimbus Telecom", "telecom", "FR", "NimbusAide", 1.6, 0.82, 25, 0.35, 0.9
    ),
    DemoBrand(
        "cirrus-mobile", "Cirrus Mobile", "telecom", "FR", "CirrusSAV", 1.3, 0.45, 240, 0.22, 0.85
    ),
    DemoBrand(
        "ondeline", "Ondeline Télécom", "telecom", "FR", "Ondeline_SAV", 1.0, 0.93, 12, 0.48, 0.95
    ),
    DemoBrand(
        "beaconwave",
        "Beaconwave Wireless",
        "telecom",
        "US",
        "BeaconwaveHelp",
        1.4,
        0.30,
        600,
        0.18,
        0.02,
    ),
    DemoBrand(
        "parapluie-box",
        "Parapluie Box",
        "telecom",
        "FR",
        "ParapluieBox",
        0.7,
        0.12,
        1500,
        0.25,
        0.9,
    ),
    DemoBrand(
        "skylark-airways",
        "Skylark Airways",
        "airline",
        "US",
        "SkylarkHelps",
        1.5,
        0.74,
        35,
        0.40,
        0.1,
    ),
    DemoBrand(
        "albatros-air", "Albatros Air", "airline", "FR", "AlbatrosAir", 1.1, 0.55, 90, 0.30, 0.8
    ),
    DemoBrand(
        "heron-atlantic", "Heron Atlantic", "airline", "GB", "HeronCares", 0.9, 0.88, 18, 0.52, 0.05
    ),
    DemoBrand(
        "kestrel-jet", "Kestrel Jet", "airline", "US", "KestrelJet", 1.2, 0.20, 900, 0.15, 0.0
    ),
    DemoBrand(
        "mistral-ailes", "Mistral Ailes", "airline", "FR", "MistralAiles", 0.6, 0.66, 60, 0.45, 0.9
    ),
    DemoBrand(
        "pinecone-bank", "Pinecone Bank", "bank", "US", "PineconeHelp", 0.9, 0.61, 120, 0.33, 0.0
    ),
    DemoBrand(
        "banque-tilleul", "Banque Tilleul", "bank", "FR", "TilleulEtVous", 0.8, 0.95, 20, 0.50, 0.95
    ),
    DemoBrand(
        "harbor-mutual", "Harbor Mutual", "bank", "US", "HarborMutual", 0.5, 0.38, 480, 0.28, 0.0
    ),
    DemoBrand(
        "credit-bruyere", "Crédit Bruyère", "bank", "FR", "BruyereClient", 0.6, 0.25, 720, 0.20, 0.9
    ),
    DemoBrand(
        "quarry-savings", "Quarry Savings", "bank", "GB", "QuarrySavings", 0.4, 0.70, 45, 0.42, 0.0
    ),
    DemoBrand(
        "swiftfox", "Swiftfox Parcels", "delivery", "US", "SwiftfoxHelp", 1.3, 0.58, 150, 0.20, 0.0
    ),
    DemoBrand(
        "colibri-express",
        "Colibri Express",
        "delivery",
        "FR",
        "ColibriSuivi",
        1.2,
        0.77,
        40,
        0.27,
        0.95,
    ),
    DemoBrand(
        "otterpost", "Otterpost", "delivery", "GB", "OtterpostHelp", 0.8, 0.35, 360, 0.22, 0.0
    ),
    DemoBrand(
        "rapido-colis", "Rapido Colis", "delivery", "FR", "RapidoColis", 0.9, 0.15, 1300, 0.12, 0.9
    ),
    DemoBrand(
        "magpie-courier",
        "Magpie Courier",
        "delivery",
        "US",
        "MagpieCourier",
        0.6,
        0.86,
        15,
        0.38,
        0.0,
    ),
    DemoBrand(
        "pixelgrove", "Pixelgrove", "retail", "US", "PixelgroveCare", 1.2, 0.72, 30, 0.55, 0.05
    ),
    DemoBrand(
        "maison-vermeil",
        "Maison Vermeil",
        "retail",
        "FR",
        "MaisonVermeil",
        0.7,
        0.50,
        200,
        0.47,
        0.9,
    ),
    DemoBrand(
        "lanternmart", "Lanternmart", "retail", "US", "LanternmartHelp", 1.0, 0.41, 300, 0.30, 0.0
    ),
    DemoBrand(
        "tidewell", "Tidewell Market", "retail", "GB", "TidewellHelp", 0.6, 0.90, 25, 0.60, 0.0
    ),
    DemoBrand(
        "cap-horizon", "Cap Horizon Store", "retail", "FR", "CapHorizon", 0.05, 0.50, 100, 0.40, 0.9
    ),
)

_CITIES = {
    "en": ["Denver", "Leeds", "Austin", "Bristol", "Boston"],
    "fr": ["Lyon", "Nantes", "Lille", "Rennes", "Marseille"],
}

_TEXTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "fail": [
            "@{h} my internet has been down since yesterday #fail",
            "@{h} still waiting for my refund, {n} days now. Unacceptable.",
            "@{h} flight cancelled and nobody answers the phone. Worst service ever",
            "@{h} parcel never arrived but tracking says delivered. Where is my order?!",
            "@{h} charged twice this month and no one will fix it",
            "@{h} your app keeps crashing every time I try to log in",
            "@{h} the agent I spoke to was incredibly rude. Terrible.",
            "@{h} no signal at all in {city} for {n} hours, useless",
            "@{h} my delivery is {n} days late and chat support keeps disconnecting me",
            "@{h} the product broke after two days, really disappointed",
            "@{h} thanks for nothing, still no answer after {n} emails",
            "{name} has been down all morning in {city} #fail",
        ],
        "praise": [
            "@{h} thanks, sorted in 10 minutes! Great support",
            "@{h} love the new plan, fast and reliable. Thank you!",
            "@{h} the crew was amazing today, thank you so much",
            "@{h} parcel arrived a day early, brilliant service",
            "Big thanks to {name} for fixing my account so quickly, excellent",
            "@{h} best customer service I have had in years, thank you",
        ],
        "question": [
            "@{h} how do I change my billing address?",
            "@{h} is there an outage in {city} right now?",
            "@{h} when does the new plan start?",
            "@{h} can I bring a second bag on the {n}:30 flight?",
            "@{h} what is the cut-off time for next day delivery?",
        ],
        "neutral": [
            "Just switched to {name}, we will see how it goes",
            "Saw the new {name} ad on TV tonight",
            "@{h} ok noted",
            "Heading to the {name} store in {city}",
        ],
        "reply": [
            "@{u} Sorry to hear that! Please DM us your account number and we will look into it.",
            "@{u} Hi, we are on it. Could you send us a private message with your details?",
            "@{u} Thanks for reaching out. Our team has fixed the issue on your line now.",
            "@{u} Apologies for the trouble. We have escalated this and will update you today.",
        ],
        "followup_ok": ["@{h} thanks, that fixed it!", "@{h} sorted now, thank you for the help"],
        "followup_bad": [
            "@{h} still not working...",
            "@{h} I sent the DM hours ago and still nothing",
        ],
    },
    "fr": {
        "fail": [
            "@{h} toujours pas de réponse depuis {n} jours, c'est inadmissible",
            "@{h} ma box est en panne depuis une semaine, vous comptez faire quoi ?",
            "@{h} merci pour la panne, encore une soirée sans internet",
            "@{h} colis perdu et personne ne répond au téléphone",
            "@{h} vol annulé sans aucune explication, service client injoignable",
            "@{h} prélevé deux fois ce mois-ci, j'attends toujours le remboursement",
            "@{h} plus de réseau à {city} depuis ce matin, c'est nul",
            "@{h} jamais rappelé malgré {n} appels, honteux",
            "@{h} le conseiller a été très désagréable avec moi au téléphone",
            "@{h} impossible de me connecter à mon compte depuis {n} jours",
            "@{h} {n}h d'attente au 3900 pour qu'on me raccroche au nez. Bravo...",
            "@{h} la fibre coupe toutes les 10 minutes, j'ai déjà redémarré la box {n} fois",
            "@{h} livreur passé sans sonner, avis de passage alors que j'étais chez moi",
            "Franchement {name} c'est de pire en pire, je résilie à la fin du mois",
            "@{h} on m'avait promis un technicien mardi, personne n'est venu",
            "@{h} facture de {n}0 € alors que mon forfait est à 19,99, c'est quoi ce délire ?",
            "@{h} bagage toujours pas livré {n} jours après l'atterrissage, aucune nouvelle",
            "@{h} carte bloquée en plein week-end et l'appli ne marche pas",
        ],
        "praise": [
            "@{h} merci, c'est réglé ! Service au top",
            "@{h} super conseiller, problème résolu en 5 minutes, merci",
            "@{h} colis livré en avance, bravo et merci",
            "Merci à {name} pour la réactivité, excellent service",
            "@{h} très satisfait de la fibre, rapide et stable",
            "@{h} un grand merci à Julie du service client, très patiente et efficace",
            "Client {name} depuis {n} ans et jamais déçu, je recommande",
            "@{h} équipage adorable et vol à l'heure, merci pour ce voyage",
            "@{h} ouverture de compte en 10 minutes sur l'appli, simple et rapide, bravo",
            "@{h} technicien passé ce matin, ponctuel et sympa, tout fonctionne. Merci !",
            "@{h} remboursement reçu en 48h, rien à dire, c'est parfait",
            "Très contente de {name}, conseillère à l'écoute et réponse rapide",
        ],
        "question": [
            "@{h} comment changer mon adresse de facturation ?",
            "@{h} bonjour, comment activer la messagerie vocale sur mon mobile ?",
            "@{h} quand la nouvelle offre sera-t-elle disponible ?",
            "@{h} est-ce que je peux modifier mon billet en ligne ?",
            "@{h} bonjour, comment résilier l'option TV ?",
            "@{h} bonjour, quels sont les horaires de l'agence de {city} ?",
            "@{h} est-il possible de faire livrer un colis en point relais ?",
            "@{h} bonjour, on peut ajouter une ligne au forfait famille ?",
        ],
        "neutral": [
            "Je viens de passer chez {name}, on verra bien",
            "Nouvelle pub {name} ce soir à la télé",
            "@{h} ok c'est noté",
            "{name} annonce une offre à -50 % sur la première année, à voir",
            "Le nouveau forfait {name} est sorti, 5G incluse à {city}",
        ],
        "reply": [
            "@{u} Bonjour, désolés pour ce désagrément. Pouvez-vous nous écrire en message privé ?",
            "@{u} Bonjour, nous regardons cela tout de suite. Envoyez-nous vos coordonnées en MP.",
            "@{u} Bonjour, le nécessaire a été fait sur votre ligne, tout devrait être rentré dans l'ordre.",
        ],
        "followup_ok": ["@{h} merci, c'est réglé !", "@{h} ça refonctionne, merci beaucoup"],
        "followup_bad": [
            "@{h} toujours rien...",
            "@{h} j'ai envoyé le MP et toujours pas de réponse",
        ],
    },
}


def demo_specs() -> list[BrandSpec]:
    from carescore.store.brands import COUNTRY_TIMEZONES

    return [
        BrandSpec(
            slug=b.slug,
            name=b.name,
            sector=b.sector,
            country=b.country,
            timezone=COUNTRY_TIMEZONES[b.country],
            keywords=[b.name.lower()],
            hashtags=[f"#{b.slug.replace('-', '')}fail"],
            accounts={DEMO_PLATFORM: [b.handle]},
            is_demo=True,
        )
        for b in BRANDS
    ]


def generate_posts(
    as_of: date, *, n_posts: int = DEFAULT_POSTS, seed: int = 2026
) -> Iterator[NewPost]:
    """Yield the demo's customer posts and brand replies for the 365 days before `as_of`.

    Inbound posts number `n_posts`; replies and follow-ups come on top.
    """
    rng = random.Random(seed)
    end = datetime.combine(as_of, time(0), tzinfo=UTC)
    start = end - timedelta(days=365)
    total_volume = sum(b.volume for b in BRANDS)
    counter = 0

    def next_id() -> str:
        nonlocal counter
        counter += 1
        return f"d{seed}-{counter:07d}"

    for brand in BRANDS:
        count = round(n_posts * brand.volume / total_volume)
        authors = [
            (f"u{brand.slug[:3]}{i}", int(rng.lognormvariate(5.0, 1.8)))
            for i in range(max(40, count // 4))
        ]
        trend = rng.uniform(-0.15, 0.15)  # the brand improves or declines over the year
        for _ in range(count):
            created = start + timedelta(seconds=rng.randrange(365 * 86400))
            progress = (created - start) / (end - start)
            lang = "fr" if rng.random() < brand.french else "en"
            texts = _TEXTS[lang]
            kind = _pick_kind(rng, brand.praise_share + trend * (progress - 0.5))
            author, followers = rng.choice(authors)
            fill = _filler(rng, brand, lang)
            post = NewPost(
                platform=DEMO_PLATFORM,
                external_id=next_id(),
                author_id=author,
                author_handle=author,
                author_followers=followers,
                created_at=created,
                text=rng.choice(texts[kind]).format(**fill),
                direction="inbound",
                brand_slug=brand.slug,
                lang=lang,
            )
            post.conversation_id = post.external_id
            yield post
            if kind not in ACTIONABLE_LABELS:
                continue
            rate = min(
                0.99,
                brand.reply_rate
                + (0.05 if followers >= 10_000 else 0.0)
                + trend * (progress - 0.5),
            )
            if rng.random() >= rate:
                continue
            delay = _delay_seconds(rng, brand.median_minutes, created)
            replied = created + timedelta(seconds=delay)
            if replied >= end:
                continue
            reply = NewPost(
                platform=DEMO_PLATFORM,
                external_id=next_id(),
                author_id=brand.handle,
                author_handle=brand.handle,
                created_at=replied,
                text=rng.choice(texts["reply"]).format(u=author),
                direction="brand",
                brand_slug=brand.slug,
                lang=lang,
                in_reply_to_id=post.external_id,
                conversation_id=post.external_id,
            )
            yield reply
            if kind == "fail" and rng.random() < 0.35:
                happy = rng.random() < 0.3 + brand.reply_rate / 2
                follow = replied + timedelta(minutes=rng.randint(5, 600))
                if follow < end:
                    key = "followup_ok" if happy else "followup_bad"
                    yield NewPost(
                        platform=DEMO_PLATFORM,
                        external_id=next_id(),
                        author_id=author,
                        author_handle=author,
                        author_followers=followers,
                        created_at=follow,
                        text=rng.choice(texts[key]).format(**fill),
                        direction="inbound",
                        brand_slug=brand.slug,
                        lang=lang,
                        in_reply_to_id=reply.external_id,
                        conversation_id=post.external_id,
                    )


def _pick_kind(rng: random.Random, praise_share: float) -> str:
    roll = rng.random()
    opinion = 0.72
    if roll < opinion:
        return "praise" if rng.random() < max(0.02, min(0.95, praise_share)) else "fail"
    return "question" if roll < 0.90 else "neutral"


def _filler(rng: random.Random, brand: DemoBrand, lang: str) -> dict[str, object]:
    return {
        "h": brand.handle,
        "name": brand.name,
        "n": rng.randint(2, 9),
        "city": rng.choice(_CITIES[lang]),
    }


def _delay_seconds(rng: random.Random, median_minutes: float, created: datetime) -> int:
    """Log-normal delay around the brand's median, slower at night and at weekends."""
    minutes = rng.lognormvariate(math.log(median_minutes), 1.0)
    if created.weekday() >= 5 or not 8 <= created.hour < 19:
        minutes *= 2.5
    return max(30, int(minutes * 60))


def build_demo(
    session: Session,
    as_of: date,
    *,
    n_posts: int = DEFAULT_POSTS,
    seed: int = 2026,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> StoreResult:
    """Load the demo brands and posts, committing batch by batch (re-running adds nothing)."""
    upsert_brands(session, demo_specs())
    session.commit()
    directory = BrandDirectory(session)
    total = StoreResult()
    batch: list[NewPost] = []
    for post in chain(
        generate_posts(as_of, n_posts=n_posts, seed=seed), incident_posts(as_of, seed=seed)
    ):
        batch.append(post)
        if len(batch) >= batch_size:
            total.add(store_posts(session, batch, directory=directory))
            session.commit()
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        total.add(store_posts(session, batch, directory=directory))
        session.commit()
        if progress:
            progress(len(batch))
    total.inserted_ids = []
    return total
