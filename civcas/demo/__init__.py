"""Package data: the embedded Raqqa 2017 demo (see README.md here)."""
