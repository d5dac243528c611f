"""Ranking: per-brand counts in SQL, the methodology's rules, and immutable snapshots.

Everything a published figure is computed from happens here, once per ranking run, so
requests only read finished snapshots.
"""
