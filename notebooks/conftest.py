"""nbval settings for the notebooks.

pandas renders HTML tables differently across versions, so only plain-text outputs are
compared; the key results are printed as rounded plain text in cells marked
``# NBVAL_CHECK_OUTPUT``.  Images are never compared (nbval's default).
"""


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("text/html", "application/javascript", "image/png")
