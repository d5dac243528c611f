"""Carescore: ranks companies by how they treat customers who speak up in public.

The domain package. It knows nothing of Flask, HTTP or any platform API, so the
collectors, the CLI and the site can all share it.
"""

__version__ = "0.1.0"
METHODOLOGY_VERSION = "2.0"
PREVIOUS_METHODOLOGY_VERSIONS = ("1.0",)
