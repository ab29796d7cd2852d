"""rope-mlir from Python: specs, the float64 reference, and the compiler driver."""

from .spec import RopeSpec  # noqa: F401
