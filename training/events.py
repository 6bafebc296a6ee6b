"""Signals that let the packages above training react to learning, without training importing them."""
from blinker import Namespace

_signals = Namespace()

# Sent with user_id=..., programme_slug=None (any programme) after something that can make a person eligible for a
# certificate: a module completed, a final assessment passed, a skills item signed off. The certificates package
# listens and issues a certificate when everything required is there.
learning_progressed = _signals.signal("learning-progressed")
