"""The scorer's trained weights (model.json), rebuilt by `python -m carescore.training`."""
