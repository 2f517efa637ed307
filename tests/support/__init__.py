"""Plain helper modules shared by the test packages (no test module imports another)."""
