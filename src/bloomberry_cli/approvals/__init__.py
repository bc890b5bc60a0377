"""Approvals: policy, decisions as signed commits, the trail, and its audit."""
