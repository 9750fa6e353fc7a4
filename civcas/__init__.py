"""civcas: civilian-harm monitoring, from scattered reports to published, traceable figures."""

__version__ = "0.1.0"
