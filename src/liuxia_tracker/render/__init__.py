"""Renderers: one module per output format, each fed the same rows and never computing."""
