"""Drafting engines: template (Jinja2, offline, the default) and llm (litellm, loaded lazily)."""
