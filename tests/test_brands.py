from pathlib import Path

import pytest
from sqlalchemy import func, select

from carescore.store.brands import RegistryError, load_registry_file, parse_registry, upsert_brands
from carescore.store.models import Brand, BrandAccount

REGISTRY = Path(__file__).resolve().parent.parent / "data" / "brands.toml"
TWCS_HANDLES = {
    "AppleSupport",
    "AmazonHelp",
    "Delta",
    "SpotifyCares",
    "comcastcares",
    "British_Airways",
    "AmericanAir",
    "UPSHelp",
    "Tesco",
    "sprintcare",
}


def test_real_registry_meets_the_brief():
    specs = load_registry_file(REGISTRY)
    assert len(specs) >= 40
    assert len({s.sector for s in specs}) >= 6
    slugs = {s.slug for s in specs}
    assert {
        "orange",
        "sfr",
        "free",
        "bouygues-telecom",
        "sncf",
        "air-france",
        "societe-generale",
        "apple",
        "amazon",
        "spotify",
        "best-buy",
        "dhl",
        "ups",
        "la-poste",
    } <= slugs
    handles = {h for s in specs for h in s.accounts.get("x", [])}
    assert handles >= TWCS_HANDLES
    assert all(s.accounts for s in specs), "every brand needs an official account"
    assert not any(s.is_demo for s in specs)


def test_load_twice_changes_nothing(session):
    specs = load_registry_file(REGISTRY)
    first = upsert_brands(session, specs)
    session.commit()
    second = upsert_brands(session, specs)
    session.commit()
    assert first.created == len(specs) and second.created == 0
    assert session.execute(select(func.count()).select_from(Brand)).scalar() == len(specs)
    accounts = session.execute(select(func.count()).select_from(BrandAccount)).scalar()
    assert accounts == sum(len(h) for s in specs for h in s.accounts.values())


GOOD = """
[[brand]]
slug = "acme"
name = "Acme"
sector = "retail"
country = "US"
accounts.x = ["AcmeHelp"]
"""


def test_malformed_toml_names_the_line_and_writes_nothing(session, tmp_path):
    bad = tmp_path / "brands.toml"
    bad.write_text(GOOD + '\n[[brand]]\nslug = "broken\nname = "x"\n')
    with pytest.raises(RegistryError, match=r"line 10"):
        load_registry_file(bad)
    assert session.execute(select(func.count()).select_from(Brand)).scalar() == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[[brand]]\nslug = "acme"\nname = "A2"\nsector = "x"\ncountry = "US"\n', "duplicate"),
        ('[[brand]]\nslug = "Bad Slug"\nname = "B"\nsector = "x"\ncountry = "US"\n', "slug"),
        ('[[brand]]\nslug = "b"\nname = "B"\nsector = "x"\ncountry = "USA"\n', "country"),
        (
            '[[brand]]\nslug = "b"\nname = "B"\nsector = "x"\ncountry = "US"\n'
            'timezone = "Mars/Olympus"\n',
            "time zone",
        ),
        (
            '[[brand]]\nslug = "b"\nname = "B"\nsector = "x"\ncountry = "US"\n'
            'accounts.myspace = ["b"]\n',
            "platform",
        ),
        ('[[brand]]\nslug = "b"\nsector = "x"\ncountry = "US"\n', "name"),
    ],
)
def test_invalid_entries_are_refused_whole(extra, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(GOOD + extra)


def test_account_removed_from_registry_is_removed(session):
    upsert_brands(session, parse_registry(GOOD.replace('["AcmeHelp"]', '["AcmeHelp", "Acme2"]')))
    session.commit()
    upsert_brands(session, parse_registry(GOOD))
    session.commit()
    handles = session.execute(select(BrandAccount.handle)).scalars().all()
    assert handles == ["AcmeHelp"]
