"""trialcheck: evaluates facts of legal proceedings against rules of Kazakh and international law."""

__version__ = "0.1.0"
