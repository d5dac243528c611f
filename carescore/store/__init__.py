"""Storage: the data model, engines, migrations, and the idempotent writes every source uses.

Posts enter here once (upsert on platform and id), are scored and threaded on the way in,
and leave only through the read side. The brand registry, locks and the right to be
forgotten live here too because each is a write with a rule attached.
"""
