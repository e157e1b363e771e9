"""The REST API under ``/api/v1``: bearer tokens, the same use cases and schemas as the CLI."""
