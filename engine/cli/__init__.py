"""Face: the `trialcheck` command line."""
