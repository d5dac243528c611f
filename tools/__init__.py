"""Development tooling (training, data preparation): reads ../shared/data, not shipped."""
