"""Contracts and reference data every layer shares (layer 0): the template catalog, the
checks and pandera models, records and status words, errors, divisions (GB/T 2260 via
cpca), charset detection. Imports no other part of xxgk.
"""
