"""The peer for the HTTP benchmark: the smallest Flask app there is."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Say hello."""
    return "Hello, World!"
