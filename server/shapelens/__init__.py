"""ShapeLens: exact Keras layer output shapes, statically."""

__version__ = "0.1.0"
