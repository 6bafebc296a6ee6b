"""The four overdose response steps as line pictograms, each drawn in a 30 x 30 point box."""

from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas

SIDE = 30.0


def _pen(canvas: Canvas, width: float = 1.8) -> None:
    """Set the round-ended stroke every pictogram is drawn with."""
    canvas.setLineWidth(width)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)


def check_and_shout(canvas: Canvas) -> None:
    """Draw a head with an open mouth and sound waves: check for a response, shout."""
    _pen(canvas)
    canvas.circle(11, 15, 8)
    canvas.circle(8.5, 17.5, 0.6, stroke=1, fill=1)
    canvas.ellipse(11.5, 10.5, 15, 13.5)
    for radius in (4.5, 8.5):
        canvas.arc(19 - radius, 15 - radius, 19 + radius, 15 + radius, startAng=-40, extent=80)


def call(canvas: Canvas) -> None:
    """Draw a mobile phone with signal waves: call the emergency number."""
    _pen(canvas)
    canvas.roundRect(6, 3, 13, 24, 2.5)
    canvas.line(10.5, 6.5, 14.5, 6.5)
    for radius in (4, 7.5):
        canvas.arc(20 - radius, 22 - radius, 20 + radius, 22 + radius, startAng=-10, extent=80)


def give_naloxone(canvas: Canvas) -> None:
    """Draw a nasal spray device: give naloxone."""
    _pen(canvas)
    canvas.roundRect(10, 3, 10, 13, 2)
    canvas.line(6, 16, 24, 16)
    canvas.roundRect(13, 16, 4, 11, 1.5)
    canvas.setLineWidth(1.2)
    canvas.line(15, 19.5, 15, 24)


def recovery_position(canvas: Canvas) -> None:
    """Draw a person on their side with the top knee bent forward: the recovery position."""
    _pen(canvas, 2.2)
    canvas.circle(6, 12, 3.6)
    for points in (
        ((11, 9), (19, 9), (28.5, 7.5)),  # torso and the lower, straight leg
        ((18.5, 9), (23, 15.5), (27.5, 10.5)),  # the top leg, knee bent forward
    ):
        path = canvas.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        canvas.drawPath(path)
    canvas.setLineWidth(0.8)
    canvas.line(1, 4, 29, 4)


STEPS: tuple[Callable[[Canvas], None], ...] = (check_and_shout, call, give_naloxone, recovery_position)
