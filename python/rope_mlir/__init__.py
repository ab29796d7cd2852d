"""rope-mlir from Python.

- `RopeSpec`: a rope configuration; `config.text_spec` / `config.vision_spec`
  build one from a HuggingFace config.json.
- `RopeKernel`: compiles a spec through rope-opt's CPU pipeline into a shared
  object (cached by content) and applies it to numpy arrays.
- `positions.rope_index`: multimodal position ids (SPEC R6).
- `reference`: the float64 reference the tests trust.
"""

from .spec import RopeSpec  # noqa: F401
from .kernel import RopeKernel  # noqa: F401
from . import config, positions, reference  # noqa: F401
