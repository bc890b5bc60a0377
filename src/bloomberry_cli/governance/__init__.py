"""Governance: the checks that stand between a draft and an approval."""
