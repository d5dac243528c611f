"""The read side: what pages, the API and exports show, read from snapshots and posts.

One read model per resource, shared by every front end so a figure reads the same on a
page, in JSON and in a CSV download:

    rankings   `ranking`, `sector_ranking`       a window's brands in order
    brands     `brand_report`, `compare_brands`, `brand_timeline`
    directory  `brand_directory`                 brands by slug with their accounts
    posts      `find_posts`, `public_handle`     newest first, keyset-paginated
    search     `find_brands`                     the search box, with each live score
    sectors    `list_sectors`, `has_demo_data`
    overview   `overview`, `ranking_changes`     the home page and the Atom feed
    export     `export_posts`, `export_scores`   every row, streamed
    serialize  `write_csv`, `write_json`, ...    the one JSON and CSV writer

Each function loads only what its answer shows, in a fixed number of queries.
"""

from carescore.read.brands import BrandReport, brand_report, brand_timeline, compare_brands
from carescore.read.directory import brand_directory
from carescore.read.overview import overview, ranking_changes
from carescore.read.posts import PostRef, find_posts, public_handle
from carescore.read.rankings import ranking, sector_ranking
from carescore.read.refs import BrandRef, latest_period
from carescore.read.search import SearchResult, find_brands
from carescore.read.sectors import has_demo_data, list_sectors

__all__ = [
    "BrandRef",
    "BrandReport",
    "PostRef",
    "SearchResult",
    "brand_directory",
    "brand_report",
    "brand_timeline",
    "compare_brands",
    "find_brands",
    "find_posts",
    "has_demo_data",
    "latest_period",
    "list_sectors",
    "overview",
    "public_handle",
    "ranking",
    "ranking_changes",
    "sector_ranking",
]
