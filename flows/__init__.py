"""The pipeline and its orchestration (layer 4): crawl → raw store → extract → validate → load.

`pipeline.py` is the one chain, as plain functions; `prefect_flows.py` wraps it in the
nightly, backfill and demo flows; `isolation.py` runs extraction in bounded worker
processes. Configuration is resolved by the caller (CLI or flow) and passed in.
"""
