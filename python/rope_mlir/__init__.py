"""rope-mlir from Python.

- `RopeSpec`: a rope configuration; `config.text_spec` / `config.vision_spec`
  build one from a HuggingFace config.json.
- `RopeKernel`: compiles a spec through rope-opt's CPU pipeline into a shared
  object (cached by content) and applies it to numpy arrays or torch CPU
  tensors, in place or out of place; torch CUDA tensors run its GPU
  pipeline's kernels on torch's current stream (`cuda`).
- `apply_rope_(positions, q, k, spec)`: vLLM-style in-place rotation that
  reads the layout and head counts from the shapes and keeps one kernel per
  configuration.
- `positions.rope_index`: multimodal position ids (SPEC R6).
- `reference`: the float64 reference the tests trust.
- `memref`: memref descriptors for calling compiled kernels directly.
"""

from .spec import RopeSpec  # noqa: F401
from .kernel import RopeKernel  # noqa: F401
from .apply import apply_rope_  # noqa: F401
from . import config, cuda, memref, positions, reference  # noqa: F401
