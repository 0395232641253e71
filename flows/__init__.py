"""The pipeline and its orchestration (layer 4): crawl → raw store → extract → validate → load.

`pipeline.py` is the one chain, as plain functions; `prefect_flows.py` wraps it in the
nightly, backfill and demo flows; `executors.py` holds every way extraction is mapped
over the jobs (in process, in bounded worker processes, `isolation.py`'s pool, or as
Prefect tasks), chosen by name. Configuration is resolved by the caller (CLI or flow,
through `xxgk.config`) and passed in.
"""
