"""Threading: which brand reply answers which customer post, and how fast."""
