"""knowhow: an engine for explainer-article websites with reader discussion."""

# The one place the version is written: pyproject.toml reads it, `knowhow --version` shows it.
__version__ = "0.2.0"
