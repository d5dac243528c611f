"""The JSON API, version 1. Every response says whether it shows demo data."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify

from carescore import METHODOLOGY_VERSION
from carescore.catalog import has_demo_data, list_brands
from website.db import get_session

bp = Blueprint("api", __name__)


@bp.get("/brands")
def brands():
    session = get_session()
    items = [asdict(b) for b in list_brands(session)]
    return jsonify(
        demo=has_demo_data(session),
        methodology_version=METHODOLOGY_VERSION,
        count=len(items),
        items=items,
    )
