"""Voice Memory: how each person writes, learned from what they wrote and approved."""
