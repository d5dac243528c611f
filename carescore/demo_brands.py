"""The demo's fictional brands (with their sector, reply habits and share of French) and
the post texts they are written from: data for `carescore.demo`, never real companies.
"""

from __future__ import annotations

from dataclasses import dataclass

from carescore.store.brands import BrandSpec
from carescore.vocab import DEMO_PLATFORM


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

CITIES = {
    "en": ["Denver", "Leeds", "Austin", "Bristol", "Boston"],
    "fr": ["Lyon", "Nantes", "Lille", "Rennes", "Marseille"],
}

TEXTS: dict[str, dict[str, list[str]]] = {
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
