"""The read side: what pages, the API and exports show, read from snapshots and posts.

One read model per resource, shared by every front end so a figure reads the same on a
page, in JSON and in a CSV download.
"""
