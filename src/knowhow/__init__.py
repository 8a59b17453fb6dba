"""knowhow: an engine for explainer-article websites with reader discussion."""

__version__ = "0.1.0"
