"""Host arrays as a plug-in: numpy arrays and eager TF tensors (concrete data, no batch axis of
their own), their creation, operations and data sets; see plugin.py.
"""
