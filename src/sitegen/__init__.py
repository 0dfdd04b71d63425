"""sitegen: a static site builder for bilingual (zh/en) law-popularization (普法) public information."""

__version__ = "0.1.0"
