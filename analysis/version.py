"""The newslens version: part of every pipeline version and of each store's manifest."""

__version__ = "0.1.0"
