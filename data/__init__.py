"""The default brand registry (brands.toml): kept at the top of the checkout, shipped in the
wheel as `carescore.registry` so `carescore brands load` works without the checkout."""
