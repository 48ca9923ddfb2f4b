"""scikit-learn's handwritten digits: 1,797 images of 8x8 pixels, bundled, no download.

Each image was made from a 32x32 black-and-white bitmap of a handwritten digit (UCI "Optical
Recognition of Handwritten Digits"): the bitmap is cut into 4x4 blocks and each pixel of the
8x8 image counts the black pixels of its block, an integer from 0 to 16.

scikit-learn is imported only when :func:`load_digits` is called.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DIGIT_SHAPE", "load_digits"]

#: Height and width of one image.
DIGIT_SHAPE = (8, 8)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits bundled with scikit-learn, as float64 pixels and labels.

    Returns
    -------
    X : numpy.ndarray, shape (1797, 64), float64
        Pixel values 0 to 16 (number of black pixels in a 4x4 block of the original 32x32
        bitmap), row by row: ``X[i].reshape(8, 8)`` is the image.
    y : numpy.ndarray, shape (1797,), int64
        The digit shown, 0 to 9.

    Raises
    ------
    ImportError
        If scikit-learn is not installed (``pip install scikit-learn``).
    """
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError as err:  # pragma: no cover - scikit-learn is a dependency
        raise ImportError(
            "load_digits needs scikit-learn: pip install scikit-learn"
        ) from err
    bunch = sklearn_load_digits()
    return np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target, dtype=np.int64)
