"""The public documents the site renders (/methodology): shipped in the wheel as
`website.docs`. Research notes under docs/research/ are not shipped."""
