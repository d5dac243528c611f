"""The site's Jinja templates: kept at the top of the checkout, shipped in the wheel as
`website.templates` so an installed site finds them with importlib.resources."""
