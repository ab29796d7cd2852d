/*===- rope-consumer-c.c - a C host using rope-mlir's C API ---------------===*\
|*                                                                            *|
|* The C side of examples/consumer: registers the rope dialect (through its   *|
|* handle) and what the CPU pipeline needs, registers the rope passes, and    *|
|* runs rope-raise then --rope-cpu-pipeline, named in a textual pipeline, on  *|
|* a model graph; prints the lowered module. Exit 1 on any error.             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "Rope-c/Dialects.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include <stdio.h>
#include <stdlib.h>

static void printTo(MlirStringRef text, void *stream) {
  fwrite(text.data, 1, text.length, (FILE *)stream);
}

static char *readFile(const char *path, long *length) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *text = NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (*length = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    text = malloc((size_t)*length + 1);
    if (text && fread(text, 1, (size_t)*length, f) != (size_t)*length) {
      free(text);
      text = NULL;
    }
  }
  fclose(f);
  return text;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: rope-consumer-c <graph.mlir>\n");
    return 2;
  }
  long length = 0;
  char *text = readFile(argv[1], &length);
  if (!text) {
    fprintf(stderr, "rope-consumer-c: cannot read %s\n", argv[1]);
    return 1;
  }

  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirRopeRegisterCpuPipelineDependencies(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, /*threadingEnabled=*/false);
  mlirDialectRegistryDestroy(registry);
  MlirDialect rope = mlirDialectHandleLoadDialect(mlirGetDialectHandle__rope__(), context);
  printf("loaded dialect: ");
  printTo(mlirDialectGetNamespace(rope), stdout);
  printf("\n");

  int status = 1;
  MlirModule module = mlirModuleCreateParse(context, mlirStringRefCreate(text, (size_t)length));
  if (!mlirModuleIsNull(module)) {
    mlirRegisterRopePasses();
    MlirPassManager pm = mlirPassManagerCreate(context);
    MlirLogicalResult parsed = mlirParsePassPipeline(
        mlirPassManagerGetAsOpPassManager(pm),
        mlirStringRefCreateFromCString(
            "builtin.module(func.func(rope-raise),rope-cpu-pipeline{threads=false})"),
        printTo, stderr);
    MlirOperation op = mlirModuleGetOperation(module);
    if (mlirLogicalResultIsSuccess(parsed) &&
        mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(pm, op))) {
      mlirOperationPrint(op, printTo, stdout);
      printf("\n");
      status = 0;
    }
    mlirPassManagerDestroy(pm);
    mlirModuleDestroy(module);
  }
  mlirContextDestroy(context);
  free(text);
  return status;
}
