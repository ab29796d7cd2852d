//===- rope-in-tree-tool.cpp - a superproject's tool on the rope dialect --===//
//
// Parses a file of func and rope ops, verifies it and prints it: what a tool
// of a superproject that builds rope-mlir in-tree can do with RopeMLIR::IR
// (MLIRRope) alone.
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: rope-in-tree-tool <file.mlir>\n";
    return 2;
  }
  mlir::DialectRegistry registry;
  mlir::rope::registerRopeDialect(registry);
  registry.insert<mlir::func::FuncDialect>();
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  module->print(llvm::outs());
  return 0;
}
