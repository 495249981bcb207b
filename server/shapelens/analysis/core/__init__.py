"""The Python core of the analyser: values, scopes, the interpreter, calls, builtins, modules.

It knows Python only; frameworks (Keras, host arrays) register handlers in `dispatch`'s tables.
"""
