"""Test-only helpers that ask real TensorFlow/Keras for the truth."""
