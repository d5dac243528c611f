"""The demo's incidents: a few surges of complaints drawn on top of the demo's usual posts.

Each one has its own topic and texts, and the brands it hits answer it their own way, so
the incident pages have something to compare: a telecom's evening fibre outage answered
fast, two airlines hit by the same two-day storm (one answers, one barely does), a small
outage near the detection threshold, and an outage in the demo's last hours. Times are
set from the demo's as-of day, so the incidents stay inside the live 90-day window.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from carescore.store.normalised import NewPost
from carescore.vocab import DEMO_PLATFORM


@dataclass(frozen=True)
class DemoIncident:
    slug: str
    brand_slug: str
    handle: str
    lang: str
    days_before: int  # start day, counted back from the as-of day
    start_hour: int  # UTC
    hours: int
    peak: float  # complaints per hour at the height of it
    reply_rate: float
    median_minutes: float
    recovery: float  # chance an answered customer writes back happy
    texts: tuple[str, ...]


INCIDENTS: tuple[DemoIncident, ...] = (
    DemoIncident(
        "nimbus-fibre-outage", "nimbus-telecom", "NimbusAide", "fr", 12, 17, 6, 22, 0.9, 15, 0.7,
        (
            "@{h} plus de fibre depuis 19h, panne générale ? #fail",
            "@{h} coupure internet totale à {city}, box qui clignote, c'est nul",
            "@{h} panne fibre encore ce soir, impossible de travailler, inadmissible",
            "@{h} plus de réseau ni de télé, c'est quoi cette panne ?",
        ),
    ),
    DemoIncident(
        "skylark-storm", "skylark-airways", "SkylarkHelps", "en", 33, 6, 44, 9, 0.8, 40, 0.5,
        (
            "@{h} flight cancelled because of the storm and no rebooking offered #fail",
            "@{h} stuck at the airport in {city}, flight delayed again, terrible",
            "@{h} my flight got cancelled and the app won't let me rebook, awful",
            "@{h} cancelled twice in two days, still no hotel voucher, unacceptable",
        ),
    ),
    DemoIncident(
        "kestrel-storm", "kestrel-jet", "KestrelJet", "en", 33, 7, 42, 8, 0.1, 900, 0.2,
        (
            "@{h} flight cancelled, nobody at the desk, worst airline ever #fail",
            "@{h} delayed 9 hours in {city} with no information, disgusting",
            "@{h} cancelled flight and no answer from anyone, terrible service",
            "@{h} you cancelled my flight and nobody answers the phone, awful",
        ),
    ),
    DemoIncident(
        "parapluie-small-outage", "parapluie-box", "ParapluieBox", "fr", 47, 9, 2, 4, 0.15, 600, 0.3,
        (
            "@{h} plus d'internet depuis ce matin, panne ? c'est nul",
            "@{h} box en panne à {city}, aucune connexion, #fail",
        ),
    ),
    DemoIncident(
        "ondeline-late-outage", "ondeline", "Ondeline_SAV", "fr", 1, 19, 5, 14, 0.95, 8, 0.8,
        (
            "@{h} panne internet à {city} ce soir, plus rien ne marche #fail",
            "@{h} coupure réseau générale ? plus de fibre depuis 21h, c'est nul",
            "@{h} encore une panne, impossible de me connecter, inadmissible",
        ),
    ),
)  # fmt: skip

_CITIES = {"en": ["Denver", "Boston", "Chicago", "Atlanta"], "fr": ["Lyon", "Nantes", "Lille"]}
_REPLIES = {
    "en": (
        "@{u} We're sorry, the storm has disrupted our schedule. DM us your booking and we'll rebook you.",
        "@{u} Apologies, our team is rebooking every cancelled passenger; please DM your reference.",
    ),
    "fr": (
        "@{u} Bonjour, un incident touche votre secteur, nos équipes sont mobilisées. Désolés !",
        "@{u} Bonjour, la panne est identifiée, le retour du service est prévu dans la soirée.",
    ),
}
_FOLLOW = {
    "en": ("@{h} thanks, rebooked and sorted!", "@{h} still stuck here, no help at all"),
    "fr": ("@{h} merci, ça remarche !", "@{h} toujours rien, vraiment nul"),
}


def _shape(step: int, hours: int) -> float:
    """Rise over the first hour, a plateau, and a fall over the last third."""
    rise = min(1.0, (step + 0.6) / 1.5)
    fall = min(1.0, (hours - step) / max(1.0, hours / 3))
    return max(0.15, rise * fall)


def incident_posts(as_of: date, *, seed: int = 2026) -> Iterator[NewPost]:
    """The posts of every demo incident: complaints, the brand's replies, follow-ups."""
    rng = random.Random(seed * 7 + 1)
    end = datetime.combine(as_of, time(0), tzinfo=UTC)
    for spec in INCIDENTS:
        start = end - timedelta(days=spec.days_before)
        start = start.replace(hour=spec.start_hour)
        counter = 0
        for step in range(spec.hours):
            expected = spec.peak * _shape(step, spec.hours)
            for _ in range(_poisson(rng, expected)):
                counter += 1
                created = start + timedelta(hours=step, seconds=rng.randrange(3600))
                if created >= end:
                    continue
                yield from _thread(rng, spec, f"i{seed}-{spec.slug}-{counter}", created, end)


def _thread(
    rng: random.Random, spec: DemoIncident, ext: str, created: datetime, end: datetime
) -> Iterator[NewPost]:
    author = f"i{spec.brand_slug[:4]}{rng.randrange(5000)}"
    followers = int(rng.lognormvariate(5.0, 1.8))
    fill = {"h": spec.handle, "city": rng.choice(_CITIES[spec.lang])}
    yield NewPost(
        platform=DEMO_PLATFORM,
        external_id=ext,
        author_id=author,
        author_handle=author,
        author_followers=followers,
        created_at=created,
        text=rng.choice(spec.texts).format(**fill),
        direction="inbound",
        brand_slug=spec.brand_slug,
        lang=spec.lang,
        conversation_id=ext,
    )
    if rng.random() >= spec.reply_rate:
        return
    minutes = rng.lognormvariate(math.log(spec.median_minutes), 0.9)
    replied = created + timedelta(minutes=max(1.0, minutes))
    if replied >= end:
        return
    yield NewPost(
        platform=DEMO_PLATFORM,
        external_id=f"{ext}r",
        author_id=spec.handle,
        author_handle=spec.handle,
        created_at=replied,
        text=rng.choice(_REPLIES[spec.lang]).format(u=author),
        direction="brand",
        brand_slug=spec.brand_slug,
        lang=spec.lang,
        in_reply_to_id=ext,
        conversation_id=ext,
    )
    if rng.random() < 0.5:
        happy = rng.random() < spec.recovery
        later = replied + timedelta(minutes=rng.randint(10, 240))
        if later < end:
            yield NewPost(
                platform=DEMO_PLATFORM,
                external_id=f"{ext}f",
                author_id=author,
                author_handle=author,
                author_followers=followers,
                created_at=later,
                text=_FOLLOW[spec.lang][0 if happy else 1].format(**fill),
                direction="inbound",
                brand_slug=spec.brand_slug,
                lang=spec.lang,
                in_reply_to_id=f"{ext}r",
                conversation_id=ext,
            )


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: exact, and plenty fast for means below 30."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k
