"""City-scale data generator and lookup benchmark (not part of the test suite)."""
