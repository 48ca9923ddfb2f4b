"""Explorer widgets that respond on the static website and with a live kernel.

``Explorer`` and ``Control`` declare an explorer; the ready-made ones live in their own modules:
``two_moons.two_moons_trainer``, ``activations.activation_explorer``, ``race.optimizer_race`` and
``initialisation.initialisation_explorer``. Each of those modules holds only its ``draw_*``
function and its explorer factory: the numbers they show come from the layers below
(``nndl_book.engine.probes``, ``nndl_book.engine.race``, ``nndl_book.training.moons``), where
chapters and tests import them too.
"""

from nndl_book.widgets.explorer import Control, Explorer, format_value, message_png

__all__ = ["Control", "Explorer", "format_value", "message_png"]
