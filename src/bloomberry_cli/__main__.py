from bloomberry_cli.cli.main import entry

entry()
