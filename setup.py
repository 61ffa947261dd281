"""The one compiled part, optional: the per-character and per-path-segment loops of the pdfium page
model (extractors/native/_pdfium_loops.c). Without a C compiler the install goes on without it and
extractors/native/pagemodel.py runs the same loops in Python (slower, same results). Everything
else about the package is in pyproject.toml."""
import os

from setuptools import Extension, setup

# no fused multiply-add: the loops compute every coordinate as the Python loops do, bit for bit
FLAGS = [] if os.name == "nt" else ["-ffp-contract=off"]
setup(ext_modules=[Extension("extractors.native._pdfium_loops", ["extractors/native/_pdfium_loops.c"],
                             extra_compile_args=FLAGS, optional=True)])
