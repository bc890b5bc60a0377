"""Running the program: calendar, cadence, metrics, reports, advice."""
