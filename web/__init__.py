"""The web pages: server-rendered, in the GOV.UK Design System's look, over the same use
cases as the CLI and the API (``web.app`` assembles the pages, the API and the assets)."""
