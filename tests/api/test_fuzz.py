"""Schemathesis generates requests from the served openapi.json: no server error, and every
response (status, content type, headers, body) as documented. Bounded, so that `make test`
stays quick.

`positive_data_acceptance` is left out: a cursor is opaque (any string of its alphabet
fits the schema, few are cursors we issued), and rules across parameters (since before
until, month only with window=month, JSON pages of at most 200) cannot be said in a
parameter schema; those 400s are documented and tested in test_bad_input.py.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

schema = schemathesis.pytest.from_fixture("fuzz_schema")
# PostgreSQL refuses what SQLite stores (NUL bytes, out-of-range integers) and found 500s
# that SQLite could not: the same fuzz runs on both, with fewer examples on PostgreSQL to
# keep `make test` within its time budget.
schema_pg = schemathesis.pytest.from_fixture("fuzz_schema_pg")


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_document(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@schema_pg.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_document_on_postgresql(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
