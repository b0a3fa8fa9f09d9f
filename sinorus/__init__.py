"""sinorus: China–Russia trade figures, each tied to the sentence it came from."""

__version__ = "0.1.0"
