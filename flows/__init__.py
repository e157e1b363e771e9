"""Prefect orchestration: every state-changing case operation and every recurring job as a flow.

The only package that imports ``prefect``. Flows orchestrate and never decide: each task
calls a use case of ``models`` in one transaction. Import ``flows.runtime`` first (the CLI
does, through ``flows.runtime.run``): it sets Prefect's home, logging and heartbeats before
Prefect is imported.
"""
