"""bb: employee advocacy and thought leadership, run from a git repository."""

__version__ = "0.1.0"
