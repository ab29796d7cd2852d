//===- BufferizableOpInterfaceImpl.h - rope ops in one-shot-bufferize -*- C++ -*-===//

#ifndef ROPE_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define ROPE_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;

namespace rope {
/// Attaches the BufferizableOpInterface model to rope.rotate and
/// rope.rotate_with_tables: one-shot-bufferize turns their tensor form into
/// the buffer form, writing each result into its `outs` buffer.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);
} // namespace rope
} // namespace mlir

#endif // ROPE_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
