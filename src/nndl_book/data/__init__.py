"""Data: seeded toy sets, a train/dev/test split, standardisation, handwritten digits.

=================  ==========================================================================
``toy``            :func:`make_moons`, :func:`make_xor`, :func:`make_blobs` (2-D, seeded)
``split``          :func:`train_dev_test_split`, :class:`Standardiser`, :func:`to_tensors`
``digits``         :func:`load_digits`: scikit-learn's 8x8 handwritten digits (no download)
``mnist``          :func:`load_mnist`: MNIST, downloaded once into a cache and checksummed
=================  ==========================================================================

Importing the package imports neither torch nor scikit-learn: they are imported by the
functions that need them.
"""

from nndl_book.data.digits import DIGIT_SHAPE, load_digits
from nndl_book.data.mnist import MNIST_FILES, MNIST_URL, default_cache_dir, load_mnist, read_idx
from nndl_book.data.split import (
    Split,
    Standardiser,
    target_tensor,
    to_tensors,
    train_dev_test_split,
)
from nndl_book.data.toy import make_blobs, make_moons, make_xor

__all__ = [
    "DIGIT_SHAPE",
    "MNIST_FILES",
    "MNIST_URL",
    "Split",
    "Standardiser",
    "default_cache_dir",
    "load_digits",
    "load_mnist",
    "make_blobs",
    "make_moons",
    "make_xor",
    "read_idx",
    "target_tensor",
    "to_tensors",
    "train_dev_test_split",
]
