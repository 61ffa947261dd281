"""The compiled parts, optional: the per-character and per-path-segment loops of the pdfium page
model (extractors/native/_pdfium_loops.c) and the word steps of the PDF reading
(extractors/native/_text_loops.c). Without a C compiler the install goes on without them and
extractors/native/pagemodel.py and pdf.py run the same loops in Python (slower, same results).
Everything else about the package is in pyproject.toml."""
import os

from setuptools import Extension, setup

# no fused multiply-add: the loops compute every coordinate as the Python loops do, bit for bit
FLAGS = [] if os.name == "nt" else ["-ffp-contract=off"]
setup(ext_modules=[Extension(f"extractors.native.{name}", [f"extractors/native/{name}.c"], extra_compile_args=FLAGS,
                             optional=True) for name in ("_pdfium_loops", "_text_loops")])
