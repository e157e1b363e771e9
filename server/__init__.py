"""The process ``scc serve`` runs: the web pages and the REST API put together, beside the scheduler."""
