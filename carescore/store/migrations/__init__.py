"""Alembic migrations, shipped with the package so an installed carescore can upgrade its schema."""
