"""What the tests share: a team with real keys, trail helpers, a fake LLM server, fuzz
strategies."""
