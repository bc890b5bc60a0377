"""The review queue and what a reviewer needs to see to decide one post."""
