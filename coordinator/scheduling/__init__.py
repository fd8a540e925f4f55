"""The scheduler process and its idempotent "do what is due" jobs."""
