"""nndl_book: helpers for the runnable textbook on the foundations of neural networks.

Layers, lowest first: ``maths`` → ``engine`` → ``data`` / ``training`` → ``plots`` → ``widgets``.
Import the submodule you need; importing ``nndl_book`` itself loads nothing heavy.
"""

__version__ = "0.2.0"
