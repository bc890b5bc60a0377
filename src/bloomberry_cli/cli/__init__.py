"""The command line: typer wiring, formatting and exit codes. No business logic lives here."""
