"""The command line (an adapter over the library)."""
