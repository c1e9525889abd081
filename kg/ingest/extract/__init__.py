"""Extractors: one module per kind of fact; general rules, gazetteers and normalisation."""
