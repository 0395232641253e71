"""Fetching politely and safely (layer 2): HTTP with robots.txt, rate limits and an address
guard; discovery of report links on listing pages by CMS family; the raw store; the portal
registry. Imports only `xxgk.schemas`.
"""
