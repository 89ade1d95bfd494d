"""Demo and load-test data: synthetic people (`people`) and a season replayed through the services
(`season`)."""
