"""Scoring: a post's language, sentiment, label and complaint topics.

Kept free of the database so the scorer can be measured on any labelled file
(`carescore eval`) with exactly the code that labels stored posts.
"""
