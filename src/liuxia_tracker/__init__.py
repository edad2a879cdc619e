"""liuxia-tracker: track a district government's annual targets against reported figures."""

__version__ = "0.1.0"
